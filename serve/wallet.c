/*
 * wallet.c - the signed account endpoints of `hunter serve`, from the
 * signing account's simulation: the USDT balance, the account (totals,
 * assets and positions), the positions' risk, the leverage brackets, and
 * the settings a client changes (leverage, margin type, position mode,
 * multi-assets mode).
 * Every amount is the simulation's exact decimal. The simulation keeps a
 * USDT wallet with cross margin only: the settings it does not model are
 * kept and reported, not applied (docs/serve.md).
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "trading_int.h"

/* The account's totals as Aster names them. */
struct totals {
	dec_t wallet, unrealized, margin_balance, initial, available, max_withdraw;
};

static void totals_of(struct tcall *c, struct totals *t)
{
	struct exchange_account x;
	sim_account(c->ac->sim, &x);
	*t = (struct totals){.wallet = x.wallet, .unrealized = x.unrealized,
	                     .margin_balance = x.wallet + x.unrealized, .initial = x.margin_used,
	                     .available = x.wallet + x.unrealized - x.margin_used,
	                     .max_withdraw = x.wallet - x.margin_used};
}

struct money {
	const char *name;
	dec_t v;
};

/* ,"name":"v" for each; the decimals as strings, as Aster writes them. */
static void money_fields(struct text *t, const struct money *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		serve_text_printf(t, ",\"%s\":", m[i].name);
		serve_text_dec(t, m[i].v);
	}
}

#define MONEY(t, ...) \
	money_fields((t), (const struct money[]){__VA_ARGS__}, \
	             sizeof((const struct money[]){__VA_ARGS__}) / sizeof(struct money))

void serve_ep_balance(struct tcall *c)
{
	struct totals x;
	totals_of(c, &x);
	struct text *t = &c->r->body;
	serve_text_puts(t, "[{\"accountAlias\":\"hunter\",\"asset\":\"USDT\"");
	MONEY(t, {"balance", x.wallet}, {"crossWalletBalance", x.wallet},
	      {"crossUnPnl", x.unrealized}, {"availableBalance", x.available},
	      {"maxWithdrawAmount", x.max_withdraw});
	serve_text_printf(t, ",\"marginAvailable\":true,\"updateTime\":%lld}]",
	                  (long long)c->a->now_ms);
}

/* ---------------------------------------------------------------- */
/* Positions                                                        */
/* ---------------------------------------------------------------- */

static const char *const pos_sides[] = {"BOTH", "BOTH", "LONG", "SHORT"};

/* What a position is worth and weighs, at the last replayed mark. */
struct valued {
	const struct position *p;
	const struct sym_setting *st; /* NULL when out of memory: the defaults */
	dec_t mark, notional, initial;
	int leverage;
};

/* The last replayed mark price; without one, the last trade's, as the
 * simulation values positions. */
static dec_t mark_of(const struct sym_state *m)
{
	if (m && m->mark.type)
		return m->mark.u.mark.mark;
	return m && m->last_trade.type ? m->last_trade.u.trade.price : 0;
}

static void value(struct tcall *c, const struct position *p, struct valued *v)
{
	*v = (struct valued){.p = p, .st = serve_account_setting(c->ac, p->symbol),
	                     .mark = mark_of(serve_market_find(c->a->market, p->symbol))};
	v->leverage = v->st ? v->st->leverage : 20;
	dec_mul(p->amount, v->mark, &v->notional);
	dec_div(v->notional < 0 ? -v->notional : v->notional, DEC(v->leverage), &v->initial);
}

static const char *side_of(const struct position *p)
{
	return pos_sides[p->pos_side <= PS_SHORT ? p->pos_side : 0];
}

static bool isolated(const struct valued *v)
{
	return v->st && v->st->margin == MARGIN_ISOLATED;
}

