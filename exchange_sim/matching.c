/*
 * matching.c - the matching engine: an order's arrival (filters, NEW, then
 * taking liquidity or resting), fills of resting orders from trades and book
 * changes with queue position, stop triggers, cancels and replaces.
 *
 * Our orders are never inserted into the recorded book: they are matched
 * against it as it was recorded, and the rules for when a resting order
 * would have filled are the models of docs/simulation.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange_sim_int.h"

enum { PLAN_MAX = 64 }; /* price levels one order may walk */

struct plan {
	struct fill step[PLAN_MAX];
	int n;
	dec_t total;
};

static bool is_live_limit(const struct order *o)
{
	return !o->done && o->type == OT_LIMIT;
}

static dec_t tick_of(const struct sym *y)
{
	return y->rules.tick ? y->rules.tick : 1;
}

static dec_t remaining(const struct order *o)
{
	return o->req.qty - o->filled;
}

static struct order *order_find(struct sym *y, const char *client_id)
{
	for (uint32_t i = 0; y && i < y->norders; i++)
		if (!y->orders[i].done && !strcmp(y->orders[i].req.client_id, client_id))
			return &y->orders[i];
	return NULL;
}

/* Drops terminal orders, keeping arrival order (time priority). */
void orders_compact(struct sym *y)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < y->norders; i++)
		if (!y->orders[i].done)
			y->orders[k++] = y->orders[i];
	y->norders = k;
}

void order_finish(sim_t *s, struct sym *y, struct order *o, exec_type_t exec,
                  order_status_t status)
{
	o->done = true;
	emit_order(s, y, o, exec, status, NULL);
}

/* One execution: position, fee, wallet, then the two events Aster sends.
 * A closing-only order is cut to what is left of its position, and expires
 * once there is nothing left to close. Returns the quantity filled. */
static dec_t order_fill(sim_t *s, struct sym *y, struct order *o, dec_t qty, dec_t price,
                        bool maker)
{
	bool closing = order_closes_only(s, &o->req);
	if (closing)
		qty = dmin(qty, pos_closable(s, y, &o->req));
	if (qty <= 0) {
		order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
		return 0;
	}
	struct pos *p = pos_for(s, y, &o->req);
	struct fill f = {.qty = qty, .price = price, .maker = maker,
	                 .trade_id = s->next_trade_id++};
	f.rp = pos_apply(y, p, o->req.side, qty, price);
	f.fee = dmul(dmul(qty, price), maker ? s->p.maker_fee : s->p.taker_fee);
	s->wallet += f.rp - f.fee;
	s->fees_paid += f.fee;
	o->filled += qty;
	o->filled_cost += dmul(qty, price);
	o->done = o->filled >= o->req.qty;
	emit_order(s, y, o, EXEC_TRADE, o->done ? OS_FILLED : OS_PARTIALLY_FILLED, &f);
	emit_account(s, y, "ORDER", o->req.pos_side ? o->req.pos_side : PS_BOTH, 0);
	if (!o->done && closing && !pos_closable(s, y, &o->req))
		order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
	return qty;
}

/* An execution is a whole number of lots, as on the exchange, even where
 * the model's share of a trade or a level is not: the pro-rata queue
 * estimate, or a recorded level finer than the step. Rounded down. */
static dec_t whole_lots(const struct sym *y, const struct order *o, dec_t qty)
{
	dec_t step = lot_step(&y->rules, o->req.type);
	return step > 0 ? dec_round_down(qty, step) : qty;
}

static bool within(side_t side, dec_t price, dec_t limit)
{
	return !limit || (side == SIDE_BUY ? price <= limit : price >= limit);
}

/* The price beyond what the book shows: one tick past the last level taken,
 * or with no book at all, the trades-only top of book around the last trade
 * (the trade's own price on the side its taker hit, one tick off on the
 * other side). 0 when nothing is known. */
static dec_t beyond_price(const struct sym *y, side_t side, const struct plan *pl)
{
	dec_t tick = tick_of(y);
	dec_t dir = side == SIDE_BUY ? tick : -tick;
	if (pl->n)
		return pl->step[pl->n - 1].price + dir;
	if (!y->last_price)
		return 0;
	return y->last_taker == side ? y->last_price : y->last_price + dir;
}

static void plan_add(struct plan *pl, dec_t price, dec_t qty)
{
	pl->step[pl->n++] = (struct fill){.qty = qty, .price = price};
	pl->total += qty;
}

/* What a taker order would get from the book as it is: level by level up to
 * its limit, then the rest beyond the known levels (see beyond_price). */
