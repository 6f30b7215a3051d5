/*
 * Unit tests of the report module's parts: the statistics (drawdown,
 * Sharpe/Sortino, per-trip figures), escaping for HTML and gnuplot, the
 * formats of times and durations, and report_write's handling of files
 * that are not run databases. Whole reports of real runs are tested in
 * tests/cli_report.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"
#include "report_int.h"

static struct equity_point pt(int64_t ms, double equity)
{
	return (struct equity_point){ms, (int64_t)llround(equity * 1e8)};
}

Test(stats, drawdown_is_exact_and_times_the_longest_dip)
{
	struct equity_point p[] = {
		pt(0, 100), pt(1000, 110), pt(2000, 99.5), pt(3000, 104), pt(4000, 111),
		pt(5000, 108), pt(9000, 109),
	};
	struct drawdown dd;
	rp_stats_drawdown(p, 7, &dd);
	cr_assert_eq(dd.max_amount, DEC(105) / 10); /* 110 -> 99.5 */
	cr_assert_float_eq(dd.max_frac, 10.5 / 110, 1e-12);
	cr_assert_eq(dd.peak_ms, 1000);
	cr_assert_eq(dd.trough_ms, 2000);
	/* under water from 4000 (peak 111) to the end at 9000 */
	cr_assert_eq(dd.max_duration_ms, 5000);
}

Test(stats, drawdown_of_a_rising_curve_is_zero)
{
	struct equity_point p[] = {pt(0, 1), pt(10, 2), pt(20, 3)};
	struct drawdown dd;
	rp_stats_drawdown(p, 3, &dd);
	cr_assert_eq(dd.max_amount, 0);
	cr_assert_eq(dd.max_duration_ms, 0);
	rp_stats_drawdown(NULL, 0, &dd);
	cr_assert_eq(dd.max_amount, 0);
}

Test(stats, ratios_of_known_returns)
{
	/* returns +10 %, -5 %, +10 % per period of 1 minute */
	struct equity_point p[] = {pt(0, 100), pt(60000, 110), pt(120000, 104.5), pt(180000, 114.95)};
	struct ratios ra;
	cr_assert(rp_stats_ratios(p, 4, 60000, &ra));
	cr_assert_eq(ra.periods, 3);
	double mean = 0.05, sd = sqrt((0.0025 + 0.01 + 0.0025) / 2.0);
	double year = sqrt(365.25 * 24 * 60);
	cr_assert_float_eq(ra.sharpe, mean / sd * year, 1e-6 * year);
	cr_assert_float_eq(ra.sortino, mean / sqrt(0.0025 / 3) * year, 1e-6 * year);
	cr_assert_not(rp_stats_ratios(p, 1, 60000, &ra), "one sample has no return");
}

Test(stats, trips_win_rate_expectancy_profit_factor)
{
	double net[] = {3, -1, 2, 0, -1};
	struct trip_stats ts;
	rp_stats_trips(net, 5, &ts);
	cr_assert_eq(ts.wins, 2);
	cr_assert_float_eq(ts.win_rate, 0.4, 1e-12);
	cr_assert_float_eq(ts.expectancy, 0.6, 1e-12);
	cr_assert_float_eq(ts.profit_factor, 2.5, 1e-12);
	cr_assert_float_eq(ts.avg_loss, -1, 1e-12);
	double all_won[] = {1, 2};
	rp_stats_trips(all_won, 2, &ts);
	cr_assert(isinf(ts.profit_factor));
	rp_stats_trips(NULL, 0, &ts);
	cr_assert_eq(ts.n, 0);
	cr_assert_eq(ts.win_rate, 0);
}

