/*
 * test_restart.c - a simulate_only run started again on its folder, as
 * after a crash, against `hunter serve` on loopback: killed with kill -9
 * while a position is open, then started with the same --out.
 *
 *  - the simulated account goes on: the position is there again with its
 *    stop-loss and take-profit, adopted, nothing placed twice, nothing
 *    unprotected, and the wallet starts where the first start left it;
 *  - the first start's rows stay in run.db, and over both starts net PnL
 *    plus the unrealized PnL at the end is the change in equity, exactly;
 *  - a second hunter live on the folder while the first runs is refused,
 *    and so is a live run on a simulate run's folder (exit 2).
 */
#include "db.h"
#include "invariants/checks.h"
#include "live.h"

TEST_SCRATCH_SUITE(live_restart, dir, "hunter-live-restart");

/* Positions open as the run database last heard of them. */
#define OPEN_POSITIONS                                                                  \
	"(SELECT * FROM positions WHERE amount_e8 != 0 AND id IN"                        \
	" (SELECT max(id) FROM positions GROUP BY symbol, pos_side))"

/* Orders whose last state is not an end. */
#define OPEN_ORDERS                                                                     \
	"(SELECT * FROM orders WHERE id IN (SELECT max(id) FROM orders GROUP BY client_id)" \
	" AND state NOT IN ('rejected', 'filled', 'canceled', 'expired'))"

#define PROTECTS(role)                                                                  \
	" EXISTS (SELECT 1 FROM " OPEN_ORDERS " o WHERE o.symbol = p.symbol"              \
	" AND o.pos_side = p.pos_side AND o.role = '" role "')"

/* Open positions without their stop-loss or take-profit. */
#define UNPROTECTED                                                                     \
	"SELECT count(*) FROM " OPEN_POSITIONS " p WHERE NOT" PROTECTS("sl")              \
	" OR NOT" PROTECTS("tp")

/* What the wallet is by the rows: the first sample's, plus the fills'
 * realized PnL, less their fees and the funding paid. */
#define WALLET_BY_ROWS                                                                  \
	"SELECT (SELECT wallet_e8 FROM equity ORDER BY id LIMIT 1)"                       \
	" + (SELECT coalesce(sum(realized_pnl_e8 - fee_e8), 0) FROM fills)"                \
	" - (SELECT coalesce(sum(paid_e8), 0) FROM funding)"

static int64_t count_where_id(const char *db, const char *table, int64_t last)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE id <= %lld", table,
	         (long long)last);
	return test_db_int(db, sql);
}

/* Runs until a position is open with its stop-loss and take-profit. */
static void until_protected_position(const char *db)
{
	for (int64_t end = test_now_ms() + 90000; test_now_ms() < end; usleep(200000))
		if (access(db, F_OK) == 0 &&
		    test_db_int(db, "SELECT count(*) FROM " OPEN_POSITIONS) > 0 &&
		    test_db_int(db, UNPROTECTED) == 0)
			return;
	cr_assert_fail("no protected position within 90 s; open positions:\n%s\nopen orders:\n%s",
	               test_db_rows(db, "SELECT * FROM " OPEN_POSITIONS),
	               test_db_rows(db, "SELECT symbol, pos_side, role, state, type FROM "
	                                OPEN_ORDERS));
}

/* A second process on the folder, and a live run on a simulate run's
 * folder: both refused before anything is sent. */
static void refused(int port, const char *out, bool simulate, const char *why)
{
	struct live_proc q;
	live_spawn(&q, dir, port, live_settings(dir, simulate), out, "", true);
	cr_assert_eq(live_end(&q, 0), 2, "%s", test_read_file(q.err, NULL));
	cr_assert(strstr(test_read_file(q.err, NULL), why), "%s", test_read_file(q.err, NULL));
}

static void money_adds_up(const char *db)
{
	struct run_db r;
	run_db_open(&r, db);
	struct verdict v = check_accounting(&r);
	cr_assert_eq(v.n, 0, "%s", v.first);
	v = check_summary_accounting(db);
	cr_assert_eq(v.n, 0, "%s", v.first);
	run_db_close(&r);
}

