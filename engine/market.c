/*
 * market.c - the best bid and ask of each symbol, the only part of the book
 * the engine needs (it prices entries from them). Matching against a full
 * book is the simulated exchange's job.
 *
 * Sources, best first: book tickers (the exact top of book), depth
 * snapshots and updates, and for trade-only data the last trade price as
 * both bid and ask. Once a better source has been seen for a symbol, worse
 * ones no longer move its prices, so a recording with tickers and trades
 * prices from the tickers alone, and the last trade is kept aside for when
 * the book goes quiet (signal.c does not price from a stale quote). Depth
 * keeps the best TOP_LEVELS levels of
 * each side, so removing the best level reveals the next one; a side whose
 * kept levels are all removed is unknown (0) until a level arrives. This is
 * the per-event hot path: no allocation, a few comparisons per level.
 */
#include <string.h>

#include "engine_int.h"

/* Whether price a ranks before b on a side: higher bids, lower asks. */
static bool better(dec_t a, dec_t b, int sign)
{
	return sign > 0 ? a > b : a < b;
}

static void top_apply(struct top *t, const level_t *l, int sign)
{
	int i = 0;
	while (i < t->n && better(t->lv[i].price, l->price, sign))
		i++;
	bool here = i < t->n && t->lv[i].price == l->price;
	if (l->qty == 0) {
		if (here) {
			memmove(&t->lv[i], &t->lv[i + 1], (size_t)(t->n - i - 1) * sizeof(*t->lv));
			t->n--;
		}
		return;
	}
	if (here) {
		t->lv[i].qty = l->qty;
		return;
	}
	if (i == TOP_LEVELS)
		return; /* worse than every level kept */
	int keep = t->n < TOP_LEVELS ? t->n : TOP_LEVELS - 1;
	memmove(&t->lv[i + 1], &t->lv[i], (size_t)(keep - i) * sizeof(*t->lv));
	t->lv[i] = *l;
	t->n = keep + 1;
}

static void top_update(struct top *t, const level_t *lv, uint32_t n, int sign, bool snapshot)
{
	if (snapshot)
		t->n = 0;
	for (uint32_t i = 0; i < n; i++)
		top_apply(t, &lv[i], sign);
}

/* Drops the levels of `t` that cross `px`, the other side's best price:
 * they are stale, since the other side has moved through them. */
static void top_uncross(struct top *t, dec_t px, int sign)
{
	int i = 0;
	while (i < t->n && !better(px, t->lv[i].price, sign))
		i++;
	memmove(&t->lv[0], &t->lv[i], (size_t)(t->n - i) * sizeof(*t->lv));
	t->n -= i;
}

static void on_depth(struct sym *s, const struct ev_depth *d, bool snapshot)
{
	if (s->src > SRC_DEPTH)
		return;
	s->src = SRC_DEPTH;
	top_update(&s->bids, d->bids, d->nbids, 1, snapshot);
	top_update(&s->asks, d->asks, d->nasks, -1, snapshot);
	/* A crossed top means the side this event did not touch is stale. */
	if (s->bids.n && s->asks.n && s->bids.lv[0].price >= s->asks.lv[0].price) {
		if (!d->nasks)
			top_uncross(&s->asks, s->bids.lv[0].price, -1);
		else if (!d->nbids)
			top_uncross(&s->bids, s->asks.lv[0].price, 1);
	}
	s->bid = s->bids.n ? s->bids.lv[0].price : 0;
	s->ask = s->asks.n ? s->asks.lv[0].price : 0;
}

static void on_trade(struct sym *s, dec_t price, int64_t ms)
{
	if (price <= 0)
		return;
	s->last_trade = price;
	s->trade_ms = ms;
	if (s->src > SRC_TRADE)
		return;
	s->src = SRC_TRADE;
	s->bid = s->ask = price;
	s->quote_ms = ms;
}

void eng_market_on_event(struct engine *e, struct sym *s, const ev_t *ev)
{
	switch (ev->type) {
	case EV_BOOK_TICKER:
		if (ev->u.book.bid > 0 && ev->u.book.ask > 0) {
			s->src = SRC_TICKER;
			s->bid = ev->u.book.bid;
			s->ask = ev->u.book.ask;
			s->quote_ms = ev->exch_ms;
		}
		break;
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		if (s->src <= SRC_DEPTH)
			s->quote_ms = ev->exch_ms;
		on_depth(s, &ev->u.depth, ev->type == EV_DEPTH_SNAPSHOT);
		break;
	case EV_AGG_TRADE:
	case EV_TRADE:
		on_trade(s, ev->u.trade.price, ev->exch_ms);
		break;
	case EV_MARK_PRICE:
		if (ev->u.mark.mark > 0) {
			s->mark = ev->u.mark.mark;
			eng_tranche_on_mark(e, s);
		}
		break;
	default:
		break;
	}
}
