/*
 * booksync.c - the sync rules of booksync.h: the diff buffer, joining a
 * snapshot to it, the pu chain while live, and the accessors.
 *
 * While waiting, diffs go to a buffer whose neighbours always chain (each
 * pu equals the previous u): a break inside the buffer drops what came
 * before it, since no snapshot can join those diffs to the ones after. A
 * snapshot is then joined by dropping the diffs it already contains and
 * checking that the first one left overlaps it; because the buffer chains,
 * everything after that applies in one go.
 */
#include <stdlib.h>
#include <string.h>

#include "book_int.h"
#include "booksync.h"

/* A buffered diff; its levels are pool[at ..], the bids then the asks. */
struct pending {
	int64_t first, last, prev; /* U, u, pu */
	uint32_t nbids, nasks;
	size_t at;
};

/* A diff as applied, from an event or from the buffer. */
struct diff {
	int64_t first, last, prev;
	const level_t *bids, *asks;
	uint32_t nbids, nasks;
};

struct booksync {
	char symbol[SYMBOL_MAX];
	enum booksync_state state; /* NEED_SNAPSHOT: needed and not yet said */
	bool have_snap;            /* WAITING with a snapshot loaded (buffer then empty) */
	int64_t last_id;           /* update id the book reflects, -1 with no book */
	struct booksync_side bids, asks;
	struct pending *buf;
	size_t nbuf, buf_cap;
	level_t *pool;
	size_t npool, pool_cap;
	struct booksync_stats st;
};

booksync_t *booksync_new(const char *symbol)
{
	booksync_t *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	if (!symbol || copy_str(b->symbol, sizeof b->symbol, symbol, strlen(symbol))) {
		free(b);
		return NULL;
	}
	b->state = BOOKSYNC_NEED_SNAPSHOT;
	b->last_id = -1;
	b->asks.asks = true;
	return b;
}

void booksync_free(booksync_t *b)
{
	if (!b)
		return;
	booksync_side_free(&b->bids);
	booksync_side_free(&b->asks);
	free(b->buf);
	free(b->pool);
	free(b);
}

/* ------------------------------------------------------------------------ */
/* States                                                                    */
/* ------------------------------------------------------------------------ */

/* The result of a call: NEED_SNAPSHOT is said once, after which the book
 * waits for the snapshot the caller now fetches. */
static enum booksync_state tell(booksync_t *b)
{
	if (b->state != BOOKSYNC_NEED_SNAPSHOT)
		return b->state;
	b->state = BOOKSYNC_WAITING;
	return BOOKSYNC_NEED_SNAPSHOT;
}

/* Forgets the book (not the buffer) and asks for a snapshot. */
static void need_snapshot(booksync_t *b)
{
	booksync_side_clear(&b->bids);
	booksync_side_clear(&b->asks);
	b->have_snap = false;
	b->last_id = -1;
	b->state = BOOKSYNC_NEED_SNAPSHOT;
}

/* Drops the first k buffered diffs, moving the rest (and their levels) to
 * the front so that the level bound counts only what is kept. */
static void drop_front(booksync_t *b, size_t k)
{
	if (k >= b->nbuf) {
		b->nbuf = b->npool = 0;
		return;
	}
	if (!k)
		return;
	size_t cut = b->buf[k].at; /* 0 when the pool was never needed (and is NULL) */
	memmove(b->buf, b->buf + k, (b->nbuf - k) * sizeof *b->buf);
	b->nbuf -= k;
	for (size_t i = 0; i < b->nbuf; i++)
		b->buf[i].at -= cut;
	if (cut)
		memmove(b->pool, b->pool + cut, (b->npool - cut) * sizeof *b->pool);
	b->npool -= cut;
}

void booksync_reset(booksync_t *b)
{
	drop_front(b, b->nbuf);
	need_snapshot(b);
}

/* ------------------------------------------------------------------------ */
/* Input checks                                                              */
/* ------------------------------------------------------------------------ */

