/*
 * A user stream that reconnects can deliver an order update twice, or an
 * update of an order that has already ended. Each fill counts once: a
 * repeated fill of a live order (its cumulative quantity is not new), a
 * late fill of an ended order of ours, and a repeated foreign close (same
 * trade id) change nothing.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static struct fx *entered(const char *filled)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "100", "100.1", 1000);
	fx_liq(f, SIDE_SELL, "20", "100", 1000);
	struct fx_order *o = fx_last(f, 'E');
	cr_assert_not_null(o, "an entry fired");
	fx_ack(f, o->req.client_id);
	fx_fill(f, o->req.client_id, filled, "100");
	return f;
}

static dec_t tranche_qty(struct fx *f)
{
	const struct journal_rec *r = fx_nth(f, J_TRANCHE, -1);
	return r ? r->u.tranche.qty : 0;
}

Test(repeats, a_repeated_partial_fill_counts_once)
{
	struct fx *f = entered("0.001");
	int fills = fx_count(f, J_FILL);
	dec_t qty = tranche_qty(f);
	ev_t again = f->last;
	fx_event(f, &again);
	cr_assert_eq(fx_count(f, J_FILL), fills, "the repeat is not a second fill");
	cr_assert_eq(tranche_qty(f), qty);
	fx_free(f);
}

Test(repeats, a_late_fill_of_an_ended_order_of_ours_is_no_foreign_close)
{
	struct fx *f = entered("0.001");
	struct fx_order *o = fx_last(f, 'E');
	fx_fill(f, o->req.client_id, "0.001", "100"); /* the rest: the entry ends */
	fx_sync(f);
	ev_t late = f->last;
	int fills = fx_count(f, J_FILL);
	dec_t qty = tranche_qty(f);
	fx_event(f, &late);
	cr_assert_eq(fx_count(f, J_FILL), fills);
	cr_assert_eq(tranche_qty(f), qty, "the tranche did not shrink");
	fx_free(f);
}

Test(repeats, a_repeated_liquidation_closes_once)
{
	struct fx *f = entered("0.002");
	fx_sync(f);
	/* the harness gives no trade id: without one a close cannot be told apart */
	fx_foreign_fill(f, "autoclose-1", EXEC_CALCULATED, SIDE_SELL, PS_LONG, "0.001", "90");
	ev_t liq = f->last;
	liq.u.order.trade_id = 77;
	int fills = fx_count(f, J_FILL);
	fx_event(f, &liq); /* now with a trade id: counted */
	cr_assert_eq(fx_count(f, J_FILL), fills + 1);
	fx_event(f, &liq); /* the same trade again */
	cr_assert_eq(fx_count(f, J_FILL), fills + 1, "a repeated trade id is not a second close");
	fx_free(f);
}
