/*
 * Each importer on the real captures in HUNTER_REAL_DATA: counts checked
 * against SOURCES.md (or against a grep of the file where it gives none),
 * exact field checks on a few events, and time order.
 */
#include <dirent.h>

#include "ev_equal.h"
#include "imp_test.h"

static bool snapshot_btc(const ev_t *e)
{
	return e->u.depth.last_id == 5123107852948;
}

Test(real, hftbacktest_btc)
{
	test_need_real_data();
	struct loaded *l = load1(HFT("btcusdt_20240808.gz"));
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.format, IMP_HFTBACKTEST);
	cr_assert_eq(l->st.units, 93954);
	cr_assert_eq(l->st.bad, 0);
	cr_assert_eq(l->st.by_type[EV_DEPTH_UPDATE], 6551);
	cr_assert_eq(l->st.by_type[EV_TRADE], 21313);
	cr_assert_eq(l->st.by_type[EV_BOOK_TICKER], 66089);
	cr_assert_eq(l->st.by_type[EV_DEPTH_SNAPSHOT], 1);
	cr_assert_eq(imp_set_count(l->set), 93954);
	assert_sorted(l->set);

	/* line 55: the REST snapshot, its symbol taken from the stream lines */
	const ev_t *s = find_ev(l->set, EV_DEPTH_SNAPSHOT, "BTCUSDT", snapshot_btc);
	cr_assert(s);
	cr_assert_eq(s->exch_ms, 1723161256501);
	cr_assert_eq(s->recv_ns, 1723161255319702566);
	cr_assert_eq(s->u.depth.tx_ms, 1723161256493);
	cr_assert_eq(s->u.depth.bids[0].price, D("61800.20"));
	cr_assert_eq(s->u.depth.bids[0].qty, D("2.909"));
	cr_assert_eq(s->u.depth.bids[2].qty, D("20.004"));

	/* line 2: the first bookTicker */
	const ev_t *b = imp_set_event(l->set, 0);
	for (size_t i = 0; b->u.book.update_id != 5123107839020; i++)
		b = imp_set_event(l->set, i);
	cr_assert_eq(b->type, EV_BOOK_TICKER);
	cr_assert_eq(b->recv_ns, 1723161255088169167);
	cr_assert_eq(b->u.book.bid, D("61800.2"));
	cr_assert_eq(b->u.book.bid_qty, D("2.507"));
	cr_assert_eq(b->u.book.ask, D("61800.3"));
	cr_assert_eq(b->u.book.ask_qty, D("2.51"));
	cr_assert_eq(b->exch_ms, 1723161256313);
	unload(l);
}

Test(real, hftbacktest_eth)
{
	test_need_real_data();
	struct loaded *l = load1(HFT("ethusdt_20240808.gz"));
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.units, 74655); /* SOURCES.md */
	cr_assert_eq(l->st.bad, 0);
	/* zcat | grep -c '@trade"', '@bookTicker', '@depth', 'lastUpdateId' */
	cr_assert_eq(l->st.by_type[EV_TRADE], 14076);
	cr_assert_eq(l->st.by_type[EV_BOOK_TICKER], 53992);
	cr_assert_eq(l->st.by_type[EV_DEPTH_UPDATE], 6586);
	cr_assert_eq(l->st.by_type[EV_DEPTH_SNAPSHOT], 1);
	const ev_t *s = find_ev(l->set, EV_DEPTH_SNAPSHOT, NULL, NULL);
	cr_assert_str_eq(s->symbol, "ETHUSDT");
	cr_assert_eq(s->u.depth.last_id, 5123107856276);
	cr_assert_eq(s->u.depth.bids[0].price, D("2681.62"));
	cr_assert_eq(s->u.depth.bids[0].qty, D("16.969"));
	assert_sorted(l->set);
	unload(l);
}

Test(real, hftbacktest_symbol_option_names_the_snapshot)
{
	test_need_real_data();
	const char *path = HFT("ethusdt_20240808.gz");
	struct loaded *l = load_with((struct imp_options){.symbol = "ETHUSDT"}, &path, 1);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_str_eq(find_ev(l->set, EV_DEPTH_SNAPSHOT, NULL, NULL)->symbol, "ETHUSDT");
	unload(l);
}

