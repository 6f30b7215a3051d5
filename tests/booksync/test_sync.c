/*
 * test_sync.c - the sync procedure on hand-built events: the snapshot asked
 * for once, stale diffs dropped, the overlap rule, a snapshot newer or older
 * than the buffer, a pu break going back to NEED_SNAPSHOT, prefetching,
 * snapshots while live and reset.
 */
#include <criterion/criterion.h>

#include "depth_events.h"

#define NEED BOOKSYNC_NEED_SNAPSHOT
#define WAIT BOOKSYNC_WAITING
#define LIVE BOOKSYNC_LIVE

static const level_t snap_bids[] = {LV(100, 1), LV(99, 2), LV(98, 3)};
static const level_t snap_asks[] = {LV(101, 1), LV(102, 2), LV(103, 3)};

static ev_t snapshot(int64_t last_id)
{
	return snap_ev(last_id, snap_bids, COUNT(snap_bids), snap_asks, COUNT(snap_asks));
}

/* Diff i (i >= 1) covers ids [10i+1, 10i+10], chains to diff i-1, and sets
 * the bid at 90+i to quantity i, so which diffs were applied shows. */
static level_t marks[64];

static ev_t nth_diff(int i)
{
	marks[i] = LV(90 + i, i);
	return diff_ev(10 * i + 1, 10 * i + 10, 10 * i, &marks[i], 1, NULL, 0);
}

static struct booksync_stats stats(const booksync_t *b)
{
	struct booksync_stats st;
	booksync_stats(b, &st);
	return st;
}

/* A book fed diffs 1..n, having asked for its snapshot. */
static booksync_t *buffered(int n)
{
	booksync_t *b = booksync_new(SYM);
	cr_assert_not_null(b);
	for (int i = 1; i <= n; i++) {
		ev_t d = nth_diff(i);
		cr_assert_eq(booksync_diff(b, &d), i == 1 ? NEED : WAIT, "diff %d", i);
	}
	return b;
}

Test(sync, snapshot_is_asked_for_once)
{
	booksync_t *b = booksync_new(SYM);
	cr_assert_not_null(b);
	cr_expect_eq(booksync_state(b), NEED, "a fresh book needs a snapshot");
	cr_expect_eq(booksync_last_id(b), -1);
	for (int i = 1; i <= 5; i++) {
		ev_t d = nth_diff(i);
		cr_expect_eq(booksync_diff(b, &d), i == 1 ? NEED : WAIT, "diff %d", i);
	}
	cr_expect_eq(booksync_state(b), WAIT);
	cr_expect_str_eq(booksync_symbol(b), SYM);
	booksync_free(b);
}

Test(sync, overlap_rule)
{
	booksync_t *b = buffered(3); /* ids 11..40 */
	ev_t s = snapshot(25);       /* inside diff 2, [21, 30] */
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(booksync_last_id(b), 40);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(91)), 0, "diff 1 is older than the snapshot");
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(92)), DEC(2), "diff 2 overlaps it");
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(93)), DEC(3));
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(100)), DEC(1), "snapshot levels kept");
	cr_expect_eq(stats(b).stale, 1);
	cr_expect_eq(stats(b).applied, 2);
	cr_expect_eq(booksync_resyncs(b), 0);
	booksync_free(b);
}

/* U <= lastUpdateId <= u at both ends: a diff ending at lastUpdateId still
 * applies (its levels hold the snapshot's values, so applying is harmless),
 * one ending just before is dropped. */
Test(sync, overlap_at_the_edges)
{
	booksync_t *b = buffered(3);
	ev_t s = snapshot(30); /* u of diff 2 */
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(stats(b).stale, 1);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(92)), DEC(2));
	booksync_free(b);

	b = buffered(3);
	s = snapshot(31); /* U of diff 3 */
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(stats(b).stale, 2);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(92)), 0);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(93)), DEC(3));
	booksync_free(b);
}

Test(sync, stale_diffs_dropped_while_live)
{
	booksync_t *b = buffered(2);
	ev_t s = snapshot(15);
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	level_t old = LV(50, 7);
	ev_t again = diff_ev(21, 30, 20, &old, 1, NULL, 0); /* diff 2 once more */
	cr_expect_eq(booksync_diff(b, &again), LIVE);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(50)), 0, "a replayed diff is not applied");
	cr_expect_eq(booksync_last_id(b), 30);
	cr_expect_eq(stats(b).stale, 1);
	ev_t d3 = nth_diff(3);
	cr_expect_eq(booksync_diff(b, &d3), LIVE);
	cr_expect_eq(booksync_last_id(b), 40);
	cr_expect_eq(booksync_resyncs(b), 0);
	booksync_free(b);
}

/* The snapshot is newer than every buffered diff: the book waits with it,
 * drops the diffs it contains as they come, and goes live at the first one
 * overlapping it. */
Test(sync, snapshot_newer_than_the_buffer)
{
	booksync_t *b = buffered(1); /* [11, 20] */
	ev_t s = snapshot(45);
	cr_assert_eq(booksync_snapshot(b, &s), WAIT);
	cr_expect_eq(booksync_last_id(b), 45);
	cr_expect_eq(depth_of(b, SIDE_BUY), 3, "the snapshot is held while waiting");
	for (int i = 2; i <= 3; i++) {
		ev_t d = nth_diff(i);
		cr_expect_eq(booksync_diff(b, &d), WAIT, "diff %d is older than the snapshot", i);
	}
	ev_t d4 = nth_diff(4); /* [41, 50] */
	cr_expect_eq(booksync_diff(b, &d4), LIVE);
	cr_expect_eq(booksync_last_id(b), 50);
	cr_expect_eq(stats(b).stale, 3);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(94)), DEC(4));
	booksync_free(b);
}

