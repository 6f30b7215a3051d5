/*
 * test_rest.c - the public REST endpoints of `hunter serve`: exchangeInfo
 * and depth parse with aster_parse, depth is the recording's book as of
 * the replay's time, the other endpoints answer valid JSON of Binance's
 * shapes, bad input gets Binance's errors, and the REST faults do what
 * they say.
 */
#include <cjson/cJSON.h>

#include "expect.h"
#include "harness.h"
#include "support.h"
#include "ws_client.h"

TEST_SCRATCH_SUITE(rest, dir, "hunter-serve-rest");

static ev_t parsed;
static int parsed_n;
static level_t parsed_bids[1000], parsed_asks[1000];

/* Keeps the one event of a REST body; a snapshot's levels are copied. */
static int keep_event(void *ctx, const ev_t *ev)
{
	parsed = *ev;
	parsed_n++;
	if (ev->type == EV_DEPTH_SNAPSHOT) {
		cr_assert_leq(ev->u.depth.nbids, 1000);
		cr_assert_leq(ev->u.depth.nasks, 1000);
		memcpy(parsed_bids, ev->u.depth.bids, ev->u.depth.nbids * sizeof(level_t));
		memcpy(parsed_asks, ev->u.depth.asks, ev->u.depth.nasks * sizeof(level_t));
	}
	return 0;
}

static void parse_body(const struct http_answer *a, const char *symbol)
{
	aster_parser_t *p = aster_parser_new();
	struct aster_ctx ctx = {.symbol = symbol};
	struct aster_result res;
	parsed_n = 0;
	aster_parse(p, a->body, a->len, &ctx, keep_event, NULL, &res);
	cr_assert_eq(res.status, ASTER_EVENTS, "%s: %.200s", res.err, a->body);
	cr_assert_eq(parsed_n, 1);
	aster_parser_free(p);
}

static void get_ok(int port, const char *path, struct http_answer *a)
{
	http_get(port, path, a);
	cr_assert_eq(a->status, 200, "GET %s: %d %s", path, a->status, a->body);
}

static int count_info_symbols(void *ctx, const ev_t *ev)
{
	if (ev->type == EV_EXCHANGE_INFO && !*(int *)ctx)
		*(int *)ctx = (int)ev->u.info.nsymbols;
	return 0;
}

Test(rest, exchange_info_is_the_recordings, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 " LIQ);
	int want = 0;
	char err[REC_ERR_MAX];
	const char *paths[] = {LIQ};
	replay *rp = replay_open(paths, 1, err);
	ev_t ev;
	while (!want && replay_next(rp, &ev) == 1)
		count_info_symbols(&want, &ev);
	replay_close(rp);
	cr_assert_gt(want, 0);
	const char *urls[] = {"/fapi/v1/exchangeInfo", "/fapi/v3/exchangeInfo"};
	for (size_t i = 0; i < 2; i++) {
		struct http_answer a;
		get_ok(s.port, urls[i], &a);
		cr_assert_not_null(strstr(a.headers, "content-type: application/json"), "%s", a.headers);
		parse_body(&a, NULL);
		cr_assert_eq(parsed.type, EV_EXCHANGE_INFO);
		cr_assert_eq((int)parsed.u.info.nsymbols, want);
		free(a.body);
	}
	cr_assert_eq(serve_stop(&s), 130);
}

/* A book side rebuilt by the test: absolute quantities, 0 removes. */
struct side {
	level_t lv[20000];
	uint32_t n;
};

static void side_set(struct side *s, level_t l, bool bids)
{
	uint32_t i = 0;
	while (i < s->n && (bids ? s->lv[i].price > l.price : s->lv[i].price < l.price))
		i++;
	bool here = i < s->n && s->lv[i].price == l.price;
	if (here && l.qty == 0) {
		memmove(s->lv + i, s->lv + i + 1, (--s->n - i) * sizeof(level_t));
	} else if (here) {
		s->lv[i].qty = l.qty;
	} else if (l.qty != 0) {
		cr_assert_lt(s->n, 20000);
		memmove(s->lv + i + 1, s->lv + i, (s->n++ - i) * sizeof(level_t));
		s->lv[i] = l;
	}
}

