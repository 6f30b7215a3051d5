/*
 * sweep.h - many settings backtested in one pass over the recordings: a
 * base settings file, a grid of values for some of its keys, and one result
 * row per combination in a SQLite database (docs/sweep.md).
 *
 * Each combination's result equals a separate `hunter backtest` of its
 * settings, trade-log hash included: it runs in its own session over its
 * own simulated exchange; only the reading of the recordings is shared.
 * Combinations can be split across processes or machines (`shard`) and the
 * shard databases merged into the one a single run writes.
 */
#ifndef HUNTER_SWEEP_H
#define HUNTER_SWEEP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Return codes, the same numbers as the command's exit codes. */
enum { SWEEP_OK = 0, SWEEP_EDATA = 1, SWEEP_EUSAGE = 2, SWEEP_EINTR = 130 };

struct sweep_opts {
	const char *settings_path;      /* the base settings */
	const char *grid_path;
	const char *out_dir;            /* sweep.db, and runs/<n>/ with keep_runs */
	const char *exchange_info_path; /* as for hunter backtest; may be NULL */
	const char *const *recordings;
	size_t nrecordings;
	unsigned threads;               /* 1 or more: combinations split among them */
	uint64_t sample;                /* 0: every combination; else this many at random */
	uint64_t sample_seed;
	uint32_t shard, nshards;        /* this process runs shard `shard` (1..nshards) */
	bool keep_runs;                 /* keep each combination's run database */
	/* Walk-forward (docs/sweep.md): with train_ms and test_ms set, every
	 * combination also runs on each training window and on the window after
	 * it; the best on each training window by `objective` ("net_pnl",
	 * "profit_factor", "drawdown_adjusted"), among those with at least
	 * min_round_trips, is reported with its unseen result. */
	int64_t train_ms, test_ms;
	const char *objective;
	uint64_t min_round_trips;
	volatile sig_atomic_t *stop;    /* set to stop early; finished combinations stay */
	FILE *diag;
	/* called now and then with combinations done and events read */
	void (*progress)(void *ctx, uint64_t done, uint64_t total, uint64_t events);
	void *progress_ctx;
};

/* Runs the sweep; writes out_dir/sweep.db. Every combination is validated
 * like a settings file before anything runs. */
int sweep_run(const struct sweep_opts *o);

/* Merges shard databases into `out` (created), checking that they are
 * shards of one sweep and that together they hold every combination. */
int sweep_merge(const char *out, const char *const *shards, size_t n, FILE *diag);

#endif
