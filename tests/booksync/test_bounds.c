/*
 * test_bounds.c - the memory bounds (the buffer's diffs and levels, the
 * levels per side) and the defined result of bad input.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "depth_events.h"

static struct booksync_stats stats(const booksync_t *b)
{
	struct booksync_stats st;
	booksync_stats(b, &st);
	return st;
}

/* Diff i covers the single id i and chains to i-1. */
static enum booksync_state feed(booksync_t *b, int64_t i, const level_t *lv, uint32_t n)
{
	ev_t d = diff_ev(i, i, i - 1, lv, n, NULL, 0);
	return booksync_diff(b, &d);
}

Test(bounds, buffered_diffs)
{
	booksync_t *b = booksync_new(SYM);
	cr_assert_eq(feed(b, 1, NULL, 0), BOOKSYNC_NEED_SNAPSHOT);
	for (int64_t i = 2; i <= BOOKSYNC_BUFFER_EVENTS; i++)
		cr_assert_eq(feed(b, i, NULL, 0), BOOKSYNC_WAITING, "diff %lld", (long long)i);
	cr_expect_eq(stats(b).overflows, 0);
	/* one more: the buffer is dropped and a new snapshot asked for, once */
	int64_t over = BOOKSYNC_BUFFER_EVENTS + 1;
	cr_expect_eq(feed(b, over, NULL, 0), BOOKSYNC_NEED_SNAPSHOT);
	cr_expect_eq(stats(b).overflows, 1);
	cr_expect_eq(feed(b, over + 1, NULL, 0), BOOKSYNC_WAITING);
	/* a snapshot from before the overflow is too old for what was kept */
	ev_t s = snap_ev(10, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_snapshot(b, &s), BOOKSYNC_NEED_SNAPSHOT);
	s = snap_ev(over, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_snapshot(b, &s), BOOKSYNC_LIVE);
	cr_expect_eq(booksync_last_id(b), over + 1);
	cr_expect_eq(booksync_resyncs(b), 0);
	booksync_free(b);
}

Test(bounds, buffered_levels)
{
	enum { PER = 1000 };
	static level_t lv[PER];
	for (int i = 0; i < PER; i++)
		lv[i] = LV(1000 - i, 1);
	booksync_t *b = booksync_new(SYM);
	int64_t fit = BOOKSYNC_BUFFER_LEVELS / PER;
	for (int64_t i = 1; i <= fit; i++)
		cr_assert_eq(feed(b, i, lv, PER),
		             i == 1 ? BOOKSYNC_NEED_SNAPSHOT : BOOKSYNC_WAITING);
	cr_expect_eq(feed(b, fit + 1, lv, PER), BOOKSYNC_NEED_SNAPSHOT);
	cr_expect_eq(stats(b).overflows, 1);
	booksync_free(b);
}

/* A single diff larger than the whole buffer is dropped, not kept. */
Test(bounds, one_huge_diff)
{
	uint32_t n = BOOKSYNC_BUFFER_LEVELS + 1;
	level_t *lv = calloc(n, sizeof *lv);
	cr_assert_not_null(lv);
	for (uint32_t i = 0; i < n; i++)
		lv[i] = (level_t){(dec_t)(n - i), DEC(1)};
	booksync_t *b = booksync_new(SYM);
	cr_expect_eq(feed(b, 1, NULL, 0), BOOKSYNC_NEED_SNAPSHOT);
	cr_expect_eq(feed(b, 2, lv, n), BOOKSYNC_NEED_SNAPSHOT);
	cr_expect_eq(stats(b).overflows, 1);
	/* nothing is buffered: a snapshot at 2 waits for the next diff */
	ev_t s = snap_ev(2, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_snapshot(b, &s), BOOKSYNC_WAITING);
	cr_expect_eq(feed(b, 3, NULL, 0), BOOKSYNC_NEED_SNAPSHOT, "3 does not overlap 2");
	booksync_free(b);
	free(lv);
}

