/*
 * bench_live.c - what `hunter live` costs per signal and in memory,
 * against `hunter serve` on loopback.
 *
 * Tick to order: a liquidation frame, as the stream delivers it, parsed
 * (aster/), given to the session (engine: window, signal, sizing), placed
 * through the Aster client (encode, sign, hand to libcurl, which writes it
 * on the kept-alive connection before returning): the time from the frame
 * to the order's bytes on the socket, for V1 and V3. Each frame fires an
 * entry; time moves two seconds between frames so that the previous
 * entries expire (that work is done before the clock starts).
 *
 * Memory: `hunter live` itself trading 10 symbols of the liquidation
 * fixture (and every symbol's liquidations) for 20 s at 50x speed; its
 * peak resident set (VmHWM).
 *
 *   bench_live [FRAMES] [LIQ_RECORDING]   default 2000 frames, the fixture
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "aster.h"
#include "bench.h"
#include "bench_accounts.h"
#include "config.h"
#include "journal.h"
#include "session.h"

static const char *const syms[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
#define NSYMS 3

/* Settings that fire on every liquidation: tiny thresholds, no cooldown,
 * entries of 6 USDT that expire after a second. */
static const char settings_json[] =
	"{\"globals\":{\"hedge_mode\":false,\"order_ttl_seconds\":1,"
	"\"max_open_orders_per_symbol\":200,\"max_total_exposure_usdt\":1000000},\"symbols\":{"
	"\"BTCUSDT\":{\"volume_threshold\":1,\"leverage\":1,\"trade_value_usdt\":6,"
	"\"max_position_usdt\":1000000,\"price_offset_pct\":1},"
	"\"ETHUSDT\":{\"volume_threshold\":1,\"leverage\":1,\"trade_value_usdt\":6,"
	"\"max_position_usdt\":1000000,\"price_offset_pct\":1},"
	"\"SOLUSDT\":{\"volume_threshold\":1,\"leverage\":1,\"trade_value_usdt\":6,"
	"\"max_position_usdt\":1000000,\"price_offset_pct\":1}}}";

/* ---- one GET at start, waited for ---- */

struct got {
	bool done;
	char *body;
	size_t len;
};

static void on_get(void *ctx, const struct net_reply *a)
{
	struct got *g = ctx;
	g->done = true;
	if (a->status == 200 && (g->body = malloc(a->len + 1))) {
		memcpy(g->body, a->body, a->len + 1);
		g->len = a->len;
	}
}

static char *get(net_loop *l, const char *url, size_t *len)
{
	struct got g = {0};
	char err[NET_ERR_MAX];
	if (net_http_get(l, url, 5000, on_get, &g, err) < 0)
		return NULL;
	while (!g.done)
		net_loop_run(l, 20);
	*len = g.len;
	return g.body;
}

/* ---- the session under test ---- */

struct rig {
	net_loop *loop;
	session_t *ss;
	journal_t *journal;
	xa_client *client;
	ev_t quotes[NSYMS]; /* the served quotes, given again before each frame */
	struct settings s;
	aster_parser_t *parser;
	char rest[64];
};

static int to_session(void *ctx, const ev_t *ev)
{
	struct rig *r = ctx;
	if (ev->type == EV_EXCHANGE_INFO) /* its server time starts the session's clock */
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			session_set_rules(r->ss, &ev->u.info.symbols[i]);
	session_on_market(r->ss, ev);
	return 0;
}

/* A served REST answer, parsed into the session. */
static int feed_rest(struct rig *r, const char *path, const char *symbol)
{
	char url[256];
	size_t len;
	snprintf(url, sizeof url, "%s%s", r->rest, path);
	char *body = get(r->loop, url, &len);
	struct aster_ctx actx = {.symbol = symbol};
	struct aster_result res;
	int rc = body && aster_parse(r->parser, body, len, &actx, to_session, r, &res) >= 0 ? 0 : -1;
	if (rc)
		fprintf(stderr, "bench_live: %s: %s\n", path, body ? res.err : "no answer");
	free(body);
	return rc;
}

