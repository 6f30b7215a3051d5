/*
 * The checks of checks.h can fail: each test takes a real run that passes
 * a check, breaks its run.db with one SQL statement the way a faulty engine
 * or exchange would have written it, and requires that check to report it.
 */
#include <criterion/criterion.h>

#include "checks.h"
#include "scenario.h"

TestSuite(checks_fail, .init = scratch_make, .fini = scratch_remove, .timeout = 300);

static const char hedge_settings[] =
	"{\"globals\": {\"hedge_mode\": true, \"order_ttl_seconds\": 10,"
	" \"max_open_orders_per_symbol\": 2, \"max_total_exposure_usdt\": 150,"
	" \"tranche_pnl_increment_pct\": 0.15, \"max_tranches_per_symbol_side\": 3,"
	" \"unprotected_close_seconds\": 3},\n"
	" \"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 2000, \"leverage\": 10,"
	" \"trade_value_usdt\": 30, \"max_position_usdt\": 100, \"price_offset_pct\": 0.05,"
	" \"take_profit_pct\": 0.3, \"stop_loss_pct\": 0.6},\n"
	" \"ETHUSDT\": {\"volume_threshold\": 2000, \"leverage\": 5, \"trade_value_usdt\": 30,"
	" \"max_position_usdt\": 80, \"price_offset_pct\": 0.05, \"take_profit_pct\": 0.3,"
	" \"stop_loss_pct\": 0.5}}}\n";

static const char one_way_settings[] =
	"{\"globals\": {\"hedge_mode\": false, \"order_ttl_seconds\": 10,"
	" \"max_open_orders_per_symbol\": 2, \"max_total_exposure_usdt\": 150,"
	" \"unprotected_close_seconds\": 3},\n"
	" \"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 2000, \"leverage\": 10,"
	" \"trade_value_usdt\": 30, \"max_position_usdt\": 100, \"entry_order_type\": \"MARKET\","
	" \"take_profit_pct\": 0.3, \"stop_loss_pct\": 0.6},\n"
	" \"ETHUSDT\": {\"volume_threshold\": 2000, \"leverage\": 5, \"trade_value_usdt\": 30,"
	" \"max_position_usdt\": 80, \"take_profit_pct\": 0.3, \"stop_loss_pct\": 0.5}}}\n";

typedef struct verdict (*check_fn)(const struct run_db *);

/* Runs a real backtest, requires `check` to pass on it, applies `sql` to
 * its database, and requires `check` to fail. */
static void breaks(const char *settings, check_fn check, const char *sql)
{
	const char *rec = synth_recording(21, 60, false, 0);
	const char *db = backtest(settings_file("settings.json", settings), rec, "run");
	struct run_db r;
	run_db_open(&r, db);
	struct verdict before = check(&r);
	cr_assert_eq(before.n, 0, "fails before the damage: %s", before.first);
	char *err = NULL;
	cr_assert_eq(sqlite3_exec(r.db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
	cr_assert_gt(sqlite3_changes(r.db), 0, "%s changed nothing", sql);
	run_db_close(&r);
	run_db_open(&r, db);
	struct verdict after = check(&r);
	cr_log_info("%s -> %d violations, the first: %s", sql, after.n, after.first);
	cr_assert_gt(after.n, 0, "%s went unnoticed", sql);
	run_db_close(&r);
}

Test(checks_fail, stop_losses_never_accepted)
{
	breaks(hedge_settings, check_protection,
	       "DELETE FROM orders WHERE role = 'sl' AND state = 'accepted'");
}

Test(checks_fail, a_fill_with_another_role_than_its_order)
{
	breaks(hedge_settings, check_fills,
	       "UPDATE fills SET role = 'tp' WHERE id = (SELECT min(id) FROM fills"
	       " WHERE role = 'entry')");
}

Test(checks_fail, a_final_position_that_the_fills_do_not_explain)
{
	breaks(hedge_settings, check_fills,
	       "UPDATE positions SET amount_e8 = amount_e8 + 100000"
	       " WHERE id = (SELECT max(id) FROM positions)");
}

Test(checks_fail, entries_larger_than_the_margin_cap)
{
	breaks(hedge_settings, check_caps,
	       "UPDATE orders SET qty_e8 = qty_e8 * 20 WHERE role = 'entry'");
}

Test(checks_fail, more_pending_entries_than_allowed)
{
	breaks(hedge_settings, check_caps,
	       "UPDATE run SET settings_json = replace(settings_json,"
	       " '\"max_open_orders_per_symbol\": 2', '\"max_open_orders_per_symbol\": 1')");
}

Test(checks_fail, a_price_off_the_tick)
{
	breaks(hedge_settings, check_exactness,
	       "UPDATE orders SET price_e8 = price_e8 + 1"
	       " WHERE id = (SELECT min(id) FROM orders WHERE price_e8 > 0)");
}

Test(checks_fail, a_fee_off_by_one_unit)
{
	breaks(hedge_settings, check_exactness,
	       "UPDATE fills SET fee_e8 = fee_e8 + 1, realized_pnl_e8 = realized_pnl_e8 + 1"
	       " WHERE id = 1");
}

Test(checks_fail, a_wallet_that_does_not_add_up)
{
	breaks(hedge_settings, check_exactness,
	       "UPDATE equity SET wallet_e8 = wallet_e8 - 1 WHERE reason = 'end'");
}

Test(checks_fail, an_order_accepted_twice)
{
	breaks(hedge_settings, check_lifecycle,
	       "UPDATE orders SET state = 'accepted'"
	       " WHERE id = (SELECT min(id) FROM orders WHERE state = 'cancel_sent')");
}

Test(checks_fail, a_fill_after_the_cancel)
{
	breaks(hedge_settings, check_lifecycle,
	       "UPDATE orders SET state = 'canceled', ms = ms - 1"
	       " WHERE id = (SELECT min(id) FROM orders WHERE state = 'filled')");
}

Test(checks_fail, entries_that_never_end)
{
	breaks(hedge_settings, check_lifecycle,
	       "DELETE FROM orders WHERE role = 'entry' AND state IN ('filled', 'canceled')");
}

Test(checks_fail, an_exit_that_adds_to_the_position)
{
	breaks(one_way_settings, check_one_way,
	       "UPDATE fills SET side = CASE side WHEN 'BUY' THEN 'SELL' ELSE 'BUY' END"
	       " WHERE id = (SELECT min(id) FROM fills WHERE role != 'entry')");
}

Test(checks_fail, an_entry_against_the_position)
{
	breaks(one_way_settings, check_one_way,
	       "UPDATE fills SET side = CASE side WHEN 'BUY' THEN 'SELL' ELSE 'BUY' END"
	       " WHERE id = (SELECT min(f.id) FROM fills f WHERE f.role = 'entry' AND EXISTS"
	       " (SELECT 1 FROM fills g WHERE g.symbol = f.symbol AND g.id < f.id))");
}

Test(checks_fail, an_equity_change_the_pnl_does_not_explain)
{
	breaks(hedge_settings, check_accounting,
	       "UPDATE equity SET equity_e8 = equity_e8 + 1 WHERE reason = 'end'");
}
