/*
 * The kill switch (engine/risk.c) on scripted markets. A day's loss: a long
 * stopped out for more than daily_loss_limit_usdt, then a second cascade the
 * same UTC day is skipped as daily_loss_limit, and a third after UTC
 * midnight fires again. Free margin: with a floor above what the account
 * could keep free, the first entry is already skipped as min_free_margin.
 * The stop and take-profit are never stopped, and the books square.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db.h"
#include "support.h"
#include "market.h"

TEST_SCRATCH_SUITE(kill_switch, dir, "hunter-killswitch");

/* T0 is 2023-11-14T22:13:20Z: UTC midnight is 6,400 s later. */
#define MIDNIGHT_MS 6400000LL

static void cascade_at(struct market *m, int64_t at)
{
	market_book(m, at, "60000.0", "60000.1");
	market_trade(m, at, "60000.0", "0.010", true);
	for (int64_t ms = 1000; ms <= 3000; ms += 1000)
		market_liquidation(m, at + ms, "SELL", "60000.0", "0.050");
}

/* The entry (a bid at 59940.0) fills at +5 s; the price then falls 2 %
 * on trades alone, through its 1 % stop. */
static void cascade_and_stop(struct market *m, int64_t at)
{
	cascade_at(m, at);
	market_trade(m, at + 5000, "59900.0", "1.000", true);
	market_trade(m, at + 8000, "59000.0", "0.500", true);
	market_trade(m, at + 9000, "58800.0", "0.500", true);
}

static const char *three_days_of_losses(struct market *m)
{
	market_open(m, dir);
	cascade_and_stop(m, 0);
	cascade_and_stop(m, 120000);          /* same UTC day: skipped */
	cascade_and_stop(m, MIDNIGHT_MS + 1000); /* the next day: fires */
	return market_import(m);
}

static const char *limited(const char *globals_extra)
{
	static char buf[1200];
	const char *base = market_settings("\"leverage\": 10, \"take_profit_pct\": 5,"
	                                   " \"stop_loss_pct\": 1");
	/* market_settings' globals object opens the text: add keys to it */
	snprintf(buf, sizeof buf, "{\"globals\": {%s, %s", globals_extra,
	         base + strlen("{\"globals\": {"));
	return buf;
}

static int64_t signals(const char *db, const char *reason)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE reason = '%s'", reason);
	return test_db_int(db, sql);
}

static void books_square(const struct backtest_summary *s)
{
	cr_assert_eq(s->t.net_pnl + s->t.unrealized, s->t.end_equity - s->t.start_equity,
	             "net %lld + unrealized %lld != equity change %lld", (long long)s->t.net_pnl,
	             (long long)s->t.unrealized, (long long)(s->t.end_equity - s->t.start_equity));
}

/* Backtests the three cascades with `key` added to the globals; returns the
 * run database, after checking that the books square. */
static const char *run_with(const char *key, struct backtest_summary *s)
{
	struct market m;
	market_backtest(&m, limited(key), three_days_of_losses(&m), s);
	books_square(s);
	return s->db_path;
}

Test(kill_switch, a_days_loss_stops_entries_until_utc_midnight)
{
	struct backtest_summary s;
	const char *db = run_with("\"daily_loss_limit_usdt\": 5", &s);
	cr_assert_eq(signals(db, "fired"), 2, "the first cascade and the next day's fire");
	cr_assert_eq(signals(db, "daily_loss_limit"), 1, "the second cascade is skipped");
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='sl'"), 2,
	             "every stop fired: closing is never stopped");
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT min(ms) FROM signals WHERE reason='fired' AND ms > %lld",
	         T0 + 120000);
	cr_assert_gt(test_db_int(db, sql), T0 + MIDNIGHT_MS, "no entry before midnight");
}

Test(kill_switch, without_a_limit_every_cascade_fires)
{
	struct backtest_summary s;
	const char *db = run_with("\"daily_loss_limit_usdt\": 0", &s);
	cr_assert_eq(signals(db, "fired"), 3);
	cr_assert_eq(signals(db, "daily_loss_limit"), 0);
}

Test(kill_switch, free_margin_floor_skips_the_entry)
{
	struct backtest_summary s;
	/* the simulated account starts with 10000 USDT; the entry needs 100 */
	const char *db = run_with("\"min_free_margin_usdt\": 9950", &s);
	cr_assert_eq(signals(db, "min_free_margin"), 3);
	cr_assert_eq(signals(db, "fired"), 0);
	db = run_with("\"min_free_margin_usdt\": 9850", &s);
	cr_assert_eq(signals(db, "fired"), 3, "9900 stays free after a 100 USDT entry");
}
