/*
 * Reports of run databases built by hand through the journal's own writer,
 * so that every figure is known in advance: a drawdown whose deepest point
 * lies between two minute samples, Sharpe and Sortino that must ignore the
 * samples taken between minutes, a book ticker that stops while trades go
 * on, and the facts of schema version 2 (interrupted runs, the arrival
 * delay, how fills were priced) shown when present and not required when
 * absent.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "core.h"
#include "journal.h"
#include "report.h"

#define USDT(x) ((dec_t)(x) * DEC_SCALE)
#define MIN_MS 60000LL

static char dir[] = HUNTER_BINARY_DIR "/built-runs-XXXXXX";
static char db_path[600], html_path[600];
static journal_t *J;

static void setup(void)
{
	test_dir_make(dir);
	snprintf(db_path, sizeof db_path, "%s/run.db", dir);
	snprintf(html_path, sizeof html_path, "%s/report/index.html", dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(built_runs, .init = setup, .fini = teardown, .timeout = 120);

static void create(int64_t liq_arrival_delay_ms)
{
	static const char settings[] = "{\"globals\": {}, \"symbols\": {}}";
	struct journal_run run = {"backtest", settings, strlen(settings), "{}", 7, true,
	                          liq_arrival_delay_ms, false};
	char err[256] = "";
	J = journal_create(db_path, &run, err, sizeof err);
	cr_assert(J, "journal_create: %s", err);
}

static void equity(int64_t ms, journal_eq_reason_t why, dec_t wallet, dec_t unrealized)
{
	struct journal_equity eq = {wallet, unrealized, 0, 0, unrealized != 0};
	journal_equity(J, ms, why, &eq);
}

static void finish(int64_t first_ms, int64_t last_ms, bool interrupted)
{
	struct journal_end end = {first_ms, last_ms, 1, "", 0.1, interrupted};
	cr_assert_eq(journal_finish(J, &end), 0, "%s", journal_error(J));
	journal_close(J);
	J = NULL;
}

/* Writes the report (tables only: the charts are not what these tests
 * look at) and returns its page. */
static char *report(void)
{
	char rdir[700], err[512];
	snprintf(rdir, sizeof rdir, "%s/report", dir);
	struct report_opts o = {.gnuplot = "no-such-gnuplot-program"};
	struct report_result res;
	cr_assert_eq(report_write(db_path, rdir, &o, &res, err, sizeof err), 0, "%s", err);
	return test_read_file(html_path, NULL);
}

/* The data-value and the text shown of the figure `key`. */
static void figure(const char *html, const char *key, char *value, char *shown, size_t cap)
{
	char needle[80];
	snprintf(needle, sizeof needle, "data-key=\"%s\" data-value=\"", key);
	const char *p = strstr(html, needle);
	cr_assert(p, "no figure %s", key);
	p += strlen(needle);
	const char *end = strchr(p, '"');
	snprintf(value, cap, "%.*s", (int)(end - p), p);
	const char *s = strchr(end, '>') + 1, *e = strstr(s, "</div>");
	snprintf(shown, cap, "%.*s", (int)(e - s), s);
}

static double figure_value(const char *html, const char *key)
{
	char value[256], shown[256];
	figure(html, key, value, shown, sizeof value);
	cr_assert(value[0], "figure %s has no value: %s", key, shown);
	return strtod(value, NULL);
}

static void expect_in(const char *html, const char *what)
{
	cr_assert(strstr(html, what), "the page lacks '%s'", what);
}

static int64_t db_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- drawdown and ratios ------------------------------------------------- */

/* 25 minutes. The minute samples alone fall 10 USDT from their peak of
 * 1010; the price samples between them show the real dip, to 950, and the
 * account is under water from the peak at 1 min until 3 min. */
static void dip_between_minutes(void)
{
	create(0);
	equity(0, EQ_START, USDT(1000), 0);
	equity(MIN_MS, EQ_MINUTE, USDT(1000), USDT(10));
	equity(MIN_MS + 1000, EQ_PRICE, USDT(1000), USDT(5));
	equity(MIN_MS + 2000, EQ_PRICE, USDT(1000), USDT(-50));
	equity(MIN_MS + 3000, EQ_PRICE, USDT(1000), USDT(-10));
	equity(MIN_MS + 4000, EQ_FILL, USDT(990), 0);
	equity(2 * MIN_MS, EQ_MINUTE, USDT(1000), 0);
	equity(3 * MIN_MS, EQ_MINUTE, USDT(1020), 0);
	equity(25 * MIN_MS, EQ_END, USDT(1020), 0);
	finish(0, 25 * MIN_MS, false);
}