/* The report, and parity against a backtest of both starts' recordings,
 * read a run of two starts. */
static void readers_take_it(const char *db, const char *out)
{
	cr_assert_eq(live_tool("%s report %s --out %s/report >/dev/null 2>&1", HUNTER_BIN, db, out),
	             0, "the report of a run of two starts");
	cr_assert_eq(live_tool("%s backtest --settings %s --out %s/bt %s/recordings/*.hrec.gz"
	                       " >/dev/null 2>&1", HUNTER_BIN, live_settings(dir, true), dir, out), 0);
	int rc = live_tool("%s parity %s %s/bt/run.db > %s/parity.txt 2>&1", HUNTER_BIN, db, dir,
	                   dir);
	cr_assert(rc == 0 || rc == 3, "hunter parity failed (%d)", rc);
	char path[300];
	snprintf(path, sizeof path, "%s/parity.txt", dir);
	char *text = test_read_file(path, NULL);
	cr_assert_not_null(strstr(text, "matched signals"), "%s", text);
	free(text);
}

Test(live_restart, simulate_killed_then_restarted_goes_on, .timeout = 240)
{
	struct served s;
	live_serve(&s, dir, "--speed 20 --loop"); /* a position comes, however late it starts */
	struct live_proc p;
	char out[256], db[300], said[128];
	snprintf(out, sizeof out, "%s/sim", dir);
	snprintf(db, sizeof db, "%s/run.db", out);
	live_spawn(&p, dir, s.port, live_settings_at(dir, true, 20), out, "", true);
	until_protected_position(db);
	cr_assert_eq(live_end(&p, SIGKILL), 128 + SIGKILL);

	int64_t positions = test_db_int(db, "SELECT count(*) FROM " OPEN_POSITIONS);
	int64_t wallet = test_db_int(db, WALLET_BY_ROWS);
	int64_t last_order = test_db_int(db, "SELECT max(id) FROM orders");
	int64_t last_fill = test_db_int(db, "SELECT max(id) FROM fills");
	int64_t orders1 = count_where_id(db, "orders", last_order);
	int64_t fills1 = count_where_id(db, "fills", last_fill);

	live_spawn(&p, dir, s.port, live_settings_at(dir, true, 20), out, "", true);
	snprintf(said, sizeof said, "%lld position(s)", (long long)positions);
	cr_assert(live_said(&p, "simulated account restored") && live_said(&p, said), "%s",
	          test_read_file(p.err, NULL));
	cr_assert(live_said(&p, "simulating on"), "%s", test_read_file(p.err, NULL));
	refused(s.port, out, true, "another hunter live runs on this folder");
	sleep(6);
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
	refused(s.port, out, false, "holds a simulate run");
	serve_stop(&s);

	cr_assert_eq(count_where_id(db, "orders", last_order), orders1, "earlier orders are gone");
	cr_assert_eq(count_where_id(db, "fills", last_fill), fills1, "earlier fills are gone");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM run_starts"), 2);
	cr_assert_eq(test_db_int(db, "SELECT wallet_e8 FROM equity WHERE reason = 'start'"
	                             " ORDER BY id LIMIT 1 OFFSET 1"), wallet,
	             "the second start's wallet is not where the first left it");
	cr_assert_geq(test_db_int(db, "SELECT count(*) FROM notes"
	                              " WHERE text LIKE '%position adopted from the exchange'"),
	              positions);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM (SELECT client_id FROM orders"
	                             " WHERE state = 'placed' GROUP BY client_id"
	                             " HAVING count(*) > 1)"), 0, "an order was placed twice");
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM orders WHERE id > %lld AND state = 'placed'"
	                          " AND role IN ('tp', 'sl') AND ms < (SELECT coalesce(min(ms),"
	                          " 9e18) FROM fills WHERE id > %lld)",
	         (long long)last_order, (long long)last_fill);
	cr_assert_eq(test_db_int(db, sql), 0, "the adopted position's protection was placed again");
	cr_assert_eq(test_db_int(db, UNPROTECTED), 0, "a position is left unprotected");
	live_protected_in_time(db, 10000LL * 20);
	money_adds_up(db);
	readers_take_it(db, out);
}
