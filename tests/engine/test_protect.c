/*
 * test_protect.c - take-profit and stop-loss per tranche (strategy.md
 * section 5): prices and order types, replacement without a gap, the pair
 * rule, refused protective orders, and closing at market when a tranche
 * stays unprotected or every tranche is to close (--close-all).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* A long of 0.001 filled at `px` at time `ms`, its TP and SL sent (and
 * accepted when `ack`). */
static void long_at(struct fx *f, const char *px, int64_t ms, bool ack)
{
	fx_book(f, px, "60000", ms);
	fx_liq(f, SIDE_SELL, "0.02", "50000", ms);
	struct fx_order *o = fx_last(f, 'E');
	fx_fill(f, o->req.client_id, "0.001", px);
	if (ack)
		fx_sync(f);
}

static struct fx *with_long(const char *px, bool ack)
{
	struct fx *f = fx_new();
	f->sym[0].trade_value_usdt = D("5");
	fx_start(f);
	long_at(f, px, 1000, ack);
	return f;
}

static int cancels_of(struct fx *f, const char *client_id)
{
	int n = 0;
	for (int i = 0; i < f->nin; i++)
		n += f->in[i].kind == FX_CANCEL && !strcmp(f->in[i].client_id, client_id);
	return n;
}

Test(protect, long_targets_round_away_from_the_entry)
{
	struct fx *f = with_long("50000.3", false);
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	cr_assert_eq(tp->req.type, OT_LIMIT);
	cr_assert_eq(tp->req.tif, TIF_GTC);
	cr_assert_eq(tp->req.side, SIDE_SELL);
	cr_assert_eq(tp->req.pos_side, PS_LONG);
	cr_assert_eq(tp->req.price, D("50500.4"), "50500.303 rounded up");
	cr_assert_eq(tp->req.qty, D("0.001"));
	cr_assert_eq(sl->req.type, OT_STOP_MARKET);
	cr_assert_eq(sl->req.stop_price, D("49000.2"), "49000.294 rounded down");
	cr_assert_eq(sl->req.price, 0);
	cr_assert_eq(sl->req.working_type, WT_MARK_PRICE);
	cr_assert_eq(sl->req.qty, D("0.001"));
	fx_free(f);
}

Test(protect, short_targets_mirror_the_long_ones)
{
	struct fx *f = fx_new();
	f->sym[0].price_protect = true;
	fx_start(f);
	fx_book(f, "50000.2", "50000.3", 1);
	fx_liq(f, SIDE_BUY, "0.02", "50000", 1000);
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.001", "50000.3");
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	cr_assert_eq(tp->req.side, SIDE_BUY);
	cr_assert_eq(tp->req.pos_side, PS_SHORT);
	cr_assert_eq(tp->req.price, D("49500.2"), "49500.297 rounded down");
	cr_assert_eq(sl->req.stop_price, D("51000.4"), "51000.306 rounded up");
	cr_assert(sl->req.price_protect);
	fx_free(f);
}

Test(protect, take_profit_market_mode)
{
	struct fx *f = fx_new();
	f->sym[0].tp_mode = TP_MARKET;
	f->sym[0].working_type = WT_CONTRACT_PRICE;
	fx_start(f);
	long_at(f, "50000.3", 1000, false);
	struct fx_order *tp = fx_last(f, 'T');
	cr_assert_eq(tp->req.type, OT_TAKE_PROFIT_MARKET);
	cr_assert_eq(tp->req.stop_price, D("50500.4"));
	cr_assert_eq(tp->req.price, 0);
	cr_assert_eq(tp->req.working_type, WT_CONTRACT_PRICE);
	fx_free(f);
}

Test(protect, a_grown_tranche_is_replaced_without_a_gap)
{
	struct fx *f = with_long("50000", true);
	cr_assert_eq(fx_count(f, J_TRANCHE), 2, "open, then protected");
	cr_assert_eq(fx_nth(f, J_TRANCHE, 1)->u.tranche.action, JT_PROTECT);
	char old_tp[CLIENT_ID_MAX], old_sl[CLIENT_ID_MAX];
	strcpy(old_tp, fx_last(f, 'T')->req.client_id);
	strcpy(old_sl, fx_last(f, 'S')->req.client_id);

	long_at(f, "49000", 2000, false); /* joins: 0.002 @ 49500 */
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	cr_assert_eq(tp->req.price, D("49995"));
	cr_assert_eq(tp->req.qty, D("0.002"));
	cr_assert_eq(sl->req.stop_price, D("48510"));
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0, "old orders stay until the new are accepted");
	fx_ack(f, tp->req.client_id);
	cr_assert_eq(cancels_of(f, old_tp), 1);
	cr_assert_eq(cancels_of(f, old_sl), 0);
	fx_ack(f, fx_last(f, 'S')->req.client_id);
	cr_assert_eq(cancels_of(f, old_sl), 1);
	fx_sync(f);
	cr_assert_eq(fx_open_count(f, 'T'), 1);
	cr_assert_eq(fx_open_count(f, 'S'), 1);
	cr_assert_eq(fx_count(f, J_TRANCHE), 3, "never unprotected, so no second JT_PROTECT");
	fx_free(f);
}

