/*
 * filters.c - what the matching engine checks when an order arrives, in the
 * order Aster checks it, each failure with Aster's code and message
 * (docs/aster-api.md section 6): symbol, position side mode, mandatory
 * parameters, LOT_SIZE / MARKET_LOT_SIZE, PRICE_FILTER, PERCENT_PRICE,
 * MIN_NOTIONAL, open-order limits, reduce-only, immediate trigger, margin.
 */
#include <stdio.h>
#include <string.h>

#include "exchange_sim_int.h"

static bool has_limit_price(order_type_t t)
{
	return t == OT_LIMIT || t == OT_STOP || t == OT_TAKE_PROFIT;
}

static int fail(char *msg, int code, const char *text)
{
	snprintf(msg, REJECT_MSG_MAX, "%s", text);
	return code;
}

static int missing(char *msg, const char *param)
{
	snprintf(msg, REJECT_MSG_MAX,
	         "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", param);
	return -1102;
}

static int not_required(char *msg, const char *param)
{
	snprintf(msg, REJECT_MSG_MAX, "Parameter '%s' sent when not required.", param);
	return -1106;
}

/* The price a conditional order watches: the mark for MARK_PRICE, else the
 * last trade; where its own kind is missing or stale the other stands in,
 * as it does for the triggers (matching.c). */
static dec_t watched_price(const sim_t *s, const struct sym *y, working_type_t wt)
{
	bool mark = wt == WT_MARK_PRICE ? sym_mark_fresh(s, y) || !y->last_price
	                                : !sym_last_fresh(s, y) && y->mark;
	return mark ? y->mark : y->last_price;
}

/* Aster's trigger rules: STOP buys fire at or above the stop, sells at or
 * below; TAKE_PROFIT the other way round. */
bool sim_stop_triggered(const struct order *o, dec_t price)
{
	if (price <= 0)
		return false;
	bool stop = o->req.type == OT_STOP || o->req.type == OT_STOP_MARKET;
	bool up = (o->req.side == SIDE_BUY) == stop;
	return up ? price >= o->req.stop_price : price <= o->req.stop_price;
}

/* Aster's pattern for client ids: ^[.A-Z:/a-z0-9_-]{1,36}$ (empty: the
 * exchange names the order). */
static bool client_id_ok(const char *id)
{
	size_t n = strnlen(id, CLIENT_ID_MAX);
	if (n > 36)
		return false;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:/_-") == n;
}

static int check_shape(const sim_t *s, const order_req *o, char *msg)
{
	if (!client_id_ok(o->client_id))
		return fail(msg, -4015, "Client order id is not valid.");
	if (o->side != SIDE_BUY && o->side != SIDE_SELL)
		return missing(msg, "side");
	if (s->p.hedge_mode ? (o->pos_side != PS_LONG && o->pos_side != PS_SHORT)
	                    : (o->pos_side != 0 && o->pos_side != PS_BOTH))
		return fail(msg, -4061, "Order's position side does not match user's setting.");
	if (s->p.hedge_mode && o->reduce_only)
		return not_required(msg, "reduceOnly");
	if (o->type < OT_LIMIT || o->type > OT_TAKE_PROFIT_MARKET)
		return missing(msg, "type"); /* trailing stops are not simulated */
	if (o->type == OT_LIMIT && !o->tif)
		return missing(msg, "timeInForce");
	if (has_limit_price(o->type) && o->price <= 0)
		return missing(msg, "price");
	if (type_conditional(o->type) && o->stop_price <= 0)
		return missing(msg, "stopPrice");
	if (o->close_position) {
		if (o->type != OT_STOP_MARKET && o->type != OT_TAKE_PROFIT_MARKET)
			return not_required(msg, "closePosition");
		if (o->reduce_only)
			return not_required(msg, "reduceOnly");
		if (o->qty)
			return fail(msg, -4137, "Quantity must be zero with closePosition equals true.");
	}
	return 0;
}

dec_t sim_lot_step(const struct symbol_rules *r, order_type_t type)
{
	return type == OT_MARKET && r->market_step ? r->market_step : r->step;
}

static int check_qty(const struct symbol_rules *r, const order_req *o, char *msg)
{
	if (o->close_position)
		return 0;
	if (o->qty <= 0)
		return fail(msg, -4003, "Quantity less than or equal to zero.");
	bool market = o->type == OT_MARKET;
	dec_t step = sim_lot_step(r, o->type);
	dec_t min = market && r->market_min_qty ? r->market_min_qty : r->min_qty;
	dec_t max = market && r->market_max_qty ? r->market_max_qty : r->max_qty;
	if (min && o->qty < min)
		return fail(msg, -4004, "Quantity less than min quantity.");
	if (max && o->qty > max)
		return fail(msg, -4005, "Quantity greater than max quantity.");
	if (step && (o->qty - min) % step)
		return fail(msg, -4023, "Quantity not increased by step size.");
	return 0;
}

/* PRICE_FILTER, for the limit price and the stop price alike. */
static int check_price_filter(const struct symbol_rules *r, dec_t price, char *msg)
{
	if (r->min_price && price < r->min_price)
		return fail(msg, -4013, "Price less than min price.");
	if (r->max_price && price > r->max_price)
		return fail(msg, -4002, "Price greater than max price.");
	if (r->tick && (price - r->min_price) % r->tick)
		return fail(msg, -4014, "Price not increased by tick size.");
	return 0;
}

