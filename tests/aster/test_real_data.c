/* The parser against real captured data (../shared/data/real): every frame
 * of the cryptofeed and hftbacktest recordings, their REST snapshots, two
 * real exchangeInfo bodies and the nautilus_trader payload fixtures. Every
 * event that comes out is also formatted and parsed back (check_roundtrip). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support.h"
#include "support.h"

/* "1626992741.06217" -> ns since the epoch */
static int64_t seconds_to_ns(const char *s)
{
	char *end;
	int64_t ns = strtoll(s, &end, 10) * 1000000000;
	if (*end == '.') {
		int64_t scale = 100000000;
		for (end++; *end >= '0' && *end <= '9' && scale; end++, scale /= 10)
			ns += (*end - '0') * scale;
	}
	return ns;
}

struct tally {
	size_t events, by_type[EV__COUNT], ignored;
	aster_parser_t *p;
};

static int tally_sink(void *ctx, const ev_t *ev)
{
	struct tally *t = ctx;
	check_roundtrip(ev);
	t->events++;
	t->by_type[ev->type]++;
	return 0;
}

/* Parses one frame that must be valid; counts what came out. */
static void feed(struct tally *t, const char *json, size_t len, const struct aster_ctx *ctx,
                 const char *where)
{
	struct aster_result r;
	aster_parse(t->p, json, len, ctx, tally_sink, t, &r);
	cr_assert_neq(r.status, ASTER_ERROR, "%s: %s", where, r.err);
	t->ignored += r.status == ASTER_IGNORED;
}

/* BINANCE_FUTURES.ws.1.0: the combined-stream URL, then "<ts>: <json>". */
Test(real_data, cryptofeed_ws_capture_every_line)
{
	char *text = real_file("cryptofeed__sample_data/BINANCE_FUTURES.ws.1.0", NULL);
	struct tally t = {.p = aster_parser_new()};
	size_t lines = 0;
	char *line = strchr(text, '\n') + 1; /* the URL line */
	for (char *next; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		char *json = strstr(line, ": ");
		cr_assert(json && json < next, "line %zu has no timestamp", lines + 2);
		json += 2;
		struct aster_ctx ctx = {.recv_ns = seconds_to_ns(line)};
		char where[32];
		snprintf(where, sizeof where, "ws line %zu", lines + 2);
		feed(&t, json, (size_t)(next - json), &ctx, where);
		lines++;
	}
	cr_assert_eq(lines, 1535);
	cr_assert_eq(t.by_type[EV_DEPTH_UPDATE], 764);
	cr_assert_eq(t.by_type[EV_BOOK_TICKER], 613);
	cr_assert_eq(t.by_type[EV_AGG_TRADE], 91);
	cr_assert_eq(t.ignored, 67, "kline_1m frames are ignored");
	cr_assert_eq(t.events, 764 + 613 + 91);
	aster_parser_free(t.p);
	free(text);
}

/* BINANCE_FUTURES.http.0.0: "<url> -> <ts>: <depth body>"; the symbol is in
 * the URL only. */
Test(real_data, cryptofeed_depth_snapshots)
{
	char *text = real_file("cryptofeed__sample_data/BINANCE_FUTURES.http.0.0", NULL);
	aster_parser_t *p = aster_parser_new();
	struct evlist l = {0};
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char sym[SYMBOL_MAX];
		cr_assert_eq(sscanf(strstr(line, "symbol="), "symbol=%23[A-Z]", sym), 1);
		char *json = strstr(line, ": ") + 2;
		struct aster_ctx ctx = {.symbol = sym,
		                        .recv_ns = seconds_to_ns(strstr(line, "-> ") + 3)};
		struct aster_result r;
		aster_parse(p, json, strlen(json), &ctx, evlist_sink, &l, &r);
		cr_assert_eq(r.status, ASTER_EVENTS, "%s: %s", sym, r.err);
	}
	cr_assert_eq(l.n, 4);
	const ev_t *s = &l.v[0];
	cr_assert_eq(s->type, EV_DEPTH_SNAPSHOT);
	cr_assert_str_eq(s->symbol, "SUSHIUSDT");
	cr_assert_eq(s->u.depth.last_id, 600859605926);
	cr_assert_eq(s->exch_ms, 1626992741264);
	cr_assert_eq(s->u.depth.tx_ms, 1626992741261);
	cr_assert_eq(s->recv_ns, 1626992741301402000);
	cr_assert_eq(s->u.depth.nbids, 1000);
	cr_assert_eq(s->u.depth.nasks, 1000);
	cr_assert_eq(s->u.depth.bids[0].price, 761100000);
	cr_assert_eq(s->u.depth.bids[0].qty, DEC(6));
	cr_assert_str_eq(l.v[3].symbol, "CTKUSDT");
	cr_assert_eq(l.v[3].u.depth.nbids, 485);
	cr_assert_eq(l.v[3].u.depth.nasks, 744);
	for (size_t i = 0; i < l.n; i++)
		check_roundtrip(&l.v[i]);
	evlist_free(&l);
	aster_parser_free(p);
	free(text);
}

