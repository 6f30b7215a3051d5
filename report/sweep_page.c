/*
 * sweep_page.c - the report of a sweep's database (docs/sweep.md): what was
 * swept, the combinations ranked by each figure (one table per ranking, so
 * the page sorts without a script), how the result moves with each
 * parameter, a heatmap over the first two, the best combinations' equity
 * curves when their runs were kept, and the walk-forward folds with their
 * in-sample and out-of-sample results side by side.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define CURVES_MAX 5     /* best combinations whose equity is overlaid */

static const struct col ranked_cols[] = {
	{"combination", COL_INT}, {"parameters", COL_TEXT}, {"net PnL", COL_E8},
	{"round trips", COL_INT}, {"win rate %", COL_TEXT}, {"profit factor", COL_TEXT},
	{"max drawdown", COL_E8}, {"fees", COL_E8}, {"rc", COL_INT},
};

#define RANKED_SQL(order)                                                              \
	"SELECT combo, params_json, net_pnl_e8, round_trips, printf('%.2f', win_rate_pct),"   \
	" CASE WHEN profit_factor >= 1e9 THEN 'no loss' ELSE printf('%.2f', profit_factor)" \
	" END, max_drawdown_e8, fees_e8, rc FROM results ORDER BY " order ", combo LIMIT 50"

static void facts(struct report *r)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT combinations, selected, shard, shards, recordings,"
	                                  " coalesce(objective, ''), train_ms, test_ms, grid_json"
	                                  " FROM sweep");
	if (!rp_db_row(r, st)) {
		sqlite3_finalize(st);
		return;
	}
	FILE *f = r->f;
	rp_html_printf(f, "<h1>hunter report: sweep</h1>\n<table class=\"facts\">\n");
	rp_html_printf(f, "<tr><td>combinations</td><td>%lld in the grid, %lld run (shard %d of"
	                  " %d)</td></tr>\n", (long long)sqlite3_column_int64(st, 0),
	               (long long)sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
	               sqlite3_column_int(st, 3));
	fputs("<tr><td>recordings</td><td>", f);
	rp_html_escape(f, rp_db_text(st, 4));
	fputs("</td></tr>\n", f);
	if (sqlite3_column_int64(st, 6) > 0) {
		char a[FMT_MAX], b[FMT_MAX];
		rp_html_printf(f, "<tr><td>walk-forward</td><td>train %s, test %s, chosen by ",
		               rp_fmt_dur(a, sqlite3_column_int64(st, 6)),
		               rp_fmt_dur(b, sqlite3_column_int64(st, 7)));
		rp_html_escape(f, rp_db_text(st, 5));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<details><summary>grid</summary><pre>", f);
	rp_html_escape(f, rp_db_text(st, 8));
	fputs("</pre></details>\n", f);
	sqlite3_finalize(st);
}

/* One table per ranking; the menu above them jumps between them. */
static void rankings(struct report *r)
{
	static const struct { const char *id, *title, *sql; } by[] = {
		{"by-net", "Best by net PnL (first 50)", RANKED_SQL("rc <> 0, net_pnl_e8 DESC")},
		{"by-pf", "Best by profit factor (first 50)",
		 RANKED_SQL("rc <> 0, profit_factor DESC")},
		{"by-dd", "Smallest drawdown (first 50)", RANKED_SQL("rc <> 0, max_drawdown_e8")},
		{"by-trips", "Most round trips (first 50)", RANKED_SQL("rc <> 0, round_trips DESC")},
	};
	rp_html_section(r->f, "combinations", "Combinations");
	fputs("<p>Rank by: ", r->f);
	for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
		rp_html_printf(r->f, "<a href=\"#%s\">%s</a>%s", by[i].id, by[i].title,
		               i + 1 < sizeof by / sizeof by[0] ? " &middot; " : "</p>\n");
	for (size_t i = 0; i < sizeof by / sizeof by[0]; i++) {
		rp_html_printf(r->f, "<a id=\"%s\"></a>\n", by[i].id);
		rp_table_sql(r, by[i].title, by[i].sql, ranked_cols, 9, false);
	}
}

