/*
 * ev_equal.h - field-by-field comparison of two events, arrays included,
 * for tests that prove a path (import, recording, dump, re-parse) keeps
 * every field. Comparing the structs with memcmp would compare padding and
 * array pointers instead of what they hold.
 */
#ifndef HUNTER_TEST_EV_EQUAL_H
#define HUNTER_TEST_EV_EQUAL_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

/* On the first difference, writes which field into `why` and returns false. */
#define EVQ_NUM(field)                                                                   \
	do {                                                                             \
		if ((a)->field != (b)->field) {                                         \
			snprintf(why, cap, "%s: %lld != %lld", #field, (long long)(a)->field, \
			         (long long)(b)->field);                                \
			return false;                                                   \
		}                                                                       \
	} while (0)
#define EVQ_STR(field)                                                                   \
	do {                                                                             \
		if (strcmp((a)->field, (b)->field)) {                                   \
			snprintf(why, cap, "%s: \"%s\" != \"%s\"", #field, (a)->field,  \
			         (b)->field);                                           \
			return false;                                                   \
		}                                                                       \
	} while (0)

static inline bool evq_levels(const level_t *a, const level_t *b, uint32_t n, char *why,
                              size_t cap)
{
	for (uint32_t i = 0; i < n; i++, a++, b++) {
		EVQ_NUM(price);
		EVQ_NUM(qty);
	}
	return true;
}

static inline bool evq_depth(const struct ev_depth *a, const struct ev_depth *b, char *why,
                             size_t cap)
{
	EVQ_NUM(tx_ms);
	EVQ_NUM(first_id);
	EVQ_NUM(last_id);
	EVQ_NUM(prev_id);
	EVQ_NUM(nbids);
	EVQ_NUM(nasks);
	return evq_levels(a->bids, b->bids, a->nbids, why, cap) &&
	       evq_levels(a->asks, b->asks, a->nasks, why, cap);
}

static inline bool evq_order(const struct ev_order *a, const struct ev_order *b, char *why,
                             size_t cap)
{
	EVQ_STR(client_id);
	EVQ_NUM(side); EVQ_NUM(type); EVQ_NUM(orig_type); EVQ_NUM(tif); EVQ_NUM(exec);
	EVQ_NUM(status); EVQ_NUM(working_type); EVQ_NUM(pos_side); EVQ_NUM(order_id);
	EVQ_NUM(trade_id); EVQ_NUM(trade_ms); EVQ_NUM(tx_ms); EVQ_NUM(qty); EVQ_NUM(price);
	EVQ_NUM(avg_price); EVQ_NUM(stop_price); EVQ_NUM(last_qty); EVQ_NUM(filled_qty);
	EVQ_NUM(last_price); EVQ_NUM(commission); EVQ_NUM(bids_notional);
	EVQ_NUM(asks_notional); EVQ_NUM(realized_pnl); EVQ_NUM(activation_price);
	EVQ_NUM(callback_rate); EVQ_STR(commission_asset); EVQ_NUM(has_commission);
	EVQ_NUM(maker); EVQ_NUM(reduce_only); EVQ_NUM(close_position);
	return true;
}

static inline bool evq_balance(const struct balance *a, const struct balance *b, char *why,
                               size_t cap)
{
	EVQ_STR(asset); EVQ_NUM(wallet); EVQ_NUM(cross_wallet); EVQ_NUM(change);
	return true;
}

static inline bool evq_position(const struct position *a, const struct position *b, char *why,
                                size_t cap)
{
	EVQ_STR(symbol); EVQ_NUM(amount); EVQ_NUM(entry_price); EVQ_NUM(realized);
	EVQ_NUM(unrealized); EVQ_NUM(margin); EVQ_NUM(isolated_wallet); EVQ_NUM(pos_side);
	return true;
}

static inline bool evq_account(const struct ev_account *a, const struct ev_account *b,
                               char *why, size_t cap)
{
	EVQ_STR(reason);
	EVQ_NUM(tx_ms);
	EVQ_NUM(nbalances);
	EVQ_NUM(npositions);
	for (uint32_t i = 0; i < a->nbalances; i++)
		if (!evq_balance(&a->balances[i], &b->balances[i], why, cap))
			return false;
	for (uint32_t i = 0; i < a->npositions; i++)
		if (!evq_position(&a->positions[i], &b->positions[i], why, cap))
			return false;
	return true;
}