static void plan_take(const struct sym *y, const struct order *o, struct plan *pl)
{
	const struct book_side *bs = &y->book.side[side_book(side_opposite(o->req.side))];
	dec_t want = remaining(o), limit = o->type == OT_LIMIT ? o->req.price : 0;
	pl->n = 0;
	pl->total = 0;
	for (uint32_t i = bs->n; i-- > 0 && want > pl->total && pl->n < PLAN_MAX - 1;) {
		if (!within(o->req.side, bs->lv[i].price, limit))
			return;
		dec_t q = whole_lots(y, o, dmin(bs->lv[i].qty, want - pl->total));
		if (q > 0)
			plan_add(pl, bs->lv[i].price, q);
	}
	dec_t price = beyond_price(y, o->req.side, pl);
	if (want > pl->total && price > 0 && within(o->req.side, price, limit))
		plan_add(pl, price, want - pl->total);
}

static void take(sim_t *s, struct sym *y, struct order *o, const struct plan *pl)
{
	int book = side_book(side_opposite(o->req.side));
	for (int i = 0; i < pl->n && !o->done; i++) {
		dec_t q = order_fill(s, y, o, pl->step[i].qty, pl->step[i].price, false);
		book_consume(y, book, pl->step[i].price, q);
	}
}

/* Where a new resting order stands in the queue: behind the whole size at
 * its price if the copy shows that price, else unknown until it does. */
static void queue_join(const struct sym *y, struct order *o)
{
	int book = side_book(o->req.side);
	o->queue_known = book_covers(y, book, o->req.price);
	const level_t *l = o->queue_known ? book_level(y, book, o->req.price) : NULL;
	o->queue_ahead = l ? l->qty : 0;
	o->traded_at_level = 0;
}

/* A live LIMIT or MARKET order at the matching engine: takes what it can and
 * rests or expires by its time in force. */
static void activate(sim_t *s, struct sym *y, struct order *o)
{
	struct plan pl;
	plan_take(y, o, &pl);
	bool limit = o->type == OT_LIMIT;
	if (limit && o->req.tif == TIF_GTX && pl.n) {
		order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED); /* post-only would take */
		return;
	}
	if (o->req.tif == TIF_FOK && pl.total < remaining(o)) {
		order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
		return;
	}
	take(s, y, o, &pl);
	if (o->done)
		return;
	if (!limit || o->req.tif == TIF_IOC || o->req.tif == TIF_FOK)
		order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
	else
		queue_join(y, o);
}

static struct order *order_add(sim_t *s, struct sym *y, const order_req *req)
{
	if (y->norders == y->cap) {
		uint32_t cap = y->cap ? y->cap * 2 : 8;
		struct order *a = realloc(y->orders, cap * sizeof(*a));
		if (!a)
			abort();
		y->orders = a;
		y->cap = cap;
	}
	struct order *o = &y->orders[y->norders++];
	memset(o, 0, sizeof(*o));
	o->req = *req;
	o->type = req->type;
	o->id = s->next_order_id++;
	if (!o->req.client_id[0]) /* Aster names unnamed orders itself */
		snprintf(o->req.client_id, sizeof(o->req.client_id), "sim-%" PRId64, o->id);
	return o;
}

void match_arrive(sim_t *s, struct sym *y, const order_req *req)
{
	char msg[REJECT_MSG_MAX];
	int code = filter_order(s, y, req, msg);
	if (code) {
		emit_reject(s, req->symbol, req->client_id, code, msg);
		return;
	}
	struct order *o = order_add(s, y, req);
	emit_order(s, y, o, EXEC_NEW, OS_NEW, NULL);
	if (o->type == OT_LIMIT || o->type == OT_MARKET)
		activate(s, y, o);
	orders_compact(y);
}

void match_cancel(sim_t *s, struct sym *y, const char *symbol, const char *client_id)
{
	struct order *o = order_find(y, client_id);
	if (!o) {
		emit_reject(s, symbol, client_id, -2011, "Unknown order sent.");
		return;
	}
	order_finish(s, y, o, EXEC_CANCELED, OS_CANCELED);
	orders_compact(y);
}

/* Cancel then place, atomically at the matching engine. If the old order is
 * gone (filled, cancelled) the new one is refused too: it was meant to
 * replace something that no longer exists. */
void match_replace(sim_t *s, struct sym *y, const char *old_id, const order_req *req)
{
	struct order *o = order_find(y, old_id);
	if (!o) {
		emit_reject(s, req->symbol, req->client_id, -2011, "Unknown order sent.");
		return;
	}
	order_finish(s, y, o, EXEC_CANCELED, OS_CANCELED);
	orders_compact(y);
	match_arrive(s, y, req);
}

/* A trade at `price` for `qty`, its taker on side `taker`, against one of
 * our resting orders on the other side. `avail` is what the trade still has
 * for our orders, shared in arrival order. */