Test(built_runs, drawdown_counts_the_dip_between_minute_samples)
{
	dip_between_minutes();
	struct journal_totals t;
	char err[512];
	cr_assert_eq(journal_totals_read(db_path, &t, err, sizeof err), 0, "%s", err);
	cr_assert_eq(t.max_drawdown, USDT(60), "totals: %lld", (long long)t.max_drawdown);
	cr_assert_float_eq(t.max_drawdown_frac, 60.0 / 1010.0, 1e-12);

	char *html = report();
	cr_assert_eq(figure_value(html, "max_drawdown"), (double)USDT(60));
	cr_assert_float_eq(figure_value(html, "max_drawdown_pct"), 60.0 / 1010.0, 1e-9);
	cr_assert_eq(figure_value(html, "max_drawdown_duration"), (double)(2 * MIN_MS));
	free(html);
}

Test(built_runs, no_annualised_ratio_from_under_a_day)
{
	dip_between_minutes();
	char *html = report();
	char value[256], shown[256];
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "sortino" : "sharpe";
		figure(html, key, value, shown, sizeof value);
		cr_assert_str_empty(value, "%s has a value from 25 minutes: %s", key, value);
		cr_assert(strstr(shown, "n/a") && strstr(shown, "needs at least 1 day of 1-minute"
		                                                 " returns; this run has 25 min"),
		          "%s: %s", key, shown);
	}
	free(html);
}

/* Two days of minute samples, each followed half a minute later by a price
 * sample far below: the ratios are those of the minute samples alone,
 * computed here the textbook way. */
Test(built_runs, ratios_take_the_minute_samples_only)
{
	enum { MINUTES = 2 * 1440 };
	create(0);
	equity(0, EQ_START, USDT(1000), 0);
	double prev = 1000, sum = 0, sumsq = 0, downsq = 0;
	dec_t peak = USDT(1000), drawdown = 0;
	for (int k = 1; k <= MINUTES; k++) {
		dec_t wallet = USDT(1000) + (dec_t)((k * 7919) % 201 - 100) * 1000000;
		equity(k * MIN_MS, EQ_MINUTE, wallet, 0);
		equity(k * MIN_MS + 30000, EQ_PRICE, wallet, USDT(-400));
		peak = wallet > peak ? wallet : peak;
		drawdown = peak - (wallet - USDT(400)) > drawdown ? peak - (wallet - USDT(400)) : drawdown;
		double e = dec_to_double(wallet), r = (e - prev) / prev;
		/* the first minute sample gives the starting value */
		if (k > 1) {
			sum += r;
			sumsq += r * r;
			downsq += r < 0 ? r * r : 0;
		}
		prev = e;
	}
	equity(MINUTES * MIN_MS + 45000, EQ_END, USDT(1000), 0);
	finish(0, MINUTES * MIN_MS + 45000, false);

	double n = MINUTES - 1, mean = sum / n;
	double sd = sqrt((sumsq - n * mean * mean) / (n - 1)), down = sqrt(downsq / n);
	double year = sqrt(525960.0);
	char *html = report();
	double sharpe = figure_value(html, "sharpe"), sortino = figure_value(html, "sortino");
	cr_assert(fabs(sharpe - mean / sd * year) < 1e-6 * fabs(sharpe), "sharpe %.9g, want %.9g",
	          sharpe, mean / sd * year);
	cr_assert(fabs(sortino - mean / down * year) < 1e-6 * fabs(sortino),
	          "sortino %.9g, want %.9g", sortino, mean / down * year);
	/* while the drawdown sees every sample */
	cr_assert_eq(figure_value(html, "max_drawdown"), (double)drawdown);
	free(html);
}

/* ---- stream silences ------------------------------------------------------ */

static void market(ev_type_t type, int64_t ms)
{
	ev_t ev = {.type = type, .exch_ms = ms};
	snprintf(ev.symbol, sizeof ev.symbol, "BTCUSDT");
	if (type == EV_BOOK_TICKER) {
		ev.u.book.bid = USDT(100000);
		ev.u.book.ask = USDT(100001);
	} else {
		ev.u.trade.price = USDT(100000);
	}
	journal_market(J, &ev);
}

