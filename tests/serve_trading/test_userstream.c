/*
 * test_userstream.c - the user data stream of `hunter serve`: a listenKey
 * from POST /fapi/v1/listenKey opens /ws/<listenKey>; a LIMIT order that
 * the scripted market then trades through arrives there as
 * ORDER_TRADE_UPDATE NEW then TRADE (FILLED), and an ACCOUNT_UPDATE, each
 * of which aster_parse reads back, and positionRisk then shows the position; a key that is not
 * kept alive ends with listenKeyExpired.
 */
#include "backtest/market.h"
#include "serve_e2e/ws_client.h"
#include "signed.h"

TEST_SCRATCH_SUITE(userstream, dir, "hunter-serve-user");

static void start(struct served *s, const char *rec, const char *extra)
{
	char accounts[256], args[768];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	write_accounts(accounts);
	snprintf(args, sizeof args, "--port 0 --accounts %s %s %s", accounts, extra, rec);
	serve_start(s, dir, args);
}

/* POST /fapi/v1/listenKey with the key header only, as V1 does. */
static void listen_key(struct served *s, char out[80])
{
	struct http_answer a;
	http_call(s->port, "POST", "/fapi/v1/listenKey", "X-MBX-APIKEY: " V1_KEY "\r\n", NULL, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	const cJSON *k = cJSON_GetObjectItem(j, "listenKey");
	cr_assert(cJSON_IsString(k) && strlen(k->valuestring) == 64, "%s", a.body);
	snprintf(out, 80, "%s", k->valuestring);
	cJSON_Delete(j);
	free(a.body);
}

/* A market that trades through 50000 twenty seconds in. */
static const char *scripted(void)
{
	struct market m;
	market_open(&m, dir);
	for (int64_t ms = 0; ms <= 30000; ms += 1000) {
		if (ms < 20000)
			market_book(&m, ms, "49999", "50001");
		else
			market_book(&m, ms, "49980", "49990");
		if (ms == 20000)
			market_trade(&m, ms, "49990", "2", true);
	}
	return market_import(&m);
}

static struct ev_order got[8];
static int ngot, naccount;

static int keep_order(void *ctx, const ev_t *ev)
{
	(void)ctx;
	if (ev->type == EV_ORDER_UPDATE && ngot < 8)
		got[ngot++] = ev->u.order;
	naccount += ev->type == EV_ACCOUNT_UPDATE;
	return 0;
}

static void parse_all(const struct wsc *w)
{
	aster_parser_t *p = aster_parser_new();
	struct aster_result res;
	ngot = naccount = 0;
	for (size_t i = 0; i < w->n; i++) {
		aster_parse(p, w->msgs[i], strlen(w->msgs[i]), NULL, keep_order, NULL, &res);
		cr_assert_neq(res.status, ASTER_ERROR, "%s: %s", res.err, w->msgs[i]);
	}
	aster_parser_free(p);
}

static bool has_fill(const struct wsc *w, size_t arg)
{
	(void)arg;
	parse_all(w);
	for (int i = 0; i < ngot; i++)
		if (got[i].exec == EXEC_TRADE)
			return true;
	return w->closed || w->failed;
}

Test(userstream, limit_order_new_then_trade, .timeout = 60)
{
	struct served s;
	start(&s, scripted(), "--speed 10");
	char key[80], path[128];
	listen_key(&s, key);
	snprintf(path, sizeof path, "/ws/%s", key);
	struct wsc w;
	cr_assert(wsc_open(&w, s.port, path), "user stream refused");
	struct http_answer a;
	v1_call(s.port, "POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
	        "&timeInForce=GTC&quantity=0.01&price=50000&newClientOrderId=u1", V1_KEY,
	        V1_SECRET, wall_ms(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	free(a.body);
	wsc_until(&w, has_fill, 0, 15000);
	parse_all(&w);
	cr_assert_geq(ngot, 2, "%zu messages", w.n);
	cr_assert_str_eq(got[0].client_id, "u1");
	cr_assert_eq(got[0].exec, EXEC_NEW);
	cr_assert_eq(got[0].status, OS_NEW);
	cr_assert_eq(got[ngot - 1].exec, EXEC_TRADE);
	cr_assert_eq(got[ngot - 1].status, OS_FILLED);
	cr_assert_eq(got[ngot - 1].filled_qty, DEC(1) / 100);
	cr_assert_eq(got[ngot - 1].last_price, DEC(50000));
	wsc_idle(&w, 300); /* the fill's ACCOUNT_UPDATE may come just after */
	parse_all(&w);
	cr_assert_geq(naccount, 1, "no ACCOUNT_UPDATE after the fill");
	v1_call(s.port, "GET", "/fapi/v2/positionRisk", "symbol=BTCUSDT", V1_KEY, V1_SECRET,
	        wall_ms(), &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = answer_json(&a);
	const cJSON *amt = cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "positionAmt");
	cr_assert(cJSON_IsString(amt) && !strcmp(amt->valuestring, "0.01"), "%s", a.body);
	cJSON_Delete(j);
	free(a.body);
	wsc_free(&w);
	int rc = serve_stop(&s);
	cr_assert(rc == 130 || rc == 0, "exit %d", rc);
}

static int expired_at(const struct wsc *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->msgs[i], "\"e\":\"listenKeyExpired\""))
			return (int)i;
	return -1;
}

static bool has_expired(const struct wsc *w, size_t arg)
{
	(void)arg;
	return expired_at(w) >= 0 || w->closed || w->failed;
}

Test(userstream, listen_key_expires, .timeout = 30)
{
	struct served s;
	start(&s, LIQ, "--listen-key-ttl 1s");
	char key[80], path[128];
	listen_key(&s, key);
	snprintf(path, sizeof path, "/ws/%s", key);
	struct wsc w;
	cr_assert(wsc_open(&w, s.port, path), "user stream refused");
	cr_assert(wsc_until(&w, has_expired, 0, 5000) && !w.closed, "no listenKeyExpired");
	cJSON *j = cJSON_Parse(w.msgs[expired_at(&w)]);
	cr_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "E")), "%s", w.msgs[expired_at(&w)]);
	cJSON_Delete(j);
	wsc_free(&w);
	/* the key is gone: keepalive fails, a new stream is refused */
	struct http_answer a;
	http_call(s.port, "PUT", "/fapi/v1/listenKey", "X-MBX-APIKEY: " V1_KEY "\r\n", NULL, &a);
	expect_error(&a, 400, -1125);
	cr_assert_not(wsc_open(&w, s.port, path));
	wsc_free(&w);
	cr_assert_eq(serve_stop(&s), 130);
}
