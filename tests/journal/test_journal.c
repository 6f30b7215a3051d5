/*
 * Unit tests for the run database: the rows each record becomes, round
 * trips from fills (hedge and one-way, flips, funding), the totals read
 * back, batching past one transaction, and errors.
 */
#include "journal_test.h"

TestSuite(journal, .init = setup, .fini = teardown);

Test(journal, run_row_and_clock_apart)
{
	finish(1000, 2000);
	cr_assert_str_eq(q("SELECT mode FROM run"), "backtest");
	cr_assert_str_eq(q("SELECT seed FROM run"), "42");
	cr_assert_str_eq(q("SELECT settings_json FROM run"), "{}");
	cr_assert_str_eq(q("SELECT settings_sha256 FROM run"),
	                 "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
	cr_assert_str_eq(q("SELECT trade_log_sha256 FROM run"), "ab12");
	cr_assert_str_eq(q("SELECT last_ms - first_ms FROM run"), "1000");
	cr_assert_str_eq(q("SELECT events FROM run"), "1000");
	cr_assert_str_eq(q("SELECT hunter_version FROM run"), HUNTER_VERSION);
	cr_assert_str_eq(q("PRAGMA user_version"), "3");
	cr_assert_neq(q("SELECT finished_utc FROM run_clock")[0], '\0');
	cr_assert_str_eq(q("SELECT events_per_sec FROM run_clock"), "2000.0");
}

Test(journal, every_record_kind_is_a_row)
{
	struct journal_rec r = {.kind = J_SIGNAL, .ms = 5, .symbol = "BTCUSDT"};
	r.u.signal = (struct j_signal){SIDE_SELL, D("1500.5"), DEC(1000), SIDE_BUY, PS_LONG, true,
	                               "fired", "e1", D("61234.5"), D("0.002")};
	journal_record(J, &r);
	r.kind = J_ORDER;
	r.u.order = (struct j_order){.role = ROLE_ENTRY, .tranche = 0, .state = JO_REJECTED,
	                             .code = -4164, .reason = "min notional"};
	snprintf(r.u.order.req.client_id, CLIENT_ID_MAX, "e1");
	r.u.order.req.side = SIDE_BUY;
	r.u.order.req.type = OT_LIMIT;
	r.u.order.req.price = D("61234.5");
	journal_record(J, &r);
	r.kind = J_TRANCHE;
	r.u.tranche = (struct j_tranche){PS_LONG, 1, JT_MERGE, 2, D("0.004"), D("61000"),
	                                 D("61610"), 0};
	journal_record(J, &r);
	r.kind = J_NOTE;
	r.u.note = "entry priced from the liquidation";
	journal_record(J, &r);
	finish(5, 5);
	cr_assert_str_eq(q("SELECT liq_side||' '||side||' '||pos_side||' '||fired||' '||reason"
	                   "||' '||window_volume_e8||' '||price_e8 FROM signals"),
	                 "SELL BUY LONG 1 fired 150050000000 6123450000000");
	cr_assert_str_eq(q("SELECT client_id||' '||type||' '||side||' '||code||' '||reason"
	                   " FROM orders"), "e1 LIMIT BUY -4164 min notional");
	cr_assert_str_eq(q("SELECT tranche||' '||merged_from||' '||qty_e8||' '||tp_price_e8"
	                   " FROM tranches"), "1 2 400000 6161000000000");
	cr_assert_str_eq(q("SELECT text FROM notes"), "entry priced from the liquidation");
}

/* The worked example of the strategy: two entries then one exit. */
Test(journal, hedge_round_trip_is_exact)
{
	fill(1000, "BTCUSDT", PS_LONG, SIDE_BUY, "1.000", "10", "0.001", "0");
	fill(2000, "BTCUSDT", PS_LONG, SIDE_BUY, "0.960", "10", "0.001", "0");
	funding(2500, "BTCUSDT", PS_LONG, "-0.0005");
	fill(3000, "BTCUSDT", PS_LONG, SIDE_SELL, "0.990", "20", "0.002", "0.2");
	finish(1000, 3000);
	cr_assert_str_eq(q("SELECT direction||' '||open_ms||' '||close_ms||' '||fills||' '||qty_e8"
	                   "||' '||entry_avg_e8||' '||exit_avg_e8 FROM round_trips"),
	                 "LONG 1000 3000 3 2000000000 98000000 99000000");
	cr_assert_str_eq(q("SELECT gross_e8||' '||fees_e8||' '||funding_e8||' '||net_e8"
	                   " FROM round_trips"), "20000000 400000 50000 19550000");
	cr_assert_str_eq(q("SELECT paid_e8||' '||pos_side FROM funding"), "50000 LONG");
	cr_assert_str_eq(q("SELECT reason||' '||symbol||' '||pos_side||' '||amount_e8 FROM positions"),
	                 "FUNDING_FEE BTCUSDT LONG 100000000");
}

Test(journal, one_way_flip_splits_the_fill)
{
	fill(1000, "ETHUSDT", PS_BOTH, SIDE_BUY, "100", "5", "0.5", "0");
	fill(2000, "ETHUSDT", PS_BOTH, SIDE_SELL, "110", "8", "0.8", "50");
	finish(1000, 4000);
	cr_assert_str_eq(q("SELECT count(*) FROM round_trips"), "2");
	cr_assert_str_eq(q("SELECT direction||' '||gross_e8||' '||fees_e8||' '||net_e8"
	                   " FROM round_trips WHERE close_ms = 2000"),
	                 "LONG 5000000000 100000000 4900000000");
	/* The remainder stays open: no close time, fee share 3/8 of 0.8. */
	cr_assert_str_eq(q("SELECT direction||' '||qty_e8||' '||closed_qty_e8||' '||fees_e8"
	                   " FROM round_trips WHERE close_ms IS NULL"),
	                 "SHORT 300000000 0 30000000");
}

Test(journal, totals_from_the_database)
{
	equity(0, "10000", "0");
	fill(1000, "BTCUSDT", PS_LONG, SIDE_BUY, "100", "1", "0.1", "0");
	equity(1000, "9999.9", "0");
	fill(2000, "BTCUSDT", PS_LONG, SIDE_SELL, "90", "1", "0.1", "-10");
	equity(2000, "9989.8", "0");
	fill(3000, "SOLUSDT", PS_SHORT, SIDE_SELL, "20", "10", "0.2", "0");
	fill(4000, "SOLUSDT", PS_SHORT, SIDE_BUY, "19", "10", "0.2", "10");
	equity(4000, "9999.4", "0");
	fill(5000, "SOLUSDT", PS_SHORT, SIDE_SELL, "20", "1", "0.1", "0");
	equity(6000, "9999.3", "-1");
	finish(0, 10000);
	struct journal_totals t;
	char err[256];
	cr_assert_eq(journal_totals_read(db_path, &t, err, sizeof err), 0, "%s", err);
	cr_assert_eq(t.gross_pnl, DEC(0));
	cr_assert_eq(t.fees, D("0.7"));
	cr_assert_eq(t.net_pnl, D("-0.7"));
	cr_assert_eq(t.fills, 5);
	cr_assert_eq(t.round_trips, 2);
	cr_assert_eq(t.wins, 1);
	cr_assert_eq(t.start_equity, DEC(10000));
	cr_assert_eq(t.end_equity, D("9998.3"));
	cr_assert_eq(t.unrealized, DEC(-1));
	cr_assert_eq(t.max_drawdown, D("10.2"));
	cr_assert_float_eq(t.max_drawdown_frac, 10.2 / 10000, 1e-12);
	/* 1000..2000, 3000..4000, and 5000 to the end (10000) still open. */
	cr_assert_eq(t.in_market_ms, 7000);
	cr_assert_str_eq(t.trade_log_sha256, "ab12");
}

Test(journal, overlapping_trips_count_once_in_market)
{
	fill(1000, "A", PS_LONG, SIDE_BUY, "1", "1", "0", "0");
	fill(1500, "B", PS_LONG, SIDE_BUY, "1", "1", "0", "0");
	fill(3000, "A", PS_LONG, SIDE_SELL, "1", "1", "0", "0");
	fill(4000, "B", PS_LONG, SIDE_SELL, "1", "1", "0", "0");
	finish(0, 10000);
	struct journal_totals t;
	char err[256];
	cr_assert_eq(journal_totals_read(db_path, &t, err, sizeof err), 0, "%s", err);
	cr_assert_eq(t.in_market_ms, 3000);
}

Test(journal, rows_beyond_one_transaction)
{
	struct journal_rec r = {.kind = J_NOTE, .symbol = "X", .u.note = "n"};
	for (int i = 0; i < 10000; i++) {
		r.ms = i;
		journal_record(J, &r);
	}
	finish(0, 9999);
	cr_assert_str_eq(q("SELECT count(*)||' '||sum(ms) FROM notes"), "10000 49995000");
}

Test(journal, replaces_an_old_database_and_live_mode_uses_wal)
{
	struct journal_rec r = {.kind = J_NOTE, .symbol = "X", .u.note = "old"};
	journal_record(J, &r);
	finish(0, 0);
	J = open_run("backtest", false, false);
	finish(0, 0);
	cr_assert_str_eq(q("SELECT count(*) FROM notes"), "0");
	cr_assert_str_eq(q("PRAGMA journal_mode"), "wal");
}

Test(journal, unwritable_path_is_an_error)
{
	struct journal_run run = {"backtest", "{}", 2, NULL, 1, true, 0, false};
	char err[256] = "";
	cr_assert_null(journal_create("/nonexistent-dir/run.db", &run, err, sizeof err));
	cr_assert(strstr(err, "run database"), "message: %s", err);
}

Test(journal, totals_of_a_foreign_file_fail_cleanly)
{
	char path[64], err[256] = "";
	snprintf(path, sizeof path, "/tmp/hunter-journal-foreign-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs("not a database, just text that is long enough to have a header........\n", f);
	fclose(f);
	struct journal_totals t;
	cr_assert_eq(journal_totals_read(path, &t, err, sizeof err), -1);
	cr_assert(err[0], "no message");
	unlink(path);
}
