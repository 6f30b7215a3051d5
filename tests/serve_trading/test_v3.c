/*
 * test_v3.c - V3 (EIP-712) trading against the real `hunter serve`: a
 * request signed with sign/ by the documented demo key is accepted, in the
 * body or the query; a reused, a displaced or a stale nonce gets -4225; a
 * signature by another key gets -1022; parameters outside the signed part
 * are not read; without --accounts a new signer
 * gets a fresh account of 10000 USDT, with it an unknown one gets -2015.
 */
#include "signed.h"

TEST_SCRATCH_SUITE(v3, dir, "hunter-serve-v3");

#define ORDER "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.002" \
              "&price=150000.5&newClientOrderId=v3-1"

static void start(struct served *s, bool with_accounts)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 %s%s " LIQ, with_accounts ? "--accounts " : "",
	         with_accounts ? accounts : "");
	serve_start(s, dir, args);
}

static void balance_is(struct served *s, const char *want)
{
	struct http_answer a;
	v3_call(s->port, "GET", "/fapi/v3/balance", "", V3_KEY, v3_nonce(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "balance")->valuestring,
	                 want);
	cJSON_Delete(j);
	free(a.body);
}

Test(v3, signed_order_accepted, .timeout = 30)
{
	struct served s;
	start(&s, true);
	struct http_answer a;
	v3_call(s.port, "POST", "/fapi/v3/order", ORDER, V3_KEY, v3_nonce(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "NEW");
	cr_assert_str_eq(cJSON_GetObjectItem(j, "price")->valuestring, "150000.5");
	cr_assert_str_eq(cJSON_GetObjectItem(j, "side")->valuestring, "SELL");
	cJSON_Delete(j);
	free(a.body);
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "", V3_KEY, v3_nonce(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	j = answer_json(&a);
	cr_assert_eq(cJSON_GetArraySize(j), 1, "%s", a.body);
	cJSON_Delete(j);
	free(a.body);
	v3_call(s.port, "DELETE", "/fapi/v3/order", "symbol=BTCUSDT&origClientOrderId=v3-1",
	        V3_KEY, v3_nonce(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	free(a.body);
	balance_is(&s, "10000");
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v3, nonces, .timeout = 30)
{
	struct served s;
	start(&s, true);
	struct http_answer a;
	uint64_t n = v3_nonce();
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, n, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	free(a.body);
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, n, &a);
	expect_error(&a, 400, -4225); /* reused */
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, n - 120000000, &a);
	expect_error(&a, 400, -4225); /* two minutes old */
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, n + 120000000, &a);
	expect_error(&a, 400, -4225); /* two minutes ahead */
	/* with a symbol: 100 calls without one would weigh 4000, over the limit */
	for (int i = 0; i < 100; i++) {
		v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, v3_nonce(), &a);
		cr_assert_eq(a.status, 200, "%s", a.body);
		free(a.body);
	}
	v3_call(s.port, "GET", "/fapi/v3/openOrders", "symbol=BTCUSDT", V3_KEY, n + 1, &a);
	expect_error(&a, 400, -4225); /* below the 100 remembered */
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v3, refusals, .timeout = 30)
{
	struct served s;
	start(&s, true);
	struct http_answer a;
	v3_call(s.port, "POST", "/fapi/v3/order", ORDER, V3_OTHER_KEY, v3_nonce(), &a);
	expect_error(&a, 400, -1022);
	v3_call(s.port, "POST", "/fapi/v3/order", "symbol=BTCUSDT&side=BUY", V3_KEY, v3_nonce(),
	        &a);
	expect_error(&a, 400, -1102);
	/* the signature covers the bytes: one changed byte after signing */
	struct sign_v3_creds c;
	char *req;
	cr_assert_null(sign_v3_creds_init(&c, V3_USER, V3_SIGNER, V3_KEY, SIGN_CHAIN_MAINNET));
	cr_assert_null(sign_v3_request(&c, ORDER, v3_nonce(), &req));
	sign_v3_creds_clear(&c);
	*strstr(req, "0.002") = '1';
	http_call(s.port, "POST", "/fapi/v3/order", NULL, req, &a);
	free(req);
	expect_error(&a, 400, -1022);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v3, fresh_account_without_accounts_file, .timeout = 30)
{
	struct served s;
	start(&s, false);
	balance_is(&s, "10000");
	struct http_answer a;
	v1_call(s.port, "GET", "/fapi/v2/balance", "", V1_KEY, V1_SECRET, wall_ms(), &a);
	expect_error(&a, 401, -2015); /* V1 keys come from the file only */
	cr_assert_eq(serve_stop(&s), 130);
}

Test(v3, unsigned_part_is_not_read, .timeout = 30)
{
	struct served s;
	start(&s, true);
	struct sign_v3_creds c;
	char *req;
	cr_assert_null(sign_v3_creds_init(&c, V3_USER, V3_SIGNER, V3_KEY, SIGN_CHAIN_MAINNET));
	cr_assert_null(sign_v3_request(&c, ORDER, v3_nonce(), &req));
	sign_v3_creds_clear(&c);
	struct http_answer a;
	http_call(s.port, "POST", "/fapi/v3/order?price=1&quantity=5", NULL, req, &a);
	free(req);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "price")->valuestring, "150000.5");
	cr_assert_str_eq(cJSON_GetObjectItem(j, "origQty")->valuestring, "0.002");
	cJSON_Delete(j);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}
