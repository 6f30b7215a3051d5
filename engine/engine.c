/*
 * engine.c - the engine's lifecycle, the dispatch of events to the parts
 * that handle them, the passing of time, and the journal helpers every part
 * writes through.
 *
 * Time is the latest exchange time seen (events never move it back). Entry
 * TTLs and protection timeouts are deadlines; the engine remembers only the
 * earliest one, so the per-event cost of timekeeping is one comparison, and
 * it sweeps its orders and tranches only when that deadline has passed.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static const char *sym_key(const void *ctx, uint32_t idx)
{
	const struct engine *e = ctx;
	return e->syms[idx].cfg.symbol;
}

static const char *order_key(const void *ctx, uint32_t idx)
{
	const struct engine *e = ctx;
	return e->orders[idx].req.client_id;
}

/* The global settings as the engine keeps them. */
static void take_globals(struct engine *e, const struct settings *s)
{
	e->s = *s;
	e->s.symbols = NULL;
	if (e->s.max_tranches_per_symbol_side > TRANCHE_MAX)
		e->s.max_tranches_per_symbol_side = TRANCHE_MAX;
	if (e->s.max_tranches_per_symbol_side < 1)
		e->s.max_tranches_per_symbol_side = 1;
}

engine_t *engine_new(const struct settings *s, const struct engine_io *io)
{
	struct engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	take_globals(e, s);
	e->io = *io;
	e->free_order = NONE;
	e->next_due = INT64_MAX;
	e->syms = calloc(s->nsymbols ? s->nsymbols : 1, sizeof(*e->syms));
	if (!e->syms || strmap_init(&e->symmap, sym_key, e) || strmap_init(&e->ordmap, order_key, e))
		goto fail;
	for (uint32_t i = 0; i < s->nsymbols; i++) {
		if (strmap_get(&e->symmap, s->symbols[i].symbol) != NONE)
			continue; /* a repeated symbol keeps its first settings */
		e->syms[e->nsyms].cfg = s->symbols[i]; /* the rest starts zeroed: nothing open */
		if (strmap_put(&e->symmap, s->symbols[i].symbol, e->nsyms))
			goto fail;
		e->nsyms++;
	}
	return e;
fail:
	engine_free(e);
	return NULL;
}

void engine_set_id_stamp(engine_t *e, int64_t ms)
{
	e->start_ms = ms;
	e->stamp_given = true;
}

const char *engine_apply_settings(engine_t *e, const struct settings *s)
{
	if (s->hedge_mode != e->s.hedge_mode)
		return "hedge_mode cannot change while trading";
	if (s->nsymbols != e->nsyms)
		return "the symbols cannot change while trading";
	for (uint32_t i = 0; i < s->nsymbols; i++)
		if (strmap_get(&e->symmap, s->symbols[i].symbol) == NONE)
			return "the symbols cannot change while trading";
	take_globals(e, s);
	for (uint32_t i = 0; i < s->nsymbols; i++)
		e->syms[strmap_get(&e->symmap, s->symbols[i].symbol)].cfg = s->symbols[i];
	return NULL;
}

void engine_free(engine_t *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->nsyms; i++) {
		eng_window_free(&e->syms[i].win[0]);
		eng_window_free(&e->syms[i].win[1]);
	}
	strmap_free(&e->symmap);
	sym_index_free(&e->bykey);
	strmap_free(&e->ordmap);
	free(e->syms);
	free(e->orders);
	free(e);
}

struct sym *eng_sym(struct engine *e, const char *name)
{
	int64_t i = strmap_get(&e->symmap, name);
	return i == NONE ? NULL : &e->syms[i];
}

/* The event's symbol, found by its key after the first time: the symbol
 * table is fixed once the engine is made, so an absent one stays absent. */
static struct sym *event_sym(struct engine *e, const ev_t *ev)
{
	int64_t i = sym_index_get(&e->bykey, ev->sym_key);
	if (i == SYM_INDEX_UNKNOWN) {
		i = strmap_get(&e->symmap, ev->symbol);
		sym_index_set(&e->bykey, ev->sym_key, i);
	}
	return i == NONE ? NULL : &e->syms[i];
}

void engine_set_rules(engine_t *e, const struct symbol_rules *r)
{
	struct sym *s = eng_sym(e, r->symbol);
	if (!s)
		return;
	if (r->tick <= 0 || r->step <= 0) {
		s->has_rules = false;
		eng_j_note(e, s, "trading rules ignored: tick size and step size must be positive");
		return;
	}
	s->rules = *r;
	s->has_rules = true;
	eng_protect_all(e, s);
}

