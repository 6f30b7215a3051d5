/*
 * test_market.c - `hunter live` over the wire on scripted markets served by
 * `hunter serve` (the backtest's scripted markets, tests/backtest/market.h):
 *
 *  - a partial fill: the entry fills in part on a trade through it, the
 *    rest expires with the entry's TTL; the part that filled is a tranche
 *    protected by its stop-loss and take-profit on the account;
 *  - our own position liquidated: a 20x long without stop-loss, the market
 *    falls 8 %; the exchange's liquidation reaches the run database as a
 *    fill with its own role, nothing is left open on the account, and the
 *    engine sends nothing more for the dead tranche;
 *  - an entry whose time to live the event firing the next one passes: its
 *    cancel, sent after the new order, reaches the exchange;
 *  - `--close-all` on a position five times MARKET_LOT_SIZE's maximum (its
 *    stop-loss already split by the run before): the engine closes it in
 *    MARKET orders each within the maximum, no take-profit or stop-loss is
 *    placed again meanwhile, nothing is refused, nothing is left open.
 */
#include "backtest/market.h"
#include "db.h"
#include "live.h"

TEST_SCRATCH_SUITE(live_market, dir, "hunter-live-market");

/* 20x longs of 100 USDT margin on long liquidations; TP 5 %. */
static const char *settings(const char *sl)
{
	static char path[256];
	char keys[256];
	snprintf(keys, sizeof keys, "\"volume_threshold_short\": 500000, \"leverage\": 20,"
	                            " \"take_profit_pct\": 5, %s", sl);
	snprintf(path, sizeof path, "%s/settings.json", dir);
	test_write_file(path, market_settings(keys));
	return path;
}

/* The cascade that fires a long entry (a bid at 59940), a trade through it
 * of `fill_qty`, then `prices` every 2 s and, right after them, the book
 * and quiet trades at `last` every 5 s to 120 s; one MARKET order takes at
 * most `market_max`. */
static const char *script(const char *fill_qty, const char *const *prices, int n,
                          const char *last, const char *market_max)
{
	struct market m;
	market_open_rules(&m, dir, "TRADING", "1000", market_max);
	market_cascade(&m);
	market_trade(&m, 5000, "59900.0", fill_qty, true);
	for (int i = 0; i < n; i++)
		market_trade(&m, 10000 + 2000 * i, prices[i], "0.500", true);
	for (int64_t ms = 10000 + 2000 * n; ms <= 120000; ms += 5000) {
		market_book(&m, ms, last, "60100.0");
		market_trade(&m, ms, last, "0.100", true);
	}
	return market_import(&m);
}

/* Serves the script and starts hunter live on it, its run in out. */
static void start(const char *rec, const char *settings_path, struct served *s, char out[256],
                  struct live_proc *p)
{
	char accounts[256], args[1024];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	test_write_file(accounts, "[{\"api_key\":\"" LIVE_KEY "\",\"api_secret\":\"" LIVE_SECRET
	                          "\",\"balance_usdt\":\"10000\"}]\n");
	snprintf(args, sizeof args, "--port 0 --speed 6 --accounts %s %s", accounts, rec);
	serve_start(s, dir, args);
	snprintf(out, 256, "%s/run", dir);
	live_spawn(p, dir, s->port, settings_path, out, "", true);
}

/* Waits until `sql` counts at least `n` rows in the run database (60 s at
 * most), then for what follows them: protection, cancels. */
static void wait_rows(const char *out, const char *sql, int64_t n)
{
	char db[300];
	snprintf(db, sizeof db, "%s/run.db", out);
	int64_t end = test_now_ms() + 60000;
	while (test_now_ms() < end && (access(db, R_OK) || test_db_int(db, sql) < n))
		usleep(300000);
	cr_assert_geq(test_db_int(db, sql), n, "never %lld: %s", (long long)n, sql);
	usleep(1500000);
}

/* Runs hunter live on the served script until `sql` counts at least one
 * row in its run database, then stops it. */
static void run_until(const char *rec, const char *settings_path, const char *sql,
                      struct served *s, char out[256])
{
	struct live_proc p;
	start(rec, settings_path, s, out, &p);
	wait_rows(out, sql, 1);
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
}

Test(live_market, partial_fill_is_protected, .timeout = 120)
{
	static const char *const flat[] = {"59950.0"};
	struct served s;
	char out[256], db[300];
	run_until(script("0.010", flat, 1, "59950.0", "1000"), settings("\"stop_loss_pct\": 2"),
	          "SELECT count(*) FROM orders WHERE role = 'entry' AND state = 'canceled'", &s,
	          out);
	snprintf(db, sizeof db, "%s/run.db", out);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='entry'"), 1);
	cr_assert_eq(test_db_int(db, "SELECT qty_e8 FROM fills WHERE role='entry'"), 1000000,
	             "the entry did not fill 0.010 of its 0.033");
	cJSON *orders;
	live_orders(s.port, &orders);
	live_no_duplicate(orders);
	live_protected(s.port, orders);
	live_protected_in_time(db, 10000);
	cJSON *pos = live_ask(s.port, "/fapi/v2/positionRisk", "symbol=BTCUSDT");
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(pos, 0), "positionAmt"), "0.01");
	cJSON_Delete(pos);
	cJSON_Delete(orders);
	serve_stop(&s);
}

