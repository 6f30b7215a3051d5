/*
 * test_window.c - the liquidation trigger (strategy.md section 2): rolling
 * windows per symbol and liquidated side, liquidation sizes, thresholds and
 * their fallback, trade direction, consumption, cooldown and duplicates.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static struct fx *started(void)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	return f;
}

static const struct j_signal *signal_n(struct fx *f, int n)
{
	return &fx_nth(f, J_SIGNAL, n)->u.signal;
}

Test(window, fires_when_one_side_reaches_its_threshold)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.01", "50000", 1000); /* 500 USDT of longs */
	fx_liq(f, SIDE_BUY, "0.012", "50000", 1500); /* 600 of shorts: another window */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.01", "50000", 2000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	const struct j_signal *s = signal_n(f, 0);
	cr_assert(s->fired);
	cr_assert_str_eq(s->reason, "fired");
	cr_assert_eq(s->liq_side, SIDE_SELL);
	cr_assert_eq(s->side, SIDE_BUY, "longs liquidated: the fade buys");
	cr_assert_eq(s->pos_side, PS_LONG);
	cr_assert_eq(s->window_volume, DEC(1000));
	cr_assert_eq(s->threshold, DEC(1000));
	cr_assert_str_eq(s->client_id, fx_last(f, 'E')->req.client_id);
	fx_free(f);
}

Test(window, holds_only_the_last_window_of_trade_time)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.012", "50000", 1000);  /* 600 */
	fx_liq(f, SIDE_SELL, "0.012", "50000", 61000); /* window (1000, 61000]: 1000 left */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.008", "50000", 61500); /* 600 + 400 */
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, keeps_a_liquidation_one_ms_inside_the_window)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.012", "50000", 1001);
	fx_liq(f, SIDE_SELL, "0.008", "50000", 61000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	fx_free(f);
}

static void liq_fields(struct fx *f, const char *q, const char *p, const char *z,
                       const char *ap, int64_t ms)
{
	ev_t ev = {.type = EV_LIQUIDATION, .symbol = "BTCUSDT", .exch_ms = ms};
	ev.u.liq = (struct ev_liquidation){.side = SIDE_SELL, .qty = D(q), .price = D(p),
	                                   .filled_qty = D(z), .avg_price = D(ap),
	                                   .trade_ms = ms};
	fx_event(f, &ev);
}

Test(window, size_is_filled_value_when_known_else_order_value)
{
	struct fx *f = started();
	liq_fields(f, "1", "100", "0.5", "1999", 1000); /* z*ap = 999.5, not q*p = 100 */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	liq_fields(f, "0.005", "100", "0", "0", 1001); /* z unknown: q*p = 0.5 */
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, counts_base_units_when_usdt_volume_is_off)
{
	struct fx *f = fx_new();
	f->s.use_usdt_volume = false;
	f->sym[0].threshold_long = DEC(2);
	fx_start(f);
	liq_fields(f, "1", "50000", "1.5", "50000", 1000);
	liq_fields(f, "0.5", "50000", "0", "0", 1001);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->window_volume, DEC(2));
	fx_free(f);
}

