/*
 * test_book.c - the book itself: levels set, replaced and removed by
 * quantity 0, kept in price order, the best level, and the comparison with
 * a snapshot.
 */
#include <criterion/criterion.h>

#include "depth_events.h"

static const level_t bids[] = {LV(100, 1), LV(99, 2), LV(98, 3), LV(97, 4)};
static const level_t asks[] = {LV(101, 1), LV(102, 2), LV(103, 3), LV(104, 4)};

/* A live book holding bids and asks above, at update id 20. */
static booksync_t *live_book(void)
{
	booksync_t *b = booksync_new(SYM);
	cr_assert_not_null(b);
	ev_t s = snap_ev(15, bids, COUNT(bids), asks, COUNT(asks));
	booksync_snapshot(b, &s);
	ev_t d = empty_diff(11, 20, 10);
	cr_assert_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);
	return b;
}

static void expect_side(const booksync_t *b, side_t side, const level_t *want, uint32_t n)
{
	uint32_t got;
	const level_t *lv = booksync_levels(b, side, &got);
	cr_assert_eq(got, n, "side %d holds %u levels, want %u", side, got, n);
	for (uint32_t i = 0; i < n; i++) {
		cr_expect_eq(lv[i].price, want[i].price, "side %d level %u price", side, i);
		cr_expect_eq(lv[i].qty, want[i].qty, "side %d level %u qty", side, i);
	}
}

Test(book, zero_quantity_removes_the_level)
{
	booksync_t *b = live_book();
	static const level_t db[] = {LV(99, 0), LV(50, 0), LV(98, 7)};
	static const level_t da[] = {LV(101, 0)};
	ev_t d = diff_ev(21, 30, 20, db, COUNT(db), da, COUNT(da));
	cr_expect_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);
	static const level_t want_b[] = {LV(100, 1), LV(98, 7), LV(97, 4)};
	static const level_t want_a[] = {LV(102, 2), LV(103, 3), LV(104, 4)};
	expect_side(b, SIDE_BUY, want_b, COUNT(want_b));
	expect_side(b, SIDE_SELL, want_a, COUNT(want_a));
	booksync_free(b);
}

Test(book, levels_in_price_order)
{
	booksync_t *b = live_book();
	static const level_t db[] = {LV(96, 5), {HALF(100), DEC(1)}, {HALF(98), DEC(2)}};
	static const level_t da[] = {LV(105, 5), {HALF(100), DEC(9)}, {HALF(103), DEC(1)}};
	ev_t d = diff_ev(21, 30, 20, db, COUNT(db), da, COUNT(da));
	cr_expect_eq(booksync_diff(b, &d), BOOKSYNC_LIVE);
	static const level_t want_b[] = {{HALF(100), DEC(1)}, LV(100, 1), LV(99, 2),
	                                 {HALF(98), DEC(2)}, LV(98, 3), LV(97, 4), LV(96, 5)};
	static const level_t want_a[] = {{HALF(100), DEC(9)}, LV(101, 1), LV(102, 2),
	                                 LV(103, 3), {HALF(103), DEC(1)}, LV(104, 4), LV(105, 5)};
	expect_side(b, SIDE_BUY, want_b, COUNT(want_b));
	expect_side(b, SIDE_SELL, want_a, COUNT(want_a));
	booksync_free(b);
}

Test(book, best_levels)
{
	booksync_t *b = live_book();
	level_t best;
	cr_expect(booksync_best(b, SIDE_BUY, &best));
	cr_expect_eq(best.price, DEC(100));
	cr_expect(booksync_best(b, SIDE_SELL, &best));
	cr_expect_eq(best.price, DEC(101));
	cr_expect_eq(best.qty, DEC(1));
	uint32_t n = 9;
	cr_expect_null(booksync_levels(b, (side_t)0, &n), "not a side");
	cr_expect_eq(n, 0);
	booksync_free(b);

	b = booksync_new(SYM);
	cr_expect_not(booksync_best(b, SIDE_BUY, &best), "an empty book has no best level");
	cr_expect_eq(best.price, 0);
	cr_expect_eq(best.qty, 0);
	booksync_free(b);
}

Test(compare, same_book)
{
	booksync_t *b = live_book();
	ev_t s = snap_ev(20, bids, COUNT(bids), asks, COUNT(asks));
	struct booksync_cmp c;
	cr_expect_eq(booksync_compare(b, &s, &c), 0);
	cr_expect_eq(c.compared, 8);
	cr_expect_eq(c.differ, 0);
	cr_expect_eq(c.first_price, 0);
	booksync_free(b);
}

/* A shallower snapshot checks only the price range it covers. */
Test(compare, deeper_book_levels_not_compared)
{
	booksync_t *b = live_book();
	ev_t s = snap_ev(20, bids, 2, asks, 3);
	struct booksync_cmp c;
	cr_expect_eq(booksync_compare(b, &s, &c), 0);
	cr_expect_eq(c.compared, 5);
	booksync_free(b);
}

Test(compare, differences_found)
{
	booksync_t *b = live_book();
	struct booksync_cmp c;
	/* another quantity at 99 */
	static const level_t qty[] = {LV(100, 1), LV(99, 5), LV(98, 3), LV(97, 4)};
	ev_t s = snap_ev(20, qty, COUNT(qty), asks, COUNT(asks));
	cr_expect_eq(booksync_compare(b, &s, &c), 1);
	cr_expect_eq(c.differ, 1);
	cr_expect_eq(c.first_side, SIDE_BUY);
	cr_expect_eq(c.first_price, DEC(99));
	/* the book lacks 103, and holds 102 where the snapshot has none */
	static const level_t more[] = {LV(101, 1), LV(103, 3), LV(104, 4)};
	static const level_t extra[] = {LV(101, 1), LV(102, 2), {HALF(102), DEC(1)}, LV(103, 3)};
	s = snap_ev(20, bids, COUNT(bids), more, COUNT(more));
	cr_expect_eq(booksync_compare(b, &s, &c), 1);
	cr_expect_eq(c.differ, 1);
	cr_expect_eq(c.first_side, SIDE_SELL);
	cr_expect_eq(c.first_price, DEC(102));
	s = snap_ev(20, bids, COUNT(bids), extra, COUNT(extra));
	cr_expect_eq(booksync_compare(b, &s, &c), 1);
	cr_expect_eq(c.differ, 1, "102.5 is missing from the book");
	/* an empty side in the snapshot means the exchange's side is empty */
	s = snap_ev(20, bids, COUNT(bids), NULL, 0);
	cr_expect_eq(booksync_compare(b, &s, &c), 1);
	cr_expect_eq(c.differ, 4);
	booksync_free(b);
}

Test(compare, invalid_snapshots)
{
	booksync_t *b = live_book();
	struct booksync_cmp c;
	static const level_t unsorted[] = {LV(99, 1), LV(100, 1)};
	ev_t s = snap_ev(20, unsorted, COUNT(unsorted), asks, COUNT(asks));
	cr_expect_eq(booksync_compare(b, &s, &c), -1);
	s = snap_ev(20, bids, COUNT(bids), asks, COUNT(asks));
	strcpy(s.symbol, "ETHUSDT");
	cr_expect_eq(booksync_compare(b, &s, &c), -1);
	ev_t d = empty_diff(21, 30, 20);
	cr_expect_eq(booksync_compare(b, &d, &c), -1);
	cr_expect_eq(booksync_compare(b, NULL, &c), -1);
	booksync_free(b);
}
