/* The book copy: snapshot + diffs by update id, a gap makes it stale until
 * the next snapshot (top of book or trades only meanwhile), a book ticker
 * refines the top of the depth. Observed through what a market order gets. */
#include <stdio.h>

#include "harness.h"

static struct rec R;
static int nth;

/* Average price a market buy of `qty` gets right now. */
static dec_t buy_price(sim_t *s, const char *qty, int64_t ms)
{
	char id[16];
	snprintf(id, sizeof(id), "m%d", nth++);
	order_req o = market_req(id, SIDE_BUY, qty);
	place(s, &R, &o, ms);
	sim_advance(s, ms);
	const struct ev_order *u = last_update(&R, id);
	return u->status == OS_FILLED ? u->avg_price : -1;
}

static sim_t *synced(struct sim_params *p)
{
	sim_t *s = new_sim(&R, p);
	const char *bids[] = {"100.0:4", NULL};
	const char *asks[] = {"100.1:1", "100.2:2", NULL};
	depth(s, EV_DEPTH_SNAPSHOT, 1000, 0, 100, 0, bids, asks);
	return s;
}

Test(book, diffs_before_a_snapshot_are_ignored)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	const char *asks[] = {"100.1:1", NULL};
	depth(s, EV_DEPTH_UPDATE, 1000, 90, 95, 89, NULL, asks);
	cr_assert_eq(buy_price(s, "1", 1000), -1, "no book, no trade: the market order expires");
	sim_free(s);
}

Test(book, diffs_apply_in_sequence)
{
	struct sim_params p = quiet_params();
	sim_t *s = synced(&p);
	const char *a1[] = {"100.1:0", "100.3:5", NULL};
	depth(s, EV_DEPTH_UPDATE, 1001, 95, 105, 90, NULL, a1); /* spans 100: the bridge */
	const char *a2[] = {"100.2:1", NULL};
	depth(s, EV_DEPTH_UPDATE, 1002, 106, 110, 105, NULL, a2);
	const char *old[] = {"100.2:9", NULL};
	depth(s, EV_DEPTH_UPDATE, 1003, 101, 104, 100, NULL, old); /* older: skipped */
	cr_assert_eq(buy_price(s, "2", 1003), D("100.25"), "1 @ 100.2 + 1 @ 100.3");
	sim_free(s);
}

Test(book, a_gap_makes_the_book_stale_until_a_snapshot)
{
	struct sim_params p = quiet_params();
	sim_t *s = synced(&p);
	const char *a1[] = {"100.1:3", NULL};
	depth(s, EV_DEPTH_UPDATE, 1001, 99, 105, 90, NULL, a1);
	depth(s, EV_DEPTH_UPDATE, 1002, 107, 110, 106, NULL, a1); /* pu 106 != 105 */
	trade(s, 1002, "100.5", "1", false);
	cr_assert_eq(buy_price(s, "1", 1002), D("100.5"), "stale depth unused: trades-only book");
	ticker(s, 1003, "100.6", "1", "100.7", "1");
	cr_assert_eq(buy_price(s, "2", 1003), D("100.75"), "then the top of book, a tick beyond");
	const char *bids[] = {"100.0:4", NULL};
	const char *asks[] = {"100.1:1", "100.2:2", NULL};
	depth(s, EV_DEPTH_SNAPSHOT, 1004, 0, 200, 0, bids, asks);
	cr_assert_eq(buy_price(s, "3", 1004), D("100.16666666"), "depth again: (100.1 + 2 x 100.2) / 3");
	sim_free(s);
}

Test(book, a_gap_event_makes_the_book_stale)
{
	struct sim_params p = quiet_params();
	sim_t *s = synced(&p);
	ev_t gap = market_ev(EV_GAP, 1001);
	gap.u.gap.kind = GAP_DISCONNECT;
	sim_on_market(s, &gap);
	cr_assert_eq(buy_price(s, "1", 1001), -1, "nothing known after the gap");
	sim_free(s);
}

Test(book, ticker_refines_the_top_of_depth)
{
	struct sim_params p = quiet_params();
	sim_t *s = synced(&p);
	ticker(s, 1001, "100.0", "4", "100.2", "1.5"); /* 100.1 is gone, 100.2 shrank */
	cr_assert_eq(buy_price(s, "1.5", 1001), D("100.2"));
	sim_free(s);
}

Test(book, depth_moves_the_queue)
{
	struct sim_params p = quiet_params();
	sim_t *s = synced(&p); /* 4 bid at 100.0 */
	order_req o = limit_req("q", SIDE_BUY, "100.0", "1", TIF_GTC);
	place(s, &R, &o, 1000);
	sim_advance(s, 1000);
	const char *b1[] = {"100.0:10", NULL};
	depth(s, EV_DEPTH_UPDATE, 1001, 100, 101, 99, b1, NULL); /* 6 join behind */
	const char *b2[] = {"100.0:5", NULL};
	depth(s, EV_DEPTH_UPDATE, 1002, 102, 102, 101, b2, NULL); /* 5 cancel: 4 x 5/10 ahead */
	const char *bids[] = {"100.0:1", NULL};
	const char *asks[] = {"100.1:1", NULL};
	depth(s, EV_DEPTH_SNAPSHOT, 1003, 0, 103, 0, bids, asks); /* 5 -> 1: 2 - 2 x 4/5 */
	trade(s, 1004, "100.0", "0.3", true);
	cr_assert_eq(filled_of(&R, "q"), 0, "0.1 still ahead");
	trade(s, 1005, "100.0", "0.5", true);
	cr_assert_eq(filled_of(&R, "q"), D("0.4"));
	sim_free(s);
}