Test(real, keep_raw_keeps_the_frame_text)
{
	test_need_real_data();
	const char *path = HFT("ethusdt_20240808.gz");
	struct loaded *l = load_with((struct imp_options){.keep_raw = true}, &path, 1);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	for (size_t i = 0; i < imp_set_count(l->set); i++) {
		const ev_t *e = imp_set_event(l->set, i);
		cr_assert(e->raw && e->raw_len > 20, "event %zu has no raw text", i);
		cr_assert_eq(e->raw[e->raw_len], '\0');
		const char *start = e->type == EV_DEPTH_SNAPSHOT ? "{\"lastUpdateId\":"
		                                                 : "{\"stream\":\"ethusdt@";
		cr_assert(!strncmp(e->raw, start, strlen(start)), "event %zu: %.40s", i, e->raw);
	}
	unload(l);
}

static const char *const cf_text[] = {
	CF("BINANCE_FUTURES.ws.1.0"), CF("BINANCE_FUTURES.http.0.0"), CF("BINANCE_FUTURES.0"),
};

static void check_cryptofeed_counts(const struct loaded *l)
{
	cr_assert_eq(l->st.bad, 0, "%s", l->nbad ? l->bad_msg[0] : "");
	cr_assert_eq(l->st.by_type[EV_DEPTH_UPDATE], 764);
	cr_assert_eq(l->st.by_type[EV_BOOK_TICKER], 613);
	cr_assert_eq(l->st.by_type[EV_AGG_TRADE], 91);
	cr_assert_eq(l->st.by_type[EV_DEPTH_SNAPSHOT], 4);
	cr_assert_eq(l->st.by_type[EV_EXCHANGE_INFO], 1);
	cr_assert_eq(kind_count(&l->st, "kline"), 67);
	cr_assert_eq(imp_set_nsymbols(l->set), 4);
	/* The exchangeInfo lists every Binance symbol; the recording keeps the
	 * four recorded, first, dated at the first stream event. */
	const ev_t *info = imp_set_event(l->set, 0);
	cr_assert_eq(info->type, EV_EXCHANGE_INFO);
	cr_assert_eq(info->u.info.nsymbols, 4);
	cr_assert_eq(info->u.info.server_ms, 1626858243909);
	cr_assert_eq(info->exch_ms, imp_set_event(l->set, 1)->exch_ms);
	assert_sorted(l->set);
}

static bool sushi_snapshot(const ev_t *e)
{
	return e->u.depth.last_id == 600859605926;
}

Test(real, cryptofeed_text_capture)
{
	test_need_real_data();
	struct loaded *l = load_with((struct imp_options){0}, cf_text, 3);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.format, IMP_CRYPTOFEED);
	cr_assert_eq(l->st.units, 1536 + 4 + 2);
	cr_assert_eq(kind_count(&l->st, "ws connect"), 1);
	cr_assert_eq(kind_count(&l->st, "feed configuration"), 1);
	check_cryptofeed_counts(l);
	const ev_t *s = find_ev(l->set, EV_DEPTH_SNAPSHOT, "SUSHIUSDT", sushi_snapshot);
	cr_assert(s, "the SUSHIUSDT snapshot takes its symbol from the URL");
	cr_assert_eq(s->exch_ms, 1626992741264);
	cr_assert_eq(s->recv_ns, 1626992741301402000);
	cr_assert_eq(s->u.depth.bids[0].price, D("7.611"));
	cr_assert_eq(s->u.depth.bids[0].qty, D("6"));
	const ev_t *b = find_ev(l->set, EV_BOOK_TICKER, "SUSHIUSDT", NULL);
	cr_assert_eq(b->u.book.update_id, 600859600576);
	cr_assert_eq(b->recv_ns, 1626992741062170000);
	cr_assert_eq(b->u.book.ask_qty, D("297"));
	unload(l);
}

/* The v3 .jsonl.zst is the same recording re-encoded: the same events,
 * field for field, receive times included. */
