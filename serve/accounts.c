/*
 * accounts.c - the trading accounts of `hunter serve`. Each account owns a
 * simulated exchange (exchange_sim) that sees every market event the
 * replay sends and runs on the replay's clock, so an order rests, fills
 * and is reported as it would have been in the recorded market. The
 * accounts come from --accounts FILE, or, without it, a V3 signer gets a
 * fresh account funded with 10000 USDT the first time it signs.
 *
 * The simulation runs with no latency: a request takes effect, and its
 * answer is known, within the call that makes it, which is what lets a
 * REST reply carry the order's id and status as Aster's does.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aster.h"
#include "trading_int.h"

#define FRESH_BALANCE DEC(10000)
#define ACCOUNTS_FILE_MAX (1u << 20)

/* ---------------------------------------------------------------- */
/* What the simulation tells the account                            */
/* ---------------------------------------------------------------- */

static ev_t *order_slot(struct account *ac, const struct ev_order *o)
{
	for (size_t i = ac->norders; i-- > 0;)
		if (ac->orders[i].u.order.order_id == o->order_id)
			return &ac->orders[i];
	if (ac->norders == ac->orders_cap) {
		size_t cap = ac->orders_cap ? ac->orders_cap * 2 : 64;
		ev_t *v = realloc(ac->orders, cap * sizeof *v);
		if (!v)
			return NULL;
		ac->orders = v;
		ac->orders_cap = cap;
	}
	return &ac->orders[ac->norders++];
}

/* A fill for userTrades, as the TRADE update reports it. Out of memory,
 * it is left out. */
static void add_fill(struct account *ac, const ev_t *ev)
{
	const struct ev_order *o = &ev->u.order;
	struct fill *v = grow_array(ac->fills, &ac->fills_cap, ac->nfills + 1, sizeof *v);
	if (!v)
		return;
	ac->fills = v;
	struct fill *f = &v[ac->nfills++];
	*f = (struct fill){.id = o->trade_id, .order_id = o->order_id, .time_ms = o->trade_ms,
	                   .side = o->side, .pos_side = o->pos_side, .price = o->last_price,
	                   .qty = o->last_qty, .realized_pnl = o->realized_pnl,
	                   .commission = o->commission, .maker = o->maker};
	snprintf(f->symbol, sizeof f->symbol, "%s", ev->symbol);
	snprintf(f->commission_asset, sizeof f->commission_asset, "%s",
	         o->has_commission ? o->commission_asset : "USDT");
}

static void on_event(void *ctx, const ev_t *ev)
{
	struct account *ac = ctx;
	if (ac->table->on_user_event)
		ac->table->on_user_event(ac->table->user_ctx, ac, ev);
	if (ev->type != EV_ORDER_UPDATE)
		return;
	if (ev->u.order.exec == EXEC_TRADE)
		add_fill(ac, ev);
	ev_t *slot = order_slot(ac, &ev->u.order);
	if (slot) /* else the request that made it answers -1000 */
		*slot = *ev;
}

static void on_reject(void *ctx, const char *symbol, const char *client_id, int code,
                      const char *msg, int64_t ms)
{
	struct account *ac = ctx;
	(void)symbol, (void)client_id, (void)ms;
	ac->reject_code = code;
	snprintf(ac->reject_msg, sizeof ac->reject_msg, "%s", msg);
}

const ev_t *serve_account_order(const struct account *ac, const char *cid, int64_t order_id)
{
	for (size_t i = ac->norders; i-- > 0;) {
		const struct ev_order *o = &ac->orders[i].u.order;
		if (cid[0] ? !strcmp(o->client_id, cid) : o->order_id == order_id)
			return &ac->orders[i];
	}
	return NULL;
}

struct sym_setting *serve_account_setting(struct account *ac, const char *symbol)
{
	for (size_t i = 0; i < ac->nsettings; i++)
		if (!strcmp(ac->settings[i].symbol, symbol))
			return &ac->settings[i];
	if (ac->nsettings == ac->settings_cap) {
		size_t cap = ac->settings_cap ? ac->settings_cap * 2 : 8;
		struct sym_setting *v = realloc(ac->settings, cap * sizeof *v);
		if (!v)
			return NULL;
		ac->settings = v;
		ac->settings_cap = cap;
	}
	struct sym_setting *st = &ac->settings[ac->nsettings++];
	*st = (struct sym_setting){.leverage = 20, .margin = MARGIN_CROSSED};
	snprintf(st->symbol, sizeof st->symbol, "%s", symbol);
	return st;
}

/* ---------------------------------------------------------------- */
/* Making accounts                                                  */
/* ---------------------------------------------------------------- */