static const struct symbol_rules *find_rules(const ev_t *e, const char *sym)
{
	for (uint32_t i = 0; i < e->u.info.nsymbols; i++)
		if (!strcmp(e->u.info.symbols[i].symbol, sym))
			return &e->u.info.symbols[i];
	cr_assert_fail("%s not in exchangeInfo", sym);
	return NULL;
}

static uint32_t trading_count(const ev_t *e)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < e->u.info.nsymbols; i++)
		n += e->u.info.symbols[i].trading;
	return n;
}

/* asterdex__api-demo-node: a real Aster answer, 290 symbols. */
Test(real_data, aster_exchange_info)
{
	char *text = real_file("asterdex__api-demo-node/exchangeInfo-response.json", NULL);
	struct evlist l = {0};
	struct aster_result r = parse_text(text, NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	cr_assert_str_eq(r.what, "exchangeInfo");
	const ev_t *e = &l.v[0];
	cr_assert_eq(e->type, EV_EXCHANGE_INFO);
	cr_assert_eq(e->exch_ms, e->u.info.server_ms);
	cr_assert_eq(e->u.info.nsymbols, 290);
	cr_assert_eq(trading_count(e), 221);
	const struct symbol_rules *b = find_rules(e, "BTCUSDT");
	cr_assert(b->trading);
	cr_assert_eq(b->tick, 10000000, "tick 0.1");
	cr_assert_eq(b->step, 100000, "step 0.001");
	cr_assert_eq(b->min_notional, DEC(5));
	cr_assert_eq(b->max_orders, 200);
	cr_assert_eq(b->max_algo_orders, 10);
	cr_assert_eq(b->market_min_qty, 100000);
	for (uint32_t i = 0; i < e->u.info.nsymbols; i++) {
		const struct symbol_rules *s = &e->u.info.symbols[i];
		cr_assert_eq(s->min_notional, DEC(5), "%s", s->symbol);
		/* a symbol not yet trading may have tickSize "0" (WIFUSDT here) */
		cr_assert(!s->trading || (s->tick > 0 && s->step > 0 && s->percent_up > DEC(1)),
		          "%s", s->symbol);
	}
	check_roundtrip(e);
	evlist_free(&l);
	free(text);
}

/* BINANCE_FUTURES.0 line 1: "<url> -> <ts>: <exchangeInfo body>" (Binance, 2021) */
Test(real_data, binance_exchange_info)
{
	char *text = real_file("cryptofeed__sample_data/BINANCE_FUTURES.0", NULL);
	*strchr(text, '\n') = '\0';
	struct evlist l = {0};
	struct aster_result r = parse_text(strstr(text, ": ") + 2, NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	const ev_t *e = &l.v[0];
	cr_assert_eq(e->u.info.server_ms, 1626858243909);
	cr_assert_eq(e->u.info.nsymbols, 122);
	cr_assert_eq(trading_count(e), 121);
	const struct symbol_rules *b = find_rules(e, "BTCUSDT");
	cr_assert_eq(b->tick, 1000000, "tick 0.01");
	cr_assert_eq(b->min_price, 55672000000);
	cr_assert_eq(b->maint_margin_pct, 250000000);
	cr_assert_eq(b->required_margin_pct, DEC(5));
	cr_assert_eq(b->liquidation_fee, 1200000);
	cr_assert_eq(b->trigger_protect, 5000000);
	cr_assert_eq(b->market_take_bound, 30000000);
	cr_assert_eq(b->price_precision, 2);
	cr_assert_eq(b->qty_precision, 3);
	check_roundtrip(e);
	evlist_free(&l);
	free(text);
}

/* hftbacktest: gzip text, "<recv_ns> <json>"; read through gzip(1). */
static void hftbacktest_file(const char *name, const char *symbol, size_t want_lines,
                             size_t want_depth, size_t want_trade, size_t want_book)
{
	char cmd[1024];
	test_need_real_data();
	snprintf(cmd, sizeof cmd, "gzip -dc '%s/hftbacktest__examples_usdm/%s'", HUNTER_REAL_DATA,
	         name);
	FILE *f = popen(cmd, "r");
	cr_assert(f, "cannot run %s", cmd);
	struct tally t = {.p = aster_parser_new()};
	char *line = NULL;
	size_t cap = 0, lines = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *json = strchr(line, ' ');
		cr_assert(json, "%s line %zu: no timestamp", name, lines + 1);
		struct aster_ctx ctx = {.recv_ns = strtoll(line, NULL, 10), .symbol = symbol};
		char where[64];
		snprintf(where, sizeof where, "%s line %zu", name, lines + 1);
		feed(&t, json + 1, (size_t)(line + n - json - 1), &ctx, where);
		lines++;
	}
	free(line);
	cr_assert_eq(pclose(f), 0, "gzip failed on %s", name);
	cr_assert_eq(lines, want_lines);
	cr_assert_eq(t.by_type[EV_DEPTH_UPDATE], want_depth);
	cr_assert_eq(t.by_type[EV_TRADE], want_trade);
	cr_assert_eq(t.by_type[EV_BOOK_TICKER], want_book);
	cr_assert_eq(t.by_type[EV_DEPTH_SNAPSHOT], 1);
	cr_assert_eq(t.events, lines);
	aster_parser_free(t.p);
}

Test(real_data, hftbacktest_btcusdt, .timeout = 300)
{
	hftbacktest_file("btcusdt_20240808.gz", "BTCUSDT", 93954, 6551, 21313, 66089);
}

Test(real_data, hftbacktest_ethusdt, .timeout = 300)
{
	hftbacktest_file("ethusdt_20240808.gz", "ETHUSDT", 74655, 6586, 14076, 53992);
}

/* ------------------------------------------------------------------------ */
/* nautilus_trader fixtures: one payload per file                            */
/* ------------------------------------------------------------------------ */

#define NT "nautilus_trader__binance_fixtures/"
#define NT_CRATE NT "crates/adapters/binance/test_data/futures/"
#define NT_RES NT "tests/integration_tests/adapters/binance/resources/"

/* What each fixture is, by a part of its name; every file must match one. */
static const struct {
	const char *name_part;
	enum aster_status status;
	const char *why; /* for errors: a part of the reason */
} nt_expect[] = {
	{"limit_if_touched", ASTER_ERROR, "is longer than 39 characters"},
	{"market_depth", ASTER_EVENTS, NULL},
	{"exchange_info", ASTER_EVENTS, NULL},
	/* REST bodies hunter does not model: not exchange events */
	{"http_", ASTER_ERROR, NULL},
	{"order_update_", ASTER_EVENTS, NULL},
	{"account_update", ASTER_EVENTS, NULL},
	{"agg_trade_stream", ASTER_EVENTS, NULL},
	{"book_ticker", ASTER_EVENTS, NULL},
	{"depth_", ASTER_EVENTS, NULL},
	{"liquidation_stream", ASTER_EVENTS, NULL},
	{"mark_price_stream", ASTER_EVENTS, NULL},
	{"trade_stream", ASTER_EVENTS, NULL},
	{"kline_stream", ASTER_IGNORED, NULL},
	{"ticker", ASTER_IGNORED, NULL},
	{"algo_update", ASTER_IGNORED, NULL},
	{"trade_lite", ASTER_IGNORED, NULL},
	{"", ASTER_ERROR, NULL},
};

static size_t nt_dir(const char *dir, size_t *per_status)
{
	char path[512];
	test_need_real_data();
	snprintf(path, sizeof path, "%s/%s", HUNTER_REAL_DATA, dir);
	DIR *d = opendir(path);
	cr_assert(d, "cannot list %s", path);
	size_t files = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (!strstr(de->d_name, ".json"))
			continue;
		char rel[512];
		snprintf(rel, sizeof rel, "%s%s", dir, de->d_name);
		char *text = real_file(rel, NULL);
		size_t i = 0;
		while (!strstr(de->d_name, nt_expect[i].name_part))
			i++;
		/* the http depth fixture names its symbol in the request only */
		struct aster_ctx ctx = {.symbol = "BTCUSDT"};
		aster_parser_t *p = aster_parser_new();
		struct aster_result r;
		size_t n = 0;
		aster_parse(p, text, strlen(text), &ctx, roundtrip_sink, &n, &r);
		cr_assert_eq(r.status, nt_expect[i].status, "%s: %s (%s)", de->d_name, r.err,
		             r.what);
		if (nt_expect[i].why)
			cr_assert(strstr(r.err, nt_expect[i].why), "%s: %s", de->d_name, r.err);
		cr_assert_eq(n, (size_t)r.nevents);
		per_status[r.status]++;
		aster_parser_free(p);
		free(text);
		files++;
	}
	closedir(d);
	return files;
}

