/*
 * End-to-end trading invariants on real backtest runs: synthetic markets of
 * several seeds and the bundled real-data fixtures, traded with settings
 * meant to stress the engine (low thresholds so that many signals fire,
 * caps tight enough to bind, small tranche increments so that tranches
 * open, join and merge), in hedge and one-way mode, with LIMIT and MARKET
 * entries and LIMIT and TAKE_PROFIT_MARKET take-profits. Every run is then
 * checked from its run.db alone by checks.h.
 */
#include <criterion/criterion.h>

#include "check_all.h"
#include "scenario.h"

#define LIQ_FIXTURE HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"

TestSuite(invariants, .init = scratch_make, .fini = scratch_remove, .timeout = 300);

struct variant {
	const char *name;
	bool hedge;
	const char *ttl_seconds;
	const char *btc_entry, *btc_tp_type, *btc_offset;
	bool btc_tp;
	const char *eth_side, *eth_entry, *eth_tp_type, *eth_offset;
	bool eth_sl;
	int32_t max_algo; /* MAX_NUM_ALGO_ORDERS of the synthetic rules; 0: theirs */
};

static const char *settings_for(const struct variant *v, int seed)
{
	char json[2048];
	snprintf(json, sizeof json,
		"{\"globals\": {\"hedge_mode\": %s, \"order_ttl_seconds\": %s,"
		" \"max_open_orders_per_symbol\": 2, \"max_total_exposure_usdt\": 150,"
		" \"tranche_pnl_increment_pct\": 0.15, \"max_tranches_per_symbol_side\": 3,"
		" \"tranche_merge_profit_pct\": 0.05, \"unprotected_close_seconds\": 3,"
		" \"volume_window_sec\": 30},\n"
		" \"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 2000, \"leverage\": 10,"
		" \"trade_value_usdt\": 30, \"max_position_usdt\": 100, \"entry_order_type\": \"%s\","
		" \"price_offset_pct\": %s, \"take_profit_type\": \"%s\", \"take_profit_enabled\": %s,"
		" \"take_profit_pct\": 0.3, \"stop_loss_pct\": 0.6},\n"
		" \"ETHUSDT\": {\"volume_threshold\": 2000, \"leverage\": 5, \"trade_value_usdt\": 30,"
		" \"max_position_usdt\": 80, \"trade_side\": \"%s\", \"entry_order_type\": \"%s\","
		" \"price_offset_pct\": %s, \"take_profit_type\": \"%s\", \"take_profit_pct\": 0.3,"
		" \"stop_loss_enabled\": %s, \"stop_loss_pct\": 0.5}},\n"
		" \"simulation\": {\"seed\": %d}}\n",
		v->hedge ? "true" : "false", v->ttl_seconds, v->btc_entry, v->btc_offset,
		v->btc_tp_type, v->btc_tp ? "true" : "false", v->eth_side, v->eth_entry,
		v->eth_offset, v->eth_tp_type, v->eth_sl ? "true" : "false", seed);
	char name[64];
	snprintf(name, sizeof name, "%s-%d.json", v->name, seed);
	return settings_file(name, json);
}

static int64_t count(const char *db, const char *sql)
{
	sqlite3 *h;
	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t n = db_int(h, sql);
	sqlite3_close(h);
	return n;
}

/* What the runs of a variant exercised, summed over its seeds. */
struct coverage {
	int64_t fills, cap_skips, opens, joins, merges, ttl_cancels, closes;
};

static void cover(struct coverage *c, const char *db)
{
	c->fills += count(db, "SELECT count(*) FROM fills");
	c->cap_skips += count(db, "SELECT count(*) FROM signals WHERE reason LIKE 'cap_%'");
	c->opens += count(db, "SELECT count(*) FROM tranches WHERE action = 'open' AND tranche > 0");
	c->joins += count(db, "SELECT count(*) FROM tranches WHERE action = 'join'");
	c->merges += count(db, "SELECT count(*) FROM tranches WHERE action = 'merge'");
	c->ttl_cancels += count(db, "SELECT count(*) FROM orders WHERE reason = 'ttl'");
	c->closes += count(db, "SELECT count(*) FROM orders WHERE role = 'close'");
}

