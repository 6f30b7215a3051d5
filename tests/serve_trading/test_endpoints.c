/*
 * test_endpoints.c - each signed endpoint added beyond orders and
 * balances (batchOrders, allOpenOrders, countdownCancelAll, openOrder,
 * allOrders, userTrades, account, multiAssetsMargin) answers a call
 * signed right, as V1 on its V1 path and as V3 on its V3 path, in Aster's
 * shape, and refuses the same call with a forged signature (-1022)
 * before doing anything.
 */
#include "signed.h"

TEST_SCRATCH_SUITE(endpoints, dir, "hunter-serve-endpoints");

#define KEEP "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000" \
             "&newClientOrderId=keep"
#define BATCH "batchOrders=[{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\"," \
              "\"timeInForce\":\"GTC\",\"quantity\":\"0.01\",\"price\":\"49000\"}]"

static void start(struct served *s)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s " LIQ, accounts);
	serve_start(s, dir, args);
}

/* An endpoint, its V1 and V3 paths, parameters, and a piece of the
 * answer it must give (200). In this order: openOrder finds the order
 * allOpenOrders then cancels. */
static const struct case_ {
	const char *method, *v1, *v3, *params, *want;
} cases[] = {
	{"GET", "/fapi/v1/openOrder", "/fapi/v3/openOrder", "symbol=BTCUSDT&origClientOrderId=keep",
	 "\"clientOrderId\":\"keep\""},
	{"POST", "/fapi/v1/batchOrders", "/fapi/v3/batchOrders", BATCH, "[{\"orderId\":"},
	{"DELETE", "/fapi/v1/batchOrders", "/fapi/v3/batchOrders",
	 "symbol=BTCUSDT&origClientOrderIdList=[\"nope\"]", "[{\"code\":-2011,"},
	{"GET", "/fapi/v1/allOrders", "/fapi/v3/allOrders", "symbol=BTCUSDT", "\"price\":\"49000\""},
	{"DELETE", "/fapi/v1/allOpenOrders", "/fapi/v3/allOpenOrders", "symbol=BTCUSDT",
	 "{\"code\":\"200\",\"msg\":\"The operation of cancel all open order is done.\"}"},
	{"POST", "/fapi/v1/countdownCancelAll", "/fapi/v3/countdownCancelAll",
	 "symbol=BTCUSDT&countdownTime=0", "{\"symbol\":\"BTCUSDT\",\"countdownTime\":\"0\"}"},
	{"GET", "/fapi/v1/userTrades", "/fapi/v3/userTrades", "symbol=BTCUSDT", "[]"},
	{"GET", "/fapi/v2/account", "/fapi/v3/account", "", "\"totalWalletBalance\":"},
	{"GET", "/fapi/v4/account", "/fapi/v3/accountWithJoinMargin", "", "\"assets\":[{"},
	{"GET", "/fapi/v1/multiAssetsMargin", "/fapi/v3/multiAssetsMargin", "",
	 "{\"multiAssetsMargin\":false}"},
	{"POST", "/fapi/v1/multiAssetsMargin", "/fapi/v3/multiAssetsMargin",
	 "multiAssetsMargin=true", "{\"code\":200,\"msg\":\"success\"}"},
};

static void each_case(int port, enum signer who)
{
	struct http_answer a;
	signed_as(port, who, false, "POST", who == AS_V1 ? "/fapi/v1/order" : "/fapi/v3/order",
	          KEEP, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	free(a.body);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct case_ *c = &cases[i];
		const char *path = who == AS_V1 ? c->v1 : c->v3;
		signed_as(port, who, true, c->method, path, c->params, &a);
		cr_assert(a.status == 400 && strstr(a.body, "\"code\":-1022"), "forged %s %s: %d %s",
		          c->method, path, a.status, a.body);
		free(a.body);
		signed_as(port, who, false, c->method, path, c->params, &a);
		cr_assert(a.status == 200 && strstr(a.body, c->want), "%s %s: %d %s", c->method, path,
		          a.status, a.body);
		free(a.body);
	}
}

Test(endpoints, v1_signed_and_forged, .timeout = 30)
{
	struct served s;
	start(&s);
	each_case(s.port, AS_V1);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(endpoints, v3_signed_and_forged, .timeout = 30)
{
	struct served s;
	start(&s);
	each_case(s.port, AS_V3);
	cr_assert_eq(serve_stop(&s), 130);
}

/* A forged call changed nothing: the order it would have cancelled is
 * still open. */
Test(endpoints, forged_call_does_nothing, .timeout = 30)
{
	struct served s;
	start(&s);
	struct http_answer a;
	signed_as(s.port, AS_V1, false, "POST", "/fapi/v1/order", KEEP, &a);
	free(a.body);
	signed_as(s.port, AS_V1, true, "DELETE", "/fapi/v1/allOpenOrders", "symbol=BTCUSDT", &a);
	expect_error(&a, 400, -1022);
	signed_as(s.port, AS_V1, false, "GET", "/fapi/v1/openOrder",
	          "symbol=BTCUSDT&origClientOrderId=keep", &a);
	cr_assert(a.status == 200 && strstr(a.body, "\"status\":\"NEW\""), "%s", a.body);
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}
