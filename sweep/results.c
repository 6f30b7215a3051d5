/*
 * results.c - the sweep database: what the sweep was (base settings, grid,
 * recordings, which combinations), then one row per combination with its
 * parameters and every summary figure of its backtest, and the merge of
 * shard databases into the one a single process would have written.
 * docs/sweep.md describes the tables.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep_int.h"

static const char schema[] =
	"CREATE TABLE sweep ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" hunter_version TEXT NOT NULL,"
	" base_settings TEXT NOT NULL,"
	" grid_json TEXT NOT NULL,"
	" recordings TEXT NOT NULL,"
	" combinations INTEGER NOT NULL,"
	" selected INTEGER NOT NULL,"
	" sample_seed TEXT,"
	" shard INTEGER NOT NULL,"
	" shards INTEGER NOT NULL,"
	" train_ms INTEGER,"
	" test_ms INTEGER,"
	" objective TEXT,"
	" min_round_trips INTEGER);"
	"CREATE TABLE results ("
	" combo INTEGER PRIMARY KEY,"
	" params_json TEXT NOT NULL,"
	" rc INTEGER NOT NULL,"
	" events INTEGER, signals INTEGER, signals_fired INTEGER, orders INTEGER,"
	" fills INTEGER, round_trips INTEGER, wins INTEGER, win_rate_pct REAL,"
	" gross_pnl_e8 INTEGER, fees_e8 INTEGER, funding_e8 INTEGER, net_pnl_e8 INTEGER,"
	" unrealized_e8 INTEGER, start_equity_e8 INTEGER, end_equity_e8 INTEGER,"
	" max_drawdown_e8 INTEGER, max_drawdown_pct REAL, time_in_market_pct REAL,"
	" trade_log_sha256 TEXT, profit_factor REAL,"
	" settings_json TEXT NOT NULL);"
	"CREATE TABLE windows ("
	" combo INTEGER NOT NULL,"
	" fold INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" from_ms INTEGER NOT NULL,"
	" to_ms INTEGER NOT NULL,"
	" rc INTEGER NOT NULL,"
	" round_trips INTEGER, net_pnl_e8 INTEGER, max_drawdown_e8 INTEGER,"
	" profit_factor REAL, objective REAL,"
	" PRIMARY KEY (combo, fold, kind));"
	"CREATE TABLE walk_forward ("
	" fold INTEGER PRIMARY KEY,"
	" train_from_ms INTEGER NOT NULL, train_to_ms INTEGER NOT NULL,"
	" test_from_ms INTEGER NOT NULL, test_to_ms INTEGER NOT NULL,"
	" best_combo INTEGER,"
	" train_objective REAL, test_objective REAL,"
	" train_net_pnl_e8 INTEGER, test_net_pnl_e8 INTEGER,"
	" train_round_trips INTEGER, test_round_trips INTEGER);"
	"CREATE TABLE params ("
	" combo INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (combo, key));";

struct results {
	sqlite3 *db;
	sqlite3_stmt *row, *param, *window;
};

/* The best combination of each fold's training window by the objective
 * (ties: the lower combination), among those with enough round trips,
 * and how it did on the unseen window after it. A fold where none
 * qualifies keeps a row with no combination. */
static const char walk_sql[] =
	"INSERT INTO walk_forward"
	" SELECT f.fold, f.train_from, f.train_to, f.test_from, f.test_to, b.combo,"
	"  b.objective, t.objective, b.net_pnl_e8, t.net_pnl_e8, b.round_trips, t.round_trips"
	" FROM (SELECT fold, min(CASE kind WHEN 'train' THEN from_ms END) AS train_from,"
	"        min(CASE kind WHEN 'train' THEN to_ms END) AS train_to,"
	"        min(CASE kind WHEN 'test' THEN from_ms END) AS test_from,"
	"        min(CASE kind WHEN 'test' THEN to_ms END) AS test_to FROM windows GROUP BY fold) f"
	" LEFT JOIN (SELECT * FROM (SELECT w.*, row_number() OVER (PARTITION BY w.fold"
	"              ORDER BY w.objective DESC, w.combo) AS r FROM windows w, sweep s"
	"              WHERE w.kind = 'train' AND w.rc = 0"
	"              AND w.round_trips >= s.min_round_trips)"
	"            WHERE r = 1) b ON b.fold = f.fold"
	" LEFT JOIN windows t ON t.fold = f.fold AND t.combo = b.combo AND t.kind = 'test'"
	" ORDER BY f.fold";

