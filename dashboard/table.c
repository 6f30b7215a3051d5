/*
 * table.c - every figure the dashboard shows is a cell of a table: the
 * snapshot's account, positions, tranches, orders and health, and the run
 * database's trades, liquidations, signals and PnL. One writer draws them
 * all as HTML and one as JSON, so a figure cannot be escaped in one place
 * and forgotten in another.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "dashboard_int.h"

char **dash_table_row(struct dash_table *t)
{
	size_t w = t->v->ncols;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **cells = realloc(t->cells, cap * w * sizeof *cells);
		if (!cells) {
			t->oom = true;
			return NULL;
		}
		t->cells = cells;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows++ * w;
	memset(row, 0, w * sizeof *row);
	return row;
}

void dash_table_free(struct dash_table *t)
{
	for (size_t i = 0; i < t->nrows * t->v->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static void cell_html(struct dtext *out, const struct dash_col *col, const char *cell)
{
	int64_t ms;
	char when[UTC_FMT_MAX];
	if (!cell)
		return;
	if (col->kind == DK_MS && utc_parse(cell, &ms) == 0) {
		utc_format(ms, when);
		dash_html(out, when);
	} else {
		dash_html(out, cell);
	}
}

/* <table> with a heading row; `empty` in place of a table without rows.
 * Each cell carries its column's key, so tests and scripts can find it. */
void dash_table_html(struct dtext *out, const struct dash_table *t, const char *empty)
{
	const struct dash_view *v = t->v;
	if (!t->nrows) {
		dash_puts(out, "<p class=\"empty\">");
		dash_html(out, empty);
		dash_puts(out, "</p>\n");
		return;
	}
	dash_printf(out, "<table id=\"%s\">\n<tr>", v->key);
	for (size_t c = 0; c < v->ncols; c++) {
		dash_puts(out, "<th>");
		dash_html(out, v->cols[c].label);
		dash_puts(out, "</th>");
	}
	dash_puts(out, "</tr>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		dash_puts(out, "<tr>");
		for (size_t c = 0; c < v->ncols; c++) {
			dash_printf(out, "<td data-key=\"%s\"%s>", v->cols[c].key,
			            v->cols[c].kind == DK_DEC || v->cols[c].kind == DK_INT
			                    ? " class=\"num\"" : "");
			cell_html(out, &v->cols[c], t->cells[r * v->ncols + c]);
			dash_puts(out, "</td>");
		}
		dash_puts(out, "</tr>\n");
	}
	dash_puts(out, "</table>\n");
}

/* Numbers are written as they are: cells of those kinds come from
 * integers the dashboard itself formatted. */
void dash_table_json_row(struct dtext *out, const struct dash_table *t, size_t r)
{
	const struct dash_view *v = t->v;
	dash_puts(out, "{");
	for (size_t c = 0; c < v->ncols; c++) {
		const char *cell = t->cells[r * v->ncols + c];
		dash_printf(out, "%s\"%s\":", c ? "," : "", v->cols[c].key);
		if (!cell)
			dash_puts(out, "null");
		else if (v->cols[c].kind == DK_INT || v->cols[c].kind == DK_MS)
			dash_puts(out, cell);
		else
			dash_json_string(out, cell);
	}
	dash_puts(out, "}");
}

void dash_table_json(struct dtext *out, const struct dash_table *t)
{
	dash_puts(out, "[");
	for (size_t r = 0; r < t->nrows; r++) {
		if (r)
			dash_puts(out, ",");
		dash_table_json_row(out, t, r);
	}
	dash_puts(out, "]");
}