static struct side bids, asks;

/* BTCUSDT's book in the recording after the depth event with id `last`. */
static void book_at(int64_t last)
{
	char err[REC_ERR_MAX];
	const char *paths[] = {SYNTH};
	replay *rp = replay_open(paths, 1, err);
	ev_t ev;
	bool found = false;
	bids.n = asks.n = 0;
	while (!found && replay_next(rp, &ev) == 1) {
		if (strcmp(ev.symbol, "BTCUSDT") ||
		    (ev.type != EV_DEPTH_SNAPSHOT && ev.type != EV_DEPTH_UPDATE))
			continue;
		if (ev.type == EV_DEPTH_SNAPSHOT)
			bids.n = asks.n = 0;
		for (uint32_t i = 0; i < ev.u.depth.nbids; i++)
			side_set(&bids, ev.u.depth.bids[i], true);
		for (uint32_t i = 0; i < ev.u.depth.nasks; i++)
			side_set(&asks, ev.u.depth.asks[i], false);
		found = ev.u.depth.last_id == last;
	}
	replay_close(rp);
	cr_assert(found, "no depth event with u=%lld in the recording", (long long)last);
}

static void same_side(const struct side *want, const level_t *got, uint32_t n, const char *what)
{
	uint32_t expect = want->n < 1000 ? want->n : 1000;
	cr_assert_eq(n, expect, "%s: %u levels, the recording's book has %u", what, n, expect);
	cr_assert(same_levels(got, want->lv, n), "%s differ", what);
}

Test(rest, depth_is_the_book_as_of_the_replay, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@depth"));
	cr_assert(wsc_wait(&c, 20, 10000));
	struct http_answer a;
	get_ok(s.port, "/fapi/v1/depth?symbol=BTCUSDT&limit=1000", &a);
	parse_body(&a, "BTCUSDT");
	cr_assert_eq(parsed.type, EV_DEPTH_SNAPSHOT);
	cr_assert_str_eq(parsed.symbol, "BTCUSDT");
	cr_assert_gt(parsed.u.depth.last_id, 0);
	book_at(parsed.u.depth.last_id);
	cr_log_info("book at u=%lld: %u bids, %u asks", (long long)parsed.u.depth.last_id,
	            parsed.u.depth.nbids, parsed.u.depth.nasks);
	same_side(&bids, parsed_bids, parsed.u.depth.nbids, "bids");
	same_side(&asks, parsed_asks, parsed.u.depth.nasks, "asks");
	free(a.body);
	get_ok(s.port, "/fapi/v3/depth?symbol=BTCUSDT&limit=5", &a);
	parse_body(&a, "BTCUSDT");
	cr_assert_eq(parsed.u.depth.nbids, 5);
	free(a.body);
	wsc_free(&c);
	cr_assert_eq(serve_stop(&s), 130);
}

static cJSON *get_json(int port, const char *path)
{
	struct http_answer a;
	get_ok(port, path, &a);
	cJSON *j = cJSON_Parse(a.body);
	cr_assert_not_null(j, "GET %s: not JSON: %.200s", path, a.body);
	free(a.body);
	return j;
}

static void has_string(const cJSON *o, const char *key)
{
	cr_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key)), "no string %s", key);
}

