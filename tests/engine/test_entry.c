/*
 * test_entry.c - entry orders (strategy.md section 3): price from the book
 * (ticker, depth, trades) or the liquidation, sizing on the step with the
 * exchange minimums, margin caps with orders in flight, TTL, and the
 * position-mode rules.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static const struct j_signal *signal_n(struct fx *f, int n)
{
	return &fx_nth(f, J_SIGNAL, n)->u.signal;
}

static dec_t margin(struct fx *f)
{
	struct engine_stats st;
	engine_stats(f->e, &st);
	return st.margin_in_use;
}

/* One trigger of longs (SELL) or shorts (BUY) liquidated, worth 1000 USDT. */
static void trigger(struct fx *f, side_t liq_side, int64_t ms)
{
	fx_liq(f, liq_side, "0.02", "50000", ms);
}

Test(entry, limit_price_moves_away_from_the_market_by_the_offset)
{
	struct fx *f = fx_new();
	f->sym[0].price_offset_pct = D("0.5");
	fx_start(f);
	fx_book(f, "50001.7", "50002.3", 1);
	trigger(f, SIDE_SELL, 1000);
	struct fx_order *buy = fx_last(f, 'E');
	cr_assert_eq(buy->req.type, OT_LIMIT);
	cr_assert_eq(buy->req.tif, TIF_GTC);
	cr_assert_eq(buy->req.side, SIDE_BUY);
	cr_assert_eq(buy->req.price, D("49751.6"), "49751.6915 rounded down");
	cr_assert_eq(buy->req.qty, D("0.002"));
	trigger(f, SIDE_BUY, 2000);
	struct fx_order *sell = fx_last(f, 'E');
	cr_assert_eq(sell->req.side, SIDE_SELL);
	cr_assert_eq(sell->req.price, D("50252.4"), "50252.3115 rounded up");
	cr_assert_eq(sell->req.qty, D("0.001"));
	cr_assert_eq(signal_n(f, 1)->price, D("50252.4"));
	cr_assert_eq(signal_n(f, 1)->qty, D("0.001"));
	fx_free(f);
}

Test(entry, zero_offset_joins_the_best_price)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "50000.5", "50000.6", 1);
	trigger(f, SIDE_SELL, 1000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("50000.5"));
	trigger(f, SIDE_BUY, 2000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("50000.6"));
	fx_free(f);
}

Test(entry, market_mode_sizes_at_the_price_it_would_pay)
{
	struct fx *f = fx_new();
	f->sym[0].entry_mode = ENTRY_MARKET;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	struct fx_order *o = fx_last(f, 'E');
	cr_assert_eq(o->req.type, OT_MARKET);
	cr_assert_eq(o->req.price, 0);
	cr_assert_eq(o->req.qty, D("0.001"), "100 USDT / 50010 on the step");
	cr_assert_eq(margin(f), D("5.001"));
	fx_free(f);
}

Test(entry, without_a_book_the_liquidation_price_is_used_and_said)
{
	struct fx *f = fx_new();
	f->sym[0].price_offset_pct = DEC(1);
	fx_start(f);
	trigger(f, SIDE_SELL, 1000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("49500"));
	cr_assert(fx_has_note(f, "liquidation price"));
	fx_free(f);
}

static void depth(struct fx *f, ev_type_t type, const level_t *bids, uint32_t nb,
                  const level_t *asks, uint32_t na, int64_t ms)
{
	ev_t ev = {.type = type, .symbol = "BTCUSDT", .exch_ms = ms};
	ev.u.depth = (struct ev_depth){.tx_ms = ms, .nbids = nb, .nasks = na, .bids = bids,
	                               .asks = asks};
	fx_event(f, &ev);
}

Test(entry, depth_keeps_the_next_best_level)
{
	struct fx *f = fx_new();
	f->sym[0].max_position_usdt = DEC(1000);
	fx_start(f);
	const level_t bids[] = {{D("99.9"), DEC(2)}, {D("100"), DEC(1)}};
	const level_t asks[] = {{D("100.2"), DEC(1)}, {D("100.1"), DEC(1)}};
	depth(f, EV_DEPTH_SNAPSHOT, bids, 2, asks, 2, 10);
	trigger(f, SIDE_SELL, 1000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("100"));
	cr_assert_eq(fx_last(f, 'E')->req.qty, D("1"));
	trigger(f, SIDE_BUY, 1100);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("100.1"));

	const level_t gone[] = {{D("100"), 0}};
	depth(f, EV_DEPTH_UPDATE, gone, 1, NULL, 0, 2000);
	trigger(f, SIDE_SELL, 3000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("99.9"), "the next level shows");

	const level_t up[] = {{D("100"), DEC(3)}, {D("99.9"), 0}};
	depth(f, EV_DEPTH_UPDATE, up, 2, NULL, 0, 4000);
	trigger(f, SIDE_SELL, 5000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("100"));

	const level_t all_gone[] = {{D("100"), 0}};
	depth(f, EV_DEPTH_UPDATE, all_gone, 1, NULL, 0, 6000);
	cr_assert_not(fx_has_note(f, "liquidation price"));
	trigger(f, SIDE_SELL, 7000);
	cr_assert(fx_has_note(f, "liquidation price"), "no bid left: priced from the liquidation");
	fx_free(f);
}

