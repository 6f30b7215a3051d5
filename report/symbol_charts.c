/*
 * symbol_charts.c - two charts per symbol the run traded or watched: the
 * price with liquidations (sized by notional), entries, exits and the
 * tranches' TP/SL levels; and the rolling liquidation volume per side
 * against its threshold, with the triggers marked.
 *
 * The rolling window is recomputed here from market_liquidations and the
 * settings (strategy.md §2: the sum of sizes in (t - window, t], the same
 * liquidation seen twice counted once), so it shows what the data held,
 * independent of what the engine did with it: after a trigger the engine
 * consumes the volume that fired, this curve does not.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Price charts show at most this many points per symbol; longer runs are
 * thinned to the last sample of each equal slice of time. */
#define PRICE_POINTS 3000

/* The settings' rolling window (strategy.md §2, docs/settings.md). */
struct window {
	int64_t ms;
	bool usdt;     /* sizes in USDT, else in base units */
	bool combined; /* both sides in one window */
};

struct threshold {
	double lng, shrt; /* NAN-free: 0 when the settings give none */
};

/* The settings as the run used them: run.settings_json holds the effective
 * settings, every key with its value, so nothing here supplies a default
 * the engine might not share. A database whose text is not JSON reads as
 * '{}': its windows are then unknown and not drawn. */
#define SETTINGS "(SELECT CASE WHEN json_valid(settings_json) THEN settings_json ELSE '{}' END" \
                 " FROM run)"

static void read_window(struct report *r, struct window *w)
{
	w->ms = 1000 * rp_db_int(r, "SELECT json_extract(" SETTINGS ", '$.globals.volume_window_sec')");
	w->usdt = rp_db_int(r, "SELECT json_extract(" SETTINGS ", '$.globals.use_usdt_volume') <> 0");
	w->combined = rp_db_int(r, "SELECT json_extract(" SETTINGS
	                        ", '$.globals.volume_window_mode') = 'COMBINED'");
}

static void read_threshold(struct report *r, const char *symbol, struct threshold *t)
{
	*t = (struct threshold){0};
	sqlite3_stmt *st = rp_db_query(r, "SELECT json_extract(value, '$.volume_threshold_long'),"
	                               " json_extract(value, '$.volume_threshold_short')"
	                               " FROM json_each(" SETTINGS ", '$.symbols') WHERE key = ?1");
	if (!st)
		return;
	sqlite3_bind_text(st, 1, symbol, -1, SQLITE_STATIC);
	if (rp_db_row(r, st)) {
		t->lng = sqlite3_column_double(st, 0);
		t->shrt = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
}

/* A plot command built from the series that have data. */
static void series(FILE *gp, int *n, const char *file, const char *how)
{
	fprintf(gp, "%s'%s' %s", *n ? ", \\\n  " : "plot ", file, how);
	(*n)++;
}

/* Ends a tranche's level line at `ms`, where the next row (or the end of
 * the run) replaces it. */
static void level_end(FILE *f, int64_t ms, int64_t level)
{
	if (level)
		fprintf(f, "%.3f %.10g\n\n", (double)ms / 1000.0, (double)level / 1e8);
}

/*
 * The take-profit or stop-loss price (`column`) of each tranche of
 * `symbol` over time, as one line per tranche life: gnuplot starts a new
 * line after a blank one. A level holds until the tranche's next row, and
 * stops at its close (price 0).
 */
static size_t write_levels(struct plot *p, const char *name, const char *symbol,
                           const char *column)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT pos_side || ' ' || tranche, ms, %s FROM tranches"
	         " WHERE symbol = ?1 ORDER BY pos_side, tranche, id", column);
	sqlite3_stmt *st = rp_db_query(p->r, sql);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, symbol, -1, SQLITE_STATIC);
	FILE *f = NULL;
	char key[32] = "";
	int64_t level = 0;
	size_t rows = 0;
	while (rp_db_row(p->r, st)) {
		int64_t ms = sqlite3_column_int64(st, 1), price = sqlite3_column_int64(st, 2);
		if (strcmp(key, rp_db_text(st, 0))) {
			if (f)
				level_end(f, p->r->last_ms, level);
			level = 0;
			snprintf(key, sizeof key, "%s", rp_db_text(st, 0));
		}
		if (!price) {
			if (f)
				level_end(f, ms, level);
			level = 0;
			continue;
		}
		if (!f && !(f = rp_plot_data(p, name)))
			break;
		fprintf(f, "%.3f %.10g\n", (double)ms / 1000.0, (double)price / 1e8);
		level = price;
		rows++;
	}
	if (f) {
		level_end(f, p->r->last_ms, level);
		fclose(f);
	}
	sqlite3_finalize(st);
	return rows;
}