Test(rest, market_endpoints_answer_binance_shapes, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --speed 20 " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@markPrice"));
	cr_assert(wsc_wait(&c, 5, 10000));
	wsc_free(&c);
	cJSON *j = get_json(s.port, "/fapi/v1/ping");
	cr_assert(cJSON_IsObject(j) && !j->child);
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/time");
	cr_assert_geq(cJSON_GetObjectItem(j, "serverTime")->valuedouble, 1768176000000.0);
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/premiumIndex?symbol=BTCUSDT");
	has_string(j, "markPrice");
	has_string(j, "lastFundingRate");
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/premiumIndex");
	cr_assert_eq(cJSON_GetArraySize(j), 3);
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/ticker/bookTicker?symbol=ETHUSDT");
	has_string(j, "bidPrice");
	has_string(j, "askQty");
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/ticker/price?symbol=SOLUSDT");
	has_string(j, "price");
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/aggTrades?symbol=BTCUSDT&limit=5");
	cr_assert_eq(cJSON_GetArraySize(j), 5);
	has_string(cJSON_GetArrayItem(j, 0), "p");
	cr_assert(cJSON_IsBool(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "m")));
	cJSON_Delete(j);
	j = get_json(s.port, "/fapi/v1/klines?symbol=BTCUSDT&interval=1m");
	cr_assert_geq(cJSON_GetArraySize(j), 1);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetArrayItem(j, 0)), 12);
	cJSON_Delete(j);
	/* from a start, the first bar: the recording's first minute */
	j = get_json(s.port, "/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=0&limit=1");
	cr_assert_eq(cJSON_GetArraySize(j), 1);
	cr_assert_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(j, 0), 0)->valuedouble, 1768176000000.0);
	cr_assert_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(j, 0), 6)->valuedouble,
	             1768176000000.0 + 300000 - 1);
	cJSON_Delete(j);
	cr_assert_eq(serve_stop(&s), 130);
}

static void expect_error(int port, const char *path, int status, const char *body)
{
	struct http_answer a;
	http_get(port, path, &a);
	cr_assert_eq(a.status, status, "GET %s: %d %s", path, a.status, a.body);
	cr_assert_str_eq(a.body, body, "GET %s", path);
	free(a.body);
}

Test(rest, bad_input_gets_binance_errors, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 " SYNTH);
	expect_error(s.port, "/fapi/v1/depth?symbol=NOPEUSDT", 400,
	             "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
	expect_error(s.port, "/fapi/v3/premiumIndex?symbol=btcusdt", 400,
	             "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
	expect_error(s.port, "/fapi/v1/depth", 400,
	             "{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent, was "
	             "empty/null, or malformed.\"}");
	expect_error(s.port, "/fapi/v1/depth?symbol=BTCUSDT&limit=7", 400,
	             "{\"code\":-1130,\"msg\":\"Data sent for parameter 'limit' is not valid.\"}");
	expect_error(s.port, "/fapi/v1/klines?symbol=BTCUSDT&interval=7m", 400,
	             "{\"code\":-1120,\"msg\":\"Invalid interval.\"}");
	expect_error(s.port, "/fapi/v1/aggTrades?symbol=BTCUSDT&limit=x", 400,
	             "{\"code\":-1130,\"msg\":\"Data sent for parameter 'limit' is not valid.\"}");
	struct http_answer a;
	http_get(s.port, "/fapi/v1/income", &a); /* not served */
	cr_assert_eq(a.status, 404);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(rest, faults_answer_503_429_and_late, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --rest-fail-rate 1 " SYNTH);
	struct http_answer a;
	http_get(s.port, "/fapi/v1/ping", &a);
	cr_assert_eq(a.status, 503);
	cr_assert_not_null(strstr(a.body, "\"code\":-1001"));
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);

	serve_start(&s, dir, "--port 0 --rest-429-rate 1 " SYNTH);
	http_get(s.port, "/fapi/v1/ping", &a);
	cr_assert_eq(a.status, 429);
	cr_assert_not_null(strstr(a.headers, "retry-after: 1"), "%s", a.headers);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);

	serve_start(&s, dir, "--port 0 --rest-delay-ms 300 " SYNTH);
	int64_t t0 = test_now_ms();
	get_ok(s.port, "/fapi/v1/time", &a);
	cr_assert_geq(test_now_ms() - t0, 300);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

/* Clients open connections ahead of need (hunter's own lanes for orders do):
 * one closed before its first request must leave the server serving. */
Test(rest, a_connection_closed_before_any_request, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 " SYNTH);
	for (int i = 0; i < 3; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
		usleep(50000);
		close(fd);
	}
	usleep(100000);
	struct http_answer a;
	get_ok(s.port, "/fapi/v1/ping", &a);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}
