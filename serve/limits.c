/*
 * limits.c - the rate limits `hunter serve` enforces as Aster does
 * (aster-api.md 5.2, 5.4 and 6): each call weighs what Aster's table says
 * for its endpoint and parameters, weight is counted per IP per minute and
 * orders per account per 10 s and per minute, in fixed windows aligned to
 * the clock, which is how Aster's headers count and how hunter's own
 * client (exchange_aster/ratelimit.c) keeps its budget.
 */
#include <string.h>

#include "serve_int.h"

/* How a weight depends on the parameters. */
enum weight_rule {
	WR_FIXED,     /* always `w` */
	WR_SYMBOL,    /* `w` with a symbol, `all` without */
	WR_DEPTH,     /* by limit (aster-api.md 5.2) */
	WR_KLINES,    /* by limit */
};

static const struct weight {
	const char *method; /* NULL: any */
	const char *name;
	enum weight_rule rule;
	unsigned w, all;
} weights[] = {
	{NULL, "depth", WR_DEPTH, 0, 0},
	{NULL, "klines", WR_KLINES, 0, 0},
	{NULL, "aggTrades", WR_FIXED, 20, 0},
	{NULL, "ticker/price", WR_SYMBOL, 1, 2},
	{NULL, "ticker/bookTicker", WR_SYMBOL, 1, 2},
	{"POST", "batchOrders", WR_FIXED, 5, 0},
	{"POST", "countdownCancelAll", WR_FIXED, 10, 0},
	{"GET", "openOrders", WR_SYMBOL, 1, 40},
	{"GET", "allOrders", WR_FIXED, 5, 0},
	{"GET", "userTrades", WR_FIXED, 5, 0},
	{"GET", "balance", WR_FIXED, 5, 0},
	{"GET", "account", WR_FIXED, 5, 0},
	{"GET", "accountWithJoinMargin", WR_FIXED, 5, 0},
	{"GET", "positionRisk", WR_FIXED, 5, 0},
	{"GET", "positionSide/dual", WR_FIXED, 30, 0},
	{"GET", "multiAssetsMargin", WR_FIXED, 30, 0},
};

static bool param(const char *query, const char *body, const char *key, char *out, size_t cap)
{
	int got = serve_query_get(query, key, out, cap);
	return (got ? got : serve_query_get(body, key, out, cap)) != 0;
}

/* The limit parameter, `dflt` when absent or unreadable (the call then
 * fails, but still weighs). */
static int64_t limit_of(const char *query, const char *body, int64_t dflt)
{
	int64_t v = dflt;
	if (serve_query_int(query, "limit", 1, 100000, &v) == 0)
		serve_query_int(body, "limit", 1, 100000, &v);
	return v;
}

static unsigned by_limit(enum weight_rule rule, int64_t limit)
{
	if (rule == WR_DEPTH)
		return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
	return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

unsigned serve_weight(const char *method, const char *name, const char *query, const char *body)
{
	char sym[SYMBOL_MAX];
	for (size_t i = 0; i < sizeof weights / sizeof weights[0]; i++) {
		const struct weight *w = &weights[i];
		if (strcmp(w->name, name) || (w->method && strcmp(w->method, method)))
			continue;
		switch (w->rule) {
		case WR_FIXED: return w->w;
		case WR_SYMBOL: return param(query, body, "symbol", sym, sizeof sym) ? w->w : w->all;
		default: return by_limit(w->rule, limit_of(query, body, 500));
		}
	}
	return 1;
}

/* Forgets a window that is over. */
static void roll(struct window *w, int64_t len_ms, int64_t now_ms)
{
	int64_t start = now_ms - now_ms % len_ms;
	if (start != w->start_ms) {
		w->start_ms = start;
		w->used = 0;
	}
}

bool serve_window_take(struct window *w, int64_t len_ms, uint64_t limit, uint64_t n,
                       int64_t now_ms)
{
	roll(w, len_ms, now_ms);
	if (w->used + n > limit)
		return false;
	w->used += n;
	return true;
}

uint64_t serve_window_used(struct window *w, int64_t len_ms, int64_t now_ms)
{
	roll(w, len_ms, now_ms);
	return w->used;
}

int serve_window_retry_s(int64_t len_ms, int64_t now_ms)
{
	int64_t left = len_ms - now_ms % len_ms;
	return (int)((left + 999) / 1000);
}
