/*
 * schema.c - every exchange shape hunter models, as tables of fields.
 *
 * A row says which key carries a value, what JSON kind it must be, where it
 * goes in the C struct, and whether it may be missing. parse.c and format.c
 * both walk these tables, so adding a field here adds it to both directions.
 * Required means "the exchange always sends it"; optional fields absent from
 * a frame (or null, as some order updates send them) stay 0.
 */
#include <string.h>

#include "aster_int.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MEMBER_SIZE(T, m) sizeof(((T *)0)->m)

#define DECF(k, fl, T, m) {.key = k, .kind = FK_DEC, .flags = fl, .off = offsetof(T, m)}
#define INTF(k, fl, T, m)                                                             \
	{.key = k, .kind = FK_INT, .flags = fl, .off = offsetof(T, m),                \
	 .size = MEMBER_SIZE(T, m)}
#define BOOLF(k, fl, T, m) {.key = k, .kind = FK_BOOL, .flags = fl, .off = offsetof(T, m)}
#define STRF(k, fl, T, m)                                                             \
	{.key = k, .kind = FK_STR, .flags = fl, .off = offsetof(T, m),                \
	 .size = MEMBER_SIZE(T, m)}
#define ENUMF(k, fl, T, m, n)                                                         \
	{.key = k, .kind = FK_ENUM, .flags = fl, .off = offsetof(T, m), .names = &n}
#define OBJF(k, fl, s) {.key = k, .kind = FK_OBJECT, .flags = fl, .sub = &s}
#define LISTF(k, fl, T, ptr, cnt, item, s)                                            \
	{.key = k, .kind = FK_LIST, .flags = fl, .off = offsetof(T, ptr),             \
	 .aux = offsetof(T, cnt), .size = sizeof(item), .sub = &s}
#define LEVELSF(k, fl, T, ptr, cnt)                                                   \
	{.key = k, .kind = FK_LEVELS, .flags = fl, .off = offsetof(T, ptr),           \
	 .aux = offsetof(T, cnt)}
/* parse.c marks the fields it has seen in a 64-bit mask. */
#define SCHEMA_THEN(var, nm, tbl, next)                                               \
	_Static_assert(COUNT(tbl) <= 64, "too many fields in " nm);                   \
	static const struct schema var = {nm, tbl, COUNT(tbl), next}
#define SCHEMA(var, nm, tbl) SCHEMA_THEN(var, nm, tbl, NULL)

/* Every event object may carry hunter's receive time. */
#define RECV_NS INTF("recv_ns", F_OMIT0, ev_t, recv_ns)

_Static_assert(sizeof(side_t) == sizeof(int) && sizeof(order_type_t) == sizeof(int) &&
                   sizeof(gap_kind_t) == sizeof(int),
               "enums are stored as int");

/* ------------------------------------------------------------------------ */
/* Enumerations                                                              */
/* ------------------------------------------------------------------------ */

static const struct enum_names side_names = {side_str, side_from};
static const struct enum_names otype_names = {order_type_str, order_type_from};
static const struct enum_names tif_names = {tif_str, tif_from};
static const struct enum_names ostatus_names = {order_status_str, order_status_from};
static const struct enum_names exec_names = {exec_type_str, exec_type_from};
static const struct enum_names wtype_names = {working_type_str, working_type_from};
static const struct enum_names pside_names = {pos_side_str, pos_side_from};

/* ACCOUNT_UPDATE spells margin types in lower case ("cross", "isolated"),
 * unlike the rest of the API; write them back the way they came. */
static const char *margin_wire_str(int v)
{
	return v == MARGIN_CROSSED ? "cross" : v == MARGIN_ISOLATED ? "isolated" : "";
}
static const struct enum_names margin_names = {margin_wire_str, margin_type_from};

static const struct enum_names gap_names = {gap_kind_str, gap_kind_from};

/* ------------------------------------------------------------------------ */
/* Market streams                                                            */
/* ------------------------------------------------------------------------ */

