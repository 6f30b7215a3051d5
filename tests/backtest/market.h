/*
 * market.h - scripted markets for the backtest's tests: JSON frames in
 * Aster's stream shapes, one per line, turned into a recording by the real
 * `hunter import --format frames`, then backtested with backtest_run. Times
 * are milliseconds after T0; one symbol, BTCUSDT, tick 0.1, step 0.001.
 */
#ifndef HUNTER_TEST_MARKET_H
#define HUNTER_TEST_MARKET_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "backtest.h"
#include "support.h"

#define T0 1700000000000LL

struct market {
	char dir[128];
	FILE *frames;
	char frames_path[256];
};

/* Starts the frames with BTCUSDT's rules: its status, and the largest
 * quantity of one order (LOT_SIZE) and of one MARKET order (MARKET_LOT_SIZE),
 * as given. */
static inline void market_open_rules(struct market *m, const char *dir, const char *status,
                                     const char *max_qty, const char *market_max_qty)
{
	snprintf(m->dir, sizeof m->dir, "%s", dir);
	snprintf(m->frames_path, sizeof m->frames_path, "%s/market.jsonl", dir);
	m->frames = fopen(m->frames_path, "w");
	cr_assert_not_null(m->frames);
	fprintf(m->frames,
	        "{\"serverTime\":%lld,\"symbols\":[{\"symbol\":\"BTCUSDT\",\"status\":\"%s\","
	        "\"pricePrecision\":1,\"quantityPrecision\":3,\"maintMarginPercent\":\"2.5\","
	        "\"requiredMarginPercent\":\"5\",\"filters\":["
	        "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.1\",\"maxPrice\":\"1000000\","
	        "\"tickSize\":\"0.1\"},"
	        "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"%s\","
	        "\"stepSize\":\"0.001\"},"
	        "{\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0.001\",\"maxQty\":\"%s\","
	        "\"stepSize\":\"0.001\"},"
	        "{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"5\"},"
	        "{\"filterType\":\"MAX_NUM_ORDERS\",\"limit\":200},"
	        "{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"1.1\","
	        "\"multiplierDown\":\"0.9\"}]}]}\n",
	        T0, status, max_qty, market_max_qty);
}

/* Starts the frames with BTCUSDT's rules, its status as given. */
static inline void market_open_status(struct market *m, const char *dir, const char *status)
{
	market_open_rules(m, dir, status, "1000", "1000");
}

static inline void market_open(struct market *m, const char *dir)
{
	market_open_status(m, dir, "TRADING");
}

static inline void market_book(struct market *m, int64_t ms, const char *bid, const char *ask)
{
	fprintf(m->frames,
	        "{\"e\":\"bookTicker\",\"u\":%lld,\"s\":\"BTCUSDT\",\"b\":\"%s\",\"B\":\"5\","
	        "\"a\":\"%s\",\"A\":\"5\",\"T\":%lld,\"E\":%lld}\n",
	        (long long)ms + 1, bid, ask, T0 + ms, T0 + ms);
}

/* A trade whose taker sold (hitting bids) when `taker_sells`. */
static inline void market_trade(struct market *m, int64_t ms, const char *price, const char *qty,
                                bool taker_sells)
{
	fprintf(m->frames,
	        "{\"e\":\"aggTrade\",\"E\":%lld,\"a\":%lld,\"s\":\"BTCUSDT\",\"p\":\"%s\","
	        "\"q\":\"%s\",\"f\":1,\"l\":1,\"T\":%lld,\"m\":%s}\n",
	        T0 + ms, (long long)ms + 1, price, qty, T0 + ms, taker_sells ? "true" : "false");
}

/* A forced liquidation; SELL liquidates longs. */
static inline void market_liquidation(struct market *m, int64_t ms, const char *side,
                                      const char *price, const char *qty)
{
	fprintf(m->frames,
	        "{\"e\":\"forceOrder\",\"E\":%lld,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"%s\","
	        "\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"%s\",\"p\":\"%s\",\"ap\":\"%s\","
	        "\"X\":\"FILLED\",\"l\":\"%s\",\"z\":\"%s\",\"T\":%lld}}\n",
	        T0 + ms, side, qty, price, price, qty, qty, T0 + ms);
}

/* BTCUSDT quoted at 60000.0 / 60000.1 with one trade at 0, then longs
 * liquidated at 1, 2 and 3 s (3000 USDT each): with market_settings() a
 * long entry fires at 2 s, a bid 0.1 % under the book at 59940.0. */
static inline void market_cascade(struct market *m)
{
	market_book(m, 0, "60000.0", "60000.1");
	market_trade(m, 0, "60000.0", "0.010", true);
	for (int64_t ms = 1000; ms <= 3000; ms += 1000)
		market_liquidation(m, ms, "SELL", "60000.0", "0.050");
}

/* One-way settings trading BTCUSDT: long entries of 100 USDT margin fire
 * at 5000 USDT of long liquidations, 0.1 % under the bid, TTL 30 s;
 * `keys` adds the symbol's other keys (short threshold, leverage, TP, SL). */
static inline const char *market_settings(const char *keys)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
	         "{\"globals\": {\"volume_window_sec\": 60, \"hedge_mode\": false,"
	         " \"order_ttl_seconds\": 30, \"max_total_exposure_usdt\": 1000,"
	         " \"use_usdt_volume\": true}, \"symbols\": {\"BTCUSDT\": {"
	         "\"volume_threshold_long\": 5000, \"trade_value_usdt\": 100,"
	         " \"price_offset_pct\": 0.1, \"max_position_usdt\": 500, %s}}}\n", keys);
	return buf;
}

/* Imports the frames with the hunter binary; returns the recording's path. */
static inline const char *market_import(struct market *m)
{
	static char rec[256];
	char cmd[1024];
	fclose(m->frames);
	m->frames = NULL;
	snprintf(rec, sizeof rec, "%s/market.hrec", m->dir);
	snprintf(cmd, sizeof cmd, "'%s' import --format frames -o '%s' '%s' >/dev/null 2>&1",
	         HUNTER_BIN, rec, m->frames_path);
	cr_assert_eq(system(cmd), 0, "import failed: %s", cmd);
	return rec;
}

/* Backtests the recording with `settings` (JSON text); dies on failure. */
static inline void market_backtest(struct market *m, const char *settings, const char *rec,
                                   struct backtest_summary *out)
{
	char spath[256], odir[256];
	snprintf(spath, sizeof spath, "%s/settings.json", m->dir);
	snprintf(odir, sizeof odir, "%s/run", m->dir);
	test_write_file(spath, settings);
	const char *recs[] = {rec};
	char *diag = NULL;
	size_t len;
	FILE *d = open_memstream(&diag, &len);
	struct backtest_opts o = {.settings_path = spath, .out_dir = odir, .recordings = recs,
	                          .nrecordings = 1, .diag = d};
	int rc = backtest_run(&o, out);
	fclose(d);
	cr_assert_eq(rc, BT_OK, "backtest failed: %s", diag);
	free(diag);
}

#endif
