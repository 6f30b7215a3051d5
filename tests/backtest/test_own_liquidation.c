/*
 * Our own liquidation is a fill. A scripted market fills a 20x long, then
 * falls 8 % on trades alone (no mark price), through the position's
 * liquidation price. The simulated exchange liquidates the position; the
 * run must book the lost margin as a fill with its own role, close the
 * tranche, stop protecting it (no order refused with -2022 afterwards),
 * release its margin, and keep the books square: net PnL + unrealized PnL
 * = end equity - start equity, exactly.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db.h"
#include "support.h"
#include "market.h"

TEST_SCRATCH_SUITE(own_liquidation, dir, "hunter-ownliq");

/* 20x, no stop-loss: nothing but the exchange can close the position. */
static const char *settings(void)
{
	return market_settings("\"volume_threshold_short\": 500000, \"leverage\": 20,"
	                       " \"take_profit_pct\": 5, \"stop_loss_enabled\": false");
}

static const char *crash(struct market *m)
{
	market_open(m, dir);
	market_cascade(m);
	/* the entry (a bid at 59940) fills on a trade through it */
	market_trade(m, 5000, "59900.0", "1.000", true);
	/* then trades only, down 8 %: the book ticker stops */
	static const char *prices[] = {"59500.0", "59000.0", "58500.0", "58000.0", "57500.0",
	                               "57000.0", "56500.0", "56000.0", "55500.0", "55200.0"};
	for (int i = 0; i < 10; i++)
		market_trade(m, 10000 + 2000 * i, prices[i], "0.500", true);
	for (int64_t ms = 40000; ms <= 120000; ms += 5000)
		market_trade(m, ms, "55200.0", "0.100", true);
	return market_import(m);
}

Test(own_liquidation, the_lost_margin_is_a_fill_and_the_books_square)
{
	struct market m;
	struct backtest_summary s;
	market_backtest(&m, settings(), crash(&m), &s);
	const char *db = s.db_path;

	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='entry'"), 1);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='liquidation'"), 1,
	             "the liquidation is not in fills with its own role");
	/* the whole margin is gone: the liquidation's realized PnL is about -5 %
	 * of the notional (20x), before any fee */
	int64_t rp = test_db_int(db, "SELECT realized_pnl_e8 FROM fills WHERE role='liquidation'");
	cr_assert_lt(rp, -9000000000LL / 100, "realized %lld", (long long)rp);
	cr_assert_eq(s.t.net_pnl + s.t.unrealized, s.t.end_equity - s.t.start_equity,
	             "net %lld + unrealized %lld != equity change %lld", (long long)s.t.net_pnl,
	             (long long)s.t.unrealized, (long long)(s.t.end_equity - s.t.start_equity));
	cr_assert_lt(s.t.net_pnl, -9000000000LL / 100, "net PnL %lld misses the lost margin",
	             (long long)s.t.net_pnl);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE code = -2022"), 0,
	             "orders were sent for a tranche that no longer exists");
	int64_t liq_ms = test_db_int(db, "SELECT ms FROM fills WHERE role='liquidation'");
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM orders WHERE state='placed' AND ms > %lld",
	         (long long)liq_ms);
	cr_assert_eq(test_db_int(db, sql), 0, "the engine kept trading a dead tranche");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM tranches WHERE action='close'"), 1);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM round_trips WHERE close_ms IS NOT NULL"), 1,
	             "the liquidation closes the round trip");
	cr_assert_eq(test_db_int(db, "SELECT open_positions FROM equity WHERE reason='end'"), 0);
}
