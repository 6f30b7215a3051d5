/*
 * names.c - the exchange's spellings of its enumerations and hunter's stable
 * event names, in both directions. Tables are indexed by enum value, so a
 * spelling lives in exactly one place.
 */
#include <string.h>

#include "core.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *lookup(const char *const *t, int n, int v)
{
	return v > 0 && v < n && t[v] ? t[v] : "";
}

static int find(const char *const *t, int n, const char *s, size_t len)
{
	for (int v = 1; v < n; v++)
		if (t[v] && strlen(t[v]) == len && !memcmp(t[v], s, len))
			return v;
	return 0;
}

#define ENUM_NAMES(fn, ...)                                                  \
	static const char *const fn##_names[] = {NULL, __VA_ARGS__};         \
	const char *fn##_str(int v)                                          \
	{                                                                    \
		return lookup(fn##_names, COUNT(fn##_names), v);             \
	}                                                                    \
	int fn##_from(const char *s, size_t n)                               \
	{                                                                    \
		return find(fn##_names, COUNT(fn##_names), s, n);            \
	}

ENUM_NAMES(side, "BUY", "SELL")
ENUM_NAMES(pos_side, "BOTH", "LONG", "SHORT")
ENUM_NAMES(order_type, "LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT",
           "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET", "LIQUIDATION")
ENUM_NAMES(tif, "GTC", "IOC", "FOK", "GTX", "HIDDEN", "RPI", "GTD")
ENUM_NAMES(working_type, "CONTRACT_PRICE", "MARK_PRICE")
ENUM_NAMES(order_status, "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "EXPIRED",
           "NEW_INSURANCE", "NEW_ADL", "REJECTED")
ENUM_NAMES(gap_kind, "disconnect", "sequence", "restart", "import")
ENUM_NAMES(exec_type, "NEW", "CANCELED", "CALCULATED", "EXPIRED", "TRADE", "AMENDMENT")

/* Margin types come back lower case and abbreviated from some endpoints. */
static const char *const margin_names[] = {NULL, "CROSSED", "ISOLATED"};

const char *margin_type_str(int v)
{
	return lookup(margin_names, COUNT(margin_names), v);
}

int margin_type_from(const char *s, size_t n)
{
	if ((n == 5 && !memcmp(s, "cross", 5)) || (n == 7 && !memcmp(s, "crossed", 7)))
		return MARGIN_CROSSED;
	if (n == 8 && !memcmp(s, "isolated", 8))
		return MARGIN_ISOLATED;
	return find(margin_names, COUNT(margin_names), s, n);
}

static const char *const ev_names[EV__COUNT] = {
	[EV_LIQUIDATION] = "liquidation",     [EV_AGG_TRADE] = "agg_trade",
	[EV_TRADE] = "trade",                 [EV_BOOK_TICKER] = "book_ticker",
	[EV_DEPTH_UPDATE] = "depth_update",   [EV_DEPTH_SNAPSHOT] = "depth_snapshot",
	[EV_MARK_PRICE] = "mark_price",       [EV_ORDER_UPDATE] = "order_update",
	[EV_ACCOUNT_UPDATE] = "account_update", [EV_EXCHANGE_INFO] = "exchange_info",
	[EV_GAP] = "gap",
};

const char *ev_type_name(int type)
{
	return lookup(ev_names, EV__COUNT, type);
}

int ev_type_from_name(const char *s)
{
	return find(ev_names, EV__COUNT, s, strlen(s));
}

int copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	int r = 0;
	if (n >= cap) {
		n = cap - 1;
		r = -1;
	}
	memcpy(dst, src, n);
	dst[n] = 0;
	return r;
}