static void price_chart(struct plot *p, int k, const char *symbol)
{
	struct report *r = p->r;
	char name[7][PLOT_NAME_MAX], title[64 + SYMBOL_MAX];
	const char *stem[7] = {"price", "liq", "entry", "exit", "tp", "sl", "short"};
	for (int i = 0; i < 7; i++)
		snprintf(name[i], sizeof name[i], "%s-%d.dat", stem[i], k);
	int64_t slice = (r->last_ms - r->first_ms) / PRICE_POINTS;
	size_t n[7] = {0};
	if (r->market) {
		n[0] = rp_plot_dump(p, name[0], "SELECT max(ms) / 1000.0, CASE WHEN bid_e8 > 0 AND ask_e8 > 0"
				    " THEN (bid_e8 + ask_e8) / 2e8 WHEN last_e8 > 0 THEN last_e8 / 1e8"
				    " ELSE mark_e8 / 1e8 END FROM market_prices WHERE symbol = ?1 AND"
				    " (bid_e8 > 0 OR last_e8 > 0 OR mark_e8 > 0) GROUP BY ms / ?2 ORDER BY 1",
				    symbol, slice > 1000 ? slice : 1000);
		n[1] = rp_plot_dump(p, name[1], "SELECT DISTINCT ms / 1000.0, CASE WHEN avg_price_e8 > 0"
				    " THEN avg_price_e8 ELSE price_e8 END / 1e8, notional_e8 / 1e8,"
				    " liq_side = 'SELL' FROM market_liquidations WHERE symbol = ?1",
				    symbol, 0);
	}
	/* a long entry buys, a short one sells, in either position mode */
	n[2] = rp_plot_dump(p, name[2], "SELECT ms / 1000.0, price_e8 / 1e8 FROM fills"
			    " WHERE symbol = ?1 AND role = 'entry' AND side = 'BUY'", symbol, 0);
	n[6] = rp_plot_dump(p, name[6], "SELECT ms / 1000.0, price_e8 / 1e8 FROM fills"
			    " WHERE symbol = ?1 AND role = 'entry' AND side = 'SELL'", symbol, 0);
	n[3] = rp_plot_dump(p, name[3], "SELECT ms / 1000.0, price_e8 / 1e8 FROM fills"
			    " WHERE symbol = ?1 AND role <> 'entry'", symbol, 0);
	n[4] = write_levels(p, name[4], symbol, "tp_price_e8");
	n[5] = write_levels(p, name[5], symbol, "sl_price_e8");
	if (!(n[0] + n[1] + n[2] + n[3] + n[6]))
		return;
	snprintf(title, sizeof title, "%.*s: price, liquidations, entries and exits", SYMBOL_MAX - 1,
	         symbol);
	char svg[PLOT_NAME_MAX];
	snprintf(svg, sizeof svg, "price-%d.svg", k);
	if (!rp_plot_begin(p, svg, 380, title))
		return;
	FILE *gp = p->gp;
	fputs("set ylabel 'price'\nset key tmargin horizontal\n", gp);
	if (n[1])
		fprintf(gp, "set xdata\nstats '%s' using 3 nooutput\nset xdata time\n"
		            "liqmax = STATS_max > 0 ? STATS_max : 1\n", name[1]);
	int s = 0;
	if (n[0])
		series(gp, &s, name[0], "using 1:2 with lines lw 1 lc rgb '#4a5568'"
		       " title 'price (mid, else last trade)'");
	if (n[1])
		series(gp, &s, name[1], "using 1:2:(0.3 + 2.7 * sqrt($3 / liqmax)):($4 > 0 ? 0xd62728 :"
		       " 0x2ca02c) with points pt 6 ps variable lc rgb variable"
		       " title 'liquidations: red longs, green shorts, size ~ notional'");
	if (n[4])
		series(gp, &s, name[4], "using 1:2 with steps dt 3 lw 1.2 lc rgb '#14773a'"
		       " title 'take-profit of each tranche'");
	if (n[5])
		series(gp, &s, name[5], "using 1:2 with steps dt 3 lw 1.2 lc rgb '#b3261e'"
		       " title 'stop-loss of each tranche'");
	if (n[2])
		series(gp, &s, name[2], "using 1:2 with points pt 9 ps 1.4 lc rgb '#1f5fbf'"
		       " title 'long entry fill'");
	if (n[6])
		series(gp, &s, name[6], "using 1:2 with points pt 11 ps 1.4 lc rgb '#e07b00'"
		       " title 'short entry fill'");
	if (n[3])
		series(gp, &s, name[3], "using 1:2 with points pt 2 ps 1.2 lc rgb '#111111' title 'exit fill'");
	fputc('\n', gp);
}

