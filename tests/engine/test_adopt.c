/*
 * A restarted run adopts what it finds open on the exchange: positions
 * become tranches counted in the caps, the engine's own orders are taken
 * back with the role their client id encodes, anyone else's are left alone,
 * and protection then fills only what is missing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define T0 100000 /* when the run restarts */

static struct fx *started(void)
{
	struct fx *f = fx_new();
	fx_start(f);
	f->now = T0;
	return f;
}

static struct position position(pos_side_t ps, const char *amount, const char *entry)
{
	struct position p = {.symbol = "BTCUSDT", .pos_side = ps, .entry_price = D(entry)};
	p.amount = amount[0] == '-' ? -D(amount + 1) : D(amount);
	return p;
}

static order_req order(const char *client_id, side_t side, pos_side_t ps, order_type_t type,
                       const char *price, const char *qty)
{
	order_req r = {.symbol = "BTCUSDT", .side = side, .pos_side = ps, .type = type,
	               .qty = D(qty)};
	strcpy(r.client_id, client_id);
	if (type == OT_LIMIT) {
		r.tif = TIF_GTC;
		r.price = D(price);
	} else {
		r.stop_price = D(price);
		r.working_type = WT_MARK_PRICE;
	}
	return r;
}

static dec_t margin(struct fx *f)
{
	struct engine_stats st;
	engine_stats(f->e, &st);
	return st.margin_in_use;
}

static int tranche_actions(struct fx *f, j_tranche_action_t action)
{
	int n = 0;
	for (int i = 0; i < f->nj; i++)
		n += f->j[i].kind == J_TRANCHE && f->j[i].u.tranche.action == action;
	return n;
}

/* A long of 0.010 at 60000 with its TP (1 %) and SL (2 %) working: nothing to
 * send, 60 USDT of margin counted, and the adopted TP closes the tranche. */
Test(adopt, a_protected_long_needs_no_order)
{
	struct fx *f = started();
	struct position p = position(PS_LONG, "0.010", "60000");
	order_req tp = order("Hk0-1T", SIDE_SELL, PS_LONG, OT_LIMIT, "60600", "0.010");
	order_req sl = order("Hk0-2S", SIDE_SELL, PS_LONG, OT_STOP_MARKET, "58800", "0.010");
	ev_t open[2] = {fx_resting(f, &tp), fx_resting(f, &sl)};
	engine_adopt(f->e, &p, 1, open, 2, T0);

	cr_assert_eq(fx_intents(f, FX_PLACE), 0, "orders placed for a protected tranche");
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0);
	cr_assert_eq(tranche_actions(f, JT_OPEN), 1);
	cr_assert_eq(tranche_actions(f, JT_PROTECT), 1,
	             "the run database does not say the adopted tranche is protected");
	cr_assert(fx_has_note(f, "long position adopted"));
	cr_assert_eq(margin(f), DEC(60));
	fx_time(f, T0 + 60000);
	cr_assert_eq(fx_intents(f, FX_PLACE), 0, "a protected tranche was closed");

	fx_fill(f, "Hk0-1T", "0.010", "60600");
	cr_assert_eq(fx_nth(f, J_FILL, -1)->u.fill.role, ROLE_TP);
	cr_assert_eq(tranche_actions(f, JT_CLOSE), 1);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1, "the adopted SL outlived its tranche");
	cr_assert_str_eq(f->in[f->nin - 1].client_id, "Hk0-2S");
	cr_assert_eq(margin(f), 0);
	fx_free(f);
}

/* A short with its TP but no SL: the SL is placed, and nothing else. */
Test(adopt, a_short_without_stop_loss_gets_one)
{
	struct fx *f = started();
	struct position p = position(PS_SHORT, "-0.010", "60000");
	order_req tp = order("Hk0-7T", SIDE_BUY, PS_SHORT, OT_LIMIT, "59400", "0.010");
	ev_t open = fx_resting(f, &tp);
	engine_adopt(f->e, &p, 1, &open, 1, T0);

	cr_assert_eq(fx_intents(f, FX_PLACE), 1);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0, "the adopted TP was replaced");
	const order_req *sl = &f->in[f->nin - 1].req;
	cr_assert_eq(sl->type, OT_STOP_MARKET);
	cr_assert_eq(sl->side, SIDE_BUY);
	cr_assert_eq(sl->pos_side, PS_SHORT);
	cr_assert_eq(sl->stop_price, D("61200"));
	cr_assert_eq(sl->qty, D("0.010"));
	fx_sync(f);
	fx_time(f, T0 + 60000);
	cr_assert_eq(fx_intents(f, FX_PLACE), 1, "a protected tranche was closed");
	fx_free(f);
}

/* Orders that are not the engine's are journaled once and never touched,
 * even the ones that look almost like its ids. */
