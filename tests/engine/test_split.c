/*
 * test_split.c - a tranche larger than the exchange's maximum order
 * quantity: its take-profit, stop-loss and close at market are split into
 * orders each within the maximum for their type (LOT_SIZE for a LIMIT,
 * MARKET_LOT_SIZE for a MARKET, the smaller of both for a STOP_MARKET or
 * TAKE_PROFIT_MARKET), which together cover the tranche; while a stop-loss's
 * chunks fill, the take-profit waits to be resized; `--close-all`
 * splits a position the same way through engine_market_split().
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

#define T0 100000 /* when an adopting run restarts */

static char role_of(const struct fx_order *o)
{
	size_t n = strlen(o->req.client_id);
	return n ? o->req.client_id[n - 1] : 0;
}

/* The orders of `role` still working (open, no cancel asked), at most 8. */
static int working(struct fx *f, char role, struct fx_order *out[8])
{
	int n = 0;
	for (int i = 0; i < f->nord; i++) {
		struct fx_order *o = &f->ord[i];
		if (o->open && !o->cancel_asked && role_of(o) == role) {
			cr_assert_lt(n, 8);
			out[n++] = o;
		}
	}
	return n;
}

/* `n` working orders of `role`, each at most `max`, all at one price, that
 * together have `qty` left to fill. */
static void expect_chunks(struct fx *f, char role, int n, const char *max, const char *qty)
{
	struct fx_order *w[8];
	int got = working(f, role, w);
	cr_assert_eq(got, n, "%d orders of role %c, not %d", got, role, n);
	dec_t rest = 0;
	for (int k = 0; k < got; k++) {
		cr_assert_leq(w[k]->req.qty, D(max), "a %c order above the maximum", role);
		cr_assert_eq(w[k]->req.price, w[0]->req.price);
		cr_assert_eq(w[k]->req.stop_price, w[0]->req.stop_price);
		rest += w[k]->req.qty - w[k]->filled;
	}
	cr_assert_eq(rest, D(qty), "role %c covers %lld", role, (long long)rest);
}

static int tranche_actions(struct fx *f, j_tranche_action_t action)
{
	int n = 0;
	for (int i = 0; i < f->nj; i++)
		n += f->j[i].kind == J_TRANCHE && f->j[i].u.tranche.action == action;
	return n;
}

/* LOT_SIZE allows 0.003 (the LIMIT take-profit), MARKET_LOT_SIZE 0.002
 * (the stop-loss and the close at market). */
static struct fx *small_lots(void)
{
	struct fx *f = fx_new();
	f->rules.max_qty = D("0.003");
	f->rules.market_max_qty = D("0.002");
	return f;
}

/* An entry of 0.002 (10 USDT at 10x) filled at `px` and its protection acknowledged. */
static void long_at(struct fx *f, const char *px, int64_t ms)
{
	fx_book(f, px, "60000", ms);
	fx_liq(f, SIDE_SELL, "0.02", "50000", ms);
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.002", px);
	fx_sync(f);
}

/* A long of `qty` at 60000 found at a restart, with `open` orders. */
static void adopt_long_with(struct fx *f, const char *qty, const ev_t *open, uint32_t n)
{
	f->now = T0;
	struct position p = {.symbol = "BTCUSDT", .pos_side = PS_LONG, .amount = D(qty),
	                     .entry_price = DEC(60000)};
	engine_adopt(f->e, &p, 1, open, n, T0);
}

static void adopt_long(struct fx *f, const char *qty)
{
	adopt_long_with(f, qty, NULL, 0);
}

Test(split, a_tranche_grown_above_the_maximum_is_covered_by_chunks)
{
	struct fx *f = small_lots();
	fx_start(f);
	long_at(f, "50000", 1000);
	expect_chunks(f, 'T', 1, "0.003", "0.002");
	long_at(f, "49900", 2000);
	expect_chunks(f, 'T', 2, "0.003", "0.004");
	expect_chunks(f, 'S', 2, "0.002", "0.004");
	long_at(f, "49800", 3000);
	cr_assert_eq(tranche_actions(f, JT_OPEN), 1, "one tranche grew");
	expect_chunks(f, 'T', 2, "0.003", "0.006");
	expect_chunks(f, 'S', 3, "0.002", "0.006");
	cr_assert_eq(fx_last(f, 'T')->req.price, D("50399"), "1 %% above the average 49900");
	fx_time(f, 60000);
	cr_assert_null(fx_last(f, 'C'), "a covered tranche was closed as unprotected");
	fx_free(f);
}