/* The served best bid and ask of `symbol`, as a bookTicker event. */
static int feed_quote(struct rig *r, int i)
{
	const char *symbol = syms[i];
	char url[160];
	size_t len;
	snprintf(url, sizeof url, "%s/fapi/v1/ticker/bookTicker?symbol=%s", r->rest, symbol);
	char *body = get(r->loop, url, &len);
	cJSON *j = body ? cJSON_Parse(body) : NULL;
	free(body);
	const char *bid = cJSON_GetStringValue(cJSON_GetObjectItem(j, "bidPrice"));
	const char *ask = cJSON_GetStringValue(cJSON_GetObjectItem(j, "askPrice"));
	const char *why;
	ev_t ev = {.type = EV_BOOK_TICKER, .exch_ms = session_now(r->ss) + 1};
	snprintf(ev.symbol, sizeof ev.symbol, "%s", symbol);
	ev.u.book = (struct ev_book_ticker){1, ev.exch_ms, 0, DEC(1), 0, DEC(1)};
	int rc = bid && ask && !dec_parse(bid, strlen(bid), &ev.u.book.bid, &why) &&
	                 !dec_parse(ask, strlen(ask), &ev.u.book.ask, &why)
	                 ? 0 : -1;
	cJSON_Delete(j);
	r->quotes[i] = ev;
	return rc;
}

