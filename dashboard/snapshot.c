/*
 * snapshot.c - the live process's snapshot: checked to be a JSON object,
 * kept as one line of compact JSON (the form an event-stream message
 * needs), and read back as tables for the page. The owner is trusted to
 * send the format of docs/dashboard.md but not relied on: a missing or
 * mistyped field shows as an empty cell, never as a failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_int.h"

#define COLS(a) a, sizeof a / sizeof a[0]

static const struct dash_col account_cols[] = {
	{"wallet", "Wallet", DK_DEC},           {"unrealized", "Unrealized PnL", DK_DEC},
	{"equity", "Equity", DK_DEC},           {"margin_used", "Margin used", DK_DEC},
	{"exposure", "Exposure", DK_DEC},
};
static const struct dash_col position_cols[] = {
	{"symbol", "Symbol", DK_TEXT}, {"side", "Side", DK_TEXT},   {"qty", "Quantity", DK_DEC},
	{"entry", "Entry", DK_DEC},    {"mark", "Mark", DK_DEC},    {"unrealized", "Unrealized", DK_DEC},
};
static const struct dash_col tranche_cols[] = {
	{"symbol", "Symbol", DK_TEXT}, {"id", "Tranche", DK_INT}, {"qty", "Quantity", DK_DEC},
	{"entry", "Entry", DK_DEC},    {"tp", "Take profit", DK_DEC}, {"sl", "Stop loss", DK_DEC},
	{"protected", "Protected", DK_TEXT},
};
static const struct dash_col order_cols[] = {
	{"symbol", "Symbol", DK_TEXT},   {"client_id", "Client id", DK_TEXT},
	{"side", "Side", DK_TEXT},       {"type", "Type", DK_TEXT},
	{"price", "Price", DK_DEC},      {"stop_price", "Stop price", DK_DEC},
	{"qty", "Quantity", DK_DEC},     {"filled", "Filled", DK_DEC},
};
static const struct dash_col health_cols[] = {
	{"stream_lag_ms", "Stream lag (ms)", DK_INT}, {"reconnects", "Reconnects", DK_INT},
	{"weight_used", "Weight used", DK_INT},       {"weight_limit", "Weight limit", DK_INT},
	{"tick_to_order_p50_us", "Tick to order p50 (µs)", DK_INT},
	{"tick_to_order_p99_us", "Tick to order p99 (µs)", DK_INT},
	{"tick_to_order_steps", "Tick to order steps, p50/p99", DK_TEXT},
	{"banned", "Banned", DK_TEXT},                {"kill_switch", "Kill switch", DK_TEXT},
	{"last_error", "Last error", DK_TEXT},
};

const struct dash_view dash_view_account = {"account", "Account", NULL, COLS(account_cols)};
const struct dash_view dash_view_positions = {"positions", "Positions", NULL,
                                              COLS(position_cols)};
const struct dash_view dash_view_tranches = {"tranches", "Tranches", NULL, COLS(tranche_cols)};
const struct dash_view dash_view_orders = {"open_orders", "Open orders", NULL, COLS(order_cols)};
const struct dash_view dash_view_health = {"health", "Health", NULL, COLS(health_cols)};

char *dash_snapshot_normalize(const char *text, char *err, size_t cap)
{
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	if (!cJSON_IsObject(j)) {
		snprintf(err, cap, "%s", j ? "not a JSON object" : "not JSON");
		cJSON_Delete(j);
		return NULL;
	}
	char *s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!s)
		snprintf(err, cap, "out of memory");
	return s;
}

/* A value as cell text: strings as they are, whole numbers in digits,
 * booleans by name; NULL for anything else. Decimals are strings in the
 * snapshot, so no amount passes through a double here. */
static char *cell_text(const cJSON *v)
{
	char buf[32];
	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return NULL;
	if (v->valuedouble == trunc(v->valuedouble) && fabs(v->valuedouble) < 9e15)
		snprintf(buf, sizeof buf, "%.0f", v->valuedouble);
	else
		snprintf(buf, sizeof buf, "%.17g", v->valuedouble);
	return strdup(buf);
}

static void add_row(struct dash_table *t, const cJSON *obj)
{
	if (!cJSON_IsObject(obj))
		return;
	char **row = dash_table_row(t);
	for (size_t c = 0; row && c < t->v->ncols; c++)
		row[c] = cell_text(cJSON_GetObjectItemCaseSensitive(obj, t->v->cols[c].key));
}

void dash_snapshot_table(const cJSON *snapshot, const struct dash_view *v, struct dash_table *t)
{
	*t = (struct dash_table){.v = v};
	const cJSON *part = cJSON_GetObjectItemCaseSensitive(snapshot, v->key);
	const cJSON *item;
	if (cJSON_IsArray(part)) {
		cJSON_ArrayForEach(item, part)
			add_row(t, item);
	} else {
		add_row(t, part);
	}
}
