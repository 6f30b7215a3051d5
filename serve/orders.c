/*
 * orders.c - the signed order endpoints of `hunter serve`, on the signing
 * account's simulation: new, cancel and query an order, the open orders
 * (one or all), every order of a symbol, cancel all of a symbol's, the
 * countdown that cancels them (countdownCancelAll), and the account's
 * fills (userTrades). An order is written from its last
 * ORDER_TRADE_UPDATE, so its fields are the ones the user stream carries;
 * a fill from the TRADE update that reported it (accounts.c keeps them).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "aster.h"
#include "exchange_aster.h"
#include "trading_int.h"

#define ORDER_JSON_MAX 2048
#define ROWS_MAX 1000     /* allOrders and userTrades: limit at most */
#define ROWS_DEFAULT 500
#define COUNTDOWN_MAX_MS 86400000 /* a day: longer is a mistake, not a dead-man switch */

static bool is_open(const ev_t *ev)
{
	return ev->u.order.status == OS_NEW || ev->u.order.status == OS_PARTIALLY_FILLED;
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
bool serve_order_json(struct text *t, const ev_t *ev)
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

/* The order, or the error object, into out; returns 0 or the error code. */
static int order_or_error(struct text *out, const ev_t *ev)
{
	if (ev && serve_order_json(out, ev))
		return 0;
	serve_error_json(out, -1000, ev ? "An order could not be written."
	                                : "The order was neither accepted nor rejected.");
	return -1000;
}

static int error_into(struct text *out, int code, const char *msg)
{
	serve_error_json(out, code, msg);
	return code;
}

/* An answer of this status from a helper's code: 400 for the client's
 * mistakes, 500 for the server's own (-1000). */
static void status_of(struct tcall *c, int code)
{
	c->r->status = !code ? 200 : code == -1000 ? 500 : 400;
}

/* ---------------------------------------------------------------- */
/* Placing and cancelling                                           */
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

int serve_place(struct tcall *c, const char *params, size_t len, struct text *out)
{
	order_req o;
	char msg[ACCT_REJECT_MAX];
	int code = xa_order_decode(params, len, &o, msg, sizeof msg);
	if (code)
		return error_into(out, code, msg);
	if (!o.client_id[0])
		snprintf(o.client_id, sizeof o.client_id, "srv-%llu",
		         (unsigned long long)++c->ac->next_client_id);
	c->ac->reject_code = 0;
	sim_place(c->ac->sim, &o, c->a->now_ms);
	sim_advance(c->ac->sim, c->a->now_ms);
	if (c->ac->reject_code)
		return error_into(out, c->ac->reject_code, c->ac->reject_msg);
	return order_or_error(out, serve_account_order(c->ac, o.client_id, 0));
}

int serve_cancel(struct tcall *c, const char *symbol, const char *cid, int64_t order_id,
                 struct text *out)
{
	const ev_t *ev = serve_account_order(c->ac, cid, order_id);
	if (!ev || strcmp(ev->symbol, symbol) || !is_open(ev))
		return error_into(out, -2011, "Unknown order sent.");
	char id[CLIENT_ID_MAX];
	memcpy(id, ev->u.order.client_id, sizeof id); /* ev moves as updates come */
	c->ac->reject_code = 0;
	sim_cancel(c->ac->sim, symbol, id, c->a->now_ms);
	sim_advance(c->ac->sim, c->a->now_ms);
	if (c->ac->reject_code)
		return error_into(out, c->ac->reject_code, c->ac->reject_msg);
	return order_or_error(out, serve_account_order(c->ac, id, 0));
}

void serve_ep_new_order(struct tcall *c)
{
	char *params = all_params(c->q);
	if (!params) {
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
		return;
	}
	if (serve_orders_admit(c, 1))
		status_of(c, serve_place(c, params, strlen(params), &c->r->body));
	free(params);
}

/* The order the request names: `symbol` and origClientOrderId, else
 * orderId. false when they are missing (answered). */
static bool order_ref(struct tcall *c, char symbol[SYMBOL_MAX], char cid[CLIENT_ID_MAX],
                      int64_t *id)
{
	*id = -1;
	cid[0] = '\0';
	int got_cid = serve_signed_param(c->q, "origClientOrderId", cid, CLIENT_ID_MAX);
	int got_id = serve_signed_int(c->q, "orderId", 0, INT64_MAX, id);
	int got_sym = serve_signed_param(c->q, "symbol", symbol, SYMBOL_MAX);
	if (got_sym == 1 && got_cid >= 0 && got_id >= 0 && (got_cid == 1 || got_id == 1))
		return true;
	serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'symbol' and 'orderId' or"
	                 " 'origClientOrderId' were not sent, were empty/null, or malformed.");
	return false;
}

