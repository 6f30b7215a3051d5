/*
 * resync.c - catching up after the user stream was down: whatever happened
 * to our orders meanwhile (fills, cancels, expiries) was said on a stream
 * nobody heard. Once it is back, every order not known to have ended is
 * asked for (GET order); one that filled more than the stream showed has
 * its fills read from userTrades and handed on as the TRADE updates the
 * stream would have carried, in trade order, then its state. seen.c drops
 * whatever the stream did deliver after all, so catching up never counts a
 * fill twice.
 *
 * Both reads are tried again, every second, when no answer comes (a
 * timeout, a 5xx): a catch-up that gave up would leave a fill unheard.
 *
 * The same catch-up runs for one order before a refused cancel is reported
 * (-2011: the order is gone): it may be gone because it filled, and the
 * fill may not have come yet on the stream, which is slower than the REST
 * answer. The engine ends an order at the refusal and ignores fills after
 * it, so the fills go first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

#define TRADES_LIMIT 1000 /* the most recent fills of a symbol asked for */
#define RETRY_MS 1000
#define TRIES_MAX 30      /* reads without an answer before the catch-up gives up */

struct catch_up {
	struct xa_client *c;
	char order_params[128]; /* GET order: symbol and orderId or origClientOrderId */
	int64_t order_id;
	char symbol[SYMBOL_MAX];
	cJSON *order;       /* its REST answer, while its fills are being read */
	struct xa_job *job; /* a refused cancel, reported once caught up */
	net_timer *retry;
	void (*step)(struct catch_up *u);
	int tries;
};

static void done_with(struct catch_up *u)
{
	if (u->job)
		xa_job_refuse(u->job);
	net_timer_free(u->retry);
	cJSON_Delete(u->order);
	free(u);
}

static void retry_due(void *ctx)
{
	struct catch_up *u = ctx;
	u->step(u);
}

/* No answer came: the same read again in a second, up to TRIES_MAX. */
static void again(struct catch_up *u, void (*step)(struct catch_up *u))
{
	if (++u->tries > TRIES_MAX) {
		xa_client_error(u->c, "catching up on %s: no answer after %d tries", u->symbol,
		                TRIES_MAX);
		done_with(u);
		return;
	}
	u->step = step;
	net_timer_arm(u->retry, RETRY_MS);
}

/* A read of the catch-up, its answer going to `done`. */
static void read_call(struct catch_up *u, const char *path, int weight, const char *params,
                      void (*done)(struct xa_call *, const struct xa_answer *))
{
	struct xa_call *call = xa_call_new(u->c, "GET", path, XA_SIGNED, weight, params);
	if (!call) {
		done_with(u);
		return;
	}
	call->done = done;
	call->owner = u;
	xa_call_send(call);
}

/* The fills of the order in a userTrades answer, oldest first (Aster lists
 * them so), that the stream did not show. */
static void hand_on_fills(struct xa_client *c, struct catch_up *u, const cJSON *rows)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, rows) {
		const cJSON *oid = cJSON_GetObjectItemCaseSensitive(t, "orderId");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
		const struct xa_seen_order *seen = xa_seen_get(&c->seen, u->order_id);
		if (!cJSON_IsNumber(oid) || (int64_t)oid->valuedouble != u->order_id ||
		    !cJSON_IsNumber(id) || (seen && (int64_t)id->valuedouble <= seen->trade_id))
			continue;
		ev_t ev;
		if (xa_answer_fill(c->parser, u->order, t, seen ? seen->filled : 0, &ev) == 0)
			xa_client_update(c, &ev);
		else
			xa_client_error(c, "catching up: a fill of %s could not be read", u->symbol);
	}
}

static void ask_trades(struct catch_up *u);

static void trades_read(struct xa_call *call, const struct xa_answer *a)
{
	struct catch_up *u = call->owner;
	if (a->outcome == XA_UNKNOWN) {
		again(u, ask_trades);
		return;
	}
	if (a->outcome == XA_OK)
		hand_on_fills(call->c, u, a->json);
	xa_client_rest_order(call->c, u->order);
	done_with(u);
}

static void ask_trades(struct catch_up *u)
{
	char params[64];
	snprintf(params, sizeof params, "symbol=%s&limit=%d", u->symbol, TRADES_LIMIT);
	read_call(u, "userTrades", 5, params, trades_read);
}

static void ask_order(struct catch_up *u);

static void order_read(struct xa_call *call, const struct xa_answer *a)
{
	struct xa_client *c = call->c;
	struct catch_up *u = call->owner;
	dec_t filled;
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(a->json, "orderId");
	if (a->outcome == XA_UNKNOWN) {
		again(u, ask_order);
		return;
	}
	if (a->outcome != XA_OK || !cJSON_IsNumber(id) ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(a->json, "executedQty"), &filled) < 0) {
		done_with(u); /* refused (the order is unknown): nothing to catch up */
		return;
	}
	u->order_id = (int64_t)id->valuedouble;
	const struct xa_seen_order *seen = xa_seen_get(&c->seen, u->order_id);
	if (filled <= (seen ? seen->filled : 0)) {
		xa_client_rest_order(c, a->json);
		done_with(u);
		return;
	}
	if (!(u->order = cJSON_Duplicate(a->json, true))) {
		done_with(u);
		return;
	}
	u->tries = 0;
	ask_trades(u);
}

static void ask_order(struct catch_up *u)
{
	read_call(u, "order", 1, u->order_params, order_read);
}

/* Catches up on one order, named by `ref` ("orderId=N" or
 * "origClientOrderId=X"); `job` is reported once caught up. */
static void catch_up(struct xa_client *c, const char *symbol, const char *ref, struct xa_job *job)
{
	struct catch_up *u = calloc(1, sizeof *u);
	if (!u || !(u->retry = net_timer_new(c->loop, retry_due, u))) {
		free(u);
		if (job)
			xa_job_refuse(job);
		return;
	}
	u->c = c;
	u->job = job;
	snprintf(u->symbol, sizeof u->symbol, "%s", symbol);
	snprintf(u->order_params, sizeof u->order_params, "symbol=%s&%s", symbol, ref);
	ask_order(u);
}

void xa_catch_up_then_refuse(struct xa_client *c, struct xa_job *job)
{
	char ref[64];
	snprintf(ref, sizeof ref, "origClientOrderId=%s", job->cancel_id);
	catch_up(c, job->symbol, ref, job);
}

void xa_resync(struct xa_client *c)
{
	char ref[40];
	c->stats.resyncs++;
	for (size_t i = 0; i < c->seen.cap; i++) {
		const struct xa_seen_order *e = &c->seen.v[i];
		if (e->order_id && e->rank < 3) {
			snprintf(ref, sizeof ref, "orderId=%lld", (long long)e->order_id);
			catch_up(c, e->symbol, ref, NULL);
		}
	}
}
