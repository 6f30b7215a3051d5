/* Unit tests for aster_parse and aster_format on single frames: exact field
 * values for every modelled shape, the wrappers, ignored shapes and the
 * keys hunter adds. */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

static ev_t one(const char *json, const struct aster_ctx *ctx, struct evlist *l)
{
	struct aster_result r = parse_text(json, ctx, l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	cr_assert_eq(l->n, 1);
	check_roundtrip(&l->v[0]);
	return l->v[0];
}

/* docs/aster-api.md 8.1: a live Aster liquidation as it arrives on /stream */
Test(frames, live_aster_force_order)
{
	struct evlist l = {0};
	struct aster_ctx ctx = {.recv_ns = 1789672621600123456};
	ev_t e = one("{\"stream\":\"!forceOrder@arr\",\"data\":{\"e\":\"forceOrder\","
	             "\"E\":1789672621589,\"o\":{\"s\":\"PAIRUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\","
	             "\"f\":\"IOC\",\"q\":\"28448\",\"p\":\"0.0040681\",\"ap\":\"0.0044461\","
	             "\"X\":\"FILLED\",\"l\":\"12417\",\"z\":\"28448\",\"T\":1789672621550}}}",
	             &ctx, &l);
	cr_assert_eq(e.type, EV_LIQUIDATION);
	cr_assert_str_eq(e.symbol, "PAIRUSDT");
	cr_assert_eq(e.exch_ms, 1789672621589);
	cr_assert_eq(e.recv_ns, 1789672621600123456);
	cr_assert_eq(e.u.liq.side, SIDE_SELL);
	cr_assert_eq(e.u.liq.type, OT_LIMIT);
	cr_assert_eq(e.u.liq.tif, TIF_IOC);
	cr_assert_eq(e.u.liq.status, OS_FILLED);
	cr_assert_eq(e.u.liq.qty, DEC(28448));
	cr_assert_eq(e.u.liq.price, 406810);
	cr_assert_eq(e.u.liq.avg_price, 444610);
	cr_assert_eq(e.u.liq.last_qty, DEC(12417));
	cr_assert_eq(e.u.liq.filled_qty, DEC(28448));
	cr_assert_eq(e.u.liq.trade_ms, 1789672621550);
	evlist_free(&l);
}

Test(frames, agg_trade_and_trade)
{
	struct evlist l = {0};
	ev_t a = one("{\"e\":\"aggTrade\",\"E\":1626992741575,\"a\":16599292,\"s\":\"CTKUSDT\","
	             "\"p\":\"1.01100\",\"q\":\"10\",\"f\":23961322,\"l\":23961323,"
	             "\"T\":1626992741421,\"m\":false}",
	             NULL, &l);
	cr_assert_eq(a.type, EV_AGG_TRADE);
	cr_assert_eq(a.u.trade.id, 16599292);
	cr_assert_eq(a.u.trade.first_id, 23961322);
	cr_assert_eq(a.u.trade.last_id, 23961323);
	cr_assert_eq(a.u.trade.price, 101100000);
	cr_assert_eq(a.u.trade.qty, DEC(10));
	cr_assert_eq(a.u.trade.trade_ms, 1626992741421);
	cr_assert_not(a.u.trade.buyer_maker);
	cr_assert_eq(a.recv_ns, 0);
	evlist_free(&l);
	ev_t t = one("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161256322,"
	             "\"T\":1723161256321,\"s\":\"BTCUSDT\",\"t\":5266583935,\"p\":\"61800.30\","
	             "\"q\":\"0.006\",\"X\":\"MARKET\",\"m\":true}}",
	             NULL, &l);
	cr_assert_eq(t.type, EV_TRADE);
	cr_assert_eq(t.u.trade.id, 5266583935);
	cr_assert_eq(t.u.trade.first_id, 0);
	cr_assert_eq(t.u.trade.price, 6180030000000);
	cr_assert_eq(t.u.trade.qty, 600000);
	cr_assert_eq(t.u.trade.trade_ms, 1723161256321);
	cr_assert(t.u.trade.buyer_maker);
	evlist_free(&l);
}

Test(frames, book_ticker)
{
	struct evlist l = {0};
	ev_t b = one("{\"e\":\"bookTicker\",\"u\":600859600576,\"s\":\"SUSHIUSDT\",\"b\":\"7.6110\","
	             "\"B\":\"2\",\"a\":\"7.6120\",\"A\":\"297\",\"T\":1626992741012,"
	             "\"E\":1626992741017}",
	             NULL, &l);
	cr_assert_eq(b.type, EV_BOOK_TICKER);
	cr_assert_eq(b.u.book.update_id, 600859600576);
	cr_assert_eq(b.u.book.tx_ms, 1626992741012);
	cr_assert_eq(b.exch_ms, 1626992741017);
	cr_assert_eq(b.u.book.bid, 761100000);
	cr_assert_eq(b.u.book.bid_qty, DEC(2));
	cr_assert_eq(b.u.book.ask, 761200000);
	cr_assert_eq(b.u.book.ask_qty, DEC(297));
	evlist_free(&l);
}

Test(frames, depth_update_levels)
{
	struct evlist l = {0};
	ev_t d = one("{\"e\":\"depthUpdate\",\"E\":1626992741037,\"T\":1626992741024,"
	             "\"s\":\"SUSHIUSDT\",\"U\":600859599090,\"u\":600859600917,"
	             "\"pu\":600859598061,\"b\":[[\"7.5040\",\"813\"],[\"7.6090\",\"0\"]],"
	             "\"a\":[]}",
	             NULL, &l);
	cr_assert_eq(d.type, EV_DEPTH_UPDATE);
	cr_assert_eq(d.u.depth.first_id, 600859599090);
	cr_assert_eq(d.u.depth.last_id, 600859600917);
	cr_assert_eq(d.u.depth.prev_id, 600859598061);
	cr_assert_eq(d.u.depth.tx_ms, 1626992741024);
	cr_assert_eq(d.u.depth.nbids, 2);
	cr_assert_eq(d.u.depth.nasks, 0);
	cr_assert_eq(d.u.depth.bids[0].price, 750400000);
	cr_assert_eq(d.u.depth.bids[0].qty, DEC(813));
	cr_assert_eq(d.u.depth.bids[1].qty, 0, "0 removes the level");
	evlist_free(&l);
}

Test(frames, mark_price_array_gives_many_events)
{
	struct evlist l = {0};
	struct aster_result r = parse_text(
		"[{\"e\":\"markPriceUpdate\",\"E\":1562305380000,\"s\":\"BTCUSDT\",\"p\":\"11794.15\","
		"\"i\":\"11784.62659091\",\"P\":\"11784.25641265\",\"r\":\"-0.00038167\","
		"\"T\":1562306400000},{\"e\":\"markPriceUpdate\",\"E\":1562305380000,\"s\":\"ETHUSDT\","
		"\"p\":\"300\",\"i\":\"301\",\"P\":\"302\",\"r\":\"0\",\"T\":1562306400000}]",
		NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	cr_assert_eq(r.nevents, 2);
	cr_assert_str_eq(r.what, "markPriceUpdate");
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].symbol, "BTCUSDT");
	cr_assert_eq(l.v[0].u.mark.mark, 1179415000000);
	cr_assert_eq(l.v[0].u.mark.index, 1178462659091);
	cr_assert_eq(l.v[0].u.mark.settle, 1178425641265);
	cr_assert_eq(l.v[0].u.mark.funding_rate, -38167);
	cr_assert_eq(l.v[0].u.mark.next_funding_ms, 1562306400000);
	cr_assert_str_eq(l.v[1].symbol, "ETHUSDT");
	cr_assert_eq(l.v[1].u.mark.settle, DEC(302));
	check_roundtrip(&l.v[1]);
	evlist_free(&l);
}

