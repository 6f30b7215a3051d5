/*
 * Tests of `hunter report` as a user runs it: backtests of the bundled
 * fixtures, then the report of each run, checked for well-formed markup,
 * valid SVG charts, and figures equal to the run database's (read both with
 * SQL and through the journal's own totals). Also: no gnuplot, hostile text
 * in the data, CSV exports, and bad command lines.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "core.h"
#include "journal.h"
#include "replay.h"

#define FIXTURES HUNTER_SOURCE_DIR "/fixtures"
#define SETTINGS FIXTURES "/settings/demo.json"

static char dir[] = HUNTER_BINARY_DIR "/cli-report-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

TestSuite(cli_report, .init = make_dir, .fini = remove_dir, .timeout = 300);


static const char *in_dir(const char *name)
{
	static char p[4][400];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

/* Runs `ENV hunter ARGS` in the test folder; stdout and stderr go to files
 * out.txt and err.txt there. Returns the exit code. */
static int hunter(const char *env, const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s' %s >out.txt 2>err.txt", dir, env, HUNTER_BIN,
	         args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "hunter %s did not exit normally", args);
	return WEXITSTATUS(st);
}

static void expect_in(const char *file, const char *what)
{
	char *text = test_read_file(in_dir(file), NULL);
	cr_assert(strstr(text, what), "%s lacks '%s':\n%.2000s", file, what, text);
	free(text);
}

/* ---- a small XML checker ------------------------------------------------ */

struct xml {
	const char *p;
	char root[24];
	char stack[64][24];
	int depth;
	char err[200];
};

static bool xml_fail(struct xml *x, const char *why, const char *at)
{
	snprintf(x->err, sizeof x->err, "%s near: %.60s", why, at);
	return false;
}

/* Skips <?...?>, <!--...-->, <!DOCTYPE ...> and <![CDATA[...]]>. */
static bool xml_skip_special(struct xml *x)
{
	static const char *const open[] = {"<?", "<!--", "<![CDATA[", "<!"};
	static const char *const close[] = {"?>", "-->", "]]>", ">"};
	for (int i = 0; i < 4; i++)
		if (!strncmp(x->p, open[i], strlen(open[i]))) {
			const char *end = strstr(x->p, close[i]);
			if (!end)
				return xml_fail(x, "unterminated", x->p);
			x->p = end + strlen(close[i]);
			return true;
		}
	return false;
}

static bool xml_name(struct xml *x, char *out, size_t cap)
{
	size_t n = 0;
	while (isalnum((unsigned char)*x->p) || strchr(":-_.", *x->p)) {
		if (n + 1 < cap)
			out[n++] = *x->p;
		x->p++;
	}
	out[n] = 0;
	return n > 0;
}

static bool xml_attrs(struct xml *x)
{
	for (;;) {
		while (isspace((unsigned char)*x->p))
			x->p++;
		if (*x->p == '>' || !strncmp(x->p, "/>", 2))
			return true;
		char name[64];
		if (!xml_name(x, name, sizeof name))
			return xml_fail(x, "bad attribute name", x->p);
		while (isspace((unsigned char)*x->p))
			x->p++;
		if (*x->p++ != '=')
			return xml_fail(x, "attribute without a value", x->p);
		while (isspace((unsigned char)*x->p))
			x->p++;
		char q = *x->p++;
		if (q != '"' && q != '\'')
			return xml_fail(x, "unquoted attribute", x->p);
		const char *end = strchr(x->p, q);
		if (!end || memchr(x->p, '<', (size_t)(end - x->p)))
			return xml_fail(x, "bad attribute value", x->p);
		x->p = end + 1;
	}
}