Test(window, combined_mode_sums_both_sides)
{
	struct fx *f = fx_new();
	f->s.window_mode = WINDOW_COMBINED;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	fx_liq(f, SIDE_SELL, "0.01", "50000", 1000);
	fx_liq(f, SIDE_BUY, "0.01", "50000", 2000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	const struct j_signal *s = signal_n(f, 0);
	cr_assert_eq(s->liq_side, SIDE_BUY, "the liquidation that completed the window");
	cr_assert_eq(s->side, SIDE_SELL);
	cr_assert_eq(s->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, side_threshold_falls_back_to_the_legacy_one)
{
	struct fx *f = fx_new();
	f->sym[0].threshold_long = 0;
	f->sym[0].threshold_short = 0;
	f->sym[0].threshold = DEC(300);
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	fx_liq(f, SIDE_SELL, "0.006", "50000", 1000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->threshold, DEC(300));
	fx_free(f);
}

Test(window, side_without_any_threshold_never_fires)
{
	struct fx *f = fx_new();
	f->sym[0].threshold_short = 0;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	fx_liq(f, SIDE_BUY, "10", "50000", 1000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_free(f);
}

Test(window, same_side_mode_follows_the_liquidations)
{
	struct fx *f = fx_new();
	f->sym[0].trade_side = TRADE_SAME;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 1000);
	const struct j_signal *s = signal_n(f, 0);
	cr_assert_eq(s->side, SIDE_SELL);
	cr_assert_eq(s->pos_side, PS_SHORT);
	cr_assert_eq(fx_last(f, 'E')->req.side, SIDE_SELL);
	fx_free(f);
}

Test(window, volume_that_fired_is_consumed)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.02", "50000", 1000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	fx_liq(f, SIDE_SELL, "0.01", "50000", 2000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1, "500 new USDT is below the threshold");
	fx_liq(f, SIDE_SELL, "0.01", "50000", 3000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 2);
	cr_assert_eq(signal_n(f, 1)->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, cooldown_skips_triggers_on_that_side_only)
{
	struct fx *f = fx_new();
	f->sym[0].cooldown_ms = 10000;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 1000);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 5000);
	fx_liq(f, SIDE_BUY, "0.02", "50000", 6000);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 11000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 4);
	cr_assert(signal_n(f, 0)->fired);
	cr_assert_not(signal_n(f, 1)->fired);
	cr_assert_str_eq(signal_n(f, 1)->reason, "cooldown");
	cr_assert(signal_n(f, 2)->fired, "the other side has its own cooldown");
	cr_assert(signal_n(f, 3)->fired, "cooldown over at 11000");
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.signals, 4);
	cr_assert_eq(st.fired, 3);
	cr_assert_eq(st.skipped, 1);
	fx_free(f);
}

Test(window, a_liquidation_seen_twice_counts_once)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.012", "50000", 1000);
	fx_liq(f, SIDE_SELL, "0.012", "50000", 1000); /* replayed after a reconnect */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.012", "50001", 1000); /* same time, other price: new */
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	fx_liq(f, SIDE_SELL, "0.012", "50000", 1000); /* consumed, still a duplicate */
	fx_liq(f, SIDE_SELL, "0.012", "50001", 1000);
	fx_liq(f, SIDE_SELL, "0.01", "50000", 2000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	fx_free(f);
}

Test(window, a_late_liquidation_counts_in_time_order)
{
	struct fx *f = started();
	fx_liq(f, SIDE_SELL, "0.01", "50000", 5000);
	fx_liq(f, SIDE_SELL, "0.008", "50000", 3000); /* arrives late */
	fx_liq(f, SIDE_SELL, "0.008", "50000", 3000); /* and twice */
	fx_liq(f, SIDE_SELL, "0.001", "50000", -56000); /* older than the window */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.002", "50000", 63000); /* drops 3000: 500 + 100 */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.008", "50000", 65000); /* drops 5000: 100 + 400 */
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	fx_liq(f, SIDE_SELL, "0.01", "50000", 65000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, a_long_cascade_is_summed_exactly)
{
	struct fx *f = started();
	/* 5000 liquidations of 0.1 USDT inside one window: the ring grows. */
	for (int i = 0; i < 5000; i++)
		liq_fields(f, "0.000002", "50000", "0", "0", 1000 + i);
	cr_assert_eq(fx_count(f, J_SIGNAL), 0);
	liq_fields(f, "0.01", "50000", "0", "0", 6000);
	cr_assert_eq(fx_count(f, J_SIGNAL), 1);
	cr_assert_eq(signal_n(f, 0)->window_volume, DEC(1000));
	fx_free(f);
}

Test(window, liquidations_of_other_symbols_are_ignored)
{
	struct fx *f = started();
	ev_t ev = {.type = EV_LIQUIDATION, .symbol = "ETHUSDT", .exch_ms = 1000};
	ev.u.liq = (struct ev_liquidation){.side = SIDE_SELL, .qty = DEC(100), .price = DEC(3000),
	                                   .trade_ms = 1000};
	fx_event(f, &ev);
	cr_assert_eq(f->nj, 0);
	fx_free(f);
}
