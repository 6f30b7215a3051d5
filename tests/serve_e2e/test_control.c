/*
 * test_control.c - the control messages of a stream connection: SUBSCRIBE,
 * UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY/GET_PROPERTY with Binance's
 * replies; bad names, bad JSON and the 200-stream limit get error replies
 * and the connection goes on.
 */
#include "expect.h"
#include "harness.h"
#include "support.h"
#include "ws_client.h"

TEST_SCRATCH_SUITE(control, dir, "hunter-serve-control");

struct reply_wait {
	char suffix[32];
	size_t from; /* messages before the request do not count */
	const char *found;
};

static bool has_reply(const struct wsc *w, size_t arg)
{
	struct reply_wait *r = (struct reply_wait *)arg;
	for (size_t i = r->from; i < w->n; i++) {
		size_t len = strlen(w->msgs[i]), sl = strlen(r->suffix);
		if (len >= sl && !strcmp(w->msgs[i] + len - sl, r->suffix) &&
		    (!strncmp(w->msgs[i], "{\"result\"", 9) || !strncmp(w->msgs[i], "{\"error\"", 8))) {
			r->found = w->msgs[i];
			return true;
		}
	}
	return w->closed || w->failed;
}

/* Sends `msg` and returns the reply that ends with "id":<id>} ("null" for
 * replies without one). */
static const char *ask(struct wsc *c, const char *msg, const char *id)
{
	struct reply_wait r = {.from = c->n};
	snprintf(r.suffix, sizeof r.suffix, "\"id\":%s}", id);
	wsc_send(c, msg);
	wsc_until(c, has_reply, (size_t)&r, 5000);
	cr_assert_not_null(r.found, "no reply to %s", msg);
	return r.found;
}

static void open_server(struct served *s, struct wsc *c, const char *recording)
{
	char args[256];
	snprintf(args, sizeof args, "--port 0 %s", recording);
	serve_start(s, dir, args);
	cr_assert(wsc_open(c, s->port, "/ws"));
}

static void close_server(struct served *s, struct wsc *c)
{
	wsc_free(c);
	cr_assert_eq(serve_stop(s), 130);
}

Test(control, subscribe_list_unsubscribe, .timeout = 30)
{
	struct served s;
	struct wsc c;
	open_server(&s, &c, SYNTH);
	cr_assert_str_eq(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\","
	                         "\"!forceOrder@arr\"],\"id\":1}", "1"),
	                 "{\"result\":null,\"id\":1}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}", "2"),
	                 "{\"result\":[\"btcusdt@aggTrade\",\"!forceOrder@arr\"],\"id\":2}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],"
	                         "\"id\":3}", "3"),
	                 "{\"result\":null,\"id\":3}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":4}", "4"),
	                 "{\"result\":[\"!forceOrder@arr\"],\"id\":4}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":5}",
	                     "5"), "{\"result\":false,\"id\":5}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],"
	                         "\"id\":6}", "6"), "{\"result\":null,\"id\":6}");
	cr_assert_str_eq(ask(&c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":7}",
	                     "7"), "{\"result\":true,\"id\":7}");
	close_server(&s, &c);
}

Test(control, subscribed_events_flow_after_subscribe, .timeout = 30)
{
	struct served s;
	struct wsc c;
	open_server(&s, &c, SYNTH);
	ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@bookTicker\"],\"id\":9}", "9");
	cr_assert(wsc_wait(&c, 20, 5000), "no bookTicker events after SUBSCRIBE");
	for (size_t i = 0; i < c.n; i++)
		cr_assert(strstr(c.msgs[i], "\"id\":9}") ||
		          !strncmp(c.msgs[i], "{\"e\":\"bookTicker\"", 17), "%s", c.msgs[i]);
	close_server(&s, &c);
}