static void risk_row(struct tcall *c, const struct valued *v)
{
	struct text *t = &c->r->body;
	serve_text_printf(t, "{\"symbol\":\"%s\"", v->p->symbol);
	MONEY(t, {"positionAmt", v->p->amount}, {"entryPrice", v->p->entry_price},
	      {"markPrice", v->mark}, {"unRealizedProfit", v->p->unrealized},
	      {"liquidationPrice", 0}, {"isolatedMargin", v->p->isolated_wallet},
	      {"notional", v->notional});
	serve_text_printf(t, ",\"leverage\":\"%d\",\"marginType\":\"%s\","
	                  "\"positionSide\":\"%s\",\"updateTime\":%lld}", v->leverage,
	                  isolated(v) ? "isolated" : "cross", side_of(v->p),
	                  (long long)c->a->now_ms);
}

static void account_position(struct tcall *c, const struct valued *v)
{
	struct text *t = &c->r->body;
	serve_text_printf(t, "{\"symbol\":\"%s\"", v->p->symbol);
	MONEY(t, {"initialMargin", v->initial}, {"maintMargin", 0},
	      {"unrealizedProfit", v->p->unrealized}, {"positionInitialMargin", v->initial},
	      {"openOrderInitialMargin", 0}, {"entryPrice", v->p->entry_price},
	      {"maxNotional", DEC(1000000)}, {"positionAmt", v->p->amount},
	      {"notional", v->notional}, {"isolatedWallet", v->p->isolated_wallet});
	serve_text_printf(t, ",\"leverage\":\"%d\",\"isolated\":%s,\"positionSide\":\"%s\","
	                  "\"updateTime\":%lld}", v->leverage, isolated(v) ? "true" : "false",
	                  side_of(v->p), (long long)c->a->now_ms);
}

/* The open positions as a JSON array of rows, of `symbol` when given
 * (Aster also lists the symbols without one). */
static void positions(struct tcall *c, const char *symbol,
                      void (*row)(struct tcall *c, const struct valued *v))
{
	struct exchange_open open;
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
		struct valued v;
		value(c, p, &v);
		row(c, &v);
	}
	serve_text_puts(&c->r->body, "]");
}

void serve_ep_position_risk(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	if (serve_symbol_filter(c, symbol))
		positions(c, symbol, risk_row);
}

/* /fapi/v2|v4/account, V3 account and accountWithJoinMargin: the totals,
 * the one USDT asset and the open positions. */
void serve_ep_account(struct tcall *c)
{
	struct totals x;
	totals_of(c, &x);
	struct text *t = &c->r->body;
	serve_text_printf(t, "{\"feeTier\":0,\"canTrade\":true,\"canDeposit\":true,"
	                  "\"canWithdraw\":true,\"multiAssetsMargin\":%s,\"updateTime\":%lld",
	                  c->ac->multi_assets ? "true" : "false", (long long)c->a->now_ms);
	MONEY(t, {"totalInitialMargin", x.initial}, {"totalMaintMargin", 0},
	      {"totalWalletBalance", x.wallet}, {"totalUnrealizedProfit", x.unrealized},
	      {"totalMarginBalance", x.margin_balance}, {"totalPositionInitialMargin", x.initial},
	      {"totalOpenOrderInitialMargin", 0}, {"totalCrossWalletBalance", x.wallet},
	      {"totalCrossUnPnl", x.unrealized}, {"availableBalance", x.available},
	      {"maxWithdrawAmount", x.max_withdraw});
	serve_text_puts(t, ",\"assets\":[{\"asset\":\"USDT\"");
	MONEY(t, {"walletBalance", x.wallet}, {"unrealizedProfit", x.unrealized},
	      {"marginBalance", x.margin_balance}, {"maintMargin", 0}, {"initialMargin", x.initial},
	      {"positionInitialMargin", x.initial}, {"openOrderInitialMargin", 0},
	      {"maxWithdrawAmount", x.max_withdraw}, {"crossWalletBalance", x.wallet},
	      {"crossUnPnl", x.unrealized}, {"availableBalance", x.available});
	serve_text_printf(t, ",\"marginAvailable\":true,\"updateTime\":%lld}],\"positions\":",
	                  (long long)c->a->now_ms);
	positions(c, "", account_position);
	serve_text_puts(t, "}");
}

/* One bracket per symbol, the simulation's: leverage up to 125 and the
 * maintenance rate of the rules, whatever the notional. */
