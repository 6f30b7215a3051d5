/*
 * Stale prices. The book stream stops while trades go on falling: two
 * minutes later a liquidation cascade fires an entry. It must be priced
 * from the last trade, not from the frozen quote 2 % above the market, and
 * the run's notes must say so.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>

#include "db.h"
#include "support.h"
#include "market.h"

TEST_SCRATCH_SUITE(stale_quote, dir, "hunter-stale");

static const char *settings(void)
{
	return market_settings("\"volume_threshold_short\": 5000, \"leverage\": 10,"
	                       " \"take_profit_pct\": 0.5, \"stop_loss_pct\": 2");
}

Test(stale_quote, an_entry_is_not_priced_from_a_frozen_book)
{
	struct market m;
	market_open(&m, dir);
	market_book(&m, 0, "60000.0", "60000.1");
	/* the book goes quiet; trades walk down to 58800 over two minutes */
	for (int i = 0; i <= 24; i++) {
		char px[16];
		snprintf(px, sizeof px, "%d.0", 60000 - 50 * i);
		market_trade(&m, 5000 * i, px, "0.010", true);
	}
	for (int64_t ms = 121000; ms <= 123000; ms += 1000)
		market_liquidation(&m, ms, "SELL", "58800.0", "0.050");
	market_trade(&m, 150000, "58800.0", "0.010", true);
	struct backtest_summary s;
	market_backtest(&m, settings(), market_import(&m), &s);
	int64_t price = test_db_int(s.db_path, "SELECT price_e8 FROM orders WHERE role='entry'"
	                                 " AND state='placed'");
	/* a bid 0.1 % under the last trade (58800), not under the frozen 60000 */
	cr_assert_eq(price, 5874120000000LL, "entry priced at %lld", (long long)price);
	cr_assert_eq(test_db_int(s.db_path, "SELECT count(*) FROM notes WHERE text LIKE"
	                              " 'quote older than max_quote_age_sec%'"), 1);
	/* and the data-quality tables name the stream that stopped */
	cr_assert_eq(test_db_int(s.db_path, "SELECT count(*) FROM market_silences WHERE symbol = 'BTCUSDT'"
	                              " AND stream = 'book_ticker' AND stopped = 1"), 1);
}
