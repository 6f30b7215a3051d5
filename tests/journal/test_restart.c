/*
 * Unit tests for a run started again on its run database: a live run's
 * database continued after a kill or a clean stop (rows kept, starts
 * counted, round trips taken up again), a database of another kind
 * refused, and a simulate run's account read back from the rows.
 */
#include "journal_test.h"

TestSuite(restart, .init = setup, .fini = teardown);

/* Replaces the backtest setup() opened with a run of `mode`. */
static void start(const char *mode, bool resume)
{
	if (J)
		journal_close(J);
	J = open_run(mode, false, resume);
}

/* The process dies: what was committed stays, nothing is finished. */
static void killed(void)
{
	cr_assert_eq(journal_commit(J), 0, "%s", journal_error(J));
	journal_close(J);
	J = NULL;
}

static enum journal_probe probe(const char *mode, char *err, size_t cap)
{
	err[0] = '\0';
	return journal_probe(db_path, mode, err, cap);
}

static void order(int64_t ms, const char *id, j_order_state_t state, order_type_t type,
                  const char *price, const char *qty)
{
	struct journal_rec r = {.kind = J_ORDER, .ms = ms, .symbol = "BTCUSDT"};
	struct j_order *o = &r.u.order;
	o->req = (order_req){.symbol = "BTCUSDT", .side = SIDE_BUY, .pos_side = PS_BOTH,
	                     .type = type, .tif = TIF_GTC, .price = D(price), .qty = D(qty)};
	snprintf(o->req.client_id, sizeof o->req.client_id, "%s", id);
	o->role = ROLE_ENTRY;
	o->state = state;
	o->reason = "";
	journal_record(J, &r);
}

Test(restart, a_live_database_goes_on_after_a_kill)
{
	start("live", false);
	equity(1000, "10000", "0");
	fill(1100, "BTCUSDT", PS_BOTH, SIDE_BUY, "100", "1", "0.035", "0");
	killed();
	char err[256];
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_SAME, "%s", err);
	start("live", true);
	fill(2100, "BTCUSDT", PS_BOTH, SIDE_SELL, "110", "1", "0.0385", "10");
	finish(2000, 3000);
	cr_assert_str_eq(q("SELECT count(*) FROM fills"), "2", "the first start's fill is kept");
	cr_assert_str_eq(q("SELECT count(*) FROM run"), "1");
	cr_assert_str_eq(q("SELECT count(*) FROM run_starts"), "2");
	cr_assert_str_eq(q("SELECT first_ms||' '||last_ms FROM run"), "1000 3000",
	                 "the killed start's first time is its first equity sample");
	cr_assert_str_eq(q("SELECT count(*)||' '||fills||' '||gross_e8 FROM round_trips"
	                   " WHERE close_ms IS NOT NULL"), "1 2 1000000000",
	                 "the trip opened before the kill closes after it");
	cr_assert_str_eq(q("SELECT count(*) FROM round_trips"), "1");
}

Test(restart, a_clean_stop_is_continued_with_its_open_trips)
{
	start("live", false);
	equity(1000, "10000", "0");
	fill(1100, "BTCUSDT", PS_BOTH, SIDE_BUY, "100", "2", "0", "0");
	finish(1000, 1500);
	cr_assert_str_eq(q("SELECT count(*) FROM round_trips WHERE close_ms IS NULL"), "1");
	start("live", true);
	fill(2100, "BTCUSDT", PS_BOTH, SIDE_SELL, "90", "2", "0", "-20");
	finish(2000, 3000);
	cr_assert_str_eq(q("SELECT count(*)||' '||sum(gross_e8) FROM round_trips"), "1 -2000000000");
	cr_assert_str_eq(q("SELECT first_ms||' '||last_ms||' '||events FROM run"), "1000 3000 2000");
	struct journal_totals t;
	char err[256];
	cr_assert_eq(journal_totals_read(db_path, &t, err, sizeof err), 0, "%s", err);
	cr_assert_eq(t.round_trips, 1);
	cr_assert_eq(t.fills, 2);
}

