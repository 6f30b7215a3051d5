/*
 * protect.c - take-profit and stop-loss orders per tranche (strategy.md
 * section 5), and closing a tranche at market when it cannot be protected.
 *
 * Each tranche has two legs, TP and SL, each with its working orders
 * (`live`) and possibly their replacement in flight (`pend`). A leg is one
 * order, or several ("chunks") when the tranche is larger than the
 * exchange's maximum quantity for the order's type: every chunk but the
 * last takes that maximum on the step, the last takes the rest, so every
 * open quantity is covered by orders the exchange accepts. A close at
 * market is split the same way. Tranches themselves are never split for
 * this: they stay what strategy.md section 4 makes them.
 *
 * Protection is kept without a gap by placing the replacement first and
 * cancelling the old orders only once the exchange has accepted every new
 * one; until then the old orders keep covering the tranche. The chunks of a
 * leg are replaced together: a replacement of which one chunk is refused is
 * cancelled whole, since the rest would not add up to the tranche. The same
 * mechanism serves every order type (a TAKE_PROFIT_MARKET or STOP_MARKET
 * cannot be amended), which is why the engine does not use `replace` for TP
 * limits.
 *
 * eng_protect_sync() is idempotent: it compares what each leg should be (price
 * from the tranche's average entry, quantity = the tranche) with what is
 * working or pending, and acts only on a difference. A leg's orders match
 * when they are all at its price and what they have left to fill adds up to
 * the tranche, so a chunk that fills shrinks the tranche and leaves the
 * other chunks of its leg as they are. The other leg is resized to it,
 * except while a leg of stop orders fires: its chunks share one trigger,
 * so once one fills the others are filling too, and the other leg waits
 * until they are done or the leg is replaced (each resize would reach the
 * exchange once the position is gone). A tranche is protected when every
 * enabled leg has live orders covering it (see leg_covers); one that stays
 * unprotected for unprotected_timeout_ms is closed with reduce-only MARKET
 * orders.
 */
#include <string.h>

#include "engine_int.h"

static struct leg *leg_of(struct tranche *t, order_role_t role)
{
	return role == ROLE_TP ? &t->tp : &t->sl;
}

