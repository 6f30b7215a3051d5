/*
 * test_live.c - `hunter live` end to end against `hunter serve` on
 * loopback, on the bundled liquidation fixture and the demo settings:
 *
 *  - simulate_only on the served market trades exactly as a backtest of
 *    the live run's own recording (hunter parity finds no difference), and
 *    sends no order to the account although valid credentials are at hand;
 *  - trading the served account over the wire (V1): orders are placed,
 *    none twice, each open position keeps its stop-loss and take-profit
 *    after SIGTERM (exit 130), the run database holds what the account
 *    did, and no output of the run holds the API secret;
 *  - kill -9 while positions are open, then a restart on the same folder:
 *    the restart adopts them, nothing is placed twice, nothing is left
 *    unprotected, and the run database keeps the first start's orders and
 *    fills beside the second's;
 *  - a bad settings file or missing credentials: exit 2, nothing sent.
 */
#include <dirent.h>
#include <sqlite3.h>

#include "chromium.h"
#include "db.h"
#include "live.h"

TEST_SCRATCH_SUITE(live, dir, "hunter-live");

Test(live, simulate_only_matches_a_backtest_of_its_recording, .timeout = 120)
{
	struct served s;
	live_serve(&s, dir, "--as-fast");
	struct live_proc p;
	char out[256];
	snprintf(out, sizeof out, "%s/sim", dir);
	live_spawn(&p, dir, s.port, live_settings(dir, true), out, "", true);
	cr_assert_eq(serve_wait(&s, 60000), 0, "the served market did not play out");
	usleep(500000);
	cr_assert_eq(live_end(&p, SIGTERM), 130);
	cr_assert_eq(live_tool("%s backtest --settings %s --out %s/bt %s/recordings/*.hrec.gz"
	                      " >/dev/null 2>&1", HUNTER_BIN, live_settings(dir, true), dir, out), 0);
	cr_assert_eq(live_tool("%s parity %s/run.db %s/bt/run.db > %s/parity.txt 2>&1", HUNTER_BIN,
	                      out, dir, dir), 0, "the live session and the backtest differ");
	char db[300];
	snprintf(db, sizeof db, "%s/run.db", out);
	cr_assert_gt(test_db_int(db, "SELECT COUNT(*) FROM fills"), 0, "nothing traded");
	cr_assert_eq(test_db_int(db, "SELECT COUNT(*) FROM run WHERE mode = 'simulate'"), 1);
}

Test(live, simulate_only_sends_nothing_signed, .timeout = 120)
{
	struct served s;
	live_serve(&s, dir, "--speed 100");
	struct live_proc p;
	char out[256];
	snprintf(out, sizeof out, "%s/sim2", dir);
	live_spawn(&p, dir, s.port, live_settings(dir, true), out, "--simulate", true);
	sleep(8);
	cr_assert_eq(live_end(&p, SIGTERM), 130);
	cJSON *orders;
	cr_assert_eq(live_orders(s.port, &orders), 0, "an order reached the account");
	cJSON_Delete(orders);
	cJSON *bal = live_ask(s.port, "/fapi/v2/balance", "");
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(bal, 0), "balance"), "10000");
	cJSON_Delete(bal);
	serve_stop(&s);
}

/* The run's folder, outputs and recordings hold no secret. */
static void no_secret(const char *out, const struct live_proc *p)
{
	char path[600];
	cr_assert(!file_holds(p->out, LIVE_SECRET) && !file_holds(p->err, LIVE_SECRET));
	snprintf(path, sizeof path, "%s/run.db", out);
	cr_assert(!file_holds(path, LIVE_SECRET), "the secret is in the run database");
	snprintf(path, sizeof path, "%s/recordings", out);
	DIR *d = opendir(path);
	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/recordings/%s", out, e->d_name);
		cr_assert(!file_holds(path, LIVE_SECRET), "the secret is in %s", e->d_name);
	}
	closedir(d);
	cr_assert_eq(live_tool("%s report %s/run.db --out %s/report >/dev/null 2>&1", HUNTER_BIN, out,
	                      out), 0);
	cr_assert_eq(live_tool("grep -r -l -F '%s' %s/report >/dev/null", LIVE_SECRET, out), 1,
	             "the secret is in the report");
}

