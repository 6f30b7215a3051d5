/*
 * timer.c - one-shot timers on the loop's clock, for owners that wait: a
 * request held back by the rate limit, a listenKey's keepalive, a lookup
 * of an order whose answer never came. Each is an lws timer, so it fires
 * from net_loop_run like everything else.
 */
#include <stdlib.h>

#include "net_int.h"

struct net_timer {
	lws_sorted_usec_list_t sul;
	net_loop *loop;
	net_timer *next;
	void (*fn)(void *ctx);
	void *ctx;
};

static void due(lws_sorted_usec_list_t *sul)
{
	net_timer *t = lws_container_of(sul, net_timer, sul);
	if (!t->loop->closing)
		t->fn(t->ctx);
}

net_timer *net_timer_new(net_loop *l, void (*fn)(void *ctx), void *ctx)
{
	net_timer *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->loop = l;
	t->fn = fn;
	t->ctx = ctx;
	t->next = l->timers;
	l->timers = t;
	return t;
}

void net_timer_arm(net_timer *t, int64_t ms)
{
	lws_sul_schedule(t->loop->lws, 0, &t->sul, due, (lws_usec_t)(ms > 0 ? ms : 0) * 1000);
}

void net_timer_cancel(net_timer *t)
{
	lws_sul_cancel(&t->sul);
}

void net_timer_free(net_timer *t)
{
	if (!t)
		return;
	net_timer_cancel(t);
	for (net_timer **p = &t->loop->timers; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	free(t);
}

void net_timers_free(net_loop *l)
{
	while (l->timers) {
		net_timer *t = l->timers;
		l->timers = t->next;
		free(t);
	}
}