Test(adopt, a_foreign_order_is_left_alone)
{
	struct fx *f = started();
	order_req mine = order("web_8f2a", SIDE_BUY, PS_LONG, OT_LIMIT, "59000", "0.001");
	order_req like = order("Hk0-3X", SIDE_BUY, PS_LONG, OT_LIMIT, "59000", "0.001");
	order_req upper = order("HK0-3E", SIDE_BUY, PS_LONG, OT_LIMIT, "59000", "0.001");
	ev_t open[3] = {fx_resting(f, &mine), fx_resting(f, &like), fx_resting(f, &upper)};
	engine_adopt(f->e, NULL, 0, open, 3, T0);

	int notes = 0;
	for (int i = 0; i < f->nj; i++)
		notes += f->j[i].kind == J_NOTE && strstr(f->j[i].u.note, "not the engine's");
	cr_assert_eq(notes, 3);
	cr_assert_eq(margin(f), 0, "a foreign order counted in the caps");
	fx_time(f, T0 + 120000);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0, "a foreign order was cancelled");
	cr_assert_eq(fx_intents(f, FX_PLACE), 0);
	fx_free(f);
}

/* An adopted entry holds its margin and expires one TTL after adoption. */
Test(adopt, an_adopted_entry_expires_at_its_ttl_from_adoption)
{
	struct fx *f = started();
	order_req entry = order("Hk0-5E", SIDE_BUY, PS_LONG, OT_LIMIT, "59000", "0.010");
	ev_t open = fx_resting(f, &entry);
	engine_adopt(f->e, NULL, 0, &open, 1, T0);

	cr_assert_eq(margin(f), D("59"));
	cr_assert_eq(engine_next_due(f->e), T0 + 30000);
	fx_time(f, T0 + 29999);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0, "cancelled before its TTL");
	fx_time(f, T0 + 30000);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1);
	cr_assert_str_eq(f->in[f->nin - 1].client_id, "Hk0-5E");
	fx_cancel_done(f, "Hk0-5E", EXEC_CANCELED);
	cr_assert_eq(margin(f), 0);
	fx_free(f);
}

/* An adopted entry that fills grows a tranche like any entry. */
Test(adopt, an_adopted_entry_fills_into_a_tranche)
{
	struct fx *f = started();
	order_req entry = order("Hk0-5E", SIDE_BUY, PS_LONG, OT_LIMIT, "59000", "0.010");
	ev_t open = fx_resting(f, &entry);
	engine_adopt(f->e, NULL, 0, &open, 1, T0);
	fx_fill(f, "Hk0-5E", "0.010", "59000");
	cr_assert_eq(fx_nth(f, J_FILL, -1)->u.fill.role, ROLE_ENTRY);
	cr_assert_eq(tranche_actions(f, JT_OPEN), 1);
	cr_assert_eq(fx_intents(f, FX_PLACE), 2, "the new tranche is protected");
	fx_free(f);
}

/* A stop-loss of ours whose position is gone is cancelled. */
Test(adopt, protection_without_a_position_is_cancelled)
{
	struct fx *f = started();
	order_req sl = order("Hk0-2S", SIDE_SELL, PS_LONG, OT_STOP_MARKET, "58800", "0.010");
	ev_t open = fx_resting(f, &sl);
	engine_adopt(f->e, NULL, 0, &open, 1, T0);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1);
	cr_assert_eq(fx_intents(f, FX_PLACE), 0);
	fx_free(f);
}

/* One-way mode: the side of an order tells its direction. */
Test(adopt, one_way_orders_find_their_direction)
{
	struct fx *f = fx_new();
	f->s.hedge_mode = false;
	fx_start(f);
	f->now = T0;
	struct position p = position(PS_BOTH, "-0.010", "60000");
	order_req tp = order("Hk0-1T", SIDE_BUY, PS_BOTH, OT_LIMIT, "59400", "0.010");
	order_req sl = order("Hk0-2S", SIDE_BUY, PS_BOTH, OT_STOP_MARKET, "61200", "0.010");
	tp.reduce_only = sl.reduce_only = true;
	ev_t open[2] = {fx_resting(f, &tp), fx_resting(f, &sl)};
	engine_adopt(f->e, &p, 1, open, 2, T0);
	cr_assert(fx_has_note(f, "short position adopted"));
	cr_assert_eq(fx_intents(f, FX_PLACE), 0);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0);
	fx_free(f);
}

/* A position whose mode is not the settings' would be traded with orders the
 * exchange refuses: it is reported, not adopted. */
Test(adopt, a_position_of_the_other_mode_is_not_adopted)
{
	struct fx *f = started();
	struct position p = position(PS_BOTH, "0.010", "60000");
	engine_adopt(f->e, &p, 1, NULL, 0, T0);
	cr_assert(fx_has_note(f, "position mode"));
	cr_assert_eq(tranche_actions(f, JT_OPEN), 0);
	cr_assert_eq(margin(f), 0);
	fx_free(f);
}

/* Rules that arrive after the adoption protect the adopted tranche then. */
Test(adopt, a_position_adopted_before_its_rules_is_protected_when_they_come)
{
	struct fx *f = fx_new();
	snprintf(f->rules.symbol, sizeof f->rules.symbol, "ETHUSDT"); /* not BTCUSDT's yet */
	fx_start(f);
	f->now = T0;
	struct position p = position(PS_LONG, "0.010", "60000");
	engine_adopt(f->e, &p, 1, NULL, 0, T0);
	cr_assert(fx_has_note(f, "when the trading rules arrive"));
	cr_assert_eq(fx_intents(f, FX_PLACE), 0);
	snprintf(f->rules.symbol, sizeof f->rules.symbol, "BTCUSDT");
	engine_set_rules(f->e, &f->rules);
	cr_assert_eq(fx_intents(f, FX_PLACE), 2, "TP and SL placed once the rules are known");
	fx_free(f);
}
