/*
 * report_int.h - what the report module's files share; not part of its public
 * header. report.c opens the run database and writes the page, one section
 * per file in page order: header.c, summary.c, charts.c (with
 * symbol_charts.c and tranche_chart.c), trades.c, study.c and quality.c.
 * They share db.c (queries), fmt.c (numbers and times), html.c (escaping),
 * table.c (a query as a table), stats.c (the statistics) and plot.c
 * (running gnuplot); csv.c writes the CSV exports.
 */
#ifndef HUNTER_REPORT_INTERNAL_H
#define HUNTER_REPORT_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core.h"
#include "report.h"

/* Symbols that get their own price and liquidation charts, at most. */
#define REPORT_MAX_CHART_SYMBOLS 16

/* One report being written. Errors are sticky: the first is kept in err and
 * every later query is skipped, so sections need not check each call. */
struct report {
	sqlite3 *db;
	FILE *f; /* index.html */
	const char *dir;
	const struct report_opts *o;
	char *err;
	size_t errlen;
	bool market;              /* the run database has the market_* tables */
	bool sweep;               /* it is a sweep's database, not a run's */
	char db_dir[4096];        /* the folder of the database */
	bool charts;              /* gnuplot drew the charts */
	const char *chart_note;   /* why there are no charts, when there are none */
	int64_t first_ms, last_ms;
};

/* ---- db.c ------------------------------------------------------------- */

