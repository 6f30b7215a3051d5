/* Matching: queue position, trade-through, book walking, time in force,
 * the top-of-book and trades-only fallbacks, and a book crossing a resting
 * order. Zero latency and zero fees unless stated. */
#include "harness.h"

static struct rec R;

static void buy_at_100(sim_t *s, const char *qty, int64_t ms)
{
	order_req o = limit_req("q1", SIDE_BUY, "100.0", qty, TIF_GTC);
	place(s, &R, &o, ms);
	sim_advance(s, ms);
	cr_assert_eq(last_update(&R, "q1")->status, OS_NEW);
}

Test(matching, queue_ahead_consumed_by_trades_at_the_price)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "5", "100.1", "3");
	buy_at_100(s, "2", 1000); /* 5 ahead */
	trade(s, 1001, "100.0", "3", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "2 still ahead");
	trade(s, 1002, "100.0", "3", true);
	cr_assert_eq(filled_of(&R, "q1"), D("1"), "3 traded against 2 ahead leaves 1");
	const struct ev_order *u = last_update(&R, "q1");
	cr_assert_eq(u->status, OS_PARTIALLY_FILLED);
	cr_assert(u->maker);
	cr_assert_eq(u->last_price, D("100.0"));
	trade(s, 1003, "100.0", "5", true);
	cr_assert_eq(last_update(&R, "q1")->status, OS_FILLED);
	cr_assert_eq(filled_of(&R, "q1"), D("2"));
	sim_free(s);
}

Test(matching, buys_at_the_price_do_not_consume_a_bid_queue)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "1", "100.1", "3");
	buy_at_100(s, "1", 1000);
	trade(s, 1001, "100.0", "5", false); /* a taker buy: not our side */
	cr_assert_eq(filled_of(&R, "q1"), 0);
	sim_free(s);
}

Test(matching, cancels_ahead_are_pro_rata)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "10", "100.1", "3");
	buy_at_100(s, "1", 1000);                  /* 10 ahead */
	ticker(s, 1001, "100.0", "20", "100.1", "3"); /* 10 join behind us */
	ticker(s, 1002, "100.0", "15", "100.1", "3"); /* 5 cancel: 10 x 5/20 = 2.5 of them ahead */
	trade(s, 1003, "100.0", "7.5", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "7.5 were still ahead");
	trade(s, 1004, "100.0", "0.4", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.4"));
	sim_free(s);
}

/* The pro-rata estimate of the queue is fractional, but an execution is a
 * whole number of lots: the share of a trade past the queue is rounded down
 * to the step. */
Test(matching, a_fill_past_a_pro_rata_queue_is_whole_lots)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "3", "100.1", "3");
	buy_at_100(s, "1", 1000);                    /* 3 ahead */
	ticker(s, 1001, "100.0", "7", "100.1", "3"); /* 4 join behind us */
	ticker(s, 1002, "100.0", "6", "100.1", "3"); /* 1 cancel: 3 x 1/7 of them ahead */
	trade(s, 1003, "100.0", "3", true);          /* 0.42857142... past the queue */
	cr_assert_eq(filled_of(&R, "q1"), D("0.428"));
	sim_free(s);
}

Test(matching, trades_explain_a_shrinking_level_before_cancels)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "10", "100.1", "3");
	buy_at_100(s, "1", 1000);
	trade(s, 1001, "100.0", "2", true);           /* 8 ahead */
	ticker(s, 1002, "100.0", "8", "100.1", "3");  /* the trade, no cancel */
	trade(s, 1003, "100.0", "7.9", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "0.1 still ahead");
	trade(s, 1004, "100.0", "0.3", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.2"));
	sim_free(s);
}

/* The book often shows a trade before the trade stream reports it: the
 * level shrinks first, and the shrink looks like cancels. The trade that
 * follows, made no later than that update, is the shrink's cause and must
 * not consume the queue a second time. */
static sim_t *shrink_of_two_ahead_of_the_trade(void)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "10", "100.1", "3");
	buy_at_100(s, "1", 1000);                     /* 10 ahead */
	ticker(s, 1001, "100.0", "20", "100.1", "3"); /* 10 join behind us */
	ticker(s, 1002, "100.0", "18", "100.1", "3"); /* as cancels: 2 x 10/20 = 1 ahead */
	return s;
}

