/* Time: an intent takes effect after its latency against the market as it
 * is then, its events reach the user ack_latency later and only through
 * sim_advance / sim_on_market; the same inputs give the same events. */
#include <stdio.h>

#include "harness.h"

static struct rec R;

static struct sim_params slow(void)
{
	struct sim_params p = quiet_params();
	p.order_latency_ms = 100;
	p.cancel_latency_ms = 40;
	p.ack_latency_ms = 20;
	return p;
}

Test(timing, order_meets_the_market_of_its_arrival)
{
	struct sim_params p = slow();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 0, "100.0", "5", "100.1", "5");
	order_req o = market_req("m", SIDE_BUY, "1");
	place(s, &R, &o, 0);
	ticker(s, 50, "100.9", "5", "101.0", "5"); /* moves while the order travels */
	sim_advance(s, 119);
	cr_assert_eq(R.n, 0, "filled at 100 but not yet acknowledged");
	sim_advance(s, 120);
	const struct ev_order *u = last_update(&R, "m");
	cr_assert_eq(u->avg_price, D("101.0"), "the price of t=100, not of t=0");
	cr_assert_eq(u->trade_ms, 100);
	cr_assert_eq(R.ev[0].exch_ms, 100);
	cr_assert_eq(R.ev[0].u.order.exec, EXEC_NEW);
	sim_free(s);
}

Test(timing, events_come_in_time_order)
{
	struct sim_params p = slow();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 0, "100.0", "5", "100.1", "5");
	order_req a = limit_req("a", SIDE_BUY, "99.0", "1", TIF_GTC);
	order_req b = limit_req("b", SIDE_BUY, "98.0", "1", TIF_GTC);
	place(s, &R, &a, 10);
	place(s, &R, &b, 0);
	cancel(s, &R, "a", 80); /* reaches the engine at 120, after a (110) */
	sim_advance(s, 1000);
	cr_assert_eq(R.n, 3);
	cr_assert_str_eq(R.ev[0].u.order.client_id, "b");
	cr_assert_str_eq(R.ev[1].u.order.client_id, "a");
	cr_assert_eq(R.ev[2].u.order.exec, EXEC_CANCELED);
	cr_assert_eq(R.ev[2].exch_ms, 120);
	for (int i = 1; i < R.n; i++)
		cr_assert_leq(R.ev[i - 1].exch_ms, R.ev[i].exch_ms);
	sim_free(s);
}

Test(timing, a_cancel_overtaken_by_a_fill_is_unknown)
{
	struct sim_params p = slow();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 0, "100.0", "5", "100.1", "5");
	order_req a = limit_req("a", SIDE_BUY, "100.0", "1", TIF_GTC);
	place(s, &R, &a, 0);
	sim_advance(s, 200);
	cancel(s, &R, "a", 200);
	trade(s, 210, "99.9", "5", true); /* fills before the cancel lands at 240 */
	sim_advance(s, 300);
	cr_assert_eq(last_update(&R, "a")->status, OS_FILLED);
	expect_reject(&R, "a", -2011);
	cr_assert_eq(R.rej[0].ms, 240);
	sim_free(s);
}

Test(timing, replace_is_atomic_and_refused_when_the_old_order_is_gone)
{
	struct sim_params p = slow();
	sim_t *s = new_sim(&R, &p);
	ticker(s, 0, "100.0", "5", "100.1", "5");
	order_req a = limit_req("a", SIDE_BUY, "99.0", "1", TIF_GTC);
	order_req a2 = limit_req("a2", SIDE_BUY, "99.5", "1", TIF_GTC);
	order_req a3 = limit_req("a3", SIDE_BUY, "99.6", "1", TIF_GTC);
	place(s, &R, &a, 0);
	sim_advance(s, 500);
	R.in_intent = true;
	sim_replace(s, "a", &a2, 500);
	sim_replace(s, "zzz", &a3, 500);
	R.in_intent = false;
	sim_advance(s, 1000);
	cr_assert_eq(last_update(&R, "a")->status, OS_CANCELED);
	cr_assert_eq(last_update(&R, "a2")->status, OS_NEW);
	expect_reject(&R, "a3", -2011);
	sim_free(s);
}

/* A scripted session touching every model; returns its events in `r`. */
static void session(struct rec *r, uint64_t seed)
{
	struct sim_params p = slow();
	p.seed = seed;
	p.maker_fee = D("0.0001");
	p.taker_fee = D("0.00035");
	sim_t *s = new_sim(r, &p);
	mark(s, 0, "100.0", "0.0001", 3000);
	ticker(s, 0, "100.0", "5", "100.1", "5");
	order_req e = limit_req("e", SIDE_BUY, "100.0", "2", TIF_GTC);
	order_req m = market_req("m", SIDE_BUY, "1");
	order_req sl = stop_req("sl", OT_STOP_MARKET, SIDE_SELL, "98.0", "3", WT_MARK_PRICE);
	sl.reduce_only = true;
	place(s, r, &e, 0);
	place(s, r, &m, 5);
	for (int i = 1; i <= 40; i++) {
		char px[16];
		snprintf(px, sizeof(px), "%d.%d", 100 - i / 10, 9 - i % 10);
		trade(s, 100 * i, px, "0.7", i % 2);
		if (i == 12)
			place(s, r, &sl, 100 * i);
		if (i % 8 == 0)
			mark(s, 100 * i, px, "0.0001", 3000);
	}
	sim_advance(s, 10000);
	sim_free(s);
}

static struct rec A, B;

Test(timing, same_inputs_same_events)
{
	session(&A, 7);
	session(&B, 7);
	cr_assert_gt(filled_of(&A, "e"), 0, "the session fills a resting order");
	cr_assert_gt(filled_of(&A, "sl"), 0, "and a stop");
	bool funded = false;
	for (int i = 0; i < A.n; i++)
		funded |= A.ev[i].type == EV_ACCOUNT_UPDATE &&
		          !strcmp(A.ev[i].u.account.reason, "FUNDING_FEE");
	cr_assert(funded, "and charges funding");
	cr_assert_eq(A.n, B.n);
	for (int i = 0; i < A.n; i++) {
		cr_assert_eq(A.ev[i].type, B.ev[i].type);
		cr_assert_eq(A.ev[i].exch_ms, B.ev[i].exch_ms);
		if (A.ev[i].type == EV_ORDER_UPDATE)
			cr_assert(!memcmp(&A.ev[i].u.order, &B.ev[i].u.order, sizeof(struct ev_order)),
			          "order update %d differs", i);
		else
			cr_assert(!memcmp(&A.pos[i], &B.pos[i], sizeof(struct position)) &&
			          !memcmp(&A.bal[i], &B.bal[i], sizeof(struct balance)),
			          "account update %d differs", i);
	}
	session(&B, 8);
	cr_assert_neq(A.ev[0].u.order.order_id, B.ev[0].u.order.order_id,
	              "the seed sets where ids start");
}