/* nautilus user_data_json/order_update_new.json: a trailing stop */
Test(frames, order_update_every_field)
{
	struct evlist l = {0};
	ev_t e = one(
		"{\"e\":\"ORDER_TRADE_UPDATE\",\"T\":1568879465650,\"E\":1568879465651,\"o\":{"
		"\"s\":\"BTCUSDT\",\"c\":\"TEST\",\"S\":\"BUY\",\"o\":\"TRAILING_STOP_MARKET\","
		"\"f\":\"GTC\",\"q\":\"0.001\",\"p\":\"0\",\"ap\":\"0\",\"sp\":\"7103.04\",\"x\":\"NEW\","
		"\"X\":\"NEW\",\"i\":8886774,\"l\":\"0\",\"z\":\"0\",\"L\":\"0\",\"N\":\"USDT\",\"n\":\"0\","
		"\"T\":1568879465652,\"t\":0,\"b\":\"0\",\"a\":\"9.91\",\"m\":false,\"R\":false,"
		"\"wt\":\"CONTRACT_PRICE\",\"ot\":\"TRAILING_STOP_MARKET\",\"ps\":\"LONG\",\"cp\":false,"
		"\"AP\":\"7476.89\",\"cr\":\"5.0\",\"pP\":false,\"si\":0,\"ss\":0,\"rp\":\"0\","
		"\"V\":\"EXPIRE_TAKER\"}}",
		NULL, &l);
	const struct ev_order *o = &e.u.order;
	cr_assert_eq(e.type, EV_ORDER_UPDATE);
	cr_assert_str_eq(e.symbol, "BTCUSDT");
	cr_assert_eq(e.exch_ms, 1568879465651);
	cr_assert_eq(o->tx_ms, 1568879465650);
	cr_assert_eq(o->trade_ms, 1568879465652);
	cr_assert_str_eq(o->client_id, "TEST");
	cr_assert_eq(o->side, SIDE_BUY);
	cr_assert_eq(o->type, OT_TRAILING_STOP_MARKET);
	cr_assert_eq(o->orig_type, OT_TRAILING_STOP_MARKET);
	cr_assert_eq(o->tif, TIF_GTC);
	cr_assert_eq(o->exec, EXEC_NEW);
	cr_assert_eq(o->status, OS_NEW);
	cr_assert_eq(o->working_type, WT_CONTRACT_PRICE);
	cr_assert_eq(o->pos_side, PS_LONG);
	cr_assert_eq(o->order_id, 8886774);
	cr_assert_eq(o->qty, 100000);
	cr_assert_eq(o->stop_price, 710304000000);
	cr_assert_eq(o->asks_notional, 991000000);
	cr_assert_eq(o->activation_price, 747689000000);
	cr_assert_eq(o->callback_rate, DEC(5));
	cr_assert(o->has_commission);
	cr_assert_str_eq(o->commission_asset, "USDT");
	cr_assert_eq(o->commission, 0);
	cr_assert_not(o->maker || o->reduce_only || o->close_position);
	evlist_free(&l);
}

