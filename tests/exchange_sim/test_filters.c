/* Every rejection at entry, with Aster's code: one order per rule, each
 * otherwise valid, against BTCUSDT's real filters with the mark at 100. */
#include "harness.h"

static struct rec R;

static sim_t *ready(struct sim_params *p)
{
	sim_t *s = new_sim(&R, p);
	ticker(s, 1000, "100.0", "50", "100.1", "50");
	trade(s, 1000, "100.0", "1", true);
	mark(s, 1000, "100.0", "0", 0);
	return s;
}

static void expect(sim_t *s, order_req o, int code)
{
	place(s, &R, &o, 1000);
	sim_advance(s, 1000);
	expect_reject(&R, o.client_id, code);
}

static order_req lim(const char *id, const char *price, const char *qty)
{
	return limit_req(id, SIDE_BUY, price, qty, TIF_GTC);
}

Test(filters, each_rule_has_its_code)
{
	struct sim_params p = quiet_params();
	sim_t *s = ready(&p);
	order_req o = lim("sym", "100.0", "1");
	copy_str(o.symbol, sizeof(o.symbol), "NOPEUSDT", 8);
	expect(s, o, -1121);
	expect(s, lim("qty0", "100.0", "0"), -4003);
	expect(s, lim("qtymin", "100.0", "0.0005"), -4004);
	expect(s, lim("qtymax", "100.0", "1001"), -4005);
	expect(s, market_req("mktmax", SIDE_BUY, "121"), -4005); /* MARKET_LOT_SIZE */
	expect(s, lim("step", "100.0", "1.0005"), -4023);
	expect(s, lim("tick", "100.05", "1"), -4014);
	expect(s, lim("pmin", "0.5", "100"), -4013);
	expect(s, limit_req("pmax", SIDE_SELL, "1000001", "0.01", TIF_GTC), -4002);
	expect(s, lim("up", "102.1", "1"), -4016);
	expect(s, limit_req("down", SIDE_SELL, "97.9", "1", TIF_GTC), -4024);
	expect(s, lim("notional", "100.0", "0.049"), -4164);
	expect(s, stop_req("stopnotional", OT_STOP_MARKET, SIDE_SELL, "90.0", "0.05", 0), -4164);
	expect(s, stop_req("now", OT_STOP_MARKET, SIDE_SELL, "100.0", "1", 0), -2021);
	order_req ro = lim("ro", "100.0", "1");
	ro.reduce_only = true;
	expect(s, ro, -2022);
	sim_set_leverage(s, "BTCUSDT", 1);
	expect(s, lim("margin", "100.0", "101"), -2019); /* 10 100 at 1x > 10 000 */
	order_req notif = lim("notif", "100.0", "1");
	notif.tif = 0;
	expect(s, notif, -1102);
	order_req nostop = stop_req("nostop", OT_STOP_MARKET, SIDE_SELL, "0", "1", 0);
	expect(s, nostop, -1102);
	order_req cp = stop_req("cpqty", OT_STOP_MARKET, SIDE_SELL, "90.0", "1", 0);
	cp.close_position = true;
	expect(s, cp, -4137);
	order_req trail = lim("trail", "100.0", "1");
	trail.type = OT_TRAILING_STOP_MARKET;
	expect(s, trail, -1102);
	expect(s, lim("bad id!", "100.0", "1"), -4015);
	expect(s, lim("0123456789012345678901234567890123456", "100.0", "1"), -4015);
	cr_assert_eq(R.n, 0, "nothing was accepted");
	sim_free(s);
}

Test(filters, messages_name_the_limit)
{
	struct sim_params p = quiet_params();
	sim_t *s = ready(&p);
	expect(s, lim("up", "102.1", "1"), -4016);
	cr_assert_str_eq(R.rej[0].msg, "Limit price can't be higher than 102.");
	expect(s, lim("notional", "100.0", "0.049"), -4164);
	cr_assert_str_eq(R.rej[1].msg,
	                 "Order's notional must be no smaller than 5 (unless you choose reduce only).");
	cr_assert_eq(R.rej[1].ms, 1000);
	sim_free(s);
}

Test(filters, reduce_only_is_exempt_from_min_notional)
{
	struct sim_params p = quiet_params();
	sim_t *s = ready(&p);
	order_req a = market_req("a", SIDE_BUY, "1");
	place(s, &R, &a, 1000);
	order_req r = limit_req("r", SIDE_SELL, "100.5", "0.001", TIF_GTC);
	r.reduce_only = true;
	place(s, &R, &r, 1000);
	sim_advance(s, 1000);
	cr_assert_eq(R.nrej, 0);
	cr_assert_eq(last_update(&R, "r")->status, OS_NEW);
	sim_free(s);
}

Test(filters, open_order_limits)
{
	struct sim_params p = quiet_params();
	sim_t *s = new_sim(&R, &p);
	struct symbol_rules r = btc_rules();
	r.max_orders = 3;
	r.max_algo_orders = 1;
	sim_set_rules(s, &r);
	ticker(s, 1000, "100.0", "50", "100.1", "50");
	trade(s, 1000, "100.0", "1", true);
	order_req a = lim("a", "99.0", "1"), b = lim("b", "98.0", "1");
	order_req st = stop_req("st", OT_STOP_MARKET, SIDE_SELL, "90.0", "1", 0);
	order_req st2 = stop_req("st2", OT_STOP_MARKET, SIDE_SELL, "89.0", "1", 0);
	order_req c = lim("c", "97.0", "1"), dup = lim("a", "96.0", "1");
	place(s, &R, &a, 1000);
	place(s, &R, &b, 1000);
	place(s, &R, &st, 1000);
	sim_advance(s, 1000);
	cr_assert_eq(R.nrej, 0);
	expect(s, st2, -2025); /* three open already */
	cancel(s, &R, "b", 1000);
	copy_str(st2.client_id, sizeof(st2.client_id), "st3", 3);
	expect(s, st2, -4045);
	expect(s, dup, -4116);
	place(s, &R, &c, 1000);
	sim_advance(s, 1000);
	cr_assert_eq(last_update(&R, "c")->status, OS_NEW, "room again after the cancel");
	sim_free(s);
}
