/*
 * booksync.h - one symbol's local order book, kept in sync from the diff
 * depth stream (<symbol>@depth, depthUpdate events) and REST depth snapshots,
 * by the exchange's procedure:
 *
 *   1. buffer the diffs;
 *   2. take a snapshot (GET /fapi/v1/depth), lastUpdateId = L;
 *   3. drop buffered diffs with u < L;
 *   4. the first diff applied must have U <= L <= u;
 *   5. then every diff's pu must equal the previous diff's u; otherwise the
 *      chain is broken and the book must be rebuilt from a new snapshot.
 *
 * Events come in already parsed (aster_parse gives EV_DEPTH_UPDATE for a
 * diff and EV_DEPTH_SNAPSHOT for the REST body); quantities are absolute and
 * a quantity of 0 removes the level. Feed diffs of the diff stream only: a
 * partial-book stream (@depth5 and friends) has the same shape but each of
 * its messages replaces the book, which this module does not model.
 *
 * The snapshot contract. booksync_diff and booksync_snapshot return
 * BOOKSYNC_NEED_SNAPSHOT exactly once each time a snapshot becomes needed
 * (the first diff of a fresh book, a break in the pu chain, a snapshot that
 * turned out older than every buffered diff, a buffer overflow); that return
 * is the request, and every later call returns BOOKSYNC_WAITING until a
 * snapshot arrives. A caller therefore sends one REST request per
 * NEED_SNAPSHOT it is handed, never one per diff. A snapshot fed before any
 * diff is used as well (prefetching is fine). A break in the pu chain while
 * waiting drops the buffered diffs before it and counts as a resync, but
 * asks for nothing: the snapshot already requested is joined to the diffs
 * after the break if it can be, and is otherwise found too old, which asks.
 * booksync_state() only reports:
 * it is NEED_SNAPSHOT on a fresh book until the first diff, and WAITING
 * whenever a request has been handed out and not yet answered.
 *
 * Bounds. While waiting, at most BOOKSYNC_BUFFER_EVENTS diffs holding at most
 * BOOKSYNC_BUFFER_LEVELS price levels in all are buffered; a diff that would
 * go beyond either drops the whole buffer, is buffered alone (if it fits)
 * and the call returns NEED_SNAPSHOT again: the snapshot in flight would be
 * older than the diffs kept. Each side of the book holds at most
 * BOOKSYNC_SIDE_MAX levels; past that the level farthest from the touch is
 * forgotten (counted in `trimmed`). Memory is thus bounded at about 4 MB for
 * the buffer and 320 kB for the book.
 *
 * Bad input has a defined result: an event that is not a depth event of the
 * book's symbol, has inconsistent ids (not pu < U <= u, or a negative U or
 * lastUpdateId) or a level with a price <= 0 or a negative quantity is
 * refused as a whole, counted in `rejected`, and leaves the book and the
 * buffer untouched; the call returns the state as any call does (on a fresh
 * book that is the one NEED_SNAPSHOT). A NULL event is refused the same way.
 */
#ifndef HUNTER_BOOKSYNC_H
#define HUNTER_BOOKSYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

#define BOOKSYNC_BUFFER_EVENTS 4096       /* diffs buffered while waiting */
#define BOOKSYNC_BUFFER_LEVELS (1u << 18) /* price levels in those diffs */
#define BOOKSYNC_SIDE_MAX 10000           /* levels held per side of the book */

typedef struct booksync booksync_t;

/* NULL when out of memory, or when symbol is NULL or longer than SYMBOL_MAX-1 */
booksync_t *booksync_new(const char *symbol);
void booksync_free(booksync_t *b);

enum booksync_state {
	/* caller must fetch a REST depth snapshot (diffs are buffered meanwhile) */
	BOOKSYNC_NEED_SNAPSHOT,
	/* snapshot requested/applied, still waiting for the overlapping diff */
	BOOKSYNC_WAITING,
	BOOKSYNC_LIVE /* book is in sync */
};

/* Feeds a diff depthUpdate. When LIVE, a diff with u no newer than the book
 * is dropped as already applied. */
enum booksync_state booksync_diff(booksync_t *b, const ev_t *diff);

/* Feeds a REST depth snapshot. While LIVE a snapshot is not applied (the
 * book is already in sync; compare with booksync_compare instead). While
 * waiting it replaces the book and the buffered diffs are joined to it: the
 * result is LIVE, WAITING (no buffered diff reaches lastUpdateId yet; the
 * next diffs are joined as they come) or NEED_SNAPSHOT (the snapshot is
 * older than every buffered diff: updates between them are lost). */
enum booksync_state booksync_snapshot(booksync_t *b, const ev_t *snap);

enum booksync_state booksync_state(const booksync_t *b);
uint64_t booksync_resyncs(const booksync_t *b); /* breaks detected (pu discontinuity) */

/* Forgets the book and the buffer: the next diff returns NEED_SNAPSHOT. For a
 * caller whose snapshot request failed, or whose stream reconnected. */
void booksync_reset(booksync_t *b);

struct booksync_stats {
	uint64_t applied;   /* diffs applied to the book */
	uint64_t stale;     /* diffs dropped as older than the book or snapshot */
	uint64_t rejected;  /* events refused as invalid (see above) */
	uint64_t resyncs;   /* breaks in the pu chain, as booksync_resyncs */
	uint64_t too_old;   /* snapshots older than every buffered diff */
	uint64_t overflows; /* buffer overflows */
	uint64_t trimmed;   /* levels forgotten because a side was full */
};
void booksync_stats(const booksync_t *b, struct booksync_stats *out);

/* ------------------------------------------------------------------------ */
/* Reading the book                                                          */
/* ------------------------------------------------------------------------ */
/* The book is in sync only when LIVE. While WAITING it may hold a snapshot
 * not yet joined to the stream; otherwise it is empty. */

const char *booksync_symbol(const booksync_t *b);

/* The update id the book reflects: the last diff's u, or the snapshot's
 * lastUpdateId; -1 when there is no book. */
int64_t booksync_last_id(const booksync_t *b);

/* Levels of one side (SIDE_BUY: bids, SIDE_SELL: asks), best first: bids by
 * falling price, asks by rising price, every quantity > 0. The array stays
 * valid until the next call that changes the book. Another `side` gives
 * NULL and *n = 0. */
const level_t *booksync_levels(const booksync_t *b, side_t side, uint32_t *n);

/* The best level of a side into *out; false (and *out zeroed) when empty. */
bool booksync_best(const booksync_t *b, side_t side, level_t *out);

/*
 * Compares the book with a depth snapshot of the same symbol, side by side.
 * A snapshot is the top N levels (limit=N) of each side, so only the price
 * range it covers can be checked: every level at least as good as the
 * snapshot's worst level of a side must be present in both with the same
 * quantity. Deeper levels the book holds (from an earlier, deeper view, or
 * pushed out of the top N by levels nearer the touch) are not compared. The
 * book must be at the snapshot's moment for this to mean anything: see
 * booksync_last_id. Returns 0 when equal, 1 when they differ, -1 when `snap`
 * is not a valid snapshot of this symbol with each side sorted best first.
 */
struct booksync_cmp {
	uint32_t compared; /* levels looked at, both sides */
	uint32_t differ;   /* of which missing from one or with another quantity */
	side_t first_side; /* where the first difference is (best first, bids first) */
	dec_t first_price; /* 0 when none */
};
int booksync_compare(const booksync_t *b, const ev_t *snap, struct booksync_cmp *out);

#endif