Test(window, sum_in_the_half_open_window_as_steps)
{
	/* window (t - 60 s, t]: the first liquidation leaves exactly when the
	 * third arrives, so that moment is one step */
	struct liq v[] = {
		{0, DEC(5), true}, {30000, DEC(3), true}, {60000, DEC(2), true}, {200000, DEC(1), true},
	};
	struct liq out[8];
	size_t n = rp_liq_window(v, 4, 60000, out);
	int64_t want[][2] = {
		{0, 5}, {30000, 8}, {60000, 5}, {90000, 2}, {120000, 0}, {200000, 1}, {260000, 0},
	};
	cr_assert_eq(n, 7);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(out[i].ms, want[i][0], "step %zu at %lld", i, (long long)out[i].ms);
		cr_assert_eq(out[i].size, DEC(want[i][1]), "step %zu", i);
	}
	cr_assert_eq(rp_liq_window(v, 0, 60000, out), 0);
}

/* Runs `write` into a memory stream and returns what it wrote. */
static char *captured(void (*write)(FILE *, const char *), const char *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	write(f, arg);
	fclose(f);
	return buf;
}

Test(escape, html_escapes_markup_and_control_characters)
{
	char *s = captured(rp_html_escape, "<b a=\"1\">Tom's & \x01 co</b>\n");
	cr_assert_str_eq(s, "&lt;b a=&quot;1&quot;&gt;Tom&#39;s &amp; &#xFFFD; co&lt;/b&gt;\n");
	free(s);
	s = captured(rp_html_escape, NULL);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(escape, gnuplot_strings_cannot_be_ended_early)
{
	char *s = captured(rp_gp_quote, "it's\n'; system 'rm -rf /");
	cr_assert_str_eq(s, "'it''s''; system ''rm -rf /'");
	free(s);
}

Test(fmt, times_and_durations)
{
	char b[FMT_MAX];
	cr_assert_str_eq(rp_fmt_time(b, 1737996900306), "2025-01-27 16:55:00.306");
	cr_assert_str_eq(rp_fmt_time(b, -1), "1969-12-31 23:59:59.999");
	cr_assert_str_eq(rp_fmt_dur(b, 850), "850 ms");
	cr_assert_str_eq(rp_fmt_dur(b, 12400), "12.4 s");
	cr_assert_str_eq(rp_fmt_dur(b, 185000), "3 min 05 s");
	cr_assert_str_eq(rp_fmt_dur(b, 7620000), "2 h 07 min");
	cr_assert_str_eq(rp_fmt_dur(b, 273600000), "3 d 4 h");
	cr_assert_str_eq(rp_fmt_dur(b, -1500), "-1.5 s");
	cr_assert_str_eq(rp_fmt_e8(b, -310000), "-0.0031");
}

/* ---- report_write on files that are not run databases ------------------ */

static char dir[] = HUNTER_BINARY_DIR "/test-report-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

static const char *path(const char *name)
{
	static char p[2][sizeof dir + 32];
	static int k;
	k ^= 1;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void expect_error(const char *db, const char *message)
{
	char err[512];
	struct report_result res;
	cr_assert_eq(report_write(db, path("out"), NULL, &res, err, sizeof err), -1);
	cr_assert(strstr(err, message), "'%s' lacks '%s'", err, message);
	cr_assert_neq(access(path("out/index.html"), F_OK), 0, "a page was written");
}

static void make_db(const char *name, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path(name), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

TestSuite(report_write, .init = make_dir, .fini = remove_dir);

Test(report_write, foreign_files_are_refused_with_a_reason)
{
	expect_error(path("absent.db"), "absent.db: unable to open");
	FILE *f = fopen(path("text.db"), "w");
	fputs("SQLite format 2? no: this is a text file of some length, not a database\n", f);
	fclose(f);
	expect_error(path("text.db"), "text.db: not a run database: file is not a database");
	make_db("other.db", "CREATE TABLE t (x)");
	expect_error(path("other.db"), "other.db: not a hunter run database (it has no run table)");
	make_db("v4.db", "CREATE TABLE run (id); CREATE TABLE recordings (x); CREATE TABLE signals (x);"
	                 " CREATE TABLE orders (x); CREATE TABLE fills (x); CREATE TABLE tranches (x);"
	                 " CREATE TABLE notes (x); CREATE TABLE funding (x); CREATE TABLE equity (x);"
	                 " CREATE TABLE round_trips (x); PRAGMA user_version = 4;");
	expect_error(path("v4.db"), "schema version 4; this hunter reads 1 to 3");
}
