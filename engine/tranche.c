/*
 * tranche.c - the position of a symbol and direction as tranches
 * (strategy.md section 4): which tranche an entry fill joins, how closing
 * fills shrink them, and the merging of adjacent tranches in profit.
 *
 * A tranche's id is the lowest free slot when it opens; its age is a
 * sequence number, so "newest" and "adjacent" are by opening order and stay
 * meaningful after merges free slots in the middle. An entry order picks its
 * tranche at its first fill (at that fill's price) and keeps it for later
 * partial fills, so one order never straddles two tranches. A tranche may
 * grow past the largest quantity the exchange accepts in one order: then its
 * protection is split into several orders (protect.c), never the tranche.
 */
#include "engine_int.h"

dec_t eng_tranche_avg(const struct tranche *t)
{
	dec_t avg = 0;
	if (t->qty > 0)
		dec_div(t->cost, t->qty, &avg);
	return avg;
}

/* Take-profit and stop-loss prices from the average entry, rounded away
 * from it to the tick; 0 when disabled. */
void eng_tranche_targets(const struct sym *s, int dir, const struct tranche *t, dec_t *tp,
			 dec_t *sl)
{
	dec_t avg = eng_tranche_avg(t), tick = s->rules.tick;
	int up = dir == DIR_LONG ? 1 : -1;
	*tp = s->cfg.take_profit_enabled ? eng_price_shift(avg, s->cfg.take_profit_pct, up, tick) : 0;
	*sl = s->cfg.stop_loss_enabled ? eng_price_shift(avg, s->cfg.stop_loss_pct, -up, tick) : 0;
	if (*sl < 0)
		*sl = 0;
}

/* Profit of a position at `avg` if the price were `px`, in percent. */
static dec_t profit_pct(int dir, dec_t avg, dec_t px)
{
	dec_t ch = eng_pct_change(avg, px);
	return dir == DIR_LONG ? ch : -ch;
}

static int newest(const struct side_book *pb, int max)
{
	int best = NONE;
	for (int i = 0; i < max; i++)
		if (pb->tr[i].open && (best == NONE || pb->tr[i].seq > pb->tr[best].seq))
			best = i;
	return best;
}

static void set_cost(struct engine *e, struct sym *s, struct tranche *t, dec_t qty, dec_t cost)
{
	t->qty = qty;
	t->cost = cost;
	eng_margin_set(e, s, &t->margin, eng_margin(s, DEC_ONE, cost));
}

static int open_tranche(struct sym *s, int dir, int max)
{
	struct side_book *pb = &s->pos[dir];
	for (int i = 0; i < max; i++) {
		struct tranche *t = &pb->tr[i];
		if (t->open)
			continue;
		t->open = true;
		t->unprotected = t->was_protected = false;
		t->seq = pb->next_seq++;
		t->qty = t->cost = 0;
		pb->ntr++;
		return i;
	}
	return NONE;
}

/* The newest tranche, unless the fill is at a loss of at least the
 * increment against it and there is room for another. */
static int pick_tranche(struct engine *e, struct sym *s, int dir, dec_t price, bool *opened)
{
	int max = e->s.max_tranches_per_symbol_side;
	struct side_book *pb = &s->pos[dir];
	int n = newest(pb, max);
	*opened = n == NONE || (pb->ntr < max && -profit_pct(dir, eng_tranche_avg(&pb->tr[n]), price) >=
	                                                 e->s.tranche_pnl_increment_pct);
	return *opened ? open_tranche(s, dir, max) : n;
}

/* Chooses the tranche of an entry at its first fill (opening it if need
 * be); later partial fills stay there while it is open. */
void eng_tranche_pick(struct engine *e, struct eng_order *o, dec_t price, bool *opened)
{
	struct sym *s = &e->syms[o->sym];
	*opened = false;
	if (o->tranche == NONE || !s->pos[o->dir].tr[o->tranche].open)
		o->tranche = pick_tranche(e, s, o->dir, price, opened);
}

void eng_tranche_grow(struct engine *e, struct sym *s, int dir, int id, dec_t qty, dec_t price,
		      bool opened)
{
	struct tranche *t = &s->pos[dir].tr[id];
	set_cost(e, s, t, t->qty + qty, t->cost + eng_notional_of(qty, price));
	j_tranche(e, s, dir, id, opened ? JT_OPEN : JT_JOIN, NONE);
	eng_protect_sync(e, s, dir, id);
}

/* A position found on the exchange at a restart becomes one tranche at its
 * entry price; NONE when the side has no room left. Protection is the
 * caller's, once the adopted orders are attached. */
