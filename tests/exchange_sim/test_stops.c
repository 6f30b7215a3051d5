/* Conditional orders: trigger on the last trade or the mark per working
 * type, Aster's STOP / TAKE_PROFIT directions, -2021 for an order that
 * would trigger at once, closePosition, and the events of a trigger. */
#include "harness.h"

static struct rec R;

static sim_t *market_at_100(struct sim_params *p)
{
	sim_t *s = new_sim(&R, p);
	ticker(s, 1000, "100.0", "5", "100.1", "5");
	trade(s, 1000, "100.0", "1", true);
	mark(s, 1000, "100.0", "0", 0);
	return s;
}

/* A market at 100 whose rules hold stops with priceProtect while last and
 * mark differ by more than 2 %; `with_mark` false gives trades-only data. */
static sim_t *protected_market_at_100(struct sim_params *p, bool with_mark)
{
	sim_t *s = new_sim(&R, p);
	struct symbol_rules r = btc_rules();
	r.trigger_protect = D("0.02");
	sim_set_rules(s, &r);
	ticker(s, 1000, "100.0", "5", "100.1", "5");
	trade(s, 1000, "100.0", "1", true);
	if (with_mark)
		mark(s, 1000, "100.0", "0", 0);
	return s;
}

static void place_now(sim_t *s, order_req o, int64_t ms)
{
	place(s, &R, &o, ms);
	sim_advance(s, ms);
}

Test(stops, contract_price_stop_ignores_the_mark)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "99.0", "1", WT_CONTRACT_PRICE), 1000);
	cr_assert_eq(last_update(&R, "sl")->status, OS_NEW);
	cr_assert_eq(last_update(&R, "sl")->type, OT_STOP_MARKET);
	mark(s, 1001, "98.0", "0", 0);
	cr_assert_eq(filled_of(&R, "sl"), 0, "the mark does not move a CONTRACT_PRICE stop");
	ticker(s, 1002, "98.8", "5", "98.9", "5");
	trade(s, 1002, "99.0", "1", true); /* at the stop: a SELL stop fires at <= */
	const struct ev_order *u = last_update(&R, "sl");
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->type, OT_MARKET);
	cr_assert_eq(u->orig_type, OT_STOP_MARKET);
	cr_assert_eq(u->stop_price, D("99.0"));
	cr_assert_eq(u->avg_price, D("98.8"), "executes as a market order against the bid");
	/* NEW (as STOP_MARKET), NEW (as MARKET on trigger), TRADE */
	int news = 0;
	for (int i = 0; i < R.n; i++)
		news += R.ev[i].type == EV_ORDER_UPDATE && R.ev[i].u.order.exec == EXEC_NEW;
	cr_assert_eq(news, 2);
	sim_free(s);
}

Test(stops, mark_price_stop_ignores_trades)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "99.0", "1", WT_MARK_PRICE), 1000);
	trade(s, 1001, "98.5", "1", true);
	cr_assert_eq(filled_of(&R, "sl"), 0, "a trade does not move a MARK_PRICE stop");
	mark(s, 1002, "98.95", "0", 0);
	cr_assert_eq(filled_of(&R, "sl"), D("1"));
	sim_free(s);
}

Test(stops, would_trigger_immediately_is_2021)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, stop_req("buy_stop", OT_STOP_MARKET, SIDE_BUY, "99.0", "1", 0), 1000);
	place_now(s, stop_req("sell_tp", OT_TAKE_PROFIT_MARKET, SIDE_SELL, "99.0", "1", 0), 1000);
	place_now(s, stop_req("mark_stop", OT_STOP_MARKET, SIDE_SELL, "100.0", "1", WT_MARK_PRICE),
	          1000);
	expect_reject(&R, "buy_stop", -2021);
	expect_reject(&R, "sell_tp", -2021);
	expect_reject(&R, "mark_stop", -2021);
	cr_assert_str_eq(R.rej[0].msg, "Order would immediately trigger.");
	sim_free(s);
}

Test(stops, take_profit_directions)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, stop_req("tp_buy", OT_TAKE_PROFIT_MARKET, SIDE_BUY, "99.0", "1", 0), 1000);
	trade(s, 1001, "99.1", "1", true);
	cr_assert_eq(filled_of(&R, "tp_buy"), 0);
	trade(s, 1002, "99.0", "1", true);
	cr_assert_eq(filled_of(&R, "tp_buy"), D("1"), "a BUY take-profit fires at <= stop");
	sim_free(s);
}

Test(stops, stop_limit_becomes_a_limit_order)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	order_req o = stop_req("sl", OT_STOP, SIDE_BUY, "101.0", "2", 0);
	o.price = D("101.2");
	o.tif = TIF_GTC;
	place_now(s, o, 1000);
	ticker(s, 1001, "101.0", "5", "101.1", "0.5");
	trade(s, 1001, "101.0", "1", false);
	const struct ev_order *u = last_update(&R, "sl");
	cr_assert_eq(u->type, OT_LIMIT);
	cr_assert_eq(u->orig_type, OT_STOP);
	cr_assert_eq(u->status, OS_PARTIALLY_FILLED);
	cr_assert_eq(u->filled_qty, D("1"), "0.5 at 101.1, a slice of 0.5 at 101.2, the rest rests");
	cr_assert_eq(u->avg_price, D("101.15"));
	sim_free(s);
}

