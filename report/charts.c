/*
 * charts.c - the charts section: writes gnuplot's data files and one script
 * into the report folder, runs gnuplot once (plot.c), removes the
 * intermediate files and shows the SVG files that were drawn. Only the
 * equity curve and the PnL distribution are here; symbol_charts.c and
 * tranche_chart.c add theirs through the same plot_* helpers.
 *
 * Text from data (symbols) reaches the script only through rp_gp_quote and
 * the page only escaped; a chart without data is left out, because gnuplot
 * stops the whole script on an empty data file.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_int.h"

#define SCRIPT "charts.gp"
#define HIST_MAX_BINS 40

void rp_gp_quote(FILE *gp, const char *s)
{
	fputc('\'', gp);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", gp);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, gp);
	}
	fputc('\'', gp);
}

FILE *rp_plot_data(struct plot *p, const char *name)
{
	if (p->ndata == PLOT_MAX_DATA) {
		rp_report_fail(p->r, "too many chart data files");
		return NULL;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", p->r->dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		rp_report_fail(p->r, "%s: %s", path, strerror(errno));
		return NULL;
	}
	snprintf(p->data[p->ndata++], PLOT_NAME_MAX, "%s", name);
	return f;
}

size_t rp_plot_dump(struct plot *p, const char *name, const char *sql, const char *symbol,
		    int64_t arg)
{
	sqlite3_stmt *st = rp_db_query(p->r, sql);
	if (!st)
		return 0;
	if (symbol)
		sqlite3_bind_text(st, 1, symbol, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, arg);
	FILE *f = rp_plot_data(p, name);
	size_t n = 0;
	while (f && rp_db_row(p->r, st)) {
		for (int i = 0; i < sqlite3_column_count(st); i++)
			fprintf(f, i ? " %.10g" : "%.10g", sqlite3_column_double(st, i));
		fputc('\n', f);
		n++;
	}
	if (f)
		fclose(f);
	sqlite3_finalize(st);
	return n;
}

bool rp_plot_begin(struct plot *p, const char *file, int height, const char *title)
{
	if (p->ncharts == PLOT_MAX_CHARTS)
		return false;
	struct chart *c = &p->chart[p->ncharts++];
	snprintf(c->file, sizeof c->file, "%s", file);
	snprintf(c->title, sizeof c->title, "%s", title);
	fprintf(p->gp, "\nset terminal svg size 1100,%d dynamic noenhanced font 'sans,10'"
	               " background rgb 'white'\nset output '%s'\n", height, file);
	return true;
}

/* Axes of exchange time: gnuplot reads seconds since the epoch. Every
 * time chart spans the whole run with the same margins, so charts placed
 * one under the other (a symbol's price and its liquidation windows) line
 * up to the pixel. */
static void time_axis(struct plot *p)
{
	int64_t span = p->r->last_ms - p->r->first_ms;
	fprintf(p->gp, "set xdata time\nset timefmt '%%s'\nset format x '%s'\nset xlabel 'UTC'\n",
	        span > 2 * 86400000LL ? "%m-%d %H:%M" : span > 3600000 ? "%H:%M" : "%H:%M:%S");
	if (span > 0)
		fprintf(p->gp, "set xrange [%.3f:%.3f]\nset lmargin 12\nset rmargin 4\n",
		        (double)p->r->first_ms / 1000.0, (double)p->r->last_ms / 1000.0);
}

static void chart_equity(struct plot *p)
{
	size_t n = rp_plot_dump(p, "equity.dat",
				"SELECT ms / 1000.0, equity_e8 / 1e8, (equity_e8 - max(equity_e8)"
				" OVER (ORDER BY id ROWS UNBOUNDED PRECEDING)) / 1e8"
				" FROM equity ORDER BY id", NULL, 0);
	if (n == 0 || !rp_plot_begin(p, "equity.svg", 520, "Equity and drawdown"))
		return;
	fputs("set multiplot layout 2,1\nset ylabel 'equity (USDT)'\nunset xlabel\n"
	      "plot 'equity.dat' using 1:2 with steps lw 1.5 lc rgb '#1f5fbf' title 'equity'\n"
	      "set ylabel 'drawdown (USDT)'\nset xlabel 'UTC'\n"
	      "plot 'equity.dat' using 1:3 with filledcurves y1=0 lc rgb '#d9534f' fs solid 0.4"
	      " title 'drawdown from running peak'\nunset multiplot\n", p->gp);
}