/* The first diff after a waiting snapshot starts beyond it: the updates in
 * between are lost, so another snapshot is asked for. */
Test(sync, waiting_snapshot_overtaken)
{
	booksync_t *b = buffered(1);
	ev_t s = snapshot(25);
	cr_assert_eq(booksync_snapshot(b, &s), WAIT);
	ev_t d = diff_ev(31, 40, 30, NULL, 0, NULL, 0);
	cr_expect_eq(booksync_diff(b, &d), NEED);
	cr_expect_eq(stats(b).too_old, 1);
	cr_expect_eq(booksync_last_id(b), -1);
	cr_expect_eq(depth_of(b, SIDE_BUY), 0);
	booksync_free(b);
}

/* The snapshot is older than every buffered diff: asked for again once, and
 * the buffer is kept for the next snapshot. */
Test(sync, snapshot_older_than_every_buffered_diff)
{
	booksync_t *b = buffered(3); /* 11..40 */
	ev_t s = snapshot(5);
	cr_expect_eq(booksync_snapshot(b, &s), NEED);
	cr_expect_eq(booksync_state(b), WAIT);
	cr_expect_eq(stats(b).too_old, 1);
	cr_expect_eq(depth_of(b, SIDE_BUY), 0, "the old snapshot is not kept");
	ev_t d4 = nth_diff(4);
	cr_expect_eq(booksync_diff(b, &d4), WAIT, "asked once, not once per diff");
	s = snapshot(35);
	cr_expect_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(93)), DEC(3));
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(94)), DEC(4));
	cr_expect_eq(booksync_last_id(b), 50);
	cr_expect_eq(booksync_resyncs(b), 0);
	booksync_free(b);
}

Test(sync, pu_break_resyncs)
{
	booksync_t *b = buffered(2);
	ev_t s = snapshot(15);
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	/* diff 3 is lost: diff 4 says its predecessor ended at 40, not 30 */
	ev_t d4 = nth_diff(4);
	cr_expect_eq(booksync_diff(b, &d4), NEED);
	cr_expect_eq(booksync_resyncs(b), 1);
	cr_expect_eq(booksync_state(b), WAIT);
	cr_expect_eq(booksync_last_id(b), -1, "the broken book is dropped");
	cr_expect_eq(depth_of(b, SIDE_BUY) + depth_of(b, SIDE_SELL), 0);
	ev_t d5 = nth_diff(5);
	cr_expect_eq(booksync_diff(b, &d5), WAIT, "asked once per break");
	/* a snapshot within the new chain joins it, diff 4 included */
	s = snapshot(45);
	cr_expect_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(94)), DEC(4));
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(95)), DEC(5));
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(92)), 0, "nothing of the old book is left");
	cr_expect_eq(booksync_resyncs(b), 1);
	booksync_free(b);
}

/* A break while waiting drops the diffs before it without asking again: the
 * snapshot on its way decides. */
Test(sync, break_while_waiting)
{
	booksync_t *b = buffered(2);
	ev_t d4 = nth_diff(4);
	cr_expect_eq(booksync_diff(b, &d4), WAIT);
	cr_expect_eq(booksync_resyncs(b), 1);
	ev_t s = snapshot(15); /* would have joined diff 1 */
	cr_expect_eq(booksync_snapshot(b, &s), NEED, "too old for the chain after the break");
	s = snapshot(45);
	cr_expect_eq(booksync_snapshot(b, &s), LIVE);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(91)), 0);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(94)), DEC(4));
	booksync_free(b);
}

Test(sync, prefetched_snapshot)
{
	booksync_t *b = booksync_new(SYM);
	ev_t s = snapshot(25);
	cr_expect_eq(booksync_snapshot(b, &s), WAIT, "no request: the caller already has one");
	ev_t d1 = nth_diff(1), d2 = nth_diff(2);
	cr_expect_eq(booksync_diff(b, &d1), WAIT);
	cr_expect_eq(booksync_diff(b, &d2), LIVE);
	booksync_free(b);
}

Test(sync, snapshot_while_live_is_not_applied)
{
	booksync_t *b = buffered(2);
	ev_t s = snapshot(15);
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	static const level_t other[] = {LV(70, 1)};
	ev_t late = snap_ev(35, other, 1, NULL, 0);
	cr_expect_eq(booksync_snapshot(b, &late), LIVE);
	cr_expect_eq(qty_at(b, SIDE_BUY, DEC(70)), 0);
	cr_expect_eq(booksync_last_id(b), 30);
	booksync_free(b);
}

Test(sync, reset)
{
	booksync_t *b = buffered(2);
	ev_t s = snapshot(15);
	cr_assert_eq(booksync_snapshot(b, &s), LIVE);
	booksync_reset(b);
	cr_expect_eq(booksync_state(b), NEED);
	cr_expect_eq(booksync_last_id(b), -1);
	cr_expect_eq(depth_of(b, SIDE_SELL), 0);
	ev_t d3 = nth_diff(3);
	cr_expect_eq(booksync_diff(b, &d3), NEED);
	cr_expect_eq(booksync_resyncs(b), 0, "a reset is not a break");
	booksync_free(b);
}
