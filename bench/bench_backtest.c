/*
 * bench_backtest RECORDING SETTINGS: the speed of a full backtest (replay,
 * simulated exchange, engine, run database) against decoding the same
 * recording alone, and the peak memory of the backtest. Prints plain lines:
 *
 *   backtest: <N> events in <s> s = <rate> events/s
 *   backtest peak RSS: <MB> MB
 *   decode only: <N> events in <s> s = <rate> events/s
 *   backtest / decode time: <ratio>
 *
 * The file is read once before either timing so that both find it in the
 * page cache. The run database goes to a temporary folder that is removed
 * afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "backtest.h"
#include "replay.h"

/* Replays the recording without doing anything with the events. */
static int decode_only(const char *path, uint64_t *events, double *secs)
{
	char err[REC_ERR_MAX];
	const char *paths[] = {path};
	double t0 = bench_now();
	replay *rp = replay_open(paths, 1, err);
	if (!rp) {
		fprintf(stderr, "bench_backtest: %s\n", err);
		return -1;
	}
	ev_t ev;
	int rc;
	while ((rc = replay_next(rp, &ev)) == 1)
		;
	*events = replay_events(rp);
	*secs = bench_now() - t0;
	replay_close(rp);
	if (rc < 0)
		fprintf(stderr, "bench_backtest: %s\n", err);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_backtest RECORDING SETTINGS\n");
		return 2;
	}
	char dir[] = "/tmp/bench-backtest-XXXXXX";
	if (bench_warm_cache(argv[1]))
		return 1;
	if (!mkdtemp(dir)) {
		perror("bench_backtest: mkdtemp");
		return 1;
	}
	const char *recs[] = {argv[1]};
	struct backtest_opts o = {.settings_path = argv[2], .out_dir = dir, .recordings = recs,
	                          .nrecordings = 1, .diag = stderr};
	struct backtest_summary *s = malloc(sizeof *s);
	int rc = s ? backtest_run(&o, s) : BT_EDATA;
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_backtest: could not remove %s\n", dir);
	if (rc != BT_OK) {
		free(s);
		return 1;
	}
	printf("backtest: %llu events in %.3f s = %.0f events/s\n", (unsigned long long)s->events,
	       s->loop_seconds, s->events_per_sec);
	printf("backtest peak RSS: %.1f MB\n", bench_peak_rss_mb());
	uint64_t n = 0;
	double secs = 0;
	if (decode_only(argv[1], &n, &secs) == 0) {
		printf("decode only: %llu events in %.3f s = %.0f events/s\n", (unsigned long long)n,
		       secs, secs > 0 ? (double)n / secs : 0);
		printf("backtest / decode time: %.2f\n", secs > 0 ? s->loop_seconds / secs : 0);
	}
	free(s);
	return 0;
}
