/*
 * protect.c - take-profit and stop-loss orders per tranche (strategy.md
 * section 5), and closing a tranche at market when it cannot be protected.
 *
 * Each tranche has two legs, TP and SL, each with a working order (`live`)
 * and possibly its replacement in flight (`pend`). Protection is kept
 * without a gap by placing the replacement first and cancelling the old
 * order only once the exchange has accepted the new one; until then the old
 * order keeps covering the tranche. The same mechanism serves every order
 * type (a TAKE_PROFIT_MARKET or STOP_MARKET cannot be amended), which is why
 * the engine does not use `replace` for TP limits.
 *
 * eng_protect_sync() is idempotent: it compares what each leg should be (price
 * from the tranche's average entry, quantity = the tranche) with what is
 * working or pending, and acts only on a difference. A tranche is protected
 * when every enabled leg has a live order covering it (see leg_covers); one
 * that stays unprotected for unprotected_timeout_ms is closed with a
 * reduce-only MARKET order.
 */
#include <string.h>

#include "engine_int.h"

static struct leg *leg_of(struct tranche *t, order_role_t role)
{
	return role == ROLE_TP ? &t->tp : &t->sl;
}

static bool closes_at_once(int code)
{
	return code == -2021 || code == -4142; /* the trigger price is already passed */
}

/* A closing order of `qty` for direction `dir`: side, position side and
 * reduce-only as the account mode requires. */
static void closing_req(const struct engine *e, const struct sym *s, int dir, dec_t qty,
                        order_req *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->symbol, s->cfg.symbol, SYMBOL_MAX);
	r->side = dir == DIR_LONG ? SIDE_SELL : SIDE_BUY;
	r->pos_side = eng_pos_side(e, dir);
	r->reduce_only = !e->s.hedge_mode; /* hedge mode rejects reduceOnly */
	r->qty = qty;
}

static void leg_req(const struct engine *e, const struct sym *s, int dir, order_role_t role,
                    dec_t price, dec_t qty, order_req *r)
{
	closing_req(e, s, dir, qty, r);
	if (role == ROLE_TP && s->cfg.tp_mode != TP_MARKET) {
		r->type = OT_LIMIT;
		r->tif = TIF_GTC;
		r->price = price;
		return;
	}
	r->type = role == ROLE_TP ? OT_TAKE_PROFIT_MARKET : OT_STOP_MARKET;
	r->stop_price = price;
	r->working_type = s->cfg.working_type ? s->cfg.working_type : WT_CONTRACT_PRICE;
	r->price_protect = s->cfg.price_protect;
}

static dec_t trigger_of(const order_req *r)
{
	return r->type == OT_LIMIT ? r->price : r->stop_price;
}

/* Whether order `idx` already is what the leg should be. */
static bool leg_matches(const struct engine *e, int32_t idx, dec_t price, dec_t qty)
{
	if (idx == NONE)
		return false;
	const struct eng_order *o = &e->orders[idx];
	return trigger_of(&o->req) == price && o->req.qty - o->filled == qty;
}

static void leg_sync(struct engine *e, struct sym *s, int dir, int id, order_role_t role,
                     dec_t price)
{
	struct tranche *t = &s->pos[dir].tr[id];
	struct leg *leg = leg_of(t, role);
	if (leg_matches(e, leg->pend, price, t->qty))
		return;
	if (leg->pend != NONE) {
		eng_order_cancel(e, leg->pend, "superseded");
		leg->pend = NONE;
	}
	if (leg_matches(e, leg->live, price, t->qty))
		return;
	order_req r;
	leg_req(e, s, dir, role, price, t->qty, &r);
	leg->pend = eng_order_send(e, s, &r, role, dir, id, leg->live == NONE ? "protect" : "replace");
}

/*
 * A leg covers its tranche when its working order is as large as the
 * tranche. While the replacement for a grown tranche is in flight, the old
 * order is taken to cover it (`grace`), so that a protected tranche does not
 * become unprotected on every join; once a replacement is refused the old
 * order leaves the growth without protection, and only an order that covers
 * the whole tranche ends that, whatever else is sent meanwhile.
 */
static bool leg_covers(const struct engine *e, const struct leg *leg, dec_t qty, bool grace)
{
	if (leg->live == NONE)
		return false;
	const struct eng_order *o = &e->orders[leg->live];
	return (grace && leg->pend != NONE) || o->req.qty - o->filled >= qty;
}

static void update_protected(struct engine *e, struct sym *s, int dir, int id)
{
	struct tranche *t = &s->pos[dir].tr[id];
	bool grace = !t->unprotected;
	bool ok = (!s->cfg.take_profit_enabled || leg_covers(e, &t->tp, t->qty, grace)) &&
	          (!s->cfg.stop_loss_enabled || leg_covers(e, &t->sl, t->qty, grace));
	if (ok && t->unprotected) {
		t->unprotected = false;
		j_tranche(e, s, dir, id, JT_PROTECT, NONE);
	} else if (!ok && !t->unprotected) {
		t->unprotected = true;
		t->unprot_since = e->now;
		if (e->s.unprotected_timeout_ms > 0)
			eng_due(e, t->unprot_since + e->s.unprotected_timeout_ms);
	}
}

void eng_protect_sync(struct engine *e, struct sym *s, int dir, int id)
{
	struct tranche *t = &s->pos[dir].tr[id];
	if (!t->open || t->close != NONE)
		return;
	dec_t tp, sl;
	eng_tranche_targets(s, dir, t, &tp, &sl);
	if (tp > 0)
		leg_sync(e, s, dir, id, ROLE_TP, tp);
	if (sl > 0)
		leg_sync(e, s, dir, id, ROLE_SL, sl);
	update_protected(e, s, dir, id);
}