static const struct field liq_order_fields[] = {
	STRF("s", F_REQ, ev_t, symbol),
	ENUMF("S", F_REQ, ev_t, u.liq.side, side_names),
	ENUMF("o", F_REQ, ev_t, u.liq.type, otype_names),
	ENUMF("f", F_REQ, ev_t, u.liq.tif, tif_names),
	DECF("q", F_REQ, ev_t, u.liq.qty),
	DECF("p", F_REQ, ev_t, u.liq.price),
	DECF("ap", F_REQ, ev_t, u.liq.avg_price),
	ENUMF("X", F_REQ, ev_t, u.liq.status, ostatus_names),
	DECF("l", F_REQ, ev_t, u.liq.last_qty),
	DECF("z", F_REQ, ev_t, u.liq.filled_qty),
	INTF("T", F_REQ, ev_t, u.liq.trade_ms),
};
SCHEMA(liq_order, "forceOrder", liq_order_fields);

static const struct field liq_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	OBJF("o", F_REQ, liq_order),
	RECV_NS,
};
SCHEMA(liq, "forceOrder", liq_fields);

static const struct field agg_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	STRF("s", F_REQ, ev_t, symbol),
	INTF("a", F_REQ, ev_t, u.trade.id),
	DECF("p", F_REQ, ev_t, u.trade.price),
	DECF("q", F_REQ, ev_t, u.trade.qty),
	INTF("f", F_REQ, ev_t, u.trade.first_id),
	INTF("l", F_REQ, ev_t, u.trade.last_id),
	INTF("T", F_REQ, ev_t, u.trade.trade_ms),
	BOOLF("m", F_REQ, ev_t, u.trade.buyer_maker),
	RECV_NS,
};
SCHEMA(agg, "aggTrade", agg_fields);

static const struct field trade_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	STRF("s", F_REQ, ev_t, symbol),
	INTF("t", F_REQ, ev_t, u.trade.id),
	DECF("p", F_REQ, ev_t, u.trade.price),
	DECF("q", F_REQ, ev_t, u.trade.qty),
	INTF("T", F_REQ, ev_t, u.trade.trade_ms),
	BOOLF("m", F_REQ, ev_t, u.trade.buyer_maker),
	RECV_NS,
};
SCHEMA(trade, "trade", trade_fields);

static const struct field book_fields[] = {
	INTF("u", F_REQ, ev_t, u.book.update_id),
	INTF("E", F_REQ, ev_t, exch_ms),
	INTF("T", F_REQ, ev_t, u.book.tx_ms),
	STRF("s", F_REQ, ev_t, symbol),
	DECF("b", F_REQ, ev_t, u.book.bid),
	DECF("B", F_REQ, ev_t, u.book.bid_qty),
	DECF("a", F_REQ, ev_t, u.book.ask),
	DECF("A", F_REQ, ev_t, u.book.ask_qty),
	RECV_NS,
};
SCHEMA(book, "bookTicker", book_fields);

static const struct field depth_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	INTF("T", F_REQ, ev_t, u.depth.tx_ms),
	STRF("s", F_REQ, ev_t, symbol),
	INTF("U", F_REQ, ev_t, u.depth.first_id),
	INTF("u", F_REQ, ev_t, u.depth.last_id),
	INTF("pu", F_REQ, ev_t, u.depth.prev_id),
	LEVELSF("b", F_REQ, ev_t, u.depth.bids, u.depth.nbids),
	LEVELSF("a", F_REQ, ev_t, u.depth.asks, u.depth.nasks),
	RECV_NS,
};
SCHEMA(depth, "depthUpdate", depth_fields);

static const struct field mark_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	STRF("s", F_REQ, ev_t, symbol),
	DECF("p", F_REQ, ev_t, u.mark.mark),
	DECF("i", F_REQ, ev_t, u.mark.index),
	DECF("P", F_REQ, ev_t, u.mark.settle),
	DECF("r", F_REQ, ev_t, u.mark.funding_rate),
	INTF("T", F_REQ, ev_t, u.mark.next_funding_ms),
	RECV_NS,
};
SCHEMA(mark, "markPriceUpdate", mark_fields);

