/*
 * test_tranche.c - tranches (strategy.md section 4): the worked example of
 * the specification played through the engine, merging on the mark price,
 * and closing fills that shrink tranches without ever counting as entries.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

/* The worked example's market: a coin near 1 USDT, whole-coin steps, 10
 * coins per entry (10 USDT at leverage 1), TP 1 %, increment 5 %, max 5. */
static struct fx *example_fx(void)
{
	struct fx *f = fx_new();
	f->rules.tick = D("0.0001");
	f->rules.step = DEC(1);
	f->rules.min_qty = DEC(1);
	f->rules.max_qty = DEC(1000000);
	f->sym[0].leverage = 1;
	f->sym[0].stop_loss_enabled = false;
	f->sym[0].max_position_usdt = DEC(1000);
	fx_start(f);
	return f;
}

/* Longs liquidated with the bid at `bid`: the entry joins the bid and the
 * exchange fills all 10 there. */
static void entry_filled_at(struct fx *f, const char *bid, int64_t ms)
{
	fx_book(f, bid, "2", ms);
	fx_liq(f, SIDE_SELL, "1000", "1", ms);
	struct fx_order *o = fx_last(f, 'E');
	cr_assert_eq(o->req.price, D(bid));
	cr_assert_eq(o->req.qty, DEC(10));
	fx_fill(f, o->req.client_id, "10", bid);
	fx_sync(f);
}

static void play_example(struct fx *f)
{
	entry_filled_at(f, "1.000", 1000);
	entry_filled_at(f, "0.960", 2000);
	entry_filled_at(f, "0.930", 3000);
	entry_filled_at(f, "0.950", 4000);
}

static void expect_tranche(const struct journal_rec *r, j_tranche_action_t action, int id,
                           const char *qty, const char *avg, const char *tp)
{
	const struct j_tranche *t = &r->u.tranche;
	cr_assert_eq(t->action, action, "action %s", j_tranche_action_str(t->action));
	cr_assert_eq(t->tranche, id);
	cr_assert_eq(t->pos_side, PS_LONG);
	cr_assert_eq(t->qty, D(qty), "qty of T%d", id);
	cr_assert_eq(t->avg_entry, D(avg), "average entry of T%d", id);
	cr_assert_eq(t->tp_price, D(tp), "take-profit of T%d", id);
	cr_assert_eq(t->sl_price, 0);
}

/* The n-th J_TRANCHE record whose action is one of open/join/merge/reduce/close. */
static const struct journal_rec *change(struct fx *f, int n)
{
	for (int i = 0, k = 0; i < f->nj; i++)
		if (f->j[i].kind == J_TRANCHE && f->j[i].u.tranche.action != JT_PROTECT &&
		    k++ == n)
			return &f->j[i];
	cr_assert_fail("no tranche change %d", n);
	return NULL;
}

static int open_tp_with(struct fx *f, const char *qty, const char *price)
{
	int n = 0;
	for (int i = 0; i < f->nord; i++) {
		const struct fx_order *o = &f->ord[i];
		size_t len = strlen(o->req.client_id);
		n += o->open && o->req.client_id[len - 1] == 'T' && o->req.qty == D(qty) &&
		     o->req.price == D(price);
	}
	return n;
}

Test(tranche, worked_example_of_the_specification)
{
	struct fx *f = example_fx();
	play_example(f);
	expect_tranche(change(f, 0), JT_OPEN, 0, "10", "1", "1.01");
	expect_tranche(change(f, 1), JT_JOIN, 0, "20", "0.98", "0.9898");
	expect_tranche(change(f, 2), JT_OPEN, 1, "10", "0.93", "0.9393");
	expect_tranche(change(f, 3), JT_JOIN, 1, "20", "0.94", "0.9494");
	cr_assert_eq(fx_open_count(f, 'T'), 2, "one take-profit per tranche");
	cr_assert_eq(open_tp_with(f, "20", "0.9898"), 1);
	cr_assert_eq(open_tp_with(f, "20", "0.9494"), 1);
	fx_free(f);
}

Test(tranche, at_the_maximum_count_the_newest_grows)
{
	struct fx *f = example_fx();
	f->s.max_tranches_per_symbol_side = 1;
	engine_free(f->e);
	fx_start(f);
	entry_filled_at(f, "1.000", 1000);
	entry_filled_at(f, "0.920", 2000); /* 8 % down, but no room for T1 */
	expect_tranche(change(f, 1), JT_JOIN, 0, "20", "0.96", "0.9696");
	fx_free(f);
}