Test(protect, a_stale_replacement_is_superseded)
{
	struct fx *f = with_long("50000", true);
	char first_tp[CLIENT_ID_MAX];
	strcpy(first_tp, fx_last(f, 'T')->req.client_id);
	long_at(f, "49000", 2000, false);
	char stale_tp[CLIENT_ID_MAX];
	strcpy(stale_tp, fx_last(f, 'T')->req.client_id);
	long_at(f, "49500", 3000, false); /* grows again before the replacement is in */
	cr_assert_eq(cancels_of(f, stale_tp), 1);
	cr_assert_eq(cancels_of(f, first_tp), 0, "the working one still protects");
	fx_ack(f, stale_tp); /* accepted late: must not displace anything */
	cr_assert_eq(cancels_of(f, first_tp), 0);
	fx_sync(f);
	cr_assert_eq(cancels_of(f, first_tp), 1);
	cr_assert_eq(fx_open_count(f, 'T'), 1);
	cr_assert_eq(fx_last(f, 'T')->req.qty, D("0.003"));
	cr_assert(fx_last(f, 'T')->open);
	fx_free(f);
}

static void expect_close_at_market(struct fx *f, bool reduce_only)
{
	struct fx_order *c = fx_last(f, 'C');
	cr_assert(c, "no closing order");
	cr_assert_eq(c->req.type, OT_MARKET);
	cr_assert_eq(c->req.side, SIDE_SELL);
	cr_assert_eq(c->req.qty, D("0.001"));
	cr_assert_eq(c->req.reduce_only, reduce_only);
	fx_fill(f, c->req.client_id, "0.001", "49990");
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.action, JT_CLOSE);
	cr_assert_eq(fx_nth(f, J_FILL, -1)->u.fill.role, ROLE_CLOSE);
}

Test(protect, an_unprotected_tranche_is_closed_at_market)
{
	struct fx *f = with_long("50000", false);
	fx_time(f, 5999);
	cr_assert_null(fx_last(f, 'C'));
	fx_time(f, 6000);
	cr_assert_eq(cancels_of(f, fx_last(f, 'T')->req.client_id), 1);
	cr_assert_eq(cancels_of(f, fx_last(f, 'S')->req.client_id), 1);
	expect_close_at_market(f, false);
	fx_free(f);
}

Test(protect, close_all_closes_at_market_and_protects_nothing_again)
{
	struct fx *f = with_long("50000", true);
	char tp[CLIENT_ID_MAX], sl[CLIENT_ID_MAX];
	snprintf(tp, sizeof tp, "%s", fx_last(f, 'T')->req.client_id);
	snprintf(sl, sizeof sl, "%s", fx_last(f, 'S')->req.client_id);
	engine_close_all(f->e, "close_all");
	cr_assert_eq(cancels_of(f, tp), 1);
	cr_assert_eq(cancels_of(f, sl), 1);
	fx_cancel_done(f, tp, EXEC_CANCELED);
	fx_cancel_done(f, sl, EXEC_CANCELED);
	fx_time(f, 60000); /* past the unprotected timeout: still nothing placed */
	cr_assert_str_eq(fx_last(f, 'T')->req.client_id, tp, "a take-profit placed again");
	cr_assert_str_eq(fx_last(f, 'S')->req.client_id, sl, "a stop-loss placed again");
	expect_close_at_market(f, false);
	cr_assert_eq(fx_open_count(f, 'C'), 0);
	fx_free(f);
}

Test(protect, one_way_closing_orders_are_reduce_only)
{
	struct fx *f = fx_new();
	f->s.hedge_mode = false;
	fx_start(f);
	long_at(f, "50000", 1000, false);
	fx_time(f, 6000);
	cr_assert_eq(fx_last(f, 'C')->req.pos_side, PS_BOTH);
	expect_close_at_market(f, true);
	fx_free(f);
}

