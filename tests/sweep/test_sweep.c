/*
 * hunter sweep on the bundled synthetic fixture: each combination's result
 * is the separate backtest of its settings (trade-log hash included), the
 * thread count and a shard split change nothing, the merged shards are the
 * unsharded database, and a bad grid or combination runs nothing.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "db.h"
#include "support.h"
#include "backtest.h"
#include "sweep.h"

#define FIXTURE HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz"
#define BASE HUNTER_SOURCE_DIR "/fixtures/settings/synth.json"

TEST_SCRATCH_SUITE(sweep, dir, "hunter-sweep");

static const char grid_json[] =
	"{\"symbols.BTCUSDT.volume_threshold_long\": [10000, 20000],"
	" \"symbols.*.take_profit_pct\": {\"from\": 0.3, \"to\": 0.9, \"step\": 0.3}}";

static char *in_dir(const char *name)
{
	static char buf[8][256];
	static int k;
	char *p = buf[k++ % 8];
	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static int sweep(const char *grid, const char *out, unsigned threads, uint32_t shard,
                 uint32_t nshards, bool keep)
{
	const char *recs[] = {FIXTURE};
	const char *gpath = in_dir("grid.json");
	test_write_file(gpath, grid);
	struct sweep_opts o = {.settings_path = BASE, .grid_path = gpath, .out_dir = out,
	                       .recordings = recs, .nrecordings = 1, .threads = threads,
	                       .shard = shard, .nshards = nshards, .keep_runs = keep,
	                       .sample_seed = 1, .diag = stderr};
	return sweep_run(&o);
}

static char *dump_all(const char *db_path)
{
	char *a = test_db_rows(db_path, "SELECT * FROM sweep");
	char *b = test_db_rows(db_path, "SELECT * FROM results ORDER BY combo");
	char *c = test_db_rows(db_path, "SELECT * FROM params ORDER BY combo, key");
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *all = malloc(n);
	cr_assert_not_null(all);
	snprintf(all, n, "%s%s%s", a, b, c);
	free(a);
	free(b);
	free(c);
	return all;
}

Test(sweep, each_combination_is_its_separate_backtest)
{
	const char *out = in_dir("out");
	cr_assert_eq(sweep(grid_json, out, 1, 1, 1, false), SWEEP_OK);
	char db[300];
	snprintf(db, sizeof db, "%s/sweep.db", out);
	char *n = test_db_rows(db, "SELECT count(*), sum(rc) FROM results");
	cr_assert_str_eq(n, "6|0|\n");
	free(n);
	/* the ranges are exact decimals: 0.3, 0.6, 0.9 */
	char *tp = test_db_rows(db, "SELECT DISTINCT value FROM params WHERE key LIKE '%take_profit%'"
	                    " ORDER BY value");
	cr_assert_str_eq(tp, "0.3|\n0.6|\n0.9|\n");
	free(tp);
	for (int combo = 0; combo < 6; combo += 5) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT settings_json FROM results WHERE combo=%d", combo);
		char *settings = test_db_rows(db, sql);
		settings[strlen(settings) - 2] = '\0'; /* the "|\n" of dump */
		const char *spath = in_dir("combo.json");
		test_write_file(spath, settings);
		free(settings);
		const char *recs[] = {FIXTURE};
		struct backtest_opts bo = {.settings_path = spath, .out_dir = in_dir("single"),
		                           .recordings = recs, .nrecordings = 1, .diag = stderr};
		struct backtest_summary *s = malloc(sizeof *s);
		cr_assert_eq(backtest_run(&bo, s), BT_OK);
		snprintf(sql, sizeof sql, "SELECT trade_log_sha256, net_pnl_e8, fills, round_trips,"
		                          " max_drawdown_e8 FROM results WHERE combo=%d", combo);
		char *row = test_db_rows(db, sql), want[512];
		snprintf(want, sizeof want, "%s|%lld|%llu|%llu|%lld|\n", s->t.trade_log_sha256,
		         (long long)s->t.net_pnl, (unsigned long long)s->t.fills,
		         (unsigned long long)s->t.round_trips, (long long)s->t.max_drawdown);
		cr_assert_str_eq(row, want, "combination %d differs from its backtest", combo);
		free(row);
		free(s);
	}
}

