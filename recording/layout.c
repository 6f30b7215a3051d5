/*
 * layout.c - the field tables of the recording format: for each event
 * payload (and each array element), its fields in the order they are stored.
 *
 * The order here IS the file format: appending or reordering a field means a
 * new REC_FORMAT and an update of docs/recording-format.md.
 */
#include <stddef.h>

#include "format_int.h"

_Static_assert(sizeof(side_t) == sizeof(int) && sizeof(order_type_t) == sizeof(int) &&
               sizeof(tif_t) == sizeof(int) && sizeof(order_status_t) == sizeof(int) &&
               sizeof(exec_type_t) == sizeof(int) && sizeof(working_type_t) == sizeof(int) &&
               sizeof(pos_side_t) == sizeof(int) && sizeof(margin_type_t) == sizeof(int) &&
               sizeof(gap_kind_t) == sizeof(int),
               "enum fields are stored through an int");

#define N(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))
#define I(s, f) {#f, F_INT, offsetof(struct s, f), 0, NULL}
#define D(s, f) {#f, F_DEC, offsetof(struct s, f), 0, NULL}
#define I32(s, f) {#f, F_INT32, offsetof(struct s, f), 0, NULL}
#define E(s, f, max) {#f, F_ENUM, offsetof(struct s, f), max, NULL}
#define B(s, f) {#f, F_BOOL, offsetof(struct s, f), 0, NULL}
#define S(s, f) {#f, F_STR, offsetof(struct s, f), sizeof(((struct s *)0)->f), NULL}
#define A(s, f, count, el) {#f, F_ARRAY, offsetof(struct s, f), offsetof(struct s, count), &el}

/* Largest value of each enumeration (core.h). */
enum {
	SIDE_LAST = SIDE_SELL,
	PS_LAST = PS_SHORT,
	OT_LAST = OT_LIQUIDATION,
	TIF_LAST = TIF_GTD,
	WT_LAST = WT_MARK_PRICE,
	OS_LAST = OS_REJECTED,
	EXEC_LAST = EXEC_AMENDMENT,
	MARGIN_LAST = MARGIN_ISOLATED,
	GAP_LAST = GAP_IMPORT
};

static const struct field liq_fields[] = {
	E(ev_liquidation, side, SIDE_LAST), E(ev_liquidation, type, OT_LAST),
	E(ev_liquidation, tif, TIF_LAST), E(ev_liquidation, status, OS_LAST),
	D(ev_liquidation, qty), D(ev_liquidation, price), D(ev_liquidation, avg_price),
	D(ev_liquidation, last_qty), D(ev_liquidation, filled_qty), I(ev_liquidation, trade_ms),
};

static const struct field trade_fields[] = {
	I(ev_trade, id), I(ev_trade, first_id), I(ev_trade, last_id), D(ev_trade, price),
	D(ev_trade, qty), I(ev_trade, trade_ms), B(ev_trade, buyer_maker),
};

static const struct field book_fields[] = {
	I(ev_book_ticker, update_id), I(ev_book_ticker, tx_ms), D(ev_book_ticker, bid),
	D(ev_book_ticker, bid_qty), D(ev_book_ticker, ask), D(ev_book_ticker, ask_qty),
};

static const struct field level_fields[] = {D(level, price), D(level, qty)};
static const struct layout level_layout = {sizeof(level_t), N(level_fields), level_fields};

static const struct field depth_fields[] = {
	I(ev_depth, tx_ms), I(ev_depth, first_id), I(ev_depth, last_id), I(ev_depth, prev_id),
	A(ev_depth, bids, nbids, level_layout), A(ev_depth, asks, nasks, level_layout),
};

static const struct field mark_fields[] = {
	D(ev_mark_price, mark), D(ev_mark_price, index), D(ev_mark_price, settle),
	D(ev_mark_price, funding_rate), I(ev_mark_price, next_funding_ms),
};

