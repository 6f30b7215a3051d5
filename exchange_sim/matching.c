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

enum { PLAN_MAX = 64 }; /* fills one order may be split into */

/* One fill a taker order would get; `assumed` when it lies beyond the
 * liquidity the data showed. */
struct step {
	dec_t price, qty;
	bool assumed;
};

struct plan {
	struct step step[PLAN_MAX];
	int n;
	dec_t total;
	bool sliced;          /* it went beyond the levels the data showed */
	struct frontier next; /* where an order after it would go on */
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
/* Called after every match: most of the time no order is done, and then
 * nothing moves. */
void sim_orders_compact(struct sym *y)
{
	uint32_t k = 0;
	while (k < y->norders && !y->orders[k].done)
		k++;
	for (uint32_t i = k; i < y->norders; i++)
		if (!y->orders[i].done)
			y->orders[k++] = y->orders[i];
	y->norders = k;
}

void sim_order_finish(sim_t *s, struct sym *y, struct order *o, exec_type_t exec,
		      order_status_t status)
{
	o->done = true;
	sim_emit_order(s, y, o, exec, status, NULL);
}

/* One execution: position, fee, wallet, then the two events Aster sends.
 * A closing-only order is cut to what is left of its position, and expires
 * once there is nothing left to close. Returns the quantity filled. */
static dec_t order_fill(sim_t *s, struct sym *y, struct order *o, dec_t qty, dec_t price,
                        bool maker)
{
	bool closing = sim_order_closes_only(s, &o->req);
	if (closing)
		qty = dmin(qty, sim_pos_closable(s, y, &o->req));
	if (qty <= 0) {
		sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
		return 0;
	}
	struct pos *p = sim_pos_for(s, y, &o->req);
	struct fill f = {.qty = qty, .price = price, .maker = maker,
	                 .trade_id = s->next_trade_id++};
	f.rp = sim_pos_apply(y, p, o->req.side, qty, price);
	f.fee = sim_dmul(sim_dmul(qty, price), maker ? s->p.maker_fee : s->p.taker_fee);
	s->wallet += f.rp - f.fee;
	s->fees_paid += f.fee;
	o->filled += qty;
	o->filled_cost += sim_dmul(qty, price);
	o->done = o->filled >= o->req.qty;
	sim_emit_order(s, y, o, EXEC_TRADE, o->done ? OS_FILLED : OS_PARTIALLY_FILLED, &f);
	sim_emit_account(s, y, "ORDER", o->req.pos_side ? o->req.pos_side : PS_BOTH, 0);
	if (!o->done && closing && !sim_pos_closable(s, y, &o->req))
		sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
	return qty;
}

/* An execution is a whole number of lots, as on the exchange, even where
 * the model's share of a trade or a level is not: the pro-rata queue
 * estimate, or a recorded level finer than the step. Rounded down. */
static dec_t whole_lots(const struct sym *y, const struct order *o, dec_t qty)
{
	dec_t step = sim_lot_step(&y->rules, o->req.type);
	return step > 0 ? dec_round_down(qty, step) : qty;
}

static bool within(side_t side, dec_t price, dec_t limit)
{
	return !limit || (side == SIDE_BUY ? price <= limit : price >= limit);
}

static void plan_add(struct plan *pl, dec_t price, dec_t qty, bool assumed)
{
	pl->step[pl->n++] = (struct step){.price = price, .qty = qty, .assumed = assumed};
	pl->total += qty;
}

/* The last step the plan has room for: everything left, in slices from
 * `from` on, each `worse` further, as far as the limit allows. All of it is
 * priced at the last slice it stands for, so a walk cut short is never
 * cheaper than the slices would have been. */
static void plan_rest(struct plan *pl, dec_t want, const struct frontier *from, dec_t worse,
                      dec_t limit)
{
	dec_t left = want - pl->total;
	dec_t after = left > from->left ? left - from->left : 0; /* past the first slice */
	int64_t more = worse ? (after + from->slice - 1) / from->slice : 0;
	if (more && limit && (limit - from->price) / worse < more) {
		more = (limit - from->price) / worse;
		left = dmin(left, from->left + more * from->slice);
	}
	plan_add(pl, from->price + more * worse, left, true);
	pl->sliced = true;
	pl->next = *from;
	pl->next.price = from->price + (more + 1) * worse;
	pl->next.left = from->slice;
}

/* Liquidity beyond what the data showed: `from.left` at `from.price`, then
 * slices of `from.slice`, each impact_ticks worse, up to the limit. Every
 * slice but the first is assumed, the first too when `assumed`. Leaves in
 * pl->next where the next order would go on. */
static void plan_slices(const sim_t *s, const struct sym *y, const struct order *o,
                        struct plan *pl, struct frontier from, bool assumed)
{
	bool buy = o->req.side == SIDE_BUY;
	dec_t want = remaining(o), tick = tick_of(y);
	dec_t limit = o->type == OT_LIMIT ? o->req.price : buy ? 0 : tick; /* prices stay > 0 */
	dec_t worse = (buy ? tick : -tick) * s->p.impact_ticks;
	dec_t lot = sim_lot_step(&y->rules, o->req.type);
	from.slice = whole_lots(y, o, from.slice);
	if (from.slice <= 0) /* a size seen finer than the step counts as one lot */
		from.slice = lot > 0 ? lot : want;
	from.left = whole_lots(y, o, from.left);
	if (from.left <= 0)
		from.left = from.slice;
	for (; want > pl->total && within(o->req.side, from.price, limit);
	     from.price += worse, from.left = from.slice) {
		if (pl->n == PLAN_MAX - 1 || (!worse && assumed)) {
			plan_rest(pl, want, &from, worse, limit);
			return;
		}
		dec_t q = dmin(from.left, want - pl->total);
		plan_add(pl, from.price, q, assumed);
		pl->sliced = true;
		assumed = true;
		if (q < from.left) { /* the order ends inside this slice */
			from.left -= q;
			break;
		}
	}
	pl->next = from;
}

/* The known levels, best first, up to the limit. Returns false when the
 * limit stopped the walk; else `last` is the last level walked. */
static bool plan_levels(const struct sym *y, const struct order *o, const struct book_side *bs,
                        struct plan *pl, level_t *last)
{
	dec_t want = remaining(o), limit = o->type == OT_LIMIT ? o->req.price : 0;
	for (uint32_t i = bs->n; i-- > 0 && want > pl->total && pl->n < PLAN_MAX - 1;) {
		if (!within(o->req.side, bs->lv[i].price, limit))
			return false;
		*last = bs->lv[i];
		dec_t q = whole_lots(y, o, dmin(bs->lv[i].qty, want - pl->total));
		if (q > 0)
			plan_add(pl, bs->lv[i].price, q, false);
	}
	return true;
}

/* What a taker order would get. Where an earlier order of ours left off
 * beyond the data, more slices from there. Else with a fresh book: its
 * levels, then slices of the last level's size, starting impact_ticks past
 * it. Without one, around a fresh last trade (the trade's own price on the
 * side its taker hit, one tick off on the other), in slices of that trade's
 * size. With none of these, nothing is known and the plan is empty. */
static void plan_take(const sim_t *s, struct sym *y, const struct order *o, struct plan *pl)
{
	int book = side_book(side_opposite(o->req.side));
	const struct book_side *bs = &y->book.side[book];
	const struct frontier *f = &y->book.beyond[book];
	dec_t dir = o->req.side == SIDE_BUY ? tick_of(y) : -tick_of(y);
	pl->n = 0;
	pl->total = 0;
	pl->sliced = false;
	if (f->price && sim_fresh(s, f->at)) {
		plan_slices(s, y, o, pl, *f, true);
	} else if (bs->n && sim_fresh(s, y->book.at)) {
		level_t last = bs->lv[bs->n - 1];
		bool all = plan_levels(y, o, bs, pl, &last);
		pl->next = (struct frontier){
			.price = last.price + dir * s->p.impact_ticks, .left = last.qty,
			.slice = last.qty, .at = y->book.at,
			.mode_qty = y->book.synced ? &y->stats.qty_depth : &y->stats.qty_top};
		if (all)
			plan_slices(s, y, o, pl, pl->next, true);
	} else if (y->last_price && sim_fresh(s, y->last_at)) {
		dec_t price = y->last_taker == o->req.side ? y->last_price : y->last_price + dir;
		pl->next = (struct frontier){.price = price, .left = y->last_qty, .slice = y->last_qty,
		                             .at = y->last_at, .mode_qty = &y->stats.qty_trades};
		plan_slices(s, y, o, pl, pl->next, false);
	}
}

/* Fills the plan. Once it has gone into slices, or emptied the side of the
 * book, what the next order gets is assumed liquidity from where this one
 * left off (the side's frontier). */
static void take(sim_t *s, struct sym *y, struct order *o, const struct plan *pl)
{
	int book = side_book(side_opposite(o->req.side));
	for (int i = 0; i < pl->n && !o->done; i++) {
		dec_t q = order_fill(s, y, o, pl->step[i].qty, pl->step[i].price, false);
		sim_book_consume(y, book, pl->step[i].price, q);
		*pl->next.mode_qty += q;
		if (pl->step[i].assumed)
			y->stats.qty_assumed += q;
	}
	if (pl->n && (pl->sliced || !y->book.side[book].n))
		y->book.beyond[book] = pl->next;
}

/* Where a new resting order stands in the queue: behind the whole size at
 * its price if the copy shows that price, else unknown until it does. */
static void queue_join(const struct sym *y, struct order *o)
{
	int book = side_book(o->req.side);
	o->queue_known = sim_book_covers(y, book, o->req.price);
	const level_t *l = o->queue_known ? sim_book_level(y, book, o->req.price) : NULL;
	o->queue_ahead = l ? l->qty : 0;
	o->traded_at_level = 0;
}

/* A live LIMIT or MARKET order at the matching engine: takes what it can and
 * rests or expires by its time in force. */
static void activate(sim_t *s, struct sym *y, struct order *o)
{
	struct plan pl;
	plan_take(s, y, o, &pl);
	bool limit = o->type == OT_LIMIT;
	if (limit && o->req.tif == TIF_GTX && pl.n) {
		sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED); /* post-only would take */
		return;
	}
	if (o->req.tif == TIF_FOK && pl.total < remaining(o)) {
		sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
		return;
	}
	take(s, y, o, &pl);
	if (o->done)
		return;
	if (!limit || o->req.tif == TIF_IOC || o->req.tif == TIF_FOK)
		sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
	else
		queue_join(y, o);
}

