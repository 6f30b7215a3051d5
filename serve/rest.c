/*
 * rest.c - Aster's public REST market endpoints under /fapi/v1/ and
 * /fapi/v3/, answered from the market state of the replay (market.c):
 * ping, time, exchangeInfo, depth, premiumIndex, ticker/bookTicker,
 * ticker/price, aggTrades and klines (the signed ones are trading.c's).
 * Bad input gets Binance's error JSON
 * {"code":-N,"msg":"..."} with HTTP 400.
 */
#include <string.h>

#include "trading_int.h"

struct call {
	const struct market *m;
	int64_t now_ms;
	const char *query;
	struct rest_reply *r;
};

/* The message may quote client input (the order decoder's do), so it is
 * escaped. */
void serve_error_json(struct text *t, int code, const char *msg)
{
	serve_text_printf(t, "{\"code\":%d,\"msg\":", code);
	serve_text_json_string(t, msg, strlen(msg));
	serve_text_puts(t, "}");
}

void serve_rest_error(struct rest_reply *r, int status, int code, const char *msg)
{
	r->status = status;
	serve_text_clear(&r->body);
	serve_error_json(&r->body, code, msg);
}

void serve_rest_fault(struct rest_reply *r, int status)
{
	if (status == 429) {
		serve_rest_error(r, 429, -1003, "Too many requests; current limit is 2400 requests per minute.");
		r->retry_after = 1;
	} else {
		serve_rest_error(r, 503, -1001, "Internal error; unable to process your request. Please try again.");
	}
}

static void bad_param(struct call *c, const char *name)
{
	char msg[96];
	snprintf(msg, sizeof msg, "Data sent for parameter '%s' is not valid.", name);
	serve_rest_error(c->r, 400, -1130, msg);
}

/* The symbol parameter: NULL when absent (and `required` answered), or
 * when it names no symbol (answered). *absent tells the two apart. */
static const struct sym_state *symbol_param(struct call *c, bool required, bool *absent)
{
	char name[SYMBOL_MAX];
	int got = serve_query_get(c->query, "symbol", name, sizeof name);
	*absent = got == 0;
	if (got == 0 && required)
		serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null,"
		                       " or malformed.");
	const struct sym_state *s = got > 0 ? serve_market_find(c->m, name) : NULL;
	if (!s && !*absent)
		serve_rest_error(c->r, 400, -1121, "Invalid symbol.");
	return s;
}

static void ping(struct call *c)
{
	serve_text_puts(&c->r->body, "{}");
}

static void server_time(struct call *c)
{
	serve_text_printf(&c->r->body, "{\"serverTime\":%lld}", (long long)c->now_ms);
}

static void exchange_info(struct call *c)
{
	if (!c->m->info.len)
		serve_rest_error(c->r, 503, -1001, "The recordings hold no exchangeInfo.");
	else
		serve_text_put(&c->r->body, c->m->info.s, c->m->info.len);
}

/* The book as a depth snapshot; from the last bookTicker when the
 * recording has no depth for the symbol. */
static void depth(struct call *c)
{
	static const int64_t limits[] = {5, 10, 20, 50, 100, 500, 1000};
	bool absent;
	const struct sym_state *s = symbol_param(c, true, &absent);
	int64_t limit = 500;
	if (!s)
		return;
	if (serve_query_int(c->query, "limit", 1, 1000, &limit) < 0) {
		bad_param(c, "limit");
		return;
	}
	bool ok = false;
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
		ok |= limits[i] == limit;
	if (!ok) {
		bad_param(c, "limit");
		return;
	}
	ev_t ev = {.type = EV_DEPTH_SNAPSHOT, .exch_ms = c->now_ms};
	copy_str(ev.symbol, sizeof ev.symbol, s->name, strlen(s->name));
	const struct ev_book_ticker *t = &s->ticker.u.book;
	level_t bid = {t->bid, t->bid_qty}, ask = {t->ask, t->ask_qty};
	struct ev_depth *d = &ev.u.depth;
	if (s->has_depth) {
		*d = (struct ev_depth){.tx_ms = s->book_tx_ms, .last_id = s->book_id,
		                       .bids = s->bids.lv, .asks = s->asks.lv,
		                       .nbids = s->bids.n < limit ? s->bids.n : (uint32_t)limit,
		                       .nasks = s->asks.n < limit ? s->asks.n : (uint32_t)limit};
	} else if (s->ticker.type) {
		*d = (struct ev_depth){.tx_ms = t->tx_ms, .last_id = t->update_id,
		                       .bids = &bid, .asks = &ask, .nbids = 1, .nasks = 1};
	}
	serve_text_event(&c->r->body, &ev);
}

