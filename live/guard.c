/*
 * guard.c - the exchange as a live session uses it: the real one wrapped
 * to time the orders it sends. The engine journals an order as placed
 * before asking for it, and a live run's journal puts each record in its
 * write-ahead log as it is made (journal/ahead.c), so the intent is on
 * disk before the request goes out and after a crash the database knows
 * of every order the exchange may have; the restart reconciles the two
 * (session_adopt).
 *
 * An order that leaves while a market event is being handled was fired
 * by it: the time since the event's frame arrived is its tick to order
 * (latency.c). Only orders the client put on the socket count; one held
 * back by the request budget, or a simulated one, has no such time.
 *
 * On Aster, the cancels a market event brings (an entry past its time to
 * live as the event moves the clock) wait until the event's orders are on
 * the socket: each request is a write of 10 to 20 µs, and a liquidation's
 * entry should not queue behind them. They are journaled when decided,
 * like every intent, and sent microseconds later, when the event is
 * handled (live_guard_release). The simulated exchange takes every
 * request at once, so that a simulated run decides as a backtest does.
 */
#include <stdlib.h>
#include <string.h>

#include "live_int.h"

#define HELD_MAX 64 /* cancels a market event may hold; more are sent at once */

struct held_cancel {
	char symbol[SYMBOL_MAX];
	char client_id[CLIENT_ID_MAX];
	int64_t ms;
};

struct guard {
	exchange_t inner;
	struct live *l;
	struct held_cancel held[HELD_MAX];
	int nheld;
};

/* Orders the client sent, and the loop's stats (requests on lanes). */
static uint64_t sent(const struct live *l, struct net_stats *ns)
{
	struct xa_client_stats st = {0};
	xa_client_get_stats(l->client, &st);
	net_loop_stats(l->loop, ns);
	return st.orders_sent;
}

static void g_place(void *impl, const order_req *o, int64_t now_ms)
{
	struct guard *g = impl;
	struct live *l = g->l;
	if (!l->tick_ns || !l->client) {
		exchange_place(&g->inner, o, now_ms);
		return;
	}
	struct net_stats before, after;
	uint64_t orders = sent(l, &before);
	int64_t placed = net_now_ns();
	exchange_place(&g->inner, o, now_ms);
	if (sent(l, &after) > orders)
		live_latency_order(l, placed,
		                   after.lane_requests > before.lane_requests ? &after : NULL);
}

static void g_cancel(void *impl, const char *symbol, const char *client_id, int64_t now_ms)
{
	exchange_cancel(&((struct guard *)impl)->inner, symbol, client_id, now_ms);
}

/* A cancel during a market event waits for the event's orders. */
static void g_cancel_after(void *impl, const char *symbol, const char *client_id, int64_t now_ms)
{
	struct guard *g = impl;
	struct held_cancel *h = &g->held[g->nheld];
	if (!g->l->tick_ns || g->nheld == HELD_MAX ||
	    copy_str(h->symbol, sizeof h->symbol, symbol, strlen(symbol)) ||
	    copy_str(h->client_id, sizeof h->client_id, client_id, strlen(client_id))) {
		g_cancel(impl, symbol, client_id, now_ms);
		return;
	}
	h->ms = now_ms;
	g->nheld++;
}

static void g_replace(void *impl, const char *old_id, const order_req *o, int64_t now_ms)
{
	exchange_replace(&((struct guard *)impl)->inner, old_id, o, now_ms);
}

static int g_setup_symbol(void *impl, const struct symbol_setup *s)
{
	return exchange_setup_symbol(&((struct guard *)impl)->inner, s);
}

static int g_set_position_mode(void *impl, bool hedge)
{
	return exchange_set_position_mode(&((struct guard *)impl)->inner, hedge);
}

static void g_set_rules(void *impl, const struct symbol_rules *r)
{
	exchange_set_rules(&((struct guard *)impl)->inner, r);
}

static void g_account(void *impl, struct exchange_account *out)
{
	exchange_account(&((struct guard *)impl)->inner, out);
}

static void g_open_state(void *impl, struct exchange_open *out)
{
	exchange_open_state(&((struct guard *)impl)->inner, out);
}

static void g_on_market(void *impl, const ev_t *ev)
{
	exchange_on_market(&((struct guard *)impl)->inner, ev);
}

static void g_advance(void *impl, int64_t now_ms)
{
	exchange_advance(&((struct guard *)impl)->inner, now_ms);
}

static int64_t g_next_due(const void *impl)
{
	return exchange_next_due(&((const struct guard *)impl)->inner);
}

static void g_destroy(void *impl)
{
	struct guard *g = impl;
	exchange_destroy(&g->inner);
	free(g);
}

static const struct exchange_ops live_ops = {
	"aster", g_place, g_cancel_after, g_replace, g_setup_symbol, g_set_position_mode, g_set_rules,
	g_account, g_open_state, NULL, NULL, NULL, g_destroy,
};

static const struct exchange_ops simulated_ops = {
	"sim", g_place, g_cancel, g_replace, g_setup_symbol, g_set_position_mode, g_set_rules,
	g_account, g_open_state, g_on_market, g_advance, g_next_due, g_destroy,
};

int live_guard(exchange_t *x, struct live *l)
{
	struct guard *g = malloc(sizeof *g);
	if (!g)
		return -1;
	*g = (struct guard){.inner = *x, .l = l};
	x->ops = exchange_is_simulated(x) ? &simulated_ops : &live_ops;
	x->impl = g;
	return 0;
}

void live_guard_release(exchange_t *x)
{
	if (x->ops != &live_ops)
		return;
	struct guard *g = x->impl;
	for (int i = 0; i < g->nheld; i++)
		exchange_cancel(&g->inner, g->held[i].symbol, g->held[i].client_id, g->held[i].ms);
	g->nheld = 0;
}