/* Distinct liquidations of `symbol` in time order, sized as the settings
 * say; NULL (n = 0) when there are none. */
static struct liq *read_liqs(struct report *r, const char *symbol, const struct window *w,
                             size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = rp_db_query(r, "SELECT DISTINCT ms, liq_side, qty_e8, price_e8, avg_price_e8,"
	                               " filled_qty_e8, notional_e8 FROM market_liquidations"
	                               " WHERE symbol = ?1 ORDER BY ms");
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, symbol, -1, SQLITE_STATIC);
	struct liq *v = NULL;
	size_t cap = 0;
	while (rp_db_row(r, st)) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			struct liq *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rp_report_fail(r, "out of memory for the liquidations of %s", symbol);
				break;
			}
			v = nv;
		}
		bool filled = sqlite3_column_int64(st, 5) > 0 && sqlite3_column_int64(st, 4) > 0;
		v[*n].ms = sqlite3_column_int64(st, 0);
		v[*n].sell = !strcmp(rp_db_text(st, 1), "SELL");
		v[*n].size = w->usdt ? sqlite3_column_int64(st, 6)
		                     : sqlite3_column_int64(st, filled ? 5 : 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	return v;
}

static size_t write_window(struct plot *p, const char *name, const struct liq *v, size_t n,
                           int64_t window_ms)
{
	struct liq *step = n ? malloc(2 * n * sizeof *step) : NULL;
	FILE *f = step ? rp_plot_data(p, name) : NULL;
	if (!f) {
		if (n && !step)
			rp_report_fail(p->r, "out of memory for a liquidation window");
		free(step);
		return 0;
	}
	size_t m = rp_liq_window(v, n, window_ms, step);
	for (size_t i = 0; i < m; i++)
		fprintf(f, "%.3f %.10g\n", (double)step[i].ms / 1000.0, (double)step[i].size / 1e8);
	fclose(f);
	free(step);
	return m;
}

/* Keeps the liquidations of one side (1 longs, 0 shorts; -1 both) in `out`. */
static size_t select_side(const struct liq *v, size_t n, int side, struct liq *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (side < 0 || v[i].sell == side)
			out[m++] = v[i];
	return m;
}

static const char *const side_sql[] = {
	"SELECT ms / 1000.0, window_volume_e8 / 1e8, fired FROM signals WHERE symbol = ?1"
	" AND liq_side = 'BUY'",
	"SELECT ms / 1000.0, window_volume_e8 / 1e8, fired FROM signals WHERE symbol = ?1"
	" AND liq_side = 'SELL'",
};