static bool xml_tag(struct xml *x)
{
	bool closing = x->p[1] == '/';
	x->p += closing ? 2 : 1;
	char name[24];
	if (!xml_name(x, name, sizeof name))
		return xml_fail(x, "bad tag name", x->p);
	if (closing) {
		if (!x->depth || strcmp(x->stack[x->depth - 1], name))
			return xml_fail(x, "closing tag does not match", x->p);
		x->depth--;
		while (isspace((unsigned char)*x->p))
			x->p++;
		return *x->p++ == '>' || xml_fail(x, "bad closing tag", x->p);
	}
	if (!x->root[0])
		snprintf(x->root, sizeof x->root, "%s", name);
	else if (!x->depth)
		return xml_fail(x, "a second root element", x->p);
	if (!xml_attrs(x))
		return false;
	if (*x->p == '/') {
		x->p += 2;
		return true;
	}
	x->p++;
	if (x->depth == 64)
		return xml_fail(x, "nested too deep", x->p);
	snprintf(x->stack[x->depth++], sizeof x->stack[0], "%s", name);
	return true;
}

static bool xml_entity(struct xml *x)
{
	const char *end = strchr(x->p, ';');
	if (!end || end - x->p > 10)
		return xml_fail(x, "bare &", x->p);
	x->p = end + 1;
	return true;
}

/* Well-formed: balanced tags, quoted attributes, no bare < or &. */
static bool xml_check(const char *text, struct xml *x)
{
	memset(x, 0, sizeof *x);
	x->p = text;
	while (*x->p) {
		if (*x->p == '<') {
			if (x->p[1] == '!' || x->p[1] == '?') {
				if (!xml_skip_special(x))
					return false;
			} else if (!xml_tag(x)) {
				return false;
			}
		} else if (*x->p == '&') {
			if (!xml_entity(x))
				return false;
		} else {
			x->p++;
		}
	}
	if (x->depth)
		return xml_fail(x, "unclosed tag", x->stack[x->depth - 1]);
	return x->root[0] || xml_fail(x, "no element", text);
}

static void expect_well_formed(const char *path, const char *root)
{
	char *text = test_read_file(path, NULL);
	struct xml x;
	cr_assert(xml_check(text, &x), "%s: %s", path, x.err);
	cr_assert_str_eq(x.root, root, "%s: root element", path);
	free(text);
}

Test(cli_report, the_checker_catches_bad_markup)
{
	static const char *const bad[] = {
		"<p><b></p></b>", "<p class=x></p>", "<p>a < b</p>", "<p>a & b</p>", "<p>",
		"<a></a><b></b>",
	};
	struct xml x;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_not(xml_check(bad[i], &x), "accepted %s", bad[i]);
	cr_assert(xml_check("<!DOCTYPE html><html><br/><p a=\"1\">&amp;</p></html>", &x), "%s",
	          x.err);
}

/* ---- the figures --------------------------------------------------------- */

/* data-value of data-key `key` in the page; false when absent. */
static bool figure(const char *html, const char *key, char *value, size_t cap, char *shown,
                   size_t shown_cap)
{
	char needle[80];
	snprintf(needle, sizeof needle, "data-key=\"%s\" data-value=\"", key);
	const char *p = strstr(html, needle);
	if (!p)
		return false;
	p += strlen(needle);
	const char *end = strchr(p, '"');
	snprintf(value, cap, "%.*s", (int)(end - p), p);
	const char *s = strchr(end, '>') + 1, *e = strchr(s, '<');
	snprintf(shown, shown_cap, "%.*s", (int)(e - s), s);
	return true;
}

/* An exact figure: its value is the _e8 integer (or a count) and its text
 * the exact decimal of it. */
static void expect_exact(const char *html, const char *key, int64_t want, bool decimal)
{
	char value[64], shown[64], text[DEC_FMT_MAX];
	cr_assert(figure(html, key, value, sizeof value, shown, sizeof shown), "no figure %s", key);
	cr_assert_eq(strtoll(value, NULL, 10), want, "%s: page %s, database %lld", key, value,
	             (long long)want);
	if (decimal) {
		dec_format(want, text);
		cr_assert_str_eq(shown, text, "%s shown as %s", key, shown);
	}
}

