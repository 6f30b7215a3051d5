/*
 * snapshot.c - the live run as the dashboard shows it (docs/dashboard.md):
 * the account as the exchange reports it, the engine's tranches with
 * their take-profit and stop-loss, the positions they add up to, the
 * engine's working orders, and the health of streams and requests. Built
 * once a second on the trading thread and handed to the dashboard's.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "live_int.h"

static void put_dec(cJSON *o, const char *key, dec_t v)
{
	char buf[DEC_FMT_MAX];
	dec_format(v, buf);
	cJSON_AddStringToObject(o, key, buf);
}

/* One position per symbol and side: the sum of its tranches. */
struct side_sum {
	const char *symbol;
	bool is_long;
	dec_t qty, cost, mark;
};

struct build {
	cJSON *tranches, *orders;
	struct side_sum sums[64];
	size_t nsums;
};

static void add_to_position(struct build *b, const struct engine_tranche *t)
{
	size_t i = 0;
	while (i < b->nsums && (strcmp(b->sums[i].symbol, t->symbol) || b->sums[i].is_long != t->is_long))
		i++;
	if (i == b->nsums) {
		if (b->nsums == sizeof b->sums / sizeof b->sums[0])
			return;
		b->sums[b->nsums++] = (struct side_sum){t->symbol, t->is_long, 0, 0, t->mark};
	}
	dec_t cost = 0;
	dec_mul(t->qty, t->entry, &cost);
	b->sums[i].qty += t->qty;
	b->sums[i].cost += cost;
}

static void on_tranche(void *ctx, const struct engine_tranche *t)
{
	struct build *b = ctx;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "symbol", t->symbol);
	cJSON_AddStringToObject(o, "side", t->is_long ? "LONG" : "SHORT");
	cJSON_AddNumberToObject(o, "id", t->id);
	put_dec(o, "qty", t->qty);
	put_dec(o, "entry", t->entry);
	put_dec(o, "tp", t->tp);
	put_dec(o, "sl", t->sl);
	cJSON_AddBoolToObject(o, "protected", t->protected_);
	cJSON_AddItemToArray(b->tranches, o);
	add_to_position(b, t);
}

static void on_order(void *ctx, const struct engine_order *eo)
{
	struct build *b = ctx;
	const order_req *r = eo->req;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "symbol", r->symbol);
	cJSON_AddStringToObject(o, "client_id", r->client_id);
	cJSON_AddStringToObject(o, "side", side_str(r->side));
	cJSON_AddStringToObject(o, "type", order_type_str(r->type));
	cJSON_AddStringToObject(o, "role", order_role_str(eo->role));
	put_dec(o, "price", r->price);
	put_dec(o, "stop_price", r->stop_price);
	put_dec(o, "qty", r->qty);
	put_dec(o, "filled", eo->filled);
	cJSON_AddItemToArray(b->orders, o);
}

static cJSON *positions(const struct build *b)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < b->nsums; i++) {
		const struct side_sum *s = &b->sums[i];
		dec_t entry = 0, value = 0;
		dec_div(s->cost, s->qty, &entry);
		dec_mul(s->mark - entry, s->qty, &value);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "symbol", s->symbol);
		cJSON_AddStringToObject(o, "side", s->is_long ? "LONG" : "SHORT");
		put_dec(o, "qty", s->qty);
		put_dec(o, "entry", entry);
		put_dec(o, "mark", s->mark);
		put_dec(o, "unrealized", s->is_long ? value : -value);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *account(const struct live *l)
{
	struct exchange_account a;
	exchange_account((exchange_t *)&l->x, &a);
	cJSON *o = cJSON_CreateObject();
	put_dec(o, "wallet", a.wallet);
	put_dec(o, "unrealized", a.unrealized);
	put_dec(o, "margin_used", a.margin_used);
	put_dec(o, "exposure", a.notional);
	put_dec(o, "equity", a.wallet + a.unrealized);
	return o;
}

static cJSON *health(const struct live *l)
{
	struct xa_client_stats st = {0};
	if (l->client)
		xa_client_get_stats(l->client, &st);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "stream_lag_ms", (double)(int64_t)l->rs.lag_ms_avg);
	cJSON_AddNumberToObject(o, "reconnects", (double)(l->rs.reconnects + st.stream_drops));
	cJSON_AddNumberToObject(o, "weight_used", (double)st.weight_used);
	cJSON_AddNumberToObject(o, "weight_limit", (double)st.weight_limit);
	cJSON_AddNumberToObject(o, "tick_to_order_p50_us",
	                        (double)live_latency_pct(&l->tick_to_order, 50));
	cJSON_AddNumberToObject(o, "tick_to_order_p99_us",
	                        (double)live_latency_pct(&l->tick_to_order, 99));
	char steps[160];
	live_latency_steps(l, steps, sizeof steps);
	cJSON_AddStringToObject(o, "tick_to_order_steps", steps);
	cJSON_AddStringToObject(o, "last_error", l->client ? xa_client_last_error(l->client) : "");
	cJSON_AddStringToObject(o, "kill_switch", l->stopping ? "stopping" : "");
	cJSON_AddBoolToObject(o, "banned", l->client && xa_client_banned(l->client));
	return o;
}

char *live_snapshot(const struct live *l, int64_t now_ms)
{
	struct build b = {cJSON_CreateArray(), cJSON_CreateArray(), {{0}}, 0};
	const engine_t *e = session_engine(l->session);
	engine_each_tranche(e, on_tranche, &b);
	engine_each_order(e, on_order, &b);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "mode", l->simulate ? "simulate" : "live");
	cJSON_AddNumberToObject(root, "updated_ms", (double)now_ms);
	cJSON_AddItemToObject(root, "account", account(l));
	cJSON_AddItemToObject(root, "positions", positions(&b));
	cJSON_AddItemToObject(root, "tranches", b.tranches);
	cJSON_AddItemToObject(root, "open_orders", b.orders);
	cJSON_AddItemToObject(root, "health", health(l));
	char *text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}