static inline bool evq_rules(const struct symbol_rules *a, const struct symbol_rules *b,
                             char *why, size_t cap)
{
	EVQ_STR(symbol); EVQ_NUM(trading); EVQ_NUM(tick); EVQ_NUM(min_price); EVQ_NUM(max_price);
	EVQ_NUM(step); EVQ_NUM(min_qty); EVQ_NUM(max_qty); EVQ_NUM(market_step);
	EVQ_NUM(market_min_qty); EVQ_NUM(market_max_qty); EVQ_NUM(min_notional);
	EVQ_NUM(max_orders); EVQ_NUM(max_algo_orders); EVQ_NUM(percent_up);
	EVQ_NUM(percent_down); EVQ_NUM(maint_margin_pct); EVQ_NUM(required_margin_pct);
	EVQ_NUM(liquidation_fee); EVQ_NUM(trigger_protect); EVQ_NUM(market_take_bound);
	EVQ_NUM(price_precision); EVQ_NUM(qty_precision);
	return true;
}

static inline bool evq_info(const struct ev_exchange_info *a, const struct ev_exchange_info *b,
                            char *why, size_t cap)
{
	EVQ_NUM(server_ms);
	EVQ_NUM(nsymbols);
	for (uint32_t i = 0; i < a->nsymbols; i++)
		if (!evq_rules(&a->symbols[i], &b->symbols[i], why, cap))
			return false;
	return true;
}

static inline bool evq_union(const ev_t *ea, const ev_t *eb, char *why, size_t cap)
{
	switch (ea->type) {
	case EV_LIQUIDATION: {
		const struct ev_liquidation *a = &ea->u.liq, *b = &eb->u.liq;
		EVQ_NUM(side); EVQ_NUM(type); EVQ_NUM(tif); EVQ_NUM(status); EVQ_NUM(qty);
		EVQ_NUM(price); EVQ_NUM(avg_price); EVQ_NUM(last_qty); EVQ_NUM(filled_qty);
		EVQ_NUM(trade_ms);
		return true;
	}
	case EV_AGG_TRADE:
	case EV_TRADE: {
		const struct ev_trade *a = &ea->u.trade, *b = &eb->u.trade;
		EVQ_NUM(id); EVQ_NUM(first_id); EVQ_NUM(last_id); EVQ_NUM(price); EVQ_NUM(qty);
		EVQ_NUM(trade_ms); EVQ_NUM(buyer_maker);
		return true;
	}
	case EV_BOOK_TICKER: {
		const struct ev_book_ticker *a = &ea->u.book, *b = &eb->u.book;
		EVQ_NUM(update_id); EVQ_NUM(tx_ms); EVQ_NUM(bid); EVQ_NUM(bid_qty); EVQ_NUM(ask);
		EVQ_NUM(ask_qty);
		return true;
	}
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		return evq_depth(&ea->u.depth, &eb->u.depth, why, cap);
	case EV_MARK_PRICE: {
		const struct ev_mark_price *a = &ea->u.mark, *b = &eb->u.mark;
		EVQ_NUM(mark); EVQ_NUM(index); EVQ_NUM(settle); EVQ_NUM(funding_rate);
		EVQ_NUM(next_funding_ms);
		return true;
	}
	case EV_ORDER_UPDATE:
		return evq_order(&ea->u.order, &eb->u.order, why, cap);
	case EV_ACCOUNT_UPDATE:
		return evq_account(&ea->u.account, &eb->u.account, why, cap);
	case EV_EXCHANGE_INFO:
		return evq_info(&ea->u.info, &eb->u.info, why, cap);
	case EV_GAP: {
		const struct ev_gap *a = &ea->u.gap, *b = &eb->u.gap;
		EVQ_NUM(kind); EVQ_NUM(from_ms); EVQ_STR(reason);
		return true;
	}
	default:
		snprintf(why, cap, "unknown type %d", (int)ea->type);
		return false;
	}
}

/* Every field of a and b, except the raw frame text when either lacks it. */
static inline bool ev_equal(const ev_t *a, const ev_t *b, char *why, size_t cap)
{
	EVQ_NUM(type);
	EVQ_STR(symbol);
	EVQ_NUM(exch_ms);
	EVQ_NUM(recv_ns);
	if (a->raw && b->raw &&
	    (a->raw_len != b->raw_len || memcmp(a->raw, b->raw, a->raw_len))) {
		snprintf(why, cap, "raw text differs");
		return false;
	}
	return evq_union(a, b, why, cap);
}

#endif
