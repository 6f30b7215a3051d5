/*
 * saved.c - the simulated account of a simulate run put back when the run
 * starts again on its run database: the account goes on as an exchange's
 * would, with the same wallet, positions and open orders, trade ids that
 * never repeat one given before, and no funding time charged twice.
 */
#include <string.h>

#include "exchange_sim_int.h"

/* A position is what its fills made of it, by the arithmetic that made it
 * the first time; the money is the caller's (the fills' own PnL and fees). */
static void restore_fill(sim_t *s, const struct sim_saved_fill *f)
{
	struct sym *y = sim_sym_get(s, f->symbol);
	int ps = s->p.hedge_mode ? f->pos_side : PS_BOTH;
	if (ps >= PS_BOTH && ps <= PS_SHORT)
		sim_pos_apply(y, &y->pos[ps], f->side, f->qty, f->price);
}

/* An open order rests again, with what its fills took of it, its queue
 * position unknown as for a price the book copy does not show. */
static void restore_order(sim_t *s, const order_req *req, const struct sim_saved *in)
{
	struct sym *y = sim_sym_get(s, req->symbol);
	struct order *o = sim_order_push(y);
	o->req = *req;
	o->type = req->type;
	o->id = s->next_order_id++;
	for (uint32_t i = 0; i < in->nfills; i++) {
		const struct sim_saved_fill *f = &in->fills[i];
		if (strcmp(f->client_id, req->client_id))
			continue;
		o->filled += f->qty;
		o->filled_cost += sim_dmul(f->qty, f->price);
	}
	if (req->qty && o->filled >= req->qty)
		o->done = true; /* the database knew it filled: nothing rests */
}

void sim_restore(sim_t *s, const struct sim_saved *in)
{
	s->wallet = in->wallet;
	s->fees_paid = in->fees_paid;
	s->funding_paid = in->funding_paid;
	if (in->next_trade_id > s->next_trade_id)
		s->next_trade_id = in->next_trade_id;
	for (uint32_t i = 0; i < in->nfills; i++)
		restore_fill(s, &in->fills[i]);
	for (uint32_t i = 0; i < in->nfunded; i++) {
		struct sym *y = sim_sym_get(s, in->funded[i].symbol);
		y->funding_queued = in->funded[i].ms;
	}
	for (uint32_t i = 0; i < in->norders; i++)
		restore_order(s, &in->orders[i], in);
	for (uint32_t i = 0; i < s->nsyms; i++)
		sim_orders_compact(s->syms[i]);
}
