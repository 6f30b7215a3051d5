/*
 * view.c - what the engine holds, for people: its tranches with the
 * take-profit and stop-loss protecting them, and its orders still working.
 * A live run's dashboard shows these; nothing here changes the engine.
 */
#include "engine_int.h"

/* The trigger (stop orders) or limit price of the working orders of a leg
 * (its chunks share it), 0 when none works. */
static dec_t leg_price(const struct engine *e, const struct leg *l)
{
	const struct chunks *g = l->live.n ? &l->live : &l->pend;
	if (!g->n)
		return 0;
	const order_req *r = &e->orders[g->idx[0]].req;
	return r->type == OT_LIMIT ? r->price : r->stop_price;
}

void engine_each_tranche(const engine_t *e, engine_tranche_fn fn, void *ctx)
{
	for (uint32_t i = 0; i < e->nsyms; i++) {
		const struct sym *s = &e->syms[i];
		for (int dir = DIR_LONG; dir <= DIR_SHORT; dir++) {
			for (int k = 0; k < TRANCHE_MAX; k++) {
				const struct tranche *t = &s->pos[dir].tr[k];
				if (!t->open || !t->qty)
					continue;
				dec_t entry = 0;
				dec_div(t->cost, t->qty, &entry);
				struct engine_tranche v = {s->cfg.symbol, dir == DIR_LONG, t->seq, t->qty,
				                           entry, leg_price(e, &t->tp), leg_price(e, &t->sl),
				                           s->mark ? s->mark : s->last_trade,
				                           !t->unprotected};
				fn(ctx, &v);
			}
		}
	}
}

void engine_each_order(const engine_t *e, engine_order_fn fn, void *ctx)
{
	for (uint32_t i = 0; i < e->norders; i++) {
		const struct eng_order *o = &e->orders[i];
		if (o->used) {
			struct engine_order v = {&o->req, o->role, o->filled, o->accepted};
			fn(ctx, &v);
		}
	}
}
