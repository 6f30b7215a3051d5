/*
 * bench.h - the clocks every benchmark reads: elapsed time, CPU time and
 * peak memory. On a shared machine CPU time varies less than elapsed time,
 * so benchmarks print both where it matters.
 */
#ifndef HUNTER_BENCH_H
#define HUNTER_BENCH_H

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double bench_cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static inline double bench_peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0; /* ru_maxrss is in KiB on Linux */
}

/* Reads a file once so that a measurement starts with it in the page cache
 * and times decoding, not the disk. */
static inline int bench_warm_cache(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	static char buf[1 << 20];
	while (fread(buf, 1, sizeof buf, f) > 0)
		;
	fclose(f);
	return 0;
}

#endif