static void drop_leg(struct engine *e, struct leg *leg, const char *reason)
{
	if (leg->live != NONE)
		eng_order_cancel(e, leg->live, reason);
	if (leg->pend != NONE)
		eng_order_cancel(e, leg->pend, reason);
	*leg = (struct leg){NONE, NONE};
}

/* Cancels both legs of a tranche; their orders stay known until they end. */
void eng_protect_drop(struct engine *e, struct sym *s, int dir, int id, const char *reason)
{
	struct tranche *t = &s->pos[dir].tr[id];
	drop_leg(e, &t->tp, reason);
	drop_leg(e, &t->sl, reason);
}

void eng_protect_close(struct engine *e, struct sym *s, int dir, int id, const char *reason)
{
	struct tranche *t = &s->pos[dir].tr[id];
	if (!t->open || t->close != NONE)
		return;
	eng_protect_drop(e, s, dir, id, reason);
	dec_t step = s->rules.market_step > 0 ? s->rules.market_step : s->rules.step;
	dec_t qty = dec_round_down(t->qty, step);
	if (qty <= 0) {
		eng_j_note(e, s, "tranche smaller than one step cannot be closed at market");
		return;
	}
	order_req r;
	closing_req(e, s, dir, qty, &r);
	r.type = OT_MARKET;
	t->close = eng_order_send(e, s, &r, ROLE_CLOSE, dir, id, reason);
}

/* The tranche an order protects or closes; NULL for an entry. */
static struct tranche *tranche_of(struct engine *e, const struct eng_order *o)
{
	return o->tranche == NONE ? NULL : &e->syms[o->sym].pos[o->dir].tr[o->tranche];
}

void eng_protect_on_accepted(struct engine *e, int32_t idx)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t)
		return;
	struct leg *leg = leg_of(t, o->role);
	if (!t->open || leg->pend != idx)
		return; /* superseded or dropped: its cancel is on the way */
	int32_t old = leg->live;
	leg->live = idx;
	leg->pend = NONE;
	if (old != NONE)
		eng_order_cancel(e, old, "replaced");
	update_protected(e, &e->syms[o->sym], o->dir, o->tranche);
}

/* A TP or SL filled completely: it no longer covers its tranche, and must
 * not be cancelled with the rest when the fill closes the tranche. */
void eng_protect_detach(struct engine *e, int32_t idx)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t || (o->role != ROLE_TP && o->role != ROLE_SL))
		return;
	struct leg *leg = leg_of(t, o->role);
	if (leg->live == idx)
		leg->live = NONE;
	if (leg->pend == idx)
		leg->pend = NONE;
}

/* A TP, SL or closing order ended. Its tranche loses that protection; a
 * refusal because the trigger is already passed means the exit is due now. */
void eng_protect_on_gone(struct engine *e, int32_t idx, int code)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t || !t->open)
		return;
	struct sym *s = &e->syms[o->sym];
	int dir = o->dir, id = o->tranche;
	if (o->role == ROLE_CLOSE) {
		if (t->close != idx)
			return;
		/* What the market order left is protected again, on a new clock. */
		t->close = NONE;
		t->unprotected = false;
		eng_protect_sync(e, s, dir, id);
		return;
	}
	eng_protect_detach(e, idx);
	update_protected(e, s, dir, id);
	if (closes_at_once(code))
		eng_protect_close(e, s, dir, id, "trigger_passed");
}

/* An adopted TP, SL or closing order covers the first tranche of its
 * direction whose slot is free; one with nothing to cover (the position is
 * gone, or it duplicates another) is cancelled: it is ours and reduce-only. */
void eng_protect_adopt(struct engine *e, int32_t idx)
{
	struct eng_order *o = &e->orders[idx];
	struct side_book *pb = &e->syms[o->sym].pos[o->dir];
	for (int id = 0; id < e->s.max_tranches_per_symbol_side; id++) {
		struct tranche *t = &pb->tr[id];
		int32_t *slot = o->role == ROLE_CLOSE ? &t->close : &leg_of(t, o->role)->live;
		if (t->open && *slot == NONE) {
			*slot = idx;
			o->tranche = id;
			return;
		}
	}
	eng_order_cancel(e, idx, "adopted with nothing to cover");
}

/* Protects every open tranche of a symbol that has trading rules: after an
 * adoption, and for tranches adopted before the rules arrived. */
void eng_protect_all(struct engine *e, struct sym *s)
{
	if (!s->has_rules)
		return;
	for (int dir = 0; dir < 2; dir++)
		for (int id = 0; s->pos[dir].ntr && id < e->s.max_tranches_per_symbol_side; id++)
			eng_protect_sync(e, s, dir, id);
}

/* Closes tranches unprotected for too long; the others set the next deadline. */
void eng_protect_sweep(struct engine *e)
{
	int64_t timeout = e->s.unprotected_timeout_ms;
	if (timeout <= 0)
		return;
	for (uint32_t i = 0; i < e->nsyms; i++) {
		struct sym *s = &e->syms[i];
		for (int dir = 0; dir < 2; dir++) {
			if (!s->pos[dir].ntr)
				continue;
			for (int id = 0; id < e->s.max_tranches_per_symbol_side; id++) {
				struct tranche *t = &s->pos[dir].tr[id];
				if (!t->open || !t->unprotected || t->close != NONE)
					continue;
				if (e->now >= t->unprot_since + timeout)
					eng_protect_close(e, s, dir, id, "unprotected");
				else
					eng_due(e, t->unprot_since + timeout);
			}
		}
	}
}
