/*
 * depth_events.h - small hand-built depth events for the booksync tests:
 * diffs and snapshots of one symbol whose level arrays the test owns.
 */
#ifndef HUNTER_TEST_DEPTH_EVENTS_H
#define HUNTER_TEST_DEPTH_EVENTS_H

#include <string.h>

#include "booksync.h"

#define SYM "BTCUSDT"
#define LV(p, q) ((level_t){DEC(p), DEC(q)})
#define HALF(p) (DEC(p) + DEC_SCALE / 2) /* p.5 */
#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof(a)[0]))

static inline ev_t depth_ev(ev_type_t type, const level_t *bids, uint32_t nb,
                            const level_t *asks, uint32_t na)
{
	ev_t ev = {.type = type};
	strcpy(ev.symbol, SYM);
	ev.u.depth.bids = bids;
	ev.u.depth.nbids = nb;
	ev.u.depth.asks = asks;
	ev.u.depth.nasks = na;
	return ev;
}

/* A diff with ids U, u and pu. */
static inline ev_t diff_ev(int64_t first, int64_t last, int64_t prev, const level_t *bids,
                           uint32_t nb, const level_t *asks, uint32_t na)
{
	ev_t ev = depth_ev(EV_DEPTH_UPDATE, bids, nb, asks, na);
	ev.u.depth.first_id = first;
	ev.u.depth.last_id = last;
	ev.u.depth.prev_id = prev;
	return ev;
}

/* A diff of ids [first, last] chained to `prev` that changes nothing. */
static inline ev_t empty_diff(int64_t first, int64_t last, int64_t prev)
{
	return diff_ev(first, last, prev, NULL, 0, NULL, 0);
}

static inline ev_t snap_ev(int64_t last_id, const level_t *bids, uint32_t nb,
                           const level_t *asks, uint32_t na)
{
	ev_t ev = depth_ev(EV_DEPTH_SNAPSHOT, bids, nb, asks, na);
	ev.u.depth.last_id = last_id;
	return ev;
}

/* The quantity the book holds at `price` on `side`, 0 when absent. */
static inline dec_t qty_at(const booksync_t *b, side_t side, dec_t price)
{
	uint32_t n;
	const level_t *lv = booksync_levels(b, side, &n);
	for (uint32_t i = 0; i < n; i++)
		if (lv[i].price == price)
			return lv[i].qty;
	return 0;
}

static inline uint32_t depth_of(const booksync_t *b, side_t side)
{
	uint32_t n;
	booksync_levels(b, side, &n);
	return n;
}

#endif