Test(live, trades_over_the_wire, .timeout = 120)
{
	struct served s;
	live_serve(&s, dir, "--speed 100");
	struct live_proc p;
	char out[256], db[300];
	snprintf(out, sizeof out, "%s/wire", dir);
	live_spawn(&p, dir, s.port, live_settings_at(dir, false, 100), out, "", true);
	sleep(11); /* most of the fixture's 25 minutes at 100x */
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
	cJSON *orders;
	int n = live_orders(s.port, &orders);
	cr_assert_gt(n, 0, "no order reached the account");
	cr_assert(file_holds(p.err, "tick to order: "), "the run does not say its tick to order");
	cr_assert(file_holds(p.err, "(p50/p99 of its steps: to the session "),
	          "the run does not say where its orders' time went");
	live_no_duplicate(orders);
	live_protected(s.port, orders);
	snprintf(db, sizeof db, "%s/run.db", out);
	live_protected_in_time(db, 10000LL * 100);
	cr_assert_eq(test_db_int(db, "SELECT COUNT(*) FROM orders WHERE state = 'placed'"), n,
	             "the run database and the account disagree on the orders placed");
	cJSON_Delete(orders);
	no_secret(out, &p);
	serve_stop(&s);
	/* the live run against a backtest of what it recorded: every difference
	 * is named (the served account's fills came at other times) */
	cr_assert_eq(live_tool("%s backtest --settings %s --out %s/wire-bt %s/recordings/*.hrec.gz"
	                      " >/dev/null 2>&1", HUNTER_BIN, live_settings(dir, false), dir, out), 0);
	int rc = live_tool("%s parity %s/run.db %s/wire-bt/run.db > %s/wire-parity.txt 2>&1",
	                  HUNTER_BIN, out, dir, dir);
	cr_assert(rc == 0 || rc == 3, "hunter parity failed (%d)", rc);
	char path[300];
	snprintf(path, sizeof path, "%s/wire-parity.txt", dir);
	char *text = test_read_file(path, NULL);
	cr_assert_not_null(strstr(text, "matched signals"), "%s", text);
	cr_assert_not_null(strstr(text, "net PnL B - A"), "%s", text);
	free(text);
}

/* Whether the account holds a position now. */
static bool has_position(int port)
{
	cJSON *pos = live_ask(port, "/fapi/v2/positionRisk", ""), *p;
	bool any = false;
	cJSON_ArrayForEach(p, pos)
		any |= strcmp(json_str(p, "positionAmt"), "0") != 0;
	cJSON_Delete(pos);
	return any;
}