/* A variant on synthetic markets of three seeds (two hours each, the first
 * with depth) and on the real liquidation fixture. */
static struct coverage run_variant(const struct variant *v)
{
	static const int seeds[] = {11, 12, 13};
	struct coverage c = {0};
	for (size_t i = 0; i <= sizeof seeds / sizeof *seeds; i++) {
		bool real = i == sizeof seeds / sizeof *seeds;
		int seed = real ? 1 : seeds[i];
		const char *rec = real ? LIQ_FIXTURE : synth_recording((uint64_t)seed, 120, i == 0, v->max_algo);
		char out[64];
		snprintf(out, sizeof out, "%s-%s%d", v->name, real ? "real-" : "", seed);
		const char *db = backtest(settings_for(v, seed), rec, out);
		check_all(db);
		cover(&c, db);
	}
	cr_log_info("%s: %lld fills, %lld cap skips, %lld extra tranches, %lld joins, %lld merges,"
	            " %lld TTL cancels, %lld closes", v->name, (long long)c.fills,
	            (long long)c.cap_skips, (long long)c.opens, (long long)c.joins,
	            (long long)c.merges, (long long)c.ttl_cancels, (long long)c.closes);
	cr_expect_gt(c.fills, 0, "%s: nothing traded", v->name);
	cr_expect_gt(c.cap_skips, 0, "%s: no cap ever bound", v->name);
	return c;
}

Test(invariants, hedge_mode_limit_entries)
{
	const struct variant v = {"hedge-limit", true, "10", "LIMIT", "LIMIT", "0.02", true,
	                          "OPPOSITE", "LIMIT", "TAKE_PROFIT_MARKET", "0.05", true, 0};
	struct coverage c = run_variant(&v);
	cr_expect_gt(c.opens, 0, "no second tranche opened");
	cr_expect_gt(c.joins, 0, "no entry joined a tranche");
	cr_expect_gt(c.merges, 0, "no tranches merged");
}

Test(invariants, hedge_mode_market_entries)
{
	const struct variant v = {"hedge-market", true, "10", "MARKET", "TAKE_PROFIT_MARKET",
	                          "0", false, "OPPOSITE", "MARKET", "LIMIT", "0", false, 0};
	run_variant(&v);
}

Test(invariants, one_way_mode_limit_entries)
{
	const struct variant v = {"oneway-limit", false, "5", "LIMIT", "LIMIT", "0.05", true,
	                          "SAME", "LIMIT", "TAKE_PROFIT_MARKET", "0.1", true, 0};
	struct coverage c = run_variant(&v);
	cr_expect_gt(c.ttl_cancels, 0, "no entry reached its TTL");
}

/* Conditional orders past the exchange's limit are refused: tranches left
 * without a leg must be closed at market after the timeout. */
Test(invariants, refused_protection_is_closed_at_market)
{
	const struct variant v = {"algo-limit", true, "10", "LIMIT", "TAKE_PROFIT_MARKET", "0.02",
	                          true, "OPPOSITE", "MARKET", "TAKE_PROFIT_MARKET", "0", true, 2};
	struct coverage c = run_variant(&v);
	cr_expect_gt(c.closes, 0, "no tranche was closed for want of protection");
}

Test(invariants, one_way_mode_market_entries)
{
	const struct variant v = {"oneway-market", false, "10", "MARKET", "TAKE_PROFIT_MARKET",
	                          "0", true, "SAME", "MARKET", "LIMIT", "0", true, 0};
	run_variant(&v);
}

/* The bundled real-data fixture of liquidations (trades only, six symbols)
 * with the demo settings it was made for. */
Test(invariants, real_fixture_demo_settings)
{
	const char *db = backtest(HUNTER_SOURCE_DIR "/fixtures/settings/demo.json", LIQ_FIXTURE,
	                          "demo");
	check_all(db);
	cr_expect_gt(count(db, "SELECT count(*) FROM fills"), 0, "nothing traded");
}
