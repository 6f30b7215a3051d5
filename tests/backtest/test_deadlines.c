/*
 * Deadlines run at their own time, not at the next market event. A scripted
 * market goes quiet for a minute after an entry is placed with a 30 s TTL,
 * then trades through the entry's price: the entry must have been cancelled
 * at its TTL, before that trade, and the run database must say when the
 * engine sent each request and when the exchange acted on it.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db.h"
#include "support.h"
#include "market.h"

TEST_SCRATCH_SUITE(deadlines, dir, "hunter-deadline");

static const char *settings(void)
{
	return market_settings("\"volume_threshold_short\": 5000, \"leverage\": 10,"
	                       " \"take_profit_pct\": 0.5, \"stop_loss_pct\": 2");
}

/* Longs liquidated at 1-3 s; the entry (a bid 0.1 % under 60000) rests;
 * nothing happens until 60 s, when the price falls through it. */
static const char *quiet_minute(struct market *m)
{
	market_open(m, dir);
	market_cascade(m);
	market_book(m, 60000, "59900.0", "59900.1");
	market_trade(m, 60000, "59900.0", "1.000", true);
	market_trade(m, 70000, "59900.0", "0.010", true);
	return market_import(m);
}

Test(deadlines, a_ttl_fires_in_a_quiet_minute_before_the_next_trade)
{
	struct market m;
	struct backtest_summary s;
	market_backtest(&m, settings(), quiet_minute(&m), &s);
	const char *db = s.db_path;

	cr_assert_eq(s.t.signals_fired, 1, "the cascade must fire one entry");
	int64_t placed = test_db_int(db, "SELECT ms FROM orders WHERE role='entry' AND state='placed'");
	cr_assert_geq(placed, T0 + 2000);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills"), 0,
	             "the entry filled although its TTL had passed a minute before the trade");
	/* the engine sent the cancel at the TTL, and the exchange acted on it one
	 * cancel latency later: both long before the trade at 60 s */
	int64_t sent = test_db_int(db, "SELECT ms FROM orders WHERE role='entry' AND state='cancel_sent'");
	cr_assert_eq(sent, placed + 30000);
	int64_t acted = test_db_int(db, "SELECT exchange_ms FROM orders WHERE role='entry'"
	                          " AND state='canceled'");
	cr_assert_eq(acted, sent + 50, "cancel acted at %lld, sent at %lld", (long long)acted,
	             (long long)sent);
	cr_assert_lt(acted, T0 + 60000);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM orders WHERE state='placed'"
	                       " AND exchange_ms IS NOT NULL"), 0,
	             "a request the engine made has no exchange time");
}

/* The same market, but the trade comes within the TTL: the entry fills, and
 * the fill records when the exchange matched it. */
Test(deadlines, a_fill_records_when_the_exchange_matched_it)
{
	struct market m;
	market_open(&m, dir);
	market_cascade(&m);
	market_book(&m, 20000, "59900.0", "59900.1");
	market_trade(&m, 20000, "59900.0", "1.000", true);
	market_trade(&m, 70000, "59900.0", "0.010", true);
	struct backtest_summary s;
	market_backtest(&m, settings(), market_import(&m), &s);
	const char *db = s.db_path;
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills WHERE role='entry'"), 1);
	cr_assert_eq(test_db_int(db, "SELECT exchange_ms FROM fills WHERE role='entry'"), T0 + 20000);
	cr_assert_eq(test_db_int(db, "SELECT ms FROM fills WHERE role='entry'"), T0 + 20000 + 20,
	             "the fill reaches the engine one ack latency after the match");
}
