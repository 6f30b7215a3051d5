/*
 * test_orders.c - the order endpoints beyond the single order, against
 * the real `hunter serve`: a batch of orders answers each element in
 * input order (an order or {code,msg}, HTTP 200 however many fail) and a
 * batch cancel likewise; allOpenOrders cancels one symbol's orders only;
 * allOrders lists them by placement with limit and orderId; a countdown
 * not renewed cancels the symbol's open orders, a renewed or stopped one
 * does not; fills show in userTrades and the account; multiAssetsMargin
 * is kept per account. Bad parameters get Aster's codes.
 */
#include "backtest/market.h"
#include "serve_e2e/ws_client.h"
#include "signed.h"

TEST_SCRATCH_SUITE(orders, dir, "hunter-serve-orders");

static void start(struct served *s, const char *rec)
{
	char accounts[256], args[512];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s %s", accounts, rec);
	serve_start(s, dir, args);
}

/* A V1 call that must answer 200; its JSON, which the caller frees. */
static cJSON *ok(struct served *s, const char *method, const char *path, const char *params)
{
	struct http_answer a;
	signed_as(s->port, AS_V1, false, method, path, params, &a);
	cr_assert_eq(a.status, 200, "%s %s %s: %s", method, path, params, a.body);
	cJSON *j = answer_json(&a);
	free(a.body);
	return j;
}

static void refused(struct served *s, const char *method, const char *path, const char *params,
                    int status, int code)
{
	struct http_answer a;
	signed_as(s->port, AS_V1, false, method, path, params, &a);
	expect_error(&a, status, code);
}

/* A LIMIT order at `price` named `cid`; its orderId. */
static int64_t place(struct served *s, const char *symbol, const char *price, const char *cid)
{
	char params[256];
	snprintf(params, sizeof params, "symbol=%s&side=BUY&type=LIMIT&timeInForce=GTC"
	         "&quantity=0.01&price=%s&newClientOrderId=%s", symbol, price, cid);
	cJSON *j = ok(s, "POST", "/fapi/v1/order", params);
	int64_t id = (int64_t)cJSON_GetObjectItem(j, "orderId")->valuedouble;
	cJSON_Delete(j);
	return id;
}

static void status_is(struct served *s, const char *cid, const char *want)
{
	char params[128];
	snprintf(params, sizeof params, "symbol=BTCUSDT&origClientOrderId=%s", cid);
	cJSON *j = ok(s, "GET", "/fapi/v1/order", params);
	cr_assert_str_eq(json_str(j, "status"), want, "%s", cid);
	cJSON_Delete(j);
}

#define ELEM(sym, side, price, cid) \
	"{\"symbol\":\"" sym "\",\"side\":\"" side "\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\"," \
	"\"quantity\":\"0.01\",\"price\":\"" price "\",\"newClientOrderId\":\"" cid "\"}"

