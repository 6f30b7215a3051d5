/*
 * deliver.c - order and account updates on their way to the session.
 *
 * Two sources say what happened to an order: the user stream (every state
 * and every fill) and the REST answers (the state at the time of the
 * answer). Both become the same ORDER_TRADE_UPDATE events; seen.c lets each
 * state and each fill through once. A REST answer never carries a fill, and
 * an order it reports ended with more filled than the stream has shown is
 * left to the stream, so the session never ends an order before its fills.
 *
 * The session hears nothing while a start-up call waits inside one of its
 * own requests (the exchange interface promises that): updates arriving
 * then are held and handed on from the loop right after.
 */
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

/* The account as the last ACCOUNT_UPDATE left it. */
static void track_account(struct xa_client *c, const struct ev_account *a)
{
	for (uint32_t i = 0; i < a->nbalances; i++)
		if (!strcmp(a->balances[i].asset, "USDT"))
			c->account.wallet = a->balances[i].wallet;
	for (uint32_t i = 0; i < a->npositions; i++) {
		const struct position *p = &a->positions[i];
		uint32_t j = 0;
		while (j < c->npositions && (strcmp(c->positions[j].symbol, p->symbol) ||
		                             c->positions[j].pos_side != p->pos_side))
			j++;
		if (j == c->npositions) {
			struct position *v = grow_array(c->positions, &c->positions_cap, j + 1,
			                                sizeof *v);
			if (!v)
				continue;
			c->positions = v;
			c->npositions++;
		}
		c->positions[j] = *p;
		if (!p->amount)
			c->positions[j] = c->positions[--c->npositions];
	}
	c->account.unrealized = c->account.notional = 0;
	for (uint32_t j = 0; j < c->npositions; j++) {
		dec_t n = 0;
		c->account.unrealized += c->positions[j].unrealized;
		dec_mul(c->positions[j].amount < 0 ? -c->positions[j].amount : c->positions[j].amount,
		        c->positions[j].entry_price, &n);
		c->account.notional += n;
	}
	c->account.open_positions = c->npositions;
}

/* A copy that owns its arrays, for holding. */
static bool hold(struct xa_client *c, const ev_t *ev)
{
	struct xa_held *v = grow_array(c->held, &c->held_cap, c->held_len + 1, sizeof *v);
	if (!v)
		return false;
	c->held = v;
	struct xa_held *h = &v[c->held_len];
	*h = (struct xa_held){.ev = *ev};
	if (ev->type == EV_ACCOUNT_UPDATE) {
		const struct ev_account *a = &ev->u.account;
		size_t nb = a->nbalances * sizeof *a->balances;
		size_t np = a->npositions * sizeof *a->positions;
		h->balances = malloc(nb ? nb : 1);
		h->positions = malloc(np ? np : 1);
		if (!h->balances || !h->positions) {
			free(h->balances);
			free(h->positions);
			return false;
		}
		memcpy(h->balances, a->balances, nb);
		memcpy(h->positions, a->positions, np);
		h->ev.u.account.balances = h->balances;
		h->ev.u.account.positions = h->positions;
	}
	c->held_len++;
	return true;
}

static void hand_on(struct xa_client *c, const ev_t *ev)
{
	if (c->sync_depth > 0 && hold(c, ev))
		return;
	if (ev->type == EV_ACCOUNT_UPDATE)
		track_account(c, &ev->u.account);
	if (c->sink.on_event)
		c->sink.on_event(c->sink.ctx, ev);
}

void xa_client_release(void *ctx)
{
	struct xa_client *c = ctx;
	size_t n = c->held_len;
	struct xa_held *v = c->held;
	c->held = NULL;
	c->held_len = c->held_cap = 0;
	for (size_t i = 0; i < n; i++) {
		hand_on(c, &v[i].ev);
		free(v[i].balances);
		free(v[i].positions);
	}
	free(v);
}

void xa_client_held_free(struct xa_client *c)
{
	for (size_t i = 0; i < c->held_len; i++) {
		free(c->held[i].balances);
		free(c->held[i].positions);
	}
	free(c->held);
	c->held = NULL;
	c->held_len = c->held_cap = 0;
}

void xa_client_update(struct xa_client *c, const ev_t *ev)
{
	if (ev->type == EV_ORDER_UPDATE && !xa_seen_new(&c->seen, ev)) {
		c->stats.repeats++;
		return;
	}
	hand_on(c, ev);
}

static int from_stream(void *ctx, const ev_t *ev)
{
	struct xa_client *c = ctx;
	if (ev->type != EV_ORDER_UPDATE && ev->type != EV_ACCOUNT_UPDATE)
		return 0;
	c->stats.stream_events++;
	xa_client_update(c, ev);
	return 0;
}

void xa_client_stream_message(struct xa_client *c, const char *msg, size_t len,
                              int64_t recv_ns)
{
	struct aster_ctx actx = {.recv_ns = recv_ns};
	struct aster_result res;
	if (aster_parse(c->parser, msg, len, &actx, from_stream, c, &res) >= 0) {
		if (res.status == ASTER_IGNORED && !strcmp(res.what, "listenKeyExpired"))
			xa_stream_renew(c);
		return;
	}
	xa_client_error(c, "user data stream: unreadable message (%s)", res.err);
}

void xa_client_rest_order(struct xa_client *c, const cJSON *o)
{
	ev_t ev;
	if (xa_answer_order(c->parser, o, &ev) < 0) {
		xa_client_error(c, "an order answer could not be read");
		return;
	}
	const struct ev_order *u = &ev.u.order;
	const struct xa_seen_order *seen = xa_seen_get(&c->seen, u->order_id);
	bool news = u->status == OS_NEW ||
	            ((u->status == OS_CANCELED || u->status == OS_EXPIRED) &&
	             u->filled_qty == (seen ? seen->filled : 0));
	if (!news || !xa_seen_new(&c->seen, &ev)) {
		c->stats.repeats += news;
		return;
	}
	hand_on(c, &ev);
}
