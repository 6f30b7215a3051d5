/*
 * The report's event study checked against an independent computation:
 * backtests of the bundled fixtures, then each trigger of the signals table
 * priced from the recording itself (read with the replay module, not from
 * the run database's market_prices), following the rule of docs/report.md:
 * p(t) is the last mid, trade and mark seen before the start of t's second,
 * and a move uses the mid when both ends know the book, else the last
 * trade, else the mark. Every average, count and n on the page must match
 * to the printed precision. Edge cases: a trigger too close to the end for
 * the later horizons, a bucket with no trigger, and triggers with no price.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support.h"
#include "core.h"
#include "replay.h"

#define FIXTURES HUNTER_SOURCE_DIR "/fixtures"

#define NHORIZONS 4
#define NBUCKETS 5

static const int64_t horizon_ms[NHORIZONS] = {1000, 5000, 30000, 300000};
static const char *const horizon_key[NHORIZONS] = {"1s", "5s", "30s", "5min"};
static const char *const bucket_key[NBUCKETS] = {"lt10k", "10k_100k", "100k_1m", "ge1m", "all"};

static char dir[] = HUNTER_BINARY_DIR "/event-study-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

TestSuite(event_study, .init = make_dir, .fini = remove_dir, .timeout = 300);

/* Runs hunter with `args` in the test folder, its output in log.txt there. */
static void hunter(const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >log.txt 2>&1", dir, HUNTER_BIN, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "hunter %s failed", args);
}

/* ---- prices from the recording ------------------------------------------ */

/* One price-bearing event, as the replay gave it. */
struct tick {
	char symbol[SYMBOL_MAX];
	int64_t ms;
	ev_type_t type;
	dec_t a, b; /* trade or mark price in a; bid and ask in a and b */
};

struct tape {
	struct tick *t;
	size_t n;
	int64_t last_ms; /* of the last event of any kind */
};

static void tape_push(struct tape *tp, size_t *cap, const ev_t *ev, dec_t a, dec_t b)
{
	if (tp->n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		tp->t = realloc(tp->t, *cap * sizeof *tp->t);
		cr_assert_not_null(tp->t);
	}
	struct tick *k = &tp->t[tp->n++];
	snprintf(k->symbol, sizeof k->symbol, "%s", ev->symbol);
	k->ms = ev->exch_ms;
	k->type = ev->type;
	k->a = a;
	k->b = b;
}

static void read_tape(const char *path, struct tape *tp)
{
	char err[512];
	const char *paths[] = {path};
	replay *rp = replay_open(paths, 1, err);
	cr_assert_not_null(rp, "%s", err);
	memset(tp, 0, sizeof *tp);
	size_t cap = 0;
	ev_t ev;
	int rc;
	while ((rc = replay_next(rp, &ev)) == 1) {
		if (ev.exch_ms > tp->last_ms)
			tp->last_ms = ev.exch_ms;
		if (ev.type == EV_TRADE || ev.type == EV_AGG_TRADE)
			tape_push(tp, &cap, &ev, ev.u.trade.price, 0);
		else if (ev.type == EV_BOOK_TICKER)
			tape_push(tp, &cap, &ev, ev.u.book.bid, ev.u.book.ask);
		else if (ev.type == EV_MARK_PRICE)
			tape_push(tp, &cap, &ev, ev.u.mark.mark, 0);
	}
	cr_assert_eq(rc, 0, "%s", err);
	/* "the last values seen up to the end of a second" is only one thing
	 * when time never goes back */
	cr_assert_eq(replay_out_of_order(rp), 0, "%s steps back in time", path);
	replay_close(rp);
}

struct price {
	dec_t bid, ask, last, mark;
};

/* p(t), found the slow, obvious way: every event of the symbol before the
 * start of t's second, in order. False when none had come yet. */
static bool price_at(const struct tape *tp, const char *symbol, int64_t t, struct price *p)
{
	int64_t end = t / 1000 * 1000;
	bool any = false;
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < tp->n && tp->t[i].ms < end; i++) {
		const struct tick *k = &tp->t[i];
		if (strcmp(k->symbol, symbol))
			continue;
		any = true;
		if (k->type == EV_BOOK_TICKER) {
			p->bid = k->a;
			p->ask = k->b;
		} else if (k->type == EV_MARK_PRICE) {
			p->mark = k->a;
		} else {
			p->last = k->a;
		}
	}
	return any;
}