/* nautilus user_data_json/order_update_trade.json, with R, cp and b set so
 * that every field of the event is seen non-zero in one test or the other */
Test(frames, order_update_fill)
{
	struct evlist l = {0};
	ev_t e = one(
		"{\"e\":\"ORDER_TRADE_UPDATE\",\"T\":1568879465651,\"E\":1568879465651,\"o\":{"
		"\"s\":\"BTCUSDT\",\"c\":\"TEST\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"GTX\","
		"\"q\":\"0.001\",\"p\":\"7100.50\",\"ap\":\"7100.25\",\"sp\":\"0\","
		"\"x\":\"TRADE\",\"X\":\"PARTIALLY_FILLED\",\"i\":8886774,\"l\":\"0.002\","
		"\"z\":\"0.003\",\"L\":\"7100.75\",\"N\":\"USDT\",\"n\":\"0.01000000\","
		"\"T\":1568879465651,\"t\":12345678,\"b\":\"1.5\",\"a\":\"0\",\"m\":true,"
		"\"R\":true,\"wt\":\"MARK_PRICE\",\"ot\":\"LIMIT\",\"ps\":\"SHORT\",\"cp\":true,"
		"\"AP\":\"0\",\"cr\":\"0\",\"pP\":false,\"si\":0,\"ss\":0,\"rp\":\"12.34\"}}",
		NULL, &l);
	const struct ev_order *o = &e.u.order;
	cr_assert_eq(o->side, SIDE_SELL);
	cr_assert_eq(o->tif, TIF_GTX);
	cr_assert_eq(o->exec, EXEC_TRADE);
	cr_assert_eq(o->status, OS_PARTIALLY_FILLED);
	cr_assert_eq(o->working_type, WT_MARK_PRICE);
	cr_assert_eq(o->pos_side, PS_SHORT);
	cr_assert_eq(o->price, 710050000000);
	cr_assert_eq(o->avg_price, 710025000000);
	cr_assert_eq(o->last_qty, 200000);
	cr_assert_eq(o->filled_qty, 300000);
	cr_assert_eq(o->last_price, 710075000000);
	cr_assert_eq(o->commission, 1000000);
	cr_assert_eq(o->trade_id, 12345678);
	cr_assert_eq(o->bids_notional, 150000000);
	cr_assert_eq(o->realized_pnl, 1234000000);
	cr_assert_eq(o->activation_price, 0);
	cr_assert(o->maker && o->reduce_only && o->close_position);
	char buf[1024];
	aster_format(&e, buf, sizeof buf);
	cr_assert_null(strstr(buf, "\"AP\""), "AP only for trailing stops: %s", buf);
	evlist_free(&l);
}