/* ------------------------------------------------------------------------ */
/* User data stream                                                          */
/* ------------------------------------------------------------------------ */

/* The exchange leaves out N/n when nothing was charged, sends AP/cr only for
 * trailing stops, and some deployments send null for fields that do not
 * apply (sp of a MARKET order). */
static const struct field order_fields[] = {
	STRF("s", F_REQ, ev_t, symbol),
	STRF("c", F_REQ, ev_t, u.order.client_id),
	ENUMF("S", F_REQ, ev_t, u.order.side, side_names),
	ENUMF("o", F_REQ, ev_t, u.order.type, otype_names),
	ENUMF("f", F_REQ, ev_t, u.order.tif, tif_names),
	DECF("q", F_REQ, ev_t, u.order.qty),
	DECF("p", F_REQ, ev_t, u.order.price),
	DECF("ap", F_REQ, ev_t, u.order.avg_price),
	DECF("sp", 0, ev_t, u.order.stop_price),
	ENUMF("x", F_REQ, ev_t, u.order.exec, exec_names),
	ENUMF("X", F_REQ, ev_t, u.order.status, ostatus_names),
	INTF("i", F_REQ, ev_t, u.order.order_id),
	DECF("l", F_REQ, ev_t, u.order.last_qty),
	DECF("z", F_REQ, ev_t, u.order.filled_qty),
	DECF("L", F_REQ, ev_t, u.order.last_price),
	{.key = "N", .kind = FK_STR, .flags = F_FLAGGED,
	 .off = offsetof(ev_t, u.order.commission_asset),
	 .size = MEMBER_SIZE(ev_t, u.order.commission_asset),
	 .aux = offsetof(ev_t, u.order.has_commission)},
	{.key = "n", .kind = FK_DEC, .flags = F_FLAGGED, .off = offsetof(ev_t, u.order.commission),
	 .aux = offsetof(ev_t, u.order.has_commission)},
	INTF("T", F_REQ, ev_t, u.order.trade_ms),
	INTF("t", F_REQ, ev_t, u.order.trade_id),
	DECF("b", 0, ev_t, u.order.bids_notional),
	DECF("a", 0, ev_t, u.order.asks_notional),
	BOOLF("m", F_REQ, ev_t, u.order.maker),
	BOOLF("R", F_REQ, ev_t, u.order.reduce_only),
	ENUMF("wt", 0, ev_t, u.order.working_type, wtype_names),
	ENUMF("ot", 0, ev_t, u.order.orig_type, otype_names),
	ENUMF("ps", 0, ev_t, u.order.pos_side, pside_names),
	BOOLF("cp", 0, ev_t, u.order.close_position),
	DECF("AP", F_OMIT0, ev_t, u.order.activation_price),
	DECF("cr", F_OMIT0, ev_t, u.order.callback_rate),
	DECF("rp", 0, ev_t, u.order.realized_pnl),
};
SCHEMA(order_o, "ORDER_TRADE_UPDATE", order_fields);

static const struct field order_top_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	INTF("T", F_REQ, ev_t, u.order.tx_ms),
	OBJF("o", F_REQ, order_o),
	RECV_NS,
};
SCHEMA(order, "ORDER_TRADE_UPDATE", order_top_fields);

static const struct field balance_fields[] = {
	STRF("a", F_REQ, struct balance, asset),
	DECF("wb", F_REQ, struct balance, wallet),
	DECF("cw", F_REQ, struct balance, cross_wallet),
	DECF("bc", F_REQ, struct balance, change),
};
SCHEMA(balance, "balance", balance_fields);

static const struct field position_fields[] = {
	STRF("s", F_REQ, struct position, symbol),
	DECF("pa", F_REQ, struct position, amount),
	DECF("ep", F_REQ, struct position, entry_price),
	DECF("cr", F_REQ, struct position, realized),
	DECF("up", F_REQ, struct position, unrealized),
	ENUMF("mt", F_REQ, struct position, margin, margin_names),
	DECF("iw", F_REQ, struct position, isolated_wallet),
	ENUMF("ps", F_REQ, struct position, pos_side, pside_names),
};
SCHEMA(position, "position", position_fields);