static int rig_start(struct rig *r, int port, bool v3, const char *db, char *err, size_t cap)
{
	struct config_diag d;
	struct live_settings ls;
	struct sim_params sim;
	char ws[64];
	struct journal_run run = {"live", settings_json, strlen(settings_json), NULL, 0, false, 0, false};
	snprintf(r->rest, sizeof r->rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	if (config_load_text(settings_json, strlen(settings_json), &r->s, &ls, &sim, &d) < 0 ||
	    !(r->journal = journal_create(db, &run, err, cap)) ||
	    !(r->loop = net_loop_new(NULL, err)) || !(r->parser = aster_parser_new()) ||
	    !(r->ss = session_new(&r->s, r->journal))) {
		snprintf(err, cap, "cannot set up the session");
		return -1;
	}
	struct xa_creds cr;
	bench_creds(&cr, v3);
	struct xa_client_opts o = {.rest_url = r->rest, .ws_url = ws, .creds = &cr};
	xa_client *c = r->client = xa_client_new(r->loop, &o, session_sink(r->ss), err, cap);
	if (!c || xa_client_start(c, err, cap) < 0)
		return -1;
	exchange_t x = xa_client_exchange(c);
	if (session_attach(r->ss, &x, NULL, NULL))
		return snprintf(err, cap, "attach failed: %s", xa_client_last_error(c)), -1;
	if (feed_rest(r, "/fapi/v1/exchangeInfo", NULL) < 0)
		return -1;
	for (int i = 0; i < NSYMS; i++)
		if (feed_quote(r, i) < 0)
			return snprintf(err, cap, "no quote for %s", syms[i]), -1;
	return 0;
}

static void rig_stop(struct rig *r)
{
	session_free(r->ss);
	journal_commit(r->journal);
	journal_close(r->journal);
	aster_parser_free(r->parser);
	net_loop_free(r->loop);
	config_free(&r->s);
}

/* A forceOrder frame: a long of `symbol` liquidated at `ms`, big enough
 * to pass any threshold. */
static size_t frame(char *buf, size_t cap, const char *symbol, int64_t ms)
{
	ev_t ev = {.type = EV_LIQUIDATION, .exch_ms = ms};
	snprintf(ev.symbol, sizeof ev.symbol, "%s", symbol);
	ev.u.liq = (struct ev_liquidation){SIDE_SELL, OT_LIMIT, TIF_IOC, OS_FILLED, DEC(1), DEC(10),
	                                   DEC(10), DEC(1), DEC(1), ms};
	return aster_format(&ev, buf, cap);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int tick_to_order(int port, bool v3, int n, const char *work)
{
	struct rig r = {0};
	char err[512], text[1024], db[PATH_MAX];
	double *lat = calloc((size_t)n, sizeof *lat);
	snprintf(db, sizeof db, "%s/bench-%d.db", work, v3 ? 3 : 1);
	if (!lat || rig_start(&r, port, v3, db, err, sizeof err) < 0) {
		fprintf(stderr, "bench_live: %s\n", err);
		free(lat);
		return -1;
	}
	int64_t ms = session_now(r.ss) + 1000;
	for (int i = 0; i < n; i++, ms += 2000) {
		size_t len = frame(text, sizeof text, syms[i % NSYMS], ms);
		/* the expired entries' cancels and a fresh quote: not measured */
		ev_t *q = &r.quotes[i % NSYMS];
		q->exch_ms = q->u.book.tx_ms = ms - 1;
		q->u.book.update_id++;
		session_on_market(r.ss, q);
		double t0 = bench_now();
		struct aster_result res;
		aster_parse(r.parser, text, len, NULL, to_session, &r, &res);
		lat[i] = (bench_now() - t0) * 1e6;
		net_loop_run(r.loop, 1); /* answers */
	}
	struct xa_client_stats st;
	xa_client_get_stats(r.client, &st);
	if (st.orders_sent < (uint64_t)n) { /* every frame must have placed an entry */
		fprintf(stderr, "bench_live: %d frames placed %llu orders\n", n,
		        (unsigned long long)st.orders_sent);
		free(lat);
		rig_stop(&r);
		return -1;
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp);
	printf("%s: %d liquidation frames, frame -> order on the socket: p50 %.1f us, p99 %.1f us\n",
	       v3 ? "V3" : "V1", n, lat[n / 2], lat[(int)fmin(n - 1, floor(n * 0.99))]);
	free(lat);
	rig_stop(&r);
	return 0;
}

/* ---- memory of hunter live itself ---- */

static const char ten_symbols[] =
	"{\"globals\":{\"hedge_mode\":true},\"symbols\":{"
	"\"BTCUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},\"ETHUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},"
	"\"SOLUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},\"DOGEUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},"
	"\"BNBUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},\"XRPUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},"
	"\"ADAUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},\"LINKUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},"
	"\"AVAXUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10},\"SUIUSDT\":{\"volume_threshold\":2000,\"trade_value_usdt\":10}}}";

static long peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static int live_memory(const char *liq, const char *work)
{
	char settings[PATH_MAX], out[PATH_MAX], rest[64], ws[64];
	int port;
	snprintf(settings, sizeof settings, "%s/ten.json", work);
	snprintf(out, sizeof out, "%s/live", work);
	FILE *f = fopen(settings, "w");
	if (!f)
		return -1;
	fputs(ten_symbols, f);
	fclose(f);
	const char *args[] = {liq, "--speed", "50", "--loop", "--accounts", NULL, NULL};
	char accounts[PATH_MAX];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", work);
	args[5] = accounts;
	pid_t server = start_server(args, work, &port);
	if (server < 0)
		return -1;
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	setenv("ASTER_API_KEY", BENCH_V1_KEY, 1);
	setenv("ASTER_API_SECRET", BENCH_V1_SECRET, 1);
	char *argv[] = {hunter, "live", "--settings", settings, "--out", out, "--rest-url", rest,
	                "--ws-url", ws, NULL};
	pid_t live = spawn(argv, -1);
	sleep(20);
	long kb = peak_rss_kb(live);
	kill(live, SIGTERM);
	int st;
	waitpid(live, &st, 0);
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	if (kb < 0)
		return -1;
	printf("hunter live trading 10 symbols (and every liquidation) for 20 s at 50x: peak RSS"
	       " %.1f MB, exit %d\n", (double)kb / 1024, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	char work[] = "/tmp/bench-live-XXXXXX", rec[PATH_MAX];
	int port;
	if (find_hunter() < 0 || !mkdtemp(work) || n <= 0) {
		fprintf(stderr, "usage: bench_live [FRAMES] [LIQ_RECORDING] (beside the hunter build)\n");
		return 2;
	}
	int rc = bench_recording(NULL, work, 20000, rec);
	pid_t server = rc ? -1 : bench_trading_server(rec, work, &port);
	if (server < 0)
		rc = -1;
	else
		rc = tick_to_order(port, false, n, work) | tick_to_order(port, true, n, work);
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	if (!rc && argc > 2)
		rc = live_memory(argv[2], work);
	if (!getenv("BENCH_KEEP"))
		remove_work(work);
	else
		fprintf(stderr, "kept %s\n", work);
	return rc ? 1 : 0;
}
