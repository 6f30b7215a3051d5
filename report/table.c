/*
 * table.c - a query's rows as an HTML table. Most of the report's tables
 * are a SELECT shown as it comes; doing that in one place keeps escaping,
 * number formatting and folding of long tables the same everywhere.
 */
#include "report_int.h"

/* Numeric cells are right-aligned so that digits line up. */
static void cell(FILE *f, sqlite3_stmt *st, int i, enum col_kind kind)
{
	char buf[FMT_MAX];
	bool null = sqlite3_column_type(st, i) == SQLITE_NULL;
	int64_t v = sqlite3_column_int64(st, i);
	switch (kind) {
	case COL_TEXT:
		fputs("<td>", f);
		rp_html_escape(f, rp_db_text(st, i));
		break;
	case COL_INT:
		rp_html_printf(f, "<td class=\"n\">%lld", (long long)v);
		break;
	case COL_E8:
		rp_html_printf(f, "<td class=\"n\">%s", rp_fmt_e8(buf, v));
		break;
	case COL_TIME:
		rp_html_printf(f, "<td>%s", null ? "open" : rp_fmt_time(buf, v));
		break;
	case COL_DUR:
		rp_html_printf(f, "<td class=\"n\">%s", null ? "" : rp_fmt_dur(buf, v));
		break;
	case COL_BOOL:
		rp_html_printf(f, "<td>%s", v ? "yes" : "no");
		break;
	}
	fputs("</td>", f);
}

size_t rp_table_sql(struct report *r, const char *caption, const char *sql, const struct col *cols,
		    int ncols, bool fold)
{
	sqlite3_stmt *st = rp_db_query(r, sql);
	if (!st)
		return 0;
	/* The row count goes in the summary line, before the rows. */
	size_t n = 0;
	while (rp_db_row(r, st))
		n++;
	sqlite3_reset(st);
	FILE *f = r->f;
	if (fold)
		rp_html_printf(f, "<details><summary>%s (%zu rows)</summary>\n", caption, n);
	else
		rp_html_printf(f, "<h3>%s</h3>\n", caption);
	if (n == 0) {
		rp_html_printf(f, "<p class=\"note\">none</p>\n%s", fold ? "</details>\n" : "");
		sqlite3_finalize(st);
		return 0;
	}
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
	for (int i = 0; i < ncols; i++)
		rp_html_printf(f, "<th>%s</th>", cols[i].title);
	fputs("</tr></thead>\n<tbody>\n", f);
	while (rp_db_row(r, st)) {
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