Test(sweep, threads_and_shards_change_nothing)
{
	const char *one = in_dir("one"), *two = in_dir("two");
	cr_assert_eq(sweep(grid_json, one, 1, 1, 1, false), SWEEP_OK);
	cr_assert_eq(sweep(grid_json, two, 2, 1, 1, false), SWEEP_OK);
	char a[300], b[300];
	snprintf(a, sizeof a, "%s/sweep.db", one);
	snprintf(b, sizeof b, "%s/sweep.db", two);
	char *x = dump_all(a), *y = dump_all(b);
	cr_assert_str_eq(x, y, "two threads gave another database");
	free(y);

	const char *shards[4];
	char paths[4][300];
	for (uint32_t i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof name, "shard%u", i + 1);
		const char *out = in_dir(name);
		cr_assert_eq(sweep(grid_json, out, 1, i + 1, 4, false), SWEEP_OK);
		snprintf(paths[i], sizeof paths[i], "%s/sweep.db", out);
		shards[i] = paths[i];
	}
	const char *merged = in_dir("merged.db");
	cr_assert_eq(sweep_merge(merged, shards, 4, stderr), SWEEP_OK);
	char *z = dump_all(merged);
	cr_assert_str_eq(x, z, "the merged shards are not the unsharded sweep");
	free(x);
	free(z);
	/* a missing shard is found, and nothing is written */
	cr_assert_eq(sweep_merge(merged, shards, 3, stderr), SWEEP_EDATA);
	cr_assert_neq(access(merged, F_OK), 0);
	/* a shard given twice too */
	const char *twice[] = {shards[0], shards[0], shards[1], shards[2]};
	cr_assert_eq(sweep_merge(merged, twice, 4, stderr), SWEEP_EDATA);
}

Test(sweep, a_bad_combination_or_grid_runs_nothing)
{
	const char *out = in_dir("bad");
	/* leverage 500 is out of range for every combination that uses it */
	cr_assert_eq(sweep("{\"symbols.*.leverage\": [10, 500]}", out, 1, 1, 1, false),
	             SWEEP_EUSAGE);
	cr_assert_neq(access(in_dir("bad/sweep.db"), F_OK), 0);
	cr_assert_eq(sweep("{\"symbols.*.leverage\": []}", out, 1, 1, 1, false), SWEEP_EUSAGE);
	cr_assert_eq(sweep("{\"nowhere.leverage\": [1]}", out, 1, 1, 1, false), SWEEP_EUSAGE);
	cr_assert_eq(sweep("{\"symbols.NOSUCH.leverage\": [1]}", out, 1, 1, 1, false), SWEEP_EUSAGE);
	cr_assert_eq(sweep("{\"globals.x\": {\"from\": 1, \"to\": 0, \"step\": 1}}", out, 1, 1, 1,
	                   false), SWEEP_EUSAGE);
	cr_assert_eq(sweep("[1, 2]", out, 1, 1, 1, false), SWEEP_EUSAGE);
	/* keys are case-sensitive: this is an unknown key, not volume_threshold_long */
	cr_assert_eq(sweep("{\"symbols.*.Volume_Threshold_Long\": [1000]}", out, 1, 1, 1, false),
	             SWEEP_EUSAGE);
}

Test(sweep, kept_runs_are_whole_run_databases)
{
	const char *out = in_dir("kept");
	cr_assert_eq(sweep("{\"symbols.*.take_profit_pct\": [0.3, 0.6]}", out, 1, 1, 1, true),
	             SWEEP_OK);
	char *n = test_db_rows(in_dir("kept/runs/1/run.db"), "SELECT count(*) > 0 FROM market_prices");
	cr_assert_str_eq(n, "1|\n");
	free(n);
}