static int take_info(void *ctx, const ev_t *ev)
{
	if (ev->type == EV_EXCHANGE_INFO)
		sim_on_market(ctx, ev);
	return 0;
}

/* The trading rules of the recordings' exchangeInfo: without them the
 * simulation refuses every order with -1121. */
static void give_rules(struct accounts *a, sim_t *sim)
{
	const struct text *info = &a->market->info;
	aster_parser_t *p = info->len ? aster_parser_new() : NULL;
	struct aster_result res;
	if (p)
		aster_parse(p, info->s, info->len, NULL, take_info, sim, &res);
	aster_parser_free(p);
}

static struct account *account_add(struct accounts *a, dec_t balance)
{
	struct account *ac = calloc(1, sizeof *ac);
	if (!ac)
		return NULL;
	ac->table = a;
	struct sim_params p;
	sim_params_default(&p);
	p.order_latency_ms = p.cancel_latency_ms = p.ack_latency_ms = 0;
	p.starting_balance = balance;
	p.seed = a->n + 1; /* accounts never share order ids */
	struct exchange_sink sink = {.ctx = ac, .on_event = on_event, .on_reject = on_reject};
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		struct account **v = realloc(a->v, cap * sizeof *v);
		if (!v) {
			free(ac);
			return NULL;
		}
		a->v = v;
		a->cap = cap;
	}
	if (!(ac->sim = sim_new(&p, &sink))) {
		free(ac);
		return NULL;
	}
	sim_exchange(ac->sim, &ac->x);
	give_rules(a, ac->sim);
	sim_advance(ac->sim, a->now_ms);
	a->v[a->n++] = ac;
	return ac;
}

static void account_free(struct account *ac)
{
	sim_free(ac->sim);
	free(ac->orders);
	free(ac->fills);
	free(ac->settings);
	memset(ac->api_secret, 0, sizeof ac->api_secret);
	free(ac);
}

/* balance_usdt: a decimal string, or a whole JSON number. */
static int read_balance(const cJSON *o, dec_t *out)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "balance_usdt");
	*out = FRESH_BALANCE;
	if (!b)
		return 0;
	if (cJSON_IsString(b))
		return dec_parse(b->valuestring, strlen(b->valuestring), out, NULL) || *out < 0 ? -1 : 0;
	if (!cJSON_IsNumber(b) || b->valuedouble < 0 || b->valuedouble > 1e9 ||
	    b->valuedouble != (double)(int64_t)b->valuedouble)
		return -1;
	*out = DEC((int64_t)b->valuedouble);
	return 0;
}

static const char *string_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One entry of the file; the reason of a bad one names its index only. */
static int load_entry(struct accounts *a, const cJSON *o, size_t i, char *err)
{
	const char *key = string_of(o, "api_key"), *secret = string_of(o, "api_secret");
	const char *user = string_of(o, "user"), *signer = string_of(o, "signer");
	uint8_t u[SIGN_ADDR_LEN], s[SIGN_ADDR_LEN];
	dec_t balance;
	bool v1 = key && secret && key[0] && secret[0] && strlen(key) < ACCT_KEY_MAX &&
	          strlen(secret) < ACCT_KEY_MAX;
	bool v3 = user && signer && !sign_addr_parse(user, u) && !sign_addr_parse(signer, s);
	if (v1 == v3 || read_balance(o, &balance)) {
		snprintf(err, SERVE_ERR_MAX, "account %zu: want api_key and api_secret, or user and"
		         " signer addresses, and balance_usdt a decimal", i);
		return -1;
	}
	struct account *ac = account_add(a, balance);
	if (!ac) {
		snprintf(err, SERVE_ERR_MAX, "out of memory");
		return -1;
	}
	ac->scheme = v1 ? ACCT_V1 : ACCT_V3;
	if (v1) {
		snprintf(ac->api_key, sizeof ac->api_key, "%s", key);
		snprintf(ac->api_secret, sizeof ac->api_secret, "%s", secret);
	} else {
		memcpy(ac->user, u, sizeof u);
		memcpy(ac->signer, s, sizeof s);
	}
	return 0;
}