Test(live_market, own_position_liquidated, .timeout = 120)
{
	static const char *const crash[] = {"59500.0", "59000.0", "58500.0", "58000.0",
	                                    "57500.0", "57000.0", "56500.0", "56000.0",
	                                    "55500.0", "55200.0"};
	struct served s;
	char out[256], db[300];
	run_until(script("1.000", crash, 10, "55200.0", "1000"),
	          settings("\"stop_loss_enabled\": false"),
	          "SELECT count(*) FROM fills WHERE role='liquidation'", &s, out);
	snprintf(db, sizeof db, "%s/run.db", out);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE code = -2022"), 0,
	             "orders were sent for a tranche that no longer exists");
	cJSON *orders, *o;
	live_orders(s.port, &orders);
	live_no_duplicate(orders);
	cJSON_ArrayForEach(o, orders)
		cr_assert(!is_open_status(json_str(o, "status")), "%s left open after the liquidation",
		          json_str(o, "clientOrderId"));
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM tranches WHERE action='close'"), 1);
	cJSON_Delete(orders);
	serve_stop(&s);
}

Test(live_market, close_all_splits_a_position_above_the_maximum, .timeout = 150)
{
	static const char *const flat[] = {"59950.0"};
	struct served s;
	char out[256], closing[256];
	const char *with_sl = settings("\"stop_loss_pct\": 2");
	run_until(script("1.000", flat, 1, "59950.0", "0.007"), with_sl,
	          "SELECT count(*) >= 5 FROM orders WHERE role = 'sl' AND state = 'accepted'", &s,
	          out);
	cJSON *pos = live_ask(s.port, "/fapi/v2/positionRisk", "symbol=BTCUSDT");
	cr_assert_str_eq(json_str(cJSON_GetArrayItem(pos, 0), "positionAmt"), "0.033");
	cJSON_Delete(pos);

	struct live_proc p;
	snprintf(closing, sizeof closing, "%s/close", dir);
	live_spawn(&p, dir, s.port, with_sl, closing, "--close-all", true);
	cr_assert_eq(live_end(&p, 0), 0, "%s", test_read_file(p.err, NULL));
	cr_assert(!file_holds(p.err, "refused"), "an order was refused while closing: %s",
	          test_read_file(p.err, NULL));

	pos = live_ask(s.port, "/fapi/v2/positionRisk", "symbol=BTCUSDT");
	cr_assert_eq(cJSON_GetArraySize(pos), 0, "a position is left: %s",
	             cJSON_PrintUnformatted(pos));
	cJSON_Delete(pos);
	cJSON *orders, *o;
	live_orders(s.port, &orders);
	live_no_duplicate(orders);
	int full = 0, rest = 0; /* closing orders of 0.007, of 0.005 */
	cJSON_ArrayForEach(o, orders) {
		cr_assert(!is_open_status(json_str(o, "status")), "%s left open",
		          json_str(o, "clientOrderId"));
		if (engine_id_role(json_str(o, "clientOrderId")) != ROLE_CLOSE)
			continue; /* the engine closes its tranche */
		cr_assert_str_eq(json_str(o, "type"), "MARKET");
		cr_assert_str_eq(json_str(o, "status"), "FILLED");
		full += !strcmp(json_str(o, "origQty"), "0.007");
		rest += !strcmp(json_str(o, "origQty"), "0.005");
	}
	cr_assert(full == 4 && rest == 1, "0.033 closed in %d MARKET orders of 0.007 and %d of"
	          " 0.005, not 4 and 1", full, rest);
	cJSON_Delete(orders);
	serve_stop(&s);
}

/* The event that moves the clock past an entry's time to live fires the
 * next entry: on Aster the expired one's cancel waits until the new order
 * is on the socket (live/guard.c), and must still reach the exchange. */
Test(live_market, an_entry_expiring_as_the_next_fires_is_cancelled, .timeout = 120)
{
	struct market m;
	market_open_rules(&m, dir, "TRADING", "1000", "1000");
	market_cascade(&m); /* the first entry at 2 s, its 30 s TTL ends at 32 s */
	for (int64_t ms = 32500; ms <= 33500; ms += 500)
		market_liquidation(&m, ms, "SELL", "60000.0", "0.050");
	market_book(&m, 60000, "60000.0", "60000.1");
	struct served s;
	struct live_proc p;
	char out[256], db[300];
	start(market_import(&m), settings("\"stop_loss_pct\": 2"), &s, out, &p);
	wait_rows(out, "SELECT count(*) FROM orders WHERE role='entry' AND state='placed'", 2);
	snprintf(db, sizeof db, "%s/run.db", out);
	char *ids = test_db_rows(db, "SELECT client_id FROM orders WHERE role='entry' AND "
	                             "state='placed' ORDER BY id");
	char first[64] = "", second[64] = "";
	cr_assert_eq(sscanf(ids, "%63[^|]|\n%63[^|]|", first, second), 2, "two entries: %s", ids);
	cJSON *orders, *o;
	live_orders(s.port, &orders); /* while hunter live still runs */
	live_no_duplicate(orders);
	int seen = 0;
	cJSON_ArrayForEach(o, orders) {
		const char *cid = json_str(o, "clientOrderId"), *st = json_str(o, "status");
		if (!strcmp(cid, first) && ++seen)
			cr_assert_str_eq(st, "CANCELED", "the expired entry %s", cid);
		if (!strcmp(cid, second) && ++seen)
			cr_assert_str_eq(st, "NEW", "the new entry %s", cid);
	}
	cr_assert_eq(seen, 2, "both entries on the account: %s", ids);
	cr_assert_eq(live_end(&p, SIGTERM), 130, "%s", test_read_file(p.err, NULL));
	free(ids);
	cJSON_Delete(orders);
	serve_stop(&s);
}