Test(real, cryptofeed_zst_matches_text_capture)
{
	test_need_real_data();
	struct loaded *t = load_with((struct imp_options){0}, cf_text, 3);
	struct loaded *z = load1(CF("BINANCE_FUTURES.jsonl.zst"));
	cr_assert_eq(z->rc, IMP_OK, "%s", z->err);
	cr_assert_eq(z->st.format, IMP_FRAMES);
	cr_assert_eq(z->st.units, 1542);
	cr_assert_eq(kind_count(&z->st, "cryptofeed header"), 1);
	cr_assert_eq(kind_count(&z->st, "cryptofeed connect"), 1);
	check_cryptofeed_counts(z);
	cr_assert_eq(imp_set_count(z->set), imp_set_count(t->set));
	char why[256];
	for (size_t i = 0; i < imp_set_count(t->set); i++)
		cr_assert(ev_equal(imp_set_event(t->set, i), imp_set_event(z->set, i), why, sizeof why),
		          "event %zu: %s", i, why);
	unload(t);
	unload(z);
}

/* Every *.json in a folder of the nautilus fixtures, in name order. */
static size_t json_files(const char *dir, char **out, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	cr_assert(d, "%s", dir);
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json")) {
			out[n] = malloc(strlen(dir) + len + 2);
			sprintf(out[n++], "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return n;
}

#define NAUTILUS REAL("nautilus_trader__binance_fixtures/")

Test(real, nautilus_stream_fixtures)
{
	test_need_real_data();
	char *paths[64];
	size_t n = json_files(NAUTILUS "crates/adapters/binance/test_data/futures/market_data_json",
	                      paths, 64);
	n += json_files(NAUTILUS "crates/adapters/binance/test_data/futures/user_data_json",
	                paths + n, 64 - n);
	cr_assert_eq(n, 23);
	struct loaded *l = load_with((struct imp_options){0}, (const char *const *)paths, n);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.units, 23);
	cr_assert_eq(l->st.bad, 0, "%s", l->nbad ? l->bad_msg[0] : "");
	cr_assert_eq(l->st.events, 17);
	cr_assert_eq(l->st.ignored, 6); /* 2 klines, 24hrTicker, 2 ALGO_UPDATE, TRADE_LITE */
	cr_assert_eq(l->st.by_type[EV_ORDER_UPDATE], 9);
	const ev_t *q = find_ev(l->set, EV_LIQUIDATION, "BTCUSDT", NULL);
	cr_assert(q);
	cr_assert_eq(q->exch_ms, 1568014460893);
	cr_assert_eq(q->u.liq.side, SIDE_SELL);
	cr_assert_eq(q->u.liq.type, OT_LIMIT);
	cr_assert_eq(q->u.liq.tif, TIF_IOC);
	cr_assert_eq(q->u.liq.status, OS_FILLED);
	cr_assert_eq(q->u.liq.qty, D("0.014"));
	cr_assert_eq(q->u.liq.price, D("9910"));
	cr_assert_eq(q->u.liq.avg_price, D("9910.12345678"));
	cr_assert_eq(q->u.liq.trade_ms, 1568014460893);
	const ev_t *a = find_ev(l->set, EV_ACCOUNT_UPDATE, NULL, NULL);
	cr_assert_eq(a->u.account.npositions + a->u.account.nbalances > 0, true);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	unload(l);
}

Test(real, nautilus_ws_messages)
{
	test_need_real_data();
	char *paths[64];
	size_t n = json_files(NAUTILUS "tests/integration_tests/adapters/binance/resources/ws_messages",
	                      paths, 64);
	struct loaded *l = load_with((struct imp_options){0}, (const char *const *)paths, n);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.units, 19);
	cr_assert_eq(l->st.events, 12);
	cr_assert_eq(l->st.ignored, 6);
	/* one fixture's client order id is longer than the exchange allows */
	cr_assert_eq(l->st.bad, 1);
	cr_assert_eq(l->bad_line[0], 1);
	cr_assert(strstr(l->bad_msg[0], "\"o.c\""), "%s", l->bad_msg[0]);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	unload(l);
}

/* The docs rows wrap each code block; some blocks are requests or carry
 * doc typos (trailing commas), which are reported, never lost. */
Test(real, aster_docs_rows)
{
	test_need_real_data();
	struct loaded *l = load1(REAL("asterdex__api-docs_examples/futures_api_v3_code_blocks.jsonl"));
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.units, 125);
	cr_assert_gt(l->st.events, 0);
	cr_assert_gt(l->st.ignored, 0);
	cr_assert_eq(l->st.bad, l->nbad);
	cr_assert_leq(l->st.bad + l->st.ignored + l->st.events, l->st.units + l->st.events);
	cr_assert(find_ev(l->set, EV_MARK_PRICE, NULL, NULL));
	unload(l);
}