/* A funding fee on a cross position comes with balances and no "P". */
static const struct field account_a_fields[] = {
	STRF("m", F_REQ, ev_t, u.account.reason),
	LISTF("B", 0, ev_t, u.account.balances, u.account.nbalances, struct balance, balance),
	LISTF("P", 0, ev_t, u.account.positions, u.account.npositions, struct position,
	      position),
};
SCHEMA(account_a, "ACCOUNT_UPDATE", account_a_fields);

static const struct field account_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	INTF("T", F_REQ, ev_t, u.account.tx_ms),
	OBJF("a", F_REQ, account_a),
	RECV_NS,
};
SCHEMA(account, "ACCOUNT_UPDATE", account_fields);

/* ------------------------------------------------------------------------ */
/* REST bodies and hunter's own gap marker                                   */
/* ------------------------------------------------------------------------ */

/* E and T are absent from older deployments' snapshots; the symbol is
 * hunter's addition (the exchange names it only in the request). */
static const struct field snapshot_fields[] = {
	INTF("lastUpdateId", F_REQ, ev_t, u.depth.last_id),
	INTF("E", 0, ev_t, exch_ms),
	INTF("T", 0, ev_t, u.depth.tx_ms),
	STRF("s", 0, ev_t, symbol),
	STRF("symbol", F_READONLY, ev_t, symbol),
	LEVELSF("bids", F_REQ, ev_t, u.depth.bids, u.depth.nbids),
	LEVELSF("asks", F_REQ, ev_t, u.depth.asks, u.depth.nasks),
	RECV_NS,
};
SCHEMA(snapshot, "depth snapshot", snapshot_fields);

#define RULE_DEC(k, m) DECF(k, F_REQ, struct symbol_rules, m)

static const struct field price_filter_fields[] = {
	RULE_DEC("minPrice", min_price),
	RULE_DEC("maxPrice", max_price),
	RULE_DEC("tickSize", tick),
};
static const struct field lot_fields[] = {
	RULE_DEC("minQty", min_qty),
	RULE_DEC("maxQty", max_qty),
	RULE_DEC("stepSize", step),
};
static const struct field market_lot_fields[] = {
	RULE_DEC("minQty", market_min_qty),
	RULE_DEC("maxQty", market_max_qty),
	RULE_DEC("stepSize", market_step),
};
static const struct field max_orders_fields[] = {
	INTF("limit", F_REQ, struct symbol_rules, max_orders),
};
static const struct field max_algo_fields[] = {
	INTF("limit", F_REQ, struct symbol_rules, max_algo_orders),
};
static const struct field notional_fields[] = {
	RULE_DEC("notional", min_notional),
};
static const struct field percent_fields[] = {
	RULE_DEC("multiplierUp", percent_up),
	RULE_DEC("multiplierDown", percent_down),
};

/* Chained in the order the exchange lists them; a symbol may lack any. */
SCHEMA_THEN(f_percent, "PERCENT_PRICE", percent_fields, NULL);
SCHEMA_THEN(f_notional, "MIN_NOTIONAL", notional_fields, &f_percent);
SCHEMA_THEN(f_algo, "MAX_NUM_ALGO_ORDERS", max_algo_fields, &f_notional);
SCHEMA_THEN(f_orders, "MAX_NUM_ORDERS", max_orders_fields, &f_algo);
SCHEMA_THEN(f_market_lot, "MARKET_LOT_SIZE", market_lot_fields, &f_orders);
SCHEMA_THEN(f_lot, "LOT_SIZE", lot_fields, &f_market_lot);
SCHEMA_THEN(f_price, "PRICE_FILTER", price_filter_fields, &f_lot);

#define RULE_OPT(k, m) DECF(k, 0, struct symbol_rules, m)

