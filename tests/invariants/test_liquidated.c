/*
 * Our own position liquidated, end to end. A scripted market fills a 20x
 * long, then trades fall 8 % through its liquidation price with the book
 * ticker stopped. The simulated exchange liquidates the position; every
 * check of checks.h must hold on the run, the accounting identity above all
 * (net PnL + unrealized PnL = end equity - start equity, exactly, with the
 * lost margin in net PnL), and the run must show the liquidation as a fill
 * with its own role that ends the round trip, after which nothing is sent
 * for the dead tranche. In hedge and in one-way mode.
 */
#include <criterion/criterion.h>

#include "check_all.h"
#include "scenario.h"
#include "backtest/market.h"

TestSuite(liquidated, .init = scratch_make, .fini = scratch_remove, .timeout = 120);

static const char *crash(struct market *m)
{
	market_open(m, scratch);
	market_book(m, 0, "60000.0", "60000.1");
	market_trade(m, 0, "60000.0", "0.010", true);
	for (int64_t ms = 1000; ms <= 3000; ms += 1000)
		market_liquidation(m, ms, "SELL", "60000.0", "0.050");
	market_trade(m, 5000, "59900.0", "1.000", true); /* fills the bid at 59940 */
	for (int i = 0; i < 10; i++) {
		char px[16];
		snprintf(px, sizeof px, "%d.0", 59500 - 480 * i);
		market_trade(m, 10000 + 2000 * i, px, "0.500", true);
	}
	for (int64_t ms = 40000; ms <= 120000; ms += 5000)
		market_trade(m, ms, "55200.0", "0.100", true);
	return market_import(m);
}

static void liquidated(bool hedge)
{
	char settings[1024];
	snprintf(settings, sizeof settings,
	         "{\"globals\": {\"volume_window_sec\": 60, \"hedge_mode\": %s,"
	         " \"order_ttl_seconds\": 30, \"max_total_exposure_usdt\": 1000},"
	         " \"symbols\": {\"BTCUSDT\": {\"volume_threshold_long\": 5000,"
	         "  \"volume_threshold_short\": 500000, \"leverage\": 20,"
	         "  \"trade_value_usdt\": 100, \"price_offset_pct\": 0.1,"
	         "  \"max_position_usdt\": 500, \"take_profit_pct\": 5,"
	         "  \"stop_loss_enabled\": false}}}\n",
	         hedge ? "true" : "false");
	struct market m;
	struct backtest_summary s;
	market_backtest(&m, settings, crash(&m), &s);
	const char *db = s.db_path;
	check_all(db);

	struct run_db r;
	run_db_open(&r, db);
	cr_assert_eq(db_int(r.db, "SELECT count(*) FROM fills WHERE role = 'liquidation'"), 1,
	             "the liquidation is not a fill with its own role");
	int64_t liq_ms = db_int(r.db, "SELECT ms FROM fills WHERE role = 'liquidation'");
	int64_t lost = db_int(r.db, "SELECT realized_pnl_e8 FROM fills WHERE role = 'liquidation'");
	cr_assert_lt(lost, -DEC(90), "realized %lld: not the lost margin", (long long)lost);
	cr_assert_leq(s.t.net_pnl, lost, "net PnL %lld misses the lost margin",
	              (long long)s.t.net_pnl);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM orders WHERE state = 'placed'"
	                          " AND ms > %lld", (long long)liq_ms);
	cr_assert_eq(db_int(r.db, sql), 0, "orders sent for the dead tranche");
	cr_assert_eq(db_int(r.db, "SELECT count(*) FROM orders WHERE code = -2022"), 0);
	cr_assert_eq(db_int(r.db, "SELECT count(*) FROM tranches WHERE action = 'close'"), 1);
	/* the liquidation is the trip's exit: its gross is what the fills realized */
	cr_assert_eq(db_int(r.db, "SELECT count(*) FROM round_trips WHERE close_ms IS NULL"), 0);
	cr_assert_eq(db_int(r.db, "SELECT gross_e8 FROM round_trips"),
	             db_int(r.db, "SELECT sum(realized_pnl_e8) FROM fills"));
	cr_assert_eq(db_int(r.db, "SELECT net_e8 FROM round_trips"), s.t.net_pnl);
	run_db_close(&r);
}

Test(liquidated, one_way_the_books_square)
{
	liquidated(false);
}

Test(liquidated, hedge_the_books_square)
{
	liquidated(true);
}
