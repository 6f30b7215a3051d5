/*
 * test_quote_age.c - max_quote_age_ms: a book quote older than that (engine
 * time against the quote's event time) does not price entries; a fresh last
 * trade does, else the signal is skipped as "stale_quote".
 */
#include <criterion/criterion.h>

#include "harness.h"

/* Longs liquidated for 1000 USDT at `ms`: a long entry, a bid at the book's
 * bid (the harness has no price offset). */
static void trigger(struct fx *f, int64_t ms)
{
	fx_liq(f, SIDE_SELL, "0.02", "50000", ms);
}

static struct fx *aged(int64_t max_age_ms)
{
	struct fx *f = fx_new();
	f->s.max_quote_age_ms = max_age_ms;
	fx_start(f);
	return f;
}

static const char *last_reason(struct fx *f)
{
	return fx_nth(f, J_SIGNAL, -1)->u.signal.reason;
}

Test(quote_age, a_quote_as_old_as_the_limit_still_prices)
{
	struct fx *f = aged(5000);
	fx_book(f, "50000.0", "50000.1", 1000);
	trigger(f, 6000);
	cr_assert_str_eq(last_reason(f), "fired");
	cr_assert_eq(fx_last(f, 'E')->req.price, D("50000.0"));
	fx_free(f);
}

Test(quote_age, a_stale_quote_gives_way_to_a_fresh_trade)
{
	struct fx *f = aged(5000);
	fx_book(f, "50000.0", "50000.1", 1000);
	fx_trade(f, "49000.0", 5000);
	trigger(f, 6001);
	cr_assert_str_eq(last_reason(f), "fired");
	cr_assert_eq(fx_last(f, 'E')->req.price, D("49000.0"), "priced from the frozen book");
	cr_assert(fx_has_note(f, "quote older than max_quote_age_sec"));
	fx_free(f);
}

Test(quote_age, with_nothing_fresh_the_signal_is_skipped)
{
	struct fx *f = aged(5000);
	fx_book(f, "50000.0", "50000.1", 1000);
	fx_trade(f, "49000.0", 1000);
	trigger(f, 6001);
	cr_assert_str_eq(last_reason(f), "stale_quote");
	cr_assert_eq(fx_intents(f, FX_PLACE), 0, "an entry priced from a stale quote");
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_eq(st.margin_in_use, 0);
	fx_free(f);
}

/* Trade-only data: the trade is the quote, and ages like one. */
Test(quote_age, a_stale_trade_only_book_is_skipped_too)
{
	struct fx *f = aged(5000);
	fx_trade(f, "49000.0", 1000);
	trigger(f, 60000);
	cr_assert_str_eq(last_reason(f), "stale_quote");
	fx_free(f);
}

Test(quote_age, zero_is_no_limit)
{
	struct fx *f = aged(0);
	fx_book(f, "50000.0", "50000.1", 1000);
	trigger(f, 3600000);
	cr_assert_str_eq(last_reason(f), "fired");
	cr_assert_eq(fx_last(f, 'E')->req.price, D("50000.0"));
	fx_free(f);
}

/* Liquidations-only data has no quote to be stale: the liquidation prices. */
Test(quote_age, without_any_book_the_liquidation_still_prices)
{
	struct fx *f = aged(5000);
	trigger(f, 60000);
	cr_assert_str_eq(last_reason(f), "fired");
	cr_assert_eq(fx_last(f, 'E')->req.price, D("50000"));
	fx_free(f);
}