struct order *sim_order_push(struct sym *y)
{
	struct order *a = grow_array(y->orders, &y->cap, y->norders + 1, sizeof(*a));
	if (!a)
		abort();
	y->orders = a;
	struct order *o = &y->orders[y->norders++];
	memset(o, 0, sizeof(*o));
	return o;
}

static struct order *order_add(sim_t *s, struct sym *y, const order_req *req)
{
	struct order *o = sim_order_push(y);
	o->req = *req;
	o->type = req->type;
	o->id = s->next_order_id++;
	if (!o->req.client_id[0]) /* Aster names unnamed orders itself */
		snprintf(o->req.client_id, sizeof(o->req.client_id), "sim-%" PRId64, o->id);
	return o;
}

void sim_match_arrive(sim_t *s, struct sym *y, const order_req *req)
{
	char msg[REJECT_MSG_MAX];
	int code = sim_filter_order(s, y, req, msg);
	if (code) {
		sim_emit_reject(s, req->symbol, req->client_id, code, msg);
		return;
	}
	struct order *o = order_add(s, y, req);
	sim_emit_order(s, y, o, EXEC_NEW, OS_NEW, NULL);
	if (o->type == OT_LIMIT || o->type == OT_MARKET)
		activate(s, y, o);
	sim_orders_compact(y);
}

