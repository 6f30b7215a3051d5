/*
 * totals.c - the figures of a finished run, read back from its database
 * with plain SQL. Summaries are computed here rather than kept in memory
 * during the run so that they depend on the database alone: what the
 * command prints is what anyone can recompute from run.db.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "journal_int.h"

/* Runs `sql` and copies the first row's first `n` columns as integers
 * (NULL reads as 0). Returns 0, or -1 with err set. */
static int query_ints(sqlite3 *db, const char *sql, int64_t *out, int n, char *err,
                      size_t errlen)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_int64(st, i);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "run database: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Running peak and deepest fall of the equity samples, in time order. */
static int read_equity(sqlite3 *db, struct journal_totals *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT equity_e8, unrealized_e8 FROM equity ORDER BY id", -1,
	                       &st, NULL) != SQLITE_OK)
		return -1;
	dec_t peak = 0;
	bool first = true;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		dec_t eq = sqlite3_column_int64(st, 0);
		t->unrealized = sqlite3_column_int64(st, 1);
		t->end_equity = eq;
		if (first)
			t->start_equity = peak = eq;
		first = false;
		if (eq > peak)
			peak = eq;
		if (peak - eq > t->max_drawdown) {
			t->max_drawdown = peak - eq;
			t->max_drawdown_frac = peak > 0 ? dec_to_double(peak - eq) / dec_to_double(peak) : 0;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Time with at least one position open: the union of the round trips'
 * spans, a trip still open counting until the end of the run. */
static int read_in_market(sqlite3 *db, struct journal_totals *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT open_ms, coalesce(close_ms, ?) FROM round_trips"
	                           " ORDER BY open_ms", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, t->last_ms);
	int64_t from = 0, to = 0;
	bool open = false;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
		if (open && a <= to) {
			if (b > to)
				to = b;
			continue;
		}
		if (open)
			t->in_market_ms += to - from;
		from = a;
		to = b;
		open = true;
	}
	if (open)
		t->in_market_ms += to - from;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int read_run(sqlite3 *db, struct journal_totals *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT first_ms, last_ms, trade_log_sha256 FROM run", -1, &st,
	                       NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->first_ms = sqlite3_column_int64(st, 0);
		t->last_ms = sqlite3_column_int64(st, 1);
		const unsigned char *h = sqlite3_column_text(st, 2);
		snprintf(t->trade_log_sha256, sizeof t->trade_log_sha256, "%s", h ? (const char *)h : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int read_all(sqlite3 *db, struct journal_totals *t, char *err, size_t errlen)
{
	int64_t v[3];
	if (query_ints(db, "SELECT coalesce(sum(realized_pnl_e8),0), coalesce(sum(fee_e8),0),"
	                   " count(*) FROM fills", v, 3, err, errlen))
		return -1;
	t->gross_pnl = v[0];
	t->fees = v[1];
	t->fills = (uint64_t)v[2];
	if (query_ints(db, "SELECT coalesce(sum(paid_e8),0) FROM funding", &t->funding, 1, err,
	               errlen) ||
	    query_ints(db, "SELECT count(*), coalesce(sum(fired),0) FROM signals", v, 2, err, errlen))
		return -1;
	t->signals = (uint64_t)v[0];
	t->signals_fired = (uint64_t)v[1];
	if (query_ints(db, "SELECT count(DISTINCT client_id) FROM orders", v, 1, err, errlen))
		return -1;
	t->orders = (uint64_t)v[0];
	if (query_ints(db, "SELECT count(*), coalesce(sum(net_e8 > 0),0) FROM round_trips"
	                   " WHERE close_ms IS NOT NULL", v, 2, err, errlen))
		return -1;
	t->round_trips = (uint64_t)v[0];
	t->wins = (uint64_t)v[1];
	t->net_pnl = t->gross_pnl - t->fees - t->funding;
	if (read_run(db, t) || read_equity(db, t) || read_in_market(db, t)) {
		snprintf(err, errlen, "run database: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int journal_totals_read(const char *path, struct journal_totals *t, char *err, size_t errlen)
{
	sqlite3 *db;
	memset(t, 0, sizeof *t);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	int rc = read_all(db, t, err, errlen);
	sqlite3_close(db);
	return rc;
}
