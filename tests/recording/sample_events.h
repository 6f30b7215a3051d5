/*
 * sample_events.h - events of every type with every field set, and a
 * field-by-field comparison, shared by the recording and replay tests.
 *
 * A fill mode picks the values: FILL_TYPICAL gives each field a different
 * ordinary value (so a swapped pair of fields shows up), FILL_MAX the largest
 * value of each field (full strings, DEC_MAX, last enum, true, many array
 * elements), FILL_MIN the smallest (empty strings, INT64_MIN or DEC_MIN, 0,
 * false, empty arrays).
 */
#ifndef HUNTER_TEST_SAMPLE_EVENTS_H
#define HUNTER_TEST_SAMPLE_EVENTS_H

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core.h"

enum fill { FILL_TYPICAL, FILL_MAX, FILL_MIN };

#define SAMPLE_LEVELS 1000
#define SAMPLE_BALANCES 20
#define SAMPLE_POSITIONS 50
#define SAMPLE_RULES 300

/* Array storage for one sample event. */
struct sample {
	enum fill fill;
	int k; /* counter making every typical value different */
	level_t bids[SAMPLE_LEVELS], asks[SAMPLE_LEVELS];
	struct balance balances[SAMPLE_BALANCES];
	struct position positions[SAMPLE_POSITIONS];
	struct symbol_rules rules[SAMPLE_RULES];
	char raw[64];
};

static inline int64_t s_int(struct sample *s)
{
	s->k++;
	if (s->fill == FILL_MAX)
		return INT64_MAX;
	if (s->fill == FILL_MIN)
		return INT64_MIN;
	return (s->k % 2 ? 1 : -1) * (int64_t)s->k * 1234567891LL;
}

static inline dec_t s_dec(struct sample *s)
{
	s->k++;
	if (s->fill == FILL_MAX)
		return DEC_MAX;
	if (s->fill == FILL_MIN)
		return DEC_MIN;
	return (dec_t)s->k * 100000001LL + 7;
}

static inline int32_t s_i32(struct sample *s)
{
	s->k++;
	return s->fill == FILL_MAX ? INT32_MAX : s->fill == FILL_MIN ? INT32_MIN : s->k;
}

static inline int s_enum(struct sample *s, int max)
{
	s->k++;
	return s->fill == FILL_MAX ? max : s->fill == FILL_MIN ? 0 : 1 + s->k % max;
}

static inline bool s_bool(struct sample *s)
{
	s->k++;
	return s->fill == FILL_MAX ? true : s->fill == FILL_MIN ? false : s->k % 2;
}

static inline void s_str(struct sample *s, char *dst, size_t cap)
{
	s->k++;
	memset(dst, 0, cap);
	if (s->fill == FILL_MAX)
		memset(dst, 'A' + s->k % 26, cap - 1);
	else if (s->fill == FILL_TYPICAL)
		for (int v = s->k, i = 0; v && i < (int)cap - 1; v /= 10, i++)
			dst[i] = (char)('0' + v % 10); /* the counter's digits, reversed */
}

static inline uint32_t s_count(struct sample *s, uint32_t full)
{
	return s->fill == FILL_MAX ? full : s->fill == FILL_MIN ? 0 : 3;
}

static inline void sample_levels(struct sample *s, level_t *lv, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		lv[i].price = s_dec(s);
		lv[i].qty = s_dec(s);
	}
}

static inline void sample_balance(struct sample *s, struct balance *b)
{
	s_str(s, b->asset, sizeof b->asset);
	b->wallet = s_dec(s);
	b->cross_wallet = s_dec(s);
	b->change = s_dec(s);
}

static inline void sample_position(struct sample *s, struct position *p)
{
	s_str(s, p->symbol, sizeof p->symbol);
	p->amount = s_dec(s);
	p->entry_price = s_dec(s);
	p->realized = s_dec(s);
	p->unrealized = s_dec(s);
	p->margin = s_enum(s, MARGIN_ISOLATED);
	p->isolated_wallet = s_dec(s);
	p->pos_side = s_enum(s, PS_SHORT);
}