static void bracket(struct text *t, const struct sym_state *m)
{
	dec_t ratio = 0;
	dec_div(m->maint_margin_pct, DEC(100), &ratio);
	serve_text_printf(t, "{\"symbol\":\"%s\",\"brackets\":[{\"bracket\":1,"
	                  "\"initialLeverage\":125,\"notionalCap\":1000000,\"notionalFloor\":0,"
	                  "\"maintMarginRatio\":", m->name);
	serve_text_number(t, ratio);
	serve_text_puts(t, ",\"cum\":0}]}");
}

void serve_ep_leverage_bracket(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	const struct market *m = c->a->market;
	if (!serve_symbol_filter(c, symbol))
		return;
	serve_text_puts(&c->r->body, "[");
	bool first = true;
	for (size_t i = 0; i < m->n; i++) {
		if (symbol[0] && strcmp(symbol, m->syms[i].name))
			continue;
		if (!first)
			serve_text_puts(&c->r->body, ",");
		first = false;
		bracket(&c->r->body, &m->syms[i]);
	}
	serve_text_puts(&c->r->body, "]");
}

/* ---------------------------------------------------------------- */
/* Settings                                                         */
/* ---------------------------------------------------------------- */

/* Whether the served exchangeInfo lists the symbol. */
static bool listed(const struct tcall *c, const char *symbol)
{
	const struct text *info = &c->a->market->info;
	cJSON *j = cJSON_ParseWithLength(info->s ? info->s : "", info->len);
	const cJSON *sym;
	bool found = false;
	cJSON_ArrayForEach(sym, cJSON_GetObjectItemCaseSensitive(j, "symbols")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sym, "symbol"));
		found |= name && !strcmp(name, symbol);
	}
	cJSON_Delete(j);
	return found;
}

/* The settings of the request's symbol; NULL when it is missing or not
 * one the exchange lists (answered, -1121 as Aster does). */
static struct sym_setting *setting_param(struct tcall *c)
{
	char symbol[SYMBOL_MAX];
	if (!serve_required(c, "symbol", symbol, sizeof symbol))
		return NULL;
	if (!listed(c, symbol)) {
		serve_rest_error(c->r, 400, -1121, "Invalid symbol.");
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

void serve_ep_leverage(struct tcall *c)
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
void serve_ep_margin_type(struct tcall *c)
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

/* GET of an account-wide flag: {"key":bool}. */
static void flag_json(struct tcall *c, const char *key, bool on)
{
	serve_text_printf(&c->r->body, "{\"%s\":%s}", key, on ? "true" : "false");
}

/* POST of an account-wide flag, "true" or "false"; setting it as it is
 * gets `code` and `msg`. Returns whether it changed (else answered). */
static bool set_flag(struct tcall *c, const char *key, bool *flag, int code, const char *msg)
{
	char v[8];
	int got = serve_signed_param(c->q, key, v, sizeof v);
	bool on = got == 1 && !strcmp(v, "true");
	if (got != 1 || (!on && strcmp(v, "false"))) {
		char bad[96];
		snprintf(bad, sizeof bad, "Parameter '%s' was malformed.", key);
		serve_rest_error(c->r, 400, -1102, bad);
	} else if (on == *flag) {
		serve_rest_error(c->r, 400, code, msg);
	} else {
		*flag = on;
		success(c);
		return true;
	}
	return false;
}

void serve_ep_dual_get(struct tcall *c)
{
	flag_json(c, "dualSidePosition", c->ac->hedge);
}

void serve_ep_dual_set(struct tcall *c)
{
	if (set_flag(c, "dualSidePosition", &c->ac->hedge, -4059,
	             "No need to change position side."))
		exchange_set_position_mode(&c->ac->x, c->ac->hedge);
}

void serve_ep_multi_assets_get(struct tcall *c)
{
	flag_json(c, "multiAssetsMargin", c->ac->multi_assets);
}

/* Kept per account and reported; the simulation has the USDT wallet only. */
void serve_ep_multi_assets_set(struct tcall *c)
{
	set_flag(c, "multiAssetsMargin", &c->ac->multi_assets, -4171,
	         "No need to change multi-assets margin mode.");
}