Test(matching, a_shrink_shown_before_its_trade_is_not_counted_twice)
{
	sim_t *s = shrink_of_two_ahead_of_the_trade();
	trade_tx(s, 1003, 1002, "100.0", "2", true); /* the trade behind the shrink: 8 ahead */
	trade(s, 1004, "100.0", "8", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "8 were still ahead");
	trade(s, 1005, "100.0", "0.3", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.3"));
	sim_free(s);
}

/* A trade made after the update, or reported later than shrink_match_ms,
 * is new volume: the shrink stays cancels (7 ahead after the trade). */
static void trade_after_a_shrink_is_new_volume(int64_t ms, int64_t tx_ms)
{
	sim_t *s = shrink_of_two_ahead_of_the_trade();
	trade_tx(s, ms, tx_ms, "100.0", "2", true);
	trade(s, ms + 1, "100.0", "7", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "7 were still ahead");
	trade(s, ms + 2, "100.0", "0.3", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.3"));
	sim_free(s);
}

Test(matching, a_trade_after_the_shrink_or_too_late_is_new_volume)
{
	trade_after_a_shrink_is_new_volume(1003, 1003);
	trade_after_a_shrink_is_new_volume(1103, 1002); /* shrink_match_ms is 100 */
}

Test(matching, trade_through_fills_up_to_the_traded_quantity)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "50", "100.1", "3");
	buy_at_100(s, "2", 1000);
	trade(s, 1001, "99.9", "0.5", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.5"));
	cr_assert_eq(last_update(&R, "q1")->last_price, D("100.0"), "fills at its own limit");
	trade(s, 1002, "99.8", "3", true);
	cr_assert_eq(filled_of(&R, "q1"), D("2"));
	cr_assert_eq(last_update(&R, "q1")->avg_price, D("100.0"));
	sim_free(s);
}

Test(matching, without_queue_model_a_touch_fills)
{
	struct sim_params p = quiet_params();
	p.queue_position = false;
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "50", "100.1", "3");
	buy_at_100(s, "2", 1000);
	trade(s, 1001, "100.0", "0.7", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.7"));
	sim_free(s);
}

Test(matching, queue_unknown_behind_the_top_until_the_level_shows)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.5", "5", "100.6", "3");
	buy_at_100(s, "1", 1000); /* behind the top: size at 100.0 unknown */
	trade(s, 1001, "100.0", "10", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "a touch with unknown queue does not fill");
	ticker(s, 1002, "100.0", "3", "100.1", "3"); /* 3 ahead from now */
	trade(s, 1003, "100.0", "3.25", true);
	cr_assert_eq(filled_of(&R, "q1"), D("0.25"));
	sim_free(s);
}

static void btc_book(sim_t *s)
{
	const char *bids[] = {"100.0:4", "99.9:6", NULL};
	const char *asks[] = {"100.1:1", "100.2:2", "100.5:5", NULL};
	depth(s, EV_DEPTH_SNAPSHOT, 1000, 0, 100, 0, bids, asks);
}

Test(matching, market_order_walks_the_depth)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	btc_book(s);
	order_req o = market_req("m1", SIDE_BUY, "2.5");
	place(s, &R, &o, 1000);
	sim_advance(s, 1000);
	const struct ev_order *u = last_update(&R, "m1");
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->avg_price, D("100.16"), "1 @ 100.1 + 1.5 @ 100.2");
	cr_assert_eq(u->last_qty, D("1.5"));
	cr_assert_not(u->maker);
	/* our fill took that liquidity from the copy of the book */
	o = market_req("m2", SIDE_BUY, "1");
	place(s, &R, &o, 1001);
	sim_advance(s, 1001);
	cr_assert_eq(last_update(&R, "m2")->avg_price, D("100.35"), "0.5 @ 100.2 + 0.5 @ 100.5");
	sim_free(s);
}

Test(matching, marketable_limit_takes_then_rests)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	btc_book(s);
	order_req o = limit_req("l1", SIDE_BUY, "100.2", "5", TIF_GTC);
	place(s, &R, &o, 1000);
	sim_advance(s, 1000);
	const struct ev_order *u = last_update(&R, "l1");
	cr_assert_eq(u->status, OS_PARTIALLY_FILLED);
	cr_assert_eq(u->filled_qty, D("3"));
	/* resting at 100.2 with nobody ahead: the first sell there fills it */
	trade(s, 1001, "100.2", "0.5", true);
	cr_assert_eq(filled_of(&R, "l1"), D("3.5"));
	cr_assert(last_update(&R, "l1")->maker);
	sim_free(s);
}

