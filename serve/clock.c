/*
 * clock.c - replay pacing: maps exchange time to the local monotonic clock.
 * The replay starts when the first client subscribes, so the first event
 * is due at once and every later one `speed` times faster than it happened.
 * With --as-fast the events are due at once and the replay's time is the
 * time of the last event sent. Signed requests are checked on the wall
 * clock instead, which is what clients compare theirs with.
 */
#include <time.h>

#include "serve_int.h"

int64_t serve_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t serve_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void serve_pace_start(struct pace *p, int64_t first_ms, int64_t now_ns)
{
	p->started = true;
	p->start_ns = now_ns;
	p->first_ms = first_ms;
	p->last_ms = first_ms;
}

int64_t serve_pace_wait_ns(const struct pace *p, int64_t exch_ms, int64_t now_ns)
{
	if (p->as_fast || exch_ms <= p->first_ms)
		return 0;
	double due = (double)p->start_ns + (double)(exch_ms - p->first_ms) * 1e6 / p->speed;
	return due > (double)now_ns ? (int64_t)(due - (double)now_ns) + 1 : 0;
}

int64_t serve_pace_now_ms(const struct pace *p, int64_t now_ns)
{
	if (!p->started || p->as_fast)
		return p->last_ms;
	int64_t ms = p->first_ms + (int64_t)((double)(now_ns - p->start_ns) / 1e6 * p->speed);
	return ms > p->last_ms ? ms : p->last_ms;
}