Test(control, bad_requests_get_errors, .timeout = 30)
{
	struct served s;
	struct wsc c;
	open_server(&s, &c, SYNTH);
	cr_assert_str_eq(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@nothing\"],"
	                         "\"id\":1}", "1"),
	                 "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown stream "
	                 "'btcusdt@nothing'\"},\"id\":1}");
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"xrpusdt@aggTrade\"],"
	                                  "\"id\":2}", "2"), "unknown symbol"));
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"BTCUSDT@aggTrade\"],"
	                                  "\"id\":3}", "3"), "\"code\":2"));
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"JUMP\",\"id\":4}", "4"), "\"code\":2"));
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[1],\"id\":5}", "5"),
	                          "\"code\":2"));
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",1],"
	                                  "\"id\":6}", "6"), "\"code\":1"));
	cr_assert_not_null(strstr(ask(&c, "{\"method\":\"GET_PROPERTY\",\"params\":[\"colour\"],"
	                                  "\"id\":7}", "7"), "\"code\":0"));
	cr_assert_str_eq(ask(&c, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],"
	                         "\"id\":-1}", "null"),
	                 "{\"error\":{\"code\":2,\"msg\":\"Invalid request: request ID must be an "
	                 "unsigned integer\"},\"id\":null}");
	cr_assert_not_null(strstr(ask(&c, "{\"method\":", "null"), "\"code\":3"));
	cr_assert_not_null(strstr(ask(&c, "\x01\xff not json", "null"), "\"code\":3"));
	/* nothing was subscribed by the bad requests, and the connection lives */
	cr_assert_str_eq(ask(&c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":8}", "8"),
	                 "{\"result\":[],\"id\":8}");
	close_server(&s, &c);
}

/* SUBSCRIBE of the names i0 .. i0+n-1 of the liquidation fixture's symbols. */
static const char *subscribe_many(struct wsc *c, char *const *names, size_t i0, size_t n,
                                  int id)
{
	static char msg[32768];
	char ids[16];
	int len = snprintf(msg, sizeof msg, "{\"method\":\"SUBSCRIBE\",\"params\":[");
	for (size_t i = i0; i < i0 + n; i++)
		len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", i > i0 ? "," : "",
		                names[i]);
	snprintf(msg + len, sizeof msg - (size_t)len, "],\"id\":%d}", id);
	snprintf(ids, sizeof ids, "%d", id);
	return ask(c, msg, ids);
}

/* 201 stream names on the symbols of the liquidation fixture. */
static size_t stream_names(char **names)
{
	static const char *const kinds[] = {"aggTrade", "forceOrder", "bookTicker"};
	char err[REC_ERR_MAX];
	const char *paths[] = {LIQ};
	replay *rp = replay_open(paths, 1, err);
	cr_assert_not_null(rp, "%s", err);
	const struct rec_header *h = rec_reader_header(replay_reader(rp, 0));
	size_t n = 0;
	for (uint32_t i = 0; i < h->nsymbols && n < 201; i++) {
		for (size_t k = 0; k < 3 && n < 201; k++) {
			char lower[SYMBOL_MAX];
			size_t j = 0;
			for (; h->symbols[i][j]; j++)
				lower[j] = (char)(h->symbols[i][j] >= 'A' && h->symbols[i][j] <= 'Z'
				                  ? h->symbols[i][j] - 'A' + 'a' : h->symbols[i][j]);
			lower[j] = '\0';
			names[n] = malloc(64);
			snprintf(names[n++], 64, "%s@%s", lower, kinds[k]);
		}
	}
	replay_close(rp);
	cr_assert_eq(n, 201);
	return n;
}

Test(control, at_most_200_streams_per_connection, .timeout = 30)
{
	struct served s;
	struct wsc c;
	char *names[201];
	stream_names(names);
	open_server(&s, &c, LIQ);
	cr_assert_str_eq(subscribe_many(&c, names, 0, 150, 1), "{\"result\":null,\"id\":1}");
	cr_assert_not_null(strstr(subscribe_many(&c, names, 150, 51, 2), "too many streams"));
	cr_assert_str_eq(subscribe_many(&c, names, 150, 50, 3), "{\"result\":null,\"id\":3}");
	cr_assert_not_null(strstr(subscribe_many(&c, names, 200, 1, 4), "too many streams"));
	/* names already held do not count again */
	cr_assert_str_eq(subscribe_many(&c, names, 0, 10, 5), "{\"result\":null,\"id\":5}");
	const char *list = ask(&c, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":6}", "6");
	size_t commas = 0;
	for (const char *p = list; *p; p++)
		commas += *p == ',';
	cr_assert_eq(commas, 200, "LIST_SUBSCRIPTIONS holds %zu streams", commas);
	for (size_t i = 0; i < 201; i++)
		free(names[i]);
	close_server(&s, &c);
}
