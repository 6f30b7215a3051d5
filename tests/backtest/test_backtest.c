/*
 * Tests of the backtest as a whole: a small scripted market (a long
 * liquidation cascade, a dip that fills the entry, a recovery that reaches
 * the take-profit) written with the recording writer, replayed through the
 * real engine and simulated exchange. Checks determinism (same hash, same
 * tables), the summary against the database, and every kind of bad input.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "backtest.h"
#include "recording.h"

#define T0 1700000000000LL
#define TICK 10000000LL /* 0.1 */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char dir[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/hunter-bt-XXXXXX");
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(backtest, .init = setup, .fini = teardown);

/* A path in the test's folder; a ring of buffers, enough for one test. */
static char *path_in(const char *name)
{
	static char buf[32][256];
	static int k;
	char *p = buf[k++ % 32];
	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static const char settings_json[] =
	"{\"globals\": {\"volume_window_sec\": 60, \"hedge_mode\": true,"
	" \"order_ttl_seconds\": 30, \"max_total_exposure_usdt\": 1000},"
	" \"symbols\": {"
	"  \"BTCUSDT\": {\"volume_threshold_long\": 10000, \"volume_threshold_short\": 10000,"
	"   \"leverage\": 10, \"trade_value_usdt\": 100, \"price_offset_pct\": 0.1,"
	"   \"max_position_usdt\": 500, \"take_profit_enabled\": true, \"take_profit_pct\": 0.5,"
	"   \"stop_loss_enabled\": true, \"stop_loss_pct\": 2},"
	"  \"SOLUSDT\": {\"volume_threshold\": 5000, \"leverage\": 5, \"trade_value_usdt\": 50}}}\n";

/* ---- the scripted market ------------------------------------------------ */

static struct symbol_rules btc_rules(void)
{
	struct symbol_rules r = {.symbol = "BTCUSDT", .trading = true, .tick = TICK,
	                         .min_price = DEC(1), .max_price = DEC(1000000),
	                         .step = 100000, .min_qty = 100000, .max_qty = DEC(1000),
	                         .market_step = 100000, .market_min_qty = 100000,
	                         .market_max_qty = DEC(120), .min_notional = DEC(5),
	                         .max_orders = 200, .max_algo_orders = 10,
	                         .percent_up = 102000000, .percent_down = 98000000,
	                         .maint_margin_pct = 250000000, .required_margin_pct = 500000000,
	                         .price_precision = 1, .qty_precision = 3};
	return r;
}

/* Mid price in ticks at `ms` after T0: flat, a dip, a recovery, flat. */
static int64_t mid_ticks(int64_t ms)
{
	const int64_t a = 600000, low = 597000, high = 604000;
	if (ms < 20000)
		return a;
	if (ms < 30000)
		return a + (low - a) * (ms - 20000) / 10000;
	if (ms < 60000)
		return low + (high - low) * (ms - 30000) / 30000;
	return high;
}

static void put(rec_writer *w, ev_t *ev, const char *symbol, int64_t ms)
{
	snprintf(ev->symbol, sizeof ev->symbol, "%s", symbol);
	ev->exch_ms = T0 + ms;
	ev->recv_ns = (T0 + ms + 5) * 1000000;
	cr_assert_eq(rec_writer_write(w, ev), 0, "write event type %d", ev->type);
}

static void put_book(rec_writer *w, const char *symbol, int64_t ms, int64_t mid)
{
	ev_t ev = {.type = EV_BOOK_TICKER};
	ev.u.book = (struct ev_book_ticker){ms, T0 + ms, (mid - 1) * TICK, DEC(2), (mid + 1) * TICK,
	                                    DEC(2)};
	put(w, &ev, symbol, ms);
}

/* A trade 50 ms after the book update, alternately at the bid and the ask,
 * and on whole seconds a mark price. */
static void put_trade(rec_writer *w, const char *symbol, int64_t ms, int64_t mid)
{
	bool sell = (ms / 100) % 2 == 0;
	ev_t ev = {.type = EV_AGG_TRADE};
	ev.u.trade = (struct ev_trade){ms, ms, ms, (sell ? mid - 1 : mid + 1) * TICK, 50000000,
	                               T0 + ms + 50, sell};
	put(w, &ev, symbol, ms + 50);
	if (ms % 1000 == 0) {
		ev = (ev_t){.type = EV_MARK_PRICE};
		ev.u.mark = (struct ev_mark_price){mid * TICK, mid * TICK, mid * TICK, 10000,
		                                   T0 + 8 * 3600000LL};
		put(w, &ev, symbol, ms + 50);
	}
}

static void put_liquidation(rec_writer *w, int64_t ms, side_t side, dec_t qty)
{
	ev_t ev = {.type = EV_LIQUIDATION};
	dec_t price = mid_ticks(ms) * TICK;
	ev.u.liq = (struct ev_liquidation){side, OT_LIMIT, TIF_IOC, OS_FILLED, qty, price, price,
	                                   qty, qty, T0 + ms};
	put(w, &ev, "BTCUSDT", ms);
}

static void write_script(const char *path, bool with_info, bool with_liquidations)
{
	const char *symbols[] = {"BTCUSDT", "ETHUSDT"};
	struct rec_header h = {.source = "test", .command = "test_backtest", .nsymbols = 2,
	                       .symbols = symbols};
	char err[REC_ERR_MAX];
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	cr_assert(w, "%s", err);
	if (with_info) {
		struct symbol_rules r = btc_rules();
		ev_t ev = {.type = EV_EXCHANGE_INFO};
		ev.u.info = (struct ev_exchange_info){T0, 1, &r};
		put(w, &ev, "", 0);
	}
	for (int64_t ms = 0; ms < 300000; ms += 100) {
		bool eth = ms % 1000 == 0; /* a symbol outside the settings, once a second */
		put_book(w, "BTCUSDT", ms, mid_ticks(ms));
		if (eth)
			put_book(w, "ETHUSDT", ms, 30000);
		if (with_liquidations && ms >= 18000 && ms <= 20000 && ms % 1000 == 0)
			put_liquidation(w, ms, SIDE_SELL, 10000000); /* 0.1 BTC, ~6000 USDT */
		if (with_liquidations && ms == 45000)
			put_liquidation(w, ms, SIDE_BUY, 1000000);
		put_trade(w, "BTCUSDT", ms, mid_ticks(ms));
		if (eth)
			put_trade(w, "ETHUSDT", ms, 30000);
	}
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
}

/* ---- running it --------------------------------------------------------- */

struct outcome {
	int rc;
	struct backtest_summary s;
	char *diag;
	size_t diag_len;
};

static struct outcome *run(const char *settings, const char *out, const char *info,
                           const char **recs, size_t n)
{
	struct outcome *o = calloc(1, sizeof *o);
	FILE *d = open_memstream(&o->diag, &o->diag_len);
	struct backtest_opts opts = {.settings_path = settings, .exchange_info_path = info,
	                             .out_dir = out, .recordings = recs, .nrecordings = n,
	                             .diag = d};
	o->rc = backtest_run(&opts, &o->s);
	fclose(d);
	return o;
}

static struct outcome *run_default(const char *rec, const char *out)
{
	const char *settings = path_in("settings.json");
	write_text(settings, settings_json);
	const char *recs[] = {rec};
	return run(settings, out, NULL, recs, 1);
}

static void free_outcome(struct outcome *o)
{
	free(o->diag);
	free(o);
}

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Every table but run_clock, the one place wall-clock stamps live. */
static const char *const tables[] = {"run", "recordings", "signals", "orders", "fills",
                                     "tranches", "notes", "positions", "funding", "equity",
                                     "round_trips"};

static void assert_same_tables(const char *a, const char *b)
{
	sqlite3 *db;
	char sql[4400];
	cr_assert_eq(sqlite3_open_v2(a, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "ATTACH '%s' AS other", b);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		const char *t = tables[i];
		snprintf(sql, sizeof sql,
		         "SELECT (SELECT count(*) FROM main.%s) - (SELECT count(*) FROM other.%s)"
		         " + (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM other.%s))",
		         t, t, t, t);
		cr_assert_eq(count(db, sql), 0, "table %s differs between the two runs", t);
	}
	sqlite3_close(db);
}

Test(backtest, same_inputs_same_database_and_hash, .timeout = 60)
{
	const char *rec = path_in("script.hrec");
	write_script(rec, true, true);
	struct outcome *a = run_default(rec, path_in("a"));
	cr_assert_eq(a->rc, BT_OK, "%.*s", (int)a->diag_len, a->diag);
	struct outcome *b = run_default(rec, path_in("b"));
	cr_assert_eq(b->rc, BT_OK, "%.*s", (int)b->diag_len, b->diag);

	/* The script is built to trade: an entry and its take-profit. */
	cr_assert_geq(a->s.t.fills, 2, "no trades: %.*s", (int)a->diag_len, a->diag);
	cr_assert_geq(a->s.t.signals_fired, 1);
	cr_assert_str_neq(a->s.t.trade_log_sha256, EMPTY_SHA256);
	cr_assert_str_eq(a->s.t.trade_log_sha256, b->s.t.trade_log_sha256);
	assert_same_tables(a->s.db_path, b->s.db_path);
	free_outcome(a);
	free_outcome(b);
}

Test(backtest, summary_matches_the_database, .timeout = 60)
{
	const char *rec = path_in("script.hrec");
	write_script(rec, true, true);
	struct outcome *o = run_default(rec, path_in("out"));
	cr_assert_eq(o->rc, BT_OK, "%.*s", (int)o->diag_len, o->diag);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(o->s.db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(o->s.events, (uint64_t)count(db, "SELECT events FROM run"));
	cr_assert_eq(o->s.out_of_order, 0);
	cr_assert_eq(o->s.events, (uint64_t)count(db, "SELECT sum(events) FROM recordings"));
	cr_assert_eq(o->s.t.fills, (uint64_t)count(db, "SELECT count(*) FROM fills"));
	cr_assert_eq(o->s.t.fees, count(db, "SELECT sum(fee_e8) FROM fills"));
	cr_assert_eq(o->s.t.first_ms, T0);
	cr_assert_eq(count(db, "SELECT count(*) FROM equity WHERE reason = 'minute'"), 5);
	cr_assert_eq(count(db, "SELECT length(sha256) FROM recordings"), 64);
	cr_assert_eq(count(db, "SELECT count(*) FROM fills WHERE symbol <> 'BTCUSDT'"), 0,
	             "a symbol outside the settings was traded");
	/* The equity curve ends where the account ends: start + net + unrealized. */
	cr_assert_eq(o->s.t.end_equity, o->s.t.start_equity + o->s.t.net_pnl + o->s.t.unrealized);
	sqlite3_close(db);
	cr_assert(strstr(o->diag, "SOLUSDT"), "no warning for the absent symbol: %s", o->diag);

	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	cr_assert_eq(backtest_print_json(f, &o->s), 0);
	fclose(f);
	cr_assert(strstr(json, "\"trade_log_sha256\":"), "%s", json);
	cr_assert(strstr(json, "\"timing\":"), "%s", json);
	free(json);
	free_outcome(o);
}

Test(backtest, rules_from_an_exchange_info_file, .timeout = 60)
{
	const char *rec = path_in("noinfo.hrec");
	write_script(rec, false, true);
	const char *settings = path_in("settings.json");
	write_text(settings, settings_json);
	const char *recs[] = {rec};
	struct outcome *o = run(settings, path_in("out"), NULL, recs, 1);
	cr_assert_eq(o->rc, BT_EDATA);
	cr_assert(strstr(o->diag, "no trading rules for BTCUSDT"), "%s", o->diag);
	cr_assert(strstr(o->diag, "--exchange-info"), "%s", o->diag);
	cr_assert(access(path_in("out/run.db"), F_OK) != 0, "a failed run left its database");
	free_outcome(o);

	test_need_real_data();
	o = run(settings, path_in("out"),
	        HUNTER_REAL_DATA "/asterdex__api-demo-node/exchangeInfo-response.json", recs, 1);
	cr_assert_eq(o->rc, BT_OK, "%.*s", (int)o->diag_len, o->diag);
	cr_assert_geq(o->s.t.fills, 1);
	free_outcome(o);
}

Test(backtest, bad_exchange_info_files, .timeout = 60)
{
	const char *rec = path_in("noinfo.hrec");
	write_script(rec, false, true);
	const char *settings = path_in("settings.json");
	write_text(settings, settings_json);
	const char *recs[] = {rec};
	const char *bodies[] = {"not json at all", "{\"code\": -1121, \"msg\": \"Invalid symbol.\"}",
	                        "[]"};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		const char *info = path_in("info.json");
		write_text(info, bodies[i]);
		struct outcome *o = run(settings, path_in("out"), info, recs, 1);
		cr_assert_eq(o->rc, BT_EDATA, "accepted %s", bodies[i]);
		cr_assert(strstr(o->diag, "info.json"), "%s", o->diag);
		free_outcome(o);
	}
}

Test(backtest, no_liquidations_is_a_data_error, .timeout = 60)
{
	const char *rec = path_in("quiet.hrec");
	write_script(rec, true, false);
	struct outcome *o = run_default(rec, path_in("out"));
	cr_assert_eq(o->rc, BT_EDATA);
	cr_assert(strstr(o->diag, "no liquidation events"), "%s", o->diag);
	free_outcome(o);
}

Test(backtest, missing_and_corrupt_recordings, .timeout = 60)
{
	struct outcome *o = run_default(path_in("absent.hrec"), path_in("out"));
	cr_assert_eq(o->rc, BT_EDATA);
	cr_assert(strstr(o->diag, "absent.hrec"), "%s", o->diag);
	free_outcome(o);

	const char *rec = path_in("bad.hrec");
	write_script(rec, true, true);
	FILE *f = fopen(rec, "r+b");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, size / 2, SEEK_SET);
	int c = fgetc(f);
	fseek(f, size / 2, SEEK_SET);
	fputc(c ^ 0x5a, f);
	fclose(f);
	o = run_default(rec, path_in("out"));
	cr_assert_eq(o->rc, BT_EDATA);
	cr_assert(strstr(o->diag, "bad.hrec"), "%s", o->diag);
	cr_assert(access(path_in("out/run.db"), F_OK) != 0, "a failed run left its database");
	free_outcome(o);
}

Test(backtest, settings_errors_are_usage_errors_listed_in_full)
{
	const char *settings = path_in("bad.json");
	write_text(settings, "{\"globals\": {\"volume_window_sec\": \"x\", \"bogus\": 1},"
	                     " \"symbols\": {\"BTCUSDT\": {\"leverage\": 500}}}");
	const char *recs[] = {path_in("never-opened.hrec")};
	struct outcome *o = run(settings, path_in("out"), NULL, recs, 1);
	cr_assert_eq(o->rc, BT_EUSAGE);
	cr_assert(strstr(o->diag, "volume_window_sec"), "%s", o->diag);
	cr_assert(strstr(o->diag, "bogus"), "%s", o->diag);
	cr_assert(strstr(o->diag, "leverage"), "%s", o->diag);
	free_outcome(o);
}

Test(backtest, default_folder_names_settings_and_recording)
{
	char buf[256];
	backtest_default_dir("fixtures/settings/demo.json", "fixtures/liq-2025-01-27.hrec.gz", buf,
	                     sizeof buf);
	cr_assert_str_eq(buf, "runs/demo-liq-2025-01-27");
}

Test(backtest, bundled_fixture_twice_is_identical, .timeout = 120)
{
	const char *settings = HUNTER_SOURCE_DIR "/fixtures/settings/demo.json";
	const char *recs[] = {HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"};
	cr_assert_eq(access(recs[0], R_OK), 0, "fixture missing: %s", recs[0]);
	struct outcome *a = run(settings, path_in("a"), NULL, recs, 1);
	struct outcome *b = run(settings, path_in("b"), NULL, recs, 1);
	cr_assert_eq(a->rc, BT_OK, "%.*s", (int)a->diag_len, a->diag);
	cr_assert_eq(b->rc, BT_OK, "%.*s", (int)b->diag_len, b->diag);
	cr_assert_gt(a->s.t.fills, 0, "the demo settings trade nothing on the fixture");
	cr_assert_str_eq(a->s.t.trade_log_sha256, b->s.t.trade_log_sha256);
	assert_same_tables(a->s.db_path, b->s.db_path);

	/* Round trips are computed from fill prices, the exchange's realized PnL
	 * separately: once every trip is closed they must agree to the unit. */
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(a->s.db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(count(db, "SELECT count(*) FROM round_trips WHERE close_ms IS NULL"), 0);
	cr_assert_eq(count(db, "SELECT sum(gross_e8) FROM round_trips"),
	             count(db, "SELECT sum(realized_pnl_e8) FROM fills"));
	cr_assert_eq(count(db, "SELECT sum(fees_e8) FROM round_trips"),
	             count(db, "SELECT sum(fee_e8) FROM fills"));
	sqlite3_close(db);
	free_outcome(a);
	free_outcome(b);
}

Test(backtest, seed_option_is_recorded, .timeout = 60)
{
	const char *rec = path_in("script.hrec");
	write_script(rec, true, true);
	const char *settings = path_in("settings.json");
	write_text(settings, settings_json);
	const char *recs[] = {rec};
	struct backtest_opts opts = {.settings_path = settings, .out_dir = path_in("out"),
	                             .recordings = recs, .nrecordings = 1, .has_seed = true,
	                             .seed = 18446744073709551615ULL, .diag = stderr};
	struct backtest_summary *s = malloc(sizeof *s);
	cr_assert_eq(backtest_run(&opts, s), BT_OK);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(s->db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(count(db, "SELECT seed = '18446744073709551615' FROM run"), 1);
	/* the model line holds the seed's digits exactly, not a rounded double */
	cr_assert_eq(count(db, "SELECT instr(model_json, '\"seed\": 18446744073709551615')"
	                       " > 0 FROM run"), 1);
	cr_assert_eq(count(db, "SELECT instr(settings_json, '\"seed\": 18446744073709551615')"
	                       " > 0 FROM run"), 1);
	sqlite3_close(db);
	free(s);
}