static int bound_fail(char *msg, int code, const char *dir, dec_t bound)
{
	char b[DEC_FMT_MAX];
	dec_format(bound, b);
	snprintf(msg, REJECT_MSG_MAX, "Limit price can't be %s than %s.", dir, b);
	return code;
}

/* PERCENT_PRICE: BUY <= mark x up, SELL >= mark x down, bounds on the tick. */
static int check_percent(const struct sym *y, const order_req *o, char *msg)
{
	const struct symbol_rules *r = &y->rules;
	dec_t mark = sim_sym_mark(y);
	if (!has_limit_price(o->type) || !mark)
		return 0;
	dec_t tick = r->tick ? r->tick : 1;
	if (o->side == SIDE_BUY && r->percent_up) {
		dec_t hi = dec_round_down(sim_dmul(mark, r->percent_up), tick);
		if (o->price > hi)
			return bound_fail(msg, -4016, "higher", hi);
	}
	if (o->side == SIDE_SELL && r->percent_down) {
		dec_t lo = dec_round_up(sim_dmul(mark, r->percent_down), tick);
		if (o->price < lo)
			return bound_fail(msg, -4024, "lower", lo);
	}
	return 0;
}

/* The price an order's notional and margin are judged at: a market order's
 * is the mark, or without one the last trade or the best price it would
 * take; 0 when nothing is known, and then it is not judged. */
static dec_t order_price(const struct sym *y, const order_req *o)
{
	if (has_limit_price(o->type))
		return o->price;
	if (o->type != OT_MARKET)
		return o->stop_price;
	dec_t ref = sim_sym_mark(y);
	const level_t *best = sim_book_best(y, side_book(side_opposite(o->side)));
	return ref ? ref : best ? best->price : 0;
}

static int check_notional(const struct sym *y, const order_req *o, bool closing, char *msg)
{
	dec_t min = y->rules.min_notional;
	dec_t price = order_price(y, o);
	if (!min || closing || !price)
		return 0;
	if (sim_dmul(o->qty, price) >= min)
		return 0;
	char b[DEC_FMT_MAX];
	dec_format(min, b);
	snprintf(msg, REJECT_MSG_MAX,
	         "Order's notional must be no smaller than %s (unless you choose reduce only).", b);
	return -4164;
}

static int check_counts(const struct sym *y, const order_req *o, char *msg)
{
	uint32_t live = 0, algo = 0;
	for (uint32_t i = 0; i < y->norders; i++) {
		const struct order *w = &y->orders[i];
		if (w->done)
			continue;
		live++;
		algo += type_conditional(w->type);
		if (o->client_id[0] && !strcmp(w->req.client_id, o->client_id))
			return fail(msg, -4116, "ClientOrderId is duplicated.");
	}
	if (y->rules.max_orders && live >= (uint32_t)y->rules.max_orders)
		return fail(msg, -2025, "Reach max open order limit.");
	if (type_conditional(o->type) && y->rules.max_algo_orders &&
	    algo >= (uint32_t)y->rules.max_algo_orders)
		return fail(msg, -4045, "Reach max stop order limit.");
	return 0;
}

static int check_trigger(const sim_t *s, const struct sym *y, const order_req *o, char *msg)
{
	if (!type_conditional(o->type))
		return 0;
	struct order probe = {.req = *o};
	if (sim_stop_triggered(&probe, watched_price(s, y, o->working_type)))
		return fail(msg, -2021, "Order would immediately trigger.");
	return 0;
}

/* Initial margin of the part of the order that opens exposure. */
static int check_margin(const sim_t *s, const struct sym *y, const order_req *o,
                        dec_t closable, char *msg)
{
	dec_t opening = o->qty - dmin(o->qty, closable);
	dec_t price = order_price(y, o);
	if (!opening || !price)
		return 0;
	dec_t need = sim_dmuldiv(opening, price, DEC(y->leverage));
	if (need > sim_margin_available(s))
		return fail(msg, -2019, "Margin is insufficient.");
	return 0;
}

int sim_filter_order(const sim_t *s, const struct sym *y, const order_req *o,
		     char msg[REJECT_MSG_MAX])
{
	if (!y || !y->has_rules)
		return fail(msg, -1121, "Invalid symbol.");
	int code = check_shape(s, o, msg);
	if (!code)
		code = check_qty(&y->rules, o, msg);
	if (!code && has_limit_price(o->type))
		code = check_price_filter(&y->rules, o->price, msg);
	if (!code && type_conditional(o->type))
		code = check_price_filter(&y->rules, o->stop_price, msg);
	if (!code)
		code = check_percent(y, o, msg);
	if (code)
		return code;
	dec_t closable = sim_pos_closable(s, y, o);
	bool reduce = sim_order_closes_only(s, o);
	code = check_notional(y, o, reduce, msg);
	if (!code)
		code = check_counts(y, o, msg);
	if (!code && reduce && !closable && !o->close_position)
		code = fail(msg, -2022, "ReduceOnly Order is rejected.");
	if (!code)
		code = check_trigger(s, y, o, msg);
	if (!code && !reduce)
		code = check_margin(s, y, o, closable, msg);
	return code;
}
