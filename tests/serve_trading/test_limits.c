/*
 * test_limits.c - `hunter serve` counts and enforces Aster's rate limits:
 * each call adds its endpoint's weight to X-MBX-USED-WEIGHT-1M, order
 * calls carry X-MBX-ORDER-COUNT-10S and -1M, exchangeInfo states the
 * limits set by --weight-limit, --order-limit-1m and --order-limit-10s;
 * a call over a limit gets 429 with Retry-After (to the end of its
 * window), and any call inside that Retry-After gets 418, so a client
 * that never sees a 418 never sent over its budget. A fault's 429 opens
 * the same window.
 */
#include "signed.h"

TEST_SCRATCH_SUITE(limits, dir, "hunter-serve-limits");

static void start(struct served *s, const char *opts)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s %s " LIQ, accounts, opts);
	serve_start(s, dir, args);
}

/* Waits, if need be, for a window of `len_ms` with `need_ms` left in it,
 * so that a test's calls all fall in one window. */
static void fresh_window(int64_t len_ms, int64_t need_ms)
{
	int64_t left = len_ms - wall_ms() % len_ms;
	if (left < need_ms)
		usleep((useconds_t)(left + 20) * 1000);
}

static void weight_after(int port, const char *path, long long want)
{
	struct http_answer a;
	http_get(port, path, &a);
	cr_assert_eq(a.status, 200, "%s: %s", path, a.body);
	cr_assert_eq(header_num(&a, "x-mbx-used-weight-1m"), want, "%s: %s", path, a.headers);
	cr_assert_eq(header_num(&a, "x-mbx-order-count-10s"), -1, "%s", a.headers);
	free(a.body);
}

