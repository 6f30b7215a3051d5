/*
 * fixture_server.c - the loopback stand-in described in fixture_server.h:
 * one lws vhost whose first protocol answers the REST paths and serves the
 * WebSocket, a timer that asks every connection to write its next frame,
 * and counters the test thread reads under a mutex.
 */
#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture_server.h"

#define BODY_MAX 4096

struct fixture {
	struct fixture_opts o;
	struct lws_context *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	atomic_int stop;
	int port;
	uint64_t next;      /* the next frame's index k, across connections */
	uint64_t sent, conns;
	uint64_t depth_n;   /* depth updates so far */
	int64_t last_u;     /* u of the last depth update sent */
	lws_sorted_usec_list_t tick;
};

/* Per connection: an HTTP answer waiting to be written, or a stream's count. */
struct session {
	char body[LWS_PRE + BODY_MAX];
	size_t len;
	int sent;
};

enum fixture_kind fixture_kind_of(uint64_t k)
{
	return (enum fixture_kind)(k % FX_KINDS);
}

int64_t fixture_agg_price(uint64_t k)
{
	return 10000000000LL + (int64_t)(k % 1000) * 1000000LL;
}

int64_t fixture_agg_qty(uint64_t k)
{
	return (int64_t)(k % 7 + 1) * 100000LL;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "100.05" from a decimal in 1e-8 units */
static void dec(char *buf, size_t cap, int64_t v)
{
	snprintf(buf, cap, "%lld.%08lld", (long long)(v / 100000000), (long long)(v % 100000000));
}

static int depth_frame(struct fixture *f, char *out, size_t cap, int64_t e)
{
	int64_t pu = f->last_u;
	if (f->o.skip_depth && ++f->depth_n % (uint64_t)f->o.skip_depth == 0)
		pu += 5; /* as if an update were lost: pu no longer matches the last u */
	int64_t first = pu + 1;
	f->last_u = first + 4;
	return snprintf(out, cap, "{\"stream\":\"btcusdt@depth\",\"data\":{\"e\":\"depthUpdate\","
	                          "\"E\":%lld,\"T\":%lld,\"s\":\"BTCUSDT\",\"U\":%lld,\"u\":%lld,"
	                          "\"pu\":%lld,\"b\":[[\"100.0\",\"1.5\"]],\"a\":[[\"100.1\",\"0\"]]}}",
	                (long long)e, (long long)e, (long long)first, (long long)f->last_u,
	                (long long)pu);
}

/* Frame k of the stream, stamped now. */
static int make_frame(struct fixture *f, uint64_t k, char *out, size_t cap)
{
	int64_t e = now_ms();
	char p[32], q[32];
	dec(p, sizeof p, fixture_agg_price(k));
	dec(q, sizeof q, fixture_agg_qty(k));
	if (f->o.bad_every && k % (uint64_t)f->o.bad_every == (uint64_t)f->o.bad_every - 1)
		return snprintf(out, cap, "{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\","
		                          "\"E\":%lld,\"s\":\"BTCUSDT\",\"p\":1}}", (long long)e);
	switch (fixture_kind_of(k)) {
	case FX_AGG:
		return snprintf(out, cap, "{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\","
		                          "\"E\":%lld,\"s\":\"BTCUSDT\",\"a\":%llu,\"p\":\"%s\",\"q\":\"%s\","
		                          "\"f\":%llu,\"l\":%llu,\"T\":%lld,\"m\":%s}}",
		                (long long)e, (unsigned long long)k, p, q, (unsigned long long)k,
		                (unsigned long long)k, (long long)e, k % 2 ? "true" : "false");
	case FX_BOOK:
		return snprintf(out, cap, "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\","
		                          "\"u\":%llu,\"E\":%lld,\"T\":%lld,\"s\":\"BTCUSDT\",\"b\":\"%s\","
		                          "\"B\":\"1\",\"a\":\"101\",\"A\":\"2\"}}",
		                (unsigned long long)k, (long long)e, (long long)e, p);
	case FX_DEPTH:
		return depth_frame(f, out, cap, e);
	case FX_MARK:
		return snprintf(out, cap, "{\"stream\":\"btcusdt@markPrice\",\"data\":{\"e\":\"markPriceUpdate\","
		                          "\"E\":%lld,\"s\":\"BTCUSDT\",\"p\":\"%s\",\"i\":\"100\",\"P\":\"100\","
		                          "\"r\":\"0.0001\",\"T\":%lld}}", (long long)e, p, (long long)e);
	default:
		return snprintf(out, cap, "{\"stream\":\"!forceOrder@arr\",\"data\":{\"e\":\"forceOrder\","
		                          "\"E\":%lld,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\","
		                          "\"f\":\"IOC\",\"q\":\"%s\",\"p\":\"%s\",\"ap\":\"%s\",\"X\":\"FILLED\","
		                          "\"l\":\"%s\",\"z\":\"%s\",\"T\":%lld}}}",
		                (long long)e, q, p, p, q, q, (long long)e);
	}
}

static const char info_body[] =
	"{\"timezone\":\"UTC\",\"serverTime\":%lld,\"symbols\":[{\"symbol\":\"BTCUSDT\","
	"\"status\":\"TRADING\",\"pricePrecision\":1,\"quantityPrecision\":3,\"filters\":["
	"{\"filterType\":\"PRICE_FILTER\",\"tickSize\":\"0.1\",\"minPrice\":\"1\",\"maxPrice\":\"1000000\"},"
	"{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"0.001\",\"minQty\":\"0.001\",\"maxQty\":\"1000\"}]}]}";

/* The REST answer for `uri`, into the session; the HTTP status. */
static int rest_answer(struct fixture *f, struct lws *wsi, const char *uri, struct session *s)
{
	char *b = s->body + LWS_PRE;
	char arg[64];
	const char *sym = lws_get_urlarg_by_name(wsi, "symbol=", arg, sizeof arg);
	int n = 0;
	if (!strcmp(uri, "/fapi/v1/exchangeInfo"))
		n = snprintf(b, BODY_MAX, info_body, (long long)now_ms());
	else if (!strcmp(uri, "/fapi/v1/depth") && sym && !strcmp(sym, "BTCUSDT"))
		n = snprintf(b, BODY_MAX, "{\"lastUpdateId\":%lld,\"E\":%lld,\"T\":%lld,\"bids\":"
		                          "[[\"99.9\",\"3\"]],\"asks\":[[\"100.2\",\"4\"]]}",
		             (long long)f->last_u, (long long)now_ms(), (long long)now_ms());
	s->len = n > 0 ? (size_t)n : (size_t)snprintf(b, BODY_MAX, "{\"code\":-1121,\"msg\":\"no\"}");
	return n > 0 ? HTTP_STATUS_OK : HTTP_STATUS_NOT_FOUND;
}

static int on_http(struct fixture *f, struct lws *wsi, struct session *s, const char *uri)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr;
	pthread_mutex_lock(&f->mu);
	int status = rest_answer(f, wsi, uri, s);
	pthread_mutex_unlock(&f->mu);
	if (lws_add_http_common_headers(wsi, (unsigned)status, "application/json", s->len, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int on_writeable_ws(struct fixture *f, struct lws *wsi, struct session *s)
{
	if (f->o.drop_after && s->sent >= f->o.drop_after)
		return -1; /* hang up without a close frame, as a network failure would */
	char buf[LWS_PRE + 1024];
	pthread_mutex_lock(&f->mu);
	int n = make_frame(f, f->next++, buf + LWS_PRE, sizeof buf - LWS_PRE);
	f->sent++;
	pthread_mutex_unlock(&f->mu);
	s->sent++;
	return lws_write(wsi, (unsigned char *)buf + LWS_PRE, (size_t)n, LWS_WRITE_TEXT) < n ? -1 : 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	struct fixture *f = lws_context_user(lws_get_context(wsi));
	struct session *s = user;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(f, wsi, s, in);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (lws_write(wsi, (unsigned char *)s->body + LWS_PRE, s->len, LWS_WRITE_HTTP_FINAL) <
		    (int)s->len)
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_ESTABLISHED:
		pthread_mutex_lock(&f->mu);
		f->conns++;
		pthread_mutex_unlock(&f->mu);
		s->sent = 0;
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return on_writeable_ws(f, wsi, s);
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{"fixture", callback, sizeof(struct session), 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void tick(lws_sorted_usec_list_t *sul)
{
	struct fixture *f = lws_container_of(sul, struct fixture, tick);
	lws_callback_on_writable_all_protocol(f->ctx, &protocols[0]);
	lws_sul_schedule(f->ctx, 0, &f->tick, tick, (lws_usec_t)f->o.interval_ms * 1000);
}

static void *run(void *arg)
{
	struct fixture *f = arg;
	lws_sul_schedule(f->ctx, 0, &f->tick, tick, (lws_usec_t)f->o.interval_ms * 1000);
	while (!f->stop)
		lws_service(f->ctx, 0);
	return NULL;
}

struct fixture *fixture_start(const struct fixture_opts *o)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	f->o = *o;
	if (!f->o.interval_ms)
		f->o.interval_ms = 5;
	pthread_mutex_init(&f->mu, NULL);
	lws_set_log_level(0, NULL);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.user = f;
	if (o->cert) {
		info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = o->cert;
		info.ssl_private_key_filepath = o->key;
	}
	f->ctx = lws_create_context(&info);
	if (!f->ctx)
		return NULL;
	f->port = lws_get_vhost_listen_port(lws_get_vhost_by_name(f->ctx, "default"));
	pthread_create(&f->thread, NULL, run, f);
	return f;
}

int fixture_port(const struct fixture *f)
{
	return f->port;
}

static uint64_t read_locked(struct fixture *f, const uint64_t *v)
{
	pthread_mutex_lock(&f->mu);
	uint64_t n = *v;
	pthread_mutex_unlock(&f->mu);
	return n;
}

uint64_t fixture_sent(struct fixture *f)
{
	return read_locked(f, &f->sent);
}

uint64_t fixture_conns(struct fixture *f)
{
	return read_locked(f, &f->conns);
}

void fixture_stop(struct fixture *f)
{
	f->stop = 1;
	lws_cancel_service(f->ctx);
	pthread_join(f->thread, NULL);
	lws_context_destroy(f->ctx);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