static bool first_liq_row(const ev_t *e)
{
	return e->u.liq.trade_ms == 1737908829829;
}

Test(real, liq_csv)
{
	test_need_real_data();
	struct loaded *l = load1(LIQ("binance.csv"));
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.format, IMP_LIQ_CSV);
	cr_assert_eq(l->st.units, 3510);
	cr_assert_eq(l->st.bad, 0, "%s", l->nbad ? l->bad_msg[0] : "");
	cr_assert_eq(l->st.by_type[EV_LIQUIDATION], 3510);
	cr_assert_eq(imp_set_nsymbols(l->set), 221);
	/* LRC,SELL,LIMIT,IOC,226,0.16815,0.17057,FILLED,226,226,1737908829829,38.0019 */
	const ev_t *e = find_ev(l->set, EV_LIQUIDATION, "LRCUSDT", first_liq_row);
	cr_assert(e);
	cr_assert_eq(e->exch_ms, 1737908829829);
	cr_assert_eq(e->u.liq.side, SIDE_SELL);
	cr_assert_eq(e->u.liq.type, OT_LIMIT);
	cr_assert_eq(e->u.liq.tif, TIF_IOC);
	cr_assert_eq(e->u.liq.qty, D("226"));
	cr_assert_eq(e->u.liq.price, D("0.16815"));
	cr_assert_eq(e->u.liq.avg_price, D("0.17057"));
	cr_assert_eq(e->u.liq.status, OS_FILLED);
	cr_assert_eq(e->u.liq.last_qty, D("226"));
	cr_assert_eq(e->u.liq.filled_qty, D("226"));
	/* USDT is put back, other quotes are kept */
	cr_assert(find_ev(l->set, EV_LIQUIDATION, "BTCUSDT", NULL));
	cr_assert(find_ev(l->set, EV_LIQUIDATION, "ETHUSDC", NULL));
	cr_assert(find_ev(l->set, EV_LIQUIDATION, "NEIROETHUSDT", NULL));
	cr_assert_null(find_ev(l->set, EV_LIQUIDATION, "ETHUSDCUSDT", NULL));
	assert_sorted(l->set);
	unload(l);
}

Test(real, trades_csv)
{
	test_need_real_data();
	struct loaded *l = load1(LIQ("binance_trades.csv"));
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.format, IMP_TRADES_CSV);
	cr_assert_eq(l->st.units, 16440);
	cr_assert_eq(l->st.bad, 0);
	cr_assert_eq(l->st.by_type[EV_AGG_TRADE], 16440);
	cr_assert_eq(imp_set_nsymbols(l->set), 6);
	/* 1737897220002, BTCUSDT, 2541757614, 104943.5, 0.15, 1737897219873, False */
	const ev_t *e = imp_set_event(l->set, 0);
	cr_assert_str_eq(e->symbol, "BTCUSDT");
	cr_assert_eq(e->exch_ms, 1737897220002);
	cr_assert_eq(e->u.trade.id, 2541757614);
	cr_assert_eq(e->u.trade.price, D("104943.5"));
	cr_assert_eq(e->u.trade.qty, D("0.15"));
	cr_assert_eq(e->u.trade.trade_ms, 1737897219873);
	cr_assert_eq(e->u.trade.buyer_maker, false);
	assert_sorted(l->set); /* the rows themselves are not in order */
	unload(l);
}

static uint64_t count_symbol(const imp_set_t *s, ev_type_t type, const char *symbol)
{
	uint64_t n = 0;
	for (size_t i = 0; i < imp_set_count(s); i++)
		n += imp_set_event(s, i)->type == type && !strcmp(imp_set_event(s, i)->symbol, symbol);
	return n;
}

/* SOURCES.md: the overlap window 2025-01-27 16:55:47-17:19:36 holds 1,607
 * liquidations (BTC 34, ETH 44, SOL 34, DOGE 16, WIF 14, BNB 4) and 11,728
 * large aggTrades. */