static char *read_file(const char *path, char *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(ACCOUNTS_FILE_MAX + 1) : NULL;
	size_t n = buf ? fread(buf, 1, ACCOUNTS_FILE_MAX + 1, f) : 0;
	if (f)
		fclose(f);
	if (!buf || n > ACCOUNTS_FILE_MAX) {
		snprintf(err, SERVE_ERR_MAX, "%s: cannot read it, or it is over 1 MB", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static int load_file(struct accounts *a, const char *path, char *err)
{
	char *text = read_file(path, err);
	if (!text)
		return -1;
	cJSON *root = cJSON_Parse(text);
	free(text);
	int rc = 0;
	if (!cJSON_IsArray(root)) {
		snprintf(err, SERVE_ERR_MAX, "%s: not a JSON list of accounts", path);
		rc = -1;
	}
	size_t i = 0;
	for (const cJSON *o = root ? root->child : NULL; !rc && o; o = o->next)
		rc = load_entry(a, o, i++, err);
	cJSON_Delete(root);
	return rc;
}

int serve_accounts_init(struct accounts *a, const struct market *m, const char *path,
                        int64_t listen_key_ttl_ms, char *err)
{
	*a = (struct accounts){.fixed = path != NULL, .market = m,
	                       .listen_key_ttl_ms = listen_key_ttl_ms};
	return path ? load_file(a, path, err) : 0;
}

void serve_accounts_free(struct accounts *a)
{
	for (size_t i = 0; i < a->n; i++)
		account_free(a->v[i]);
	free(a->v);
	*a = (struct accounts){0};
}

struct account *serve_accounts_by_key(const struct accounts *a, const char *api_key)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i]->scheme == ACCT_V1 && !strcmp(a->v[i]->api_key, api_key))
			return a->v[i];
	return NULL;
}

struct account *serve_accounts_by_signer(struct accounts *a, const uint8_t user[SIGN_ADDR_LEN],
                                         const uint8_t signer[SIGN_ADDR_LEN])
{
	for (size_t i = 0; i < a->n; i++) {
		struct account *ac = a->v[i];
		if (ac->scheme == ACCT_V3 && !memcmp(ac->user, user, SIGN_ADDR_LEN) &&
		    !memcmp(ac->signer, signer, SIGN_ADDR_LEN))
			return ac;
	}
	struct account *ac = a->fixed || a->n >= ACCT_FRESH_MAX ? NULL
	                     : account_add(a, FRESH_BALANCE);
	if (ac) {
		ac->scheme = ACCT_V3;
		memcpy(ac->user, user, SIGN_ADDR_LEN);
		memcpy(ac->signer, signer, SIGN_ADDR_LEN);
	}
	return ac;
}

struct account *serve_accounts_by_listen_key(const struct accounts *a, const char *key)
{
	for (size_t i = 0; key[0] && i < a->n; i++)
		if (!strcmp(a->v[i]->listen_key, key))
			return a->v[i];
	return NULL;
}

void serve_accounts_expire(struct accounts *a, int64_t wall_ms)
{
	for (size_t i = 0; i < a->n; i++) {
		struct account *ac = a->v[i];
		if (!ac->listen_key[0] || wall_ms < ac->listen_key_expires_ms)
			continue;
		if (a->on_key_expired)
			a->on_key_expired(a->user_ctx, ac, wall_ms);
		ac->listen_key[0] = '\0';
	}
}

void serve_account_cancel_all(struct account *ac, const char *symbol)
{
	int64_t now = ac->table->now_ms;
	for (size_t i = 0; i < ac->norders; i++) {
		const ev_t *ev = &ac->orders[i];
		order_status_t st = ev->u.order.status;
		if ((st == OS_NEW || st == OS_PARTIALLY_FILLED) && !strcmp(ev->symbol, symbol))
			sim_cancel(ac->sim, symbol, ev->u.order.client_id, now);
	}
	sim_advance(ac->sim, now); /* the cancels take effect: orders[] changes only here */
}

void serve_accounts_countdowns(struct accounts *a, int64_t wall_ms)
{
	for (size_t i = 0; i < a->n; i++) {
		struct account *ac = a->v[i];
		for (size_t k = 0; k < ac->nsettings; k++) {
			struct sym_setting *st = &ac->settings[k];
			if (!st->countdown_at_ms || wall_ms < st->countdown_at_ms)
				continue;
			st->countdown_at_ms = 0;
			serve_account_cancel_all(ac, st->symbol);
		}
	}
}

void serve_accounts_market(struct accounts *a, const ev_t *ev)
{
	if (ev->exch_ms > a->now_ms)
		a->now_ms = ev->exch_ms; /* where the simulations are now */
	for (size_t i = 0; i < a->n; i++)
		sim_on_market(a->v[i]->sim, ev);
}

void serve_accounts_advance(struct accounts *a, int64_t now_ms)
{
	if (now_ms <= a->now_ms)
		return;
	a->now_ms = now_ms;
	for (size_t i = 0; i < a->n; i++)
		sim_advance(a->v[i]->sim, now_ms);
}