Test(matching, ioc_fok_gtx)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	btc_book(s);
	order_req ioc = limit_req("ioc", SIDE_BUY, "100.1", "3", TIF_IOC);
	order_req fok = limit_req("fok", SIDE_BUY, "100.2", "5", TIF_FOK);
	order_req gtx = limit_req("gtx", SIDE_BUY, "100.1", "1", TIF_GTX);
	order_req post = limit_req("post", SIDE_BUY, "100.0", "1", TIF_GTX);
	place(s, &R, &gtx, 1000);
	place(s, &R, &post, 1000);
	place(s, &R, &ioc, 1000);
	place(s, &R, &fok, 1000);
	sim_advance(s, 1000);
	cr_assert_eq(filled_of(&R, "ioc"), D("1"));
	cr_assert_eq(last_update(&R, "ioc")->status, OS_EXPIRED);
	cr_assert_eq(filled_of(&R, "fok"), 0, "only 2 left up to 100.2: all or nothing");
	cr_assert_eq(last_update(&R, "fok")->exec, EXEC_EXPIRED);
	cr_assert_eq(last_update(&R, "gtx")->status, OS_EXPIRED, "post-only that would take");
	cr_assert_eq(last_update(&R, "post")->status, OS_NEW);
	sim_free(s);
}

Test(matching, beyond_the_top_of_book_slices_each_a_tick_worse)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "5", "100.1", "1");
	order_req o = market_req("m", SIDE_BUY, "3");
	place(s, &R, &o, 1000);
	sim_advance(s, 1000);
	const struct ev_order *u = last_update(&R, "m");
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->last_price, D("100.3"), "slices of 1, the size of the top");
	cr_assert_eq(u->last_qty, D("1"));
	cr_assert_eq(u->avg_price, D("100.2"), "1 @ 100.1, 1 @ 100.2, 1 @ 100.3");
	struct sim_symbol_stats st = btc_stats(s);
	cr_assert_eq(st.qty_top, D("3"));
	cr_assert_eq(st.qty_assumed, D("2"));
	sim_free(s);
}

Test(matching, trades_only_book_around_the_last_trade)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	order_req none = market_req("none", SIDE_BUY, "1");
	place(s, &R, &none, 900);
	sim_advance(s, 900);
	cr_assert_eq(last_update(&R, "none")->status, OS_EXPIRED, "no price known at all");
	trade(s, 1000, "100.0", "2", false); /* a taker bought: the ask was 100.0 */
	order_req b = market_req("b", SIDE_BUY, "1");
	order_req a = market_req("a", SIDE_SELL, "1");
	place(s, &R, &b, 1000);
	place(s, &R, &a, 1000);
	sim_advance(s, 1000);
	cr_assert_eq(last_update(&R, "b")->avg_price, D("100.0"));
	cr_assert_eq(last_update(&R, "a")->avg_price, D("99.9"), "the bid one tick under");
	sim_free(s);
}

Test(matching, book_crossing_a_resting_order_fills_it)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "5", "100.1", "3");
	buy_at_100(s, "1", 1000);
	ticker(s, 1001, "99.8", "5", "99.9", "0.4");
	cr_assert_eq(filled_of(&R, "q1"), D("0.4"));
	cr_assert_eq(last_update(&R, "q1")->last_price, D("100.0"));
	sim_free(s);
}

Test(matching, cancel_and_unknown_cancel)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 1000, "100.0", "5", "100.1", "3");
	buy_at_100(s, "1", 1000);
	cancel(s, &R, "q1", 1001);
	cancel(s, &R, "nope", 1001);
	sim_advance(s, 1001);
	cr_assert_eq(last_update(&R, "q1")->exec, EXEC_CANCELED);
	cr_assert_eq(last_update(&R, "q1")->status, OS_CANCELED);
	expect_reject(&R, "nope", -2011);
	trade(s, 1002, "99.0", "5", true);
	cr_assert_eq(filled_of(&R, "q1"), 0, "a cancelled order never fills");
	sim_free(s);
}