Test(split, an_adopted_position_of_two_and_a_half_maxima_gets_three_and_three)
{
	struct fx *f = fx_new();
	f->rules.max_qty = D("0.002");
	fx_start(f);
	adopt_long(f, "0.005");
	expect_chunks(f, 'T', 3, "0.002", "0.005");
	expect_chunks(f, 'S', 3, "0.002", "0.005");
	cr_assert_eq(fx_last(f, 'T')->req.qty, D("0.001"), "the last chunk takes the rest");
	fx_sync(f);
	cr_assert_eq(tranche_actions(f, JT_PROTECT), 1);
	fx_time(f, T0 + 60000);
	cr_assert_null(fx_last(f, 'C'));
	fx_free(f);
}

/* The previous run's chunks are taken back as they are: nothing to send. */
Test(split, adopted_chunks_need_no_order)
{
	struct fx *f = fx_new();
	f->rules.max_qty = D("0.002");
	fx_start(f);
	adopt_long(f, "0.005");
	fx_sync(f);
	struct fx_order *w[8];
	int n = working(f, 'T', w);
	n += working(f, 'S', w + n);
	cr_assert_eq(n, 6);

	struct fx *g = fx_new();
	g->rules.max_qty = D("0.002");
	fx_start(g);
	ev_t open[6];
	for (int k = 0; k < n; k++)
		open[k] = fx_resting(g, &w[k]->req);
	adopt_long_with(g, "0.005", open, 6);
	cr_assert_eq(fx_intents(g, FX_PLACE), 0, "a split leg was not recognised");
	cr_assert_eq(fx_intents(g, FX_CANCEL), 0);
	fx_free(g);
	fx_free(f);
}

Test(split, the_unprotected_close_at_market_is_split)
{
	struct fx *f = small_lots();
	fx_start(f);
	adopt_long(f, "0.005");
	fx_time(f, T0 + 5000); /* nothing was acknowledged */
	expect_chunks(f, 'C', 3, "0.002", "0.005");
	struct fx_order *c[8];
	cr_assert_eq(working(f, 'C', c), 3);
	for (int k = 0; k < 3; k++)
		cr_assert_eq(c[k]->req.type, OT_MARKET);
	char last[CLIENT_ID_MAX];
	strcpy(last, c[2]->req.client_id);
	fx_fill(f, c[0]->req.client_id, "0.002", "59000");
	fx_fill(f, c[1]->req.client_id, "0.002", "59000");
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.qty, D("0.001"));
	cr_assert_eq(working(f, 'T', c), 0, "protected again while a chunk still closes");
	fx_fill(f, last, "0.001", "59000");
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.action, JT_CLOSE);
	cr_assert_eq(working(f, 'T', c) + working(f, 'S', c), 0);
	fx_free(f);
}

Test(split, what_the_split_close_leaves_is_protected_again)
{
	struct fx *f = small_lots();
	fx_start(f);
	adopt_long(f, "0.005");
	fx_time(f, T0 + 5000);
	struct fx_order *c[8];
	cr_assert_eq(working(f, 'C', c), 3);
	char last[CLIENT_ID_MAX];
	strcpy(last, c[2]->req.client_id);
	fx_fill(f, c[0]->req.client_id, "0.002", "59000");
	fx_cancel_done(f, c[1]->req.client_id, EXEC_EXPIRED);
	fx_sync(f); /* drops the cancelled TP and SL */
	cr_assert_eq(fx_open_count(f, 'T'), 0);
	fx_cancel_done(f, last, EXEC_EXPIRED);
	expect_chunks(f, 'T', 1, "0.003", "0.003");
	expect_chunks(f, 'S', 2, "0.002", "0.003");
	fx_free(f);
}

