/*
 * trading.c - the signed REST endpoints of `hunter serve`: which function
 * answers each (orders.c, batch.c, wallet.c), the account that signed the
 * call (auth.c), the ORDERS rate limits of that account, the parameter
 * checks the endpoints share, and the listenKey of the user data stream
 * (conn.c serves the stream itself). Answers have Aster's shapes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "trading_int.h"

/* ---------------------------------------------------------------- */
/* What the endpoints share                                         */
/* ---------------------------------------------------------------- */

bool serve_required(struct tcall *c, const char *key, char *out, size_t cap)
{
	if (serve_signed_param(c->q, key, out, cap) == 1 && out[0])
		return true;
	char msg[96];
	snprintf(msg, sizeof msg, "Mandatory parameter '%s' was not sent, was empty/null, or"
	         " malformed.", key);
	serve_rest_error(c->r, 400, -1102, msg);
	return false;
}

bool serve_limit_param(struct tcall *c, int64_t max, int64_t dflt, int64_t *out)
{
	*out = dflt;
	if (serve_signed_int(c->q, "limit", 1, max, out) >= 0)
		return true;
	serve_rest_error(c->r, 400, -1130, "Data sent for parameter 'limit' is not valid.");
	return false;
}

bool serve_known_symbol(struct tcall *c, const char *symbol)
{
	if (serve_market_find(c->a->market, symbol))
		return true;
	serve_rest_error(c->r, 400, -1121, "Invalid symbol.");
	return false;
}

bool serve_symbol_filter(struct tcall *c, char symbol[SYMBOL_MAX])
{
	symbol[0] = '\0';
	if (serve_signed_param(c->q, "symbol", symbol, SYMBOL_MAX) >= 0 &&
	    (!symbol[0] || serve_market_find(c->a->market, symbol)))
		return true;
	serve_rest_error(c->r, 400, -1121, "Invalid symbol.");
	return false;
}

/* The ORDERS limits count per account, in the windows Aster's headers
 * name; an order over either is refused before it is read. */
bool serve_orders_admit(struct tcall *c, uint64_t n)
{
	static const struct {
		int64_t len_ms;
		const char *per;
	} windows[] = {{SERVE_10S_MS, "10s"}, {SERVE_MINUTE_MS, "1m"}};
	struct window *w[] = {&c->ac->orders_10s, &c->ac->orders_1m};
	uint64_t limit[] = {c->a->market->limits.orders_10s, c->a->market->limits.orders_1m};
	int64_t now = c->q->wall_ms;
	bool ok = true;
	for (int i = 0; i < 2 && ok; i++) {
		if (serve_window_used(w[i], windows[i].len_ms, now) + n <= limit[i])
			continue;
		char msg[96];
		snprintf(msg, sizeof msg, "Too many new orders; current limit is %llu orders per %s.",
		         (unsigned long long)limit[i], windows[i].per);
		serve_rest_error(c->r, 429, -1015, msg);
		c->r->retry_after = serve_window_retry_s(windows[i].len_ms, now);
		ok = false;
	}
	for (int i = 0; i < 2 && ok; i++)
		serve_window_take(w[i], windows[i].len_ms, limit[i], n, now);
	c->r->order_counts = true;
	c->r->orders_10s = serve_window_used(w[0], SERVE_10S_MS, now);
	c->r->orders_1m = serve_window_used(w[1], SERVE_MINUTE_MS, now);
	return ok;
}

/* ---------------------------------------------------------------- */
/* The user data stream's listenKey                                 */
/* ---------------------------------------------------------------- */

/* 64 characters that cannot be guessed: the key is all a stream needs. */
static bool new_listen_key(char out[ACCT_LISTEN_KEY_LEN + 1])
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	unsigned char r[ACCT_LISTEN_KEY_LEN];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return false;
	for (size_t i = 0; i < sizeof r; i++)
		out[i] = digits[r[i] % 62];
	out[ACCT_LISTEN_KEY_LEN] = '\0';
	return true;
}

/* POST: the account's active key, extended, or a new one. */
static void listen_key_open(struct tcall *c)
{
	if (!c->ac->listen_key[0] && !new_listen_key(c->ac->listen_key)) {
		serve_rest_error(c->r, 500, -1000, "No randomness for a listenKey.");
		return;
	}
	c->ac->listen_key_expires_ms = c->q->wall_ms + c->a->listen_key_ttl_ms;
	serve_text_printf(&c->r->body, "{\"listenKey\":\"%s\"}", c->ac->listen_key);
}