/* Counts of closed round trips by net PnL, in equal bins. */
static void chart_pnl(struct plot *p)
{
	sqlite3_stmt *st = rp_db_query(p->r, "SELECT net_e8 / 1e8 FROM round_trips"
	                                  " WHERE close_ms IS NOT NULL");
	double *v = NULL, lo = INFINITY, hi = -INFINITY;
	size_t n = 0, cap = 0;
	while (rp_db_row(p->r, st)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			double *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rp_report_fail(p->r, "out of memory for the PnL distribution");
				break;
			}
			v = nv;
		}
		v[n] = sqlite3_column_double(st, 0);
		lo = fmin(lo, v[n]);
		hi = fmax(hi, v[n]);
		n++;
	}
	sqlite3_finalize(st);
	FILE *f = n ? rp_plot_data(p, "pnl.dat") : NULL;
	if (f) {
		size_t bins = (size_t)ceil(sqrt((double)n));
		bins = bins < 5 ? 5 : bins > HIST_MAX_BINS ? HIST_MAX_BINS : bins;
		double width = hi > lo ? (hi - lo) / (double)bins : 1.0;
		size_t count[HIST_MAX_BINS] = {0};
		for (size_t i = 0; i < n; i++) {
			size_t b = (size_t)((v[i] - lo) / width);
			count[b < bins ? b : bins - 1]++;
		}
		for (size_t b = 0; b < bins; b++) {
			double mid = lo + width * ((double)b + 0.5);
			fprintf(f, "%.10g %zu %.10g %d\n", mid, count[b], width, mid >= 0);
		}
		fclose(f);
		if (rp_plot_begin(p, "pnl.svg", 320, "Distribution of round-trip net PnL")) {
			fputs("unset xdata\nset autoscale x\nset format x '%g'\n"
			      "set xlabel 'net PnL per round trip (USDT)'\n"
			      "set ylabel 'round trips'\nset style fill solid 0.6\nset yrange [0:*]\n"
			      "plot 'pnl.dat' using 1:2:3:($4 > 0 ? 0x14773a : 0xb3261e) with boxes"
			      " lc rgb variable notitle\nset yrange [*:*]\n", p->gp);
		}
	}
	free(v);
}

static void remove_files(struct plot *p)
{
	char path[4096];
	for (int i = 0; i < p->ndata; i++) {
		snprintf(path, sizeof path, "%s/%s", p->r->dir, p->data[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/" SCRIPT, p->r->dir);
	unlink(path);
}

/* The charts of a run report. */
static void run_charts(struct plot *p)
{
	time_axis(p);
	chart_equity(p);
	rp_chart_symbols(p);
	rp_chart_tranches(p);
	chart_pnl(p);
}

/* Writes the script and data; returns false if nothing can be drawn. */
static bool write_script(struct plot *p, void (*charts)(struct plot *p))
{
	char path[4096];
	snprintf(path, sizeof path, "%s/" SCRIPT, p->r->dir);
	p->gp = fopen(path, "w");
	if (!p->gp) {
		rp_report_fail(p->r, "%s: %s", path, strerror(errno));
		return false;
	}
	fputs("# hunter report charts: data files sit next to this script\n"
	      "set grid lc rgb '#dddddd'\nset key tmargin horizontal\nset border lc rgb '#555555'\n", p->gp);
	charts(p);
	fputs("set output\n", p->gp);
	bool ok = !ferror(p->gp);
	fclose(p->gp);
	return ok && p->ncharts > 0 && !p->r->err[0];
}

static void draw(struct report *r, struct plot *p, void (*charts)(struct plot *p))
{
	const char *prog = r->o->gnuplot ? r->o->gnuplot : "gnuplot";
	if (!write_script(p, charts)) {
		r->chart_note = "There is nothing to chart here.";
		remove_files(p);
		return;
	}
	int rc = rp_plot_run(prog, r->dir, SCRIPT);
	remove_files(p);
	if (rc == 1)
		r->chart_note = "No charts: gnuplot is not installed (on Debian: apt-get install"
		                " gnuplot-nox). The tables below are complete.";
	else if (rc < 0)
		r->chart_note = "No charts: gnuplot failed; its messages are in gnuplot.log in this"
		                " folder. The tables below are complete.";
	else {
		char log[4096];
		snprintf(log, sizeof log, "%s/gnuplot.log", r->dir);
		unlink(log);
		r->charts = true;
	}
	if (r->chart_note && r->o->diag)
		fprintf(r->o->diag, "warning: %s\n", r->chart_note);
}

static bool exists(const struct report *r, const char *file)
{
	char path[4096];
	struct stat sb;
	snprintf(path, sizeof path, "%s/%s", r->dir, file);
	return stat(path, &sb) == 0 && sb.st_size > 0;
}

void rp_page_charts(struct report *r)
{
	rp_charts_section(r, run_charts);
}

void rp_charts_section(struct report *r, void (*charts)(struct plot *p))
{
	struct plot *p = calloc(1, sizeof *p);
	if (!p) {
		rp_report_fail(r, "out of memory for the charts");
		return;
	}
	p->r = r;
	draw(r, p, charts);
	rp_html_section(r->f, "charts", "Charts");
	if (r->chart_note)
		rp_html_note(r->f, r->chart_note);
	for (int i = 0; r->charts && i < p->ncharts; i++) {
		if (!exists(r, p->chart[i].file))
			continue;
		fputs("<h3>", r->f);
		rp_html_escape(r->f, p->chart[i].title);
		rp_html_printf(r->f, "</h3>\n<img src=\"%s\" alt=\"", p->chart[i].file);
		rp_html_escape(r->f, p->chart[i].title);
		fputs("\"/>\n", r->f);
	}
	free(p);
}