int engine_market_split(const engine_t *e, const char *symbol, dec_t qty, dec_t *out, int cap)
{
	int64_t i = strmap_get(&e->symmap, symbol);
	if (i == NONE || !e->syms[i].has_rules) {
		out[0] = qty;
		return 1;
	}
	return eng_split(qty, eng_lot(&e->syms[i].rules, OT_MARKET), out, cap);
}

static void sweep(struct engine *e)
{
	e->next_due = INT64_MAX;
	eng_orders_sweep(e);
	eng_protect_sweep(e);
}

void eng_advance(struct engine *e, int64_t ms)
{
	if (!e->started) {
		e->started = true;
		if (!e->stamp_given)
			e->start_ms = ms;
		e->now = ms;
	}
	if (ms > e->now)
		e->now = ms;
	if (e->now >= e->next_due)
		sweep(e);
}

static void on_gap(struct engine *e, const ev_t *ev)
{
	/* Windows cannot know what the hole held; say so where it matters. */
	eng_j_note(e, eng_sym(e, ev->symbol),
		   "market data gap: liquidation windows may undercount around it");
}

void engine_on_event(engine_t *e, const ev_t *ev)
{
	eng_advance(e, ev->exch_ms);
	switch (ev->type) {
	case EV_ORDER_UPDATE:
		eng_orders_on_update(e, ev);
		return;
	case EV_EXCHANGE_INFO:
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			engine_set_rules(e, &ev->u.info.symbols[i]);
		return;
	case EV_GAP:
		on_gap(e, ev);
		return;
	case EV_ACCOUNT_UPDATE:
		/* positions are tracked from our own fills; the balance is not ours to count */
		eng_risk_on_account(e, &ev->u.account);
		return;
	default:
		break;
	}
	struct sym *s = event_sym(e, ev);
	if (!s)
		return;
	if (ev->type == EV_LIQUIDATION)
		eng_signal_on_liquidation(e, s, ev);
	else
		eng_market_on_event(e, s, ev);
}

void engine_on_reject(engine_t *e, const char *symbol, const char *client_id, int code,
                      const char *msg, int64_t now_ms)
{
	eng_advance(e, now_ms);
	if (!eng_orders_on_reject(e, client_id, code, msg))
		eng_j_note(e, eng_sym(e, symbol),
			   "refusal of an order the engine does not know ignored");
}

void engine_on_time(engine_t *e, int64_t now_ms)
{
	eng_advance(e, now_ms);
}

void engine_stats(const engine_t *e, struct engine_stats *out)
{
	*out = e->st;
	out->margin_in_use = e->margin;
}

int64_t engine_next_due(const engine_t *e)
{
	return e->next_due;
}

/* ---- shared helpers ---- */

void eng_due(struct engine *e, int64_t deadline)
{
	if (deadline < e->next_due)
		e->next_due = deadline;
}

void eng_margin_set(struct engine *e, struct sym *s, dec_t *slot, dec_t v)
{
	s->margin += v - *slot;
	e->margin += v - *slot;
	*slot = v;
}

dec_t eng_margin(const struct sym *s, dec_t qty, dec_t price)
{
	int lev = s->cfg.leverage > 0 ? s->cfg.leverage : 1;
	return eng_notional_of(qty, price) / lev;
}

pos_side_t eng_pos_side(const struct engine *e, int dir)
{
	if (!e->s.hedge_mode)
		return PS_BOTH;
	return dir == DIR_LONG ? PS_LONG : PS_SHORT;
}

static void journal(struct engine *e, struct journal_rec *r, const struct sym *s)
{
	r->ms = e->now;
	if (s)
		memcpy(r->symbol, s->cfg.symbol, SYMBOL_MAX);
	e->io.journal(e->io.ctx, r);
}

void eng_j_note(struct engine *e, const struct sym *s, const char *text)
{
	struct journal_rec r = {.kind = J_NOTE, .u.note = text};
	journal(e, &r, s);
}

void j_order(struct engine *e, const struct eng_order *o, j_order_state_t state, int code,
             const char *reason)
{
	struct journal_rec r = {.kind = J_ORDER};
	r.u.order = (struct j_order){o->req, o->role, o->tranche, state, code, reason};
	journal(e, &r, &e->syms[o->sym]);
}

void j_tranche(struct engine *e, const struct sym *s, int dir, int id,
               j_tranche_action_t action, int merged_from)
{
	const struct tranche *t = &s->pos[dir].tr[id];
	struct journal_rec r = {.kind = J_TRANCHE};
	struct j_tranche *j = &r.u.tranche;
	j->pos_side = dir == DIR_LONG ? PS_LONG : PS_SHORT;
	j->tranche = id;
	j->action = action;
	j->merged_from = merged_from;
	j->qty = t->qty;
	j->avg_entry = eng_tranche_avg(t);
	if (t->qty > 0)
		eng_tranche_targets(s, dir, t, &j->tp_price, &j->sl_price);
	journal(e, &r, s);
}
