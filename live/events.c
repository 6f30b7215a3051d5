/*
 * events.c - what reaches a live run and where it goes: market events as
 * the recorder writes them (trading rules, the session's clock, the
 * session), the exchange's order and account updates (into the recording,
 * then the session), refusals, and the recorder's status and warnings.
 */
#include <string.h>

#include "live_int.h"

/* The first exchange info: the settings' symbols it does not list as
 * trading are named (the engine skips their signals as "no_rules"). */
static void name_untradable(struct live *l, const struct ev_exchange_info *info)
{
	for (uint32_t k = 0; k < l->s.nsymbols; k++) {
		const char *sym = l->s.symbols[k].symbol;
		const struct symbol_rules *r = NULL;
		for (uint32_t i = 0; i < info->nsymbols && !r; i++)
			if (!strcmp(info->symbols[i].symbol, sym))
				r = &info->symbols[i];
		if (!r || !r->trading || !r->tick || !r->step)
			live_say(l, "%s cannot trade: %s; it is skipped", sym,
			         !r ? "the exchange does not list it" : "its status is not TRADING");
	}
}

/* Market events as the recorder writes them: rules, the clock, the session. */
void live_on_market(void *ctx, const ev_t *ev)
{
	struct live *l = ctx;
	if (ev->type == EV_EXCHANGE_INFO) {
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			if (config_find_symbol(&l->s, ev->u.info.symbols[i].symbol))
				session_set_rules(l->session, &ev->u.info.symbols[i]);
		if (!l->have_rules)
			name_untradable(l, &ev->u.info);
		l->have_rules = true;
	}
	if (ev->exch_ms > 0 && ev->recv_ns > 0)
		session_clock_event(&l->clock, live_mono_ms() - (net_now_ns() - ev->recv_ns) / 1000000,
		                    ev->exch_ms);
	if (!l->first_ms)
		l->first_ms = ev->exch_ms;
	if (ev->exch_ms > l->last_ms)
		l->last_ms = ev->exch_ms;
	l->events++;
	l->liquidations += ev->type == EV_LIQUIDATION;
	l->tick_ns = ev->recv_ns;
	l->session_ns = l->step_ns = net_now_ns();
	session_on_market(l->session, ev);
	l->tick_ns = 0;
	live_guard_release(&l->x);
}

/* Order and account updates: into the recording, then to the session. */
void live_on_answer(void *ctx, const ev_t *ev)
{
	struct live *l = ctx;
	l->user_events++;
	if (l->rec)
		record_add(l->rec, ev);
	l->sink.on_event(l->sink.ctx, ev);
}

void live_on_refusal(void *ctx, const char *symbol, const char *client_id, int code,
                       const char *msg, int64_t ms)
{
	struct live *l = ctx;
	live_say(l, "%s %s refused: %d %s", symbol, client_id, code, msg);
	l->sink.on_reject(l->sink.ctx, symbol, client_id, code, msg, ms);
}

void live_on_record_status(void *ctx, const struct record_status *st)
{
	((struct live *)ctx)->rs = *st;
}

void live_on_record_warn(void *ctx, const char *msg)
{
	live_say(ctx, "market streams: %s", msg);
}

