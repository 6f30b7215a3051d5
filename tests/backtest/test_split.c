/*
 * A position larger than the exchange's maximum order quantity is
 * protected by several orders. The scripted market's rules allow 0.010 in
 * one order (LOT_SIZE) and 0.004 in one MARKET order (MARKET_LOT_SIZE); two
 * entries of 0.010 fill into one tranche of 0.020. Its take-profit must be
 * two LIMIT orders of 0.010 and its stop-loss five STOP_MARKET orders of
 * 0.004, accepted by the simulated exchange (no order is refused for its
 * quantity), and whichever side the market then takes, the tranche closes
 * and the books square: net PnL + unrealized PnL = end equity - start
 * equity, exactly. The stop-loss's chunks fill together and the
 * take-profit is not resized meanwhile: nothing is refused with -2022.
 * (The take-profit's LIMIT chunks need not fill together, so the stop-loss
 * is resized after each; those orders arrive after the tranche has closed
 * and are refused with -2022: the cost of resizing without a gap, not a
 * refusal for quantity.)
 */
#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db.h"
#include "support.h"
#include "market.h"

TEST_SCRATCH_SUITE(split_protection, dir, "hunter-split");

static const char *settings(void)
{
	return market_settings("\"volume_threshold_short\": 500000, \"take_profit_pct\": 1,"
	                       " \"stop_loss_pct\": 2");
}

/* Two long entries of 0.010 (their size capped by LOT_SIZE): at 59940.0,
 * filled at 5 s, and at 59890.0, filled at 7 s into the same tranche; then
 * trades at `exit` every 5 s for a minute, sold into the bids when `falls`. */
static const char *grown_then(struct market *m, const char *exit, bool falls)
{
	market_open_rules(m, dir, "TRADING", "0.010", "0.004");
	market_cascade(m); /* the first entry fires at 2 s */
	market_book(m, 3500, "59950.0", "59950.1");
	market_liquidation(m, 4000, "SELL", "60000.0", "0.050"); /* the second at 4 s */
	market_trade(m, 5000, "59930.0", "1.000", true);
	market_trade(m, 7000, "59850.0", "1.000", true);
	for (int64_t ms = 10000; ms <= 70000; ms += 5000)
		market_trade(m, ms, exit, "1.000", falls);
	return market_import(m);
}

static void expect_split_and_square(const char *db, const struct backtest_summary *s)
{
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='entry'"), 2);
	cr_assert_eq(test_db_int(db, "SELECT max(qty_e8) FROM tranches WHERE action='join'"),
	             2000000, "the tranche did not grow to 0.020");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE state='rejected' AND"
	                             " code IN (-4003, -4004, -4005, -4023)"),
	             0, "an order was refused for its quantity");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE state='accepted' AND"
	                             " role='tp' AND qty_e8 = 1000000 AND price_e8 = (SELECT"
	                             " tp_price_e8 FROM tranches WHERE action='join')"),
	             2, "the take-profit of 0.020 is not two orders of 0.010");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE state='accepted' AND"
	                             " role='sl' AND qty_e8 = 400000 AND stop_price_e8 = (SELECT"
	                             " sl_price_e8 FROM tranches WHERE action='join')"),
	             5, "the stop-loss of 0.020 is not five orders of 0.004");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE role IN ('tp', 'sl') AND"
	                             " (qty_e8 > 1000000 OR (role='sl' AND qty_e8 > 400000))"),
	             0, "an order above the exchange's maximum was sent");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE role='close'"), 0,
	             "the tranche was closed as unprotected");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM tranches WHERE action='close'"), 1);
	cr_assert_eq(test_db_int(db, "SELECT open_positions FROM equity WHERE reason='end'"), 0);
	cr_assert_eq(s->t.net_pnl + s->t.unrealized, s->t.end_equity - s->t.start_equity,
	             "net %lld + unrealized %lld != equity change %lld", (long long)s->t.net_pnl,
	             (long long)s->t.unrealized, (long long)(s->t.end_equity - s->t.start_equity));
}

Test(split_protection, take_profit_chunks_close_the_grown_tranche, .timeout = 60)
{
	struct market m;
	struct backtest_summary s;
	market_backtest(&m, settings(), grown_then(&m, "61000.0", false), &s);
	expect_split_and_square(s.db_path, &s);
	cr_assert_eq(test_db_int(s.db_path, "SELECT sum(qty_e8) FROM fills WHERE role='tp'"),
	             2000000);
	cr_assert_gt(s.t.net_pnl, 0);
}

Test(split_protection, stop_loss_chunks_close_the_grown_tranche, .timeout = 60)
{
	struct market m;
	struct backtest_summary s;
	market_backtest(&m, settings(), grown_then(&m, "58000.0", true), &s);
	expect_split_and_square(s.db_path, &s);
	cr_assert_eq(test_db_int(s.db_path, "SELECT sum(qty_e8) FROM fills WHERE role='sl'"),
	             2000000);
	cr_assert_eq(test_db_int(s.db_path, "SELECT count(*) FROM orders WHERE state='placed' AND"
	                                    " role='tp' AND ms >= (SELECT min(ms) FROM fills"
	                                    " WHERE role='sl')"),
	             0, "the take-profit was resized while the stop-loss chunks were filling");
	cr_assert_eq(test_db_int(s.db_path, "SELECT count(*) FROM orders WHERE code=-2022"), 0);
	cr_assert_lt(s.t.net_pnl, 0);
}