static inline void sample_rules(struct sample *s, struct symbol_rules *r)
{
	s_str(s, r->symbol, sizeof r->symbol);
	r->trading = s_bool(s);
	dec_t *decs[] = {&r->tick, &r->min_price, &r->max_price, &r->step, &r->min_qty,
	                 &r->max_qty, &r->market_step, &r->market_min_qty, &r->market_max_qty,
	                 &r->min_notional, &r->percent_up, &r->percent_down,
	                 &r->maint_margin_pct, &r->required_margin_pct, &r->liquidation_fee,
	                 &r->trigger_protect, &r->market_take_bound};
	for (size_t i = 0; i < sizeof decs / sizeof decs[0]; i++)
		*decs[i] = s_dec(s);
	r->max_orders = s_i32(s);
	r->max_algo_orders = s_i32(s);
	r->price_precision = s_i32(s);
	r->qty_precision = s_i32(s);
}

static inline void sample_order(struct sample *s, struct ev_order *o)
{
	s_str(s, o->client_id, sizeof o->client_id);
	o->side = s_enum(s, SIDE_SELL);
	o->type = s_enum(s, OT_LIQUIDATION);
	o->orig_type = s_enum(s, OT_LIQUIDATION);
	o->tif = s_enum(s, TIF_GTD);
	o->exec = s_enum(s, EXEC_AMENDMENT);
	o->status = s_enum(s, OS_REJECTED);
	o->working_type = s_enum(s, WT_MARK_PRICE);
	o->pos_side = s_enum(s, PS_SHORT);
	o->order_id = s_int(s);
	o->trade_id = s_int(s);
	o->trade_ms = s_int(s);
	o->tx_ms = s_int(s);
	dec_t *decs[] = {&o->qty, &o->price, &o->avg_price, &o->stop_price, &o->last_qty,
	                 &o->filled_qty, &o->last_price, &o->commission, &o->bids_notional,
	                 &o->asks_notional, &o->realized_pnl, &o->activation_price,
	                 &o->callback_rate};
	for (size_t i = 0; i < sizeof decs / sizeof decs[0]; i++)
		*decs[i] = s_dec(s);
	s_str(s, o->commission_asset, sizeof o->commission_asset);
	o->has_commission = s_bool(s);
	o->maker = s_bool(s);
	o->reduce_only = s_bool(s);
	o->close_position = s_bool(s);
}

static inline void sample_payload(struct sample *s, ev_t *ev)
{
	switch (ev->type) {
	case EV_LIQUIDATION:
		ev->u.liq = (struct ev_liquidation){
			s_enum(s, SIDE_SELL), s_enum(s, OT_LIQUIDATION), s_enum(s, TIF_GTD),
			s_enum(s, OS_REJECTED), s_dec(s), s_dec(s), s_dec(s), s_dec(s), s_dec(s),
			s_int(s)};
		break;
	case EV_AGG_TRADE:
	case EV_TRADE:
		ev->u.trade = (struct ev_trade){s_int(s), s_int(s), s_int(s), s_dec(s), s_dec(s),
		                                s_int(s), s_bool(s)};
		break;
	case EV_BOOK_TICKER:
		ev->u.book = (struct ev_book_ticker){s_int(s), s_int(s), s_dec(s), s_dec(s),
		                                     s_dec(s), s_dec(s)};
		break;
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		ev->u.depth = (struct ev_depth){s_int(s), s_int(s), s_int(s), s_int(s),
		                                s_count(s, SAMPLE_LEVELS),
		                                s_count(s, SAMPLE_LEVELS), s->bids, s->asks};
		sample_levels(s, s->bids, ev->u.depth.nbids);
		sample_levels(s, s->asks, ev->u.depth.nasks);
		break;
	case EV_MARK_PRICE:
		ev->u.mark = (struct ev_mark_price){s_dec(s), s_dec(s), s_dec(s), s_dec(s),
		                                    s_int(s)};
		break;
	case EV_ORDER_UPDATE:
		sample_order(s, &ev->u.order);
		break;
	case EV_ACCOUNT_UPDATE: {
		struct ev_account *a = &ev->u.account;
		s_str(s, a->reason, sizeof a->reason);
		a->tx_ms = s_int(s);
		a->nbalances = s_count(s, SAMPLE_BALANCES);
		a->npositions = s_count(s, SAMPLE_POSITIONS);
		for (uint32_t i = 0; i < a->nbalances; i++)
			sample_balance(s, &s->balances[i]);
		for (uint32_t i = 0; i < a->npositions; i++)
			sample_position(s, &s->positions[i]);
		a->balances = s->balances;
		a->positions = s->positions;
		break;
	}
	case EV_EXCHANGE_INFO:
		ev->u.info.server_ms = s_int(s);
		ev->u.info.nsymbols = s_count(s, SAMPLE_RULES);
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			sample_rules(s, &s->rules[i]);
		ev->u.info.symbols = s->rules;
		break;
	case EV_GAP:
		ev->u.gap.kind = s_enum(s, GAP_IMPORT);
		ev->u.gap.from_ms = s_int(s);
		s_str(s, ev->u.gap.reason, sizeof ev->u.gap.reason);
		break;
	default:
		break;
	}
}