Test(real, liquidation_logger_overlap_window)
{
	test_need_real_data();
	const char *paths[] = {LIQ("binance.csv"), LIQ("binance_trades.csv")};
	struct imp_options o = {0};
	cr_assert_eq(utc_parse("2025-01-27T16:55:47Z", &o.from_ms), 0);
	cr_assert_eq(utc_parse("2025-01-27T17:19:37Z", &o.to_ms), 0);
	struct loaded *l = load_with(o, paths, 2);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.by_type[EV_LIQUIDATION], 1607);
	cr_assert_eq(l->st.by_type[EV_AGG_TRADE], 11728);
	cr_assert_eq(l->st.outside, 3510 + 16440 - 1607 - 11728);
	static const struct {
		const char *symbol;
		uint64_t n;
	} six[] = {{"BTCUSDT", 34}, {"ETHUSDT", 44}, {"SOLUSDT", 34},
	           {"DOGEUSDT", 16}, {"WIFUSDT", 14}, {"BNBUSDT", 4}};
	for (size_t i = 0; i < sizeof six / sizeof six[0]; i++)
		cr_assert_eq(count_symbol(l->set, EV_LIQUIDATION, six[i].symbol), six[i].n, "%s",
		             six[i].symbol);
	unload(l);
}

static const struct symbol_rules *rules_of(const ev_t *info, const char *symbol)
{
	for (uint32_t i = 0; i < info->u.info.nsymbols; i++)
		if (!strcmp(info->u.info.symbols[i].symbol, symbol))
			return &info->u.info.symbols[i];
	return NULL;
}

Test(real, exchange_info_first_and_restricted)
{
	test_need_real_data();
	const char *paths[] = {LIQ("binance.csv"), LIQ("binance_trades.csv")};
	struct loaded *l = load_with((struct imp_options){.exchange_info = ASTER_INFO}, paths, 2);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	const ev_t *info = imp_set_event(l->set, 0);
	cr_assert_eq(info->type, EV_EXCHANGE_INFO);
	cr_assert_eq(imp_set_count(l->set), 3510 + 16440 + 1);
	cr_assert_eq(info->exch_ms, imp_set_event(l->set, 1)->exch_ms);
	cr_assert_eq(info->u.info.nsymbols, l->st.info_symbols);
	cr_assert_eq(l->st.info_symbols + l->st.info_missing, imp_set_nsymbols(l->set));
	cr_assert_gt(l->st.info_symbols, 50);
	cr_assert_lt(l->st.info_symbols, 290); /* Aster lists 290; only recorded ones stay */
	const struct symbol_rules *btc = rules_of(info, "BTCUSDT");
	cr_assert(btc);
	cr_assert_eq(btc->tick, D("0.1"));
	cr_assert_eq(btc->step, D("0.001"));
	cr_assert_eq(btc->min_notional, D("5"));
	for (uint32_t i = 0; i < info->u.info.nsymbols; i++)
		cr_assert(find_ev(l->set, EV_LIQUIDATION, info->u.info.symbols[i].symbol, NULL) ||
		          find_ev(l->set, EV_AGG_TRADE, info->u.info.symbols[i].symbol, NULL));
	unload(l);
}

Test(real, detection)
{
	test_need_real_data();
	char err[256];
	cr_assert_eq(imp_detect(HFT("btcusdt_20240808.gz"), err, sizeof err), IMP_HFTBACKTEST);
	cr_assert_eq(imp_detect(CF("BINANCE_FUTURES.ws.1.0"), err, sizeof err), IMP_CRYPTOFEED);
	cr_assert_eq(imp_detect(CF("BINANCE_FUTURES.http.0.0"), err, sizeof err), IMP_CRYPTOFEED);
	cr_assert_eq(imp_detect(CF("BINANCE_FUTURES.0"), err, sizeof err), IMP_CRYPTOFEED);
	cr_assert_eq(imp_detect(CF("BINANCE_FUTURES.jsonl.zst"), err, sizeof err), IMP_FRAMES);
	cr_assert_eq(imp_detect(ASTER_INFO, err, sizeof err), IMP_FRAMES);
	cr_assert_eq(imp_detect(LIQ("binance.csv"), err, sizeof err), IMP_LIQ_CSV);
	cr_assert_eq(imp_detect(LIQ("binance_trades.csv"), err, sizeof err), IMP_TRADES_CSV);
	cr_assert_eq(imp_detect(REAL("SOURCES.md"), err, sizeof err), IMP_AUTO);
	cr_assert(strstr(err, "line 1"), "%s", err);
}