/* One window's curve and triggers; `side` as for select_side. */
static void window_series(struct plot *p, int *s, int k, int side, const struct liq *sel,
                          size_t m, int64_t window_ms, const char *symbol)
{
	static const char *const colour[] = {"#2ca02c", "#d62728", "#6a3d9a"};
	static const char *const who[] = {"short liquidations", "long liquidations", "all liquidations"};
	int c = side < 0 ? 2 : side;
	char win[PLOT_NAME_MAX], trig[PLOT_NAME_MAX], how[160];
	snprintf(win, sizeof win, "win-%d-%d.dat", k, c);
	snprintf(trig, sizeof trig, "trig-%d-%d.dat", k, c);
	bool drawn = write_window(p, win, sel, m, window_ms) > 0;
	size_t ntrig = side < 0 ? rp_plot_dump(p, trig, "SELECT ms / 1000.0, window_volume_e8 / 1e8, fired"
					       " FROM signals WHERE symbol = ?1", symbol, 0)
	                        : rp_plot_dump(p, trig, side_sql[side], symbol, 0);
	if (drawn) {
		snprintf(how, sizeof how, "using 1:2 with steps lw 1.2 lc rgb '%s' title 'window: %s'",
		         colour[c], who[c]);
		series(p->gp, s, win, how);
	}
	if (ntrig) {
		snprintf(how, sizeof how, "using 1:2:($3 > 0 ? 7 : 6) with points pt variable ps 1.3"
		         " lc rgb '%s' title 'triggers after %s (open: skipped)'", colour[c], who[c]);
		series(p->gp, s, trig, how);
	}
}

static void window_chart(struct plot *p, int k, const char *symbol, const struct window *w)
{
	size_t n;
	struct liq *v = read_liqs(p->r, symbol, w, &n);
	if (!n)
		return;
	struct liq *sel = malloc(n * sizeof *sel);
	struct threshold t;
	read_threshold(p->r, symbol, &t);
	char svg[PLOT_NAME_MAX], title[64 + SYMBOL_MAX];
	snprintf(svg, sizeof svg, "liqwin-%d.svg", k);
	snprintf(title, sizeof title, "%.*s: rolling liquidation volume and triggers",
	         SYMBOL_MAX - 1, symbol);
	if (!sel)
		rp_report_fail(p->r, "out of memory for the liquidations of %s", symbol);
	if (!sel || !rp_plot_begin(p, svg, 340, title)) {
		free(sel);
		free(v);
		return;
	}
	FILE *gp = p->gp;
	fprintf(gp, "set ylabel '%s in %llds window'\nset key tmargin horizontal\n",
	        w->usdt ? "USDT" : "base units", (long long)(w->ms / 1000));
	int s = 0;
	for (int side = w->combined ? -1 : 0; side <= (w->combined ? -1 : 1); side++)
		window_series(p, &s, k, side, sel, select_side(v, n, side, sel), w->ms, symbol);
	if (t.lng > 0)
		fprintf(gp, ", \\\n  %.10g with lines dt 2 lc rgb '#d62728' title 'threshold, longs'", t.lng);
	if (t.shrt > 0)
		fprintf(gp, ", \\\n  %.10g with lines dt 2 lc rgb '#2ca02c' title 'threshold, shorts'", t.shrt);
	fputc('\n', gp);
	free(sel);
	free(v);
}

/* The symbols charted: the most traded first, then those with signals,
 * then the rest of the settings'. */
static int read_symbols(struct report *r, char (*sym)[SYMBOL_MAX])
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT symbol FROM (SELECT symbol, 1000000 AS w FROM fills"
	                               " UNION ALL SELECT symbol, 1 FROM signals UNION ALL"
	                               " SELECT key, 0 FROM json_each(" SETTINGS ", '$.symbols'))"
	                               " GROUP BY symbol ORDER BY sum(w) DESC, symbol");
	int n = 0;
	while (n < REPORT_MAX_CHART_SYMBOLS && rp_db_row(r, st))
		copy_str(sym[n++], SYMBOL_MAX, rp_db_text(st, 0), strlen(rp_db_text(st, 0)));
	sqlite3_finalize(st);
	return n;
}

void rp_chart_symbols(struct plot *p)
{
	char sym[REPORT_MAX_CHART_SYMBOLS][SYMBOL_MAX];
	struct window w;
	read_window(p->r, &w);
	int n = read_symbols(p->r, sym);
	for (int k = 0; k < n; k++) {
		price_chart(p, k, sym[k]);
		if (p->r->market && w.ms > 0)
			window_chart(p, k, sym[k], &w);
	}
}
