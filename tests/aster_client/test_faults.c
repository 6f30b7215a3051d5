/*
 * test_faults.c - hunter's Aster client when `hunter serve` misbehaves as
 * the real exchange can: answers that come after the client gave up on an
 * order the exchange had accepted, 503s for calls never carried out, 429
 * storms, an order budget smaller than the orders to send, a user stream
 * that drops, a listenKey that expires. After each: every order exists
 * once on the exchange and was heard once, and the client was never banned
 * for sending inside a Retry-After (the server answers that with 418).
 */
#include "client.h"

TEST_SCRATCH_SUITE(faults, dir, "hunter-aster-faults");

#define ORDERS 10

static void start(struct served *s, const char *rec, const char *extra)
{
	char accounts[256], args[768];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s --speed 1 %s %s", accounts, extra, rec);
	serve_start(s, dir, args);
}

static int norders = ORDERS;

static bool all_new(const struct client_run *r)
{
	int n = 0;
	char cid[16];
	for (int i = 1; i <= norders; i++) {
		snprintf(cid, sizeof cid, "h-%d", i);
		n += heard_count(&r->heard, cid, OS_NEW) > 0;
	}
	return n == norders || r->heard.nrejects;
}

/* Places h-1..h-n, resting far below the market, and waits for them all. */
static void place_all(struct client_run *r, int n, int ms)
{
	norders = n;
	char cid[16], price[16];
	for (int i = 1; i <= n; i++) {
		snprintf(cid, sizeof cid, "h-%d", i);
		snprintf(price, sizeof price, "%d", 40000 + i);
		order_req o = client_limit(cid, SIDE_BUY, price);
		exchange_place(&r->x, &o, 0);
	}
	cr_assert(client_until(r, all_new, ms), "not every order was heard NEW");
	cr_assert_eq(r->heard.nrejects, 0, "%s refused: %d", r->heard.reject_id[0],
	             r->heard.reject_code[0]);
	client_idle(r, 500);
	for (int i = 1; i <= n; i++) {
		snprintf(cid, sizeof cid, "h-%d", i);
		cr_assert_eq(heard_count(&r->heard, cid, OS_NEW), 1, "%s heard NEW more than once", cid);
	}
}

/* The open orders of the V1 account, as the server lists them (asked
 * again while the server's own faults refuse the question). */
static int open_on_server(int port)
{
	struct http_answer a;
	for (int try = 0;; try++) {
		v1_call(port, "GET", "/fapi/v1/openOrders", "symbol=BTCUSDT", V1_KEY, V1_SECRET,
		        wall_ms(), &a);
		if (a.status < 500 || try == 30)
			break;
		free(a.body);
	}
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	int n = cJSON_GetArraySize(j);
	cJSON_Delete(j);
	free(a.body);
	return n;
}

static struct xa_client_stats stats_of(const struct client_run *r)
{
	struct xa_client_stats st;
	xa_client_get_stats(r->c, &st);
	return st;
}

/* Half the signed calls are carried out but answered after the client's
 * timeout: the client looks each order up and finds it, never sending it
 * again. */
Test(faults, timeout_after_accept, .timeout = 120)
{
	struct served s;
	start(&s, client_market(dir, 120, -1),
	      "--signed-late-rate 0.5 --signed-late-ms 1500 --fault-seed 7");
	struct client_run r;
	struct xa_client_opts o = {.timeout_ms = 600, .recv_window_ms = 1000};
	client_start(&r, s.port, false, &o);
	place_all(&r, ORDERS, 60000);
	client_idle(&r, 4000); /* the stream heard them: now the late answers and lookups */
	struct xa_client_stats st = stats_of(&r);
	cr_assert_gt(st.unknown, 0, "no answer came late");
	cr_assert_gt(st.found, 0, "no late order was found by its client id");
	cr_assert_eq(st.resends, 0, "an accepted order was sent again");
	cr_assert_eq(st.orders_sent, ORDERS);
	cr_assert_eq(open_on_server(s.port), ORDERS);
	client_stop(&r);
	serve_stop(&s);
}

static bool position_settled(const struct client_run *r)
{
	return heard_count(&r->heard, "m-1", OS_FILLED) + heard_count(&r->heard, "m-2", OS_FILLED) +
	               heard_count(&r->heard, "m-3", OS_FILLED) == 3 ||
	       r->heard.nrejects;
}

/* MARKET orders fill at once, so the exchange's duplicate client id check
 * (open orders only) cannot catch a second placement: the position shows
 * whether any went twice. */
Test(faults, market_orders_never_twice, .timeout = 120)
{
	struct served s;
	start(&s, client_market(dir, 120, -1),
	      "--signed-late-rate 0.5 --signed-late-ms 1500 --fault-seed 11");
	struct client_run r;
	struct xa_client_opts o = {.timeout_ms = 600, .recv_window_ms = 1000};
	client_start(&r, s.port, false, &o);
	for (int i = 1; i <= 3; i++) {
		order_req m = {.symbol = "BTCUSDT", .side = SIDE_BUY, .pos_side = PS_BOTH,
		               .type = OT_MARKET, .qty = DEC(1) / 100};
		snprintf(m.client_id, sizeof m.client_id, "m-%d", i);
		exchange_place(&r.x, &m, 0);
	}
	cr_assert(client_until(&r, position_settled, 60000), "the market orders did not all fill");
	cr_assert_eq(r.heard.nrejects, 0);
	client_idle(&r, 1500); /* late answers of the last lookups */
	struct exchange_open open;
	exchange_open_state(&r.x, &open);
	cr_assert_eq(open.npositions, 1);
	cr_assert_eq(open.positions[0].amount, 3 * DEC(1) / 100, "position %lld: an order went twice",
	             (long long)open.positions[0].amount);
	cr_assert_gt(stats_of(&r).unknown, 0);
	client_stop(&r);
	serve_stop(&s);
}