Test(live, killed_mid_trade_then_restarted, .timeout = 180)
{
	struct served s;
	live_serve(&s, dir, "--speed 20");
	struct live_proc p;
	char out[256];
	snprintf(out, sizeof out, "%s/k1", dir);
	live_spawn(&p, dir, s.port, live_settings_at(dir, false, 20), out, "", true);
	int64_t end = test_now_ms() + 90000;
	while (!has_position(s.port) && test_now_ms() < end)
		usleep(200000);
	cr_assert(has_position(s.port), "no position within 90 s");
	cr_assert_eq(live_end(&p, SIGKILL), 128 + SIGKILL);
	char db[300], sql[160];
	snprintf(db, sizeof db, "%s/run.db", out);
	int64_t last_order = test_db_int(db, "SELECT max(id) FROM orders");
	int64_t last_fill = test_db_int(db, "SELECT coalesce(max(id), 0) FROM fills");
	int64_t orders1 = test_db_int(db, "SELECT count(*) FROM orders");
	int64_t fills1 = test_db_int(db, "SELECT count(*) FROM fills");
	cr_assert_gt(fills1, 0, "the position's entry fill is in the run database");
	live_spawn(&p, dir, s.port, live_settings_at(dir, false, 20), out, "", true); /* the same --out */
	cr_assert(live_said(&p, "continuing the live run"), "%s", test_read_file(p.err, NULL));
	sleep(6);
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
	cJSON *orders;
	int n = live_orders(s.port, &orders);
	live_no_duplicate(orders);
	live_protected(s.port, orders);
	live_protected_in_time(db, 10000LL * 20);
	cJSON_Delete(orders);
	serve_stop(&s);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM orders WHERE id <= %lld", (long long)last_order);
	cr_assert_eq(test_db_int(db, sql), orders1, "the first start's orders are gone");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM fills WHERE id <= %lld", (long long)last_fill);
	cr_assert_eq(test_db_int(db, sql), fills1, "the first start's fills are gone");
	cr_assert_eq(test_db_int(db, "SELECT count(DISTINCT client_id) FROM orders"
	                             " WHERE state = 'placed'"), n,
	             "the run database and the account disagree on the orders placed");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM run_starts"), 2);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM run"), 1);
	cr_assert_eq(live_tool("%s report %s --out %s/report >/dev/null 2>&1", HUNTER_BIN, db, out),
	             0, "the report of a run of two starts");
}

Test(live, bad_settings_or_no_credentials_exit_2, .timeout = 60)
{
	struct served s;
	live_serve(&s, dir, "--speed 1");
	char bad[256], out[256];
	snprintf(bad, sizeof bad, "%s/bad.json", dir);
	test_write_file(bad, "{\"globals\": {\"no_such_key\": 1}, \"symbols\": {}}");
	struct live_proc p;
	snprintf(out, sizeof out, "%s/bad", dir);
	live_spawn(&p, dir, s.port, bad, out, "", true);
	cr_assert_eq(live_end(&p, 0), 2);
	cr_assert_not_null(strstr(test_read_file(p.err, NULL), "no_such_key"));
	live_spawn(&p, dir, s.port, live_settings(dir, false), out, "", false);
	cr_assert_eq(live_end(&p, 0), 2, "%s", test_read_file(p.err, NULL));
	cr_assert_not_null(strstr(test_read_file(p.err, NULL), "ASTER_API_KEY"));
	cJSON *orders;
	cr_assert_eq(live_orders(s.port, &orders), 0);
	cJSON_Delete(orders);
	serve_stop(&s);
}

/* The dashboard's positions as JSON, or NULL when none answers yet. */
static cJSON *dash_positions(int port)
{
	struct http_answer a;
	if (!http_call_within(port, "GET", "/api/positions", NULL, NULL, 2000, &a))
		return NULL;
	cJSON *j = a.status == 200 ? answer_json(&a) : NULL;
	free(a.body);
	return j;
}

/* Whether the page's positions table has a row of `symbol`. */
static bool shows_position(const char *dom, const char *symbol)
{
	const char *table = strstr(dom, "<table id=\"positions\">");
	char cell[64];
	snprintf(cell, sizeof cell, "<td data-key=\"symbol\">%s</td>", symbol);
	return table != NULL && strstr(table, cell) != NULL;
}

