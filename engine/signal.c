/*
 * signal.c - from a liquidation to an entry order (strategy.md sections 2
 * and 3): the window and its trigger, then every check an entry must pass
 * (cooldown, rules, position direction, open-order and margin caps), its
 * price and its size. Every trigger ends in exactly one J_SIGNAL record,
 * fired or skipped with the reason; a fired entry is registered first (for
 * its client id and margin) and sent only after that record.
 */
#include <string.h>

#include "engine_int.h"

/* Size of a liquidation: filled value when known, else ordered value, in
 * USDT or in base units. */
static dec_t liq_size(const struct engine *e, const struct ev_liquidation *l)
{
	bool filled = l->filled_qty > 0 && l->avg_price > 0;
	if (!e->s.use_usdt_volume)
		return filled ? l->filled_qty : l->qty;
	return filled ? eng_notional_of(l->filled_qty, l->avg_price) : eng_notional_of(l->qty, l->price);
}

static dec_t side_threshold(const struct symbol_settings *c, int liq_idx)
{
	dec_t own = liq_idx == 0 ? c->threshold_long : c->threshold_short;
	return own > 0 ? own : c->threshold;
}

/* An entry being worked out: what the J_SIGNAL record will say. */
struct entry {
	int liq_idx; /* 0 = longs were liquidated */
	int dir;
	side_t side;
	dec_t ref;   /* price the margin is counted at */
	order_req req;
	int32_t idx; /* the order, created but not yet sent */
};

static bool fresh(const struct engine *e, int64_t ms)
{
	return !e->s.max_quote_age_ms || e->now - ms <= e->s.max_quote_age_ms;
}

/* The book price an entry starts from: the same side of the book for a
 * limit order (it joins or rests behind the best price), the far side for a
 * market order (what it would pay). A quote older than max_quote_age_ms
 * (the book stream stopped, or recordings months apart were merged) prices
 * nothing: the last trade does if it is fresh, else the signal is skipped
 * ("stale_quote"), since an entry priced minutes late is a bet on a market
 * that has moved on. With no book or trade seen at all (liquidations-only
 * data), the liquidation's average fill price, which is nearer the market
 * than its order price. NULL, or why there is no price. */
static const char *reference_price(struct engine *e, struct sym *s, side_t side, bool market,
                                   const struct ev_liquidation *l, dec_t *ref)
{
	dec_t book = (side == SIDE_BUY) != market ? s->bid : s->ask;
	*ref = book;
	if (book > 0 && fresh(e, s->quote_ms))
		return NULL;
	if (s->last_trade > 0 && fresh(e, s->trade_ms)) {
		eng_j_note(e, s, book > 0 ? "quote older than max_quote_age_sec: entry priced from the"
		                        " last trade"
		                      : "no book seen yet: entry priced from the last trade");
		*ref = s->last_trade;
		return NULL;
	}
	if (book > 0)
		return "stale_quote";
	*ref = l->avg_price > 0 ? l->avg_price : l->price;
	if (*ref <= 0)
		return "no_price";
	eng_j_note(e, s, "no book seen yet: entry priced from the liquidation price");
	return NULL;
}

static const char *price_entry(struct engine *e, struct sym *s, struct entry *en,
                               const struct ev_liquidation *l)
{
	bool market = s->cfg.entry_mode == ENTRY_MARKET;
	dec_t ref;
	const char *why = reference_price(e, s, en->side, market, l, &ref);
	if (why)
		return why;
	if (market) {
		en->req.type = OT_MARKET;
		en->ref = ref;
		return NULL;
	}
	int dir = en->side == SIDE_BUY ? -1 : 1;
	en->req.type = OT_LIMIT;
	en->req.tif = e->s.time_in_force ? e->s.time_in_force : TIF_GTC;
	en->req.price = eng_price_shift(ref, s->cfg.price_offset_pct, dir, s->rules.tick);
	en->ref = en->req.price;
	return en->req.price > 0 ? NULL : "no_price";
}

static const char *check_caps(const struct engine *e, const struct sym *s, dec_t margin)
{
	if (s->margin + margin > s->cfg.max_position_usdt)
		return "cap_symbol";
	if (e->margin + margin > e->s.max_total_exposure_usdt)
		return "cap_total";
	return NULL;
}

/* trade_value * leverage / price on the step; raised to the exchange
 * minimum only when the larger margin still fits the caps. */
static const char *size_entry(const struct engine *e, const struct sym *s, struct entry *en)
{
	const struct lot lot = eng_lot(&s->rules, en->req.type);
	dec_t step = lot.step, min_qty = lot.min, max_qty = lot.max;
	int lev = s->cfg.leverage > 0 ? s->cfg.leverage : 1;
	dec_t value = s->cfg.trade_value_usdt * lev;
	dec_t qty = eng_qty_for_value(value, en->ref, step);
	if (max_qty > 0 && qty > max_qty)
		qty = dec_round_down(max_qty, step);
	dec_t need = eng_qty_for_notional(s->rules.min_notional, en->ref, step);
	if (need < min_qty)
		need = dec_round_up(min_qty, step);
	if (need < step)
		need = step;
	const char *why = check_caps(e, s, eng_margin(s, qty, en->ref));
	if (qty < need) {
		qty = need;
		why = check_caps(e, s, eng_margin(s, qty, en->ref)) ? "below_minimum" : NULL;
	}
	if (max_qty > 0 && qty > max_qty)
		return "above_maximum";
	en->req.qty = qty;
	return why;
}