/* The fractional move from a to b with the best price both know. */
static bool move(const struct price *a, const struct price *b, double *out)
{
	double from, to;
	if (a->bid && a->ask && b->bid && b->ask) {
		from = ((double)a->bid + (double)a->ask) / 2;
		to = ((double)b->bid + (double)b->ask) / 2;
	} else if (a->last && b->last) {
		from = (double)a->last;
		to = (double)b->last;
	} else if (a->mark && b->mark) {
		from = (double)a->mark;
		to = (double)b->mark;
	} else {
		return false;
	}
	*out = to / from - 1;
	return true;
}

/* ---- the study, computed here --------------------------------------------- */

struct expected {
	size_t triggers[NBUCKETS];
	size_t n[NBUCKETS][NHORIZONS];
	double sum[NBUCKETS][NHORIZONS];
};

static int bucket_of(int64_t volume_e8)
{
	/* strict below the next edge, as "10k to 100k" holds 10k but not 100k */
	if (volume_e8 < DEC(10000))
		return 0;
	if (volume_e8 < DEC(100000))
		return 1;
	return volume_e8 < DEC(1000000) ? 2 : 3;
}

static void add_trigger(struct expected *e, const struct tape *tp, sqlite3_stmt *sig)
{
	int64_t ms = sqlite3_column_int64(sig, 0);
	const char *symbol = (const char *)sqlite3_column_text(sig, 1);
	const char *liq_side = (const char *)sqlite3_column_text(sig, 2);
	cr_assert(!strcmp(liq_side, "BUY") || !strcmp(liq_side, "SELL"), "liq_side %s", liq_side);
	/* a fade buys after long liquidations (SELL orders) */
	double sign = !strcmp(liq_side, "SELL") ? 1 : -1;
	int bs[2] = {bucket_of(sqlite3_column_int64(sig, 3)), NBUCKETS - 1};
	struct price p0, ph;
	bool priced = price_at(tp, symbol, ms, &p0);
	for (int k = 0; k < 2; k++)
		e->triggers[bs[k]]++;
	for (int h = 0; h < NHORIZONS && priced; h++) {
		double m;
		if (ms + horizon_ms[h] > tp->last_ms || !price_at(tp, symbol, ms + horizon_ms[h], &ph) ||
		    !move(&p0, &ph, &m))
			continue;
		for (int k = 0; k < 2; k++) {
			e->n[bs[k]][h]++;
			e->sum[bs[k]][h] += sign * m;
		}
	}
}

static void expect_study(const char *db_path, const struct tape *tp, struct expected *e)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *sig;
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT ms, symbol, liq_side, window_volume_e8 FROM"
	                                    " signals ORDER BY id", -1, &sig, NULL), SQLITE_OK);
	memset(e, 0, sizeof *e);
	while (sqlite3_step(sig) == SQLITE_ROW)
		add_trigger(e, tp, sig);
	sqlite3_finalize(sig);
	sqlite3_close(db);
}

/* ---- the page ------------------------------------------------------------- */

/* A cell of the study table: its data-value, data-n and text. */
struct cell {
	char value[64], n[32], shown[96];
};

/* Attribute `name` of the tag holding `tag`, "" when it has none. */
static void attr(const char *tag, const char *name, char *out, size_t cap)
{
	char needle[48];
	snprintf(needle, sizeof needle, " %s=\"", name);
	const char *end = strchr(tag, '>');
	const char *p = strstr(tag, needle);
	out[0] = 0;
	if (!p || p > end)
		return;
	p += strlen(needle);
	size_t len = strcspn(p, "\"");
	cr_assert_lt(len, cap, "attribute %s too long", name);
	memcpy(out, p, len);
	out[len] = 0;
}