Test(stops, close_position_closes_what_is_open_at_the_trigger)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, market_req("entry", SIDE_BUY, "1.5"), 1000);
	order_req tp = stop_req("tp", OT_TAKE_PROFIT_MARKET, SIDE_SELL, "101.0", NULL, 0);
	tp.close_position = true;
	place_now(s, tp, 1000);
	cr_assert_eq(last_update(&R, "tp")->status, OS_NEW);
	ticker(s, 1001, "101.0", "5", "101.1", "5");
	trade(s, 1001, "101.0", "1", false);
	cr_assert_eq(filled_of(&R, "tp"), D("1.5"));
	cr_assert(last_update(&R, "tp")->close_position);
	cr_assert_eq(last_position(&R)->amount, 0);
	sim_free(s);
}

Test(stops, close_position_without_position_expires)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	order_req sl = stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "99.0", NULL, 0);
	sl.close_position = true;
	place_now(s, sl, 1000);
	trade(s, 1001, "98.0", "1", true);
	cr_assert_eq(last_update(&R, "sl")->status, OS_EXPIRED);
	cr_assert_eq(filled_of(&R, "sl"), 0);
	sim_free(s);
}

Test(stops, price_protect_holds_while_last_and_mark_diverge)
{
	struct sim_params p = quiet_params();
	sim_t *s = protected_market_at_100(&p, true);
	order_req o = stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "98.0", "1", 0);
	o.price_protect = true;
	place_now(s, o, 1000);
	trade(s, 1001, "97.0", "1", true); /* 3 % from the mark: held */
	cr_assert_eq(filled_of(&R, "sl"), 0);
	mark(s, 1002, "97.5", "0", 0);
	trade(s, 1003, "97.0", "1", true);
	cr_assert_eq(filled_of(&R, "sl"), D("1"));
	sim_free(s);
}

/* Trades-only data: a MARK_PRICE stop watches the last trade instead, and
 * so does priceProtect (nothing diverges). The run says so in its stats. */
Test(stops, mark_price_stop_fires_on_the_last_trade_without_mark_data)
{
	struct sim_params p = quiet_params();
	sim_t *s = protected_market_at_100(&p, false);
	order_req o = stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "98.5", "1", WT_MARK_PRICE);
	o.price_protect = true;
	place_now(s, o, 1000);
	ticker(s, 1001, "95.0", "5", "95.1", "5");
	trade(s, 1001, "95.0", "5", true);
	cr_assert_eq(filled_of(&R, "sl"), D("1"), "a 5 %% fall must reach the stop");
	cr_assert_eq(last_update(&R, "sl")->avg_price, D("95.0"));
	struct sim_symbol_stats st = btc_stats(s);
	cr_assert_eq(st.stop_triggers, 1);
	cr_assert_eq(st.stop_triggers_on_last, 1);
	sim_free(s);
}

/* A mark older than max_quote_age_ms gives way to the last trade too. */
Test(stops, a_stale_mark_gives_way_to_the_last_trade)
{
	struct sim_params p = quiet_params();
	sim_t *s = market_at_100(&p);
	place_now(s, stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "98.5", "1", WT_MARK_PRICE), 1000);
	trade(s, 5000, "97.0", "1", true);
	cr_assert_eq(filled_of(&R, "sl"), 0, "the mark is 4 s old: still the mark");
	ticker(s, 6001, "97.0", "5", "97.1", "5");
	trade(s, 6001, "97.0", "1", true);
	cr_assert_eq(filled_of(&R, "sl"), D("1"), "the mark is over 5 s old");
	cr_assert_eq(btc_stats(s).stop_triggers_on_last, 1);
	place_now(s, stop_req("late", OT_STOP_MARKET, SIDE_SELL, "98.0", "1", WT_MARK_PRICE), 6001);
	expect_reject(&R, "late", -2021); /* judged on the last trade, as it would fire */
	sim_free(s);
}

/* Mark-only data, the other way round: a CONTRACT_PRICE stop on the mark. */
Test(stops, contract_price_stop_fires_on_the_mark_without_trades)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "5", "100.1", "5");
	mark(s, 1000, "100.0", "0", 0);
	place_now(s, stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "98.5", "1", 0), 1000);
	ticker(s, 1001, "97.9", "5", "98.0", "5");
	mark(s, 1001, "98.0", "0", 0);
	cr_assert_eq(filled_of(&R, "sl"), D("1"));
	cr_assert_eq(last_update(&R, "sl")->avg_price, D("97.9"));
	cr_assert_eq(btc_stats(s).stop_triggers_on_mark, 1);
	sim_free(s);
}