Test(orders, batch_answers_each_order_in_input_order, .timeout = 30)
{
	struct served s;
	start(&s, LIQ);
	/* percent-encoded, as a form body is: [ELEM,ELEM,ELEM] */
	struct http_answer a;
	signed_as(s.port, AS_V1, false, "POST", "/fapi/v1/batchOrders", "batchOrders=%5B"
	          ELEM("BTCUSDT", "BUY", "50000", "b1") "%2C" ELEM("BTCUSDT", "UP", "50000", "b2")
	          "%2C" ELEM("BTCUSDT", "BUY", "50100", "b3") "%5D", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_assert_eq(header_num(&a, "x-mbx-order-count-10s"), 3, "%s", a.headers);
	cJSON *j = answer_json(&a);
	free(a.body);
	cr_assert_eq(cJSON_GetArraySize(j), 3);
	const cJSON *b1 = cJSON_GetArrayItem(j, 0), *b3 = cJSON_GetArrayItem(j, 2);
	cr_assert_str_eq(json_str(b1, "clientOrderId"), "b1");
	cr_assert_str_eq(json_str(b1, "status"), "NEW");
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 1), "code")->valueint, -1117);
	cr_assert_str_eq(json_str(b3, "clientOrderId"), "b3");
	char ids[128];
	snprintf(ids, sizeof ids, "symbol=BTCUSDT&orderIdList=[%lld,%lld,12345]",
	         (long long)cJSON_GetObjectItem(b1, "orderId")->valuedouble,
	         (long long)cJSON_GetObjectItem(b3, "orderId")->valuedouble);
	cJSON_Delete(j);

	j = ok(&s, "DELETE", "/fapi/v1/batchOrders", ids);
	cr_assert_eq(cJSON_GetArraySize(j), 3);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "status"), "CANCELED");
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 1), "clientOrderId"), "b3");
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 2), "code")->valueint, -2011);
	cJSON_Delete(j);
	status_is(&s, "b3", "CANCELED");

	refused(&s, "POST", "/fapi/v1/batchOrders", "batchOrders=[" ELEM("BTCUSDT", "BUY", "1", "x")
	        "," ELEM("BTCUSDT", "BUY", "1", "x") "," ELEM("BTCUSDT", "BUY", "1", "x") ","
	        ELEM("BTCUSDT", "BUY", "1", "x") "," ELEM("BTCUSDT", "BUY", "1", "x") ","
	        ELEM("BTCUSDT", "BUY", "1", "x") "]", 400, -4082);
	refused(&s, "POST", "/fapi/v1/batchOrders", "batchOrders=[]", 400, -4082);
	refused(&s, "POST", "/fapi/v1/batchOrders", "batchOrders={oops", 400, -1130);
	refused(&s, "POST", "/fapi/v1/batchOrders", "batchOrders=[{\"symbol\":\"BTCUSDT\","
	        "\"quantity\":0.01}]", 400, -1130); /* a number would pass through a double */
	refused(&s, "POST", "/fapi/v1/batchOrders", "", 400, -1102);
	refused(&s, "DELETE", "/fapi/v1/batchOrders", "symbol=BTCUSDT&orderIdList=[1,2,3,4,5,6,7,8,"
	        "9,10,11]", 400, -1130);
	refused(&s, "DELETE", "/fapi/v1/batchOrders", "symbol=BTCUSDT&orderIdList=[-1]", 400, -1130);
	refused(&s, "DELETE", "/fapi/v1/batchOrders", "symbol=BTCUSDT", 400, -1102);
	refused(&s, "DELETE", "/fapi/v1/batchOrders", "orderIdList=[1]", 400, -1102);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(orders, cancel_all_and_lists, .timeout = 30)
{
	struct served s;
	start(&s, LIQ);
	int64_t o1 = place(&s, "BTCUSDT", "50000", "o1");
	int64_t o2 = place(&s, "BTCUSDT", "50100", "o2");
	place(&s, "ETHUSDT", "3000", "e1");
	cJSON *j = ok(&s, "DELETE", "/fapi/v1/allOpenOrders", "symbol=BTCUSDT");
	cr_assert_str_eq(json_str(j, "code"), "200"); /* a string here, as on Aster */
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v1/openOrders", "");
	cr_assert_eq(cJSON_GetArraySize(j), 1);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "clientOrderId"), "e1");
	cJSON_Delete(j);

	j = ok(&s, "GET", "/fapi/v1/allOrders", "symbol=BTCUSDT");
	cr_assert_eq(cJSON_GetArraySize(j), 2);
	cr_assert_eq((int64_t)cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "orderId")->valuedouble,
	             o1);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 1), "status"), "CANCELED");
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v1/allOrders", "symbol=BTCUSDT&limit=1"); /* the latest */
	cr_assert_eq(cJSON_GetArraySize(j), 1);
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(j, 0), "clientOrderId"), "o2");
	cJSON_Delete(j);
	char from[64];
	snprintf(from, sizeof from, "symbol=BTCUSDT&orderId=%lld", (long long)o2);
	j = ok(&s, "GET", "/fapi/v1/allOrders", from);
	cr_assert_eq(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);

	refused(&s, "GET", "/fapi/v1/openOrder", "symbol=BTCUSDT&origClientOrderId=o1", 400, -2013);
	refused(&s, "GET", "/fapi/v1/openOrder", "symbol=BTCUSDT", 400, -1102);
	refused(&s, "DELETE", "/fapi/v1/allOpenOrders", "", 400, -1102);
	refused(&s, "DELETE", "/fapi/v1/allOpenOrders", "symbol=NOPEUSDT", 400, -1121);
	refused(&s, "GET", "/fapi/v1/allOrders", "symbol=BTCUSDT&limit=0", 400, -1130);
	refused(&s, "GET", "/fapi/v1/allOrders", "symbol=BTCUSDT&orderId=x", 400, -1130);
	refused(&s, "GET", "/fapi/v1/allOrders", "", 400, -1102);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(orders, countdown_cancels_unless_renewed, .timeout = 30)
{
	struct served s;
	start(&s, LIQ);
	place(&s, "BTCUSDT", "50000", "c1");
	cJSON *j = ok(&s, "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=1000");
	cr_assert_str_eq(json_str(j, "countdownTime"), "1000");
	cJSON_Delete(j);
	usleep(600000);
	cJSON_Delete(ok(&s, "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=1000"));
	usleep(600000); /* 1.2 s after the first call: renewed, so not yet */
	status_is(&s, "c1", "NEW");
	usleep(800000); /* 1.4 s after the second */
	status_is(&s, "c1", "CANCELED");

	place(&s, "BTCUSDT", "50000", "c2");
	cJSON_Delete(ok(&s, "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=300"));
	cJSON_Delete(ok(&s, "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=0"));
	usleep(600000);
	status_is(&s, "c2", "NEW");
	refused(&s, "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=-1", 400,
	        -1102);
	refused(&s, "POST", "/fapi/v1/countdownCancelAll", "countdownTime=10", 400, -1102);
	cr_assert_eq(serve_stop(&s), 130);
}