/* The cell marked data-key="KEY"; false when the page has no such cell. */
static bool find_cell(const char *html, const char *key, struct cell *c)
{
	char needle[64];
	snprintf(needle, sizeof needle, "data-key=\"%s\"", key);
	const char *p = strstr(html, needle);
	if (!p)
		return false;
	cr_assert_null(strstr(p + 1, needle), "%s is on the page twice", key);
	attr(p, "data-value", c->value, sizeof c->value);
	attr(p, "data-n", c->n, sizeof c->n);
	const char *text = strchr(p, '>') + 1;
	size_t len = (size_t)(strstr(text, "</td>") - text);
	cr_assert_lt(len, sizeof c->shown, "%s: cell too long", key);
	memcpy(c->shown, text, len);
	c->shown[len] = 0;
	return true;
}

static void expect_average(const char *html, const struct expected *e, int b, int h)
{
	char key[48];
	snprintf(key, sizeof key, "study_%s_%s", bucket_key[b], horizon_key[h]);
	struct cell c;
	cr_assert(find_cell(html, key, &c), "the page has no %s", key);
	size_t n = e->n[b][h];
	cr_assert_eq(strtoull(c.n, NULL, 10), n, "%s: n %s, recomputed %zu", key, c.n, n);
	if (!n) {
		cr_assert_str_eq(c.shown, "n/a", "%s", key);
		return;
	}
	double avg = e->sum[b][h] / (double)n;
	double shown_avg = strtod(c.value, NULL);
	cr_assert_leq(fabs(shown_avg - avg), 1e-12 + 1e-9 * fabs(avg), "%s: page %s, recomputed %.17g",
	              key, c.value, avg);
	/* the text is the value at the printed precision (formatting the
	 * page's value, so a last-bit difference at a rounding edge cannot
	 * fail the test) */
	char want[96];
	int len = snprintf(want, sizeof want, "%+.3f %% (%+.1f bps)", 100 * shown_avg,
	                   10000 * shown_avg);
	if (n < e->triggers[b])
		snprintf(want + len, sizeof want - (size_t)len, " n=%zu", n);
	cr_assert_str_eq(c.shown, want, "%s", key);
}

/* Every bucket with a trigger has its row, with the same figures as `e`;
 * a bucket without one has none. */
static void expect_page(const char *report_dir, const struct expected *e)
{
	char path[512];
	snprintf(path, sizeof path, "%s/index.html", report_dir);
	char *html = test_read_file(path, NULL);
	for (int b = 0; b < NBUCKETS; b++) {
		char key[48];
		snprintf(key, sizeof key, "study_%s_triggers", bucket_key[b]);
		struct cell c;
		if (!e->triggers[b]) {
			cr_assert(!find_cell(html, key, &c), "empty bucket %s has a row", bucket_key[b]);
			continue;
		}
		cr_assert(find_cell(html, key, &c), "the page has no %s", key);
		cr_assert_eq(strtoull(c.value, NULL, 10), e->triggers[b], "%s", key);
		for (int h = 0; h < NHORIZONS; h++)
			expect_average(html, e, b, h);
	}
	free(html);
}

/* Backtests `recording` with `settings` into folder `name`, reports it, and
 * checks the page against the recomputed study, which is left in `e`. */
static void study_of(const char *name, const char *settings, const char *recording,
                     struct tape *tp, struct expected *e)
{
	char args[1024], db[512], out[512];
	snprintf(args, sizeof args, "backtest --settings '%s' --out %s '%s'", settings, name,
	         recording);
	hunter(args);
	snprintf(db, sizeof db, "%s/%s/run.db", dir, name);
	snprintf(out, sizeof out, "%s/%s/report", dir, name);
	snprintf(args, sizeof args, "report '%s'", db);
	hunter(args);
	read_tape(recording, tp);
	expect_study(db, tp, e);
	cr_assert_gt(e->triggers[NBUCKETS - 1], 0, "no trigger in %s: nothing is checked", name);
	expect_page(out, e);
}

