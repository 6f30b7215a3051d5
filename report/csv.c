/*
 * csv.c - report_csv: the round trips and fills as CSV (RFC 4180), for
 * spreadsheets and other tools. Amounts are exact decimals printed from
 * the _e8 integers; times are given both as exchange ms and as ISO UTC.
 */
#include <errno.h>
#include <string.h>

#include "report_int.h"

/* A text field, quoted when it holds a comma, quote or line break. */
static void csv_text(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Columns whose name ends in _e8 are printed as decimals under the name
 * without the suffix; columns ending in _ms get an _utc twin. */
static void csv_header(FILE *f, sqlite3_stmt *st)
{
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		size_t n = strlen(name);
		if (i)
			fputc(',', f);
		if (n > 3 && !strcmp(name + n - 3, "_e8"))
			fprintf(f, "%.*s", (int)(n - 3), name);
		else if (n > 3 && !strcmp(name + n - 3, "_ms"))
			fprintf(f, "%s,%.*s_utc", name, (int)(n - 3), name);
		else
			fputs(name, f);
	}
	fputc('\n', f);
}

static void csv_row(FILE *f, sqlite3_stmt *st)
{
	char buf[FMT_MAX];
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		size_t n = strlen(name);
		bool null = sqlite3_column_type(st, i) == SQLITE_NULL;
		int64_t v = sqlite3_column_int64(st, i);
		if (i)
			fputc(',', f);
		if (n > 3 && !strcmp(name + n - 3, "_e8"))
			fputs(null ? "" : rp_fmt_e8(buf, v), f);
		else if (n > 3 && !strcmp(name + n - 3, "_ms"))
			fprintf(f, "%s,%s", null ? "" : rp_db_text(st, i),
			        null ? "" : rp_fmt_time(buf, v));
		else
			csv_text(f, rp_db_text(st, i));
	}
	fputc('\n', f);
}

static void export(struct report *r, const char *file, const char *sql)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", r->dir, file);
	sqlite3_stmt *st = rp_db_query(r, sql);
	if (!st)
		return;
	FILE *f = fopen(path, "w");
	if (!f) {
		rp_report_fail(r, "%s: %s", path, strerror(errno));
		sqlite3_finalize(st);
		return;
	}
	csv_header(f, st);
	while (rp_db_row(r, st))
		csv_row(f, st);
	sqlite3_finalize(st);
	if (ferror(f))
		rp_report_fail(r, "%s: write error", path);
	if (fclose(f))
		rp_report_fail(r, "%s: %s", path, strerror(errno));
}

int report_csv(const char *db_path, const char *dir, char *err, size_t errlen)
{
	struct report r = {.dir = dir, .err = err, .errlen = errlen};
	err[0] = '\0';
	if (rp_db_open(&r, db_path) == 0) {
		export(&r, "round_trips.csv",
		       "SELECT id, symbol, pos_side, direction, open_ms, close_ms, fills, qty_e8,"
		       " closed_qty_e8, entry_avg_e8, exit_avg_e8, gross_e8, fees_e8, funding_e8, net_e8"
		       " FROM round_trips ORDER BY id");
		export(&r, "fills.csv",
		       "SELECT id, ms, symbol, client_id, role, tranche, side, pos_side, price_e8, qty_e8,"
		       " fee_e8, maker, realized_pnl_e8, trade_id FROM fills ORDER BY id");
	}
	sqlite3_close(r.db);
	return err[0] ? -1 : 0;
}
