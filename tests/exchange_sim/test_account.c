/* The account: fees maker vs taker, average entry and realized PnL, funding
 * at the funding time, own liquidation, reduce-only, one-way vs hedge. */
#include "harness.h"

static struct rec R;

static sim_t *book_at_100(struct sim_params *p)
{
	sim_t *s = new_sim(&R, p);
	ticker(s, 1000, "100.0", "50", "100.1", "50");
	return s;
}

static void place_now(sim_t *s, order_req o, int64_t ms)
{
	place(s, &R, &o, ms);
	sim_advance(s, ms);
}

static dec_t wallet(const sim_t *s)
{
	struct exchange_account a;
	sim_account(s, &a);
	return a.wallet;
}

Test(account, taker_and_maker_fees)
{
	struct sim_params p = quiet_params();
	p.maker_fee = D("0.0001");
	p.taker_fee = D("0.00035");
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("t", SIDE_BUY, "1"), 1000);
	const struct ev_order *u = last_update(&R, "t");
	cr_assert_eq(u->commission, D("0.035035"), "100.1 x 1 x 0.035 %%");
	cr_assert_str_eq(u->commission_asset, "USDT");
	cr_assert(u->has_commission);
	place_now(s, limit_req("m", SIDE_SELL, "100.2", "1", TIF_GTC), 1000);
	trade(s, 1001, "100.3", "1", false);
	u = last_update(&R, "m");
	cr_assert(u->maker);
	cr_assert_eq(u->commission, D("0.01002"), "100.2 x 1 x 0.01 %%");
	cr_assert_eq(u->realized_pnl, D("0.1"));
	struct exchange_account a;
	sim_account(s, &a);
	cr_assert_eq(a.fees_paid, D("0.045055"));
	cr_assert_eq(a.wallet, D("10000") + D("0.1") - D("0.045055"));
	cr_assert_eq(a.open_positions, 0);
	sim_free(s);
}

Test(account, average_entry_and_realized_pnl)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_BUY, "1"), 1000);
	ticker(s, 1001, "102.0", "50", "102.2", "50");
	place_now(s, market_req("b", SIDE_BUY, "3"), 1001);
	const struct position *pos = last_position(&R);
	cr_assert_eq(pos->amount, D("4"));
	cr_assert_eq(pos->entry_price, D("101.675"), "(100.1 + 3 x 102.2) / 4");
	cr_assert_eq(pos->pos_side, PS_BOTH);
	ticker(s, 1002, "110.0", "50", "110.1", "50");
	place_now(s, market_req("c", SIDE_SELL, "1"), 1002);
	cr_assert_eq(last_update(&R, "c")->realized_pnl, D("8.325"));
	pos = last_position(&R);
	cr_assert_eq(pos->amount, D("3"));
	cr_assert_eq(pos->entry_price, D("101.675"), "closing keeps the entry");
	cr_assert_eq(pos->realized, D("8.325"));
	cr_assert_eq(wallet(s), D("10008.325"));
	sim_free(s);
}

Test(account, one_way_sell_through_a_long_flips_it)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_BUY, "1"), 1000);
	place_now(s, market_req("b", SIDE_SELL, "3"), 1000);
	cr_assert_eq(last_update(&R, "b")->realized_pnl, D("-0.1"));
	const struct position *pos = last_position(&R);
	cr_assert_eq(pos->amount, D("-2"));
	cr_assert_eq(pos->entry_price, D("100.0"));
	sim_free(s);
}

Test(account, funding_at_the_funding_time)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_BUY, "2"), 1000);
	mark(s, 1000, "100.0", "0.0001", 8000);
	mark(s, 5000, "101.0", "0.0003", 8000); /* the last rate and mark before T count */
	int before = R.n;
	sim_advance(s, 7999);
	cr_assert_eq(R.n, before, "nothing before the funding time");
	sim_advance(s, 8000);
	cr_assert_eq(R.n, before + 1);
	const ev_t *ev = &R.ev[before];
	cr_assert_eq(ev->type, EV_ACCOUNT_UPDATE);
	cr_assert_str_eq(ev->u.account.reason, "FUNDING_FEE");
	cr_assert_eq(ev->exch_ms, 8000);
	cr_assert_eq(ev->u.account.balances[0].change, -D("0.0606"), "2 x 101 x 0.0003, a long pays");
	struct exchange_account a;
	sim_account(s, &a);
	cr_assert_eq(a.funding_paid, D("0.0606"));
	mark(s, 9000, "101.0", "0.0003", 16000);
	cr_assert_eq(R.n, before + 1, "charged once per funding time");
	sim_free(s);
}

Test(account, shorts_receive_a_positive_rate_and_pay_a_negative_one)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_SELL, "1"), 1000);
	mark(s, 1000, "100.0", "0.0001", 2000);
	mark(s, 3000, "100.0", "-0.0002", 4000);
	sim_advance(s, 4000);
	struct exchange_account a;
	sim_account(s, &a);
	cr_assert_eq(a.funding_paid, D("-0.01") + D("0.02"));
	cr_assert_eq(a.wallet, D("10000") - D("0.01"));
	sim_free(s);
}