/* 503s for calls never carried out: the order is looked up, absent; once
 * its request can no longer be accepted it is sent again, once. */
Test(faults, unknown_outcome_resent_once, .timeout = 120)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--signed-fail-rate 0.3 --fault-seed 5");
	struct client_run r;
	struct xa_client_opts o = {.recv_window_ms = 1000};
	client_start(&r, s.port, false, &o);
	place_all(&r, ORDERS, 90000);
	struct xa_client_stats st = stats_of(&r);
	cr_assert_gt(st.resends, 0, "no order needed sending again");
	cr_assert_eq(open_on_server(s.port), ORDERS);
	client_stop(&r);
	serve_stop(&s);
}

/* A storm of 429s: each call refused is sent again after its Retry-After,
 * and none inside it (that would be answered 418). */
Test(faults, storm_of_429, .timeout = 120)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--signed-429-rate 0.4 --fault-seed 3");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, true, &o);
	struct xa_client_stats st0 = stats_of(&r);
	int64_t t0 = test_now_ms();
	place_all(&r, ORDERS, 90000);
	struct xa_client_stats st = stats_of(&r);
	uint64_t throttled = st.throttled - st0.throttled;
	cr_assert_gt(throttled, 0, "no 429 came");
	cr_assert_eq(st.banned, 0, "a request went inside a Retry-After");
	cr_assert_geq(test_now_ms() - t0, 1000, "the client did not wait for the Retry-After");
	cr_assert_eq(st.orders_sent - st0.orders_sent, ORDERS + throttled,
	             "only the refused orders went again");
	client_stop(&r);
	serve_stop(&s);
}

/* An order budget of 4 per 10 s: the fifth order waits for the next
 * window instead of being sent over the limit. */
Test(faults, waits_for_the_order_budget, .timeout = 120)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--order-limit-10s 4");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, false, &o);
	place_all(&r, 6, 30000);
	struct xa_client_stats st = stats_of(&r);
	cr_assert_eq(st.throttled, 0, "an order went over the budget");
	cr_assert_gt(st.held_ms, 0, "no order waited");
	cr_assert_eq(st.orders_sent, 6);
	client_stop(&r);
	serve_stop(&s);
}

/* Both connections dropped (after h-1, h-2 NEW, then after their
 * cancels), and the third one up. */
static bool dropped_twice_and_back(const struct client_run *r)
{
	struct xa_client_stats st = stats_of(r);
	return st.stream_drops >= 2 && st.stream_up;
}

static uint64_t before_h3;

static bool heard_more(const struct client_run *r)
{
	return stats_of(r).stream_events > before_h3;
}

/* The user stream drops after every 2 events; the client comes back on it
 * and keeps hearing the account's orders. */
Test(faults, user_stream_dropped, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--user-stream-drop-after 2");
	struct client_run r;
	struct xa_client_opts o = {0};
	client_start(&r, s.port, false, &o);
	place_all(&r, 2, 10000);
	exchange_cancel(&r.x, "BTCUSDT", "h-1", 0);
	exchange_cancel(&r.x, "BTCUSDT", "h-2", 0);
	/* updates sent while the stream is down come by catch-up, not on the
	 * stream: more orders until the stream has carried two pairs */
	for (int k = 0; k < 5 && !client_until(&r, dropped_twice_and_back, 4000); k++) {
		char cid[16];
		snprintf(cid, sizeof cid, "h-x%d", k);
		order_req more = client_limit(cid, SIDE_BUY, "40010");
		exchange_place(&r.x, &more, 0);
	}
	cr_assert(dropped_twice_and_back(&r), "the stream was not dropped twice and rejoined");
	before_h3 = stats_of(&r).stream_events;
	order_req o3 = client_limit("h-3", SIDE_BUY, "40003");
	exchange_place(&r.x, &o3, 0);
	cr_assert(client_until(&r, heard_more, 10000), "nothing heard on the stream after it came back");
	cr_assert_gt(stats_of(&r).resyncs, 0, "no catch-up after the drops");
	client_stop(&r);
	serve_stop(&s);
}

static bool renewed(const struct client_run *r)
{
	return stats_of(r).stream_renewals > 0;
}

/* A listenKey left without keepalive expires; the client gets a new one
 * and its stream moves there. */
Test(faults, listen_key_expired, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--listen-key-ttl 2s");
	struct client_run r;
	struct xa_client_opts o = {.keepalive_ms = 3600000};
	client_start(&r, s.port, true, &o);
	cr_assert(client_until(&r, renewed, 10000), "no new listenKey after expiry");
	client_idle(&r, 500);
	uint64_t before = stats_of(&r).stream_events;
	order_req o1 = client_limit("h-1", SIDE_BUY, "40001");
	exchange_place(&r.x, &o1, 0);
	client_idle(&r, 1000);
	cr_assert_gt(stats_of(&r).stream_events, before, "the new key's stream is silent");
	client_stop(&r);
	serve_stop(&s);
}

/* Kept alive in time, the key never expires. */
Test(faults, listen_key_kept_alive, .timeout = 60)
{
	struct served s;
	start(&s, client_market(dir, 120, -1), "--listen-key-ttl 2s");
	struct client_run r;
	struct xa_client_opts o = {.keepalive_ms = 700};
	client_start(&r, s.port, false, &o);
	client_idle(&r, 4000);
	cr_assert_eq(stats_of(&r).stream_renewals, 0);
	cr_assert_eq(stats_of(&r).stream_drops, 0);
	client_stop(&r);
	serve_stop(&s);
}