Test(protect, a_filled_take_profit_cancels_its_stop)
{
	struct fx *f = with_long("50000", true);
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	fx_fill(f, tp->req.client_id, "0.001", "50500");
	cr_assert_eq(cancels_of(f, sl->req.client_id), 1);
	cr_assert_eq(cancels_of(f, tp->req.client_id), 0);
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.action, JT_CLOSE);
	fx_sync(f);
	cr_assert_eq(fx_open_count(f, 'S'), 0);
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, 0);
	fx_free(f);
}

Test(protect, a_filled_stop_cancels_its_take_profit)
{
	struct fx *f = with_long("50000", true);
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	fx_fill(f, sl->req.client_id, "0.001", "49000");
	cr_assert_eq(cancels_of(f, tp->req.client_id), 1);
	cr_assert_eq(fx_nth(f, J_FILL, -1)->u.fill.role, ROLE_SL);
	fx_free(f);
}

Test(protect, a_partial_take_profit_resizes_the_stop)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "50000", "60000", 1000);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 1000);
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.002", "50000");
	fx_sync(f);
	char tp[CLIENT_ID_MAX], sl[CLIENT_ID_MAX];
	strcpy(tp, fx_last(f, 'T')->req.client_id);
	strcpy(sl, fx_last(f, 'S')->req.client_id);
	fx_fill(f, tp, "0.001", "50500");
	cr_assert_str_eq(fx_last(f, 'T')->req.client_id, tp, "its rest still fits");
	cr_assert_str_neq(fx_last(f, 'S')->req.client_id, sl);
	cr_assert_eq(fx_last(f, 'S')->req.qty, D("0.001"));
	fx_sync(f);
	cr_assert_eq(cancels_of(f, sl), 1);
	fx_free(f);
}

Test(protect, a_stop_that_would_trigger_at_once_closes_now)
{
	struct fx *f = with_long("50000", false);
	fx_ack(f, fx_last(f, 'T')->req.client_id);
	fx_reject(f, fx_last(f, 'S')->req.client_id, -2021);
	expect_close_at_market(f, false);
	fx_free(f);
}

Test(protect, another_refusal_waits_for_the_timeout)
{
	struct fx *f = with_long("50000", false);
	fx_ack(f, fx_last(f, 'S')->req.client_id);
	fx_reject(f, fx_last(f, 'T')->req.client_id, -2022);
	cr_assert_null(fx_last(f, 'C'));
	fx_time(f, 6000);
	expect_close_at_market(f, false);
	fx_free(f);
}

/* A refused replacement leaves the old order covering only what the tranche
 * was before it grew: the growth is unprotected, so the timeout closes it. */
Test(protect, a_refused_replacement_leaves_the_growth_unprotected)
{
	struct fx *f = with_long("50000", true);
	long_at(f, "49000", 2000, false); /* joins: 0.002, the old legs cover 0.001 */
	fx_ack(f, fx_last(f, 'S')->req.client_id);
	fx_reject(f, fx_last(f, 'T')->req.client_id, -4045);
	long_at(f, "49500", 3000, false); /* a new replacement must not restart the clock */
	fx_reject(f, fx_last(f, 'T')->req.client_id, -4045);
	fx_time(f, 6999);
	cr_assert_null(fx_last(f, 'C'), "not before the timeout");
	fx_time(f, 7000);
	struct fx_order *c = fx_last(f, 'C');
	cr_assert(c, "the tranche was left partly covered by its old take-profit");
	cr_assert_eq(c->req.type, OT_MARKET);
	cr_assert_eq(c->req.qty, D("0.003"));
	fx_free(f);
}

Test(protect, what_a_market_close_leaves_is_protected_again)
{
	struct fx *f = with_long("50000", false);
	int before = fx_intents(f, FX_PLACE);
	fx_time(f, 6000);
	struct fx_order *c = fx_last(f, 'C');
	fx_sync(f);
	cr_assert_eq(fx_intents(f, FX_PLACE), before + 1, "only the close while it works");
	fx_cancel_done(f, c->req.client_id, EXEC_EXPIRED);
	cr_assert_eq(fx_intents(f, FX_PLACE), before + 3, "new TP and SL");
	cr_assert_eq(fx_last(f, 'T')->req.qty, D("0.001"));
	fx_time(f, 10999);
	cr_assert_eq(fx_intents(f, FX_PLACE), before + 3, "a fresh timeout");
	fx_free(f);
}
