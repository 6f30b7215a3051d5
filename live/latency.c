/*
 * latency.c - tick to order, as a trader wants to see it for their own
 * machine: from a market frame's arrival (its receive time, before any
 * parsing) to an order it fired being on the socket to Aster. The guard
 * takes one sample per order that left during a market event; the status
 * line, the dashboard's health and the run's last words show p50, p99 and
 * the worst.
 *
 * Counts per microsecond up to LIVE_LAT_BUCKETS: fixed memory, O(1) per
 * order, and exact percentiles where they matter (anything slower than
 * the last bucket counts there and is reported as the worst seen).
 */
#include "live_int.h"

void live_latency_add(struct live_latency *t, int64_t ns)
{
	int64_t us = ns > 0 ? ns / 1000 : 0;
	t->count[us < LIVE_LAT_BUCKETS - 1 ? us : LIVE_LAT_BUCKETS - 1]++;
	t->n++;
	if (us > t->max_us)
		t->max_us = us;
}

int64_t live_latency_pct(const struct live_latency *t, int pct)
{
	if (!t->n)
		return 0;
	uint64_t want = (t->n * (uint64_t)pct + 99) / 100, seen = 0; /* nearest rank */
	for (int64_t us = 0; us < LIVE_LAT_BUCKETS - 1; us++)
		if ((seen += t->count[us]) >= want)
			return us;
	return t->max_us;
}