Test(entry, a_crossing_update_clears_the_stale_side)
{
	struct fx *f = fx_new();
	f->sym[0].max_position_usdt = DEC(1000);
	fx_start(f);
	const level_t bids[] = {{D("100"), DEC(1)}};
	const level_t asks[] = {{D("100.1"), DEC(1)}, {D("100.3"), DEC(1)}};
	depth(f, EV_DEPTH_SNAPSHOT, bids, 1, asks, 2, 10);
	const level_t jump[] = {{D("100.2"), DEC(1)}};
	depth(f, EV_DEPTH_UPDATE, jump, 1, NULL, 0, 20);
	trigger(f, SIDE_BUY, 1000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("100.3"), "the ask at 100.1 was stale");
	fx_free(f);
}

Test(entry, trades_price_only_when_there_is_no_book)
{
	struct fx *f = fx_new();
	f->sym[0].max_position_usdt = DEC(1000);
	fx_start(f);
	fx_trade(f, "100.3", 10);
	trigger(f, SIDE_SELL, 1000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("100.3"));
	fx_book(f, "99", "101", 2000);
	fx_trade(f, "150", 2001);
	trigger(f, SIDE_SELL, 3000);
	cr_assert_eq(fx_last(f, 'E')->req.price, D("99"), "the ticker outranks trades");
	fx_free(f);
}

Test(entry, below_minimum_is_raised_when_the_caps_allow)
{
	struct fx *f = fx_new();
	f->sym[0].trade_value_usdt = D("0.4"); /* 4 USDT notional: under the 5 minimum */
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	cr_assert(signal_n(f, 0)->fired);
	cr_assert_eq(fx_last(f, 'E')->req.qty, D("0.001"));
	cr_assert_eq(margin(f), D("4.999"));
	fx_free(f);
}

Test(entry, below_minimum_is_skipped_when_the_caps_do_not_allow)
{
	struct fx *f = fx_new();
	f->sym[0].trade_value_usdt = D("0.4");
	f->sym[0].max_position_usdt = DEC(4);
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	cr_assert_not(signal_n(f, 0)->fired);
	cr_assert_str_eq(signal_n(f, 0)->reason, "below_minimum");
	cr_assert_eq(fx_intents(f, FX_PLACE), 0);
	cr_assert_eq(margin(f), 0);
	fx_free(f);
}

static void third_entry_is_skipped(struct fx *f, const char *reason)
{
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	for (int i = 0; i < 3; i++)
		trigger(f, SIDE_SELL, 1000 + i);
	cr_assert(signal_n(f, 1)->fired);
	cr_assert_not(signal_n(f, 2)->fired);
	cr_assert_str_eq(signal_n(f, 2)->reason, reason);
	cr_assert_eq(fx_intents(f, FX_PLACE), 2);
	cr_assert_leq(margin(f), D("19.996"));
	fx_free(f);
}

Test(entry, symbol_margin_cap_counts_orders_in_flight)
{
	struct fx *f = fx_new();
	f->sym[0].max_position_usdt = DEC(25); /* each entry holds 9.998 */
	third_entry_is_skipped(f, "cap_symbol");
}

Test(entry, total_margin_cap_counts_orders_in_flight)
{
	struct fx *f = fx_new();
	f->s.max_total_exposure_usdt = DEC(25);
	third_entry_is_skipped(f, "cap_total");
}

Test(entry, open_entries_per_symbol_are_capped)
{
	struct fx *f = fx_new();
	f->s.max_open_orders_per_symbol = 2;
	third_entry_is_skipped(f, "cap_orders");
}

