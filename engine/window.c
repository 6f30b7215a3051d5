/*
 * window.c - the rolling liquidation window of one symbol and side: the sum
 * of liquidation sizes with trade time in (t - window, t], where t is the
 * latest trade time seen on that window.
 *
 * Records sit in a ring ordered by trade time (a late record is slid into
 * place; exchange times are nearly ordered, so that is a step or two). A
 * record stays until it leaves the window even after a trigger consumed it,
 * because the ring doubles as the memory for duplicate detection: a
 * liquidation seen twice (a reconnect replays a few) matches a record of the
 * same time and is counted once. A duplicate older than the window is
 * harmless, since it would not count either, so memory stays bounded by the
 * window. The ring grows by doubling up to RING_MAX records, and past that
 * drops the oldest, which only undercounts a window holding more than
 * RING_MAX liquidations.
 */
#include <stdlib.h>

#include "engine_int.h"

#define RING_MAX 65536u

static struct liq_rec *at(struct liq_window *w, uint32_t i)
{
	return &w->r[(w->head + i) & (w->cap - 1)];
}

static void drop_oldest(struct liq_window *w)
{
	struct liq_rec *r = at(w, 0);
	if (!r->consumed)
		w->sum -= r->size;
	w->head = (w->head + 1) & (w->cap - 1);
	w->n--;
}

/* Returns 0, 1 when it made room by dropping the oldest record, -1 on
 * allocation failure. */
static int make_room(struct liq_window *w)
{
	if (w->n < w->cap)
		return 0;
	if (w->cap >= RING_MAX) {
		drop_oldest(w);
		return 1;
	}
	uint32_t cap = w->cap ? w->cap * 2 : 16;
	struct liq_rec *r = malloc(cap * sizeof(*r));
	if (!r)
		return -1;
	for (uint32_t i = 0; i < w->n; i++)
		r[i] = *at(w, i);
	free(w->r);
	w->r = r;
	w->cap = cap;
	w->head = 0;
	return 0;
}

static bool same_liq(const struct liq_rec *a, const struct liq_rec *b)
{
	return a->t == b->t && a->side == b->side && a->q == b->q && a->p == b->p &&
	       a->ap == b->ap && a->z == b->z;
}

enum window_add_result eng_window_add(struct liq_window *w, const struct liq_rec *rec,
				      int64_t window_ms)
{
	int64_t latest = w->n && at(w, w->n - 1)->t > rec->t ? at(w, w->n - 1)->t : rec->t;
	int64_t floor = latest - window_ms;
	while (w->n && at(w, 0)->t <= floor)
		drop_oldest(w);
	if (rec->t <= floor)
		return WIN_STALE;
	/* Walk back over later records to the insertion point, checking the
	 * records of the same time for a duplicate on the way. */
	uint32_t pos = w->n;
	while (pos && at(w, pos - 1)->t >= rec->t) {
		if (same_liq(at(w, pos - 1), rec))
			return WIN_DUPLICATE;
		pos--;
	}
	int room = make_room(w);
	if (room < 0)
		return WIN_NOMEM;
	if (room && pos)
		pos--;
	for (uint32_t i = w->n; i > pos; i--)
		*at(w, i) = *at(w, i - 1);
	*at(w, pos) = *rec;
	at(w, pos)->consumed = false;
	w->n++;
	w->sum += rec->size;
	return WIN_ADDED;
}

void eng_window_consume(struct liq_window *w)
{
	for (uint32_t i = 0; i < w->n; i++)
		at(w, i)->consumed = true;
	w->sum = 0;
}

void eng_window_free(struct liq_window *w)
{
	free(w->r);
	*w = (struct liq_window){0};
}
