/*
 * trading.c - the signed REST endpoints of `hunter serve`, answered from
 * the signing account's simulated exchange (accounts.c) after auth.c has
 * found the account: new, cancel and query orders, open orders, the USDT
 * balance, positions, leverage, margin type and position mode, and the
 * listenKey of the user data stream (conn.c serves the stream itself). Answers have Aster's shapes; an
 * order is written from its last ORDER_TRADE_UPDATE, so its fields are
 * the ones the user stream carries.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "aster.h"
#include "exchange_aster.h"
#include "trading_int.h"

#define ORDER_JSON_MAX 2048

struct tcall {
	struct accounts *a;
	struct account *ac;
	const struct signed_req *q;
	struct rest_reply *r;
};

static void unknown_order(struct tcall *c)
{
	serve_rest_error(c->r, 400, -2011, "Unknown order sent.");
}

/* ---------------------------------------------------------------- */
/* An order as Aster's REST answers it                              */
/* ---------------------------------------------------------------- */

/* REST names of the fields of the user stream's order object. */
static const char *const order_keys[][2] = {
	{"symbol", "s"},        {"status", "X"},       {"clientOrderId", "c"},
	{"price", "p"},         {"avgPrice", "ap"},    {"origQty", "q"},
	{"executedQty", "z"},   {"timeInForce", "f"},  {"type", "o"},
	{"reduceOnly", "R"},    {"closePosition", "cp"}, {"side", "S"},
	{"positionSide", "ps"}, {"stopPrice", "sp"},   {"workingType", "wt"},
	{"priceProtect", "pP"}, {"origType", "ot"},
};

static void order_field(struct text *t, const char *name, const cJSON *v)
{
	if (!v || !(cJSON_IsString(v) || cJSON_IsBool(v)))
		return;
	serve_text_printf(t, ",\"%s\":", name);
	if (cJSON_IsString(v))
		serve_text_json_string(t, v->valuestring, strlen(v->valuestring));
	else
		serve_text_puts(t, cJSON_IsTrue(v) ? "true" : "false");
}

/* The order's REST JSON; its decimals are the exact strings aster_format
 * wrote. false when out of memory. */
static bool order_json(struct text *t, const ev_t *ev)
{
	char buf[ORDER_JSON_MAX];
	size_t n = aster_format(ev, buf, sizeof buf);
	cJSON *root = n && n < sizeof buf ? cJSON_ParseWithLength(buf, n) : NULL;
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "o");
	if (!o) {
		cJSON_Delete(root);
		return false;
	}
	const struct ev_order *eo = &ev->u.order;
	serve_text_printf(t, "{\"orderId\":%lld", (long long)eo->order_id);
	for (size_t i = 0; i < sizeof order_keys / sizeof order_keys[0]; i++)
		order_field(t, order_keys[i][0],
		            cJSON_GetObjectItemCaseSensitive(o, order_keys[i][1]));
	dec_t quote = 0;
	dec_mul(eo->avg_price, eo->filled_qty, &quote);
	serve_text_puts(t, ",\"cumQuote\":");
	serve_text_dec(t, quote);
	serve_text_printf(t, ",\"updateTime\":%lld}", (long long)ev->exch_ms);
	cJSON_Delete(root);
	return true;
}

static void answer_order(struct tcall *c, const ev_t *ev)
{
	if (!order_json(&c->r->body, ev))
		serve_rest_error(c->r, 500, -1000, "An order could not be written.");
}

static bool is_open(const ev_t *ev)
{
	return ev->u.order.status == OS_NEW || ev->u.order.status == OS_PARTIALLY_FILLED;
}

/* ---------------------------------------------------------------- */
/* Orders                                                           */
/* ---------------------------------------------------------------- */

/* Order parameters Aster takes that the simulation has no use for: the
 * builder program's (ccxt sends them with every order). */
static const char *const unmodelled[] = {"builder=", "feeRate=", NULL};

static bool unmodelled_param(const char *p, size_t n)
{
	for (size_t i = 0; unmodelled[i]; i++)
		if (n >= strlen(unmodelled[i]) && !memcmp(p, unmodelled[i], strlen(unmodelled[i])))
			return true;
	return false;
}