Test(entry, margin_is_released_on_every_terminal_state)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	char id[4][CLIENT_ID_MAX];
	for (int i = 0; i < 4; i++) {
		trigger(f, SIDE_SELL, 1000 + i);
		strcpy(id[i], fx_last(f, 'E')->req.client_id);
	}
	cr_assert_eq(margin(f), D("39.992"));
	fx_reject(f, id[0], -2019);
	cr_assert_eq(margin(f), D("29.994"));
	fx_ack(f, id[1]);
	fx_cancel_done(f, id[1], EXEC_CANCELED);
	cr_assert_eq(margin(f), D("19.996"));
	fx_ack(f, id[2]);
	fx_cancel_done(f, id[2], EXEC_EXPIRED);
	cr_assert_eq(margin(f), D("9.998"));
	fx_fill(f, id[3], "0.002", "49990");
	cr_assert_eq(margin(f), D("9.998"), "now held by the position");
	const struct journal_rec *rej = NULL;
	for (int i = 0; i < f->nj; i++)
		if (f->j[i].kind == J_ORDER && f->j[i].u.order.state == JO_REJECTED)
			rej = &f->j[i];
	cr_assert(rej);
	cr_assert_eq(rej->u.order.code, -2019);
	cr_assert_eq(rej->u.order.role, ROLE_ENTRY);
	fx_free(f);
}

Test(entry, a_released_slot_takes_new_entries)
{
	struct fx *f = fx_new();
	f->s.max_open_orders_per_symbol = 1;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	trigger(f, SIDE_SELL, 1001);
	cr_assert_str_eq(signal_n(f, 1)->reason, "cap_orders");
	fx_reject(f, fx_last(f, 'E')->req.client_id, -4164);
	trigger(f, SIDE_SELL, 1002);
	cr_assert(signal_n(f, 2)->fired);
	fx_free(f);
}

Test(entry, ttl_cancels_and_keeps_a_partial_fill)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	char id[CLIENT_ID_MAX];
	strcpy(id, fx_last(f, 'E')->req.client_id);
	fx_ack(f, id);
	f->now = 10000;
	fx_fill(f, id, "0.001", "49990");
	fx_sync(f); /* take-profit and stop-loss accepted */
	fx_time(f, 30999);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 0);
	fx_time(f, 31000);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1);
	cr_assert_str_eq(f->in[f->nin - 1].client_id, id);
	fx_cancel_done(f, id, EXEC_CANCELED);
	const struct j_tranche *t = &fx_nth(f, J_TRANCHE, 0)->u.tranche;
	cr_assert_eq(t->action, JT_OPEN);
	cr_assert_eq(t->qty, D("0.001"));
	cr_assert_eq(margin(f), D("4.999"));
	fx_free(f);
}

Test(entry, ttl_is_checked_on_market_events_too)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	fx_book(f, "49991", "50010", 31000);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1);
	fx_free(f);
}

Test(entry, one_way_mode_never_trades_against_the_position)
{
	struct fx *f = fx_new();
	f->s.hedge_mode = false;
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	struct fx_order *o = fx_last(f, 'E');
	cr_assert_eq(o->req.pos_side, PS_BOTH);
	cr_assert_not(o->req.reduce_only);
	trigger(f, SIDE_BUY, 1001);
	cr_assert_str_eq(signal_n(f, 1)->reason, "against_position", "a pending entry counts");
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.002", "49990");
	trigger(f, SIDE_BUY, 1002);
	cr_assert_str_eq(signal_n(f, 2)->reason, "against_position");
	trigger(f, SIDE_SELL, 1003);
	cr_assert(signal_n(f, 3)->fired, "adding to the position is fine");
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	cr_assert(tp->req.reduce_only && sl->req.reduce_only);
	cr_assert_eq(tp->req.pos_side, PS_BOTH);
	cr_assert_eq(sl->req.pos_side, PS_BOTH);
	fx_free(f);
}

Test(entry, hedge_mode_uses_position_sides_without_reduce_only)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_BUY, 1000);
	struct fx_order *o = fx_last(f, 'E');
	cr_assert_eq(o->req.pos_side, PS_SHORT);
	fx_fill(f, o->req.client_id, "0.001", "50010");
	trigger(f, SIDE_SELL, 1001);
	cr_assert(signal_n(f, 1)->fired, "hedge mode holds both sides");
	struct fx_order *tp = fx_last(f, 'T'), *sl = fx_last(f, 'S');
	cr_assert_eq(tp->req.pos_side, PS_SHORT);
	cr_assert_eq(tp->req.side, SIDE_BUY);
	cr_assert_not(tp->req.reduce_only);
	cr_assert_not(sl->req.reduce_only);
	fx_free(f);
}

