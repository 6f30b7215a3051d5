/*
 * db.c - reading the run database: opening it read-only and checking it is
 * one, and the few query shapes the sections need. Errors are sticky in the
 * report (report_int.h), so a section can run its queries one after another
 * and the first failure, with the statement that failed, is what the user
 * sees.
 */
#include <stdarg.h>
#include <string.h>

#include "report_int.h"

/* Version 2 added run.interrupted, run.liq_arrival_delay_ms, the exchange_ms
 * columns and symbol_fills; version 3 added run_starts. Older databases are
 * read without them. */
#define SCHEMA_VERSION 3

void rp_report_fail(struct report *r, const char *fmt, ...)
{
	if (r->err[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
}

sqlite3_stmt *rp_db_query(struct report *r, const char *sql)
{
	if (r->err[0])
		return NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rp_report_fail(r, "run database: %s: %s", sqlite3_errmsg(r->db), sql);
		return NULL;
	}
	return st;
}

bool rp_db_row(struct report *r, sqlite3_stmt *st)
{
	if (!st)
		return false;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		rp_report_fail(r, "run database: %s: %s", sqlite3_errmsg(r->db), sqlite3_sql(st));
	return false;
}

int64_t rp_db_int(struct report *r, const char *sql)
{
	sqlite3_stmt *st = rp_db_query(r, sql);
	int64_t v = rp_db_row(r, st) ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return v;
}

bool rp_db_has_table(struct report *r, const char *name)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
	                                  " AND name = ?");
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	bool yes = rp_db_row(r, st);
	sqlite3_finalize(st);
	return yes;
}

/* Columns later schema versions added are read only where they exist. */
bool rp_db_has_column(struct report *r, const char *table, const char *column)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	bool yes = rp_db_row(r, st);
	sqlite3_finalize(st);
	return yes;
}

const char *rp_db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

/* The tables every section reads; the market_* tables are optional (runs
 * written before they existed, or by a mode that does not record them). */
static const char *const required[] = {
	"run", "recordings", "signals", "orders", "fills", "tranches", "notes", "funding",
	"equity", "round_trips",
};

int rp_db_open(struct report *r, const char *path)
{
	if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rp_report_fail(r, "%s: %s", path, sqlite3_errmsg(r->db));
		return -1;
	}
	/* sqlite opens anything lazily: the first read tells a database from
	 * some other file. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rp_report_fail(r, "%s: not a run database: %s", path, sqlite3_errmsg(r->db));
		sqlite3_finalize(st);
		return -1;
	}
	int version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	/* a sweep's database (docs/sweep.md) gets its own page */
	if (rp_db_has_table(r, "sweep") && rp_db_has_table(r, "results")) {
		r->sweep = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!rp_db_has_table(r, required[i])) {
			rp_report_fail(r, "%s: not a hunter run database (it has no %s table)", path,
				       required[i]);
			return -1;
		}
	if (version < 1 || version > SCHEMA_VERSION) {
		rp_report_fail(r, "%s: run database schema version %d; this hunter reads 1 to %d",
			       path, version, SCHEMA_VERSION);
		return -1;
	}
	if (rp_db_int(r, "SELECT count(*) FROM run") != 1)
		rp_report_fail(r, "%s: the run table must hold exactly one row", path);
	r->market = rp_db_has_table(r, "market_prices") && rp_db_has_table(r, "market_liquidations") &&
	            rp_db_has_table(r, "market_streams") && rp_db_has_table(r, "market_gaps");
	return r->err[0] ? -1 : 0;
}