int rp_db_open(struct report *r, const char *path);
/* Prepares `sql`; NULL (with r->err set) on error or after an earlier one. */
sqlite3_stmt *rp_db_query(struct report *r, const char *sql);
/* Steps `st` once: true with a row, false at the end or on error (err set). */
bool rp_db_row(struct report *r, sqlite3_stmt *st);
/* First column of the first row of `sql` (0 when NULL, absent or failed). */
int64_t rp_db_int(struct report *r, const char *sql);
bool rp_db_has_table(struct report *r, const char *name);
bool rp_db_has_column(struct report *r, const char *table, const char *column);
/* Column text, "" for NULL. */
const char *rp_db_text(sqlite3_stmt *st, int col);
void rp_report_fail(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- fmt.c ------------------------------------------------------------ */

#define FMT_MAX 48
/* Exact decimal text of an _e8 value ("12.5", "-0.0031"). */
const char *rp_fmt_e8(char buf[FMT_MAX], int64_t v);
/* "2025-01-27 16:55:00.306" UTC. */
const char *rp_fmt_time(char buf[FMT_MAX], int64_t ms);
/* A duration for people: "850 ms", "12.4 s", "3 min 05 s", "2 h 07 min", "3 d 4 h". */
const char *rp_fmt_dur(char buf[FMT_MAX], int64_t ms);

/* ---- stats.c ---------------------------------------------------------- */

struct equity_point {
	int64_t ms;
	int64_t equity_e8;
};

struct drawdown {
	int64_t max_amount; /* deepest fall from a running peak, >= 0, in 1e-8 */
	double max_frac;    /* the same as a fraction of that peak */
	int64_t peak_ms, trough_ms;
	int64_t max_duration_ms; /* longest time below a previous peak */
};

void rp_stats_drawdown(const struct equity_point *p, size_t n, struct drawdown *out);

/* Sharpe and Sortino of per-period returns of the equity curve, resampled
 * every `period_ms` (last value in each period), annualised by
 * sqrt(periods per year). Returns false when there are too few periods. */
struct ratios {
	double sharpe, sortino;
	size_t periods;
};
bool rp_stats_ratios(const struct equity_point *p, size_t n, int64_t period_ms, struct ratios *out);

/* Per round trip figures from their net PnLs. */
struct trip_stats {
	size_t n, wins;
	double win_rate;      /* wins / n */
	double expectancy;    /* mean net PnL per trip */
	double profit_factor; /* gross wins / gross losses; INFINITY with no loss */
	double avg_win, avg_loss;
};
void rp_stats_trips(const double *net, size_t n, struct trip_stats *out);

/* ---- html.c ----------------------------------------------------------- */

/* Writes `s` with &, <, >, " and ' escaped and control characters
 * replaced, so any data is safe text. NULL prints nothing. */
void rp_html_escape(FILE *f, const char *s);
/* printf whose %s arguments are NOT escaped: use for markup only. */
void rp_html_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <h2 id="ID">TITLE</h2>, both the report's own text. */
void rp_html_section(FILE *f, const char *id, const char *title);
/* A note in the page's note style; `text` is escaped. */
void rp_html_note(FILE *f, const char *text);

/* ---- table.c ---------------------------------------------------------- */

enum col_kind {
	COL_TEXT,  /* escaped text */
	COL_INT,   /* integer */
	COL_E8,    /* exact decimal from an _e8 integer */
	COL_TIME,  /* exchange ms as UTC time; NULL shows as "open" */
	COL_DUR,   /* ms as a duration */
	COL_BOOL,  /* 0/1 as no/yes */
};

struct col {
	const char *title;
	enum col_kind kind;
};

/*
 * Runs `sql` and writes one table row per result row, column i shown as
 * cols[i]. With `fold`, the table sits in a collapsed <details> whose summary
 * gives `caption` and the row count, so long tables keep the page usable.
 * Returns the number of rows.
 */
size_t rp_table_sql(struct report *r, const char *caption, const char *sql, const struct col *cols,
                 int ncols, bool fold);

/* ---- the page's sections, in order ------------------------------------ */

void rp_page_head(struct report *r);
/* The page's head and styles, then `nav` (trusted HTML) as its menu. */
void rp_page_start(struct report *r, const char *nav);
void rp_page_header(struct report *r);    /* header.c: what the run was */
void rp_page_summary(struct report *r);   /* summary.c */
void rp_page_charts(struct report *r);    /* charts.c: draws, then shows them */
struct plot;
/* The charts section with the charts `charts` writes (a sweep's, say). */
void rp_charts_section(struct report *r, void (*charts)(struct plot *p));
void rp_page_sweep(struct report *r);     /* sweep_page.c: a sweep database */
void rp_page_trades(struct report *r);    /* trades.c: per symbol, signals, trips, fills */
void rp_page_study(struct report *r);     /* study.c: the event study */
void rp_page_quality(struct report *r);   /* quality.c */
void rp_page_foot(struct report *r);

/* ---- charts.c and the charts ----------------------------------------- */

#define PLOT_MAX_CHARTS (4 + 2 * REPORT_MAX_CHART_SYMBOLS)
#define PLOT_MAX_DATA (8 + 8 * REPORT_MAX_CHART_SYMBOLS)
#define PLOT_NAME_MAX 40

struct chart {
	char file[PLOT_NAME_MAX];
	char title[64 + SYMBOL_MAX]; /* may hold a symbol: escaped when shown */
};

/* The charts of one report: a gnuplot script and its data files, written
 * into the report folder and run once. */
struct plot {
	struct report *r;
	FILE *gp;
	struct chart chart[PLOT_MAX_CHARTS];
	int ncharts;
	char data[PLOT_MAX_DATA][PLOT_NAME_MAX]; /* removed once drawn */
	int ndata;
};

/* Opens data file `name` in the report folder for writing (NULL, with the
 * error set, on failure). */
FILE *rp_plot_data(struct plot *p, const char *name);
/* Writes every row of `sql` to data file `name`, columns as numbers;
 * ?1 is bound to `symbol` when not NULL and ?2 to `arg`. Returns the rows. */
size_t rp_plot_dump(struct plot *p, const char *name, const char *sql, const char *symbol,
                 int64_t arg);
/* Starts chart `file` (an SVG `height` pixels high) titled `title`.
 * Returns false when there is no room for another chart. */
bool rp_plot_begin(struct plot *p, const char *file, int height, const char *title);
/* Writes `s` as a single-quoted gnuplot string: quotes doubled, control
 * characters dropped, so no data can end the string or the command. */
void rp_gp_quote(FILE *gp, const char *s);

void rp_chart_symbols(struct plot *p);  /* symbol_charts.c: price, liquidation window */

/* A liquidation as the rolling window counts it (window.c). */
struct liq {
	int64_t ms, size; /* size in 1e-8 of the window's unit */
	bool sell;        /* SELL: a long was liquidated */
};

/*
 * The window sum of strategy.md §2 as a step function: for liquidations
 * `v` in time order, writes to `out` (room for 2 * n) the times at which
 * the sum of sizes in (t - window_ms, t] changes, with the sum from then
 * on (`size`), and returns how many. Identical repeats must already be
 * removed.
 */
size_t rp_liq_window(const struct liq *v, size_t n, int64_t window_ms, struct liq *out);
void rp_chart_tranches(struct plot *p); /* tranche_chart.c */

/* Runs `prog SCRIPT` in `dir` without a shell. Returns 0 on success, 1
 * when the program is not installed, -1 when it failed (its output is left
 * in dir/gnuplot.log). */
int rp_plot_run(const char *prog, const char *dir, const char *script);

#endif