/* BTCUSDT quoted 49999 / 50001 for two minutes. */
static const char *quoted(void)
{
	struct market m;
	market_open(&m, dir);
	for (int64_t ms = 0; ms <= 120000; ms += 1000)
		market_book(&m, ms, "49999", "50001");
	return market_import(&m);
}

static const cJSON *row(const cJSON *list, int i)
{
	const cJSON *r = cJSON_GetArrayItem(list, i);
	cr_assert_not_null(r, "no row %d", i);
	return r;
}

Test(orders, fills_show_in_user_trades_and_account, .timeout = 60)
{
	struct served s;
	start(&s, quoted());
	struct wsc w; /* a market subscription starts the replay: the book is there */
	cr_assert(wsc_open(&w, s.port, "/ws/btcusdt@bookTicker"));
	cr_assert(wsc_wait(&w, 1, 5000), "no bookTicker");
	cJSON *j = ok(&s, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET"
	              "&quantity=0.01&newClientOrderId=m1");
	cr_assert_str_eq(json_str(j, "status"), "FILLED");
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v2/account", "");
	const cJSON *pos = row(cJSON_GetObjectItem(j, "positions"), 0);
	cr_assert_str_eq(json_str(pos, "positionAmt"), "0.01");
	cr_assert_str_eq(json_str(pos, "positionSide"), "BOTH");
	cr_assert_str_eq(json_str(row(cJSON_GetObjectItem(j, "assets"), 0), "asset"), "USDT");
	cr_assert_str_neq(json_str(j, "totalWalletBalance"), "5000"); /* the fee was paid */
	cJSON_Delete(j);
	cJSON_Delete(ok(&s, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=SELL&type=MARKET"
	                "&quantity=0.01&newClientOrderId=m2"));

	j = ok(&s, "GET", "/fapi/v1/userTrades", "symbol=BTCUSDT");
	cr_assert_eq(cJSON_GetArraySize(j), 2);
	const cJSON *buy = row(j, 0), *sell = row(j, 1);
	cr_assert_str_eq(json_str(buy, "side"), "BUY");
	cr_assert_str_eq(json_str(buy, "price"), "50001");
	cr_assert_str_eq(json_str(buy, "qty"), "0.01");
	cr_assert_str_eq(json_str(buy, "quoteQty"), "500.01");
	cr_assert_str_eq(json_str(buy, "commissionAsset"), "USDT");
	cr_assert_str_eq(json_str(buy, "positionSide"), "BOTH");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(buy, "buyer")));
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(buy, "maker")));
	cr_assert_str_eq(json_str(sell, "price"), "49999");
	cr_assert_str_eq(json_str(sell, "realizedPnl"), "-0.02");
	char from[64];
	snprintf(from, sizeof from, "symbol=BTCUSDT&fromId=%lld",
	         (long long)cJSON_GetObjectItem(sell, "id")->valuedouble);
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v1/userTrades", from);
	cr_assert_eq(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v1/userTrades", "symbol=BTCUSDT&limit=1");
	cr_assert_str_eq(json_str(row(j, 0), "side"), "SELL"); /* the latest */
	cJSON_Delete(j);
	j = ok(&s, "GET", "/fapi/v1/userTrades", "symbol=ETHUSDT");
	cr_assert_eq(cJSON_GetArraySize(j), 0);
	cJSON_Delete(j);
	refused(&s, "GET", "/fapi/v1/userTrades", "symbol=BTCUSDT&fromId=1&startTime=5", 400, -1128);
	refused(&s, "GET", "/fapi/v1/userTrades", "symbol=BTCUSDT&limit=1001", 400, -1130);
	refused(&s, "GET", "/fapi/v1/userTrades", "", 400, -1102);
	wsc_free(&w);
	int rc = serve_stop(&s);
	cr_assert(rc == 130 || rc == 0, "exit %d", rc);
}

Test(orders, multi_assets_margin_is_kept, .timeout = 30)
{
	struct served s;
	start(&s, LIQ);
	refused(&s, "POST", "/fapi/v1/multiAssetsMargin", "multiAssetsMargin=false", 400, -4171);
	cJSON_Delete(ok(&s, "POST", "/fapi/v1/multiAssetsMargin", "multiAssetsMargin=true"));
	cJSON *j = ok(&s, "GET", "/fapi/v1/multiAssetsMargin", "");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "multiAssetsMargin")));
	cJSON_Delete(j);
	refused(&s, "POST", "/fapi/v1/multiAssetsMargin", "multiAssetsMargin=true", 400, -4171);
	refused(&s, "POST", "/fapi/v1/multiAssetsMargin", "multiAssetsMargin=maybe", 400, -1102);
	/* the V3 account is another: its flag is still off */
	struct http_answer a;
	signed_as(s.port, AS_V3, false, "GET", "/fapi/v3/multiAssetsMargin", "", &a);
	cr_assert_str_eq(a.body, "{\"multiAssetsMargin\":false}");
	free(a.body);
	cr_assert_eq(serve_stop(&s), 130);
}
