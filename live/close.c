/*
 * close.c - `hunter live --close-all`: hunter's open orders cancelled and
 * its positions closed at market, reduce-only, then the run ends. Orders
 * without hunter's client-id format are someone else's and stay. The
 * account's positions are all taken as hunter's: a sub-account dedicated
 * to it is the documented way to run it (docs/live.md).
 */
#include <string.h>

#include "engine.h"
#include "live_int.h"

#define CLOSE_WAIT_MS 15000

static void cancel_ours(struct live *l, const struct exchange_open *open)
{
	for (uint32_t i = 0; i < open->norders; i++) {
		const ev_t *o = &open->orders[i];
		if (engine_id_role(o->u.order.client_id))
			exchange_cancel(&l->x, o->symbol, o->u.order.client_id, 0);
	}
}

static void close_positions(struct live *l, const struct exchange_open *open)
{
	for (uint32_t i = 0; i < open->npositions; i++) {
		const struct position *p = &open->positions[i];
		order_req o = {.side = p->amount > 0 ? SIDE_SELL : SIDE_BUY, .pos_side = p->pos_side,
		               .type = OT_MARKET, .qty = p->amount > 0 ? p->amount : -p->amount,
		               .reduce_only = p->pos_side == PS_BOTH};
		memcpy(o.symbol, p->symbol, SYMBOL_MAX);
		snprintf(o.client_id, sizeof o.client_id, "hunter-close-%u", i);
		exchange_place(&l->x, &o, 0);
	}
}

static bool all_closed(struct live *l)
{
	struct exchange_open open;
	exchange_open_state(&l->x, &open);
	uint32_t ours = 0;
	for (uint32_t i = 0; i < open.norders; i++)
		ours += engine_id_role(open.orders[i].u.order.client_id) != 0;
	return !ours && !open.npositions;
}

int live_close_all(struct live *l)
{
	struct exchange_open open;
	session_stop_entries(l->session, "close_all");
	exchange_open_state(&l->x, &open);
	live_say(l, "close-all: %u open order(s) on the account, %u position(s)", open.norders,
	         open.npositions);
	cancel_ours(l, &open);
	exchange_open_state(&l->x, &open); /* the cancels may have moved the arrays */
	close_positions(l, &open);
	for (int64_t end = live_mono_ms() + CLOSE_WAIT_MS; live_mono_ms() < end;) {
		/* a look at the account weighs 45: once a second stays far from the limit */
		for (int64_t next = live_mono_ms() + 1000; live_mono_ms() < next;)
			net_loop_run(l->loop, 100);
		if (all_closed(l)) {
			live_say(l, "close-all: done, nothing of hunter's is open");
			return LIVE_DONE;
		}
	}
	live_say(l, "close-all: something is still open after %d s; run it again or look at"
	            " the account", CLOSE_WAIT_MS / 1000);
	return LIVE_EFAIL;
}
