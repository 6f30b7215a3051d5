/*
 * book.c - each symbol's copy of the order book, kept from book tickers and
 * depth events, and the hook that tells resting orders how the size at their
 * price changed (sim_match_level_changed), which is how queue position moves.
 *
 * Two regimes, described in docs/simulation.md:
 *  - synced depth: a snapshot was applied and every diff since continued the
 *    update-id chain (pu == previous u). Levels are the exchange's, and a
 *    book ticker refines the top (it is faster than depth).
 *  - top of book only: before the first snapshot or after a gap. Each side
 *    holds just the book ticker's level; nothing is known behind it.
 * A side with no level at all is the trades-only case, priced in matching.c.
 * Every applied update stamps the copy (stamp) with its arrival and its
 * transaction time: a copy too old no longer prices orders, and a trade can
 * be told to have happened before or after the update.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange_sim_int.h"

/* Sort key that orders both sides worst first: bids ascending, asks descending. */
static dec_t key(int book, dec_t price)
{
	return book == BIDS ? price : -price;
}

/* Index of the first level whose key is >= the price's key. Book tickers,
 * most of the updates, touch the best level or beyond it: looked at first. */
static uint32_t lower_bound(const struct book_side *bs, int book, dec_t price)
{
	uint32_t lo = 0, hi = bs->n;
	dec_t k = key(book, price);
	if (hi && key(book, bs->lv[hi - 1].price) <= k)
		return key(book, bs->lv[hi - 1].price) == k ? hi - 1 : hi;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (key(book, bs->lv[mid].price) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void reserve(struct book_side *bs, uint32_t need)
{
	if (need <= bs->cap)
		return;
	uint32_t cap = bs->cap ? bs->cap : 16;
	while (cap < need)
		cap *= 2;
	level_t *lv = realloc(bs->lv, cap * sizeof(*lv));
	if (!lv)
		abort();
	bs->lv = lv;
	bs->cap = cap;
}

/* Sets the size at a price (0 removes it) and returns the size it had. */
static dec_t level_put(struct book_side *bs, int book, dec_t price, dec_t qty)
{
	uint32_t i = lower_bound(bs, book, price);
	bool found = i < bs->n && bs->lv[i].price == price;
	dec_t before = found ? bs->lv[i].qty : 0;
	if (found && qty > 0) {
		bs->lv[i].qty = qty;
	} else if (found) {
		memmove(&bs->lv[i], &bs->lv[i + 1], (bs->n - i - 1) * sizeof(level_t));
		bs->n--;
	} else if (qty > 0) {
		reserve(bs, bs->n + 1);
		memmove(&bs->lv[i + 1], &bs->lv[i], (bs->n - i) * sizeof(level_t));
		bs->lv[i] = (level_t){price, qty};
		bs->n++;
	}
	return before;
}

/* level_put plus the queue hook, which only costs anything with orders. */
static void level_set(const sim_t *s, struct sym *y, int book, dec_t price, dec_t qty)
{
	dec_t before = level_put(&y->book.side[book], book, price, qty);
	if (y->norders && before != qty)
		sim_match_level_changed(s, y, book, price, before, qty);
}

/* Removes the levels of `book` at or better than `limit` (strictly better
 * when !inclusive): the ticker proves they are gone. */
static void trim_better(const sim_t *s, struct sym *y, int book, dec_t limit, bool inclusive)
{
	struct book_side *bs = &y->book.side[book];
	while (bs->n) {
		level_t top = bs->lv[bs->n - 1];
		if (!price_better(book, top.price, limit) && !(inclusive && top.price == limit))
			return;
		level_set(s, y, book, top.price, 0);
	}
}

/* Top-of-book regime: the side becomes the ticker's single level. A best
 * price that got worse proves the old level empty; one that got better hides
 * the old level, whose size is then unknown rather than zero. */
static void ticker_only(const sim_t *s, struct sym *y, int book, dec_t price, dec_t qty)
{
	struct book_side *bs = &y->book.side[book];
	dec_t before = 0;
	if (bs->n) {
		level_t old = bs->lv[bs->n - 1];
		if (old.price == price)
			before = old.qty;
		else if (y->norders && price_better(book, old.price, price))
			sim_match_level_changed(s, y, book, old.price, old.qty, 0);
	}
	reserve(bs, 1);
	bs->lv[0] = (level_t){price, qty};
	bs->n = 1;
	if (y->norders && before != qty)
		sim_match_level_changed(s, y, book, price, before, qty);
}

static void ticker_side(const sim_t *s, struct sym *y, int book, dec_t price, dec_t qty)
{
	if (price <= 0 || qty < 0)
		return;
	if (!y->book.synced) {
		ticker_only(s, y, book, price, qty);
		return;
	}
	trim_better(s, y, book, price, false);
	level_set(s, y, book, price, qty);
	trim_better(s, y, !book, price, true);
}

/* When the copy was last brought up to date: the simulation's time, which
 * max_quote_age_ms judges, and the update's transaction time, which tells
 * a trade that happened before it from one after. */
static void stamp(const sim_t *s, struct sym *y, int64_t tx_ms)
{
	y->book.at = s->now;
	y->book.tx = tx_ms ? tx_ms : s->now;
	y->book.beyond[BIDS].price = y->book.beyond[ASKS].price = 0;
}

void sim_book_on_ticker(sim_t *s, struct sym *y, const struct ev_book_ticker *t)
{
	stamp(s, y, t->tx_ms);
	ticker_side(s, y, BIDS, t->bid, t->bid_qty);
	ticker_side(s, y, ASKS, t->ask, t->ask_qty);
	sim_match_book_changed(s, y);
}

static void apply_levels(const sim_t *s, struct sym *y, int book, const level_t *lv, uint32_t n)
{
	for (uint32_t i = 0; lv && i < n; i++)
		if (lv[i].price > 0 && lv[i].qty >= 0)
			level_set(s, y, book, lv[i].price, lv[i].qty);
}

static dec_t size_at(const struct sym *y, const struct order *o)
{
	const level_t *l = sim_book_level(y, side_book(o->req.side), o->req.price);
	return l ? l->qty : 0;
}

/* The hook updates every order at a price: call it once per price. */
static bool first_at_price(const struct sym *y, uint32_t i)
{
	const order_req *o = &y->orders[i].req;
	for (uint32_t j = 0; j < i; j++)
		if (y->orders[j].req.side == o->side && y->orders[j].req.price == o->price)
			return false;
	return true;
}

/* A snapshot replaces both sides; resting orders learn the new size at their
 * price as one change from what the old copy showed. */
static void load_snapshot(const sim_t *s, struct sym *y, const struct ev_depth *d)
{
	dec_t *before = NULL;
	if (y->norders && !(before = malloc(y->norders * sizeof(*before))))
		abort();
	for (uint32_t i = 0; i < y->norders; i++)
		before[i] = size_at(y, &y->orders[i]);
	stamp(s, y, d->tx_ms);
	y->book.side[BIDS].n = y->book.side[ASKS].n = 0;
	for (int b = BIDS; b <= ASKS; b++) {
		const level_t *lv = b == BIDS ? d->bids : d->asks;
		uint32_t n = b == BIDS ? d->nbids : d->nasks;
		for (uint32_t i = 0; lv && i < n; i++)
			if (lv[i].price > 0 && lv[i].qty > 0)
				level_put(&y->book.side[b], b, lv[i].price, lv[i].qty);
	}
	for (uint32_t i = 0; i < y->norders; i++)
		if (first_at_price(y, i))
			sim_match_level_changed(s, y, side_book(y->orders[i].req.side),
			                        y->orders[i].req.price, before[i],
			                        size_at(y, &y->orders[i]));
	free(before);
	y->book.last_id = d->last_id;
	y->book.synced = true;
	y->book.bridged = false;
}

/* Whether a diff continues the chain: the first after a snapshot must span
 * the snapshot's id (U <= lastUpdateId <= u), later ones must have pu equal
 * to the previous u. Returns 1 to apply, 0 to skip (older), -1 for a gap. */
static int diff_fits(const struct book *b, const struct ev_depth *d)
{
	if (d->last_id < b->last_id)
		return 0;
	if (!b->bridged)
		return d->first_id <= b->last_id ? 1 : -1;
	return d->prev_id == b->last_id ? 1 : -1;
}

static void apply_diff(const sim_t *s, struct sym *y, const struct ev_depth *d)
{
	int fit = diff_fits(&y->book, d);
	if (fit < 0) {
		sim_book_mark_stale(y);
	} else if (fit > 0) {
		stamp(s, y, d->tx_ms);
		apply_levels(s, y, BIDS, d->bids, d->nbids);
		apply_levels(s, y, ASKS, d->asks, d->nasks);
		y->book.last_id = d->last_id;
		y->book.bridged = true;
	}
}

void sim_book_on_depth(sim_t *s, struct sym *y, const struct ev_depth *d, bool snapshot)
{
	if (snapshot)
		load_snapshot(s, y, d);
	else if (y->book.synced)
		apply_diff(s, y, d);
	else
		return; /* diffs mean nothing until a snapshot anchors them */
	sim_match_book_changed(s, y);
}

/* After a gap the depth copy cannot be trusted: it is dropped, and until the
 * next snapshot the book is the book ticker's top level (or, without one,
 * the trades-only fallback). Queue positions keep their last estimate. */
void sim_book_mark_stale(struct sym *y)
{
	y->book.synced = false;
	y->book.bridged = false;
	y->book.side[BIDS].n = y->book.side[ASKS].n = 0;
	y->book.beyond[BIDS].price = y->book.beyond[ASKS].price = 0;
}

const level_t *sim_book_best(const struct sym *y, int book)
{
	const struct book_side *bs = &y->book.side[book];
	return bs->n ? &bs->lv[bs->n - 1] : NULL;
}

const level_t *sim_book_level(const struct sym *y, int book, dec_t price)
{
	const struct book_side *bs = &y->book.side[book];
	uint32_t i = lower_bound(bs, book, price);
	return i < bs->n && bs->lv[i].price == price ? &bs->lv[i] : NULL;
}

/* Whether the copy knows the size at `price` on `book` (a missing level then
 * means an empty one): anywhere from the best outward in synced depth, only
 * at or better than the best with the top of book alone. */
bool sim_book_covers(const struct sym *y, int book, dec_t price)
{
	const struct book_side *bs = &y->book.side[book];
	if (!bs->n)
		return false;
	dec_t edge = y->book.synced ? bs->lv[0].price : bs->lv[bs->n - 1].price;
	return !price_better(book, edge, price);
}

/* Our own taker fill took this size: the copy shows it gone until the
 * exchange's next update says otherwise. */
void sim_book_consume(struct sym *y, int book, dec_t price, dec_t qty)
{
	const level_t *l = sim_book_level(y, book, price);
	if (l)
		level_put(&y->book.side[book], book, price, l->qty > qty ? l->qty - qty : 0);
}

void sim_book_free(struct book *b)
{
	free(b->side[BIDS].lv);
	free(b->side[ASKS].lv);
	memset(b, 0, sizeof(*b));
}
