/*
 * orders.c - every order the engine has sent and not yet seen end: client
 * ids, the intents that create and cancel orders, and the exchange's answers
 * (ORDER_TRADE_UPDATE events and outright rejections).
 *
 * An order lives in a pool slot from the moment it is placed until its
 * terminal state (filled, cancelled, expired, rejected); whatever it held
 * (entry margin, a tranche's protective slot, a closing slot) is released at
 * that moment and nowhere else. Fills are classified by the order that
 * produced them: entries grow tranches, everything else shrinks them.
 *
 * Client ids are "H<start>-<n><role>": the engine's first exchange time (a
 * live run's start, engine_set_id_stamp) and a counter, both base 36, and one letter for the role (E, T, S, C). They
 * are deterministic for a given stream of events and differ between runs
 * started at different times, which the exchange needs (ids must be unique
 * among open orders, and a live restart may find the previous run's orders).
 * engine_id_role() reads the role back, so a restarted run can tell its own
 * orders (and what they were for) from anyone else's.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static size_t base36(uint64_t v, char *out)
{
	char tmp[16];
	size_t n = 0, len = 0;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	while (n)
		out[len++] = tmp[--n];
	return len;
}

static void make_id(struct engine *e, order_role_t role, char id[CLIENT_ID_MAX])
{
	size_t n = 0;
	id[n++] = 'H';
	n += base36((uint64_t)e->start_ms, id + n);
	id[n++] = '-';
	n += base36(++e->next_id, id + n);
	id[n++] = " ETSC"[role];
	id[n] = '\0';
}

static size_t base36_len(const char *s)
{
	size_t n = 0;
	while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'z'))
		n++;
	return n;
}

order_role_t engine_id_role(const char *id)
{
	static const char roles[] = "ETSC";
	if (id[0] != 'H')
		return 0;
	size_t start = base36_len(id + 1);
	if (!start || id[1 + start] != '-')
		return 0;
	const char *n = id + 2 + start;
	size_t len = base36_len(n);
	const char *r = len && n[len] && !n[len + 1] ? strchr(roles, n[len]) : NULL;
	return r ? (order_role_t)(r - roles + 1) : 0;
}

static int32_t alloc_order(struct engine *e)
{
	if (e->free_order != NONE) {
		int32_t idx = e->free_order;
		e->free_order = e->orders[idx].next_free;
		return idx;
	}
	if (e->norders == e->orders_cap) {
		uint32_t cap = e->orders_cap ? e->orders_cap * 2 : 64;
		struct eng_order *o = realloc(e->orders, cap * sizeof(*o));
		if (!o)
			return NONE;
		e->orders = o;
		e->orders_cap = cap;
	}
	return (int32_t)e->norders++;
}

/* Makes slot `idx` findable by its client id; frees it and returns NONE
 * when out of memory. */
static int32_t pool_put(struct engine *e, int32_t idx)
{
	struct eng_order *o = &e->orders[idx];
	if (!strmap_put(&e->ordmap, o->req.client_id, (uint32_t)idx))
		return idx;
	o->used = false;
	o->next_free = e->free_order;
	e->free_order = idx;
	return NONE;
}

/* Registers `req` (symbol, side, type, prices and quantity filled in) under
 * a new client id without sending it yet. Returns the order's index, NONE
 * when out of memory. The pool may move: callers keep indices, not
 * pointers, across this call. */
int32_t eng_order_create(struct engine *e, struct sym *s, const order_req *req, order_role_t role,
			 int dir, int tranche)
{
	int32_t idx = alloc_order(e);
	if (idx == NONE)
		return NONE;
	struct eng_order *o = &e->orders[idx];
	*o = (struct eng_order){.req = *req, .sym = (uint32_t)(s - e->syms), .role = role,
	                        .dir = dir, .tranche = tranche, .used = true, .next_free = NONE};
	make_id(e, role, o->req.client_id);
	return pool_put(e, idx);
}