/* nautilus ws_futures_order_update_liquidation_zero_qty.json sends nulls
 * for fields that do not apply; they read as absent. */
Test(frames, order_update_nulls_are_absent)
{
	struct evlist l = {0};
	ev_t e = one(
		"{\"stream\":\"ORDER_TRADE_UPDATE\",\"data\":{\"e\":\"ORDER_TRADE_UPDATE\","
		"\"E\":1759347763250,\"T\":1759347763250,\"o\":{\"s\":\"BTCUSDT\","
		"\"c\":\"autoclose-7654321098765432\",\"S\":\"SELL\",\"o\":\"MARKET\",\"f\":\"GTC\","
		"\"q\":\"0.000\",\"p\":\"0\",\"ap\":\"0.00\",\"sp\":null,\"x\":\"CALCULATED\","
		"\"X\":\"FILLED\",\"i\":7654321098,\"l\":\"0.000\",\"z\":\"0.000\",\"L\":\"0.00\","
		"\"N\":null,\"n\":null,\"T\":1759347763250,\"t\":3344556677,\"b\":\"0\",\"a\":\"0\","
		"\"m\":false,\"R\":true,\"wt\":\"CONTRACT_PRICE\",\"ot\":\"MARKET\",\"ps\":\"LONG\","
		"\"cp\":false,\"AP\":null,\"cr\":null,\"rp\":\"-1.5\",\"W\":null}}}",
		NULL, &l);
	cr_assert_eq(e.u.order.exec, EXEC_CALCULATED);
	cr_assert_eq(e.u.order.order_id, 7654321098);
	cr_assert_not(e.u.order.has_commission);
	cr_assert_eq(e.u.order.stop_price, 0);
	cr_assert(e.u.order.reduce_only);
	cr_assert_eq(e.u.order.realized_pnl, -150000000);
	evlist_free(&l);
}