static void rest_on_trade(sim_t *s, struct sym *y, struct order *o, dec_t price, dec_t qty,
                          dec_t *avail)
{
	bool through = price_better(side_book(o->req.side), o->req.price, price);
	dec_t fillable = 0;
	if (through) {
		fillable = *avail;
		o->queue_ahead = 0;
	} else if (price != o->req.price) {
		return;
	} else if (!s->p.queue_position) {
		fillable = *avail;
	} else if (o->queue_known) {
		dec_t excess = qty - o->queue_ahead;
		o->queue_ahead = excess > 0 ? 0 : -excess;
		o->traded_at_level += qty;
		fillable = excess > 0 ? dmin(excess, *avail) : 0;
	}
	dec_t q = whole_lots(y, o, dmin(fillable, remaining(o)));
	if (q > 0)
		*avail -= order_fill(s, y, o, q, o->req.price, true);
}

static void trigger(sim_t *s, struct sym *y, struct order *o)
{
	if (o->req.close_position) {
		o->req.qty = pos_closable(s, y, &o->req);
		if (!o->req.qty) {
			order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
			return;
		}
	}
	bool market = o->req.type == OT_STOP_MARKET || o->req.type == OT_TAKE_PROFIT_MARKET;
	o->type = market ? OT_MARKET : OT_LIMIT;
	if (!o->req.tif)
		o->req.tif = TIF_GTC;
	emit_order(s, y, o, EXEC_NEW, OS_NEW, NULL);
	activate(s, y, o);
}

/* priceProtect: while the last price and the mark differ by more than the
 * symbol's triggerProtect fraction, a protected order does not fire. */
static bool protect_allows(const struct sym *y, const struct order *o)
{
	dec_t band = y->rules.trigger_protect;
	if (!o->req.price_protect || !band || !y->mark || !y->last_price)
		return true;
	return dabs(y->last_price - y->mark) <= dmul(y->mark, band);
}

/* Fires the untriggered conditional orders watching `wt` at this price. */
static void check_triggers(sim_t *s, struct sym *y, working_type_t wt, dec_t price)
{
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		working_type_t owt = o->req.working_type ? o->req.working_type : WT_CONTRACT_PRICE;
		if (!o->done && type_conditional(o->type) && owt == wt && stop_triggered(o, price) &&
		    protect_allows(y, o))
			trigger(s, y, o);
	}
}

void match_trade(sim_t *s, struct sym *y, dec_t price, dec_t qty, side_t taker)
{
	y->last_price = price;
	y->last_taker = taker;
	if (!y->norders)
		return;
	dec_t avail = qty;
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		if (is_live_limit(o) && o->req.side != taker)
			rest_on_trade(s, y, o, price, qty, &avail);
	}
	check_triggers(s, y, WT_CONTRACT_PRICE, price);
	orders_compact(y);
}

void match_mark(sim_t *s, struct sym *y)
{
	if (!y->norders)
		return;
	check_triggers(s, y, WT_MARK_PRICE, y->mark);
	orders_compact(y);
}

/* A resting order whose price the other side's best now crosses would have
 * been hit: it fills as maker at its price, for the size at that best. */
void match_book_changed(sim_t *s, struct sym *y)
{
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		if (!is_live_limit(o))
			continue;
		int opp = side_book(side_opposite(o->req.side));
		const level_t *best = book_best(y, opp);
		if (!best || !price_better(opp, best->price, o->req.price))
			continue;
		dec_t best_price = best->price;
		dec_t q = whole_lots(y, o, dmin(best->qty, remaining(o)));
		if (q <= 0)
			continue;
		q = order_fill(s, y, o, q, o->req.price, true);
		book_consume(y, opp, best_price, q);
	}
	orders_compact(y);
}

/* The size at a price changed from `before` to `after`. Trades at the price
 * since the last change explain part of a decrease; the rest are cancels,
 * spread pro rata over the queue, so the share ahead of us shrinks by
 * cancels x ahead / (size before the cancels). */
void match_level_changed(struct sym *y, int book, dec_t price, dec_t before, dec_t after)
{
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		if (!is_live_limit(o) || side_book(o->req.side) != book || o->req.price != price)
			continue;
		if (!o->queue_known) {
			o->queue_known = true;
			o->queue_ahead = after;
			continue;
		}
		dec_t left = before - o->traded_at_level;
		dec_t cancels = left - after;
		if (cancels > 0 && left > 0)
			o->queue_ahead -= dmuldiv(cancels, o->queue_ahead, left);
		o->queue_ahead = dmin(o->queue_ahead < 0 ? 0 : o->queue_ahead, after);
		o->traded_at_level = 0;
	}
}
