/*
 * adopt.c - a restarted live run takes over what the previous one left on
 * the exchange: its positions and its own open orders.
 *
 * Each position becomes one tranche at the exchange's entry price, counted
 * in the caps like any other. An open order is the engine's when its client
 * id has the engine's format (orders.c), which also tells its role; it joins
 * the order pool under that id: an entry holds its margin and expires one
 * TTL after adoption, a take-profit, stop-loss or closing order covers a
 * tranche of its direction. Then protection runs as after any fill, so a
 * tranche missing its TP or SL gets one and one whose orders already match
 * gets nothing. Orders that are not the engine's are never touched.
 */
#include <stdio.h>

#include "engine_int.h"

/* "<what> <name> <why>": notes naming the position or order they are about. */
static void note_for(struct engine *e, const struct sym *s, const char *what, const char *name,
                     const char *why)
{
	char text[160];
	snprintf(text, sizeof text, "%s %s %s", what, name, why);
	eng_j_note(e, s, text);
}

/* The direction a position or an order is for: the position side in hedge
 * mode; in one-way mode the sign of the amount, or the side of an order
 * (an entry buys into a long, a closing order sells out of it). */
static int dir_of(pos_side_t ps, bool one_way_long)
{
	if (ps == PS_LONG || ps == PS_SHORT)
		return ps == PS_LONG ? DIR_LONG : DIR_SHORT;
	return one_way_long ? DIR_LONG : DIR_SHORT;
}

static void adopt_position(struct engine *e, const struct position *p)
{
	if (!p->amount)
		return;
	struct sym *s = eng_sym(e, p->symbol);
	if (!s) {
		note_for(e, NULL, "position on", p->symbol,
		         "left alone: the symbol is not in the settings");
		return;
	}
	/* The engine's orders for a position of the other mode would be refused. */
	bool hedged = p->pos_side == PS_LONG || p->pos_side == PS_SHORT;
	if (hedged != e->s.hedge_mode) {
		eng_j_note(e, s, "position not adopted: its position mode is not hedge_mode's");
		return;
	}
	if (p->entry_price <= 0) {
		eng_j_note(e, s, "position not adopted: no entry price");
		return;
	}
	int dir = dir_of(p->pos_side, p->amount > 0);
	dec_t qty = p->amount > 0 ? p->amount : -p->amount;
	eng_j_note(e, s, dir == DIR_LONG ? "long position adopted from the exchange"
	                             : "short position adopted from the exchange");
	if (eng_tranche_adopt(e, s, dir, qty, p->entry_price) == NONE)
		eng_j_note(e, s, "no tranche free for the adopted position: it is not tracked");
}

/* An adopted entry counts as one in flight: margin, caps, TTL from now. */
static void adopt_entry(struct engine *e, struct sym *s, int32_t idx)
{
	struct eng_order *o = &e->orders[idx];
	dec_t rest = o->req.qty > o->filled ? o->req.qty - o->filled : 0;
	o->ref_price = o->req.price;
	eng_margin_set(e, s, &o->margin, eng_margin(s, rest, o->ref_price));
	s->pending_entries++;
	s->pos[o->dir].pending_entries++;
	o->deadline = e->s.order_ttl_ms > 0 ? e->now + e->s.order_ttl_ms : 0;
	if (o->deadline)
		eng_due(e, o->deadline);
}

static void adopt_order(struct engine *e, const ev_t *ev)
{
	const struct ev_order *u = &ev->u.order;
	struct sym *s = eng_sym(e, ev->symbol);
	order_role_t role = engine_id_role(u->client_id);
	if (!role || !s) {
		note_for(e, s, "open order", u->client_id,
		         role ? "left alone: its symbol is not in the settings"
		              : "left alone: it is not the engine's");
		return;
	}
	if (strmap_get(&e->ordmap, u->client_id) != NONE)
		return; /* known already */
	if (u->status != OS_NEW && u->status != OS_PARTIALLY_FILLED) {
		note_for(e, s, "order", u->client_id, "not adopted: it is not open");
		return;
	}
	int dir = dir_of(u->pos_side, (u->side == SIDE_BUY) == (role == ROLE_ENTRY));
	int32_t idx = eng_order_adopt(e, s, u, role, dir);
	if (idx == NONE)
		note_for(e, s, "order", u->client_id, "not adopted: out of memory");
	else if (role == ROLE_ENTRY)
		adopt_entry(e, s, idx);
	else
		eng_protect_adopt(e, idx);
}

void engine_adopt(engine_t *e, const struct position *pos, uint32_t npos, const ev_t *orders,
                  uint32_t norders, int64_t now_ms)
{
	eng_advance(e, now_ms);
	for (uint32_t i = 0; i < npos; i++)
		adopt_position(e, &pos[i]);
	for (uint32_t i = 0; i < norders; i++)
		adopt_order(e, &orders[i]);
	for (uint32_t i = 0; i < e->nsyms; i++) {
		struct sym *s = &e->syms[i];
		if (!s->has_rules && (s->pos[DIR_LONG].ntr || s->pos[DIR_SHORT].ntr))
			eng_j_note(e, s, "adopted position protected when the trading rules arrive");
		eng_protect_all(e, s);
	}
}