void sim_match_cancel(sim_t *s, struct sym *y, const char *symbol, const char *client_id)
{
	struct order *o = order_find(y, client_id);
	if (!o) {
		sim_emit_reject(s, symbol, client_id, -2011, "Unknown order sent.");
		return;
	}
	sim_order_finish(s, y, o, EXEC_CANCELED, OS_CANCELED);
	sim_orders_compact(y);
}

/* Cancel then place, atomically at the matching engine. If the old order is
 * gone (filled, cancelled) the new one is refused too: it was meant to
 * replace something that no longer exists. */
void sim_match_replace(sim_t *s, struct sym *y, const char *old_id, const order_req *req)
{
	struct order *o = order_find(y, old_id);
	if (!o) {
		sim_emit_reject(s, req->symbol, req->client_id, -2011, "Unknown order sent.");
		return;
	}
	sim_order_finish(s, y, o, EXEC_CANCELED, OS_CANCELED);
	sim_orders_compact(y);
	sim_match_arrive(s, y, req);
}

/* How much of a trade at its price a shrink of the level already showed
 * (`shown`), and the part of the queue cut that shrink made as cancels
 * which the trade now accounts for instead (returned). Only a trade that
 * happened no later than the update showing the shrink can explain it, and
 * only while the shrink is younger than shrink_match_ms; after that it
 * stays cancels. */
