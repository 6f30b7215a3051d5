/*
 * test_faults.c - `hunter live` trading the served account while the
 * server misbehaves: 429 storms, 5xx answers for calls never carried out,
 * answers that come after the client gave up, user streams that drop, a
 * listenKey that expires, market streams that drop. After each run (SIGTERM
 * at 100x speed, most of the fixture played): no order placed twice, every
 * open position with its stop-loss and take-profit, and every order the
 * account holds is in the run database.
 */
#include <sqlite3.h>

#include "live.h"

TEST_SCRATCH_SUITE(live_faults, dir, "hunter-live-faults");

/* Whether the run database names the client order id among its orders. */
static bool in_db(sqlite3 *h, const char *cid)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM orders WHERE client_id = ?", -1,
	                                &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	bool found = sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	return found;
}

/* Runs hunter live for `seconds` on the fixture served `speed` times as
 * fast as it happened, with the faults, then checks the account. */
static void run_with(const char *name, const char *faults, const char *live_args, int speed,
                     int seconds)
{
	struct served s;
	char extra[256], out[256], db[300];
	/* --loop: the server outlives the run, for the checks after it */
	snprintf(extra, sizeof extra, "--speed %d --loop --fault-seed 3 %s", speed, faults);
	live_serve(&s, dir, extra);
	struct live_proc p;
	snprintf(out, sizeof out, "%s/%s", dir, name);
	live_spawn(&p, dir, s.port, live_settings_at(dir, false, speed), out, live_args, true);
	sleep((unsigned)seconds);
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
	cJSON *orders, *o;
	cr_assert_gt(live_orders(s.port, &orders), 0, "no order reached the account");
	live_no_duplicate(orders);
	live_protected(s.port, orders);
	sqlite3 *h;
	snprintf(db, sizeof db, "%s/run.db", out);
	live_protected_in_time(db, 10000LL * speed);
	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cJSON_ArrayForEach(o, orders) {
		const char *cid = json_str(o, "clientOrderId");
		cr_assert(in_db(h, cid), "%s is on the account but not in the run database", cid);
	}
	sqlite3_close(h);
	cJSON_Delete(orders);
	serve_stop(&s);
}

Test(live_faults, storm_of_429, .timeout = 120)
{
	run_with("429", "--signed-429-rate 0.1", "", 100, 11);
}

Test(live_faults, answers_503_without_carrying_out, .timeout = 120)
{
	run_with("503", "--signed-fail-rate 0.2", "", 100, 11);
}

Test(live_faults, answers_after_the_client_gave_up, .timeout = 120)
{
	run_with("late", "--signed-late-rate 0.2 --signed-late-ms 1500", "--request-timeout 800ms",
	         50, 25);
}

Test(live_faults, user_stream_drops, .timeout = 120)
{
	run_with("drop", "--user-stream-drop-after 5", "", 100, 11);
}

Test(live_faults, listen_key_expires, .timeout = 120)
{
	run_with("ttl", "--listen-key-ttl 3s", "", 100, 11);
}

Test(live_faults, market_streams_drop, .timeout = 120)
{
	run_with("market", "--drop-after 2000", "", 100, 11);
}