/* Each side keeps its best BOOKSYNC_SIDE_MAX levels. */
Test(bounds, levels_per_side)
{
	uint32_t n = BOOKSYNC_SIDE_MAX + 5;
	level_t *bids = calloc(n, sizeof *bids);
	cr_assert_not_null(bids);
	for (uint32_t i = 0; i < n; i++)
		bids[i] = LV(100000 - (int64_t)i, 1);
	booksync_t *b = booksync_new(SYM);
	ev_t s = snap_ev(10, bids, n, NULL, 0);
	booksync_snapshot(b, &s);
	ev_t d = empty_diff(5, 10, 4);
	cr_assert_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);
	uint32_t held;
	const level_t *lv = booksync_levels(b, SIDE_BUY, &held);
	cr_expect_eq(held, BOOKSYNC_SIDE_MAX);
	cr_expect_eq(stats(b).trimmed, 5);
	cr_expect_eq(lv[0].price, DEC(100000));
	cr_expect_eq(lv[held - 1].price, DEC(100000 - BOOKSYNC_SIDE_MAX + 1));
	/* a better bid pushes the worst out; a worse one is not held */
	level_t better = LV(100001, 2), worse = LV(1, 2);
	d = diff_ev(11, 11, 10, &better, 1, NULL, 0);
	booksync_diff(b, &d);
	d = diff_ev(12, 12, 11, &worse, 1, NULL, 0);
	cr_expect_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);
	lv = booksync_levels(b, SIDE_BUY, &held);
	cr_expect_eq(held, BOOKSYNC_SIDE_MAX);
	cr_expect_eq(lv[0].price, DEC(100001));
	cr_expect_eq(lv[held - 1].price, DEC(100000 - BOOKSYNC_SIDE_MAX + 2));
	cr_expect_eq(stats(b).trimmed, 7);
	booksync_free(b);
	free(bids);
}

Test(bounds, symbol_checked_at_creation)
{
	cr_expect_null(booksync_new(NULL));
	cr_expect_null(booksync_new("A_SYMBOL_FAR_TOO_LONG_TO_FIT"));
	booksync_t *b = booksync_new("");
	cr_expect_not_null(b);
	booksync_free(b);
	booksync_free(NULL);
}

/* Every bad event is refused as a whole: counted, nothing else changes. */
Test(bounds, bad_input_refused)
{
	static const level_t bid = LV(100, 1), zero_price = {0, DEC(1)},
	                     neg_qty = {DEC(100), -1};
	booksync_t *b = booksync_new(SYM);
	ev_t s = snap_ev(15, &bid, 1, NULL, 0);
	booksync_snapshot(b, &s);
	ev_t d = empty_diff(11, 20, 10);
	cr_assert_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);

	ev_t bad[12];
	int n = 0;
	bad[n] = diff_ev(21, 30, 20, &bid, 1, NULL, 0);
	bad[n++].type = EV_BOOK_TICKER;
	bad[n] = diff_ev(21, 30, 20, &bid, 1, NULL, 0);
	strcpy(bad[n++].symbol, "ETHUSDT");
	bad[n++] = diff_ev(31, 30, 20, NULL, 0, NULL, 0);  /* U > u */
	bad[n++] = diff_ev(21, 30, 21, NULL, 0, NULL, 0);  /* pu >= U */
	bad[n++] = diff_ev(-5, 30, -6, NULL, 0, NULL, 0);  /* U < 0 */
	bad[n++] = diff_ev(21, 30, 20, &zero_price, 1, NULL, 0);
	bad[n++] = diff_ev(21, 30, 20, NULL, 0, &neg_qty, 1);
	bad[n++] = diff_ev(21, 30, 20, NULL, 3, NULL, 0); /* levels missing */
	bad[n++] = snap_ev(40, &bid, 1, NULL, 0);         /* a snapshot as a diff */
	for (int i = 0; i < n; i++)
		cr_expect_eq(booksync_diff(b, &bad[i]), BOOKSYNC_LIVE, "bad event %d", i);
	cr_expect_eq(booksync_diff(b, NULL), BOOKSYNC_LIVE);
	ev_t bad_snap = snap_ev(-1, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_snapshot(b, &bad_snap), BOOKSYNC_LIVE);
	cr_expect_eq(booksync_snapshot(b, &d), BOOKSYNC_LIVE, "a diff as a snapshot");
	cr_expect_eq(booksync_snapshot(b, NULL), BOOKSYNC_LIVE);

	cr_expect_eq(stats(b).rejected, (uint64_t)n + 4);
	cr_expect_eq(booksync_last_id(b), 20);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(100)), DEC(1));
	cr_expect_eq(depth_of(b, SIDE_BUY) + depth_of(b, SIDE_SELL), 1);
	cr_expect_eq(booksync_resyncs(b), 0);
	booksync_free(b);
}

/* On a fresh book a bad event still gives the one request. */
Test(bounds, bad_input_on_a_fresh_book)
{
	booksync_t *b = booksync_new(SYM);
	ev_t bad = diff_ev(31, 30, 20, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_diff(b, &bad), BOOKSYNC_NEED_SNAPSHOT);
	ev_t d = empty_diff(11, 20, 10);
	cr_expect_eq(booksync_diff(b, &d), BOOKSYNC_WAITING);
	booksync_free(b);
}