static void each_symbol(struct call *c, void (*one)(struct text *, const struct sym_state *))
{
	bool absent;
	const struct sym_state *s = symbol_param(c, false, &absent);
	if (s) {
		one(&c->r->body, s);
		return;
	}
	if (!absent)
		return;
	serve_text_puts(&c->r->body, "[");
	bool first = true;
	for (size_t i = 0; i < c->m->n; i++) {
		size_t before = c->r->body.len;
		if (!first)
			serve_text_puts(&c->r->body, ",");
		one(&c->r->body, &c->m->syms[i]);
		if (c->r->body.len == before + !first)
			c->r->body.len = before; /* nothing to say for this symbol */
		else
			first = false;
	}
	serve_text_puts(&c->r->body, "]");
}

static void premium_one(struct text *t, const struct sym_state *s)
{
	const struct ev_mark_price *mp = &s->mark.u.mark;
	if (!s->mark.type)
		return;
	serve_text_printf(t, "{\"symbol\":\"%s\",\"markPrice\":", s->name);
	serve_text_dec(t, mp->mark);
	serve_text_puts(t, ",\"indexPrice\":");
	serve_text_dec(t, mp->index);
	serve_text_puts(t, ",\"estimatedSettlePrice\":");
	serve_text_dec(t, mp->settle);
	serve_text_puts(t, ",\"lastFundingRate\":");
	serve_text_dec(t, mp->funding_rate);
	serve_text_printf(t, ",\"nextFundingTime\":%lld,\"interestRate\":\"0\",\"time\":%lld}",
	                  (long long)mp->next_funding_ms, (long long)s->mark.exch_ms);
}

static void book_ticker_one(struct text *t, const struct sym_state *s)
{
	const struct ev_book_ticker *b = &s->ticker.u.book;
	if (!s->ticker.type)
		return;
	serve_text_printf(t, "{\"symbol\":\"%s\",\"bidPrice\":", s->name);
	serve_text_dec(t, b->bid);
	serve_text_puts(t, ",\"bidQty\":");
	serve_text_dec(t, b->bid_qty);
	serve_text_puts(t, ",\"askPrice\":");
	serve_text_dec(t, b->ask);
	serve_text_puts(t, ",\"askQty\":");
	serve_text_dec(t, b->ask_qty);
	serve_text_printf(t, ",\"time\":%lld}", (long long)b->tx_ms);
}

static void price_one(struct text *t, const struct sym_state *s)
{
	if (!s->last_trade.type)
		return;
	serve_text_printf(t, "{\"symbol\":\"%s\",\"price\":", s->name);
	serve_text_dec(t, s->last_trade.u.trade.price);
	serve_text_printf(t, ",\"time\":%lld}", (long long)s->last_trade.u.trade.trade_ms);
}

static void premium_index(struct call *c)
{
	each_symbol(c, premium_one);
}

static void book_ticker(struct call *c)
{
	each_symbol(c, book_ticker_one);
}

static void ticker_price(struct call *c)
{
	each_symbol(c, price_one);
}

static void agg_row(struct text *t, const struct ev_trade *a)
{
	serve_text_printf(t, "{\"a\":%lld,\"p\":", (long long)a->id);
	serve_text_dec(t, a->price);
	serve_text_puts(t, ",\"q\":");
	serve_text_dec(t, a->qty);
	serve_text_printf(t, ",\"f\":%lld,\"l\":%lld,\"T\":%lld,\"m\":%s}", (long long)a->first_id,
	                  (long long)a->last_id, (long long)a->trade_ms,
	                  a->buyer_maker ? "true" : "false");
}

