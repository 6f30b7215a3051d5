/*
 * walk.c - walk-forward windows: the span of the recordings cut into folds
 * of a training window followed by a test window, each fold moved on by the
 * test window's length, and the objective each window's result is judged
 * by. The choice of the best combination per fold is SQL over the windows
 * table (results.c), so that merged shards choose as a single run does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "sweep_int.h"

/* The exchange-time span of the recordings: one quick pass of reading. */
static int span(const struct sweep_opts *o, int64_t *first, int64_t *last, char *err,
                size_t cap)
{
	char rerr[REC_ERR_MAX];
	replay *rp = replay_open(o->recordings, o->nrecordings, rerr);
	if (!rp) {
		snprintf(err, cap, "%s", rerr);
		return -1;
	}
	ev_t ev;
	int rc;
	bool any = false;
	while ((rc = replay_next(rp, &ev)) == 1) {
		if (!any || ev.exch_ms < *first)
			*first = ev.exch_ms;
		if (!any || ev.exch_ms > *last)
			*last = ev.exch_ms;
		any = true;
	}
	if (rc < 0)
		snprintf(err, cap, "%s", rerr);
	else if (!any)
		snprintf(err, cap, "the recordings hold no events");
	replay_close(rp);
	return rc < 0 || !any ? -1 : 0;
}

int sw_walk_folds(const struct sweep_opts *o, struct fold **out, uint32_t *n, char *err, size_t cap)
{
	int64_t first = 0, last = 0;
	*out = NULL;
	*n = 0;
	if (span(o, &first, &last, err, cap))
		return -1;
	if (first + o->train_ms + o->test_ms > last + 1) {
		snprintf(err, cap, "walk-forward: the recordings span %lld s, less than one training"
		                   " and one test window (%lld s)", (long long)((last - first) / 1000),
		         (long long)((o->train_ms + o->test_ms) / 1000));
		return -1;
	}
	uint32_t count = (uint32_t)((last + 1 - first - o->train_ms) / o->test_ms);
	struct fold *f = calloc(count, sizeof *f);
	if (!f) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		f[i].train_from = first + (int64_t)i * o->test_ms;
		f[i].train_to = f[i].test_from = f[i].train_from + o->train_ms;
		f[i].test_to = f[i].test_from + o->test_ms;
	}
	*out = f;
	*n = count;
	return 0;
}

bool sw_walk_objective_known(const char *name)
{
	return !strcmp(name, "net_pnl") || !strcmp(name, "profit_factor") ||
	       !strcmp(name, "drawdown_adjusted");
}

/* Larger is better. A profit factor with no loss counts as 1e9; drawdown
 * is taken as at least 1 USDT, so a quiet window cannot divide by zero. */
double sw_walk_objective(const char *name, const struct backtest_summary *s, double profit_factor)
{
	double net = (double)s->t.net_pnl / 1e8;
	if (!strcmp(name, "profit_factor"))
		return profit_factor;
	if (!strcmp(name, "drawdown_adjusted")) {
		double dd = (double)s->t.max_drawdown / 1e8;
		return net / (dd > 1 ? dd : 1);
	}
	return net;
}
