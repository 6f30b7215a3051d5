/*
 * latency.c - tick to order, as a trader wants to see it for their own
 * machine: from a market frame's arrival (its receive time, before any
 * parsing) to an order it fired being on the socket to Aster. The guard
 * takes one sample per order that left during a market event; the status
 * line, the dashboard's health and the run's last words show p50, p99 and
 * the worst.
 *
 * Each order on a kept-alive lane also tells where its time went (the
 * steps of live_int.h), so a trader can see what their machine charges
 * (the frame's way in, the write) apart from hunter's own work.
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

void live_latency_order(struct live *l, int64_t placed_ns, const struct net_stats *lane)
{
	live_latency_add(&l->tick_to_order, net_now_ns() - l->tick_ns);
	if (!lane)
		return;
	int64_t took[LIVE_STEPS] = {l->session_ns - l->tick_ns, placed_ns - l->step_ns,
	                            lane->write_ns - placed_ns, lane->wrote_ns - lane->write_ns};
	for (int i = 0; i < LIVE_STEPS; i++)
		live_latency_add(&l->steps[i], took[i]);
	l->step_ns = lane->wrote_ns; /* the event's next order: its engine time starts here */
}

void live_latency_steps(const struct live *l, char *buf, size_t cap)
{
	static const char *const names[LIVE_STEPS] = {"to the session", "engine", "client",
	                                              "write"};
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < LIVE_STEPS && l->steps[i].n && n < cap; i++) {
		int w = snprintf(buf + n, cap - n, "%s%s %lld/%lld us", i ? ", " : "", names[i],
		                 (long long)live_latency_pct(&l->steps[i], 50),
		                 (long long)live_latency_pct(&l->steps[i], 99));
		n += w > 0 ? (size_t)w : 0;
	}
}
