/*
 * close.c - what is cancelled when a live run ends. A stop cancels
 * hunter's entry orders still resting, so that none fills once nobody
 * protects it, and waits until every request under way has its answer;
 * take-profits and stop-losses stay. `--close-all` cancels
 * hunter's entries, has the engine close its tranches at market, closes
 * what position is left (one the engine does not hold) at market,
 * reduce-only, a position above the exchange's maximum for one order in
 * several, then cancels what is left of hunter's orders.
 * Orders without hunter's client-id format are someone else's and stay.
 * The account's positions are all taken as hunter's: a sub-account
 * dedicated to it is the documented way to run it (docs/live.md).
 */
#include <string.h>

#include "engine.h"
#include "live_int.h"

#define CLOSE_WAIT_MS 30000
#define ENGINE_CLOSE_MS 3000 /* for the engine's closes to leave the account flat */
#define CLOSE_ORDERS_MAX 64 /* per position; past that the last is refused as too large */

/* Whether an open order is one of ours to cancel: any of hunter's, or
 * only its entries. */
static bool to_cancel(const ev_t *o, bool entries_only)
{
	order_role_t role = engine_id_role(o->u.order.client_id);
	return entries_only ? role == ROLE_ENTRY : role != 0;
}

/* Cancels them; returns how many there were. */
static uint32_t cancel_ours(struct live *l, const struct exchange_open *open, bool entries_only)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < open->norders; i++) {
		const ev_t *o = &open->orders[i];
		if (to_cancel(o, entries_only)) {
			exchange_cancel(&l->x, o->symbol, o->u.order.client_id, 0);
			n++;
		}
	}
	return n;
}

/* Closes each position at market, in as many orders as the exchange's
 * maximum for one MARKET order asks (the engine's split). */
static void close_positions(struct live *l, const struct exchange_open *open)
{
	const engine_t *e = session_engine(l->session);
	for (uint32_t i = 0; i < open->npositions; i++) {
		const struct position *p = &open->positions[i];
		order_req o = {.side = p->amount > 0 ? SIDE_SELL : SIDE_BUY, .pos_side = p->pos_side,
		               .type = OT_MARKET, .reduce_only = p->pos_side == PS_BOTH};
		memcpy(o.symbol, p->symbol, SYMBOL_MAX);
		dec_t qty[CLOSE_ORDERS_MAX];
		dec_t amount = p->amount > 0 ? p->amount : -p->amount;
		int n = engine_market_split(e, p->symbol, amount, qty, CLOSE_ORDERS_MAX);
		for (int k = 0; k < n; k++) {
			o.qty = qty[k];
			snprintf(o.client_id, sizeof o.client_id, "hunter-close-%u-%d", i, k);
			exchange_place(&l->x, &o, 0);
		}
	}
}

/* No order and no position of ours left. */
static bool all_gone(struct live *l)
{
	struct exchange_open open;
	exchange_open_state(&l->x, &open);
	uint32_t ours = 0;
	for (uint32_t i = 0; i < open.norders; i++)
		ours += to_cancel(&open.orders[i], false);
	return !ours && !open.npositions;
}

/* No position left, whoever's orders are open. */
static bool flat(struct live *l)
{
	struct exchange_open open;
	exchange_open_state(&l->x, &open);
	return !open.npositions;
}

/* Turns the loop until `done` or `end`, looking once a second (a look
 * weighs 45). */
static bool wait_for(struct live *l, bool (*done)(struct live *), int64_t end)
{
	bool ok;
	do {
		for (int64_t next = live_mono_ms() + 1000; live_mono_ms() < next;)
			net_loop_run(l->loop, 100);
	} while (!(ok = done(l)) && live_mono_ms() < end);
	return ok;
}

/* Turns the loop until the client knows how every request ended, or `end`. */
static bool wait_answers(struct live *l, int64_t end)
{
	while (xa_client_pending(l->client) && live_mono_ms() < end)
		net_loop_run(l->loop, 50);
	return !xa_client_pending(l->client);
}

int live_cancel_entries(struct live *l)
{
	/* an entry sent again after a 503 may appear after the first look:
	 * look, cancel, wait for every answer, until nothing of ours is left */
	for (int64_t end = live_mono_ms() + CLOSE_WAIT_MS; live_mono_ms() < end;) {
		struct exchange_open open;
		exchange_open_state(&l->x, &open);
		if (!cancel_ours(l, &open, true) && !xa_client_pending(l->client))
			return 0;
		wait_answers(l, end);
	}
	live_say(l, "stopping: after %d s, entry orders of hunter's are still open or requests"
	            " unanswered; look at the account", CLOSE_WAIT_MS / 1000);
	return -1;
}

int live_close_all(struct live *l)
{
	struct exchange_open open;
	session_stop_entries(l->session, "close_all");
	exchange_open_state(&l->x, &open);
	live_say(l, "close-all: %u open order(s) on the account, %u position(s)", open.norders,
	         open.npositions);
	/* Entries first, so that none fills into a position being closed;
	 * then the engine closes its tranches as it closes an unprotected one
	 * (take-profit and stop-loss cancelled, none placed again while it
	 * closes); positions it does not hold are closed here; what is left
	 * of hunter's orders is cancelled last. */
	int64_t end = live_mono_ms() + CLOSE_WAIT_MS;
	cancel_ours(l, &open, true);
	wait_answers(l, end);
	session_close_all(l->session, "close_all");
	wait_answers(l, end);
	if (!wait_for(l, flat, live_mono_ms() + ENGINE_CLOSE_MS)) {
		exchange_open_state(&l->x, &open);
		close_positions(l, &open);
	}
	if (wait_for(l, flat, end) && wait_answers(l, end)) {
		exchange_open_state(&l->x, &open);
		cancel_ours(l, &open, false);
	}
	if (wait_for(l, all_gone, end)) {
		live_say(l, "close-all: done, nothing of hunter's is open");
		return LIVE_DONE;
	}
	live_say(l, "close-all: something is still open after %d s; run it again or look at"
	            " the account", CLOSE_WAIT_MS / 1000);
	return LIVE_EFAIL;
}