static dec_t matched_shrink(const sim_t *s, struct order *o, const struct print *p,
                            dec_t *shown)
{
	*shown = 0;
	if (!o->unexplained || s->now - o->unexplained_at > s->p.shrink_match_ms) {
		o->unexplained = o->unexplained_cut = 0;
		return 0;
	}
	if (p->tx_ms > o->unexplained_tx)
		return 0;
	*shown = dmin(p->qty, o->unexplained);
	dec_t cut = sim_dmuldiv(*shown, o->unexplained_cut, o->unexplained);
	o->unexplained -= *shown;
	o->unexplained_cut -= cut;
	return cut;
}

/* A trade against one of our resting orders on the other side of its
 * taker. `avail` is what the trade still has for our orders, shared in
 * arrival order. */
static void rest_on_trade(sim_t *s, struct sym *y, struct order *o, const struct print *p,
                          dec_t *avail)
{
	dec_t price = p->price, qty = p->qty;
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
		dec_t shown, cut = matched_shrink(s, o, p, &shown);
		dec_t excess = qty - cut - o->queue_ahead;
		o->queue_ahead = excess > 0 ? 0 : -excess;
		o->traded_at_level += qty - shown;
		fillable = excess > 0 ? dmin(excess, *avail) : 0;
	}
	dec_t q = whole_lots(y, o, dmin(fillable, remaining(o)));
	if (q > 0)
		*avail -= order_fill(s, y, o, q, o->req.price, true);
}

static void trigger(sim_t *s, struct sym *y, struct order *o)
{
	y->stats.stop_triggers++;
	if (o->req.close_position) {
		o->req.qty = sim_pos_closable(s, y, &o->req);
		if (!o->req.qty) {
			sim_order_finish(s, y, o, EXEC_EXPIRED, OS_EXPIRED);
			return;
		}
	}
	bool market = o->req.type == OT_STOP_MARKET || o->req.type == OT_TAKE_PROFIT_MARKET;
	o->type = market ? OT_MARKET : OT_LIMIT;
	if (!o->req.tif)
		o->req.tif = TIF_GTC;
	sim_emit_order(s, y, o, EXEC_NEW, OS_NEW, NULL);
	activate(s, y, o);
}

/* priceProtect: while the last price and the mark differ by more than the
 * symbol's triggerProtect fraction, a protected order does not fire. Where
 * one of them is missing or stale, the other stands in: no divergence. */
static bool protect_allows(const sim_t *s, const struct sym *y, const struct order *o)
{
	dec_t band = y->rules.trigger_protect;
	if (!o->req.price_protect || !band || !sym_mark_fresh(s, y) || !sym_last_fresh(s, y))
		return true;
	return dabs(y->last_price - y->mark) <= sim_dmul(y->mark, band);
}

