/*
 * bench_sweep.c - a 64-combination sweep against 64 separate backtests of
 * the same settings, on one recording: elapsed and CPU time, the speed-up,
 * the scaling from one thread to two, and peak memory.
 *
 *   bench_sweep RECORDING SETTINGS [SEPARATE]
 *
 * SEPARATE (default 64) is how many of the separate backtests to time; the
 * figure for 64 is then scaled from them and printed as an estimate.
 * Peak memory is that of the process after the one-thread sweep, which runs
 * first: later phases can only raise it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backtest.h"
#include "bench.h"
#include "sweep.h"

static const char grid[] =
	"{\"symbols.*.volume_threshold_long\": [5000, 10000, 20000, 40000],"
	" \"symbols.*.take_profit_pct\": [0.2, 0.3, 0.5, 0.8],"
	" \"symbols.*.stop_loss_pct\": [1, 1.5, 2, 3]}";

static double run_sweep(const char *rec, const char *settings, const char *dir, unsigned threads,
                        double *cpu)
{
	char gpath[512], out[512];
	snprintf(gpath, sizeof gpath, "%s/grid.json", dir);
	snprintf(out, sizeof out, "%s/sweep-%u", dir, threads);
	FILE *f = fopen(gpath, "w");
	if (!f)
		return -1;
	fputs(grid, f);
	fclose(f);
	const char *recs[] = {rec};
	struct sweep_opts o = {.settings_path = settings, .grid_path = gpath, .out_dir = out,
	                       .recordings = recs, .nrecordings = 1, .threads = threads,
	                       .shard = 1, .nshards = 1, .diag = fopen("/dev/null", "w")};
	double c0 = bench_cpu_seconds(), t0 = bench_now();
	int rc = sweep_run(&o);
	double t = bench_now() - t0;
	*cpu = bench_cpu_seconds() - c0;
	fclose(o.diag);
	return rc == SWEEP_OK ? t : -1;
}

/* One separate backtest of combination `combo`'s settings, read back from
 * the sweep's database so that both run the very same settings. */
static double run_single(const char *rec, const char *dir, int combo, double *cpu)
{
	char cmd[1024], spath[512], out[512];
	snprintf(spath, sizeof spath, "%s/combo.json", dir);
	snprintf(out, sizeof out, "%s/single", dir);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s/sweep-1/sweep.db' \"SELECT settings_json FROM results"
	                          " WHERE combo = %d\" > '%s'", dir, combo, spath);
	if (system(cmd))
		return -1;
	const char *recs[] = {rec};
	struct backtest_summary *s = malloc(sizeof *s);
	struct backtest_opts o = {.settings_path = spath, .out_dir = out, .recordings = recs,
	                          .nrecordings = 1, .diag = fopen("/dev/null", "w")};
	double c0 = bench_cpu_seconds(), t0 = bench_now();
	int rc = backtest_run(&o, s);
	double t = bench_now() - t0;
	*cpu = bench_cpu_seconds() - c0;
	fclose(o.diag);
	free(s);
	return rc == BT_OK ? t : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_sweep RECORDING SETTINGS [SEPARATE]\n");
		return 2;
	}
	int separate = argc > 3 ? atoi(argv[3]) : 64;
	if (separate < 1 || separate > 64)
		separate = 64;
	char dir[] = "/tmp/bench-sweep-XXXXXX";
	if (!mkdtemp(dir) || bench_warm_cache(argv[1]))
		return 1;
	double cpu1, cpu2, cpus = 0;
	double t1 = run_sweep(argv[1], argv[2], dir, 1, &cpu1);
	double rss = bench_peak_rss_mb();
	double t2 = run_sweep(argv[1], argv[2], dir, 2, &cpu2);
	double ts = 0;
	for (int i = 0; i < separate && ts >= 0; i++) {
		double c = 0, t = run_single(argv[1], dir, i * 64 / separate, &c);
		ts = t < 0 ? -1 : ts + t;
		cpus += c;
	}
	if (t1 < 0 || t2 < 0 || ts < 0) {
		fprintf(stderr, "bench_sweep: a run failed\n");
		return 1;
	}
	double scale = 64.0 / separate;
	printf("64-combination sweep, 1 thread: %.2f s elapsed, %.2f s CPU\n", t1, cpu1);
	printf("64-combination sweep, 2 threads: %.2f s elapsed, %.2f s CPU (%.2fx)\n", t2, cpu2,
	       t1 / t2);
	printf("64 separate backtests%s: %.2f s elapsed, %.2f s CPU\n",
	       separate < 64 ? " (scaled from a sample)" : "", ts * scale, cpus * scale);
	printf("sweep speed-up on one core: %.2fx elapsed, %.2fx CPU (target >= 4)\n",
	       ts * scale / t1, cpus * scale / cpu1);
	printf("peak RSS after the 1-thread sweep: %.1f MB (target < %d MB)\n", rss, 64 + 2 * 64);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) ? 1 : 0;
}