/* Takes an open order of ours found on the exchange into the pool under its
 * own client id, as accepted, with what it has filled already. Returns its
 * index, NONE when out of memory. */
int32_t eng_order_adopt(struct engine *e, struct sym *s, const struct ev_order *u,
			order_role_t role, int dir)
{
	int32_t idx = alloc_order(e);
	if (idx == NONE)
		return NONE;
	struct eng_order *o = &e->orders[idx];
	*o = (struct eng_order){.sym = (uint32_t)(s - e->syms), .role = role, .dir = dir,
	                        .tranche = NONE, .used = true, .accepted = true,
	                        .filled = u->filled_qty, .next_free = NONE};
	o->req = (order_req){.side = u->side, .pos_side = u->pos_side,
	                     .type = u->orig_type ? u->orig_type : u->type, .tif = u->tif,
	                     .working_type = u->working_type, .price = u->price, .qty = u->qty,
	                     .stop_price = u->stop_price, .reduce_only = u->reduce_only,
	                     .close_position = u->close_position};
	memcpy(o->req.symbol, s->cfg.symbol, SYMBOL_MAX);
	memcpy(o->req.client_id, u->client_id, CLIENT_ID_MAX);
	idx = pool_put(e, idx);
	if (idx != NONE)
		j_order(e, &e->orders[idx], JO_ACCEPTED, 0, "adopted");
	return idx;
}

void eng_order_submit(struct engine *e, int32_t idx, const char *reason)
{
	struct eng_order *o = &e->orders[idx];
	e->st.orders++;
	j_order(e, o, JO_PLACED, 0, reason);
	e->io.place(e->io.ctx, &o->req);
}

int32_t eng_order_send(struct engine *e, struct sym *s, const order_req *req, order_role_t role,
		       int dir, int tranche, const char *reason)
{
	int32_t idx = eng_order_create(e, s, req, role, dir, tranche);
	if (idx != NONE)
		eng_order_submit(e, idx, reason);
	return idx;
}

void eng_order_cancel(struct engine *e, int32_t idx, const char *reason)
{
	struct eng_order *o = &e->orders[idx];
	if (!o->used || o->cancel_sent)
		return;
	o->cancel_sent = true;
	j_order(e, o, JO_CANCEL_SENT, 0, reason);
	e->io.cancel(e->io.ctx, o->req.symbol, o->req.client_id);
}

/* The order reached a terminal state: release what it held, then its slot. */
static void release(struct engine *e, int32_t idx, int code)
{
	struct eng_order *o = &e->orders[idx];
	struct sym *s = &e->syms[o->sym];
	if (o->role == ROLE_ENTRY) {
		eng_margin_set(e, s, &o->margin, 0);
		s->pending_entries--;
		s->pos[o->dir].pending_entries--;
	} else {
		eng_protect_on_gone(e, idx, code);
	}
	o = &e->orders[idx]; /* eng_protect_on_gone may have sent orders */
	strmap_del(&e->ordmap, o->req.client_id);
	o->used = false;
	o->next_free = e->free_order;
	e->free_order = idx;
}

static void finish(struct engine *e, int32_t idx, j_order_state_t state, int code,
                   const char *reason)
{
	j_order(e, &e->orders[idx], state, code, reason);
	release(e, idx, code);
}

static void accept(struct engine *e, int32_t idx)
{
	struct eng_order *o = &e->orders[idx];
	if (o->accepted)
		return;
	o->accepted = true;
	j_order(e, o, JO_ACCEPTED, 0, "");
	if (o->role == ROLE_TP || o->role == ROLE_SL)
		eng_protect_on_accepted(e, idx);
}