static bool is_mine(const booksync_t *b, const ev_t *ev, ev_type_t type)
{
	return ev && ev->type == type && !strncmp(ev->symbol, b->symbol, sizeof ev->symbol) &&
	       booksync_levels_valid(ev->u.depth.bids, ev->u.depth.nbids) &&
	       booksync_levels_valid(ev->u.depth.asks, ev->u.depth.nasks);
}

static bool valid_diff(const booksync_t *b, const ev_t *ev)
{
	if (!is_mine(b, ev, EV_DEPTH_UPDATE))
		return false;
	const struct ev_depth *d = &ev->u.depth;
	return d->first_id >= 0 && d->prev_id < d->first_id && d->first_id <= d->last_id;
}

static bool valid_snapshot(const booksync_t *b, const ev_t *ev)
{
	return is_mine(b, ev, EV_DEPTH_SNAPSHOT) && ev->u.depth.last_id >= 0;
}

/* ------------------------------------------------------------------------ */
/* Applying                                                                  */
/* ------------------------------------------------------------------------ */

static int set_levels(booksync_t *b, struct booksync_side *s, const level_t *lv, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		int r = booksync_side_set(s, lv[i].price, lv[i].qty);
		if (r < 0)
			return -1;
		b->st.trimmed += (uint64_t)r;
	}
	return 0;
}

/* 0, or -1 when out of memory (the book is then half changed). */
static int apply(booksync_t *b, const struct diff *d)
{
	if (set_levels(b, &b->bids, d->bids, d->nbids) ||
	    set_levels(b, &b->asks, d->asks, d->nasks))
		return -1;
	b->last_id = d->last;
	b->st.applied++;
	return 0;
}

static struct diff pending_diff(const booksync_t *b, const struct pending *p)
{
	const level_t *lv = b->pool + p->at;
	return (struct diff){p->first, p->last, p->prev, lv, lv + p->nbids, p->nbids, p->nasks};
}

/* Joins the loaded snapshot to the buffer: drops the diffs it contains
 * (u < lastUpdateId), then the first one left must overlap it
 * (U <= lastUpdateId <= u); if none is left the book keeps waiting. */
static void join(booksync_t *b)
{
	size_t k = 0;
	while (k < b->nbuf && b->buf[k].last < b->last_id)
		k++;
	b->st.stale += k;
	drop_front(b, k);
	if (!b->nbuf)
		return;
	if (b->buf[0].first > b->last_id) {
		/* updates between the snapshot and the buffer are lost; the
		 * buffer stays, it may join a newer snapshot */
		b->st.too_old++;
		need_snapshot(b);
		return;
	}
	for (size_t i = 0; i < b->nbuf; i++) {
		struct diff d = pending_diff(b, &b->buf[i]);
		if (apply(b, &d)) {
			drop_front(b, b->nbuf);
			need_snapshot(b);
			return;
		}
	}
	drop_front(b, b->nbuf);
	b->have_snap = false;
	b->state = BOOKSYNC_LIVE;
}

/* ------------------------------------------------------------------------ */
/* The buffer                                                                */
/* ------------------------------------------------------------------------ */

static int append(booksync_t *b, const struct diff *d)
{
	size_t nlv = (size_t)d->nbids + d->nasks;
	struct pending *buf = grow_array(b->buf, &b->buf_cap, b->nbuf + 1, sizeof *buf);
	if (!buf)
		return -1;
	b->buf = buf;
	if (nlv) {
		level_t *pool = grow_array(b->pool, &b->pool_cap, b->npool + nlv, sizeof *pool);
		if (!pool)
			return -1;
		b->pool = pool;
		/* an empty side may have no array at all: no copy from NULL */
		if (d->nbids)
			memcpy(pool + b->npool, d->bids, d->nbids * sizeof *pool);
		if (d->nasks)
			memcpy(pool + b->npool + d->nbids, d->asks, d->nasks * sizeof *pool);
	}
	buf[b->nbuf++] = (struct pending){d->first, d->last, d->prev, d->nbids, d->nasks, b->npool};
	b->npool += nlv;
	return 0;
}