static void expect_ratio(const char *html, const char *key, double want)
{
	char value[64], shown[64];
	cr_assert(figure(html, key, value, sizeof value, shown, sizeof shown), "no figure %s", key);
	cr_assert(fabs(strtod(value, NULL) - want) < 1e-9, "%s: page %s, database %.12g", key, value,
	          want);
}

static int64_t sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Compares the page with the database two ways: the journal's totals
 * (journal/totals.c) and direct SQL. */
static void expect_figures(const char *db_path, const char *html)
{
	struct journal_totals t;
	char err[512];
	cr_assert_eq(journal_totals_read(db_path, &t, err, sizeof err), 0, "%s", err);
	expect_exact(html, "net_pnl", t.net_pnl, true);
	expect_exact(html, "gross_pnl", t.gross_pnl, true);
	expect_exact(html, "fees", t.fees, true);
	expect_exact(html, "funding", t.funding, true);
	expect_exact(html, "unrealized", t.unrealized, true);
	expect_exact(html, "start_equity", t.start_equity, true);
	expect_exact(html, "end_equity", t.end_equity, true);
	expect_exact(html, "max_drawdown", t.max_drawdown, true);
	expect_exact(html, "round_trips", (int64_t)t.round_trips, false);
	expect_exact(html, "wins", (int64_t)t.wins, false);
	expect_exact(html, "signals", (int64_t)t.signals, false);
	expect_exact(html, "signals_fired", (int64_t)t.signals_fired, false);
	expect_exact(html, "orders", (int64_t)t.orders, false);
	expect_exact(html, "fills", (int64_t)t.fills, false);
	expect_exact(html, "equity_change", t.end_equity - t.start_equity, true);
	cr_assert_eq(t.net_pnl + t.unrealized, t.end_equity - t.start_equity,
	             "net + unrealized is not the equity change");
	expect_ratio(html, "max_drawdown_pct", t.max_drawdown_frac);
	char value[64], shown[64];
	cr_assert(figure(html, "sharpe", value, sizeof value, shown, sizeof shown));
	if (t.last_ms - t.first_ms < 86400000)
		cr_assert(!value[0] && !strncmp(shown, "n/a", 3) && strstr(html, "needs at least 1 day"),
		          "an annualised Sharpe from %lld ms of returns: %s",
		          (long long)(t.last_ms - t.first_ms), shown);
	if (t.round_trips)
		expect_ratio(html, "win_rate", (double)t.wins / (double)t.round_trips);
	expect_ratio(html, "time_in_market",
	             (double)t.in_market_ms / (double)(t.last_ms - t.first_ms));

	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t peak = sql_int(db, "SELECT max(margin_used_e8) FROM equity");
	expect_exact(html, "peak_margin", peak, true);
	if (peak)
		expect_ratio(html, "return_on_margin", (double)t.net_pnl / (double)peak);
	expect_exact(html, "avg_holding", sql_int(db, "SELECT coalesce(avg(close_ms - open_ms), 0)"
	                                              " FROM round_trips WHERE close_ms NOT NULL"),
	             false);
	if (sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'market_liquidations'"))
		expect_exact(html, "liquidations", sql_int(db, "SELECT count(*) FROM market_liquidations"),
		             false);
	sqlite3_close(db);
}

/* Every <img src="..."> of the page is a file of the folder holding valid
 * SVG; returns how many there are. */
static int expect_charts(const char *report_dir, const char *html)
{
	int n = 0;
	for (const char *p = html; (p = strstr(p, "<img src=\"")); n++) {
		p += strlen("<img src=\"");
		const char *end = strchr(p, '"');
		char name[128], path[600];
		snprintf(name, sizeof name, "%.*s", (int)(end - p), p);
		cr_assert(!strchr(name, '/') && !strchr(name, ':'), "chart %s is not a local file", name);
		snprintf(path, sizeof path, "%s/%s", report_dir, name);
		cr_assert_eq(access(path, R_OK), 0, "chart %s is missing", name);
		expect_well_formed(path, "svg");
	}
	return n;
}

/* The page uses nothing from the network: no script, no remote file. */
static void expect_offline(const char *html)
{
	cr_assert_null(strstr(html, "<script"), "the page has a script");
	cr_assert_null(strstr(html, "src=\"http"), "the page loads a remote file");
	cr_assert_null(strstr(html, "href=\"http"), "the page links a remote file");
	cr_assert_null(strstr(html, "@import"), "the page imports a stylesheet");
}

static void backtest(const char *out, const char *recordings)
{
	char args[1024];
	snprintf(args, sizeof args, "backtest --settings '%s' --out %s %s", SETTINGS, out, recordings);
	cr_assert_eq(hunter("", args), 0, "backtest %s failed", recordings);
}

/* Reports run `name` (a backtest folder in the test folder) and checks the
 * page; returns the number of charts. */
static int check_report(const char *name, const char *env)
{
	char args[600], db[400], rdir[400], want[420];
	snprintf(db, sizeof db, "%s/%s/run.db", dir, name);
	snprintf(rdir, sizeof rdir, "%s/%s/report", dir, name);
	snprintf(args, sizeof args, "report %s/run.db --csv", name);
	cr_assert_eq(hunter(env, args), 0, "report of %s failed", name);
	snprintf(want, sizeof want, "%s/report/index.html\n", name);
	char *out = test_read_file(in_dir("out.txt"), NULL);
	cr_assert_str_eq(out, want, "report prints the path of its index.html");
	free(out);
	snprintf(want, sizeof want, "%s/index.html", rdir);
	expect_well_formed(want, "html");
	char *html = test_read_file(want, NULL);
	expect_offline(html);
	expect_figures(db, html);
	int charts = expect_charts(rdir, html);
	free(html);
	return charts;
}

Test(cli_report, report_of_the_liquidation_fixture)
{
	backtest("liq", FIXTURES "/liq-2025-01-27.hrec.gz");
	int charts = check_report("liq", "");
	cr_assert_geq(charts, 4, "equity, a price chart, tranches and PnL at least: %d", charts);
	expect_in("liq/report/index.html", "Event study");
	expect_in("liq/report/index.html", "at most one liquidation per symbol per second");
	expect_in("liq/report/index.html", "Round trips (");
}

/* The two book-and-trade captures hold no liquidation, so they run with
 * the liquidation fixture: every bundled fixture goes through a report. */
Test(cli_report, report_of_all_fixtures_together)
{
	backtest("all", FIXTURES "/liq-2025-01-27.hrec.gz " FIXTURES "/btcusdt-2024-08-08.hrec.gz "
	                FIXTURES "/ethusdt-2024-08-08.hrec.gz");
	check_report("all", "");
	expect_in("all/report/index.html", "btcusdt-2024-08-08.hrec.gz");
	expect_in("all/report/index.html", "ethusdt-2024-08-08.hrec.gz");
}

static size_t lines(const char *path)
{
	char *text = test_read_file(path, NULL);
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

Test(cli_report, csv_exports_have_every_row)
{
	backtest("csv", FIXTURES "/liq-2025-01-27.hrec.gz");
	cr_assert_eq(hunter("", "report csv/run.db --csv --out csv/r"), 0);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(in_dir("csv/run.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t trips = sql_int(db, "SELECT count(*) FROM round_trips");
	int64_t fills = sql_int(db, "SELECT count(*) FROM fills");
	sqlite3_close(db);
	cr_assert_eq(lines(in_dir("csv/r/round_trips.csv")), (size_t)trips + 1);
	cr_assert_eq(lines(in_dir("csv/r/fills.csv")), (size_t)fills + 1);
	expect_in("csv/r/round_trips.csv", "id,symbol,pos_side,direction,open_ms,open_utc,close_ms,");
	expect_in("csv/r/fills.csv", ",price,qty,fee,maker,realized_pnl,trade_id\n");
	cr_assert_eq(hunter("", "report csv/run.db --out csv/run.db/r"), 1);
	expect_in("err.txt", "csv/run.db/r: cannot create the folder");
}

Test(cli_report, without_gnuplot_tables_and_a_note)
{
	backtest("nognu", FIXTURES "/liq-2025-01-27.hrec.gz");
	int charts = check_report("nognu", "PATH=/nonexistent");
	cr_assert_eq(charts, 0);
	expect_in("nognu/report/index.html", "gnuplot is not installed");
	expect_in("nognu/report/index.html", "Round trips (");
	expect_in("nognu/report/index.html", "Per symbol and side");
	expect_in("err.txt", "gnuplot is not installed");
}

Test(cli_report, hostile_text_is_escaped)
{
	backtest("evil", FIXTURES "/liq-2025-01-27.hrec.gz");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(in_dir("evil/run.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "UPDATE signals SET symbol = '<script>alert(\"x&y\")</script>',"
	                              " reason = '\"><img src=x onerror=alert(1)>''' WHERE id = 1;"
	                              " UPDATE fills SET client_id = '</td></tr></table>' WHERE id = 1;"
	                              " UPDATE recordings SET path = 'a''b\"<c>&d';"
	                              " UPDATE tranches SET symbol = 'it''s'' ; quit # <a&b>' WHERE id = 1;",
	                          NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	int charts = check_report("evil", "");
	/* the tranche timeline labels its lanes with symbols: gnuplot must
	 * still draw it and the charts after it */
	cr_assert_geq(charts, 4, "the hostile symbol stopped the charts");
	cr_assert_eq(access(in_dir("evil/report/tranches.svg"), F_OK), 0);
	cr_assert_eq(access(in_dir("evil/report/pnl.svg"), F_OK), 0);
	expect_in("evil/report/index.html", "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;");
	expect_in("evil/report/index.html", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;");
	expect_in("evil/report/index.html", "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;");
	expect_in("evil/report/index.html", "a&#39;b&quot;&lt;c&gt;&amp;d");
}

Test(cli_report, refresh_adds_a_meta_refresh)
{
	backtest("live", FIXTURES "/liq-2025-01-27.hrec.gz");
	cr_assert_eq(hunter("", "report live/run.db --refresh 15 --out live/r"), 0);
	expect_in("live/r/index.html", "<meta http-equiv=\"refresh\" content=\"15\"/>");
	cr_assert_eq(hunter("env -u DISPLAY -u WAYLAND_DISPLAY", "report live/run.db --open --out live/r"), 0);
	expect_in("out.txt", "live/r/index.html");
	expect_in("err.txt", "no desktop session");
}

Test(cli_report, bad_command_lines_and_files)
{
	cr_assert_eq(hunter("", "report --help"), 0);
	expect_in("out.txt", "usage: hunter report RUN.db");
	cr_assert_eq(hunter("", "report"), 2);
	expect_in("err.txt", "no run database given");
	cr_assert_eq(hunter("", "report a.db b.db"), 2);
	cr_assert_eq(hunter("", "report x.db --refresh 0"), 2);
	expect_in("err.txt", "--refresh: expected whole seconds from 1 to 86400, got '0'");
	cr_assert_eq(hunter("", "report x.db --refresh 5s"), 2);
	cr_assert_eq(hunter("", "report --bogus x.db"), 2);

	cr_assert_eq(hunter("", "report missing.db --out r"), 1);
	expect_in("err.txt", "missing.db");
	FILE *f = fopen(in_dir("text.db"), "w");
	fputs("this is not a database, just text that is long enough to look like a header\n", f);
	fclose(f);
	cr_assert_eq(hunter("", "report text.db --out r"), 1);
	expect_in("err.txt", "text.db: not a run database");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(in_dir("other.db"), &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE run (id INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(hunter("", "report other.db --out r"), 1);
	expect_in("err.txt", "other.db: not a hunter run database (it has no recordings table)");
}

/* ---- the market context the report rests on ---------------------------- */

struct trade {
	char symbol[SYMBOL_MAX];
	int64_t ms;
	dec_t price;
};

struct replayed {
	struct trade *trades;
	size_t ntrades;
	uint64_t events, liquidations;
	dec_t notional; /* sum of liquidation sizes, strategy.md §2 */
};

static void read_recording(const char *path, struct replayed *out)
{
	char err[512];
	const char *paths[] = {path};
	replay *rp = replay_open(paths, 1, err);
	cr_assert(rp, "%s", err);
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	ev_t ev;
	while (replay_next(rp, &ev) == 1) {
		out->events++;
		if (ev.type == EV_LIQUIDATION) {
			const struct ev_liquidation *l = &ev.u.liq;
			dec_t size;
			bool filled = l->filled_qty > 0 && l->avg_price > 0;
			cr_assert_eq(dec_mul(filled ? l->filled_qty : l->qty, filled ? l->avg_price : l->price,
			                     &size), 0);
			out->notional += size;
			out->liquidations++;
		}
		if (ev.type != EV_AGG_TRADE && ev.type != EV_TRADE)
			continue;
		if (out->ntrades == cap) {
			cap = cap ? 2 * cap : 4096;
			out->trades = realloc(out->trades, cap * sizeof *out->trades);
			cr_assert(out->trades);
		}
		struct trade *t = &out->trades[out->ntrades++];
		snprintf(t->symbol, sizeof t->symbol, "%s", ev.symbol);
		t->ms = ev.exch_ms;
		t->price = ev.u.trade.price;
	}
	replay_close(rp);
}

/* The last trade of `symbol` before `before_ms`, found the slow, obvious way. */
static dec_t last_trade(const struct replayed *r, const char *symbol, int64_t before_ms)
{
	dec_t p = 0;
	for (size_t i = 0; i < r->ntrades; i++)
		if (r->trades[i].ms < before_ms && !strcmp(r->trades[i].symbol, symbol))
			p = r->trades[i].price;
	return p;
}

Test(cli_report, market_tables_hold_what_the_recording_held)
{
	backtest("mkt", FIXTURES "/liq-2025-01-27.hrec.gz");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(in_dir("mkt/run.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (!sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'market_prices'")) {
		sqlite3_close(db);
		remove_dir(); /* a skipped test does not get its .fini */
		cr_skip_test("this build's backtest does not call journal_market: no market tables");
	}
	struct replayed r;
	read_recording(FIXTURES "/liq-2025-01-27.hrec.gz", &r);
	cr_assert_eq(sql_int(db, "SELECT sum(events) FROM market_streams"), (int64_t)r.events);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM market_liquidations"), (int64_t)r.liquidations);
	cr_assert_eq(sql_int(db, "SELECT sum(notional_e8) FROM market_liquidations"), r.notional);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM market_prices WHERE ms % 1000 <> 0"), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM (SELECT 1 FROM market_prices"
	                         " GROUP BY symbol, ms HAVING count(*) > 1)"), 0);
	/* a sample holds the last trade up to the end of its second */
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT symbol, ms, last_e8 FROM market_prices"
	                                    " ORDER BY id", -1, &st, NULL), SQLITE_OK);
	size_t rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *symbol = (const char *)sqlite3_column_text(st, 0);
		int64_t ms = sqlite3_column_int64(st, 1);
		cr_assert_eq(sqlite3_column_int64(st, 2), last_trade(&r, symbol, ms + 1000),
		             "%s at %lld", symbol, (long long)ms);
		rows++;
	}
	sqlite3_finalize(st);
	cr_assert_gt(rows, 1000);
	free(r.trades);
	sqlite3_close(db);
}
