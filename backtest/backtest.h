/*
 * backtest.h - a backtest: recordings replayed through the simulated
 * exchange and the engine, every decision written to a run database, and a
 * summary of the result read back from that database.
 *
 * The order of operations per event is fixed (docs/backtest.md), and the
 * only randomness is the simulated exchange's seed, so the same inputs give
 * the same database and the same trade-log hash on every machine.
 */
#ifndef HUNTER_BACKTEST_H
#define HUNTER_BACKTEST_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "journal.h"

/* Return codes, the same numbers as the command's exit codes. BT_EINTR:
 * stopped by the user; the run database holds everything done until then
 * and says it was interrupted. */
enum { BT_OK = 0, BT_EDATA = 1, BT_EUSAGE = 2, BT_EINTR = 130 };

struct backtest_opts {
	const char *settings_path;
	const char *exchange_info_path; /* exchangeInfo JSON; NULL: rules from the recordings */
	const char *out_dir;            /* NULL: backtest_default_dir() */
	const char *const *recordings;
	size_t nrecordings;
	int64_t from_ms, to_ms; /* backtest_run: a time window, as for a job */
	bool has_seed; /* override the settings' simulation seed */
	uint64_t seed;
	FILE *diag;    /* warnings and errors, one per line; NULL: stderr */
	/* Set (by a signal handler) to stop the run early; may be NULL. */
	volatile sig_atomic_t *stop;
	/* Called every few hundred thousand events; may be NULL. */
	void (*progress)(void *ctx, uint64_t events);
	void *progress_ctx;
};

struct backtest_summary {
	struct journal_totals t; /* the run's figures, read back from run.db */
	uint64_t events;
	uint64_t out_of_order;   /* events that went back in time within their file */
	double wall_seconds;     /* whole run */
	double loop_seconds;     /* the event loop alone, for events/s */
	double events_per_sec;
	double win_rate_pct;       /* of closed round trips, won (net > 0) */
	double max_drawdown_pct;   /* of the equity peak it fell from */
	double time_in_market_pct; /* of the run's exchange-time span */
	bool interrupted;
	char db_path[4096];
	char tmp_path[4112];       /* where run.db is written until it is complete */
};

/*
 * Runs a backtest and fills `out`. Returns BT_OK, BT_EINTR (stopped early:
 * the run database and `out` hold what was done), BT_EUSAGE (settings or
 * options wrong: nothing was run) or BT_EDATA (an input is missing, corrupt
 * or lacks what the settings need; the previous run.db of the folder, if
 * any, is left as it was). Every problem is written to opts->diag.
 */
int backtest_run(const struct backtest_opts *o, struct backtest_summary *out);

/*
 * Many settings over one pass of the recordings (hunter sweep): each job's
 * result, run database included, is what backtest_run would give for its
 * settings alone. A job with a time window trades from the first event at
 * or after `from_ms` and stops before `to_ms`; trading rules seen before
 * its window still apply. Settings come from `settings_text` when it is set, else
 * from the file `name`. Returns the pass's code (BT_OK, BT_EINTR, or
 * BT_EDATA when the recordings could not be read); each job has its own
 * in `rc`. Messages start with `prefix`, then the job's name when n > 1.
 */
struct backtest_job {
	const char *name;
	const char *settings_text;
	size_t settings_len;
	const char *out_dir;  /* run.db goes here */
	bool market_tables;   /* journal the market_* tables (the report needs them) */
	int64_t from_ms, to_ms; /* trade on events in [from, to) only; 0: no bound */
	int rc;
	struct backtest_summary out;
};
int backtest_run_jobs(const struct backtest_opts *o, struct backtest_job *jobs, size_t n,
                      const char *prefix);

/* "runs/<settings file stem>-<first recording stem>" into buf. */
void backtest_default_dir(const char *settings_path, const char *recording, char *buf,
                          size_t cap);

/* The summary as text lines, or as one JSON object whose deterministic keys
 * are top level and whose wall-clock figures sit under "timing". */
void backtest_print_text(FILE *f, const struct backtest_summary *s);
int backtest_print_json(FILE *f, const struct backtest_summary *s);

#endif