/* A take-profit chunk that fills shrinks the tranche by what it filled; the
 * other chunks still add up to the tranche and stay, the stop-loss is
 * resized. */
Test(split, a_filled_chunk_leaves_the_others_as_they_are)
{
	struct fx *f = small_lots();
	fx_start(f);
	adopt_long(f, "0.007");
	fx_sync(f);
	expect_chunks(f, 'T', 3, "0.003", "0.007");
	struct fx_order *tp[8];
	cr_assert_eq(working(f, 'T', tp), 3);
	char first[CLIENT_ID_MAX], second[CLIENT_ID_MAX];
	strcpy(first, tp[0]->req.client_id);
	strcpy(second, tp[1]->req.client_id);
	int placed = fx_intents(f, FX_PLACE);

	fx_fill(f, first, "0.003", "60600");
	const struct j_tranche *jt = &fx_nth(f, J_TRANCHE, -1)->u.tranche;
	cr_assert_eq(jt->action, JT_REDUCE);
	cr_assert_eq(jt->qty, D("0.004"));
	cr_assert_eq(jt->avg_entry, DEC(60000));
	cr_assert_eq(fx_intents(f, FX_PLACE), placed + 2, "only the stop-loss is replaced");
	fx_sync(f);
	expect_chunks(f, 'T', 2, "0.003", "0.004");
	expect_chunks(f, 'S', 2, "0.002", "0.004");

	fx_fill(f, second, "0.001", "60600"); /* partly */
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.qty, D("0.003"));
	fx_sync(f);
	expect_chunks(f, 'T', 2, "0.003", "0.003");
	expect_chunks(f, 'S', 2, "0.002", "0.003");
	fx_time(f, T0 + 60000);
	cr_assert_null(fx_last(f, 'C'));
	fx_free(f);
}

/* One refused chunk of a replacement: the rest of it is cancelled and the
 * old orders stay, leaving the growth to the unprotected timeout. */
Test(split, a_refused_chunk_cancels_the_rest_of_its_replacement)
{
	struct fx *f = small_lots();
	fx_start(f);
	long_at(f, "50000", 1000);
	char old_sl[CLIENT_ID_MAX];
	strcpy(old_sl, fx_last(f, 'S')->req.client_id);
	fx_book(f, "49900", "60000", 2000);
	fx_liq(f, SIDE_SELL, "0.02", "50000", 2000);
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.002", "49900");
	struct fx_order *sl[8];
	cr_assert_eq(working(f, 'S', sl), 3, "the old stop and two new chunks");
	char kept[CLIENT_ID_MAX];
	strcpy(kept, sl[1]->req.client_id);
	fx_ack(f, kept);
	fx_reject(f, sl[2]->req.client_id, -4045);
	cr_assert(fx_find(f, kept)->cancel_asked, "half a replacement was kept");
	cr_assert_not(fx_find(f, old_sl)->cancel_asked, "the old stop must stay");
	fx_sync(f);
	fx_time(f, 6999);
	cr_assert_null(fx_last(f, 'C'));
	fx_time(f, 7000);
	expect_chunks(f, 'C', 2, "0.002", "0.004");
	fx_free(f);
}

/* A rest below the minimum quantity takes what it lacks from the chunk before. */
Test(split, a_rest_below_the_minimum_borrows_from_the_chunk_before)
{
	struct fx *f = small_lots();
	f->rules.min_qty = D("0.002");
	fx_start(f);
	adopt_long(f, "0.007");
	struct fx_order *tp[8];
	cr_assert_eq(working(f, 'T', tp), 3);
	cr_assert_eq(tp[0]->req.qty, D("0.003"));
	cr_assert_eq(tp[1]->req.qty, D("0.002"));
	cr_assert_eq(tp[2]->req.qty, D("0.002"));
	fx_free(f);
}

/* A TAKE_PROFIT_MARKET trades as a market order when it triggers: it keeps
 * within MARKET_LOT_SIZE even though LOT_SIZE allows more. */
