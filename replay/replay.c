/*
 * replay.c - the k-way merge of recordings: a binary heap over each file's
 * next event, ordered by (exchange time, file index).
 *
 * Holding one event per file keeps memory proportional to the number of
 * files. Since the heap only ever holds a file's next event, events of one
 * file can never overtake each other, which is what keeps a file's own order
 * even where its time goes back. The returned event's arrays belong to its
 * reader, so that reader is advanced only on the following call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

struct source {
	rec_reader *r;
	ev_t head;
};

struct replay {
	struct source *src;
	size_t n;
	size_t *heap; /* file indices; heap[0] has the earliest head */
	size_t nheap;
	size_t last;  /* file of the event returned last */
	bool started;
	bool failed;
	uint64_t events;
	char *err;
	char errbuf[REC_ERR_MAX];
};

static bool before(const replay *rp, size_t a, size_t b)
{
	int64_t ta = rp->src[a].head.exch_ms, tb = rp->src[b].head.exch_ms;
	return ta < tb || (ta == tb && a < b);
}

static void swap(size_t *a, size_t *b)
{
	size_t t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(replay *rp, size_t i)
{
	while (i && before(rp, rp->heap[i], rp->heap[(i - 1) / 2])) {
		swap(&rp->heap[i], &rp->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(replay *rp, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < rp->nheap && before(rp, rp->heap[l], rp->heap[m]))
			m = l;
		if (l + 1 < rp->nheap && before(rp, rp->heap[l + 1], rp->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		swap(&rp->heap[i], &rp->heap[m]);
		i = m;
	}
}

/* Reads file i's next event into the heap; returns -1 on a reader error
 * (its message, with file name and offset, is already in rp->err). */
static int advance(replay *rp, size_t i)
{
	int rc = rec_reader_next(rp->src[i].r, &rp->src[i].head);
	if (rc < 0) {
		rp->failed = true;
		return -1;
	}
	if (rc > 0) {
		rp->heap[rp->nheap++] = i;
		sift_up(rp, rp->nheap - 1);
	}
	return 0;
}

replay *replay_open(const char *const *paths, size_t n, char *err)
{
	replay *rp = calloc(1, sizeof *rp);
	if (rp) {
		rp->src = calloc(n ? n : 1, sizeof *rp->src);
		rp->heap = calloc(n ? n : 1, sizeof *rp->heap);
	}
	if (!rp || !rp->src || !rp->heap) {
		if (err)
			snprintf(err, REC_ERR_MAX, "out of memory");
		replay_close(rp);
		return NULL;
	}
	rp->err = err ? err : rp->errbuf;
	if (!n) {
		snprintf(rp->err, REC_ERR_MAX, "no recording to replay");
		replay_close(rp);
		return NULL;
	}
	for (rp->n = 0; rp->n < n; rp->n++) {
		rp->src[rp->n].r = rec_reader_open(paths[rp->n], rp->err);
		if (!rp->src[rp->n].r) {
			replay_close(rp);
			return NULL;
		}
	}
	return rp;
}

/* One file needs no merge: its events go straight to the caller, which saves
 * copying each event out of the heap. */
static int next_single(replay *rp, ev_t *ev)
{
	int rc = rec_reader_next(rp->src[0].r, ev);
	rp->failed = rc < 0;
	rp->events += rc > 0;
	return rc;
}

int replay_next(replay *rp, ev_t *ev)
{
	if (rp->failed)
		return -1;
	if (rp->n == 1)
		return next_single(rp, ev);
	if (!rp->started) {
		rp->started = true;
		for (size_t i = 0; i < rp->n; i++)
			if (advance(rp, i) < 0)
				return -1;
	} else if (advance(rp, rp->last) < 0) {
		return -1;
	}
	if (!rp->nheap)
		return 0;
	rp->last = rp->heap[0];
	rp->heap[0] = rp->heap[--rp->nheap];
	sift_down(rp, 0);
	*ev = rp->src[rp->last].head;
	rp->events++;
	return 1;
}

void replay_close(replay *rp)
{
	if (!rp)
		return;
	for (size_t i = 0; rp->src && i < rp->n; i++)
		rec_reader_close(rp->src[i].r);
	free(rp->src);
	free(rp->heap);
	free(rp);
}

size_t replay_nfiles(const replay *rp)
{
	return rp->n;
}

const rec_reader *replay_reader(const replay *rp, size_t i)
{
	return rp->src[i].r;
}

size_t replay_source(const replay *rp)
{
	return rp->last;
}

uint64_t replay_events(const replay *rp)
{
	return rp->events;
}

uint64_t replay_out_of_order(const replay *rp)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < rp->n; i++)
		sum += rec_reader_out_of_order(rp->src[i].r);
	return sum;
}