/* An event of `type` filled as `fill`, with raw text when `raw`. */
static inline void sample_event(struct sample *s, ev_t *ev, int type, enum fill fill, bool raw)
{
	memset(ev, 0, sizeof *ev);
	s->fill = fill;
	ev->type = type;
	s_str(s, ev->symbol, sizeof ev->symbol);
	ev->exch_ms = s_int(s);
	ev->recv_ns = s_int(s);
	if (raw) {
		snprintf(s->raw, sizeof s->raw, "{\"e\":\"%s\",\"k\":%d}", ev_type_name(type),
		         s->k);
		ev->raw = s->raw;
		ev->raw_len = (uint32_t)strlen(s->raw);
	}
	sample_payload(s, ev);
}

/* A small book ticker at a given exchange time, for ordering tests; the
 * update id says which one it is. */
static inline ev_t sample_tick(int64_t exch_ms, int64_t id)
{
	ev_t ev;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_BOOK_TICKER;
	strcpy(ev.symbol, "BTCUSDT");
	ev.exch_ms = exch_ms;
	ev.recv_ns = exch_ms * 1000000 + 250000;
	ev.u.book = (struct ev_book_ticker){id, exch_ms - 1, DEC(60000) + id, DEC(1),
	                                    DEC(60000) + id + DEC_ONE / 10, DEC(2)};
	return ev;
}

/* ------------------------------------------------------------------------ */
/* Field-by-field comparison                                                 */
/* ------------------------------------------------------------------------ */

#define SAME(f) cr_expect_eq(a->f, b->f, "%s: field " #f " differs", what)
#define SAME_STR(f) cr_expect_str_eq(a->f, b->f, "%s: field " #f " differs", what)

static inline void same_levels(const level_t *a, const level_t *b, uint32_t n, const char *what)
{
	for (uint32_t i = 0; i < n; i++)
		cr_expect(a[i].price == b[i].price && a[i].qty == b[i].qty, "%s: level %u differs",
		          what, i);
}

static inline void same_account(const struct ev_account *a, const struct ev_account *b,
                                const char *what)
{
	SAME_STR(reason);
	SAME(tx_ms);
	SAME(nbalances);
	SAME(npositions);
	for (uint32_t i = 0; i < a->nbalances && i < b->nbalances; i++) {
		const struct balance *x = &a->balances[i], *y = &b->balances[i];
		cr_expect(!strcmp(x->asset, y->asset) && x->wallet == y->wallet &&
		          x->cross_wallet == y->cross_wallet && x->change == y->change,
		          "%s: balance %u differs", what, i);
	}
	for (uint32_t i = 0; i < a->npositions && i < b->npositions; i++) {
		const struct position *x = &a->positions[i], *y = &b->positions[i];
		cr_expect(!strcmp(x->symbol, y->symbol) && x->amount == y->amount &&
		          x->entry_price == y->entry_price && x->realized == y->realized &&
		          x->unrealized == y->unrealized && x->margin == y->margin &&
		          x->isolated_wallet == y->isolated_wallet && x->pos_side == y->pos_side,
		          "%s: position %u differs", what, i);
	}
}

static inline void same_rules(const struct symbol_rules *a, const struct symbol_rules *b,
                              const char *what)
{
	SAME_STR(symbol);
	SAME(trading);
	SAME(tick);
	SAME(min_price);
	SAME(max_price);
	SAME(step);
	SAME(min_qty);
	SAME(max_qty);
	SAME(market_step);
	SAME(market_min_qty);
	SAME(market_max_qty);
	SAME(min_notional);
	SAME(max_orders);
	SAME(max_algo_orders);
	SAME(percent_up);
	SAME(percent_down);
	SAME(maint_margin_pct);
	SAME(required_margin_pct);
	SAME(liquidation_fee);
	SAME(trigger_protect);
	SAME(market_take_bound);
	SAME(price_precision);
	SAME(qty_precision);
}

