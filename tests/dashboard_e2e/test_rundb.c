/*
 * The dashboard on a real run database (a backtest of the bundled
 * fixture): /api/trades, /api/liquidations and the PnL of /api/stats
 * hold exactly what the database holds, newest first, decimals exact;
 * and a writer holding the database open in WAL mode never blocks the
 * dashboard, which sees each commit on its next request.
 */
#include <sqlite3.h>

#include "backtest.h"
#include "core.h"
#include "db.h"

TestSuite(rundb, .init = scratch_make, .fini = scratch_remove, .timeout = 60);

/* An _e8 figure of the database as the dashboard must write it. */
static const char *e8(const char *sql)
{
	static char buf[2][DEC_FMT_MAX];
	static int k;
	k ^= 1;
	dec_format(test_db_int(db_path, sql), buf[k]);
	return buf[k];
}

static cJSON *get_json(const char *path)
{
	struct answer a;
	client_get(dashboard_port(dash), path, &a);
	cr_assert_eq(a.status, 200, "%s: %d %s", path, a.status, a.body);
	cJSON *j = body_json(&a);
	free(a.body);
	return j;
}

static cJSON *list(cJSON *j, const char *key, int64_t want)
{
	cJSON *a = cJSON_GetObjectItem(j, key);
	cr_assert_eq(cJSON_GetArraySize(a), want, "%s", key);
	return cJSON_GetArrayItem(a, 0);
}

Test(rundb, trades_are_the_latest_round_trips_and_fills)
{
	backtest();
	dash_start(NULL);
	cJSON *j = get_json("/api/trades");
	cJSON *trip = list(j, "round_trips", test_db_int(db_path, "SELECT count(*) FROM round_trips"));
	cr_assert_str_eq(JSON_STR(trip, "net"), e8("SELECT net_e8 FROM round_trips ORDER BY id DESC"));
	cr_assert_str_eq(JSON_STR(trip, "entry_avg"),
	                 e8("SELECT entry_avg_e8 FROM round_trips ORDER BY id DESC"));
	cr_assert_eq(cJSON_GetObjectItem(trip, "open_ms")->valuedouble,
	             (double)test_db_int(db_path, "SELECT open_ms FROM round_trips ORDER BY id DESC"));
	cJSON *fill = list(j, "fills", test_db_int(db_path, "SELECT count(*) FROM fills"));
	cr_assert_str_eq(JSON_STR(fill, "price"), e8("SELECT price_e8 FROM fills ORDER BY id DESC"));
	cr_assert_str_eq(JSON_STR(fill, "fee"), e8("SELECT fee_e8 FROM fills ORDER BY id DESC"));
	cJSON_Delete(j);
}

Test(rundb, liquidations_and_signals_are_the_latest_fifty)
{
	backtest();
	dash_start(NULL);
	cr_assert_gt(test_db_int(db_path, "SELECT count(*) FROM market_liquidations"), 50);
	cJSON *j = get_json("/api/liquidations");
	cJSON *liq = list(j, "liquidations", 50);
	cr_assert_str_eq(JSON_STR(liq, "notional"),
	                 e8("SELECT notional_e8 FROM market_liquidations ORDER BY id DESC"));
	cJSON *sig = list(j, "signals", test_db_int(db_path, "SELECT count(*) FROM signals"));
	cr_assert_eq(cJSON_GetObjectItem(sig, "fired")->valueint,
	             test_db_int(db_path, "SELECT fired FROM signals ORDER BY id DESC"));
	cJSON_Delete(j);
}

Test(rundb, stats_carry_the_runs_pnl)
{
	backtest();
	dash_start(NULL);
	cJSON *j = get_json("/api/stats");
	cJSON *pnl = cJSON_GetObjectItem(j, "pnl");
	cr_assert_str_eq(JSON_STR(pnl, "gross"), e8("SELECT sum(realized_pnl_e8) FROM fills"));
	cr_assert_str_eq(JSON_STR(pnl, "fees"), e8("SELECT sum(fee_e8) FROM fills"));
	cr_assert_str_eq(JSON_STR(pnl, "net"),
	                 e8("SELECT sum(realized_pnl_e8) - sum(fee_e8) -"
	                    " (SELECT coalesce(sum(paid_e8), 0) FROM funding) FROM fills"));
	cr_assert_eq(cJSON_GetObjectItem(pnl, "round_trips")->valueint,
	             test_db_int(db_path, "SELECT count(*) FROM round_trips WHERE close_ms NOT NULL"));
	cJSON_Delete(j);
	struct answer a;
	client_get(dashboard_port(dash), "/", &a);
	cr_assert(strstr(a.body, "<h2>Recent round trips</h2>"), "%s", a.body);
	cr_assert(strstr(a.body, "<table id=\"liquidations\">"));
	free(a.body);
}

static int64_t fills_answered(void)
{
	cJSON *j = get_json("/api/trades");
	int64_t n = cJSON_GetArraySize(cJSON_GetObjectItem(j, "fills"));
	cJSON_Delete(j);
	return n;
}

static void exec(sqlite3 *db, const char *sql)
{
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
}

Test(rundb, a_writer_in_wal_mode_never_blocks_it)
{
	backtest();
	sqlite3 *w;
	cr_assert_eq(sqlite3_open(db_path, &w), SQLITE_OK);
	exec(w, "PRAGMA journal_mode=WAL");
	dash_start(NULL);
	int64_t before = fills_answered();
	exec(w, "BEGIN; INSERT INTO fills (ms, symbol, client_id, role, tranche, side, pos_side,"
	        " price_e8, qty_e8, fee_e8, maker, realized_pnl_e8, trade_id)"
	        " VALUES (1, 'BTCUSDT', 'x', 'entry', 1, 'BUY', 'LONG', 1, 1, 0, 0, 0, 1)");
	cr_assert_eq(fills_answered(), before, "an open transaction is not seen");
	exec(w, "COMMIT");
	cr_assert_eq(fills_answered(), before + 1);
	sqlite3_close(w);
}