void serve_ep_cancel_order(struct tcall *c)
{
	char symbol[SYMBOL_MAX], cid[CLIENT_ID_MAX];
	int64_t id;
	if (order_ref(c, symbol, cid, &id))
		status_of(c, serve_cancel(c, symbol, cid, id, &c->r->body));
}

/* GET order and openOrder: the named order, if `want` accepts it. */
static void answer_named(struct tcall *c, bool (*want)(const ev_t *ev))
{
	char symbol[SYMBOL_MAX], cid[CLIENT_ID_MAX];
	int64_t id;
	if (!order_ref(c, symbol, cid, &id))
		return;
	const ev_t *ev = serve_account_order(c->ac, cid, id);
	if (!ev || strcmp(ev->symbol, symbol) || !want(ev))
		serve_rest_error(c->r, 400, -2013, "Order does not exist.");
	else
		status_of(c, order_or_error(&c->r->body, ev));
}

static bool any_order(const ev_t *ev)
{
	(void)ev;
	return true;
}

void serve_ep_query_order(struct tcall *c)
{
	answer_named(c, any_order);
}

void serve_ep_open_order(struct tcall *c)
{
	answer_named(c, is_open);
}

/* ---------------------------------------------------------------- */
/* Lists                                                            */
/* ---------------------------------------------------------------- */

/* Writes the rows idx[0..n) as a JSON array, `limit` of them: from the
 * first when the client gave where to start, else the last ones. */
static void write_rows(struct tcall *c, const size_t *idx, size_t n, int64_t limit, bool from,
                       void (*row)(struct tcall *c, size_t i))
{
	size_t take = n < (size_t)limit ? n : (size_t)limit;
	size_t first = from ? 0 : n - take;
	serve_text_puts(&c->r->body, "[");
	for (size_t k = first; k < first + take; k++) {
		if (k > first)
			serve_text_puts(&c->r->body, ",");
		row(c, idx[k]);
	}
	serve_text_puts(&c->r->body, "]");
}

static void order_row(struct tcall *c, size_t i)
{
	serve_order_json(&c->r->body, &c->ac->orders[i]);
}

/* The indexes of rows 0..n that `keep` takes; NULL when out of memory
 * (answered). */
static size_t *pick(struct tcall *c, size_t n, bool (*keep)(struct tcall *c, size_t i,
                                                           const void *arg),
                    const void *arg, size_t *count)
{
	size_t *idx = malloc((n + 1) * sizeof *idx);
	*count = 0;
	if (!idx) {
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (keep(c, i, arg))
			idx[(*count)++] = i;
	return idx;
}

static bool open_kept(struct tcall *c, size_t i, const void *arg)
{
	const char *symbol = arg;
	const ev_t *ev = &c->ac->orders[i];
	return is_open(ev) && (!symbol[0] || !strcmp(symbol, ev->symbol));
}

void serve_ep_open_orders(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	if (!serve_symbol_filter(c, symbol))
		return;
	size_t n;
	size_t *idx = pick(c, c->ac->norders, open_kept, symbol, &n);
	if (idx)
		write_rows(c, idx, n, (int64_t)n, true, order_row);
	free(idx);
}

struct order_filter {
	const char *symbol;
	int64_t from_id;
};

static bool order_kept(struct tcall *c, size_t i, const void *arg)
{
	const struct order_filter *f = arg;
	const ev_t *ev = &c->ac->orders[i];
	return !strcmp(ev->symbol, f->symbol) && ev->u.order.order_id >= f->from_id;
}

void serve_ep_all_orders(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	struct order_filter f = {symbol, 0};
	int64_t limit;
	if (!serve_required(c, "symbol", symbol, sizeof symbol) ||
	    !serve_limit_param(c, ROWS_MAX, ROWS_DEFAULT, &limit))
		return;
	int got = serve_signed_int(c->q, "orderId", 0, INT64_MAX, &f.from_id);
	if (got < 0) {
		serve_rest_error(c->r, 400, -1130, "Data sent for parameter 'orderId' is not valid.");
		return;
	}
	size_t n;
	size_t *idx = pick(c, c->ac->norders, order_kept, &f, &n);
	if (idx)
		write_rows(c, idx, n, limit, got == 1, order_row);
	free(idx);
}

/* ---------------------------------------------------------------- */
/* Cancelling all                                                   */
/* ---------------------------------------------------------------- */

void serve_ep_cancel_all(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	if (!serve_required(c, "symbol", symbol, sizeof symbol) || !serve_known_symbol(c, symbol))
		return;
	serve_account_cancel_all(c->ac, symbol);
	serve_text_puts(&c->r->body, "{\"code\":\"200\",\"msg\":\"The operation of cancel all open"
	                             " order is done.\"}");
}

/* A dead-man switch: unless called again within countdownTime ms, the
 * symbol's open orders are cancelled (serve_accounts_countdowns, on the
 * wall clock, as the client's calls are). 0 turns it off. */
void serve_ep_countdown(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	int64_t ms;
	if (!serve_required(c, "symbol", symbol, sizeof symbol) || !serve_known_symbol(c, symbol))
		return;
	if (serve_signed_int(c->q, "countdownTime", 0, COUNTDOWN_MAX_MS, &ms) != 1) {
		serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'countdownTime' was not sent,"
		                 " was empty/null, or malformed.");
		return;
	}
	struct sym_setting *st = serve_account_setting(c->ac, symbol);
	if (!st) {
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
		return;
	}
	st->countdown_at_ms = ms ? c->q->wall_ms + ms : 0;
	serve_text_printf(&c->r->body, "{\"symbol\":\"%s\",\"countdownTime\":\"%lld\"}", symbol,
	                  (long long)ms);
}

