/* Taker orders beyond the liquidity the data shows: slices of the size last
 * seen, each impact_ticks worse; stale quotes left out of pricing; and the
 * per-symbol count of which book priced each fill. BTCUSDT's rules (tick
 * 0.1, step 0.001), zero latency and fees. */
#include "harness.h"

static struct rec R;

static const struct ev_order *market_now(sim_t *s, const char *id, side_t side, const char *qty,
                                         int64_t ms)
{
	order_req o = market_req(id, side, qty);
	place(s, &R, &o, ms);
	sim_advance(s, ms);
	return last_update(&R, id);
}

/* 0.5 BTC must not fill at one price where 0.003 BTC traded. */
Test(liquidity, trades_only_slices_are_the_last_trade_size)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	trade(s, 1000, "60000.0", "0.003", false); /* a taker bought: the ask was 60000.0 */
	const struct ev_order *u = market_now(s, "b", SIDE_BUY, "0.01", 1000);
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->avg_price, D("60000.12"), "0.003 at 60000.0, .1, .2 and 0.001 at .3");
	cr_assert_eq(u->last_price, D("60000.3"));
	u = market_now(s, "a", SIDE_SELL, "0.005", 1000);
	cr_assert_eq(u->avg_price, D("59999.86"), "0.003 at 59999.9, 0.002 at 59999.8");
	struct sim_symbol_stats st = btc_stats(s);
	cr_assert_eq(st.qty_trades, D("0.015"));
	cr_assert_eq(st.qty_assumed, D("0.009"), "all but each first slice");
	cr_assert_eq(st.qty_depth + st.qty_top, 0);
	sim_free(s);
}

/* An order of more slices than one order's fills may hold: the last fill
 * takes the rest at the price of the last slice it stands for, and a limit
 * still caps it. */
Test(liquidity, a_long_walk_is_priced_at_its_last_slice)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	trade(s, 1000, "60000.0", "0.001", false);
	const struct ev_order *u = market_now(s, "m", SIDE_BUY, "0.1", 1000);
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->last_qty, D("0.037"), "63 slices, then the rest in one fill");
	cr_assert_eq(u->last_price, D("60009.9"), "the 100th slice: 99 ticks up");
	trade(s, 1001, "60000.0", "0.001", false); /* new data: the walk starts again */
	order_req o = limit_req("l", SIDE_BUY, "60008.0", "0.1", TIF_IOC);
	place(s, &R, &o, 1001);
	sim_advance(s, 1001);
	u = last_update(&R, "l");
	cr_assert_eq(u->status, OS_EXPIRED);
	cr_assert_eq(filled_of(&R, "l"), D("0.081"), "63 slices, then 18 up to the limit");
	sim_free(s);
}

Test(liquidity, impact_ticks_sets_the_slope)
{
	struct sim_params p = quiet_params();
	p.impact_ticks = 0;
	sim_t *s = new_sim(&R, &p);
	trade(s, 1000, "60000.0", "0.001", false);
	cr_assert_eq(market_now(s, "flat", SIDE_BUY, "0.5", 1000)->avg_price, D("60000.0"),
	             "0 ticks: unlimited size at the last price");
	sim_free(s);
	p.impact_ticks = 5;
	s = new_sim(&R, &p);
	ticker(s, 1000, "59999.9", "1", "60000.0", "0.002");
	cr_assert_eq(market_now(s, "steep", SIDE_BUY, "0.006", 1000)->avg_price, D("60000.5"),
	             "0.002 at the ask 60000.0, then slices at 60000.5 and 60001.0");
	sim_free(s);
}