Test(frames, account_update_arrays)
{
	struct evlist l = {0};
	ev_t e = one("{\"e\":\"ACCOUNT_UPDATE\",\"E\":1564745798939,\"T\":1564745798938,\"a\":{"
	             "\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"122624.12345678\","
	             "\"cw\":\"100.12345678\",\"bc\":\"0\"}],\"P\":[{\"s\":\"BTCUSDT\",\"pa\":\"-0.010\","
	             "\"ep\":\"61250.10\",\"cr\":\"200\",\"up\":\"-0.12\",\"mt\":\"cross\","
	             "\"iw\":\"0.00000000\",\"ps\":\"BOTH\",\"bep\":\"0\"}]}}",
	             NULL, &l);
	const struct ev_account *a = &e.u.account;
	cr_assert_eq(e.type, EV_ACCOUNT_UPDATE);
	cr_assert_str_eq(e.symbol, "");
	cr_assert_str_eq(a->reason, "ORDER");
	cr_assert_eq(a->tx_ms, 1564745798938);
	cr_assert_eq(a->nbalances, 1);
	cr_assert_str_eq(a->balances[0].asset, "USDT");
	cr_assert_eq(a->balances[0].wallet, 12262412345678);
	cr_assert_eq(a->balances[0].cross_wallet, 10012345678);
	cr_assert_eq(a->npositions, 1);
	cr_assert_str_eq(a->positions[0].symbol, "BTCUSDT");
	cr_assert_eq(a->positions[0].amount, -1000000);
	cr_assert_eq(a->positions[0].entry_price, 6125010000000);
	cr_assert_eq(a->positions[0].realized, DEC(200));
	cr_assert_eq(a->positions[0].unrealized, -12000000);
	cr_assert_eq(a->positions[0].margin, MARGIN_CROSSED);
	cr_assert_eq(a->positions[0].pos_side, PS_BOTH);
	char buf[1024];
	aster_format(&e, buf, sizeof buf);
	cr_assert(strstr(buf, "\"mt\":\"cross\""), "the wire's spelling of margin types: %s",
	          buf);
	evlist_free(&l);
	/* a funding fee on a cross position: balances and no "P" */
	ev_t f = one("{\"e\":\"ACCOUNT_UPDATE\",\"E\":5,\"T\":4,\"a\":{\"m\":\"FUNDING_FEE\","
	             "\"B\":[{\"a\":\"USDT\",\"wb\":\"1\",\"cw\":\"1\",\"bc\":\"-0.5\"}]}}",
	             NULL, &l);
	cr_assert_eq(f.u.account.npositions, 0);
	cr_assert_eq(f.u.account.balances[0].change, -50000000);
	evlist_free(&l);
}

Test(frames, depth_snapshot_symbol_from_ctx_or_body)
{
	const char *body = "{\"lastUpdateId\":1027024,\"E\":1589436922972,\"T\":1589436922959,"
	                   "\"bids\":[[\"4.00000000\",\"431.00000000\"]],"
	                   "\"asks\":[[\"4.00000200\",\"12.00000000\"]]}";
	struct evlist l = {0};
	struct aster_ctx ctx = {.symbol = "BTCUSDT", .recv_ns = 42};
	ev_t s = one(body, &ctx, &l);
	cr_assert_eq(s.type, EV_DEPTH_SNAPSHOT);
	cr_assert_str_eq(s.symbol, "BTCUSDT");
	cr_assert_eq(s.u.depth.last_id, 1027024);
	cr_assert_eq(s.u.depth.first_id, 0);
	cr_assert_eq(s.exch_ms, 1589436922972);
	cr_assert_eq(s.u.depth.tx_ms, 1589436922959);
	cr_assert_eq(s.u.depth.asks[0].price, 400000200);
	cr_assert_eq(s.recv_ns, 42);
	char buf[512];
	aster_format(&s, buf, sizeof buf);
	cr_assert(strstr(buf, "\"s\":\"BTCUSDT\"") && strstr(buf, "\"recv_ns\":42"), "%s", buf);
	evlist_free(&l);

	struct aster_result r = parse_text(body, NULL, NULL);
	cr_assert_eq(r.status, ASTER_ERROR);
	cr_assert(strstr(r.err, "no symbol"), "%s", r.err);

	/* no E: the event time falls back to T */
	ev_t t = one("{\"lastUpdateId\":7,\"T\":99,\"symbol\":\"ETHUSDT\",\"bids\":[],\"asks\":[]}",
	             NULL, &l);
	cr_assert_str_eq(t.symbol, "ETHUSDT");
	cr_assert_eq(t.exch_ms, 99);
	evlist_free(&l);
}