/* Fires the untriggered conditional orders watching `own`, the kind of
 * price that just came, at this price; with `stand_in`, those watching the
 * other kind too, for want of fresh data of their own. */
static void check_triggers(sim_t *s, struct sym *y, working_type_t own, dec_t price,
                           bool stand_in)
{
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		working_type_t wt = o->req.working_type ? o->req.working_type : WT_CONTRACT_PRICE;
		bool other = wt != own;
		if (o->done || !type_conditional(o->type) || (other && !stand_in) ||
		    !sim_stop_triggered(o, price) || !protect_allows(s, y, o))
			continue;
		if (other && wt == WT_MARK_PRICE)
			y->stats.stop_triggers_on_last++;
		else if (other)
			y->stats.stop_triggers_on_mark++;
		trigger(s, y, o);
	}
}

void sim_match_trade(sim_t *s, struct sym *y, const struct print *p)
{
	y->last_price = p->price;
	y->last_qty = p->seen;
	y->last_taker = p->taker;
	y->last_at = s->now;
	y->book.beyond[BIDS].price = y->book.beyond[ASKS].price = 0; /* new data */
	if (!y->norders)
		return;
	dec_t avail = p->qty;
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		if (is_live_limit(o) && o->req.side != p->taker)
			rest_on_trade(s, y, o, p, &avail);
	}
	check_triggers(s, y, WT_CONTRACT_PRICE, p->price, !sym_mark_fresh(s, y));
	sim_orders_compact(y);
}

void sim_match_mark(sim_t *s, struct sym *y)
{
	if (!y->norders)
		return;
	check_triggers(s, y, WT_MARK_PRICE, y->mark, !sym_last_fresh(s, y));
	sim_orders_compact(y);
}

/* A resting order whose price the other side's best now crosses would have
 * been hit: it fills as maker at its price, for the size at that best. */
void sim_match_book_changed(sim_t *s, struct sym *y)
{
	for (uint32_t i = 0; i < y->norders; i++) {
		struct order *o = &y->orders[i];
		if (!is_live_limit(o))
			continue;
		int opp = side_book(side_opposite(o->req.side));
		const level_t *best = sim_book_best(y, opp);
		if (!best || !price_better(opp, best->price, o->req.price))
			continue;
		dec_t best_price = best->price;
		dec_t q = whole_lots(y, o, dmin(best->qty, remaining(o)));
		if (q <= 0)
			continue;
		q = order_fill(s, y, o, q, o->req.price, true);
		sim_book_consume(y, opp, best_price, q);
	}
	sim_orders_compact(y);
}

/* Cancels taken off the queue by a shrink, held a while in case the trade
 * behind them is still to come (matched_shrink). */
static void hold_unexplained(const sim_t *s, const struct sym *y, struct order *o,
                             dec_t cancels, dec_t cut)
{
	if (y->book.at - o->unexplained_at > s->p.shrink_match_ms)
		o->unexplained = o->unexplained_cut = 0;
	o->unexplained += cancels;
	o->unexplained_cut += cut;
	o->unexplained_at = y->book.at;
	o->unexplained_tx = y->book.tx;
}

/* The size at a price changed from `before` to `after`. Trades at the price
 * since the last change explain part of a decrease; the rest are cancels,
 * spread pro rata over the queue, so the share ahead of us shrinks by
 * cancels x ahead / (size before the cancels). Those cancels are held a
 * while in case their trade is reported after the book showed it. */
void sim_match_level_changed(const sim_t *s, struct sym *y, int book, dec_t price, dec_t before,
			     dec_t after)
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
		if (cancels > 0 && left > 0) {
			dec_t cut = sim_dmuldiv(cancels, o->queue_ahead, left);
			o->queue_ahead -= cut;
			hold_unexplained(s, y, o, cancels, cut);
		}
		o->queue_ahead = dmin(o->queue_ahead < 0 ? 0 : o->queue_ahead, after);
		o->traded_at_level = 0;
	}
}