Test(live, the_dashboard_shows_an_open_position_in_chromium, .timeout = 180)
{
	test_browser();
	struct served s;
	live_serve(&s, dir, "--speed 20 --loop");
	struct live_proc p;
	char out[256], url[64];
	snprintf(out, sizeof out, "%s/dash", dir);
	live_spawn(&p, dir, s.port, live_settings(dir, true), out, "--dashboard-port 0", true);
	int port = 0;
	for (int i = 0; i < 100 && !port; i++, usleep(100000)) {
		char *err = test_try_read_file(p.err, NULL);
		char *at = err ? strstr(err, "dashboard on http://127.0.0.1:") : NULL;
		if (at)
			port = atoi(at + strlen("dashboard on http://127.0.0.1:"));
		free(err);
	}
	cr_assert_gt(port, 0, "no dashboard port said");
	char symbol[SYMBOL_MAX] = "";
	for (int64_t end = test_now_ms() + 120000; !symbol[0] && test_now_ms() < end;) {
		cJSON *j = dash_positions(port);
		const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "positions"), 0);
		if (first)
			snprintf(symbol, sizeof symbol, "%s", json_str(first, "symbol"));
		cJSON_Delete(j);
		usleep(300000);
	}
	cr_assert(symbol[0], "no position within two minutes");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	char *dom = test_dump_dom(url, dir);
	cr_assert(shows_position(dom, symbol), "%s is not in the positions table:\n%.3000s", symbol,
	          dom);
	free(dom);
	cr_assert_eq(live_end(&p, SIGTERM), 130);
	serve_stop(&s);
}

Test(live, sighup_reloads_checked_settings, .timeout = 120)
{
	struct served s;
	live_serve(&s, dir, "--speed 10 --loop");
	char path[256], out[256];
	snprintf(path, sizeof path, "%s/reload.json", dir);
	size_t len;
	char *good = test_read_file(live_settings(dir, true), &len);
	test_write_file(path, good);
	struct live_proc p;
	snprintf(out, sizeof out, "%s/reload", dir);
	live_spawn(&p, dir, s.port, path, out, "", true);
	cr_assert(live_said(&p, "simulating on 6 symbol(s)"));
	test_write_file(path, "{\"globals\": {\"no_such_key\": 1}}");
	kill(p.pid, SIGHUP);
	cr_assert(live_said(&p, "is not valid"), "a bad file was not refused");
	char *fewer = strdup(good);
	char *doge = strstr(fewer, "\"DOGEUSDT\"");
	cr_assert_not_null(doge);
	memcpy(doge, "\"DOGEUSDX\"", 10);
	test_write_file(path, fewer);
	kill(p.pid, SIGHUP);
	cr_assert(live_said(&p, "the symbols cannot change while trading"));
	char *changed = strdup(good);
	char *at = strstr(changed, "\"volume_threshold_long\": 20000");
	cr_assert_not_null(at);
	memcpy(at, "\"volume_threshold_long\": 30000", strlen("\"volume_threshold_long\": 30000"));
	test_write_file(path, changed);
	kill(p.pid, SIGHUP);
	cr_assert(live_said(&p, "applied"), "a valid file was not applied");
	cr_assert_eq(live_end(&p, SIGTERM), 130);
	free(good);
	free(fewer);
	free(changed);
	serve_stop(&s);
}

Test(live, a_symbol_the_exchange_refuses_is_skipped, .timeout = 60)
{
	struct served s;
	live_serve(&s, dir, "--speed 10 --loop");
	char path[256], out[256];
	size_t len;
	char *text = test_read_file(live_settings(dir, false), &len);
	char *at = strstr(text, "\"symbols\": {");
	cr_assert_not_null(at);
	at += strlen("\"symbols\": {");
	char *more = malloc(len + 64);
	snprintf(more, len + 64, "%.*s\"FAKEUSDT\": {\"leverage\": 5},%s", (int)(at - text), text, at);
	snprintf(path, sizeof path, "%s/fake.json", dir);
	test_write_file(path, more);
	struct live_proc p;
	snprintf(out, sizeof out, "%s/fake", dir);
	live_spawn(&p, dir, s.port, path, out, "", true);
	cr_assert(live_said(&p, "FAKEUSDT cannot be set up"), "%s", test_read_file(p.err, NULL));
	cr_assert(live_said(&p, "trading on 7 symbol(s)"), "the run did not go on without it");
	cr_assert_eq(live_end(&p, SIGTERM), 130);
	free(text);
	free(more);
	serve_stop(&s);
}
