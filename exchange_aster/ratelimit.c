/*
 * ratelimit.c - the request budget Aster allows (aster-api.md section 6).
 *
 * Aster counts request weight per IP per minute and orders per account per
 * 10 s and per minute, in fixed windows aligned to the clock. The client
 * keeps its own count in the same windows, and every reply's
 * X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-* header replaces it with the
 * exchange's (which also counts what other processes of the account sent).
 * A request that would go over limit - buffer waits for the next window
 * instead: waiting costs a little latency, going over costs a 429 and, if
 * repeated, an IP ban (418) of minutes to days.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exchange_aster.h"

static const int64_t window_ms[XA__LIMITS] = {60000, 10000, 60000};

#define BACKOFF_MAX_S 60

void xa_rl_init(struct xa_rl *rl, int buffer_pct)
{
	memset(rl, 0, sizeof *rl);
	rl->buffer_pct = buffer_pct < 0 ? 0 : buffer_pct > 99 ? 99 : buffer_pct;
}

void xa_rl_set_limit(struct xa_rl *rl, enum xa_limit which, int64_t limit)
{
	if (which < XA__LIMITS && limit >= 0)
		rl->limit[which] = limit;
}

/* The window `now` is in: counts from an older window no longer apply. */
static void roll(struct xa_rl *rl, enum xa_limit w, int64_t now)
{
	int64_t start = now - now % window_ms[w];
	if (start != rl->window_start[w]) {
		rl->window_start[w] = start;
		rl->used[w] = 0;
	}
}

/* What may be used of a limit: all but the buffer, and at least 1. */
static int64_t usable(const struct xa_rl *rl, enum xa_limit w)
{
	int64_t u = rl->limit[w] - rl->limit[w] * rl->buffer_pct / 100;
	return u < 1 ? 1 : u;
}

static int64_t wait_for(struct xa_rl *rl, enum xa_limit w, int64_t now, int64_t cost)
{
	if (!rl->limit[w] || !cost)
		return 0;
	roll(rl, w, now);
	if (rl->used[w] + cost <= usable(rl, w))
		return 0;
	return rl->window_start[w] + window_ms[w] - now;
}

int64_t xa_rl_wait(struct xa_rl *rl, int64_t now, int weight, bool order)
{
	if (now < rl->blocked_until)
		return rl->blocked_until - now;
	int64_t cost[XA__LIMITS] = {weight, order, order};
	int64_t wait = 0;
	for (int w = 0; w < XA__LIMITS; w++) {
		int64_t t = wait_for(rl, w, now, cost[w]);
		if (t > wait)
			wait = t;
	}
	if (wait)
		return wait;
	for (int w = 0; w < XA__LIMITS; w++) {
		roll(rl, w, now);
		rl->used[w] += cost[w];
	}
	return 0;
}

/* "X-MBX-ORDER-COUNT-10S" names the 10 s order window, and so on. */
static int header_limit(const char *name)
{
	if (!strncasecmp(name, "X-MBX-USED-WEIGHT-", 18))
		return !strcasecmp(name + 18, "1M") ? XA_WEIGHT_1M : -1;
	if (!strncasecmp(name, "X-MBX-ORDER-COUNT-", 18)) {
		if (!strcasecmp(name + 18, "10S"))
			return XA_ORDERS_10S;
		return !strcasecmp(name + 18, "1M") ? XA_ORDERS_1M : -1;
	}
	return -1;
}

void xa_rl_on_header(struct xa_rl *rl, int64_t now, const char *name, const char *value)
{
	int w = header_limit(name);
	char *end;
	long long v = strtoll(value, &end, 10);
	if (w < 0 || end == value || v < 0 || (*end && *end != '\r' && *end != ' '))
		return;
	roll(rl, w, now);
	rl->used[w] = v;
}

void xa_rl_on_status(struct xa_rl *rl, int64_t now, int status, int64_t retry_after_s)
{
	if (status != 429 && status != 418) {
		rl->backoffs = 0;
		return;
	}
	int64_t s = retry_after_s;
	if (s < 0) {
		s = (int64_t)1 << (rl->backoffs < 6 ? rl->backoffs : 6);
		if (s > BACKOFF_MAX_S)
			s = BACKOFF_MAX_S;
		rl->backoffs++;
	}
	int64_t until = now + s * 1000;
	if (until > rl->blocked_until)
		rl->blocked_until = until;
	rl->banned = rl->banned || status == 418;
}
