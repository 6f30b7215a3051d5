/*
 * The request budget: requests wait for the next window instead of going
 * over limit minus buffer, the exchange's headers correct the count, and a
 * 429 or 418 blocks everything for its Retry-After or a growing back-off.
 */
#include <criterion/criterion.h>

#include "exchange_aster.h"

#define T 1699999980000LL /* a minute boundary */

Test(ratelimit, weight_waits_for_the_next_minute_at_limit_minus_buffer)
{
	struct xa_rl rl;
	xa_rl_init(&rl, 10);
	xa_rl_set_limit(&rl, XA_WEIGHT_1M, 100); /* 90 usable */
	for (int i = 0; i < 18; i++)
		cr_assert_eq(xa_rl_wait(&rl, T + 1000 + i, 5, false), 0, "request %d", i);
	cr_assert_eq(xa_rl_wait(&rl, T + 20000, 5, false), 40000, "until the minute ends");
	cr_assert_eq(xa_rl_wait(&rl, T + 60000, 5, false), 0, "a new minute, a new budget");
}

Test(ratelimit, orders_have_their_own_ten_second_window)
{
	struct xa_rl rl;
	xa_rl_init(&rl, 0);
	xa_rl_set_limit(&rl, XA_ORDERS_10S, 3);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(xa_rl_wait(&rl, T + 100, 1, true), 0);
	cr_assert_eq(xa_rl_wait(&rl, T + 2000, 1, true), 8000);
	cr_assert_eq(xa_rl_wait(&rl, T + 2000, 1, false), 0, "a query is not an order");
}

Test(ratelimit, the_exchanges_count_replaces_ours)
{
	struct xa_rl rl;
	xa_rl_init(&rl, 0);
	xa_rl_set_limit(&rl, XA_WEIGHT_1M, 1200);
	cr_assert_eq(xa_rl_wait(&rl, T + 10, 1, false), 0);
	xa_rl_on_header(&rl, T + 20, "x-mbx-used-weight-1m", "1199");
	cr_assert_eq(xa_rl_wait(&rl, T + 30, 1, false), 0, "1200 is still within");
	cr_assert_gt(xa_rl_wait(&rl, T + 40, 1, false), 0, "1201 is not");
	xa_rl_on_header(&rl, T + 50, "X-MBX-USED-WEIGHT-1M", "junk");
	xa_rl_on_header(&rl, T + 50, "X-Other", "5");
	cr_assert_eq(rl.used[XA_WEIGHT_1M], 1200, "bad headers change nothing");
}

Test(ratelimit, status_429_and_418_block)
{
	struct xa_rl rl;
	xa_rl_init(&rl, 10);
	xa_rl_on_status(&rl, T, 429, 7);
	cr_assert_eq(xa_rl_wait(&rl, T + 1000, 1, false), 6000, "Retry-After is honoured");
	cr_assert_not(rl.banned);
	for (int i = 0; i < 8; i++)
		xa_rl_on_status(&rl, T + 10000, 429, -1);
	cr_assert_eq(xa_rl_wait(&rl, T + 10000, 1, false), 60000, "back-off stops at a minute");
	xa_rl_on_status(&rl, T + 10000, 200, -1);
	cr_assert_eq(rl.backoffs, 0);
	xa_rl_on_status(&rl, T + 100000, 418, 120);
	cr_assert(rl.banned, "a ban is reported as one");
	cr_assert_eq(xa_rl_wait(&rl, T + 100000, 1, false), 120000);
}