Test(liquidity, fills_are_counted_by_the_book_that_priced_them)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	const char *bids[] = {"100.0:4", NULL};
	const char *asks[] = {"100.1:1", "100.2:2", NULL};
	depth(s, EV_DEPTH_SNAPSHOT, 1000, 0, 100, 0, bids, asks);
	market_now(s, "depth", SIDE_BUY, "1", 1000);
	ev_t gap = market_ev(EV_GAP, 1001);
	sim_on_market(s, &gap);
	trade(s, 1001, "100.3", "5", false);
	market_now(s, "trades", SIDE_BUY, "2", 1001);
	ticker(s, 1002, "100.3", "5", "100.4", "5");
	market_now(s, "top", SIDE_BUY, "3", 1002);
	ev_t other = market_ev(EV_BOOK_TICKER, 1003);
	memcpy(other.symbol, "ETHUSDT", 8);
	other.u.book = (struct ev_book_ticker){.bid = D("10"), .bid_qty = 1, .ask = D("11"),
	                                       .ask_qty = 1};
	sim_on_market(s, &other);
	struct sim_symbol_stats st[2];
	cr_assert_eq(sim_symbol_stats(s, st, 2), 1, "a symbol without fills is left out");
	cr_assert_str_eq(st[0].symbol, "BTCUSDT");
	cr_assert_eq(st[0].qty_depth, D("1"));
	cr_assert_eq(st[0].qty_trades, D("2"));
	cr_assert_eq(st[0].qty_top, D("3"));
	cr_assert_eq(st[0].qty_assumed, 0);
	sim_free(s);
}

/* The book stream stops while trades go on: the frozen quote must not
 * price an order, a fresh trade does; with neither fresh, nothing is known. */
static sim_t *quote_frozen_at_100(struct sim_params *p)
{
	sim_t *s = new_sim(&R, p);
	ticker(s, 1000, "100.0", "5", "100.1", "5");
	trade(s, 1000, "100.1", "1", false);
	trade(s, 7000, "105.0", "1", false);
	return s;
}

Test(liquidity, a_stale_quote_does_not_price_a_taker_order)
{
	struct sim_params p = quiet_params();
	sim_t *s = quote_frozen_at_100(&p);
	cr_assert_eq(market_now(s, "late", SIDE_BUY, "1", 7000)->avg_price, D("105.0"));
	cr_assert_eq(btc_stats(s).qty_trades, D("1"));
	const struct ev_order *u = market_now(s, "later", SIDE_BUY, "1", 20000);
	cr_assert_eq(u->status, OS_EXPIRED, "the last trade is 13 s old too");
	cr_assert_eq(filled_of(&R, "later"), 0);
	sim_free(s);
	p.max_quote_age_ms = 0;
	s = quote_frozen_at_100(&p);
	cr_assert_eq(market_now(s, "no_limit", SIDE_BUY, "1", 7000)->avg_price, D("100.1"),
	             "0: any age will do");
	sim_free(s);
}

/* Our own taker fills use up what was assumed: until new data arrives, the
 * next order continues where the last one stopped, whether it went beyond a
 * trade or emptied the top of the book. */
Test(liquidity, our_fills_use_up_the_assumed_liquidity)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	trade(s, 1000, "60000.0", "0.003", false);
	cr_assert_eq(market_now(s, "t1", SIDE_BUY, "0.003", 1000)->avg_price, D("60000.0"));
	cr_assert_eq(market_now(s, "t2", SIDE_BUY, "0.003", 1000)->avg_price, D("60000.1"),
	             "the trade's size was taken by t1");
	trade(s, 1001, "60000.0", "0.003", false);
	cr_assert_eq(market_now(s, "t3", SIDE_BUY, "0.003", 1001)->avg_price, D("60000.0"),
	             "a new trade shows new liquidity");
	ticker(s, 1002, "60000.0", "1", "60000.1", "0.002");
	cr_assert_eq(market_now(s, "b1", SIDE_BUY, "0.002", 1002)->avg_price, D("60000.1"));
	cr_assert_eq(market_now(s, "b2", SIDE_BUY, "0.002", 1002)->avg_price, D("60000.2"),
	             "b1 emptied the ask: b2 is beyond it, not back at the last trade");
	cr_assert_eq(btc_stats(s).qty_assumed, D("0.005"), "t2 and b2, and none of t1, t3, b1");
	sim_free(s);
}