Test(limits, weights_and_order_counts, .timeout = 30)
{
	struct served s;
	start(&s, "");
	fresh_window(60000, 12000); /* the 10 s window below may wait 3 s */
	weight_after(s.port, "/fapi/v1/time", 1);
	weight_after(s.port, "/fapi/v1/depth?symbol=BTCUSDT&limit=1000", 21);
	weight_after(s.port, "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=100", 23);
	struct http_answer a;
	signed_as(s.port, AS_V1, false, "GET", "/fapi/v2/balance", "", &a);
	cr_assert_eq(header_num(&a, "x-mbx-used-weight-1m"), 28, "%s", a.headers);
	free(a.body);
	signed_as(s.port, AS_V1, false, "GET", "/fapi/v1/openOrders", "", &a); /* 40: no symbol */
	cr_assert_eq(header_num(&a, "x-mbx-used-weight-1m"), 68, "%s", a.headers);
	free(a.body);
	fresh_window(10000, 3000);
	signed_as(s.port, AS_V1, false, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY"
	          "&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_assert_eq(header_num(&a, "x-mbx-used-weight-1m"), 69, "%s", a.headers);
	cr_assert_eq(header_num(&a, "x-mbx-order-count-10s"), 1, "%s", a.headers);
	cr_assert_eq(header_num(&a, "x-mbx-order-count-1m"), 1, "%s", a.headers);
	free(a.body);
	/* the V3 account counts its own orders; the weight is the IP's */
	signed_as(s.port, AS_V3, false, "POST", "/fapi/v3/batchOrders", "batchOrders=[{\"symbol\":"
	          "\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\","
	          "\"quantity\":\"0.01\",\"price\":\"50000\"},{\"symbol\":\"BTCUSDT\"}]", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_assert_eq(header_num(&a, "x-mbx-used-weight-1m"), 74, "%s", a.headers);
	cr_assert_eq(header_num(&a, "x-mbx-order-count-10s"), 2, "%s", a.headers);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

static long long limit_of(const cJSON *limits, const char *type, const char *interval)
{
	for (const cJSON *l = limits ? limits->child : NULL; l; l = l->next)
		if (!strcmp(json_str(l, "rateLimitType"), type) &&
		    !strcmp(json_str(l, "interval"), interval))
			return (long long)cJSON_GetObjectItem(l, "limit")->valuedouble;
	return -1;
}

static void info_states(int port, long long weight, long long orders_1m, long long orders_10s)
{
	struct http_answer a;
	http_get(port, "/fapi/v1/exchangeInfo", &a);
	cJSON *j = answer_json(&a);
	const cJSON *l = cJSON_GetObjectItem(j, "rateLimits");
	cr_assert_eq(limit_of(l, "REQUEST_WEIGHT", "MINUTE"), weight, "%s", a.body);
	cr_assert_eq(limit_of(l, "ORDERS", "MINUTE"), orders_1m);
	cr_assert_eq(limit_of(l, "ORDERS", "SECOND"), orders_10s);
	cJSON_Delete(j);
	free(a.body);
}

Test(limits, exchange_info_states_the_limits, .timeout = 30)
{
	struct served s;
	start(&s, "");
	info_states(s.port, 2400, 1200, 300);
	cr_assert_eq(serve_stop(&s), 130);
	start(&s, "--weight-limit 50 --order-limit-1m 7 --order-limit-10s 3");
	info_states(s.port, 50, 7, 3);
	cr_assert_eq(serve_stop(&s), 130);
}

/* A 418 with its Retry-After, for a call inside the announced one and
 * sent after the 429 arrived (one sent just before it gets the 429 again:
 * it was on its way). */
static void banned(int port, int most_s)
{
	struct http_answer a;
	http_get(port, "/fapi/v1/time", &a);
	cr_assert_eq(a.status, 429, "a call on its way with the 429: %s", a.body);
	free(a.body);
	usleep(300000);
	http_get(port, "/fapi/v1/time", &a);
	cr_assert_eq(a.status, 418, "%s", a.body);
	cr_assert_not_null(strstr(a.body, "IP banned until"), "%s", a.body);
	long long after = header_num(&a, "retry-after");
	cr_assert(after >= 1 && after <= most_s, "%s", a.headers);
	expect_error(&a, 418, -1003);
}

Test(limits, over_the_weight_429_then_418, .timeout = 30)
{
	struct served s;
	start(&s, "--weight-limit 10");
	fresh_window(60000, 5000);
	struct http_answer a;
	for (int i = 0; i < 2; i++) {
		signed_as(s.port, AS_V1, false, "GET", "/fapi/v2/balance", "", &a); /* 5 each */
		cr_assert_eq(a.status, 200, "%s", a.body);
		free(a.body);
	}
	signed_as(s.port, AS_V1, false, "GET", "/fapi/v2/balance", "", &a);
	long long after = header_num(&a, "retry-after");
	int64_t to_minute = 60000 - wall_ms() % 60000;
	cr_assert(after >= to_minute / 1000 && after <= to_minute / 1000 + 1,
	          "Retry-After %lld, %lld ms to the minute", after, (long long)to_minute);
	expect_error(&a, 429, -1003);
	banned(s.port, 60);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(limits, over_the_order_count_429_then_418, .timeout = 30)
{
	struct served s;
	start(&s, "--order-limit-10s 2");
	fresh_window(10000, 4000);
	struct http_answer a;
	for (int i = 0; i < 3; i++) {
		signed_as(s.port, AS_V1, false, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY"
		          "&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000", &a);
		if (i < 2) {
			cr_assert_eq(a.status, 200, "order %d: %s", i, a.body);
			free(a.body);
		}
	}
	cr_assert(header_num(&a, "retry-after") >= 1 && header_num(&a, "retry-after") <= 10,
	          "%s", a.headers);
	cr_assert_not_null(strstr(a.body, "per 10s"), "%s", a.body);
	expect_error(&a, 429, -1015);
	banned(s.port, 10);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(limits, fault_429_opens_the_window, .timeout = 30)
{
	struct served s;
	start(&s, "--rest-429-rate 1");
	struct http_answer a;
	http_get(s.port, "/fapi/v1/ping", &a);
	cr_assert_eq(header_num(&a, "retry-after"), 1, "%s", a.headers);
	expect_error(&a, 429, -1003);
	banned(s.port, 1);
	usleep(1100000); /* honoured: a 429 again, not a ban */
	http_get(s.port, "/fapi/v1/ping", &a);
	expect_error(&a, 429, -1003);
	cr_assert_eq(serve_stop(&s), 130);
}
