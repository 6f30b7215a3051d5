/*
 * nonce.c - V3 nonces: microseconds since the epoch that never repeat and
 * never go back for one generator, because the server refuses a nonce it
 * has seen and, once its window of 100 is full, any below the window.
 */
#include <stdatomic.h>
#include <time.h>

#include "sign.h"

uint64_t sign_nonce_next_at(struct sign_nonce *g, uint64_t now_us)
{
	uint64_t last = atomic_load(&g->last), next;
	do /* max(now, last + 1), published only if no other caller got in first */
		next = now_us > last ? now_us : last + 1;
	while (!atomic_compare_exchange_weak(&g->last, &last, next));
	return next;
}

uint64_t sign_nonce_next(struct sign_nonce *g)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return sign_nonce_next_at(g, (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}