static int run_cmd(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The way docs/sweep.md runs a sweep on many cores or machines: four
 * `hunter sweep --shard I/4` processes under GNU parallel, then a merge. */
Test(sweep, four_shards_under_gnu_parallel_merge_to_the_unsharded_run)
{
	if (run_cmd("parallel --version >/dev/null 2>&1") != 0) {
		const char *ci = getenv("CI");
		cr_assert(!ci || strcmp(ci, "true"), "GNU parallel is missing (scripts/install-deps)");
		cr_skip_test("GNU parallel is not installed: test skipped");
	}
	const char *gpath = in_dir("grid.json");
	test_write_file(gpath, grid_json);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && parallel --halt now,fail=1 '%s' sweep --settings '%s' --grid grid.json"
	         " --shard {}/4 --out shard{} '%s' ::: 1 2 3 4 >/dev/null 2>&1 &&"
	         " '%s' sweep merge merged.db shard1/sweep.db shard2/sweep.db shard3/sweep.db"
	         " shard4/sweep.db >/dev/null 2>&1 &&"
	         " '%s' sweep --settings '%s' --grid grid.json --out whole '%s' >/dev/null 2>&1",
	         dir, HUNTER_BIN, BASE, FIXTURE, HUNTER_BIN, HUNTER_BIN, BASE, FIXTURE);
	cr_assert_eq(run_cmd(cmd), 0, "%s", cmd);
	char *x = dump_all(in_dir("merged.db")), *y = dump_all(in_dir("whole/sweep.db"));
	cr_assert_str_eq(x, y);
	free(x);
	free(y);
}

/* Walk-forward on the 12-minute fixture: 4-minute training windows, 2-minute
 * test windows. Each window is the backtest of its time span, and each
 * fold's choice is the best training result among those that traded. */
Test(sweep, walk_forward_picks_on_training_and_reports_the_unseen_window)
{
	const char *gpath = in_dir("grid.json"), *out = in_dir("wf");
	test_write_file(gpath, grid_json);
	const char *recs[] = {FIXTURE};
	struct sweep_opts o = {.settings_path = BASE, .grid_path = gpath, .out_dir = out,
	                       .recordings = recs, .nrecordings = 1, .threads = 2, .shard = 1,
	                       .nshards = 1, .diag = stderr, .train_ms = 240000, .test_ms = 120000,
	                       .objective = "net_pnl", .min_round_trips = 0};
	cr_assert_eq(sweep_run(&o), SWEEP_OK);
	char db[300];
	snprintf(db, sizeof db, "%s/sweep.db", out);
	char *folds = test_db_rows(db, "SELECT count(*), count(best_combo) FROM walk_forward");
	cr_assert_str_eq(folds, "3|3|\n", "12 minutes less 2 ms hold 3 folds of 4 + 2 minutes");
	free(folds);
	/* the choice is the training maximum */
	char *bad = test_db_rows(db, "SELECT count(*) FROM walk_forward f WHERE train_objective <"
	                     " (SELECT max(objective) FROM windows w WHERE w.fold = f.fold"
	                     "  AND kind = 'train' AND rc = 0)");
	cr_assert_str_eq(bad, "0|\n");
	free(bad);
	/* a test window is the backtest of its span */
	char *w = test_db_rows(db, "SELECT combo, from_ms, to_ms, net_pnl_e8, round_trips FROM windows"
	                   " WHERE fold = 1 AND kind = 'test' AND combo = 5");
	unsigned long long combo;
	long long from, to, net;
	unsigned long long trips;
	cr_assert_eq(sscanf(w, "%llu|%lld|%lld|%lld|%llu|", &combo, &from, &to, &net, &trips), 5);
	free(w);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT settings_json FROM results WHERE combo=%llu", combo);
	char *settings = test_db_rows(db, sql);
	settings[strlen(settings) - 2] = '\0';
	const char *spath = in_dir("combo.json");
	test_write_file(spath, settings);
	free(settings);
	struct backtest_opts bo = {.settings_path = spath, .out_dir = in_dir("window"),
	                           .recordings = recs, .nrecordings = 1, .diag = stderr,
	                           .from_ms = from, .to_ms = to};
	struct backtest_summary *s = malloc(sizeof *s);
	cr_assert_eq(backtest_run(&bo, s), BT_OK);
	cr_assert_eq(s->t.net_pnl, net);
	cr_assert_eq(s->t.round_trips, trips);
	cr_assert_geq(s->t.first_ms, from);
	cr_assert_lt(s->t.last_ms, to);
	free(s);
	/* a span too short for one fold is refused before anything runs */
	o.train_ms = 3600000;
	cr_assert_eq(sweep_run(&o), SWEEP_EUSAGE);
}
