/*
 * table.c - a query's rows as an HTML table. Most of the report's tables
 * are a SELECT shown as it comes; doing that in one place keeps escaping,
 * number formatting and folding of long tables the same everywhere.
 */
#include "internal.h"

/* Numeric cells are right-aligned so that digits line up. */
static void cell(FILE *f, sqlite3_stmt *st, int i, enum col_kind kind)
{
	char buf[FMT_MAX];
	bool null = sqlite3_column_type(st, i) == SQLITE_NULL;
	int64_t v = sqlite3_column_int64(st, i);
	switch (kind) {
	case COL_TEXT:
		fputs("<td>", f);
		html_escape(f, db_text(st, i));
		break;
	case COL_INT:
		html_printf(f, "<td class=\"n\">%lld", (long long)v);
		break;
	case COL_E8:
		html_printf(f, "<td class=\"n\">%s", fmt_e8(buf, v));
		break;
	case COL_TIME:
		html_printf(f, "<td>%s", null ? "open" : fmt_time(buf, v));
		break;
	case COL_DUR:
		html_printf(f, "<td class=\"n\">%s", null ? "" : fmt_dur(buf, v));
		break;
	case COL_BOOL:
		html_printf(f, "<td>%s", v ? "yes" : "no");
		break;
	}
	fputs("</td>", f);
}

size_t table_sql(struct report *r, const char *caption, const char *sql, const struct col *cols,
                 int ncols, bool fold)
{
	sqlite3_stmt *st = db_query(r, sql);
	if (!st)
		return 0;
	/* The row count goes in the summary line, before the rows. */
	size_t n = 0;
	while (db_row(r, st))
		n++;
	sqlite3_reset(st);
	FILE *f = r->f;
	if (fold)
		html_printf(f, "<details><summary>%s (%zu rows)</summary>\n", caption, n);
	else
		html_printf(f, "<h3>%s</h3>\n", caption);
	if (n == 0) {
		html_printf(f, "<p class=\"note\">none</p>\n%s", fold ? "</details>\n" : "");
		sqlite3_finalize(st);
		return 0;
	}
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
	for (int i = 0; i < ncols; i++)
		html_printf(f, "<th>%s</th>", cols[i].title);
	fputs("</tr></thead>\n<tbody>\n", f);
	while (db_row(r, st)) {
		fputs("<tr>", f);
		for (int i = 0; i < ncols; i++)
			cell(f, st, i, cols[i].kind);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	if (fold)
		fputs("</details>\n", f);
	sqlite3_finalize(st);
	return n;
}