static inline void same_order(const struct ev_order *a, const struct ev_order *b,
                              const char *what)
{
	SAME_STR(client_id);
	SAME(side);
	SAME(type);
	SAME(orig_type);
	SAME(tif);
	SAME(exec);
	SAME(status);
	SAME(working_type);
	SAME(pos_side);
	SAME(order_id);
	SAME(trade_id);
	SAME(trade_ms);
	SAME(tx_ms);
	SAME(qty);
	SAME(price);
	SAME(avg_price);
	SAME(stop_price);
	SAME(last_qty);
	SAME(filled_qty);
	SAME(last_price);
	SAME(commission);
	SAME(bids_notional);
	SAME(asks_notional);
	SAME(realized_pnl);
	SAME(activation_price);
	SAME(callback_rate);
	SAME_STR(commission_asset);
	SAME(has_commission);
	SAME(maker);
	SAME(reduce_only);
	SAME(close_position);
}

static inline void same_payload(const ev_t *x, const ev_t *y, const char *what)
{
	const ev_t *a = x, *b = y;
	switch (x->type) {
	case EV_LIQUIDATION:
		SAME(u.liq.side); SAME(u.liq.type); SAME(u.liq.tif); SAME(u.liq.status);
		SAME(u.liq.qty); SAME(u.liq.price); SAME(u.liq.avg_price); SAME(u.liq.last_qty);
		SAME(u.liq.filled_qty); SAME(u.liq.trade_ms);
		break;
	case EV_AGG_TRADE:
	case EV_TRADE:
		SAME(u.trade.id); SAME(u.trade.first_id); SAME(u.trade.last_id);
		SAME(u.trade.price); SAME(u.trade.qty); SAME(u.trade.trade_ms);
		SAME(u.trade.buyer_maker);
		break;
	case EV_BOOK_TICKER:
		SAME(u.book.update_id); SAME(u.book.tx_ms); SAME(u.book.bid);
		SAME(u.book.bid_qty); SAME(u.book.ask); SAME(u.book.ask_qty);
		break;
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		SAME(u.depth.tx_ms); SAME(u.depth.first_id); SAME(u.depth.last_id);
		SAME(u.depth.prev_id); SAME(u.depth.nbids); SAME(u.depth.nasks);
		if (a->u.depth.nbids == b->u.depth.nbids)
			same_levels(a->u.depth.bids, b->u.depth.bids, a->u.depth.nbids, what);
		if (a->u.depth.nasks == b->u.depth.nasks)
			same_levels(a->u.depth.asks, b->u.depth.asks, a->u.depth.nasks, what);
		break;
	case EV_MARK_PRICE:
		SAME(u.mark.mark); SAME(u.mark.index); SAME(u.mark.settle);
		SAME(u.mark.funding_rate); SAME(u.mark.next_funding_ms);
		break;
	case EV_ORDER_UPDATE:
		same_order(&x->u.order, &y->u.order, what);
		break;
	case EV_ACCOUNT_UPDATE:
		same_account(&x->u.account, &y->u.account, what);
		break;
	case EV_EXCHANGE_INFO:
		SAME(u.info.server_ms);
		SAME(u.info.nsymbols);
		for (uint32_t i = 0; i < a->u.info.nsymbols && i < b->u.info.nsymbols; i++)
			same_rules(&a->u.info.symbols[i], &b->u.info.symbols[i], what);
		break;
	case EV_GAP:
		SAME(u.gap.kind); SAME(u.gap.from_ms); SAME_STR(u.gap.reason);
		break;
	default:
		cr_expect_fail("%s: unexpected event type %d", what, (int)x->type);
	}
}

/* Compares everything; raw text only if `raw` (else b must have none). */
static inline void same_event(const ev_t *a, const ev_t *b, bool raw, const char *what)
{
	SAME(type);
	SAME_STR(symbol);
	SAME(exch_ms);
	SAME(recv_ns);
	if (raw && a->raw) {
		cr_expect_eq(a->raw_len, b->raw_len, "%s: raw length differs", what);
		cr_expect(b->raw && !memcmp(a->raw, b->raw, a->raw_len) && !b->raw[b->raw_len],
		          "%s: raw text differs or is not NUL-terminated", what);
	} else {
		cr_expect(!b->raw && !b->raw_len, "%s: raw text where none was kept", what);
	}
	if (a->type == b->type)
		same_payload(a, b, what);
}

#endif