static void sensitivity(struct report *r)
{
	static const struct col cols[] = {
		{"parameter", COL_TEXT}, {"value", COL_TEXT}, {"combinations", COL_INT},
		{"mean net PnL", COL_E8}, {"worst", COL_E8}, {"best", COL_E8},
		{"mean round trips", COL_TEXT},
	};
	rp_html_section(r->f, "sensitivity", "Sensitivity");
	rp_table_sql(r, "Net PnL by the value of each parameter, over every other",
	             "SELECT p.key, p.value, count(*), CAST(avg(s.net_pnl_e8) AS INTEGER),"
	             " min(s.net_pnl_e8), max(s.net_pnl_e8), printf('%.1f', avg(s.round_trips))"
	             " FROM params p JOIN results s USING (combo) WHERE s.rc = 0"
	             " GROUP BY p.key, p.value ORDER BY p.key, CAST(p.value AS REAL), p.value",
	             cols, 7, false);
}

static void walk_forward(struct report *r)
{
	if (!rp_db_int(r, "SELECT count(*) FROM walk_forward"))
		return;
	static const struct col cols[] = {
		{"fold", COL_INT}, {"train from (UTC)", COL_TIME}, {"test from (UTC)", COL_TIME},
		{"test to (UTC)", COL_TIME}, {"chosen", COL_TEXT}, {"in sample", COL_TEXT},
		{"out of sample", COL_TEXT}, {"trips in / out", COL_TEXT},
	};
	rp_html_section(r->f, "walk-forward", "Walk-forward");
	rp_html_note(r->f, "Each fold picks the best combination on its training window and shows"
	                   " how that choice did on the unseen window after it: the gap between"
	                   " the two columns is what the choice owed to chance.");
	rp_table_sql(r, "Folds",
	             "SELECT w.fold, w.train_from_ms, w.test_from_ms, w.test_to_ms,"
	             " coalesce(w.best_combo || ' ' || s.params_json, 'none qualified'),"
	             " printf('%.4f', w.train_objective), printf('%.4f', w.test_objective),"
	             " w.train_round_trips || ' / ' || w.test_round_trips FROM walk_forward w"
	             " LEFT JOIN results s ON s.combo = w.best_combo ORDER BY w.fold", cols, 8, false);
}

/* Tics of an axis named by the parameter's values, in the heatmap's order. */
static void value_tics(struct report *r, FILE *gp, const char *axis, const char *key)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT DISTINCT value FROM params WHERE key = ?1"
	                                  " ORDER BY CAST(value AS REAL), value");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	fprintf(gp, "set %stics (", axis);
	for (int j = 0; rp_db_row(r, st); j++) {
		fputs(j ? ", " : "", gp);
		rp_gp_quote(gp, rp_db_text(st, 0));
		fprintf(gp, " %d", j);
	}
	fputs(")\n", gp);
	sqlite3_finalize(st);
}

/* Mean net PnL over the first two parameters, by the index of their
 * values, so that values of any type fit one grid. */