int eng_tranche_adopt(struct engine *e, struct sym *s, int dir, dec_t qty, dec_t price)
{
	int id = open_tranche(s, dir, e->s.max_tranches_per_symbol_side);
	if (id == NONE)
		return NONE;
	set_cost(e, s, &s->pos[dir].tr[id], qty, eng_notional_of(qty, price));
	j_tranche(e, s, dir, id, JT_OPEN, NONE);
	return id;
}

static void reduce(struct engine *e, struct sym *s, int dir, int id, dec_t qty)
{
	struct tranche *t = &s->pos[dir].tr[id];
	dec_t cost = 0;
	if (qty < t->qty)
		dec_muldiv(t->cost, t->qty - qty, t->qty, &cost);
	set_cost(e, s, t, t->qty - qty, cost);
	if (t->qty > 0) {
		j_tranche(e, s, dir, id, JT_REDUCE, NONE);
		eng_protect_sync(e, s, dir, id);
		return;
	}
	t->open = false;
	s->pos[dir].ntr--;
	j_tranche(e, s, dir, id, JT_CLOSE, NONE);
	eng_protect_drop(e, s, dir, id, "tranche closed");
	t->close.n = 0;
	/* Orders still pointing here (a closing order in flight, an entry
	 * between partial fills) now belong to the position as a whole. */
	eng_orders_retarget(e, (uint32_t)(s - e->syms), dir, id, NONE);
}

/* A closing fill shrinks its own tranche, and what exceeds it (or all of it,
 * for a fill of no tranche) shrinks the newest tranches first. */
void eng_tranche_on_close_fill(struct engine *e, struct sym *s, int dir, int id, dec_t qty)
{
	struct side_book *pb = &s->pos[dir];
	int max = e->s.max_tranches_per_symbol_side;
	while (qty > 0) {
		if (id == NONE || !pb->tr[id].open)
			id = newest(pb, max);
		if (id == NONE) {
			eng_j_note(e, s, "closing fill larger than the position it closes");
			return;
		}
		dec_t take = qty < pb->tr[id].qty ? qty : pb->tr[id].qty;
		reduce(e, s, dir, id, take);
		qty -= take;
	}
}

static void merge(struct engine *e, struct sym *s, int dir, int a, int b)
{
	struct side_book *pb = &s->pos[dir];
	struct tranche *ta = &pb->tr[a], *tb = &pb->tr[b];
	set_cost(e, s, ta, ta->qty + tb->qty, ta->cost + tb->cost);
	set_cost(e, s, tb, 0, 0);
	tb->open = false;
	pb->ntr--;
	eng_protect_drop(e, s, dir, b, "merged");
	eng_orders_retarget(e, (uint32_t)(s - e->syms), dir, b, a);
	j_tranche(e, s, dir, a, JT_MERGE, b);
	eng_protect_sync(e, s, dir, a);
}

/* Open tranches by age, oldest first; returns how many. */
static int by_age(const struct side_book *pb, int max, int ids[TRANCHE_MAX])
{
	int n = 0;
	for (int i = 0; i < max; i++) {
		if (!pb->tr[i].open)
			continue;
		int k = n++;
		for (; k > 0 && pb->tr[ids[k - 1]].seq > pb->tr[i].seq; k--)
			ids[k] = ids[k - 1];
		ids[k] = i;
	}
	return n;
}

/* Merges the first adjacent pair in profit; returns whether it did. */
static bool merge_one(struct engine *e, struct sym *s, int dir)
{
	int ids[TRANCHE_MAX];
	struct side_book *pb = &s->pos[dir];
	int n = by_age(pb, e->s.max_tranches_per_symbol_side, ids);
	for (int k = 0; k + 1 < n; k++) {
		const struct tranche *a = &pb->tr[ids[k]], *b = &pb->tr[ids[k + 1]];
		if (a->close.n || b->close.n)
			continue;
		dec_t avg = 0;
		dec_div(a->cost + b->cost, a->qty + b->qty, &avg);
		dec_t p = profit_pct(dir, avg, s->mark);
		if (p > 0 && p >= e->s.merge_profit_pct) {
			merge(e, s, dir, ids[k], ids[k + 1]);
			return true;
		}
	}
	return false;
}

void eng_tranche_on_mark(struct engine *e, struct sym *s)
{
	for (int dir = 0; dir < 2; dir++)
		while (s->pos[dir].ntr >= 2 && merge_one(e, s, dir))
			;
}
