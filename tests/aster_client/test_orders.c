/*
 * test_orders.c - hunter's Aster client trading on `hunter serve`, V1 and
 * V3: an order placed is heard NEW exactly once although both its REST
 * answer and the user stream report it, a cancel is heard CANCELED once, a
 * fill arrives from the stream with the account update, and the set-up
 * calls (leverage, margin type, position mode, what is open) answer as the
 * exchange does.
 */
#include "client.h"

TEST_SCRATCH_SUITE(orders, dir, "hunter-aster-client");

static void start(struct served *s, const char *rec, const char *extra)
{
	char accounts[256], args[768];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s %s %s", accounts, extra, rec);
	serve_start(s, dir, args);
}

static bool heard_new(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_NEW) > 0 || r->heard.nrejects;
}

static bool heard_canceled(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_CANCELED) > 0 || r->heard.nrejects;
}

static void place_and_cancel(bool v3)
{
	struct served s;
	start(&s, client_market(dir, 60, -1), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, v3, &o);
	for (int i = 0; i < 100; i++)
		xa_client_warm(r.c); /* signs and sends nothing: orders_sent stays 1 below */
	order_req req = client_limit("h-1", SIDE_BUY, "49000");
	exchange_place(&r.x, &req, 0);
	cr_assert(client_until(&r, heard_new, 5000), "no NEW for h-1");
	cr_assert_eq(r.heard.nrejects, 0, "refused: %d", r.heard.reject_code[0]);
	client_idle(&r, 300); /* the stream's NEW as well as the answer's */
	cr_assert_eq(heard_count(&r.heard, "h-1", OS_NEW), 1, "NEW heard once");
	cr_assert_eq(r.heard.orders[0].price, DEC(49000));
	cr_assert_gt(r.heard.orders[0].order_id, 0);
	exchange_cancel(&r.x, "BTCUSDT", "h-1", 0);
	cr_assert(client_until(&r, heard_canceled, 5000), "no CANCELED for h-1");
	client_idle(&r, 300);
	cr_assert_eq(heard_count(&r.heard, "h-1", OS_CANCELED), 1, "CANCELED heard once");
	struct xa_client_stats st;
	xa_client_get_stats(r.c, &st);
	cr_assert_eq(st.orders_sent, 1);
	cr_assert_geq(st.repeats, 2, "the stream repeated the answers: %llu",
	              (unsigned long long)st.repeats);
	cr_assert_eq(st.unknown, 0);
	client_stop(&r);
	serve_stop(&s);
}

Test(orders, v1_place_and_cancel, .timeout = 60)
{
	place_and_cancel(false);
}

Test(orders, v3_place_and_cancel, .timeout = 60)
{
	place_and_cancel(true);
}

static bool heard_fill(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_FILLED) > 0 || r->heard.nrejects;
}

static bool heard_account(const struct client_run *r)
{
	return r->heard.naccount > 0;
}

Test(orders, fill_from_the_stream, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 30, 3), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, false, &o);
	order_req req = client_limit("h-1", SIDE_BUY, "49995");
	exchange_place(&r.x, &req, 0);
	cr_assert(client_until(&r, heard_fill, 15000), "no fill for h-1");
	cr_assert(client_until(&r, heard_account, 2000), "no ACCOUNT_UPDATE after the fill");
	const struct ev_order *f = &r.heard.orders[r.heard.norders - 1];
	cr_assert_eq(f->exec, EXEC_TRADE);
	cr_assert_eq(f->filled_qty, DEC(1) / 100);
	cr_assert_eq(f->last_price, DEC(49995));
	struct exchange_account acct;
	exchange_account(&r.x, &acct);
	cr_assert_eq(acct.open_positions, 1);
	struct exchange_open open;
	exchange_open_state(&r.x, &open);
	cr_assert_eq(open.npositions, 1);
	cr_assert_eq(open.positions[0].amount, DEC(1) / 100);
	cr_assert_eq(open.norders, 0);
	client_stop(&r);
	serve_stop(&s);
}