static void chart_heatmap(struct plot *p)
{
	struct report *r = p->r;
	if (rp_db_int(r, "SELECT count(DISTINCT key) FROM params") < 2)
		return;
	size_t n = rp_plot_dump(p, "heat.dat",
	                        "WITH k AS (SELECT key, row_number() OVER (ORDER BY min(rowid)) AS i"
	                        "  FROM params GROUP BY key),"
	                        " v AS (SELECT key, value, dense_rank() OVER (PARTITION BY key"
	                        "  ORDER BY CAST(value AS REAL), value) - 1 AS j FROM (SELECT"
	                        "  DISTINCT key, value FROM params))"
	                        " SELECT vx.j, vy.j, avg(s.net_pnl_e8) / 1e8 FROM params px"
	                        " JOIN params py ON py.combo = px.combo"
	                        " JOIN k kx ON kx.key = px.key AND kx.i = 1"
	                        " JOIN k ky ON ky.key = py.key AND ky.i = 2"
	                        " JOIN v vx ON vx.key = px.key AND vx.value = px.value"
	                        " JOIN v vy ON vy.key = py.key AND vy.value = py.value"
	                        " JOIN results s ON s.combo = px.combo WHERE s.rc = 0"
	                        " GROUP BY vx.j, vy.j ORDER BY vx.j, vy.j", NULL, 0);
	if (!n || !rp_plot_begin(p, "heatmap.svg", 460,
	                         "Mean net PnL (USDT) over the first two parameters"))
		return;
	FILE *gp = p->gp;
	sqlite3_stmt *st = rp_db_query(r, "SELECT key FROM params GROUP BY key"
	                                  " ORDER BY min(rowid) LIMIT 2");
	const char *axis[2] = {"x", "y"};
	fputs("unset xdata\nset autoscale\n", gp);
	for (int a = 0; a < 2 && rp_db_row(r, st); a++) {
		fprintf(gp, "set %slabel ", axis[a]);
		rp_gp_quote(gp, rp_db_text(st, 0));
		fputc('\n', gp);
		value_tics(r, gp, axis[a], rp_db_text(st, 0));
	}
	sqlite3_finalize(st);
	fputs("set palette defined (0 '#b3261e', 1 '#ffffff', 2 '#14773a')\n"
	      "plot 'heat.dat' using 1:2:3 with image notitle, '' using 1:2:(sprintf('%.2f', $3))"
	      " with labels font ',9' notitle\n", gp);
}

/* Attaches combination `combo`'s kept run database as schema r<k>; -1
 * when the sweep did not keep it. */
static int attach_run(struct report *r, int64_t combo, int k)
{
	char path[4200], sql[32];
	snprintf(path, sizeof path, "%s/runs/%lld/run.db", r->db_dir, (long long)combo);
	snprintf(sql, sizeof sql, "ATTACH ? AS r%d", k);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fclose(f);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

/* The best combinations' equity curves, when the sweep kept their runs. */
static void chart_curves(struct plot *p)
{
	struct report *r = p->r;
	sqlite3_stmt *st = rp_db_query(r, "SELECT combo FROM results WHERE rc = 0"
	                                  " ORDER BY net_pnl_e8 DESC, combo LIMIT 5");
	int64_t combo[CURVES_MAX];
	int n = 0;
	while (n < CURVES_MAX && rp_db_row(r, st))
		combo[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	char name[CURVES_MAX][PLOT_NAME_MAX];
	int drawn = 0;
	for (int i = 0; i < n; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT ms / 1000.0, equity_e8 / 1e8 FROM r%d.equity"
		                          " ORDER BY id", i);
		if (attach_run(r, combo[i], i))
			continue;
		snprintf(name[drawn], PLOT_NAME_MAX, "curve-%d.dat", drawn);
		if (rp_plot_dump(p, name[drawn], sql, NULL, 0))
			drawn++;
	}
	if (!drawn || !rp_plot_begin(p, "curves.svg", 420, "Equity of the best combinations"))
		return;
	fputs("set xdata time\nset timefmt '%s'\nset format x '%H:%M'\nset autoscale\n"
	      "set xtics autofreq\nset ytics autofreq\nset format y '%g'\nset xlabel 'UTC'\n"
	      "set ylabel 'equity (USDT)'\nset key tmargin horizontal\nplot ", p->gp);
	for (int i = 0; i < drawn; i++)
		fprintf(p->gp, "%s'%s' using 1:2 with steps lw 1.3 title 'combination %lld'",
		        i ? ", " : "", name[i], (long long)combo[i]);
	fputc('\n', p->gp);
}

static void sweep_charts(struct plot *p)
{
	chart_heatmap(p);
	chart_curves(p);
}

void rp_page_sweep(struct report *r)
{
	rp_page_start(r, "<a href=\"#combinations\">Combinations</a>"
	                 "<a href=\"#sensitivity\">Sensitivity</a><a href=\"#charts\">Charts</a>"
	                 "<a href=\"#walk-forward\">Walk-forward</a>");
	facts(r);
	rankings(r);
	sensitivity(r);
	rp_charts_section(r, sweep_charts);
	if (!r->charts && !rp_db_int(r, "SELECT count(*) FROM results WHERE rc = 0"))
		rp_html_note(r->f, "No combination finished: there is nothing to rank.");
	walk_forward(r);
	rp_page_foot(r);
}
