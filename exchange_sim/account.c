/*
 * account.c - the simulated account: positions per symbol and position side
 * with exact average entry and realized PnL, the USDT wallet, funding, and
 * the liquidation of our own positions.
 *
 * Margin is isolated-style per position (docs/simulation.md): opening
 * notional / leverage is set aside as the position's margin, and the
 * position is liquidated when that margin plus its unrealized PnL at the mark
 * falls to the maintenance margin. Cross-margin sharing between positions is
 * not modelled.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exchange_sim_int.h"

dec_t sim_dmul(dec_t a, dec_t b)
{
	dec_t r;
	if (dec_mul(a, b, &r))
		return (a < 0) != (b < 0) ? DEC_MIN : DEC_MAX;
	return r;
}

dec_t sim_dmuldiv(dec_t a, dec_t b, dec_t c)
{
	dec_t r;
	if (dec_muldiv(a, b, c, &r))
		return c && ((a < 0) ^ (b < 0) ^ (c < 0)) ? DEC_MIN : DEC_MAX;
	return r;
}

/* Whether an order can only take exposure off: reduce-only, close-position,
 * or in hedge mode the side that closes its position side. */
bool sim_order_closes_only(const sim_t *s, const order_req *o)
{
	return o->reduce_only || o->close_position ||
	       (s->p.hedge_mode && (o->side == SIDE_SELL) == (o->pos_side == PS_LONG));
}

struct pos *sim_pos_for(sim_t *s, struct sym *y, const order_req *o)
{
	return &y->pos[s->p.hedge_mode ? o->pos_side : PS_BOTH];
}

/* How much of the order's position its side would close. */
dec_t sim_pos_closable(const sim_t *s, const struct sym *y, const order_req *o)
{
	dec_t amount = y->pos[s->p.hedge_mode ? o->pos_side : PS_BOTH].amount;
	if (o->side == SIDE_SELL)
		return amount > 0 ? amount : 0;
	return amount < 0 ? -amount : 0;
}

static void pos_open(const struct sym *y, struct pos *p, dec_t delta, dec_t price)
{
	dec_t notional = sim_dmul(delta, price);
	p->amount += delta;
	p->cost += notional;
	p->margin += sim_dmuldiv(dabs(notional), DEC_ONE, DEC(y->leverage));
}

/* Applies a fill to a position and returns the realized PnL of the part
 * that closed. A one-way fill larger than the position flips it. */
dec_t sim_pos_apply(struct sym *y, struct pos *p, side_t side, dec_t qty, dec_t price)
{
	dec_t delta = side == SIDE_BUY ? qty : -qty;
	if (!p->amount || (p->amount > 0) == (delta > 0)) {
		pos_open(y, p, delta, price);
		return 0;
	}
	dec_t closed = dmin(dabs(delta), dabs(p->amount));
	dec_t share = sim_dmuldiv(p->cost, closed, dabs(p->amount));
	dec_t rp = sim_dmul(p->amount > 0 ? closed : -closed, price) - share;
	p->margin -= sim_dmuldiv(p->margin, closed, dabs(p->amount));
	p->cost -= share;
	p->amount += p->amount > 0 ? -closed : closed;
	p->realized += rp;
	if (!p->amount)
		p->cost = p->margin = 0;
	if (dabs(delta) > closed)
		pos_open(y, p, delta > 0 ? delta - closed : delta + closed, price);
	return rp;
}

/* The mark, or the last trade for a symbol without mark prices. */
dec_t sim_sym_mark(const struct sym *y)
{
	return y->mark ? y->mark : y->last_price;
}

dec_t sim_pos_unrealized(const struct sym *y, const struct pos *p)
{
	dec_t mark = sim_sym_mark(y);
	return p->amount && mark ? sim_dmul(p->amount, mark) - p->cost : 0;
}

dec_t sim_pos_entry(const struct pos *p)
{
	return p->amount ? sim_dmuldiv(p->cost, DEC_ONE, p->amount) : 0;
}

