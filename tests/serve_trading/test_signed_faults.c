/*
 * test_signed_faults.c - the faults of signed calls: --signed-fail-rate
 * answers 503 -1001 and --signed-429-rate 429 with Retry-After: 1, both
 * without placing the order (a later query finds none), while the public
 * endpoints are untouched; --signed-late-rate places the order at once
 * but answers after --signed-late-ms, so a client that gave up finds the
 * order there; --user-stream-drop-after closes a user data stream after N
 * events.
 */
#include "serve_e2e/ws_client.h"
#include "signed.h"

TEST_SCRATCH_SUITE(signed_faults, dir, "hunter-serve-signed-faults");

#define CALLS 8

static void start(struct served *s, const char *opts)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s %s " LIQ, accounts, opts);
	serve_start(s, dir, args);
}

static void order_params(char *out, size_t cap, int i)
{
	snprintf(out, cap, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01"
	         "&price=50000&newClientOrderId=f%d", i);
}

/* A signed call that does not stop at the faults: after a 429 it waits
 * the Retry-After, as a client should, and calls again. Never a 418. */
static void until_answered(int port, const char *method, const char *path, const char *params,
                           struct http_answer *a)
{
	for (;;) {
		signed_as(port, AS_V1, false, method, path, params, a);
		cr_assert_neq(a->status, 418, "a call inside Retry-After: %s", a->body);
		if (a->status != 503 && a->status != 429)
			return;
		if (a->status == 429)
			usleep((useconds_t)header_num(a, "retry-after") * 1000000 + 50000);
		free(a->body);
	}
}

/* CALLS orders, then each looked up: the ones answered `status` are not
 * there (-2013), the others are. */
static void refused_orders_are_not_placed(int port, int status, int code)
{
	bool refused[CALLS];
	int nrefused = 0;
	char params[256];
	struct http_answer a;
	for (int i = 0; i < CALLS; i++) {
		order_params(params, sizeof params, i);
		signed_as(port, AS_V1, false, "POST", "/fapi/v1/order", params, &a);
		refused[i] = a.status == status;
		nrefused += refused[i];
		if (refused[i]) {
			if (status == 429)
				cr_assert_eq(header_num(&a, "retry-after"), 1, "%s", a.headers);
			expect_error(&a, status, code);
			usleep(status == 429 ? 1050000 : 0);
		} else {
			cr_assert_eq(a.status, 200, "%s", a.body);
			free(a.body);
		}
	}
	cr_assert(nrefused > 0 && nrefused < CALLS, "%d of %d refused", nrefused, CALLS);
	for (int i = 0; i < CALLS; i++) {
		snprintf(params, sizeof params, "symbol=BTCUSDT&origClientOrderId=f%d", i);
		until_answered(port, "GET", "/fapi/v1/order", params, &a);
		cr_assert_eq(a.status, refused[i] ? 400 : 200, "f%d: %s", i, a.body);
		free(a.body);
	}
}

Test(signed_faults, fail_rate_answers_503_without_placing, .timeout = 60)
{
	struct served s;
	start(&s, "--signed-fail-rate 0.5 --fault-seed 3");
	refused_orders_are_not_placed(s.port, 503, -1001);
	for (int i = 0; i < 5; i++) { /* public calls are not signed ones */
		struct http_answer a;
		http_get(s.port, "/fapi/v1/time", &a);
		cr_assert_eq(a.status, 200);
		free(a.body);
	}
	cr_assert_eq(serve_stop(&s), 130);
}

Test(signed_faults, rate_429_answers_retry_after_without_placing, .timeout = 60)
{
	struct served s;
	start(&s, "--signed-429-rate 0.5 --fault-seed 3");
	refused_orders_are_not_placed(s.port, 429, -1003);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(signed_faults, late_answer_after_the_client_gave_up, .timeout = 30)
{
	struct served s;
	start(&s, "--signed-late-rate 1 --signed-late-ms 1500");
	char params[256], header[128];
	order_params(params, sizeof params, 1);
	char *signed_params = v1_signed(V1_SECRET, params, wall_ms());
	snprintf(header, sizeof header, "X-MBX-APIKEY: %s\r\n", V1_KEY);
	struct http_answer a;
	int64_t t0 = test_now_ms();
	cr_assert_not(http_call_within(s.port, "POST", "/fapi/v1/order", header, signed_params, 500,
	                               &a), "answered within 500 ms: %s", a.body);
	free(signed_params);
	signed_as(s.port, AS_V1, false, "GET", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=f1",
	          &a);
	cr_assert_geq(test_now_ms() - t0, 500 + 1500, "the query was not late");
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(json_str(j, "status"), "NEW"); /* placed, though its answer came late */
	cJSON_Delete(j);
	free(a.body);
	http_get(s.port, "/fapi/v1/time", &a); /* public calls are on time */
	cr_assert_eq(a.status, 200);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(signed_faults, user_stream_dropped_after_n_events, .timeout = 30)
{
	struct served s;
	start(&s, "--user-stream-drop-after 2");
	struct http_answer a;
	http_call(s.port, "POST", "/fapi/v1/listenKey", "X-MBX-APIKEY: " V1_KEY "\r\n", NULL, &a);
	cJSON *j = answer_json(&a);
	char path[128];
	snprintf(path, sizeof path, "/ws/%s", json_str(j, "listenKey"));
	cJSON_Delete(j);
	free(a.body);
	struct wsc w;
	cr_assert(wsc_open(&w, s.port, path), "user stream refused");
	char params[256];
	for (int i = 0; i < 3; i++) { /* a NEW update each */
		order_params(params, sizeof params, i);
		signed_as(s.port, AS_V1, false, "POST", "/fapi/v1/order", params, &a);
		cr_assert_eq(a.status, 200, "%s", a.body);
		free(a.body);
	}
	cr_assert(wsc_wait_closed(&w, 5000), "still open after %zu events", w.n);
	cr_assert_eq(w.n, 2, "%zu events", w.n);
	wsc_free(&w);
	cr_assert_not_null(strstr(serve_stderr(&s), "--user-stream-drop-after"), "%s",
	                  serve_stderr(&s));
	cr_assert_eq(serve_stop(&s), 130);
}
