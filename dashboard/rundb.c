/*
 * rundb.c - what the dashboard reads from the run database
 * (docs/run-database.md): PnL and counts, the latest round trips and
 * fills, the latest liquidations and signals. The file is opened
 * read-only for each request, so the run that writes it (in WAL mode)
 * never waits on the dashboard, and a database that appears after the
 * dashboard started is found. Amounts are the exact _e8 integers, written
 * as decimals by dec_format.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "dashboard_int.h"

#define COLS(a) a, sizeof a / sizeof a[0]
#define RECENT "50" /* rows of each list */
#define BUSY_MS 1000

static const struct dash_col pnl_cols[] = {
	{"net", "Net PnL (realized)", DK_DEC}, {"gross", "Gross PnL", DK_DEC},
	{"fees", "Fees", DK_DEC},              {"funding", "Funding", DK_DEC},
	{"round_trips", "Round trips", DK_INT}, {"wins", "Wins", DK_INT},
	{"signals", "Signals", DK_INT},        {"signals_fired", "Fired", DK_INT},
	{"fills", "Fills", DK_INT},
};
static const struct dash_col trip_cols[] = {
	{"symbol", "Symbol", DK_TEXT},     {"direction", "Direction", DK_TEXT},
	{"open_ms", "Opened", DK_MS},      {"close_ms", "Closed", DK_MS},
	{"qty", "Quantity", DK_DEC},       {"entry_avg", "Entry", DK_DEC},
	{"exit_avg", "Exit", DK_DEC},      {"fees", "Fees", DK_DEC},
	{"net", "Net", DK_DEC},
};
static const struct dash_col fill_cols[] = {
	{"ms", "Time", DK_MS},          {"symbol", "Symbol", DK_TEXT},
	{"client_id", "Order", DK_TEXT}, {"role", "Role", DK_TEXT},
	{"side", "Side", DK_TEXT},      {"pos_side", "Position", DK_TEXT},
	{"price", "Price", DK_DEC},     {"qty", "Quantity", DK_DEC},
	{"fee", "Fee", DK_DEC},         {"realized_pnl", "Realized", DK_DEC},
};
static const struct dash_col liq_cols[] = {
	{"ms", "Time", DK_MS},         {"symbol", "Symbol", DK_TEXT},
	{"liq_side", "Side", DK_TEXT}, {"price", "Price", DK_DEC},
	{"qty", "Quantity", DK_DEC},   {"notional", "Notional (USDT)", DK_DEC},
};
static const struct dash_col signal_cols[] = {
	{"ms", "Time", DK_MS},                 {"symbol", "Symbol", DK_TEXT},
	{"liq_side", "Liquidated", DK_TEXT},   {"window_volume", "Window volume", DK_DEC},
	{"threshold", "Threshold", DK_DEC},    {"side", "Trade", DK_TEXT},
	{"fired", "Fired", DK_INT},            {"reason", "Reason", DK_TEXT},
};

const struct dash_view dash_view_pnl = {
	"pnl", "PnL",
	"SELECT g - f - p, g, f, p, trips, wins, signals, fired, fills FROM"
	" (SELECT coalesce(sum(realized_pnl_e8), 0) AS g, coalesce(sum(fee_e8), 0) AS f,"
	"  count(*) AS fills FROM fills),"
	" (SELECT coalesce(sum(paid_e8), 0) AS p FROM funding),"
	" (SELECT count(*) AS trips, coalesce(sum(net_e8 > 0), 0) AS wins FROM round_trips"
	"  WHERE close_ms IS NOT NULL),"
	" (SELECT count(*) AS signals, coalesce(sum(fired), 0) AS fired FROM signals)",
	COLS(pnl_cols)};
const struct dash_view dash_view_trips = {
	"round_trips", "Recent round trips",
	"SELECT symbol, direction, open_ms, close_ms, qty_e8, entry_avg_e8, exit_avg_e8, fees_e8,"
	" net_e8 FROM round_trips ORDER BY id DESC LIMIT " RECENT,
	COLS(trip_cols)};
const struct dash_view dash_view_fills = {
	"fills", "Recent fills",
	"SELECT ms, symbol, client_id, role, side, pos_side, price_e8, qty_e8, fee_e8,"
	" realized_pnl_e8 FROM fills ORDER BY id DESC LIMIT " RECENT,
	COLS(fill_cols)};
const struct dash_view dash_view_liquidations = {
	"liquidations", "Recent liquidations",
	"SELECT ms, symbol, liq_side, price_e8, qty_e8, notional_e8 FROM market_liquidations"
	" ORDER BY id DESC LIMIT " RECENT,
	COLS(liq_cols)};
const struct dash_view dash_view_signals = {
	"signals", "Recent signals",
	"SELECT ms, symbol, liq_side, window_volume_e8, threshold_e8, side, fired, reason"
	" FROM signals ORDER BY id DESC LIMIT " RECENT,
	COLS(signal_cols)};

static char *cell(sqlite3_stmt *st, int i, enum dash_kind kind)
{
	char buf[DEC_FMT_MAX];
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: return NULL;
	case SQLITE_INTEGER:
		if (kind == DK_DEC) {
			dec_format(sqlite3_column_int64(st, i), buf);
			return strdup(buf);
		}
		snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, i));
		return strdup(buf);
	default:
		/* a number column holding text is not a run database's: show none */
		if (kind != DK_TEXT)
			return NULL;
		return strdup((const char *)sqlite3_column_text(st, i));
	}
}

static int read_view(sqlite3 *db, const struct dash_view *v, struct dash_table *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, v->sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **row = dash_table_row(t);
		for (size_t c = 0; row && c < v->ncols; c++)
			row[c] = cell(st, (int)c, v->cols[c].kind);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE && !t->oom ? 0 : -1;
}

int dash_rundb_read(const char *path, const struct dash_view *const *v, struct dash_table *t,
                    size_t n, char *err, size_t cap)
{
	sqlite3 *db = NULL;
	size_t done = 0;
	for (size_t i = 0; i < n; i++)
		t[i] = (struct dash_table){.v = v[i]};
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, BUSY_MS);
		while (done < n && read_view(db, v[done], &t[done]) == 0)
			done++;
	}
	if (done < n) {
		snprintf(err, cap, "run database %s: %s", path,
		         db ? sqlite3_errmsg(db) : "out of memory");
		for (size_t i = 0; i < n; i++)
			dash_table_free(&t[i]);
	}
	sqlite3_close(db);
	return done < n ? -1 : 0;
}
