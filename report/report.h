/*
 * report.h - the HTML report of a run database: a self-contained folder
 * (index.html, SVG charts drawn by gnuplot, optional CSV exports) that opens
 * offline in any browser. Everything shown is read from the run database
 * alone (docs/run-database.md), so a backtest, a simulated run and a live
 * run give the same report; docs/report.md explains every figure.
 */
#ifndef HUNTER_REPORT_H
#define HUNTER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct report_opts {
	int refresh_seconds; /* > 0: the page reloads itself (a live dashboard) */
	const char *gnuplot; /* program to draw charts with; NULL: "gnuplot" on PATH */
	FILE *diag;          /* warnings (no gnuplot, missing tables); NULL: none */
};

/* What report_write produced. */
struct report_result {
	char index_path[4096]; /* DIR/index.html */
	bool charts;           /* the charts were drawn */
};

/*
 * Writes DIR/index.html and its chart files for the run database at
 * `db_path`, creating DIR if needed. A missing gnuplot is not an error: the
 * page then has its tables and a note saying why there are no charts.
 * Returns 0, or -1 with a message in err (an unreadable or foreign
 * database, an unwritable folder).
 */
int report_write(const char *db_path, const char *dir, const struct report_opts *o,
                 struct report_result *res, char *err, size_t errlen);

/*
 * Writes DIR/round_trips.csv and DIR/fills.csv from the run database,
 * prices and amounts as exact decimals, times as exchange ms and ISO UTC.
 * Returns 0, or -1 with a message in err.
 */
int report_csv(const char *db_path, const char *dir, char *err, size_t errlen);

#endif
