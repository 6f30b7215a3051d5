/*
 * api.c - the JSON endpoints for scripts: /api/account and /api/positions
 * are parts of the snapshot as the live process published it; /api/stats
 * its health with counts and the run's PnL; /api/trades and
 * /api/liquidations the latest rows of the run database. docs/dashboard.md
 * shows each answer.
 */
#include <stdlib.h>

#include "dashboard_int.h"

static void put_json(struct dtext *out, const cJSON *item)
{
	char *s = item ? cJSON_PrintUnformatted(item) : NULL;
	dash_puts(out, s ? s : "null");
	free(s);
}

/* The snapshot parsed, or NULL after answering 503. */
static cJSON *snapshot(struct dashboard *d, struct conn *c)
{
	char *text = dash_snapshot_copy(d, NULL);
	cJSON *snap = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!snap)
		dash_reply_error(c, 503, "no snapshot from the live process yet");
	return snap;
}

/* "KEY":value for each key, comma-separated, null where the snapshot
 * (perhaps NULL) has none. */
static void members(struct dtext *out, const cJSON *snap, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		dash_printf(out, "%s\"%s\":", i ? "," : "", keys[i]);
		put_json(out, cJSON_GetObjectItemCaseSensitive(snap, keys[i]));
	}
}

static void snapshot_parts(struct dashboard *d, struct conn *c, const char *const *keys,
                           size_t n)
{
	cJSON *snap = snapshot(d, c);
	if (!snap)
		return;
	dash_puts(&c->reply, "{");
	members(&c->reply, snap, keys, n);
	dash_puts(&c->reply, "}");
	cJSON_Delete(snap);
	dash_reply(c, 200, "application/json");
}

void dash_api_account(struct dashboard *d, struct conn *c)
{
	static const char *const keys[] = {"updated_ms", "account"};
	snapshot_parts(d, c, keys, 2);
}

void dash_api_positions(struct dashboard *d, struct conn *c)
{
	static const char *const keys[] = {"updated_ms", "positions", "tranches", "open_orders"};
	snapshot_parts(d, c, keys, 4);
}

/* {"KEY":[rows],...} of the views, or 503 when the database cannot be read. */
static void db_lists(struct dashboard *d, struct conn *c, const struct dash_view *const *v,
                     struct dash_table *t, size_t n)
{
	char err[512];
	if (dash_rundb_read(d->db_path, v, t, n, err, sizeof err)) {
		dash_reply_error(c, 503, err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		dash_printf(&c->reply, "%s\"%s\":", i ? "," : "{", v[i]->key);
		dash_table_json(&c->reply, &t[i]);
		dash_table_free(&t[i]);
	}
	dash_puts(&c->reply, "}");
	dash_reply(c, 200, "application/json");
}

void dash_api_trades(struct dashboard *d, struct conn *c)
{
	static const struct dash_view *const v[] = {&dash_view_trips, &dash_view_fills};
	struct dash_table t[2];
	db_lists(d, c, v, t, 2);
}

void dash_api_liquidations(struct dashboard *d, struct conn *c)
{
	static const struct dash_view *const v[] = {&dash_view_liquidations, &dash_view_signals};
	struct dash_table t[2];
	db_lists(d, c, v, t, 2);
}

static int count(const cJSON *snap, const char *key)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(snap, key);
	return cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
}

/* "pnl": the run database's figures, or null and "pnl_error". */
static void stats_pnl(struct dashboard *d, struct dtext *out)
{
	static const struct dash_view *const v[] = {&dash_view_pnl};
	struct dash_table t;
	char err[512];
	dash_puts(out, ",\"pnl\":");
	if (dash_rundb_read(d->db_path, v, &t, 1, err, sizeof err)) {
		dash_puts(out, "null,\"pnl_error\":");
		dash_json_string(out, err);
		return;
	}
	if (t.nrows)
		dash_table_json_row(out, &t, 0);
	else
		dash_puts(out, "null");
	dash_table_free(&t);
}

/* Always answers: a script watching health wants to hear that there is
 * no snapshot yet as much as anything. */
void dash_api_stats(struct dashboard *d, struct conn *c)
{
	uint64_t gen;
	char *text = dash_snapshot_copy(d, &gen);
	cJSON *snap = text ? cJSON_Parse(text) : NULL;
	free(text);
	struct dtext *out = &c->reply;
	static const char *const keys[] = {"mode", "updated_ms", "health"};
	dash_puts(out, "{");
	members(out, snap, keys, 3);
	dash_printf(out, ",\"counts\":{\"positions\":%d,\"tranches\":%d,\"open_orders\":%d,"
	            "\"snapshots\":%llu,\"event_clients\":%zu}", count(snap, "positions"),
	            count(snap, "tranches"), count(snap, "open_orders"), (unsigned long long)gen,
	            d->nsse);
	stats_pnl(d, out);
	dash_puts(out, "}");
	cJSON_Delete(snap);
	dash_reply(c, 200, "application/json");
}
