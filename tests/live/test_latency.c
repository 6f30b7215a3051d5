/*
 * test_latency.c - the tick-to-order figures `hunter live` reports:
 * nearest-rank percentiles over microsecond buckets, the slowest ones
 * counted in the last bucket and reported as the worst seen; and where an
 * order's time went, step by step.
 */
#include <criterion/criterion.h>

#include "live_int.h"

static struct live_latency t; /* 16 KB: kept off the test's stack */

Test(latency, nothing_measured_reads_zero)
{
	memset(&t, 0, sizeof t);
	cr_assert_eq(live_latency_pct(&t, 50), 0);
	cr_assert_eq(live_latency_pct(&t, 99), 0);
}

Test(latency, percentiles_are_nearest_rank)
{
	memset(&t, 0, sizeof t);
	for (int us = 1; us <= 100; us++) /* 1 .. 100 µs, in ns */
		live_latency_add(&t, (int64_t)us * 1000 + 999);
	cr_assert_eq(t.n, 100);
	cr_assert_eq(live_latency_pct(&t, 50), 50);
	cr_assert_eq(live_latency_pct(&t, 99), 99);
	cr_assert_eq(live_latency_pct(&t, 100), 100);
	cr_assert_eq(t.max_us, 100);
}

Test(latency, beyond_the_last_bucket_reads_as_the_worst)
{
	memset(&t, 0, sizeof t);
	for (int i = 0; i < 98; i++)
		live_latency_add(&t, 20000);
	live_latency_add(&t, 7000000);  /* 7 ms */
	live_latency_add(&t, 90000000); /* 90 ms */
	cr_assert_eq(live_latency_pct(&t, 50), 20);
	cr_assert_eq(live_latency_pct(&t, 99), 90000, "p99 falls among the slow ones");
	cr_assert_eq(t.max_us, 90000);
	live_latency_add(&t, -5); /* a clock stepped back counts as 0, not as garbage */
	cr_assert_eq(t.count[0], 1);
}

static struct live l; /* its histograms are large too */

/* A lane's write as the loop's stats tell it, ns after `t0`. */
static struct net_stats wrote(int64_t t0, int64_t start, int64_t end)
{
	return (struct net_stats){.lane_requests = 1, .write_ns = t0 + start, .wrote_ns = t0 + end};
}

Test(latency, an_events_second_order_starts_its_engine_time_after_the_first_write)
{
	memset(&l, 0, sizeof l);
	int64_t t0 = net_now_ns() - 1000000; /* the frame came 1 ms ago */
	l.tick_ns = t0;
	l.session_ns = l.step_ns = t0 + 5000;
	struct net_stats first = wrote(t0, 24000, 38000), second = wrote(t0, 50000, 60000);
	live_latency_order(&l, t0 + 13000, &first);
	live_latency_order(&l, t0 + 45000, &second);
	live_latency_order(&l, t0 + 70000, NULL); /* through libcurl: its total only */
	cr_assert_eq(l.tick_to_order.n, 3);
	cr_assert_eq(l.steps[LIVE_TO_SESSION].count[5], 2);
	cr_assert_eq(l.steps[LIVE_ENGINE].count[8], 1, "13 - 5");
	cr_assert_eq(l.steps[LIVE_ENGINE].count[7], 1, "45 - 38, not 45 - 5");
	cr_assert_eq(l.steps[LIVE_CLIENT].count[11], 1);
	cr_assert_eq(l.steps[LIVE_CLIENT].count[5], 1);
	cr_assert_eq(l.steps[LIVE_WRITE].count[14], 1);
	cr_assert_eq(l.steps[LIVE_WRITE].count[10], 1);
	cr_assert_eq(l.steps[LIVE_WRITE].n, 2);
	char buf[160];
	live_latency_steps(&l, buf, sizeof buf);
	cr_assert_str_eq(buf, "to the session 5/5 us, engine 7/8 us, client 5/11 us, write 10/14 us");
}

Test(latency, no_order_on_a_lane_says_no_steps)
{
	memset(&l, 0, sizeof l);
	char buf[160] = "x";
	live_latency_steps(&l, buf, sizeof buf);
	cr_assert_str_eq(buf, "");
}
