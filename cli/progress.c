/*
 * progress.c - a one-line progress indicator for long runs. It writes only
 * when stderr is a terminal, so logs and pipes stay clean.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void progress_start(progress_t *p, const char *what, uint64_t total)
{
	p->what = what;
	p->total = total;
	p->last_ns = 0;
	p->active = isatty(STDERR_FILENO);
}

void progress_update(progress_t *p, uint64_t done)
{
	if (!p->active)
		return;
	uint64_t t = now_ns();
	if (t - p->last_ns < 200000000u)
		return;
	p->last_ns = t;
	if (p->total)
		fprintf(stderr, "\r%s: %3.0f%% (%llu/%llu)", p->what, 100.0 * (double)done / (double)p->total,
		        (unsigned long long)done, (unsigned long long)p->total);
	else
		fprintf(stderr, "\r%s: %llu", p->what, (unsigned long long)done);
	fflush(stderr);
}

void progress_end(progress_t *p)
{
	if (p->active && p->last_ns)
		fprintf(stderr, "\r\033[K");
	p->active = 0;
}