/* The orders of a tranche's slot for `role`: its close, or its working TP or SL. */
static struct chunks *slot_of(struct tranche *t, order_role_t role)
{
	return role == ROLE_CLOSE ? &t->close : &leg_of(t, role)->live;
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

/* What the orders of `g` have left to fill. */
static dec_t chunks_rest(const struct engine *e, const struct chunks *g)
{
	dec_t rest = 0;
	for (int k = 0; k < g->n; k++) {
		const struct eng_order *o = &e->orders[g->idx[k]];
		rest += o->req.qty - o->filled;
	}
	return rest;
}

/* Whether the orders of `g` already are what the leg should be. */
static bool chunks_match(const struct engine *e, const struct chunks *g, dec_t price, dec_t qty)
{
	for (int k = 0; k < g->n; k++)
		if (trigger_of(&e->orders[g->idx[k]].req) != price)
			return false;
	return g->n && chunks_rest(e, g) == qty;
}

static bool chunks_has(const struct chunks *g, int32_t idx)
{
	for (int k = 0; k < g->n; k++)
		if (g->idx[k] == idx)
			return true;
	return false;
}

/* Takes `idx` out of `g`, the others keeping their order; whether it was there. */
static bool chunks_remove(struct chunks *g, int32_t idx)
{
	for (int k = 0; k < g->n; k++) {
		if (g->idx[k] != idx)
			continue;
		memmove(&g->idx[k], &g->idx[k + 1], (size_t)(g->n - k - 1) * sizeof(g->idx[0]));
		g->n--;
		return true;
	}
	return false;
}

/* Cancels every order of `g`; they stay known until they end. */
static void chunks_cancel(struct engine *e, struct chunks *g, const char *reason)
{
	for (int k = 0; k < g->n; k++)
		eng_order_cancel(e, g->idx[k], reason);
	g->n = 0;
}

/* Sends `r` as orders each within the exchange's lot for its type, into `g`.
 * Past CHUNK_MAX orders the last one carries the excess, the exchange
 * refuses it, and the tranche is left to the unprotected timeout. */
static void chunks_send(struct engine *e, struct sym *s, order_req *r, order_role_t role, int dir,
                        int id, struct chunks *g, const char *reason)
{
	struct lot lot = eng_lot(&s->rules, r->type);
	dec_t qty[CHUNK_MAX];
	int n = eng_split(r->qty, lot, qty, CHUNK_MAX);
	if (lot.max > 0 && qty[n - 1] > lot.max)
		eng_j_note(e, s, "tranche needs more orders than a leg holds: the last is too large");
	for (int k = 0; k < n; k++) {
		r->qty = qty[k];
		int32_t idx = eng_order_send(e, s, r, role, dir, id, reason);
		if (idx != NONE)
			g->idx[g->n++] = idx;
	}
}

/* Whether the other leg of `role` is closing the tranche chunk after chunk:
 * resizing this one to each of its fills would only send orders that reach
 * the exchange once the position is gone, refused (-2022). Its working
 * orders cover the tranche meanwhile. */
static bool other_firing(const struct tranche *t, order_role_t role)
{
	const struct leg *other = role == ROLE_TP ? &t->sl : &t->tp;
	return other->firing && other->live.n;
}

static void leg_sync(struct engine *e, struct sym *s, int dir, int id, order_role_t role,
                     dec_t price)
{
	struct tranche *t = &s->pos[dir].tr[id];
	struct leg *leg = leg_of(t, role);
	if (other_firing(t, role))
		return;
	if (chunks_match(e, &leg->pend, price, t->qty))
		return;
	chunks_cancel(e, &leg->pend, "superseded");
	if (chunks_match(e, &leg->live, price, t->qty))
		return;
	order_req r;
	leg_req(e, s, dir, role, price, t->qty, &r);
	chunks_send(e, s, &r, role, dir, id, &leg->pend, leg->live.n ? "replace" : "protect");
}

/*
 * A leg covers its tranche when its working orders together are as large as
 * the tranche. While the replacement for a grown tranche is in flight, the
 * old orders are taken to cover it (`grace`), so that a protected tranche
 * does not become unprotected on every join; once a replacement is refused
 * the old orders leave the growth without protection, and only orders that
 * cover the whole tranche end that, whatever else is sent meanwhile.
 */
static bool leg_covers(const struct engine *e, const struct leg *leg, dec_t qty, bool grace)
{
	if (!leg->live.n)
		return false;
	return (grace && leg->pend.n) || chunks_rest(e, &leg->live) >= qty;
}

static void update_protected(struct engine *e, struct sym *s, int dir, int id)
{
	struct tranche *t = &s->pos[dir].tr[id];
	bool grace = !t->unprotected;
	bool ok = (!s->cfg.take_profit_enabled || leg_covers(e, &t->tp, t->qty, grace)) &&
	          (!s->cfg.stop_loss_enabled || leg_covers(e, &t->sl, t->qty, grace));
	if (ok && (t->unprotected || !t->was_protected)) {
		t->unprotected = false;
		t->was_protected = true;
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
	if (!t->open || t->close.n)
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
	chunks_cancel(e, &leg->live, reason);
	chunks_cancel(e, &leg->pend, reason);
	leg->firing = false;
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
	if (!t->open || t->close.n)
		return;
	eng_protect_drop(e, s, dir, id, reason);
	order_req r;
	closing_req(e, s, dir, dec_round_down(t->qty, eng_lot(&s->rules, OT_MARKET).step), &r);
	if (r.qty <= 0) {
		eng_j_note(e, s, "tranche smaller than one step cannot be closed at market");
		return;
	}
	r.type = OT_MARKET;
	chunks_send(e, s, &r, ROLE_CLOSE, dir, id, &t->close, reason);
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
	if (!t->open || !chunks_has(&leg->pend, idx))
		return; /* superseded or dropped: its cancel is on the way */
	for (int k = 0; k < leg->pend.n; k++)
		if (!e->orders[leg->pend.idx[k]].accepted)
			return; /* the old orders cover until every chunk is in */
	struct chunks old = leg->live;
	bool was_firing = leg->firing;
	leg->live = leg->pend;
	leg->pend.n = 0;
	leg->firing = false; /* new orders, on a trigger not reached yet */
	chunks_cancel(e, &old, "replaced");
	if (was_firing) /* the other leg waited for it: its size is due now */
		eng_protect_sync(e, &e->syms[o->sym], o->dir, o->tranche);
	else
		update_protected(e, &e->syms[o->sym], o->dir, o->tranche);
}

/* A TP or SL filled completely: it no longer covers its tranche, and must
 * not be cancelled with the rest when the fill closes the tranche. */
static void detach(struct engine *e, int32_t idx)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t || (o->role != ROLE_TP && o->role != ROLE_SL))
		return;
	struct leg *leg = leg_of(t, o->role);
	if (!chunks_remove(&leg->live, idx))
		chunks_remove(&leg->pend, idx);
}