Test(frames, gap_marker)
{
	struct evlist l = {0};
	ev_t g = one("{\"e\":\"gap\",\"E\":1700000000000,\"s\":\"\",\"kind\":\"disconnect\","
	             "\"from\":1699999999000,\"reason\":\"socket closed \\\"1006\\\"\"}",
	             NULL, &l);
	cr_assert_eq(g.type, EV_GAP);
	cr_assert_eq(g.u.gap.kind, GAP_DISCONNECT);
	cr_assert_eq(g.u.gap.from_ms, 1699999999000);
	cr_assert_str_eq(g.u.gap.reason, "socket closed \"1006\"");
	evlist_free(&l);
}

Test(frames, recv_ns_key_overrides_ctx)
{
	struct evlist l = {0};
	struct aster_ctx ctx = {.recv_ns = 5};
	ev_t e = one("{\"e\":\"gap\",\"E\":1,\"kind\":\"restart\",\"from\":0,\"reason\":\"\","
	             "\"recv_ns\":1700000000123456789}",
	             &ctx, &l);
	cr_assert_eq(e.recv_ns, 1700000000123456789);
	evlist_free(&l);
}

/* Ids beyond 2^53 do not fit a double; they must still come out exact. */
Test(frames, integers_beyond_double_precision)
{
	struct evlist l = {0};
	ev_t e = one("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"X\",\"a\":9007199254740993,\"p\":\"1\","
	             "\"q\":\"1\",\"f\":8389765739703625592,\"l\":9223372036854775807,\"T\":-5,"
	             "\"m\":true,\"st\":9007199254740995}",
	             NULL, &l);
	cr_assert_eq(e.u.trade.id, 9007199254740993);
	cr_assert_eq(e.u.trade.first_id, 8389765739703625592);
	cr_assert_eq(e.u.trade.last_id, INT64_MAX);
	cr_assert_eq(e.u.trade.trade_ms, -5);
	evlist_free(&l);
	/* the same inside a wrapper, after numbers in strings and other values */
	ev_t w = one("{\"stream\":\"x\\\"12 \\\\\",\"n\":[1.5,-2e3],\"data\":{\"e\":\"aggTrade\","
	             "\"E\":1,\"s\":\"X\",\"p\":\"1\",\"q\":\"1\",\"f\":1,\"l\":2,\"T\":3,"
	             "\"m\":true,\"a\":-9223372036854775807}}",
	             NULL, &l);
	cr_assert_eq(w.u.trade.id, -INT64_MAX);
	cr_assert_eq(w.u.trade.last_id, 2);
	evlist_free(&l);
}

