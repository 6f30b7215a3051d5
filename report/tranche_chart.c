/*
 * tranche_chart.c - the tranche timeline: one lane per symbol, position
 * side and tranche id, with a bar for each time that tranche was open
 * (from its `open` to its `close`, or to the `merge` that folded it into
 * its neighbour; a tranche still open at the end runs to the end of the
 * run). It shows how positions were built up and how long each part lived.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define MAX_LANES 48

struct lane {
	char symbol[SYMBOL_MAX];
	char pos_side[8];
	int tranche;
	int64_t open_ms; /* -1 while closed */
};

static struct lane *find_lane(struct lane *l, int *n, const char *symbol, const char *ps, int id)
{
	for (int i = 0; i < *n; i++)
		if (l[i].tranche == id && !strcmp(l[i].symbol, symbol) && !strcmp(l[i].pos_side, ps))
			return &l[i];
	if (*n == MAX_LANES)
		return NULL;
	struct lane *x = &l[(*n)++];
	copy_str(x->symbol, sizeof x->symbol, symbol, strlen(symbol));
	copy_str(x->pos_side, sizeof x->pos_side, ps, strlen(ps));
	x->tranche = id;
	x->open_ms = -1;
	return x;
}

/* A bar as gnuplot's vectors want it: x, y, dx, dy. */
static void bar(FILE *f, struct lane *x, int y, int64_t until)
{
	fprintf(f, "%.3f %d %.3f 0\n", (double)x->open_ms / 1000.0, y + 1,
	        (double)(until - x->open_ms) / 1000.0);
	x->open_ms = -1;
}

/* Applies one row of the tranches table; false when it needs a lane
 * beyond MAX_LANES. */
static bool lane_event(FILE *f, struct lane *l, int *n, sqlite3_stmt *st, size_t *bars)
{
	int64_t ms = sqlite3_column_int64(st, 0);
	const char *symbol = rp_db_text(st, 1), *ps = rp_db_text(st, 2), *action = rp_db_text(st, 4);
	struct lane *x = find_lane(l, n, symbol, ps, sqlite3_column_int(st, 3));
	if (!x)
		return false;
	if (!strcmp(action, "merge")) {
		struct lane *from = find_lane(l, n, symbol, ps, sqlite3_column_int(st, 5));
		if (from && from->open_ms >= 0) {
			bar(f, from, (int)(from - l), ms);
			(*bars)++;
		}
	}
	if (!strcmp(action, "close")) {
		if (x->open_ms >= 0) {
			bar(f, x, (int)(x - l), ms);
			(*bars)++;
		}
	} else if (x->open_ms < 0) {
		x->open_ms = ms;
	}
	return true;
}

static void lane_labels(FILE *gp, const struct lane *l, int n)
{
	fputs("set ytics (", gp);
	for (int i = 0; i < n; i++) {
		char label[SYMBOL_MAX + 32];
		snprintf(label, sizeof label, "%.*s %.7s T%d", SYMBOL_MAX - 1, l[i].symbol, l[i].pos_side,
		         l[i].tranche);
		if (i)
			fputs(", ", gp);
		rp_gp_quote(gp, label);
		fprintf(gp, " %d", i + 1);
	}
	fputs(")\n", gp);
}

void rp_chart_tranches(struct plot *p)
{
	sqlite3_stmt *st = rp_db_query(p->r, "SELECT ms, symbol, pos_side, tranche, action, merged_from"
	                                  " FROM tranches ORDER BY id");
	FILE *f = st ? rp_plot_data(p, "tranches.dat") : NULL;
	struct lane l[MAX_LANES];
	int n = 0;
	size_t bars = 0;
	bool all = true;
	while (f && rp_db_row(p->r, st))
		all &= lane_event(f, l, &n, st, &bars);
	sqlite3_finalize(st);
	for (int i = 0; f && i < n; i++)
		if (l[i].open_ms >= 0) {
			bar(f, &l[i], i, p->r->last_ms);
			bars++;
		}
	if (f)
		fclose(f);
	char title[64] = "Tranche timeline";
	if (!all)
		snprintf(title, sizeof title, "Tranche timeline (the first %d lanes)", MAX_LANES);
	if (!bars || !rp_plot_begin(p, "tranches.svg", 120 + 22 * n, title))
		return;
	lane_labels(p->gp, l, n);
	fprintf(p->gp, "set yrange [0.3:%d.7]\nset ylabel ''\nunset key\n"
	               "plot 'tranches.dat' using 1:2:3:4 with vectors nohead lw 8"
	               " lc rgb '#1f5fbf'\nset ytics autofreq\nset yrange [*:*]\nset key\n", n);
}