Test(real_data, nautilus_fixtures_every_file)
{
	size_t per[3] = {0};
	size_t files = nt_dir(NT_CRATE "market_data_json/", per) +
	               nt_dir(NT_CRATE "user_data_json/", per) +
	               nt_dir(NT_CRATE "http_json/", per) + nt_dir(NT_RES "ws_messages/", per) +
	               nt_dir(NT_RES "http_responses/", per);
	cr_assert_eq(files, 79);
	cr_log_info("nautilus fixtures: %zu files, %zu events, %zu ignored, %zu refused", files,
	            per[ASTER_EVENTS], per[ASTER_IGNORED], per[ASTER_ERROR]);
	cr_assert_eq(per[ASTER_EVENTS], 31);
	cr_assert_eq(per[ASTER_IGNORED], 12);
	cr_assert_eq(per[ASTER_ERROR], 36,
	             "35 unmodelled REST bodies and one 41-character client id");
}

Test(real_data, nautilus_liquidation_values)
{
	char *text = real_file(NT_CRATE "market_data_json/liquidation_stream.json", NULL);
	struct evlist l = {0};
	struct aster_result r = parse_text(text, NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	const struct ev_liquidation *q = &l.v[0].u.liq;
	cr_assert_str_eq(l.v[0].symbol, "BTCUSDT");
	cr_assert_eq(l.v[0].exch_ms, 1568014460893);
	cr_assert_eq(q->side, SIDE_SELL);
	cr_assert_eq(q->qty, 1400000);
	cr_assert_eq(q->price, DEC(9910));
	cr_assert_eq(q->avg_price, 991012345678);
	cr_assert_eq(q->status, OS_FILLED);
	evlist_free(&l);
	free(text);
}

Test(real_data, nautilus_exchange_info_values)
{
	char *text =
		real_file(NT_RES "http_responses/http_futures_market_exchange_info.json", NULL);
	struct evlist l = {0};
	struct aster_result r = parse_text(text, NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	const struct symbol_rules *b = find_rules(&l.v[0], "BTCUSDT");
	cr_assert_eq(b->tick, 10000000, "tickSize \"0.10\"");
	cr_assert_eq(b->max_price, 124639660000000);
	cr_assert_eq(b->min_notional, DEC(10));
	cr_assert_eq(b->percent_down, 54540000);
	cr_assert_eq(b->percent_up, 110000000);
	evlist_free(&l);
	free(text);
}