static const struct field order_fields[] = {
	S(ev_order, client_id), E(ev_order, side, SIDE_LAST), E(ev_order, type, OT_LAST),
	E(ev_order, orig_type, OT_LAST), E(ev_order, tif, TIF_LAST), E(ev_order, exec, EXEC_LAST),
	E(ev_order, status, OS_LAST), E(ev_order, working_type, WT_LAST),
	E(ev_order, pos_side, PS_LAST), I(ev_order, order_id), I(ev_order, trade_id),
	I(ev_order, trade_ms), I(ev_order, tx_ms), D(ev_order, qty), D(ev_order, price),
	D(ev_order, avg_price), D(ev_order, stop_price), D(ev_order, last_qty),
	D(ev_order, filled_qty), D(ev_order, last_price), D(ev_order, commission),
	D(ev_order, bids_notional), D(ev_order, asks_notional), D(ev_order, realized_pnl),
	D(ev_order, activation_price), D(ev_order, callback_rate), S(ev_order, commission_asset),
	B(ev_order, has_commission), B(ev_order, maker), B(ev_order, reduce_only),
	B(ev_order, close_position),
};

static const struct field balance_fields[] = {
	S(balance, asset), D(balance, wallet), D(balance, cross_wallet), D(balance, change),
};
static const struct layout balance_layout = {sizeof(struct balance), N(balance_fields),
                                             balance_fields};

static const struct field position_fields[] = {
	S(position, symbol), D(position, amount), D(position, entry_price), D(position, realized),
	D(position, unrealized), E(position, margin, MARGIN_LAST), D(position, isolated_wallet),
	E(position, pos_side, PS_LAST),
};
static const struct layout position_layout = {sizeof(struct position), N(position_fields),
                                              position_fields};

static const struct field account_fields[] = {
	S(ev_account, reason), I(ev_account, tx_ms),
	A(ev_account, balances, nbalances, balance_layout),
	A(ev_account, positions, npositions, position_layout),
};

static const struct field rules_fields[] = {
	S(symbol_rules, symbol), B(symbol_rules, trading), D(symbol_rules, tick),
	D(symbol_rules, min_price), D(symbol_rules, max_price), D(symbol_rules, step),
	D(symbol_rules, min_qty), D(symbol_rules, max_qty), D(symbol_rules, market_step),
	D(symbol_rules, market_min_qty), D(symbol_rules, market_max_qty),
	D(symbol_rules, min_notional), I32(symbol_rules, max_orders),
	I32(symbol_rules, max_algo_orders), D(symbol_rules, percent_up),
	D(symbol_rules, percent_down), D(symbol_rules, maint_margin_pct),
	D(symbol_rules, required_margin_pct), D(symbol_rules, liquidation_fee),
	D(symbol_rules, trigger_protect), D(symbol_rules, market_take_bound),
	I32(symbol_rules, price_precision), I32(symbol_rules, qty_precision),
};
static const struct layout rules_layout = {sizeof(struct symbol_rules), N(rules_fields),
                                           rules_fields};

static const struct field info_fields[] = {
	I(ev_exchange_info, server_ms), A(ev_exchange_info, symbols, nsymbols, rules_layout),
};

static const struct field gap_fields[] = {
	E(ev_gap, kind, GAP_LAST), I(ev_gap, from_ms), S(ev_gap, reason),
};

#define PAYLOAD(var, st, fields) \
	static const struct layout var = {sizeof(struct st), N(fields), fields}

PAYLOAD(liq, ev_liquidation, liq_fields);
PAYLOAD(trade, ev_trade, trade_fields);
PAYLOAD(book, ev_book_ticker, book_fields);
PAYLOAD(depth, ev_depth, depth_fields);
PAYLOAD(mark, ev_mark_price, mark_fields);
PAYLOAD(order, ev_order, order_fields);
PAYLOAD(account, ev_account, account_fields);
PAYLOAD(info, ev_exchange_info, info_fields);
PAYLOAD(gap, ev_gap, gap_fields);

static const struct layout *const layouts[EV__COUNT] = {
	[EV_LIQUIDATION] = &liq,     [EV_AGG_TRADE] = &trade,     [EV_TRADE] = &trade,
	[EV_BOOK_TICKER] = &book,    [EV_DEPTH_UPDATE] = &depth,  [EV_DEPTH_SNAPSHOT] = &depth,
	[EV_MARK_PRICE] = &mark,     [EV_ORDER_UPDATE] = &order,  [EV_ACCOUNT_UPDATE] = &account,
	[EV_EXCHANGE_INFO] = &info,  [EV_GAP] = &gap,
};

const struct layout *rec_layout(int type)
{
	return type > EV_NONE && type < EV__COUNT ? layouts[type] : NULL;
}