Test(tranche, adjacent_tranches_in_profit_merge_on_the_mark)
{
	struct fx *f = example_fx();
	play_example(f);
	int before = f->nj;
	fx_mark(f, "0.9650", 5000); /* combined 40 @ 0.96: +0.52 %, under 1 % */
	cr_assert_eq(f->nj, before);
	fx_mark(f, "0.9700", 6000); /* +1.04 % */
	const struct journal_rec *m = change(f, 4);
	expect_tranche(m, JT_MERGE, 0, "40", "0.96", "0.9696");
	cr_assert_eq(m->u.tranche.merged_from, 1);
	fx_sync(f);
	cr_assert_eq(fx_open_count(f, 'T'), 1);
	cr_assert_eq(open_tp_with(f, "40", "0.9696"), 1);
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, D("38.4"));
	fx_free(f);
}

Test(tranche, closing_fills_shrink_and_are_never_entries)
{
	struct fx *f = example_fx();
	play_example(f);
	struct fx_order *tp = NULL;
	for (int i = 0; i < f->nord; i++)
		if (f->ord[i].open && f->ord[i].req.price == D("0.9494"))
			tp = &f->ord[i];
	cr_assert(tp);
	fx_fill(f, tp->req.client_id, "5", "0.9494");
	expect_tranche(change(f, 4), JT_REDUCE, 1, "15", "0.94", "0.9494");
	fx_fill(f, tp->req.client_id, "15", "0.9494");
	expect_tranche(change(f, 5), JT_CLOSE, 1, "0", "0", "0");
	const struct j_fill *fill = &fx_nth(f, J_FILL, -1)->u.fill;
	cr_assert_eq(fill->role, ROLE_TP);
	cr_assert_eq(fill->tranche, 1);
	cr_assert_eq(fill->qty, DEC(5 * 3));
	cr_assert_gt(fill->fee, 0);
	cr_assert(fill->maker);
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, D("19.6"), "T0 alone: 20 @ 0.98");
	cr_assert_eq(st.fills, 6);
	fx_free(f);
}

Test(tranche, a_foreign_close_shrinks_the_newest_tranches_first)
{
	struct fx *f = example_fx();
	play_example(f);
	fx_foreign_fill(f, "web_manual_1", EXEC_TRADE, SIDE_SELL, PS_LONG, "25", "0.95");
	const struct j_fill *fill = &fx_nth(f, J_FILL, -1)->u.fill;
	cr_assert_eq(fill->role, ROLE_CLOSE);
	cr_assert_eq(fill->tranche, -1);
	expect_tranche(change(f, 4), JT_CLOSE, 1, "0", "0", "0");
	expect_tranche(change(f, 5), JT_REDUCE, 0, "15", "0.98", "0.9898");
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, D("14.7"));
	fx_sync(f);
	cr_assert_eq(open_tp_with(f, "15", "0.9898"), 1);
	cr_assert_eq(fx_open_count(f, 'T'), 1);
	fx_free(f);
}

Test(tranche, a_foreign_fill_that_closes_nothing_is_reported)
{
	struct fx *f = example_fx();
	play_example(f);
	int before = fx_count(f, J_TRANCHE);
	fx_foreign_fill(f, "web_manual_1", EXEC_TRADE, SIDE_BUY, PS_LONG, "5", "0.95");
	cr_assert(fx_has_note(f, "did not send"));
	cr_assert_eq(fx_count(f, J_TRANCHE), before);
	fx_free(f);
}

/* The exchange closing our position itself: the whole position goes, every
 * tranche with it, their protection is cancelled, their margin released,
 * and the fill is journaled with who closed it. */
static void closed_by_the_exchange(const char *client_id, exec_type_t exec, order_role_t role)
{
	struct fx *f = example_fx();
	play_example(f);
	fx_sync(f);
	int placed = fx_intents(f, FX_PLACE);
	fx_foreign_fill(f, client_id, exec, SIDE_SELL, PS_LONG, "40", "0.90");
	const struct j_fill *fill = &fx_nth(f, J_FILL, -1)->u.fill;
	cr_assert_eq(fill->role, role, "%s: role %s", client_id, order_role_str(fill->role));
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, 0, "margin still counted after %s", client_id);
	cr_assert_eq(fx_intents(f, FX_PLACE), placed, "orders placed for a dead position");
	cr_assert_gt(fx_intents(f, FX_CANCEL), 0, "protection left working");
	fx_sync(f);
	cr_assert_eq(fx_open_count(f, 'T'), 0);
	cr_assert_eq(fx_open_count(f, 'S'), 0);
	fx_free(f);
}

Test(tranche, our_liquidation_closes_every_tranche)
{
	closed_by_the_exchange("autoclose-1700000000000", EXEC_CALCULATED, ROLE_LIQUIDATION);
}

Test(tranche, auto_deleveraging_closes_every_tranche)
{
	closed_by_the_exchange("adl_autoclose", EXEC_TRADE, ROLE_ADL);
}

Test(tranche, a_settlement_closes_every_tranche)
{
	closed_by_the_exchange("settlement_autoclose-1", EXEC_TRADE, ROLE_SETTLEMENT);
}
