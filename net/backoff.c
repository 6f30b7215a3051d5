/*
 * backoff.c - how long to wait before reconnecting: exponential, capped, and
 * jittered into the upper half of the step ("equal jitter"), which keeps a
 * floor under the delay while spreading clients that dropped together.
 */
#include "net.h"

int64_t net_backoff_ms(uint32_t attempt, int64_t base_ms, int64_t max_ms, uint32_t rnd)
{
	int64_t d = base_ms > 0 ? base_ms : 1;
	for (uint32_t i = 0; i < attempt && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	int64_t half = d / 2;
	return d - half + (int64_t)(rnd % (uint64_t)(half + 1));
}