Test(restart, another_kind_of_run_is_refused)
{
	char err[256];
	finish(0, 0); /* setup's backtest */
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_FOREIGN);
	cr_assert(strstr(err, "holds a backtest run"), "%s", err);
	start("live", false);
	finish(0, 0);
	cr_assert_eq(probe("simulate", err, sizeof err), JOURNAL_FOREIGN);
	cr_assert(strstr(err, "holds a live run; a simulate run does not continue it"), "%s", err);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_FOREIGN);
	cr_assert(strstr(err, "schema version 2; this hunter writes version 3"), "%s", err);
	FILE *f = fopen(db_path, "w");
	fputs("not a database, just text that is long enough to have a header........\n", f);
	fclose(f);
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_FOREIGN);
	cr_assert(strstr(err, "not a run database: file is not a database"), "%s", err);
	unlink(db_path);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK); /* another program's database */
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_FOREIGN);
	cr_assert(strstr(err, "is not a run database"), "%s", err);
	unlink(db_path);
	cr_assert_eq(probe("live", err, sizeof err), JOURNAL_NONE);
}

Test(restart, the_simulated_account_is_read_from_the_rows)
{
	start("simulate", false);
	struct sim_saved sv;
	cr_assert_eq(journal_sim_load(J, &sv), 0, "no equity sample yet: nothing to restore");
	equity(1000, "10000", "0");
	order(1050, "H1-1E", JO_PLACED, OT_MARKET, "0", "1");
	order(1100, "H1-1E", JO_FILLED, OT_MARKET, "0", "1");
	fill(1100, "BTCUSDT", PS_BOTH, SIDE_BUY, "100", "1", "0.035", "0");
	fill(1200, "BTCUSDT", PS_BOTH, SIDE_SELL, "110", "0.5", "0.01925", "5");
	funding(1300, "BTCUSDT", PS_BOTH, "-0.5");
	order(1400, "H1-3E", JO_PLACED, OT_LIMIT, "95", "2");
	order(1410, "H1-3E", JO_ACCEPTED, OT_LIMIT, "95", "2");
	order(1420, "H1-4S", JO_PLACED, OT_STOP_MARKET, "0", "1");
	order(1430, "H1-4S", JO_CANCELED, OT_STOP_MARKET, "0", "1");
	order(1440, "H1-5T", JO_PLACED, OT_LIMIT, "120", "0.5");
	killed();
	start("simulate", true);
	cr_assert_eq(journal_sim_load(J, &sv), 1, "%s", journal_error(J));
	cr_assert_eq(sv.wallet, D("10000") + D("5") - D("0.035") - D("0.01925") - D("0.5"));
	cr_assert_eq(sv.fees_paid, D("0.05425"));
	cr_assert_eq(sv.funding_paid, D("0.5"));
	cr_assert_eq(sv.next_trade_id, 1201, "above the fills' trade ids");
	cr_assert_eq(sv.nfills, 2);
	cr_assert_str_eq(sv.fills[1].client_id, "c1200");
	cr_assert_eq(sv.fills[1].side, SIDE_SELL);
	cr_assert_eq(sv.fills[1].qty, D("0.5"));
	cr_assert_eq(sv.nfunded, 1);
	cr_assert_eq(sv.funded[0].ms, 1300);
	cr_assert_eq(sv.norders, 2, "the filled and the cancelled orders are not open");
	cr_assert_str_eq(sv.orders[0].client_id, "H1-3E");
	cr_assert_eq(sv.orders[0].price, D("95"));
	cr_assert_eq(sv.orders[0].type, OT_LIMIT);
	cr_assert_str_eq(sv.orders[1].client_id, "H1-5T");
	journal_sim_free(&sv);
}
