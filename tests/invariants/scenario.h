/*
 * scenario.h - real backtests for the invariant tests: a synthetic market
 * from the synth module written through the recording writer (or a bundled
 * fixture), a settings file written to the suite's scratch folder, and
 * backtest_run() producing the run.db that checks.h reads.
 */
#ifndef HUNTER_TEST_SCENARIO_H
#define HUNTER_TEST_SCENARIO_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"
#include "backtest.h"
#include "recording.h"
#include "synth.h"

static char scratch[128];

static inline void scratch_make(void)
{
	snprintf(scratch, sizeof scratch, "/tmp/hunter-inv-XXXXXX");
	test_dir_make(scratch);
}

static inline void scratch_remove(void)
{
	test_dir_remove(scratch);
}

/* `name` in the scratch folder; a ring of buffers, enough for one test. */
static inline const char *scratch_path(const char *name)
{
	static char buf[16][256];
	static int k;
	char *p = buf[k++ % 16];
	snprintf(p, 256, "%s/%s", scratch, name);
	return p;
}

/* The exchange info event with every symbol's MAX_NUM_ALGO_ORDERS set to
 * `max_algo`, so that the exchange refuses conditional orders past it. */
static inline void limit_algo_orders(ev_t *ev, struct symbol_rules *copy, int32_t max_algo)
{
	memcpy(copy, ev->u.info.symbols, ev->u.info.nsymbols * sizeof *copy);
	for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
		copy[i].max_algo_orders = max_algo;
	ev->u.info.symbols = copy;
}

/* `minutes` of BTCUSDT and ETHUSDT from the synthesizer with `seed`; with
 * `max_algo` > 0 the exchange rules allow that many conditional orders. */
static inline const char *synth_recording(uint64_t seed, int minutes, bool depth,
                                          int32_t max_algo)
{
	char name[64], err[REC_ERR_MAX];
	snprintf(name, sizeof name, "synth-%llu-%d%s-%d.hrec", (unsigned long long)seed,
	         minutes, depth ? "-depth" : "", (int)max_algo);
	const char *path = scratch_path(name);
	struct synth_opts o;
	synth_opts_init(&o);
	o.seed = seed;
	o.duration_ms = minutes * 60000LL;
	o.depth = depth;
	cr_assert_eq(synth_opts_symbols(&o, "BTCUSDT,ETHUSDT", err), 0, "%s", err);
	synth_t *s = synth_open(&o, err);
	cr_assert_not_null(s, "%s", err);
	const char *symbols[] = {"BTCUSDT", "ETHUSDT"};
	struct rec_header h = {.source = "synth", .command = "test_invariants", .nsymbols = 2,
	                       .symbols = symbols};
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	ev_t ev;
	struct symbol_rules rules[SYNTH_MAX_SYMBOLS];
	while (synth_next(s, &ev) == 1) {
		if (ev.type == EV_EXCHANGE_INFO && max_algo > 0)
			limit_algo_orders(&ev, rules, max_algo);
		cr_assert_eq(rec_writer_write(w, &ev), 0, "%s", err);
	}
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	synth_close(s);
	return path;
}

static inline const char *settings_file(const char *name, const char *json)
{
	const char *path = scratch_path(name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(json, f);
	fclose(f);
	return path;
}

/* Backtests `recording` with `settings` into scratch/<out>; returns the
 * path of its run.db. */
static inline const char *backtest(const char *settings, const char *recording,
                                   const char *out)
{
	static char db[4096];
	const char *recs[] = {recording};
	char *diag = NULL;
	size_t len = 0;
	FILE *d = open_memstream(&diag, &len);
	struct backtest_opts o = {.settings_path = settings, .out_dir = scratch_path(out),
	                          .recordings = recs, .nrecordings = 1, .diag = d};
	struct backtest_summary s;
	int rc = backtest_run(&o, &s);
	fclose(d);
	cr_assert_eq(rc, BT_OK, "backtest of %s failed: %s", recording, diag);
	free(diag);
	snprintf(db, sizeof db, "%s", s.db_path);
	return db;
}

#endif