Test(orders, setup_calls, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 60, -1), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, true, &o);
	struct symbol_setup su = {.symbol = "BTCUSDT", .leverage = 7,
	                          .margin_type = MARGIN_ISOLATED};
	cr_assert_eq(exchange_setup_symbol(&r.x, &su), 0);
	cr_assert_eq(exchange_setup_symbol(&r.x, &su), 0, "the same again is no error");
	cr_assert_eq(exchange_set_position_mode(&r.x, true), 0);
	cr_assert_eq(exchange_set_position_mode(&r.x, true), 0, "unchanged: not sent");
	cr_assert_eq(exchange_set_position_mode(&r.x, false), 0);
	struct symbol_setup bad = {.symbol = "BTCUSDT", .leverage = 500,
	                           .margin_type = MARGIN_CROSSED};
	cr_assert_lt(exchange_setup_symbol(&r.x, &bad), 0, "leverage 500 is refused");
	order_req req = client_limit("h-1", SIDE_BUY, "49000");
	exchange_place(&r.x, &req, 0);
	cr_assert(client_until(&r, heard_new, 5000));
	struct exchange_open open;
	exchange_open_state(&r.x, &open);
	cr_assert_eq(open.norders, 1);
	cr_assert_str_eq(open.orders[0].u.order.client_id, "h-1");
	cr_assert_eq(open.npositions, 0);
	client_stop(&r);
	serve_stop(&s);
}

static bool heard_refusal(const struct client_run *r)
{
	return r->heard.nrejects > 0;
}

Test(orders, refusal_reaches_the_session, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 60, -1), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, false, &o);
	order_req req = client_limit("h-1", SIDE_BUY, "49000.05"); /* off the 0.1 tick */
	exchange_place(&r.x, &req, 0);
	cr_assert(client_until(&r, heard_refusal, 5000));
	cr_assert_str_eq(r.heard.reject_id[0], "h-1");
	cr_assert_lt(r.heard.reject_code[0], 0);
	cr_assert_eq(r.heard.norders, 0);
	exchange_cancel(&r.x, "BTCUSDT", "never-placed", 0);
	cr_assert(client_until(&r, heard_refusal, 5000));
	client_idle(&r, 200);
	cr_assert_eq(r.heard.nrejects, 2);
	cr_assert_eq(r.heard.reject_code[1], -2011);
	client_stop(&r);
	serve_stop(&s);
}

static bool batch_heard(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_NEW) && heard_count(&r->heard, "h-2", OS_NEW) &&
	       r->heard.nrejects;
}

/* Three orders in one request, one off the tick: two placed, that one
 * refused on its own. */
Test(orders, batch_answers_each_order, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 60, -1), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, true, &o);
	order_req v[3] = {client_limit("h-1", SIDE_BUY, "49000"), client_limit("h-2", SIDE_BUY, "49001"),
	                  client_limit("h-3", SIDE_BUY, "49000.05")};
	struct xa_client_stats before;
	xa_client_get_stats(r.c, &before);
	xa_client_place_batch(r.c, v, 3);
	cr_assert(client_until(&r, batch_heard, 5000), "the batch was not answered order by order");
	client_idle(&r, 300);
	cr_assert_eq(r.heard.nrejects, 1);
	cr_assert_str_eq(r.heard.reject_id[0], "h-3");
	cr_assert_eq(heard_count(&r.heard, "h-1", OS_NEW), 1);
	cr_assert_eq(heard_count(&r.heard, "h-2", OS_NEW), 1);
	struct xa_client_stats after;
	xa_client_get_stats(r.c, &after);
	cr_assert_eq(after.calls - before.calls, 1, "one request for the three");
	client_stop(&r);
	serve_stop(&s);
}

static bool two_new(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_NEW) && heard_count(&r->heard, "h-2", OS_NEW);
}

static bool two_canceled(const struct client_run *r)
{
	return heard_count(&r->heard, "h-1", OS_CANCELED) && heard_count(&r->heard, "h-2", OS_CANCELED);
}

Test(orders, cancel_all_and_multi_assets, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 60, -1), "--speed 1");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, false, &o);
	order_req a = client_limit("h-1", SIDE_BUY, "49000"), b = client_limit("h-2", SIDE_BUY, "49001");
	exchange_place(&r.x, &a, 0);
	exchange_place(&r.x, &b, 0);
	cr_assert(client_until(&r, two_new, 5000));
	xa_client_cancel_all(r.c, "BTCUSDT");
	cr_assert(client_until(&r, two_canceled, 5000), "cancel-all left an order open");
	struct exchange_open open;
	exchange_open_state(&r.x, &open);
	cr_assert_eq(open.norders, 0);
	cr_assert_eq(xa_client_set_multi_assets(r.c, true), 0);
	cr_assert_eq(xa_client_set_multi_assets(r.c, true), 0, "unchanged: not sent again");
	struct http_answer h;
	v1_call(s.port, "GET", "/fapi/v1/multiAssetsMargin", "", V1_KEY, V1_SECRET, wall_ms(), &h);
	cr_assert(strstr(h.body, "\"multiAssetsMargin\":true"), "%s", h.body);
	free(h.body);
	client_stop(&r);
	serve_stop(&s);
}