static void journal_fill(struct engine *e, const struct sym *s, const struct ev_order *u,
                         order_role_t role, int tranche)
{
	struct journal_rec r = {.kind = J_FILL, .ms = e->now};
	memcpy(r.symbol, s->cfg.symbol, SYMBOL_MAX);
	r.u.fill = (struct j_fill){.role = role, .tranche = tranche, .side = u->side,
	                           .pos_side = u->pos_side, .price = u->last_price,
	                           .qty = u->last_qty, .fee = u->commission, .maker = u->maker,
	                           .realized_pnl = u->realized_pnl, .trade_id = u->trade_id};
	memcpy(r.u.fill.client_id, u->client_id, CLIENT_ID_MAX);
	e->st.fills++;
	e->io.journal(e->io.ctx, &r);
	eng_risk_on_fill(e, u);
}

/* Journals the fill and the order's new state before acting on them, so the
 * journal reads in causal order, then grows or shrinks the position. */
static void on_fill(struct engine *e, int32_t idx, const struct ev_order *u)
{
	struct eng_order *o = &e->orders[idx];
	struct sym *s = &e->syms[o->sym];
	dec_t qty = u->last_qty;
	bool done = u->status == OS_FILLED, opened = false;
	o->filled += qty;
	if (o->role == ROLE_ENTRY)
		eng_tranche_pick(e, o, u->last_price, &opened);
	journal_fill(e, s, u, o->role, o->tranche);
	j_order(e, o, done ? JO_FILLED : JO_PARTIALLY_FILLED, 0, "");
	if (o->role == ROLE_ENTRY) {
		dec_t rest = o->req.qty > o->filled ? o->req.qty - o->filled : 0;
		eng_margin_set(e, s, &o->margin, eng_margin(s, rest, o->ref_price));
		eng_tranche_grow(e, s, o->dir, o->tranche, qty, u->last_price, opened);
	} else {
		eng_protect_on_fill(e, idx, done);
		eng_tranche_on_close_fill(e, s, o->dir, o->tranche, qty);
	}
	if (done)
		release(e, idx, 0);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Who closed our position, when it was not us: Aster names its own orders
 * (autoclose-*, adl_autoclose, settlement_autoclose-*) and reports a
 * liquidation as CALCULATED; anything else is a manual close. */
static order_role_t foreign_role(const struct ev_order *u)
{
	if (has_prefix(u->client_id, "adl_autoclose") || u->status == OS_NEW_ADL)
		return ROLE_ADL;
	if (has_prefix(u->client_id, "settlement_autoclose"))
		return ROLE_SETTLEMENT;
	if (has_prefix(u->client_id, "autoclose-") || u->exec == EXEC_CALCULATED ||
	    u->orig_type == OT_LIQUIDATION)
		return ROLE_LIQUIDATION;
	return ROLE_CLOSE;
}

/* A fill of an order the engine did not send: a manual close, or the
 * exchange closing our position itself (liquidation, ADL, settlement). It
 * shrinks the position it closes, newest tranche first, and a tranche it
 * empties is closed with its protection cancelled and its margin released;
 * anything else is not ours to track. */
/* Whether a foreign fill was seen before, by its trade id: a stream that
 * reconnects may send the exchange's closing of our position twice. */
static bool foreign_seen(struct engine *e, int64_t trade_id)
{
	if (!trade_id)
		return false;
	for (int i = 0; i < FOREIGN_SEEN_MAX; i++)
		if (e->foreign_seen[i] == trade_id)
			return true;
	e->foreign_seen[e->foreign_next++ % FOREIGN_SEEN_MAX] = trade_id;
	return false;
}

static void on_foreign_fill(struct engine *e, const ev_t *ev)
{
	const struct ev_order *u = &ev->u.order;
	int64_t si = strmap_get(&e->symmap, ev->symbol);
	if (si == NONE || u->last_qty <= 0 || foreign_seen(e, u->trade_id))
		return;
	struct sym *s = &e->syms[si];
	int dir = u->side == SIDE_SELL ? DIR_LONG : DIR_SHORT;
	bool closes = u->pos_side == PS_BOTH || u->pos_side == 0
	                      ? s->pos[dir].ntr > 0
	                      : (u->pos_side == PS_LONG) == (dir == DIR_LONG);
	if (!closes || !s->pos[dir].ntr) {
		eng_j_note(e, s, "fill of an order the engine did not send ignored: it closes nothing");
		return;
	}
	journal_fill(e, s, u, foreign_role(u), NONE);
	eng_tranche_on_close_fill(e, s, dir, NONE, u->last_qty);
}

void eng_orders_on_update(struct engine *e, const ev_t *ev)
{
	const struct ev_order *u = &ev->u.order;
	int64_t found = strmap_get(&e->ordmap, u->client_id);
	if (found == NONE) {
		/* An id of ours that is no longer in the pool is an order that has
		 * ended: a repeated or late update of it was already counted. */
		if (!engine_id_role(u->client_id) &&
		    (u->exec == EXEC_TRADE || u->exec == EXEC_CALCULATED))
			on_foreign_fill(e, ev);
		return;
	}
	int32_t idx = (int32_t)found;
	switch (u->exec) {
	case EXEC_NEW:
		accept(e, idx);
		break;
	case EXEC_TRADE:
		accept(e, idx);
		/* the order's cumulative filled quantity tells a repeated fill */
		if (u->last_qty > 0 && u->filled_qty > 0 && u->filled_qty <= e->orders[idx].filled)
			break;
		if (u->last_qty > 0)
			on_fill(e, idx, u);
		else if (u->status == OS_FILLED)
			finish(e, idx, JO_FILLED, 0, "");
		break;
	case EXEC_CANCELED:
		finish(e, idx, JO_CANCELED, 0,
		       e->orders[idx].cancel_sent ? "requested" : "by the exchange");
		break;
	case EXEC_EXPIRED:
		finish(e, idx, JO_EXPIRED, 0, "by the exchange");
		break;
	default:
		break; /* AMENDMENT, and CALCULATED for an order of ours: nothing to act on */
	}
}

/* Returns false when the order is not one of ours (or has already ended). */
bool eng_orders_on_reject(struct engine *e, const char *client_id, int code, const char *msg)
{
	int64_t found = strmap_get(&e->ordmap, client_id);
	if (found == NONE)
		return false;
	int32_t idx = (int32_t)found;
	struct eng_order *o = &e->orders[idx];
	if (!o->accepted) {
		finish(e, idx, JO_REJECTED, code, msg ? msg : "rejected");
		return true;
	}
	/* An accepted order: the refusal is of our cancel. "Unknown order"
	 * means it is already gone; its fill, if any, has been seen. */
	if (code == -2011 || code == -2013) {
		finish(e, idx, JO_CANCELED, code, "unknown to the exchange");
		return true;
	}
	/* Anything else leaves it working: an entry's TTL cancel is retried on
	 * the next sweep. */
	o->cancel_sent = false;
	if (o->deadline)
		eng_due(e, o->deadline);
	eng_j_note(e, &e->syms[o->sym], "cancel refused by the exchange");
	return true;
}

/* Entries past their TTL are cancelled; the others set the next deadline. */
void eng_orders_sweep(struct engine *e)
{
	for (uint32_t i = 0; i < e->norders; i++) {
		struct eng_order *o = &e->orders[i];
		if (!o->used || o->role != ROLE_ENTRY || !o->deadline || o->cancel_sent)
			continue;
		if (e->now >= o->deadline)
			eng_order_cancel(e, (int32_t)i, "ttl");
		else
			eng_due(e, o->deadline);
	}
}

void eng_orders_retarget(struct engine *e, uint32_t sym, int dir, int from, int to)
{
	for (uint32_t i = 0; i < e->norders; i++) {
		struct eng_order *o = &e->orders[i];
		if (o->used && o->sym == sym && o->dir == dir && o->tranche == from)
			o->tranche = to;
	}
}
