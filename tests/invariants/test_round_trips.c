/*
 * Round trips in the run database around the exchange's own closes: a
 * liquidation is the exit leg of its trip, and the close of a position held
 * before the run (adopted at a restart) makes no trip, rather than a trip
 * in the wrong direction on that position side. Fills are journaled by
 * hand, as the engine would.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>

#include "journal.h"
#include "run_db.h"
#include "scenario.h"

TestSuite(round_trips, .init = scratch_make, .fini = scratch_remove);

static void fill(journal_t *j, int64_t ms, order_role_t role, pos_side_t ps, side_t side,
                 dec_t price, dec_t qty, dec_t fee, dec_t realized)
{
	struct journal_rec r = {.kind = J_FILL, .ms = ms, .symbol = "BTCUSDT"};
	r.u.fill = (struct j_fill){.role = role, .tranche = -1, .side = side, .pos_side = ps,
	                           .price = price, .qty = qty, .fee = fee,
	                           .realized_pnl = realized, .trade_id = ms};
	snprintf(r.u.fill.client_id, sizeof r.u.fill.client_id, "c%lld", (long long)ms);
	journal_record(j, &r);
}

static sqlite3 *finished(journal_t *j, const char *path)
{
	struct journal_end end = {1000, 9000, 10, "00", 0, false};
	cr_assert_eq(journal_finish(j, &end), 0, "%s", journal_error(j));
	journal_close(j);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

static journal_t *created(const char *path)
{
	struct journal_run run = {"backtest", "{}", 2, NULL, 0, true, 0, false};
	char err[256];
	journal_t *j = journal_create(path, &run, err, sizeof err);
	cr_assert_not_null(j, "%s", err);
	return j;
}

Test(round_trips, a_liquidation_ends_the_trip_with_the_lost_margin)
{
	const char *path = scratch_path("liq.db");
	journal_t *j = created(path);
	/* 0.01 long at 60000, 20x: liquidated at its bankruptcy price 57000 */
	fill(j, 1000, ROLE_ENTRY, PS_LONG, SIDE_BUY, DEC(60000), DEC(1) / 100, DEC(1) / 10, 0);
	fill(j, 5000, ROLE_LIQUIDATION, PS_LONG, SIDE_SELL, DEC(57000), DEC(1) / 100, 0, -DEC(30));
	sqlite3 *db = finished(j, path);
	cr_assert_eq(db_int(db, "SELECT count(*) FROM round_trips WHERE close_ms = 5000"), 1);
	cr_assert_eq(db_int(db, "SELECT gross_e8 FROM round_trips"), -DEC(30));
	cr_assert_eq(db_int(db, "SELECT net_e8 FROM round_trips"), -DEC(30) - DEC(1) / 10);
	cr_assert_eq(db_int(db, "SELECT fills FROM round_trips"), 2);
	sqlite3_close(db);
}

Test(round_trips, closing_a_position_from_before_the_run_makes_no_trip)
{
	const char *path = scratch_path("adopted.db");
	journal_t *j = created(path);
	fill(j, 1000, ROLE_TP, PS_LONG, SIDE_SELL, DEC(60600), DEC(1) / 100, 0, DEC(6));
	fill(j, 2000, ROLE_ENTRY, PS_LONG, SIDE_BUY, DEC(60000), DEC(1) / 100, 0, 0);
	fill(j, 3000, ROLE_TP, PS_LONG, SIDE_SELL, DEC(60600), DEC(1) / 100, 0, DEC(6));
	sqlite3 *db = finished(j, path);
	cr_assert_eq(db_int(db, "SELECT count(*) FROM round_trips"), 1);
	cr_assert_eq(db_int(db, "SELECT open_ms FROM round_trips"), 2000);
	cr_assert_eq(db_int(db, "SELECT gross_e8 FROM round_trips"), DEC(6));
	sqlite3_close(db);
}