static int sql_fail(sqlite3 *db, const char *what, char *err, size_t cap)
{
	snprintf(err, cap, "sweep database: %s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
	return -1;
}

static int write_meta(sqlite3 *db, const struct sweep_meta *m, char *err, size_t cap)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO sweep VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
	                       &st, NULL) != SQLITE_OK)
		return sql_fail(db, "sweep", err, cap);
	char seed[24];
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->sample_seed);
	sqlite3_bind_text(st, 1, HUNTER_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->base_settings, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->grid_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->recordings, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)m->combinations);
	sqlite3_bind_int64(st, 6, (int64_t)m->selected);
	if (m->sampled)
		sqlite3_bind_text(st, 7, seed, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 8, (int)m->shard);
	sqlite3_bind_int(st, 9, (int)m->nshards);
	if (m->train_ms) {
		sqlite3_bind_int64(st, 10, m->train_ms);
		sqlite3_bind_int64(st, 11, m->test_ms);
		sqlite3_bind_text(st, 12, m->objective, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 13, (int64_t)m->min_round_trips);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sql_fail(db, "sweep", err, cap);
	sqlite3_finalize(st);
	return rc;
}

/* A new database at `path` (an old file there is replaced), inside a
 * transaction; a merge needs none (SQLite cannot attach inside one). */
static sqlite3 *create_db(const char *path, bool transaction, char *err, size_t cap)
{
	unlink(path);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=MEMORY", NULL, NULL, NULL) != SQLITE_OK ||
	    (transaction && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(db, path, err, cap);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

results_t *sw_results_create(const char *path, const struct sweep_meta *m, char *err, size_t cap)
{
	results_t *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, cap, "sweep database: out of memory");
		return NULL;
	}
	r->db = create_db(path, true, err, cap);
	if (!r->db || write_meta(r->db, m, err, cap) ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	                              "?,?,?,?,?,?,?,?,?)", -1, &r->row, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO windows VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1,
	                       &r->window, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT INTO params SELECT ?, key, json_quote(value) FROM"
	                              " json_each(?)", -1, &r->param, NULL) != SQLITE_OK) {
		if (r->db && !err[0])
			sql_fail(r->db, "prepare", err, cap);
		sw_results_close(r, err + strlen(err), cap - strlen(err));
		return NULL;
	}
	return r;
}

/* NULL for the figures of a combination that did not finish. */
static void bind_int(sqlite3_stmt *st, int k, bool ok, int64_t v)
{
	if (ok)
		sqlite3_bind_int64(st, k, v);
	else
		sqlite3_bind_null(st, k);
}

static void bind_real(sqlite3_stmt *st, int k, bool ok, double v)
{
	if (ok)
		sqlite3_bind_double(st, k, v);
	else
		sqlite3_bind_null(st, k);
}