Test(frames, ignored_shapes_name_themselves)
{
	static const struct {
		const char *json, *what;
	} cases[] = {
		{"{\"result\":null,\"id\":1}", "subscription reply"},
		{"{\"e\":\"kline\",\"E\":1,\"s\":\"BTCUSDT\",\"k\":{}}", "kline"},
		{"{\"stream\":\"x@ticker\",\"data\":{\"e\":\"24hrTicker\"}}", "24hrTicker"},
		{"{\"e\":\"listenKeyExpired\",\"E\":1576653824250}", "listenKeyExpired"},
		{"{\"e\":\"MARGIN_CALL\",\"E\":1,\"p\":[]}", "MARGIN_CALL"},
		{"{\"e\":\"ACCOUNT_CONFIG_UPDATE\",\"E\":1,\"ac\":{\"s\":\"X\",\"l\":25}}",
		 "ACCOUNT_CONFIG_UPDATE"},
		{"{\"e\":\"TRADE_LITE\",\"E\":1}", "TRADE_LITE"},
		{"{\"e\":\"ALGO_UPDATE\",\"E\":1}", "ALGO_UPDATE"},
		{"[{\"e\":\"24hrMiniTicker\",\"E\":1}]", "24hrMiniTicker"},
		{"[]", "empty array"},
		{"{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", "code/msg reply"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct aster_result r = parse_text(cases[i].json, NULL, NULL);
		cr_assert_eq(r.status, ASTER_IGNORED, "%s: %s", cases[i].json, r.err);
		cr_assert_str_eq(r.what, cases[i].what);
		cr_assert_eq(r.nevents, 0);
	}
	struct aster_result r =
		parse_text("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", NULL, NULL);
	cr_assert_str_eq(r.err, "code -1121: Invalid symbol.");
}

Test(frames, keep_raw_points_at_the_frame)
{
	const char *json = "{\"e\":\"gap\",\"E\":1,\"kind\":\"import\",\"from\":0,\"reason\":\"x\"}";
	struct evlist l = {0};
	struct aster_ctx ctx = {.keep_raw = true};
	parse_text(json, &ctx, &l);
	cr_assert_eq(l.v[0].raw, json);
	cr_assert_eq(l.v[0].raw_len, strlen(json));
	evlist_free(&l);
}

static int stop_after_one(void *ctx, const ev_t *ev)
{
	(void)ev;
	++*(int *)ctx;
	return 1;
}

Test(frames, sink_can_stop_delivery)
{
	aster_parser_t *p = aster_parser_new();
	const char *json = "[{\"e\":\"gap\",\"E\":1,\"kind\":\"import\",\"from\":0,\"reason\":\"\"},"
	                   "{\"e\":\"gap\",\"E\":2,\"kind\":\"import\",\"from\":0,\"reason\":\"\"}]";
	int calls = 0;
	struct aster_result r;
	int n = aster_parse(p, json, strlen(json), NULL, stop_after_one, &calls, &r);
	cr_assert_eq(n, 1);
	cr_assert_eq(calls, 1);
	cr_assert_eq(r.nevents, 1);
	aster_parser_free(p);
}

Test(frames, format_is_snprintf_like)
{
	struct evlist l = {0};
	ev_t g = one("{\"e\":\"gap\",\"E\":1,\"kind\":\"sequence\",\"from\":0,\"reason\":\"ctl\\u0001\"}",
	             NULL, &l);
	char full[256], tiny[8];
	size_t n = aster_format(&g, full, sizeof full);
	cr_assert_eq(strlen(full), n);
	cr_assert(strstr(full, "\"reason\":\"ctl\\u0001\""), "control bytes are escaped: %s", full);
	cr_assert_eq(aster_format(&g, tiny, sizeof tiny), n);
	cr_assert_eq(strlen(tiny), sizeof tiny - 1);
	cr_assert_eq(memcmp(tiny, full, sizeof tiny - 1), 0);
	cr_assert_eq(aster_format(&g, NULL, 0), n);
	ev_t none = {.type = EV_NONE};
	cr_assert_eq(aster_format(&none, full, sizeof full), 0);
	evlist_free(&l);
}

Test(frames, strip_comments_keeps_strings_and_offsets)
{
	char text[] = "{\"a\":\"x//y\", // note\n\"b\":1 // end}";
	size_t len = strlen(text);
	aster_strip_comments(text, len);
	cr_assert_eq(strlen(text), len);
	cr_assert_str_eq(text, "{\"a\":\"x//y\",        \n\"b\":1        ");
}