/* Optional startTime/endTime; false when malformed (answered). */
static bool time_window(struct call *c, int64_t *from, int64_t *to)
{
	*from = INT64_MIN;
	*to = INT64_MAX;
	if (serve_query_int(c->query, "startTime", 0, INT64_MAX, from) < 0) {
		bad_param(c, "startTime");
		return false;
	}
	if (serve_query_int(c->query, "endTime", 0, INT64_MAX, to) < 0) {
		bad_param(c, "endTime");
		return false;
	}
	return true;
}

/* The most recent kept aggTrades (at most SERVE_TRADES_KEPT), filtered
 * by fromId and the time window, at most `limit` from the oldest match. */
static void agg_trades(struct call *c)
{
	bool absent;
	const struct sym_state *s = symbol_param(c, true, &absent);
	int64_t limit = 500, from_id = INT64_MIN, from, to;
	if (!s || !time_window(c, &from, &to))
		return;
	if (serve_query_int(c->query, "limit", 1, 1000, &limit) < 0) {
		bad_param(c, "limit");
		return;
	}
	if (serve_query_int(c->query, "fromId", 0, INT64_MAX, &from_id) < 0) {
		bad_param(c, "fromId");
		return;
	}
	bool latest = from == INT64_MIN && from_id == INT64_MIN;
	uint32_t skip = latest && s->naggs > limit ? s->naggs - (uint32_t)limit : 0;
	int64_t n = 0;
	serve_text_puts(&c->r->body, "[");
	for (uint32_t i = skip; i < s->naggs && n < limit; i++) {
		const struct ev_trade *a = &s->aggs[(s->agg_head + i) % SERVE_TRADES_KEPT];
		if (a->id < from_id || a->trade_ms < from || a->trade_ms > to)
			continue;
		if (n++)
			serve_text_puts(&c->r->body, ",");
		agg_row(&c->r->body, a);
	}
	serve_text_puts(&c->r->body, "]");
}

static void klines(struct call *c)
{
	bool absent;
	const struct sym_state *s = symbol_param(c, true, &absent);
	char iv[8];
	int64_t limit = 500, from, to, ms;
	if (!s || !time_window(c, &from, &to))
		return;
	if (serve_query_get(c->query, "interval", iv, sizeof iv) != 1 ||
	    (ms = serve_kline_interval(iv)) < 0) {
		serve_rest_error(c->r, 400, -1120, "Invalid interval.");
		return;
	}
	if (serve_query_int(c->query, "limit", 1, 1500, &limit) < 0) {
		bad_param(c, "limit");
		return;
	}
	serve_klines_write(s, ms, from, to, limit, &c->r->body);
}

static const struct endpoint {
	const char *name;
	void (*answer)(struct call *c);
} endpoints[] = {
	{"ping", ping},
	{"time", server_time},
	{"exchangeInfo", exchange_info},
	{"depth", depth},
	{"premiumIndex", premium_index},
	{"ticker/bookTicker", book_ticker},
	{"ticker/price", ticker_price},
	{"aggTrades", agg_trades},
	{"klines", klines},
};

void serve_rest_answer(const struct market *m, int64_t now_ms, const char *path,
                       const char *query, struct rest_reply *r)
{
	struct call c = {m, now_ms, query ? query : "", r};
	r->status = 200;
	r->retry_after = 0;
	serve_text_clear(&r->body);
	if (!strcmp(path, "/api/v3/exchangeInfo")) { /* spot: ccxt's loadMarkets asks */
		serve_info_spot(&r->body, now_ms, &m->limits);
		return;
	}
	const char *name = !strncmp(path, "/fapi/v1/", 9) || !strncmp(path, "/fapi/v3/", 9)
	                   ? path + 9 : NULL;
	for (size_t i = 0; name && i < sizeof endpoints / sizeof endpoints[0]; i++) {
		if (!strcmp(endpoints[i].name, name)) {
			endpoints[i].answer(&c);
			return;
		}
	}
	serve_rest_error(r, 404, -1000, "Unknown endpoint: not served by hunter serve.");
}