int sw_results_add(results_t *r, uint64_t combo, const char *params, const char *settings,
		   const struct backtest_job *job, double profit_factor)
{
	const struct backtest_summary *s = &job->out;
	const struct journal_totals *t = &s->t;
	bool ok = job->rc == BT_OK || job->rc == BT_EINTR;
	sqlite3_stmt *st = r->row;
	int k = 1;
	sqlite3_bind_int64(st, k++, (int64_t)combo);
	sqlite3_bind_text(st, k++, params, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, k++, job->rc);
	int64_t ints[] = {(int64_t)s->events, (int64_t)t->signals, (int64_t)t->signals_fired,
	                  (int64_t)t->orders, (int64_t)t->fills, (int64_t)t->round_trips,
	                  (int64_t)t->wins};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		bind_int(st, k++, ok, ints[i]);
	bind_real(st, k++, ok, s->win_rate_pct);
	int64_t money[] = {t->gross_pnl, t->fees, t->funding, t->net_pnl, t->unrealized,
	                   t->start_equity, t->end_equity, t->max_drawdown};
	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
		bind_int(st, k++, ok, money[i]);
	bind_real(st, k++, ok, s->max_drawdown_pct);
	bind_real(st, k++, ok, s->time_in_market_pct);
	if (ok)
		sqlite3_bind_text(st, k++, t->trade_log_sha256, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, k++);
	bind_real(st, k++, ok, profit_factor);
	sqlite3_bind_text(st, k++, settings, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	sqlite3_bind_int64(r->param, 1, (int64_t)combo);
	sqlite3_bind_text(r->param, 2, params, -1, SQLITE_STATIC);
	if (sqlite3_step(r->param) != SQLITE_DONE)
		rc = -1;
	sqlite3_reset(r->param);
	return rc;
}

int sw_results_add_window(results_t *r, uint64_t combo, const struct window_result *w,
			  const struct backtest_job *job, double profit_factor)
{
	const struct journal_totals *t = &job->out.t;
	bool ok = job->rc == BT_OK || job->rc == BT_EINTR;
	sqlite3_stmt *st = r->window;
	sqlite3_bind_int64(st, 1, (int64_t)combo);
	sqlite3_bind_int(st, 2, (int)w->fold);
	sqlite3_bind_text(st, 3, w->test ? "test" : "train", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, w->from_ms);
	sqlite3_bind_int64(st, 5, w->to_ms);
	sqlite3_bind_int(st, 6, job->rc);
	bind_int(st, 7, ok, (int64_t)t->round_trips);
	bind_int(st, 8, ok, t->net_pnl);
	bind_int(st, 9, ok, t->max_drawdown);
	bind_real(st, 10, ok, profit_factor);
	bind_real(st, 11, ok, w->objective);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

double sw_results_profit_factor(const char *run_db)
{
	sqlite3 *db;
	double pf = 0;
	if (sqlite3_open_v2(run_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 0;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(net_e8) FILTER (WHERE net_e8 > 0), 0),"
	                           " coalesce(-sum(net_e8) FILTER (WHERE net_e8 < 0), 0)"
	                           " FROM round_trips WHERE close_ms IS NOT NULL", -1, &st,
	                       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		double won = sqlite3_column_double(st, 0), lost = sqlite3_column_double(st, 1);
		pf = lost > 0 ? won / lost : won > 0 ? 1e9 : 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return pf;
}

int sw_results_close(results_t *r, char *err, size_t cap)
{
	if (!r)
		return -1;
	int rc = 0;
	sqlite3_finalize(r->row);
	sqlite3_finalize(r->param);
	sqlite3_finalize(r->window);
	if (r->db && sqlite3_exec(r->db, walk_sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = sql_fail(r->db, "walk_forward", err, cap);
	if (r->db && sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sql_fail(r->db, "commit", err, cap);
	sqlite3_close(r->db);
	free(r);
	return rc;
}

/* ---- merging shards ----------------------------------------------------- */

static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int merge_one(sqlite3 *db, const char *path, bool first, FILE *diag)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "ATTACH ? AS s", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc || one_int(db, "SELECT count(*) FROM s.sweep") != 1) {
		fprintf(diag, "hunter sweep merge: %s: not a sweep database\n", path);
		sqlite3_exec(db, "DETACH s", NULL, NULL, NULL);
		return -1;
	}
	if (first)
		rc = sqlite3_exec(db, "INSERT INTO sweep SELECT id, hunter_version, base_settings,"
		                      " grid_json, recordings, combinations, selected, sample_seed, 1, 1,"
		                      " train_ms, test_ms, objective, min_round_trips FROM s.sweep",
		                  NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	else if (one_int(db, "SELECT count(*) FROM sweep m, s.sweep o WHERE"
	                     " m.base_settings = o.base_settings AND m.grid_json = o.grid_json AND"
	                     " m.selected = o.selected AND m.sample_seed IS o.sample_seed AND"
	                     " m.train_ms IS o.train_ms AND m.test_ms IS o.test_ms AND"
	                     " m.objective IS o.objective AND"
	                     " m.min_round_trips IS o.min_round_trips") != 1) {
		fprintf(diag, "hunter sweep merge: %s: a shard of another sweep (base settings, grid,"
		              " sample or walk-forward differ)\n", path);
		rc = -1;
	}
	if (!rc && (sqlite3_exec(db, "INSERT INTO results SELECT * FROM s.results", NULL, NULL,
	                         NULL) != SQLITE_OK ||
	            sqlite3_exec(db, "INSERT INTO params SELECT * FROM s.params", NULL, NULL, NULL) !=
	                SQLITE_OK ||
	            sqlite3_exec(db, "INSERT INTO windows SELECT * FROM s.windows", NULL, NULL, NULL) !=
	                SQLITE_OK)) {
		fprintf(diag, "hunter sweep merge: %s: %s (is a shard given twice?)\n", path,
		        sqlite3_errmsg(db));
		rc = -1;
	}
	sqlite3_exec(db, "DETACH s", NULL, NULL, NULL);
	return rc;
}

int sweep_merge(const char *out, const char *const *shards, size_t n, FILE *diag)
{
	char err[512] = "";
	sqlite3 *db = create_db(out, false, err, sizeof err);
	if (!db) {
		fprintf(diag, "hunter sweep merge: %s\n", err);
		return SWEEP_EDATA;
	}
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = merge_one(db, shards[i], i == 0, diag);
	int64_t have = one_int(db, "SELECT count(*) FROM results");
	int64_t want = one_int(db, "SELECT selected FROM sweep");
	if (!rc && have != want) {
		fprintf(diag, "hunter sweep merge: the shards hold %lld of the sweep's %lld"
		              " combinations: a shard is missing\n", (long long)have, (long long)want);
		rc = -1;
	}
	if (!rc && sqlite3_exec(db, walk_sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(diag, "hunter sweep merge: walk_forward: %s\n", sqlite3_errmsg(db));
		rc = -1;
	}
	sqlite3_close(db);
	if (rc)
		unlink(out);
	return rc ? SWEEP_EDATA : SWEEP_OK;
}
