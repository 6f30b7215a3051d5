/*
 * price.c - the exact arithmetic behind every price and quantity the engine
 * sends: a price moved by a percentage and rounded away from the market to
 * the tick, quantities for a value or a notional on the step, and a
 * quantity split into orders each within the exchange's maximum.
 *
 * Intermediates are 128-bit and each result is rounded once, in the
 * direction the strategy asks for, so no order lands a tick or a step on the
 * wrong side through an earlier truncation.
 */
#include "engine_int.h"

typedef __int128 wide;

/* a / b for positive b, rounded toward -inf (dir < 0) or +inf (dir > 0). */
static wide div_dir(wide a, wide b, int dir)
{
	wide q = a / b, r = a % b;
	if (r && dir > 0 && a > 0)
		q++;
	if (r && dir < 0 && a < 0)
		q--;
	return q;
}

static dec_t clamp_dec(wide v)
{
	return v > DEC_MAX ? DEC_MAX : v < DEC_MIN ? DEC_MIN : (dec_t)v;
}

/* p * (100 + dir * pct) / 100, rounded in direction `dir` and then to the
 * tick in the same direction: dir > 0 moves up, dir < 0 down. */
dec_t eng_price_shift(dec_t p, dec_t pct, int dir, dec_t tick)
{
	wide factor = (wide)DEC(100) + (dir > 0 ? pct : -(wide)pct);
	dec_t v = clamp_dec(div_dir((wide)p * factor, DEC(100), dir));
	return dir > 0 ? dec_round_up(v, tick) : dec_round_down(v, tick);
}

/* Percentage move from `from` to `to`, in decimal percent (toward zero). */
dec_t eng_pct_change(dec_t from, dec_t to)
{
	if (from <= 0)
		return 0;
	return clamp_dec(((wide)to - from) * DEC(100) / from);
}

/* The largest multiple of `step` whose value at `price` is at most `value`. */
dec_t eng_qty_for_value(dec_t value, dec_t price, dec_t step)
{
	if (price <= 0)
		return 0;
	return dec_round_down(clamp_dec(div_dir((wide)value * DEC_SCALE, price, -1)), step);
}

/* The smallest multiple of `step` whose value at `price` is at least `notional`. */
dec_t eng_qty_for_notional(dec_t notional, dec_t price, dec_t step)
{
	if (price <= 0)
		return 0;
	return dec_round_up(clamp_dec(div_dir((wide)notional * DEC_SCALE, price, 1)), step);
}

dec_t eng_notional_of(dec_t qty, dec_t price)
{
	return clamp_dec((wide)qty * price / DEC_SCALE);
}

/* The lot rules an order of `type` is checked against: MARKET_LOT_SIZE for
 * a MARKET order where the exchange gives it, LOT_SIZE for the others. A
 * STOP_MARKET or TAKE_PROFIT_MARKET is checked against LOT_SIZE when placed
 * but trades as a market order when it triggers, so it keeps the smaller of
 * both maxima. */
struct lot eng_lot(const struct symbol_rules *r, order_type_t type)
{
	if (type == OT_MARKET)
		return (struct lot){r->market_step > 0 ? r->market_step : r->step,
		                    r->market_min_qty > 0 ? r->market_min_qty : r->min_qty,
		                    r->market_max_qty > 0 ? r->market_max_qty : r->max_qty};
	struct lot l = {r->step, r->min_qty, r->max_qty};
	bool conditional = type == OT_STOP_MARKET || type == OT_TAKE_PROFIT_MARKET;
	if (conditional && r->market_max_qty > 0 && (l.max <= 0 || r->market_max_qty < l.max))
		l.max = r->market_max_qty;
	return l;
}

/*
 * The quantities of the orders that together make `qty` within `lot`: the
 * maximum on the step as often as needed, then the rest. A rest below the
 * minimum takes what it lacks from the chunk before it. There are at most
 * `cap` (at least 1): past that the last one carries the excess.
 */
int eng_split(dec_t qty, struct lot lot, dec_t *out, int cap)
{
	dec_t full = dec_round_down(lot.max, lot.step);
	int n = 0;
	for (; full > 0 && qty > full && n < cap - 1; n++) {
		out[n] = full;
		qty -= full;
	}
	out[n++] = qty;
	if (n > 1 && qty < lot.min) {
		out[n - 2] -= lot.min - qty;
		out[n - 1] = lot.min;
	}
	return n;
}