/* Buffers a diff while waiting, keeping the buffer chained and bounded. */
static void buffer(booksync_t *b, const struct diff *d)
{
	if (b->nbuf && d->prev != b->buf[b->nbuf - 1].last) {
		b->st.resyncs++;
		drop_front(b, b->nbuf);
	}
	uint64_t nlv = (uint64_t)d->nbids + d->nasks;
	if (b->nbuf >= BOOKSYNC_BUFFER_EVENTS || b->npool + nlv > BOOKSYNC_BUFFER_LEVELS) {
		b->st.overflows++;
		drop_front(b, b->nbuf);
		need_snapshot(b);
		if (nlv > BOOKSYNC_BUFFER_LEVELS)
			return;
	}
	if (append(b, d)) {
		drop_front(b, b->nbuf);
		need_snapshot(b);
	}
}

/* ------------------------------------------------------------------------ */
/* Feeding                                                                   */
/* ------------------------------------------------------------------------ */

static enum booksync_state live_diff(booksync_t *b, const struct diff *d)
{
	if (d->last <= b->last_id) {
		b->st.stale++;
		return BOOKSYNC_LIVE;
	}
	if (d->prev != b->last_id) {
		/* a break: this diff starts the chain the next snapshot joins */
		b->st.resyncs++;
		need_snapshot(b);
		buffer(b, d);
	} else if (apply(b, d)) {
		need_snapshot(b);
	}
	return tell(b);
}

enum booksync_state booksync_diff(booksync_t *b, const ev_t *ev)
{
	if (!valid_diff(b, ev)) {
		b->st.rejected++;
		return tell(b);
	}
	const struct ev_depth *e = &ev->u.depth;
	struct diff d = {e->first_id, e->last_id, e->prev_id, e->bids, e->asks, e->nbids, e->nasks};
	if (b->state == BOOKSYNC_LIVE)
		return live_diff(b, &d);
	buffer(b, &d);
	if (b->have_snap)
		join(b);
	return tell(b);
}

enum booksync_state booksync_snapshot(booksync_t *b, const ev_t *ev)
{
	if (!valid_snapshot(b, ev)) {
		b->st.rejected++;
		return tell(b);
	}
	if (b->state == BOOKSYNC_LIVE)
		return BOOKSYNC_LIVE;
	const struct ev_depth *e = &ev->u.depth;
	need_snapshot(b); /* clears the book; the state is set below */
	if (set_levels(b, &b->bids, e->bids, e->nbids) ||
	    set_levels(b, &b->asks, e->asks, e->nasks)) {
		need_snapshot(b);
		return tell(b);
	}
	b->last_id = e->last_id;
	b->have_snap = true;
	b->state = BOOKSYNC_WAITING;
	join(b);
	return tell(b);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

enum booksync_state booksync_state(const booksync_t *b)
{
	return b->state;
}

uint64_t booksync_resyncs(const booksync_t *b)
{
	return b->st.resyncs;
}

void booksync_stats(const booksync_t *b, struct booksync_stats *out)
{
	*out = b->st;
}

const char *booksync_symbol(const booksync_t *b)
{
	return b->symbol;
}

int64_t booksync_last_id(const booksync_t *b)
{
	return b->last_id;
}

const level_t *booksync_levels(const booksync_t *b, side_t side, uint32_t *n)
{
	const struct booksync_side *s = side == SIDE_SELL ? &b->asks
	                                : side == SIDE_BUY ? &b->bids : NULL;
	*n = s ? (uint32_t)s->n : 0;
	if (!s)
		return NULL;
	return s->lv;
}

bool booksync_best(const booksync_t *b, side_t side, level_t *out)
{
	uint32_t n;
	const level_t *lv = booksync_levels(b, side, &n);
	*out = n ? lv[0] : (level_t){0, 0};
	return n > 0;
}
