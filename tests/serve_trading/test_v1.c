/*
 * test_v1.c - V1 (HMAC) trading against the real `hunter serve`: a signed
 * order is accepted, listed among the open orders, queried and cancelled;
 * a bad signature, a stale timestamp (for the default or a given
 * recvWindow), an unknown key, a malformed order and a second cancel get
 * Aster's errors; leverage, margin type and position mode are set, and
 * setting them again as they are is refused; a bad accounts file stops
 * the server without printing its secrets.
 */
#include "signed.h"

TEST_SCRATCH_SUITE(v1, dir, "hunter-serve-v1");

#define ORDER "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000" \
              "&newClientOrderId=t1"

static void start(struct served *s)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s " LIQ, accounts);
	serve_start(s, dir, args);
}

static void call(struct served *s, const char *method, const char *path, const char *params,
                 struct http_answer *a)
{
	v1_call(s->port, method, path, params, V1_KEY, V1_SECRET, wall_ms(), a);
}

/* Order t1 through `method` /fapi/v1/order answers 200 with `status`. */
static void expect_order_status(struct served *s, const char *method, const char *status)
{
	struct http_answer a;
	call(s, method, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=t1", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(json_str(j, "status"), status, "%s %s", method, a.body);
	cJSON_Delete(j);
	free(a.body);
}

Test(v1, order_lifecycle, .timeout = 30)
{
	struct served s;
	start(&s);
	struct http_answer a;
	call(&s, "POST", "/fapi/v1/order", ORDER, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(json_str(j, "status"), "NEW");
	cr_assert_str_eq(json_str(j, "clientOrderId"), "t1");
	cr_assert_str_eq(json_str(j, "price"), "50000");
	cr_assert_str_eq(json_str(j, "origQty"), "0.01");
	cr_assert(cJSON_GetObjectItem(j, "orderId")->valuedouble > 0);
	cJSON_Delete(j);
	free(a.body);

	call(&s, "GET", "/fapi/v1/openOrders", "symbol=BTCUSDT", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	j = answer_json(&a);
	cr_assert_eq(cJSON_GetArraySize(j), 1, "%s", a.body);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "clientOrderId"), "t1");
	cJSON_Delete(j);
	free(a.body);

	expect_order_status(&s, "DELETE", "CANCELED");
	expect_order_status(&s, "GET", "CANCELED");

	call(&s, "GET", "/fapi/v1/openOrders", "", &a);
	cr_assert_str_eq(a.body, "[]");
	free(a.body);

	call(&s, "DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=t1", &a);
	expect_error(&a, 400, -2011);
	call(&s, "DELETE", "/fapi/v1/order", "symbol=BTCUSDT&orderId=12345", &a);
	expect_error(&a, 400, -2011);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v1, balance_is_the_accounts_file, .timeout = 30)
{
	struct served s;
	start(&s);
	struct http_answer a;
	call(&s, "GET", "/fapi/v2/balance", "", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "balance"), "5000");
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "asset"), "USDT");
	cJSON_Delete(j);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v1, refusals, .timeout = 30)
{
	struct served s;
	start(&s);
	struct http_answer a;
	/* a window wider than the default admits an older timestamp, up to 60 s */
	v1_call(s.port, "GET", "/fapi/v1/openOrders", "recvWindow=20000", V1_KEY, V1_SECRET,
	        wall_ms() - 10000, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	free(a.body);
	v1_call(s.port, "GET", "/fapi/v1/openOrders", "recvWindow=70000", V1_KEY, V1_SECRET,
	        wall_ms(), &a);
	expect_error(&a, 400, -1102);
	v1_call(s.port, "POST", "/fapi/v1/order", ORDER, V1_KEY, "another-secret", wall_ms(), &a);
	expect_error(&a, 400, -1022);
	v1_call(s.port, "POST", "/fapi/v1/order", ORDER, V1_KEY, V1_SECRET, wall_ms() - 10000, &a);
	expect_error(&a, 400, -1021);
	v1_call(s.port, "POST", "/fapi/v1/order", ORDER, V1_KEY, V1_SECRET, wall_ms() + 5000, &a);
	expect_error(&a, 400, -1021);
	v1_call(s.port, "POST", "/fapi/v1/order", ORDER, "no-such-key", V1_SECRET, wall_ms(), &a);
	expect_error(&a, 401, -2015);
	call(&s, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=UP&type=LIMIT&quantity=1", &a);
	expect_error(&a, 400, -1117);
	call(&s, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT", &a);
	expect_error(&a, 400, -1102);
	call(&s, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
	     "&quantity=0.01&price=50000&colour=red", &a);
	expect_error(&a, 400, -1104);
	/* unsigned: the signature is missing */
	http_call(s.port, "POST", "/fapi/v1/order", NULL, ORDER, &a);
	expect_error(&a, 400, -1102);
	/* the public endpoints need no signature, as before */
	http_get(s.port, "/fapi/v1/time", &a);
	cr_assert_eq(a.status, 200);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}

static void expect_body(struct served *s, const char *method, const char *path,
                        const char *params, const char *want)
{
	struct http_answer a;
	call(s, method, path, params, &a);
	cr_assert_eq(a.status, 200, "%s %s: %s", method, path, a.body);
	cr_assert_str_eq(a.body, want);
	free(a.body);
}

Test(v1, account_settings, .timeout = 30)
{
	struct served s;
	start(&s);
	struct http_answer a;
	expect_body(&s, "POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=5",
	            "{\"leverage\":5,\"maxNotionalValue\":\"1000000\",\"symbol\":\"BTCUSDT\"}");
	call(&s, "POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=500", &a);
	expect_error(&a, 400, -4028);
	call(&s, "POST", "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=CROSSED", &a);
	expect_error(&a, 400, -4046);
	expect_body(&s, "POST", "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED",
	            "{\"code\":200,\"msg\":\"success\"}");
	call(&s, "POST", "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED", &a);
	expect_error(&a, 400, -4046);
	expect_body(&s, "GET", "/fapi/v1/positionSide/dual", "", "{\"dualSidePosition\":false}");
	call(&s, "POST", "/fapi/v1/positionSide/dual", "dualSidePosition=false", &a);
	expect_error(&a, 400, -4059);
	expect_body(&s, "POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true",
	            "{\"code\":200,\"msg\":\"success\"}");
	expect_body(&s, "GET", "/fapi/v1/positionSide/dual", "", "{\"dualSidePosition\":true}");
	expect_body(&s, "GET", "/fapi/v2/positionRisk", "", "[]");
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v1, bad_accounts_file_is_refused_without_its_secrets, .timeout = 30)
{
	char path[256];
	snprintf(path, sizeof path, "%s/bad.json", dir);
	test_write_file(path, "[{\"api_key\":\"k\",\"api_secret\":\"very-secret\",\"balance_usdt\":\"-5\"}]");
	char args[512];
	snprintf(args, sizeof args, "--port 0 --accounts %s " LIQ, path);
	struct served s;
	serve_spawn(&s, dir, args);
	cr_assert_eq(serve_wait(&s, 10000), 1);
	const char *err = serve_stderr(&s);
	cr_assert_not_null(strstr(err, "account 0:"), "%s", err);
	cr_assert_null(strstr(err, "very-secret"), "%s", err);
}