/* Appends the parameters of `part` but the unmodelled ones to out. */
static void add_params(char *out, size_t *len, const char *part)
{
	for (const char *p = part; *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n && !unmodelled_param(p, n)) {
			if (*len)
				out[(*len)++] = '&';
			memcpy(out + *len, p, n);
			*len += n;
		}
		p += n + (amp != NULL);
	}
	out[*len] = '\0';
}

/* The parameters of query and body as one string for the decoder. */
static char *all_params(const struct signed_req *q)
{
	char *s = malloc(strlen(q->query) + strlen(q->body) + 2);
	size_t len = 0;
	if (s) {
		add_params(s, &len, q->query);
		add_params(s, &len, q->body);
	}
	return s;
}

/* The order the request names: by origClientOrderId, else orderId.
 * NULL when it names none the account had (answered). */
static const ev_t *named_order(struct tcall *c, void (*absent)(struct tcall *c))
{
	char cid[CLIENT_ID_MAX] = "", symbol[SYMBOL_MAX];
	int64_t id = -1;
	int got_cid = serve_signed_param(c->q, "origClientOrderId", cid, sizeof cid);
	int got_id = serve_signed_int(c->q, "orderId", 0, INT64_MAX, &id);
	int got_sym = serve_signed_param(c->q, "symbol", symbol, sizeof symbol);
	if (got_sym != 1 || got_cid < 0 || got_id < 0 || (got_cid != 1 && got_id != 1)) {
		serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'symbol' and 'orderId' or"
		                 " 'origClientOrderId' were not sent, were empty/null, or malformed.");
		return NULL;
	}
	const ev_t *ev = serve_account_order(c->ac, got_cid == 1 ? cid : "", id);
	if (!ev || strcmp(ev->symbol, symbol))
		absent(c);
	return ev && !strcmp(ev->symbol, symbol) ? ev : NULL;
}

static void new_order(struct tcall *c)
{
	order_req o;
	char msg[ACCT_REJECT_MAX];
	char *params = all_params(c->q);
	if (!params) {
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
		return;
	}
	int code = xa_order_decode(params, strlen(params), &o, msg, sizeof msg);
	free(params);
	if (code) {
		serve_rest_error(c->r, 400, code, msg);
		return;
	}
	if (!o.client_id[0])
		snprintf(o.client_id, sizeof o.client_id, "srv-%llu",
		         (unsigned long long)++c->ac->next_client_id);
	c->ac->reject_code = 0;
	sim_place(c->ac->sim, &o, c->a->now_ms);
	sim_advance(c->ac->sim, c->a->now_ms);
	const ev_t *ev = serve_account_order(c->ac, o.client_id, 0);
	if (c->ac->reject_code)
		serve_rest_error(c->r, 400, c->ac->reject_code, c->ac->reject_msg);
	else if (!ev)
		serve_rest_error(c->r, 500, -1000, "The order was neither accepted nor rejected.");
	else
		answer_order(c, ev);
}

static void cancel_order(struct tcall *c)
{
	const ev_t *ev = named_order(c, unknown_order);
	if (!ev)
		return;
	if (!is_open(ev)) {
		unknown_order(c);
		return;
	}
	char cid[CLIENT_ID_MAX];
	memcpy(cid, ev->u.order.client_id, sizeof cid);
	c->ac->reject_code = 0;
	sim_cancel(c->ac->sim, ev->symbol, cid, c->a->now_ms);
	sim_advance(c->ac->sim, c->a->now_ms);
	if (c->ac->reject_code)
		serve_rest_error(c->r, 400, c->ac->reject_code, c->ac->reject_msg);
	else
		answer_order(c, serve_account_order(c->ac, cid, 0));
}

static void no_such_order(struct tcall *c)
{
	serve_rest_error(c->r, 400, -2013, "Order does not exist.");
}

static void query_order(struct tcall *c)
{
	const ev_t *ev = named_order(c, no_such_order);
	if (ev)
		answer_order(c, ev);
}