Test(entry, a_symbol_without_rules_cannot_trade)
{
	struct fx *f = fx_new();
	strcpy(f->sym[1].symbol, "ETHUSDT");
	f->sym[1].threshold_long = DEC(1000);
	f->sym[1].leverage = 10;
	f->sym[1].trade_value_usdt = DEC(10);
	f->sym[1].max_position_usdt = DEC(100);
	fx_start(f);
	ev_t ev = {.type = EV_LIQUIDATION, .symbol = "ETHUSDT", .exch_ms = 1000};
	ev.u.liq = (struct ev_liquidation){.side = SIDE_SELL, .qty = DEC(1), .price = DEC(3000),
	                                   .trade_ms = 1000};
	fx_event(f, &ev);
	cr_assert_str_eq(signal_n(f, 0)->reason, "no_rules");

	struct symbol_rules r = f->rules;
	strcpy(r.symbol, "ETHUSDT");
	ev_t info = {.type = EV_EXCHANGE_INFO, .exch_ms = 1500};
	info.u.info = (struct ev_exchange_info){.nsymbols = 1, .symbols = &r};
	fx_event(f, &info);
	ev.exch_ms = ev.u.liq.trade_ms = 2000;
	fx_event(f, &ev);
	cr_assert(signal_n(f, 1)->fired);
	cr_assert_str_eq(fx_last(f, 'E')->req.symbol, "ETHUSDT");
	cr_assert_eq(fx_last(f, 'E')->req.price, DEC(3000));
	fx_free(f);
}

/* Index in the journal of the first record of `kind` at or after `from`. */
static int next_rec(struct fx *f, journal_kind_t kind, int from)
{
	for (int i = from; i < f->nj; i++)
		if (f->j[i].kind == kind)
			return i;
	cr_assert_fail("no record of kind %d after %d", kind, from);
	return -1;
}

Test(entry, the_journal_reads_in_causal_order)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	int sig = next_rec(f, J_SIGNAL, 0), placed = next_rec(f, J_ORDER, 0);
	cr_assert_lt(sig, placed, "the signal comes before the order it sends");
	cr_assert_eq(f->j[placed].u.order.state, JO_PLACED);
	cr_assert_str_eq(f->j[placed].u.order.reason, "signal");
	cr_assert_str_eq(f->j[placed].u.order.req.client_id, f->j[sig].u.signal.client_id);

	int before = f->nj;
	fx_fill(f, fx_last(f, 'E')->req.client_id, "0.002", "49990");
	int fill = next_rec(f, J_FILL, before), tr = next_rec(f, J_TRANCHE, before);
	int state = next_rec(f, J_ORDER, fill);
	cr_assert_lt(fill, tr, "the fill comes before the tranche it opens");
	cr_assert_eq(f->j[state].u.order.state, JO_FILLED);
	cr_assert_lt(state, tr);
	cr_assert_eq(f->j[fill].u.fill.role, ROLE_ENTRY);
	cr_assert_eq(f->j[fill].u.fill.tranche, 0);
	fx_free(f);
}

Test(entry, a_data_gap_is_reported)
{
	struct fx *f = fx_new();
	fx_start(f);
	ev_t ev = {.type = EV_GAP, .symbol = "BTCUSDT", .exch_ms = 5000};
	ev.u.gap = (struct ev_gap){.kind = GAP_DISCONNECT, .from_ms = 1000};
	fx_event(f, &ev);
	cr_assert(fx_has_note(f, "gap"));
	fx_free(f);
}

Test(entry, refused_cancels_are_settled_or_retried)
{
	struct fx *f = fx_new();
	fx_start(f);
	fx_book(f, "49990", "50010", 1);
	trigger(f, SIDE_SELL, 1000);
	char id[CLIENT_ID_MAX];
	strcpy(id, fx_last(f, 'E')->req.client_id);
	fx_ack(f, id);
	fx_time(f, 31000);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 1);
	engine_on_reject(f->e, "BTCUSDT", id, -1001, "internal error", 31010);
	cr_assert(fx_has_note(f, "cancel refused"));
	cr_assert_eq(margin(f), D("9.998"), "still working");
	fx_time(f, 31020);
	cr_assert_eq(fx_intents(f, FX_CANCEL), 2, "the TTL cancel is sent again");
	engine_on_reject(f->e, "BTCUSDT", id, -2011, "Unknown order sent.", 31030);
	cr_assert_eq(margin(f), 0, "unknown to the exchange: gone");
	cr_assert_eq(fx_nth(f, J_ORDER, -1)->u.order.state, JO_CANCELED);
	cr_assert_not(fx_has_note(f, "does not know"));
	engine_on_reject(f->e, "BTCUSDT", id, -2011, "Unknown order sent.", 31040);
	cr_assert(fx_has_note(f, "does not know"));
	fx_free(f);
}