/* A fill of a TP or SL, before it shrinks the tranche. A working stop
 * order (STOP_MARKET, TAKE_PROFIT_MARKET) fills once its trigger is
 * reached, and its leg's other chunks share that trigger: the leg fires. */
void eng_protect_on_fill(struct engine *e, int32_t idx, bool done)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t || (o->role != ROLE_TP && o->role != ROLE_SL))
		return;
	struct leg *leg = leg_of(t, o->role);
	bool stop = o->req.type == OT_STOP_MARKET || o->req.type == OT_TAKE_PROFIT_MARKET;
	if (stop && chunks_has(&leg->live, idx))
		leg->firing = true;
	if (done)
		detach(e, idx);
}

/* A TP, SL or closing order ended. Its tranche loses that protection, and
 * a replacement it was a chunk of no longer adds up; a refusal because the
 * trigger is already passed means the exit is due now. */
void eng_protect_on_gone(struct engine *e, int32_t idx, int code)
{
	const struct eng_order *o = &e->orders[idx];
	struct tranche *t = tranche_of(e, o);
	if (!t || !t->open)
		return;
	struct sym *s = &e->syms[o->sym];
	int dir = o->dir, id = o->tranche;
	if (o->role == ROLE_CLOSE) {
		if (!chunks_remove(&t->close, idx) || t->close.n)
			return;
		/* What the market orders left is protected again, on a new clock. */
		t->unprotected = false;
		eng_protect_sync(e, s, dir, id);
		return;
	}
	struct leg *leg = leg_of(t, o->role);
	bool pending = chunks_has(&leg->pend, idx);
	detach(e, idx);
	if (pending)
		chunks_cancel(e, &leg->pend, "another part ended");
	update_protected(e, s, dir, id);
	if (closes_at_once(code))
		eng_protect_close(e, s, dir, id, "trigger_passed");
}

/* An adopted TP, SL or closing order joins the first tranche of its
 * direction whose orders of that role do not cover it yet (a previous run
 * may have split them); one with nothing to cover (the position is gone,
 * or it duplicates another) is cancelled: it is ours and reduce-only. */
void eng_protect_adopt(struct engine *e, int32_t idx)
{
	struct eng_order *o = &e->orders[idx];
	struct side_book *pb = &e->syms[o->sym].pos[o->dir];
	for (int id = 0; id < e->s.max_tranches_per_symbol_side; id++) {
		struct tranche *t = &pb->tr[id];
		struct chunks *g = slot_of(t, o->role);
		if (t->open && g->n < CHUNK_MAX && chunks_rest(e, g) < t->qty) {
			g->idx[g->n++] = idx;
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

void engine_close_all(engine_t *e, const char *reason)
{
	for (uint32_t i = 0; i < e->nsyms; i++) {
		struct sym *s = &e->syms[i];
		for (int dir = 0; dir < 2; dir++)
			for (int id = 0; s->has_rules && s->pos[dir].ntr &&
			                 id < e->s.max_tranches_per_symbol_side; id++)
				eng_protect_close(e, s, dir, id, reason);
	}
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
				if (!t->open || !t->unprotected || t->close.n)
					continue;
				if (e->now >= t->unprot_since + timeout)
					eng_protect_close(e, s, dir, id, "unprotected");
				else
					eng_due(e, t->unprot_since + timeout);
			}
		}
	}
}
