/*
 * jobs.c - the simulation's agenda: a binary min-heap of jobs ordered by due
 * time and then by creation, so that everything scheduled (an order reaching
 * the matching engine, an event reaching the user, a funding settlement)
 * happens in exchange-time order and ties keep the order they were made in.
 * That tie rule is what makes two runs over the same input identical.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange_sim_int.h"

static bool before(const struct job *a, const struct job *b)
{
	return a->at != b->at ? a->at < b->at : a->seq < b->seq;
}

static void swap(struct job *a, struct job *b)
{
	struct job t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct job *h, uint32_t i)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(&h[i], &h[parent]))
			return;
		swap(&h[i], &h[parent]);
		i = parent;
	}
}

static void sift_down(struct job *h, uint32_t n, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && before(&h[l], &h[m]))
			m = l;
		if (r < n && before(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		swap(&h[i], &h[m]);
		i = m;
	}
}

/* Copies `j` in and gives it the next sequence number. Running out of
 * memory in a simulation has no sensible recovery, so it aborts. */
void sim_job_push(struct job_queue *q, const struct job *j)
{
	struct job *h = grow_array(q->heap, &q->cap, q->n + 1, sizeof(*h));
	if (!h)
		abort();
	q->heap = h;
	q->heap[q->n] = *j;
	q->heap[q->n].seq = q->seq++;
	sift_up(q->heap, q->n++);
}

void sim_job_pop(struct job_queue *q, struct job *out)
{
	*out = q->heap[0];
	q->heap[0] = q->heap[--q->n];
	sift_down(q->heap, q->n, 0);
}

void sim_jobs_free(struct job_queue *q)
{
	free(q->heap);
	memset(q, 0, sizeof(*q));
}