static void open_orders(struct tcall *c)
{
	char symbol[SYMBOL_MAX] = "";
	if (serve_signed_param(c->q, "symbol", symbol, sizeof symbol) < 0) {
		serve_rest_error(c->r, 400, -1121, "Invalid symbol.");
		return;
	}
	serve_text_puts(&c->r->body, "[");
	bool first = true;
	for (size_t i = 0; i < c->ac->norders; i++) {
		const ev_t *ev = &c->ac->orders[i];
		if (!is_open(ev) || (symbol[0] && strcmp(symbol, ev->symbol)))
			continue;
		if (!first)
			serve_text_puts(&c->r->body, ",");
		first = false;
		order_json(&c->r->body, ev);
	}
	serve_text_puts(&c->r->body, "]");
}

/* ---------------------------------------------------------------- */
/* The account                                                      */
/* ---------------------------------------------------------------- */

static void balance(struct tcall *c)
{
	struct exchange_account x;
	sim_account(c->ac->sim, &x);
	struct text *t = &c->r->body;
	serve_text_puts(t, "[{\"accountAlias\":\"hunter\",\"asset\":\"USDT\",\"balance\":");
	serve_text_dec(t, x.wallet);
	serve_text_puts(t, ",\"crossWalletBalance\":");
	serve_text_dec(t, x.wallet);
	serve_text_puts(t, ",\"crossUnPnl\":");
	serve_text_dec(t, x.unrealized);
	serve_text_puts(t, ",\"availableBalance\":");
	serve_text_dec(t, x.wallet + x.unrealized - x.margin_used);
	serve_text_puts(t, ",\"maxWithdrawAmount\":");
	serve_text_dec(t, x.wallet - x.margin_used);
	serve_text_printf(t, ",\"marginAvailable\":true,\"updateTime\":%lld}]",
	                  (long long)c->a->now_ms);
}

/* The symbol's settings; NULL when the symbol is missing (answered). */
static struct sym_setting *setting_param(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	if (serve_signed_param(c->q, "symbol", symbol, sizeof symbol) != 1 || !symbol[0]) {
		serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'symbol' was not sent,"
		                 " was empty/null, or malformed.");
		return NULL;
	}
	struct sym_setting *st = serve_account_setting(c->ac, symbol);
	if (!st)
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
	return st;
}

static void success(struct tcall *c)
{
	serve_text_puts(&c->r->body, "{\"code\":200,\"msg\":\"success\"}");
}

static void leverage(struct tcall *c)
{
	int64_t lev = 0;
	struct sym_setting *st = setting_param(c);
	if (!st)
		return;
	if (serve_signed_int(c->q, "leverage", 1, 125, &lev) != 1) {
		serve_rest_error(c->r, 400, -4028, "Leverage is not valid.");
		return;
	}
	st->leverage = (int)lev;
	sim_set_leverage(c->ac->sim, st->symbol, st->leverage);
	serve_text_printf(&c->r->body, "{\"leverage\":%d,\"maxNotionalValue\":\"1000000\","
	                  "\"symbol\":", st->leverage);
	serve_text_json_string(&c->r->body, st->symbol, strlen(st->symbol));
	serve_text_puts(&c->r->body, "}");
}

/* Recorded and reported; the simulation margins every position as
 * cross (docs/serve.md). */
static void margin_type(struct tcall *c)
{
	char v[16];
	struct sym_setting *st = setting_param(c);
	if (!st)
		return;
	int got = serve_signed_param(c->q, "marginType", v, sizeof v);
	margin_type_t want = got == 1 && !strcmp(v, "ISOLATED") ? MARGIN_ISOLATED
	                     : got == 1 && !strcmp(v, "CROSSED") ? MARGIN_CROSSED : 0;
	if (!want)
		serve_rest_error(c->r, 400, -1102, "Parameter 'marginType' was malformed.");
	else if (want == st->margin)
		serve_rest_error(c->r, 400, -4046, "No need to change margin type.");
	else {
		st->margin = want;
		success(c);
	}
}

static void dual_get(struct tcall *c)
{
	serve_text_printf(&c->r->body, "{\"dualSidePosition\":%s}",
	                  c->ac->hedge ? "true" : "false");
}