static void listen_key_keepalive(struct tcall *c)
{
	if (!c->ac->listen_key[0]) {
		serve_rest_error(c->r, 400, -1125, "This listenKey does not exist.");
		return;
	}
	c->ac->listen_key_expires_ms = c->q->wall_ms + c->a->listen_key_ttl_ms;
	serve_text_puts(&c->r->body, "{}");
}

static void listen_key_close(struct tcall *c)
{
	c->ac->listen_key[0] = '\0';
	serve_text_puts(&c->r->body, "{}");
}

/* The builders the account approved (the builder program's GET builder,
 * which ccxt asks at sign-in): none, so ccxt trades without one. */
static void builders(struct tcall *c)
{
	serve_text_puts(&c->r->body, "[]");
}

/* ---------------------------------------------------------------- */
/* Routing                                                          */
/* ---------------------------------------------------------------- */

/* The V1 and V3 names alike (aster-api.md 5.1): account is v2's and
 * v4's, accountWithJoinMargin V3's. */
static const struct signed_endpoint {
	const char *method, *name;
	endpoint_fn answer;
} endpoints[] = {
	{"POST", "order", serve_ep_new_order},
	{"DELETE", "order", serve_ep_cancel_order},
	{"GET", "order", serve_ep_query_order},
	{"GET", "openOrder", serve_ep_open_order},
	{"GET", "openOrders", serve_ep_open_orders},
	{"GET", "allOrders", serve_ep_all_orders},
	{"DELETE", "allOpenOrders", serve_ep_cancel_all},
	{"POST", "countdownCancelAll", serve_ep_countdown},
	{"POST", "batchOrders", serve_ep_batch_place},
	{"DELETE", "batchOrders", serve_ep_batch_cancel},
	{"GET", "userTrades", serve_ep_user_trades},
	{"GET", "balance", serve_ep_balance},
	{"GET", "account", serve_ep_account},
	{"GET", "accountWithJoinMargin", serve_ep_account},
	{"GET", "positionRisk", serve_ep_position_risk},
	{"GET", "leverageBracket", serve_ep_leverage_bracket},
	{"POST", "leverage", serve_ep_leverage},
	{"POST", "marginType", serve_ep_margin_type},
	{"GET", "positionSide/dual", serve_ep_dual_get},
	{"POST", "positionSide/dual", serve_ep_dual_set},
	{"GET", "multiAssetsMargin", serve_ep_multi_assets_get},
	{"POST", "multiAssetsMargin", serve_ep_multi_assets_set},
	{"GET", "builder", builders},
	{"POST", "listenKey", listen_key_open},
	{"PUT", "listenKey", listen_key_keepalive},
	{"DELETE", "listenKey", listen_key_close},
};

/* The account of the request. V1's listenKey calls carry the API key
 * header alone (USER_STREAM security); everything else is signed. */
static struct account *caller(struct accounts *a, struct signed_req *q, struct rest_reply *r)
{
	char none[1];
	bool key_only = !strcmp(q->name, "listenKey") && q->api_key[0] &&
	                !serve_query_get(q->query, "signature", none, 1) &&
	                !serve_query_get(q->body, "signature", none, 1);
	if (!key_only)
		return serve_auth(a, q, r);
	struct account *ac = serve_accounts_by_key(a, q->api_key);
	if (!ac)
		serve_rest_error(r, 401, -2015, "Invalid API-key, IP, or permissions for action.");
	return ac;
}

bool serve_trading_known(const char *name)
{
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
		if (!strcmp(endpoints[i].name, name))
			return true;
	return false;
}

void serve_trading_answer(struct accounts *a, struct signed_req *q, struct rest_reply *r)
{
	const struct signed_endpoint *e = NULL;
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
		if (!strcmp(endpoints[i].name, q->name) && !strcmp(endpoints[i].method, q->method))
			e = &endpoints[i];
	r->status = 200;
	r->retry_after = 0;
	serve_text_clear(&r->body);
	if (!e) {
		serve_rest_error(r, 405, -1000, "This method is not served for this endpoint.");
		return;
	}
	struct tcall c = {a, caller(a, q, r), q, r};
	if (c.ac)
		e->answer(&c);
}