/* The checks that need neither price nor size. */
static const char *precheck(const struct engine *e, const struct sym *s, const struct entry *en,
                            int64_t t)
{
	if (t < s->cooldown_until[en->liq_idx])
		return "cooldown";
	if (!s->has_rules)
		return "no_rules";
	if (!s->rules.trading)
		return "not_trading";
	const struct side_book *against = &s->pos[!en->dir];
	if (!e->s.hedge_mode && (against->ntr || against->pending_entries))
		return "against_position";
	if (s->pending_entries >= e->s.max_open_orders_per_symbol)
		return "cap_orders";
	return NULL;
}

/* Works the entry out and registers its order; NULL, or why it is skipped. */
static const char *try_entry(struct engine *e, struct sym *s, struct entry *en,
                             const struct ev_liquidation *l)
{
	const char *why = precheck(e, s, en, l->trade_ms);
	if (!why)
		why = price_entry(e, s, en, l);
	if (!why)
		why = size_entry(e, s, en);
	if (!why)
		why = eng_risk_check(e, eng_margin(s, en->req.qty, en->ref));
	if (why)
		return why;
	memcpy(en->req.symbol, s->cfg.symbol, SYMBOL_MAX);
	en->req.side = en->side;
	en->req.pos_side = eng_pos_side(e, en->dir);
	int32_t idx = eng_order_create(e, s, &en->req, ROLE_ENTRY, en->dir, NONE);
	if (idx == NONE)
		return "no_memory";
	en->idx = idx;
	struct eng_order *o = &e->orders[idx];
	o->ref_price = en->ref;
	o->deadline = e->s.order_ttl_ms > 0 ? e->now + e->s.order_ttl_ms : 0;
	if (o->deadline)
		eng_due(e, o->deadline);
	eng_margin_set(e, s, &o->margin, eng_margin(s, en->req.qty, en->ref));
	s->pending_entries++;
	s->pos[en->dir].pending_entries++;
	s->cooldown_until[en->liq_idx] = l->trade_ms + s->cfg.cooldown_ms;
	memcpy(en->req.client_id, o->req.client_id, CLIENT_ID_MAX);
	return NULL;
}

static void fire(struct engine *e, struct sym *s, int liq_idx, side_t liq_side, dec_t volume,
                 dec_t threshold, const struct ev_liquidation *l)
{
	bool fade = s->cfg.trade_side != TRADE_SAME;
	bool longs = liq_side == SIDE_SELL;
	struct entry en = {.liq_idx = liq_idx, .idx = NONE};
	en.dir = longs == fade ? DIR_LONG : DIR_SHORT;
	en.side = en.dir == DIR_LONG ? SIDE_BUY : SIDE_SELL;
	const char *why = try_entry(e, s, &en, l);

	struct journal_rec r = {.kind = J_SIGNAL, .ms = e->now};
	memcpy(r.symbol, s->cfg.symbol, SYMBOL_MAX);
	struct j_signal *j = &r.u.signal;
	*j = (struct j_signal){liq_side, volume, threshold, en.side, eng_pos_side(e, en.dir),
	                       !why, why ? why : "fired", {0}, en.req.price, en.req.qty};
	memcpy(j->client_id, en.req.client_id, CLIENT_ID_MAX);
	e->st.signals++;
	if (why)
		e->st.skipped++;
	else
		e->st.fired++;
	e->io.journal(e->io.ctx, &r);
	if (en.idx != NONE)
		eng_order_submit(e, en.idx, "signal");
}

void eng_signal_on_liquidation(struct engine *e, struct sym *s, const ev_t *ev)
{
	const struct ev_liquidation *l = &ev->u.liq;
	if (l->side != SIDE_BUY && l->side != SIDE_SELL)
		return;
	int liq_idx = l->side == SIDE_SELL ? 0 : 1;
	struct liq_rec rec = {l->trade_ms, l->qty, l->price, l->avg_price, l->filled_qty,
	                      liq_size(e, l), l->side, false};
	if (rec.size <= 0) {
		eng_j_note(e, s, "liquidation without quantity or price ignored");
		return;
	}
	struct liq_window *w = &s->win[e->s.window_mode == WINDOW_COMBINED ? 0 : liq_idx];
	enum window_add_result res = eng_window_add(w, &rec, e->s.volume_window_ms);
	if (res == WIN_NOMEM)
		eng_j_note(e, s, "out of memory: liquidation not counted");
	if (res != WIN_ADDED)
		return;
	dec_t threshold = side_threshold(&s->cfg, liq_idx);
	if (threshold <= 0 || w->sum < threshold)
		return;
	dec_t volume = w->sum;
	eng_window_consume(w);
	fire(e, s, liq_idx, l->side, volume, threshold, l);
}