/* Margin held by resting limit orders that would open exposure. */
static dec_t order_margin(const sim_t *s, const struct sym *y)
{
	dec_t held = 0;
	for (uint32_t i = 0; i < y->norders; i++) {
		const struct order *o = &y->orders[i];
		if (o->done || o->type != OT_LIMIT || sim_order_closes_only(s, &o->req))
			continue;
		held += sim_dmuldiv(o->req.qty - o->filled, o->req.price, DEC(y->leverage));
	}
	return held;
}

dec_t sim_margin_available(const sim_t *s)
{
	dec_t avail = s->wallet;
	for (uint32_t i = 0; i < s->nsyms; i++) {
		const struct sym *y = s->syms[i];
		for (int ps = PS_BOTH; ps <= PS_SHORT; ps++)
			avail += sim_pos_unrealized(y, &y->pos[ps]) - y->pos[ps].margin;
		avail -= order_margin(s, y);
	}
	return avail;
}

/* At the funding time, each open position pays amount x mark x rate: with a
 * positive rate longs pay and shorts receive. */
void sim_account_funding(sim_t *s, struct sym *y)
{
	dec_t mark = sim_sym_mark(y);
	for (int ps = PS_BOTH; ps <= PS_SHORT; ps++) {
		struct pos *p = &y->pos[ps];
		if (!p->amount || !mark)
			continue;
		dec_t pay = sim_dmul(sim_dmul(p->amount, mark), y->funding_rate);
		s->wallet -= pay;
		s->funding_paid += pay;
		sim_emit_account(s, y, "FUNDING_FEE", (pos_side_t)ps, -pay);
	}
}

static dec_t maint_rate(const sim_t *s, const struct sym *y)
{
	return s->p.maint_margin_rate ? s->p.maint_margin_rate
	                              : sim_dmuldiv(y->rules.maint_margin_pct, DEC_ONE, DEC(100));
}

/* The position is closed at its bankruptcy price, where the loss equals its
 * margin: all of the margin is lost, the liquidation fee included, as on an
 * isolated position. Open orders on the symbol are cancelled first. */
static void liquidate(sim_t *s, struct sym *y, pos_side_t ps)
{
	struct pos *p = &y->pos[ps];
	for (uint32_t i = 0; i < y->norders; i++)
		if (!y->orders[i].done)
			sim_order_finish(s, y, &y->orders[i], EXEC_CANCELED, OS_CANCELED);
	sim_orders_compact(y);
	dec_t price = sim_dmuldiv(p->cost - p->margin, DEC_ONE, p->amount);
	struct order liq = {.type = OT_LIQUIDATION, .id = s->next_order_id++};
	liq.req = (order_req){.side = p->amount > 0 ? SIDE_SELL : SIDE_BUY,
	                      .pos_side = ps, .type = OT_LIQUIDATION, .tif = TIF_IOC,
	                      .qty = dabs(p->amount), .price = price > 0 ? price : 0,
	                      .reduce_only = true};
	copy_str(liq.req.symbol, sizeof(liq.req.symbol), y->name, strlen(y->name));
	snprintf(liq.req.client_id, sizeof(liq.req.client_id), "autoclose-%" PRId64, liq.id);
	struct fill f = {.qty = liq.req.qty, .price = liq.req.price};
	f.rp = sim_pos_apply(y, p, liq.req.side, f.qty, f.price);
	f.trade_id = s->next_trade_id++;
	liq.filled = f.qty;
	liq.filled_cost = sim_dmul(f.qty, f.price);
	s->wallet += f.rp;
	sim_emit_order(s, y, &liq, EXEC_CALCULATED, OS_FILLED, &f);
	sim_emit_account(s, y, "ORDER", ps, 0);
}

void sim_account_check_liquidation(sim_t *s, struct sym *y)
{
	dec_t mark = sim_sym_mark(y);
	for (int ps = PS_BOTH; ps <= PS_SHORT; ps++) {
		struct pos *p = &y->pos[ps];
		if (!p->amount || !mark)
			continue;
		dec_t maint = sim_dmul(sim_dmul(dabs(p->amount), mark), maint_rate(s, y));
		if (p->margin + sim_pos_unrealized(y, p) <= maint)
			liquidate(s, y, (pos_side_t)ps);
	}
}