Test(event_study, liquidation_fixture_matches_an_independent_computation)
{
	struct tape tp;
	struct expected e;
	study_of("liq", FIXTURES "/settings/demo.json", FIXTURES "/liq-2025-01-27.hrec.gz", &tp, &e);
	/* every trigger of this day is priced at every horizon */
	for (int h = 0; h < NHORIZONS; h++)
		cr_assert_eq(e.n[NBUCKETS - 1][h], e.triggers[NBUCKETS - 1]);
	cr_assert_eq(e.triggers[3], 0, "the empty-bucket case needs a bucket with no trigger");
	free(tp.t);
}

Test(event_study, synthetic_fixture_matches_and_shows_n_near_the_end)
{
	struct tape tp;
	struct expected e;
	study_of("synth", FIXTURES "/settings/synth.json", FIXTURES "/synth.hrec.gz", &tp, &e);
	/* triggers in the last 5 minutes have no +5 min price: n is shown */
	size_t all = e.triggers[NBUCKETS - 1];
	cr_assert_eq(e.n[NBUCKETS - 1][0], all);
	cr_assert_lt(e.n[NBUCKETS - 1][3], all, "no trigger near the end: the case is not tested");
	free(tp.t);
}

/* ---- triggers with no price ------------------------------------------------ */

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err);
}

/* A copy of the synthetic run with triggers added: one of a symbol never
 * traded, one before its symbol's first price, one exactly 1 s before the
 * end of the data, and one in the otherwise empty bucket of 1M and above.
 * The last two sit exactly on a bucket edge, which belongs to the bucket
 * above. */
static void add_odd_triggers(const char *db_path, const struct tape *tp)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "INSERT INTO signals (ms, symbol, liq_side, window_volume_e8, threshold_e8, side,"
	         " pos_side, fired, reason, client_id, price_e8, qty_e8) VALUES"
	         " (%lld, 'NOPRICEUSDT', 'SELL', %lld, 0, 'BUY', 'LONG', 0, 'test', '', 0, 0),"
	         " (%lld, 'BTCUSDT', 'BUY', %lld, 0, 'SELL', 'SHORT', 0, 'test', '', 0, 0),"
	         " (%lld, 'ETHUSDT', 'SELL', %lld, 0, 'BUY', 'LONG', 0, 'test', '', 0, 0),"
	         " (%lld, 'BTCUSDT', 'SELL', %lld, 0, 'BUY', 'LONG', 0, 'test', '', 0, 0)",
	         (long long)tp->t[tp->n / 2].ms, (long long)DEC(5000), (long long)(tp->t[0].ms - 60000),
	         (long long)DEC(100000), (long long)(tp->last_ms - 1000), (long long)DEC(500),
	         (long long)(tp->t[0].ms + 60000), (long long)DEC(1000000));
	sql_exec(db, sql);
	sqlite3_close(db);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = test_read_file(from, &len);
	FILE *f = fopen(to, "wb");
	cr_assert_not_null(f, "cannot create %s", to);
	cr_assert_eq(fwrite(data, 1, len, f), len, "cannot write %s", to);
	cr_assert_eq(fclose(f), 0, "cannot write %s", to);
	free(data);
}

Test(event_study, triggers_without_a_price_count_but_do_not_average)
{
	struct tape tp;
	struct expected before, e;
	study_of("synth", FIXTURES "/settings/synth.json", FIXTURES "/synth.hrec.gz", &tp, &before);
	char from[512], to[512];
	snprintf(from, sizeof from, "%s/synth/run.db", dir);
	snprintf(to, sizeof to, "%s/odd.db", dir);
	copy_file(from, to);
	add_odd_triggers(to, &tp);
	char args[600];
	snprintf(args, sizeof args, "report '%s' --out odd", to);
	hunter(args);
	expect_study(to, &tp, &e);
	snprintf(to, sizeof to, "%s/odd", dir);
	expect_page(to, &e);
	/* four more triggers: the one 1 s before the end is priced at +1 s
	 * only, the two without a price at no horizon, the 1M one at all */
	size_t all = NBUCKETS - 1;
	cr_assert_eq(e.triggers[all], before.triggers[all] + 4);
	cr_assert_eq(e.triggers[3], 1);
	for (int h = 0; h < NHORIZONS; h++)
		cr_assert_eq(e.n[all][h], before.n[all][h] + 1 + (h == 0), "horizon %s", horizon_key[h]);
	free(tp.t);
}
