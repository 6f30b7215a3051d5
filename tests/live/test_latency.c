/*
 * test_latency.c - the tick-to-order figures `hunter live` reports:
 * nearest-rank percentiles over microsecond buckets, the slowest ones
 * counted in the last bucket and reported as the worst seen.
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