Test(split, a_take_profit_market_keeps_the_market_maximum)
{
	struct fx *f = small_lots();
	f->sym[0].tp_mode = TP_MARKET;
	fx_start(f);
	adopt_long(f, "0.005");
	expect_chunks(f, 'T', 3, "0.002", "0.005");
	cr_assert_eq(fx_last(f, 'T')->req.type, OT_TAKE_PROFIT_MARKET);
	fx_free(f);
}

/* What `--close-all` sends for a position: MARKET orders within
 * MARKET_LOT_SIZE, the last carrying the excess past `cap`, and one order
 * for a symbol whose rules the engine does not have. */
Test(split, a_position_closed_from_outside_is_split_as_the_engine_closes)
{
	struct fx *f = small_lots();
	fx_start(f);
	dec_t q[4];
	cr_assert_eq(engine_market_split(f->e, "BTCUSDT", D("0.007"), q, 4), 4);
	cr_assert(q[0] == D("0.002") && q[1] == D("0.002") && q[2] == D("0.002") &&
	          q[3] == D("0.001"));
	cr_assert_eq(engine_market_split(f->e, "BTCUSDT", D("0.007"), q, 2), 2);
	cr_assert(q[0] == D("0.002") && q[1] == D("0.005"));
	cr_assert_eq(engine_market_split(f->e, "ETHUSDT", D("0.007"), q, 4), 1);
	cr_assert_eq(q[0], D("0.007"));
	fx_free(f);
}

/* The stop-loss's chunks share one trigger: once one fills, the others are
 * filling too, and the take-profit is not resized to each fill (the
 * replacements would reach the exchange once the position is gone). */
Test(split, stop_chunks_filling_together_leave_the_take_profit_alone)
{
	struct fx *f = small_lots();
	fx_start(f);
	adopt_long(f, "0.007");
	fx_sync(f);
	struct fx_order *sl[8];
	int n = working(f, 'S', sl);
	cr_assert_eq(n, 4);
	char ids[8][CLIENT_ID_MAX];
	for (int k = 0; k < n; k++)
		strcpy(ids[k], sl[k]->req.client_id);
	int placed = fx_intents(f, FX_PLACE), cancels = fx_intents(f, FX_CANCEL);
	for (int k = 0; k < n - 1; k++) {
		fx_fill(f, ids[k], "0.002", "58800");
		cr_assert_eq(fx_intents(f, FX_PLACE), placed, "the take-profit was resized");
		cr_assert_eq(fx_intents(f, FX_CANCEL), cancels);
	}
	fx_fill(f, ids[n - 1], "0.001", "58800");
	cr_assert_eq(fx_intents(f, FX_PLACE), placed);
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.action, JT_CLOSE);
	cr_assert_eq(fx_intents(f, FX_CANCEL), cancels + 3, "the take-profit's chunks");
	fx_free(f);
}

/* An entry joins while the stop-loss's chunks fire: the stop-loss is
 * replaced for the grown tranche, and once the replacement is in, the
 * take-profit that waited is resized too. */
Test(split, the_take_profit_waits_for_a_firing_stop_loss_to_be_replaced)
{
	struct fx *f = small_lots();
	fx_start(f);
	adopt_long(f, "0.007");
	fx_sync(f);
	struct fx_order *sl[8];
	cr_assert_eq(working(f, 'S', sl), 4);
	fx_fill(f, sl[0]->req.client_id, "0.002", "58800");
	const struct fx_order *tp = fx_last(f, 'T');
	fx_book(f, "58000", "60000", T0 + 1000);
	fx_liq(f, SIDE_SELL, "0.02", "50000", T0 + 1000);
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.001", "57900");
	cr_assert_eq(fx_nth(f, J_TRANCHE, -1)->u.tranche.action, JT_JOIN);
	cr_assert_eq(fx_last(f, 'T'), tp, "the take-profit did not wait");
	fx_sync(f);
	expect_chunks(f, 'S', 3, "0.002", "0.006");
	expect_chunks(f, 'T', 2, "0.003", "0.006");
	cr_assert_neq(fx_last(f, 'T'), tp, "the take-profit was not resized");
	fx_time(f, T0 + 60000);
	cr_assert_null(fx_last(f, 'C'));
	fx_free(f);
}