static void dual_set(struct tcall *c)
{
	char v[8];
	int got = serve_signed_param(c->q, "dualSidePosition", v, sizeof v);
	bool on = got == 1 && !strcmp(v, "true");
	if (got != 1 || (!on && strcmp(v, "false")))
		serve_rest_error(c->r, 400, -1102, "Parameter 'dualSidePosition' was malformed.");
	else if (on == c->ac->hedge)
		serve_rest_error(c->r, 400, -4059, "No need to change position side.");
	else {
		c->ac->hedge = on;
		exchange_set_position_mode(&c->ac->x, on);
		success(c);
	}
}

static const char *const pos_sides[] = {"BOTH", "BOTH", "LONG", "SHORT"};

static void position_row(struct tcall *c, const struct position *p)
{
	struct text *t = &c->r->body;
	struct sym_setting *st = serve_account_setting(c->ac, p->symbol);
	const struct sym_state *m = serve_market_find(c->a->market, p->symbol);
	dec_t mark = m && m->mark.type ? m->mark.u.mark.mark : 0;
	dec_t notional = 0;
	dec_mul(p->amount, mark, &notional);
	serve_text_printf(t, "{\"symbol\":\"%s\",\"positionAmt\":", p->symbol);
	serve_text_dec(t, p->amount);
	serve_text_puts(t, ",\"entryPrice\":");
	serve_text_dec(t, p->entry_price);
	serve_text_puts(t, ",\"markPrice\":");
	serve_text_dec(t, mark);
	serve_text_puts(t, ",\"unRealizedProfit\":");
	serve_text_dec(t, p->unrealized);
	serve_text_puts(t, ",\"liquidationPrice\":\"0\",\"isolatedMargin\":");
	serve_text_dec(t, p->isolated_wallet);
	serve_text_puts(t, ",\"notional\":");
	serve_text_dec(t, notional);
	serve_text_printf(t, ",\"leverage\":\"%d\",\"marginType\":\"%s\","
	                  "\"positionSide\":\"%s\",\"updateTime\":%lld}",
	                  st ? st->leverage : 20,
	                  st && st->margin == MARGIN_ISOLATED ? "isolated" : "cross",
	                  pos_sides[p->pos_side <= PS_SHORT ? p->pos_side : 0],
	                  (long long)c->a->now_ms);
}

/* The open positions (Aster also lists the symbols without one). */
static void position_risk(struct tcall *c)
{
	char symbol[SYMBOL_MAX] = "";
	struct exchange_open open;
	serve_signed_param(c->q, "symbol", symbol, sizeof symbol);
	sim_open_state(c->ac->sim, &open);
	serve_text_puts(&c->r->body, "[");
	bool first = true;
	for (uint32_t i = 0; i < open.npositions; i++) {
		const struct position *p = &open.positions[i];
		if (symbol[0] && strcmp(symbol, p->symbol))
			continue;
		if (!first)
			serve_text_puts(&c->r->body, ",");
		first = false;
		position_row(c, p);
	}
	serve_text_puts(&c->r->body, "]");
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

/* ---------------------------------------------------------------- */
/* Routing                                                          */
/* ---------------------------------------------------------------- */

static const struct signed_endpoint {
	const char *method, *name;
	void (*answer)(struct tcall *c);
} endpoints[] = {
	{"POST", "order", new_order},
	{"DELETE", "order", cancel_order},
	{"GET", "order", query_order},
	{"GET", "openOrders", open_orders},
	{"GET", "balance", balance},
	{"GET", "positionRisk", position_risk},
	{"POST", "leverage", leverage},
	{"POST", "marginType", margin_type},
	{"GET", "positionSide/dual", dual_get},
	{"POST", "positionSide/dual", dual_set},
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

bool serve_trading_answer(struct accounts *a, struct signed_req *q, struct rest_reply *r)
{
	const struct signed_endpoint *e = NULL;
	bool known = false;
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
		if (!strcmp(endpoints[i].name, q->name)) {
			known = true;
			e = !strcmp(endpoints[i].method, q->method) ? &endpoints[i] : e;
		}
	}
	if (!known)
		return false;
	r->status = 200;
	r->retry_after = 0;
	serve_text_clear(&r->body);
	if (!e) {
		serve_rest_error(r, 405, -1000, "This method is not served for this endpoint.");
		return true;
	}
	struct tcall c = {a, caller(a, q, r), q, r};
	if (c.ac)
		e->answer(&c);
	return true;
}