/* Trades every second for 400 s; the book ticker every second until 100 s,
 * quiet for 90 s, back from 190 s to 200 s, then never again. */
Test(built_runs, a_book_that_stops_while_trades_go_on_is_a_silence)
{
	create(0);
	equity(0, EQ_START, USDT(1000), 0);
	for (int64_t s = 0; s <= 400; s++) {
		if (s <= 100 || (s >= 190 && s <= 200))
			market(EV_BOOK_TICKER, s * 1000);
		market(EV_AGG_TRADE, s * 1000 + 500);
	}
	equity(400500, EQ_END, USDT(1000), 0);
	finish(0, 400500, false);

	cr_assert_eq(db_int("SELECT count(*) FROM market_silences"), 2);
	cr_assert_eq(db_int("SELECT count(*) FROM market_silences WHERE stream = 'book_ticker'"
	                    " AND from_ms = 100000 AND to_ms = 190000 AND stopped = 0"), 1);
	cr_assert_eq(db_int("SELECT count(*) FROM market_silences WHERE stream = 'book_ticker'"
	                    " AND from_ms = 200000 AND to_ms = 400500 AND stopped = 1"), 1);
	cr_assert_eq(db_int("SELECT longest_silence_ms FROM market_streams"
	                    " WHERE stream = 'book_ticker'"), 200500);
	cr_assert_eq(db_int("SELECT longest_silence_ms FROM market_streams"
	                    " WHERE stream = 'agg_trade'"), 1000);
	/* a per-symbol hole it is not: the trades kept the symbol alive */
	cr_assert_eq(db_int("SELECT count(*) FROM market_gaps"), 0);

	char *html = report();
	expect_in(html, "Streams silent for more than 60 s");
	expect_in(html, "<td>book_ticker</td><td>1970-01-01 00:03:20.000</td>"
	                "<td>1970-01-01 00:06:40.500</td><td class=\"n\">3 min 20 s</td>"
	                "<td>stopped before the end</td>");
	expect_in(html, "<td>book_ticker</td><td>1970-01-01 00:01:40.000</td>"
	                "<td>1970-01-01 00:03:10.000</td><td class=\"n\">1 min 30 s</td><td></td>");
	free(html);
}

/* ---- facts of schema version 2, and databases without them --------------- */

static void interrupted_run_with_fill_modes(void)
{
	create(250);
	equity(0, EQ_START, USDT(1000), 0);
	struct journal_symbol_fills f = {"BTCUSDT", USDT(1), USDT(1) / 2, USDT(1) / 2,
	                                 USDT(1) / 5, 3, 1, 0};
	journal_symbol_fills(J, &f);
	market(EV_AGG_TRADE, 500);
	equity(1000, EQ_END, USDT(1000), 0);
	finish(0, 1000, true);
}

Test(built_runs, interrupted_runs_arrival_delay_and_fill_modes_are_named)
{
	interrupted_run_with_fill_modes();
	char *html = report();
	const char *note = strstr(html, "data-key=\"interrupted\" data-value=\"1\"");
	cr_assert(note, "no word of the interruption");
	cr_assert(note < strstr(html, "<h1>"), "the interruption is not said first");
	expect_in(html, "trade time + 250 ms");
	expect_in(html, "<td>BTCUSDT</td><td class=\"n\">1</td><td class=\"n\">0.5</td>"
	                "<td class=\"n\">0.5</td><td class=\"n\">0.2</td><td>10.0 %</td>"
	                "<td class=\"n\">3</td><td class=\"n\">1</td>");
	free(html);
}

Test(built_runs, a_version_1_database_reports_without_them)
{
	interrupted_run_with_fill_modes();
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "ALTER TABLE run DROP COLUMN interrupted;"
	                              " ALTER TABLE run DROP COLUMN liq_arrival_delay_ms;"
	                              " ALTER TABLE market_streams DROP COLUMN longest_silence_ms;"
	                              " DROP TABLE symbol_fills; PRAGMA user_version = 1",
	                          NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	char *html = report();
	cr_assert_null(strstr(html, "data-key=\"interrupted\""));
	cr_assert_null(strstr(html, "trade time +"));
	expect_in(html, "Events per stream and symbol");
	free(html);
}
