/*
 * seen.c - which order updates the session was already given.
 *
 * The same state of an order can reach the client twice: the REST answer
 * and the user stream both report an accepted order, a stream that comes
 * back may repeat a message, a looked-up order repeats what the stream
 * said. Updates are keyed by the exchange's order id; a status counts
 * once, and a fill counts when its trade id is new and the cumulative
 * filled quantity grows. Orders are kept in an open-addressing table for
 * the whole run (a few thousand orders a day).
 */
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

static int rank_of(order_status_t s)
{
	switch (s) {
	case OS_NEW:
		return 1;
	case OS_PARTIALLY_FILLED:
		return 2;
	default:
		return 3;
	}
}

static size_t slot_of(const struct xa_seen *s, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 20) & (s->cap - 1);
	while (s->v[i].order_id && s->v[i].order_id != id)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static bool grow(struct xa_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	struct xa_seen_order *old = s->v;
	size_t oldcap = s->cap;
	if (!(s->v = calloc(cap, sizeof *s->v))) {
		s->v = old;
		return false;
	}
	s->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].order_id)
			s->v[slot_of(s, old[i].order_id)] = old[i];
	free(old);
	return true;
}

const struct xa_seen_order *xa_seen_get(const struct xa_seen *s, int64_t order_id)
{
	if (!s->cap)
		return NULL;
	const struct xa_seen_order *e = &s->v[slot_of(s, order_id)];
	return e->order_id ? e : NULL;
}

bool xa_seen_new(struct xa_seen *s, const ev_t *ev)
{
	const struct ev_order *o = &ev->u.order;
	if ((s->n + 1) * 2 > s->cap && !grow(s))
		return true;
	struct xa_seen_order *e = &s->v[slot_of(s, o->order_id)];
	if (!e->order_id) {
		*e = (struct xa_seen_order){.order_id = o->order_id};
		memcpy(e->symbol, ev->symbol, SYMBOL_MAX);
		s->n++;
	}
	int rank = rank_of(o->status);
	bool fill = o->exec == EXEC_TRADE && o->last_qty > 0;
	bool fresh = fill ? o->trade_id != e->trade_id && o->filled_qty > e->filled
	                  : rank > e->rank;
	if (!fresh)
		return false;
	if (fill) {
		e->trade_id = o->trade_id;
		e->filled = o->filled_qty;
	}
	e->rank = rank > e->rank ? rank : e->rank;
	return true;
}

void xa_seen_free(struct xa_seen *s)
{
	free(s->v);
	*s = (struct xa_seen){0};
}