static const struct field rules_fields[] = {
	STRF("symbol", F_REQ, struct symbol_rules, symbol),
	{.key = "status", .kind = FK_STATUS, .flags = F_REQ,
	 .off = offsetof(struct symbol_rules, trading)},
	RULE_OPT("maintMarginPercent", maint_margin_pct),
	RULE_OPT("requiredMarginPercent", required_margin_pct),
	INTF("pricePrecision", 0, struct symbol_rules, price_precision),
	INTF("quantityPrecision", 0, struct symbol_rules, qty_precision),
	RULE_OPT("triggerProtect", trigger_protect),
	RULE_OPT("liquidationFee", liquidation_fee),
	RULE_OPT("marketTakeBound", market_take_bound),
	{.key = "filters", .kind = FK_FILTERS, .flags = F_REQ, .sub = &f_price},
};
SCHEMA(rules, "symbol", rules_fields);

static const struct field info_fields[] = {
	INTF("serverTime", F_REQ, ev_t, u.info.server_ms),
	INTF("E", 0, ev_t, exch_ms),
	LISTF("symbols", F_REQ, ev_t, u.info.symbols, u.info.nsymbols, struct symbol_rules,
	      rules),
	RECV_NS,
};
SCHEMA(info, "exchangeInfo", info_fields);

static const struct field gap_fields[] = {
	INTF("E", F_REQ, ev_t, exch_ms),
	STRF("s", 0, ev_t, symbol),
	ENUMF("kind", F_REQ, ev_t, u.gap.kind, gap_names),
	INTF("from", F_REQ, ev_t, u.gap.from_ms),
	STRF("reason", F_REQ, ev_t, u.gap.reason),
	RECV_NS,
};
SCHEMA(gap, "gap", gap_fields);

/* ------------------------------------------------------------------------ */
/* Lookup                                                                    */
/* ------------------------------------------------------------------------ */

static const struct shape shapes[] = {
	{EV_LIQUIDATION, "forceOrder", &liq},
	{EV_AGG_TRADE, "aggTrade", &agg},
	{EV_TRADE, "trade", &trade},
	{EV_BOOK_TICKER, "bookTicker", &book},
	{EV_DEPTH_UPDATE, "depthUpdate", &depth},
	{EV_DEPTH_SNAPSHOT, NULL, &snapshot},
	{EV_MARK_PRICE, "markPriceUpdate", &mark},
	{EV_ORDER_UPDATE, "ORDER_TRADE_UPDATE", &order},
	{EV_ACCOUNT_UPDATE, "ACCOUNT_UPDATE", &account},
	{EV_EXCHANGE_INFO, NULL, &info},
	{EV_GAP, "gap", &gap},
};

const struct shape *ast_shape_by_wire(const char *e)
{
	for (int i = 0; i < COUNT(shapes); i++)
		if (shapes[i].wire && !strcmp(shapes[i].wire, e))
			return &shapes[i];
	return NULL;
}

const struct shape *ast_shape_by_type(ev_type_t type)
{
	for (int i = 0; i < COUNT(shapes); i++)
		if (shapes[i].type == type)
			return &shapes[i];
	return NULL;
}

/* Events of the Aster and Binance USD-M streams that carry nothing the
 * strategy or the simulator uses. */
static const char *const unmodelled[] = {
	"kline", "continuous_kline", "24hrTicker", "24hrMiniTicker", "listenKeyExpired",
	"MARGIN_CALL", "ACCOUNT_CONFIG_UPDATE", "TRADE_LITE", "ALGO_UPDATE",
	"STRATEGY_UPDATE", "GRID_UPDATE", "CONDITIONAL_ORDER_TRIGGER_REJECT", "tradepro",
	"announcement", "indexPriceUpdate", "assetIndexUpdate", "contractInfo",
};

bool ast_shape_is_unmodelled(const char *e)
{
	for (int i = 0; i < COUNT(unmodelled); i++)
		if (!strcmp(unmodelled[i], e))
			return true;
	return false;
}