Test(account, funding_off)
{
	struct sim_params p = quiet_params();
	p.funding = false;
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_BUY, "1"), 1000);
	mark(s, 1000, "100.0", "0.01", 2000);
	sim_advance(s, 3000);
	cr_assert_eq(wallet(s), D("10000"));
	sim_free(s);
}

Test(account, own_liquidation_at_the_maintenance_margin)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	sim_set_leverage(s, "BTCUSDT", 10);
	ticker(s, 1000, "99.9", "50", "100.0", "50");
	place_now(s, market_req("a", SIDE_BUY, "1"), 1000); /* margin 10, maint 2.5 % */
	place_now(s, limit_req("tp", SIDE_SELL, "105.0", "1", TIF_GTC), 1000);
	mark(s, 2000, "92.4", "0", 0); /* 10 - 7.6 = 2.4 > 2.31 */
	cr_assert_eq(last_position(&R)->amount, D("1"));
	cr_assert_eq(last_position(&R)->isolated_wallet, D("10"));
	mark(s, 3000, "92.3", "0", 0); /* 2.3 <= 2.3075 */
	cr_assert_eq(last_update(&R, "tp")->status, OS_CANCELED, "open orders go first");
	const struct ev_order *u = NULL;
	for (int i = 0; i < R.n; i++)
		if (R.ev[i].type == EV_ORDER_UPDATE && R.ev[i].u.order.type == OT_LIQUIDATION)
			u = &R.ev[i].u.order;
	cr_assert_not_null(u);
	cr_assert(!strncmp(u->client_id, "autoclose-", 10));
	cr_assert_eq(u->exec, EXEC_CALCULATED);
	cr_assert_eq(u->status, OS_FILLED);
	cr_assert_eq(u->side, SIDE_SELL);
	cr_assert_eq(u->last_qty, D("1"));
	cr_assert_eq(u->last_price, D("90"), "the bankruptcy price");
	cr_assert_eq(u->realized_pnl, D("-10"), "the whole margin is lost");
	cr_assert_eq(last_position(&R)->amount, 0);
	cr_assert_eq(wallet(s), D("9990"));
	sim_free(s);
}

Test(account, reduce_only_shrinks_to_the_position)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	place_now(s, market_req("a", SIDE_BUY, "0.5"), 1000);
	order_req r = market_req("r", SIDE_SELL, "1");
	r.reduce_only = true;
	place_now(s, r, 1000);
	cr_assert_eq(filled_of(&R, "r"), D("0.5"));
	cr_assert_eq(last_update(&R, "r")->status, OS_EXPIRED);
	cr_assert(last_update(&R, "r")->reduce_only);
	cr_assert_eq(last_position(&R)->amount, 0);
	place_now(s, r, 1001);
	expect_reject(&R, "r", -2022);
	sim_free(s);
}

Test(account, hedge_mode_keeps_two_sides)
{
	struct sim_params p = quiet_params();
	p.hedge_mode = true;
	sim_t *s = book_at_100(&p);
	order_req l = market_req("l", SIDE_BUY, "1");
	l.pos_side = PS_LONG;
	order_req sh = market_req("sh", SIDE_SELL, "2");
	sh.pos_side = PS_SHORT;
	order_req cl = market_req("cl", SIDE_SELL, "5");
	cl.pos_side = PS_LONG;
	place_now(s, l, 1000);
	place_now(s, sh, 1000);
	cr_assert_eq(last_position(&R)->amount, -D("2"));
	cr_assert_eq(last_position(&R)->pos_side, PS_SHORT);
	place_now(s, cl, 1000); /* closing side: cut to the long's 1 */
	cr_assert_eq(filled_of(&R, "cl"), D("1"));
	cr_assert_eq(last_position(&R)->pos_side, PS_LONG);
	cr_assert_eq(last_position(&R)->amount, 0);
	struct exchange_account a;
	sim_account(s, &a);
	cr_assert_eq(a.open_positions, 1, "the short is untouched");
	order_req both = market_req("both", SIDE_BUY, "1");
	both.pos_side = PS_BOTH;
	order_req ro = market_req("ro", SIDE_SELL, "1");
	ro.pos_side = PS_SHORT;
	ro.reduce_only = true;
	place_now(s, both, 1001);
	place_now(s, ro, 1001);
	expect_reject(&R, "both", -4061);
	expect_reject(&R, "ro", -1106);
	sim_free(s);
}

Test(account, one_way_rejects_a_position_side)
{
	struct sim_params p = quiet_params();
	sim_t *s = book_at_100(&p);
	order_req l = market_req("l", SIDE_BUY, "1");
	l.pos_side = PS_LONG;
	place_now(s, l, 1000);
	expect_reject(&R, "l", -4061);
	sim_free(s);
}
