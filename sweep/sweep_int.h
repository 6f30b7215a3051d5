/*
 * sweep_int.h - private to the sweep module. grid.c reads the grid and
 * writes each combination's settings; results.c is the sweep database;
 * sweep.c chooses the combinations and runs them.
 */
#ifndef HUNTER_SWEEP_INT_H
#define HUNTER_SWEEP_INT_H

#include <cjson/cJSON.h>

#include "backtest.h"
#include "core.h"
#include "sweep.h"

/* ---- grid.c ------------------------------------------------------------ */

struct grid_key {
	char *path;       /* "symbols.*.take_profit_pct" */
	cJSON **values;   /* as the grid wrote them (a range: exact decimals) */
	uint32_t nvalues;
	size_t cap;
};

struct grid {
	struct grid_key *keys; /* in the grid's order: the last varies fastest */
	uint32_t n;
	uint64_t total;        /* combinations in the cartesian product */
};

int sw_grid_parse(struct grid *g, const char *text, size_t len, char *err, size_t cap);
void sw_grid_free(struct grid *g);
uint32_t sw_grid_pick(const struct grid *g, uint64_t combo, uint32_t key);
/* The base settings with combination `combo`'s values (malloc'd), or NULL
 * with err set. */
char *sw_grid_settings(const struct grid *g, const char *base, size_t base_len, uint64_t combo,
		       char *err, size_t cap);
/* {"path": value, ...} of a combination (malloc'd), or NULL. */
char *sw_grid_params_json(const struct grid *g, uint64_t combo);

/* ---- walk.c ------------------------------------------------------------ */

struct fold {
	int64_t train_from, train_to, test_from, test_to;
};

/* The folds over the recordings' span; -1 with err set when there is not
 * room for one. */
int sw_walk_folds(const struct sweep_opts *o, struct fold **out, uint32_t *n, char *err,
		  size_t cap);
bool sw_walk_objective_known(const char *name);
double sw_walk_objective(const char *name, const struct backtest_summary *s, double profit_factor);

/* ---- results.c --------------------------------------------------------- */

struct sweep_meta {
	const char *base_settings; /* the base file's text */
	const char *grid_json;     /* the grid file's text */
	const char *recordings;    /* JSON array of the recordings' paths and sha256 */
	uint64_t combinations;     /* in the grid's product */
	uint64_t selected;         /* run by the sweep, all shards together */
	uint64_t sample_seed;      /* when a sample was drawn */
	bool sampled;
	uint32_t shard, nshards;
	int64_t train_ms, test_ms;  /* walk-forward; 0 when none */
	const char *objective;
	uint64_t min_round_trips;
};

/* One window of a walk-forward: which, and how the combination did. */
struct window_result {
	uint32_t fold;
	bool test;
	int64_t from_ms, to_ms;
	double objective;
};

typedef struct results results_t;

results_t *sw_results_create(const char *path, const struct sweep_meta *m, char *err, size_t cap);
/* One finished combination. */
int sw_results_add(results_t *r, uint64_t combo, const char *params_json, const char *settings,
		   const struct backtest_job *job, double profit_factor);
int sw_results_add_window(results_t *r, uint64_t combo, const struct window_result *w,
			  const struct backtest_job *job, double profit_factor);
/* Gross profit over gross loss of the closed round trips of a run
 * database: 1e9 when nothing was lost but something won, 0 when neither. */
double sw_results_profit_factor(const char *run_db);
/* Commits and closes; returns 0 or -1 with err set. */
int sw_results_close(results_t *r, char *err, size_t cap);

#endif