/* ---------------------------------------------------------------- */
/* Fills                                                            */
/* ---------------------------------------------------------------- */

static const char *const side_names[] = {"", "BUY", "SELL"};
static const char *const pos_side_names[] = {"BOTH", "BOTH", "LONG", "SHORT"};

static void fill_row(struct tcall *c, size_t i)
{
	const struct fill *f = &c->ac->fills[i];
	struct text *t = &c->r->body;
	dec_t quote = 0;
	dec_mul(f->price, f->qty, &quote);
	serve_text_printf(t, "{\"symbol\":\"%s\",\"id\":%lld,\"orderId\":%lld,\"side\":\"%s\","
	                  "\"price\":", f->symbol, (long long)f->id, (long long)f->order_id,
	                  side_names[f->side <= SIDE_SELL ? f->side : 0]);
	serve_text_dec(t, f->price);
	serve_text_puts(t, ",\"qty\":");
	serve_text_dec(t, f->qty);
	serve_text_puts(t, ",\"realizedPnl\":");
	serve_text_dec(t, f->realized_pnl);
	serve_text_puts(t, ",\"quoteQty\":");
	serve_text_dec(t, quote);
	serve_text_puts(t, ",\"commission\":");
	serve_text_dec(t, f->commission);
	serve_text_printf(t, ",\"commissionAsset\":\"%s\",\"time\":%lld,\"positionSide\":\"%s\","
	                  "\"buyer\":%s,\"maker\":%s}", f->commission_asset, (long long)f->time_ms,
	                  pos_side_names[f->pos_side <= PS_SHORT ? f->pos_side : 0],
	                  f->side == SIDE_BUY ? "true" : "false", f->maker ? "true" : "false");
}

struct fill_filter {
	const char *symbol;
	int64_t from_id, start_ms, end_ms;
};

static bool fill_kept(struct tcall *c, size_t i, const void *arg)
{
	const struct fill_filter *f = arg;
	const struct fill *x = &c->ac->fills[i];
	return !strcmp(x->symbol, f->symbol) && x->id >= f->from_id && x->time_ms >= f->start_ms &&
	       x->time_ms <= f->end_ms;
}

/* fromId, startTime, endTime: -1 when one is malformed or fromId comes
 * with a time (answered), else whether a start was given. */
static int fill_range(struct tcall *c, struct fill_filter *f)
{
	static const char *const keys[] = {"fromId", "startTime", "endTime"};
	int64_t *outs[] = {&f->from_id, &f->start_ms, &f->end_ms};
	int got[3];
	for (int k = 0; k < 3; k++) {
		if ((got[k] = serve_signed_int(c->q, keys[k], 0, INT64_MAX, outs[k])) < 0) {
			char msg[80];
			snprintf(msg, sizeof msg, "Data sent for parameter '%s' is not valid.", keys[k]);
			serve_rest_error(c->r, 400, -1130, msg);
			return -1;
		}
	}
	if (got[0] == 1 && (got[1] == 1 || got[2] == 1)) {
		serve_rest_error(c->r, 400, -1128, "Combination of optional parameters invalid.");
		return -1;
	}
	return got[0] == 1 || got[1] == 1;
}

void serve_ep_user_trades(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	struct fill_filter f = {symbol, 0, 0, INT64_MAX};
	int64_t limit;
	if (!serve_required(c, "symbol", symbol, sizeof symbol) ||
	    !serve_limit_param(c, ROWS_MAX, ROWS_DEFAULT, &limit))
		return;
	int from = fill_range(c, &f);
	if (from < 0)
		return;
	size_t n;
	size_t *idx = pick(c, c->ac->nfills, fill_kept, &f, &n);
	if (idx)
		write_rows(c, idx, n, limit, from == 1, fill_row);
	free(idx);
}
