/*
 * Numbers are read exactly from their text, never through a double: what
 * the file says is what the engine gets, to the last 1e-8.
 */
#include "helpers.h"

/* trade_value_usdt of a one-symbol file, written as `value`. */
static struct loaded *with_value(const char *value)
{
	static char text[512];
	snprintf(text, sizeof text, "{\"symbols\": {\"BTCUSDT\": {\"trade_value_usdt\": %s}}}",
	         value);
	return load(text);
}

static dec_t value_of(const char *value)
{
	struct loaded *L = with_value(value);
	cr_assert_eq(L->rc, 0, "%s should load: %s", value, L->d.n ? L->d.msgs[0].text : "");
	return L->s.symbols[0].trade_value_usdt;
}

static void refused(const char *value, const char *why)
{
	char want[256];
	snprintf(want, sizeof want, "symbols.BTCUSDT.trade_value_usdt: expected a decimal number > 0, "
	                            "got %s%s", value, why);
	expect_error(with_value(value), 1, want);
}

Test(numbers, decimals_are_exact)
{
	cr_assert_eq(value_of("0.1"), 10000000);
	cr_assert_eq(value_of("0.3"), 30000000);
	cr_assert_eq(value_of("0.55"), 55000000);
	cr_assert_eq(value_of("0.00000001"), 1);
	cr_assert_eq(value_of("1.000000000000"), DEC(1), "zeros past 8 places are exact");
	cr_assert_eq(value_of("92233720368.54775807"), DEC_MAX);
	cr_assert_eq(value_of("12345678901.2345678"), 1234567890123456780);
}

Test(numbers, exponents_move_the_point)
{
	cr_assert_eq(value_of("1e3"), DEC(1000));
	cr_assert_eq(value_of("1.5E+2"), DEC(150));
	cr_assert_eq(value_of("25e-1"), 250000000);
	cr_assert_eq(value_of("1e-8"), 1);
	cr_assert_eq(value_of("0.0001e4"), DEC(1));
	cr_assert_eq(value_of("100000e-13"), 1);
	cr_assert_eq(value_of("1.0e0"), DEC(1));
	cr_assert_eq(value_of("0.000000000000000000000000001e27"), DEC(1));
}

Test(numbers, strings_hold_decimals_too)
{
	cr_assert_eq(value_of("\"0.1\""), 10000000);
	cr_assert_eq(value_of("\"250\""), DEC(250));
	refused("\"0.1 \"", "");
	refused("\"\"", "");
	refused("\"1,5\"", "");
}

Test(numbers, not_representable_is_refused_not_rounded)
{
	refused("0.123456789", " (more than 8 decimal places)");
	refused("1e-9", " (more than 8 decimal places)");
	refused("1.000000001", " (more than 8 decimal places)");
	refused("92233720368.54775808", " (number too large)");
	refused("1e12", " (number too large)");
	refused("1e99999999999999999999", " (number too large)");
	refused("1e-99999999999999999999", " (more than 8 decimal places)");
}

Test(numbers, json_grammar_is_strict)
{
	refused("01", " (leading zero)");
	refused("-01", " (leading zero)");
	refused("1.", " (no digits after the decimal point)");
	refused("1.e5", " (no digits after the decimal point)");
	refused("\"1e\"", " (no digits in the exponent)");
	refused("\"1e+\"", " (no digits in the exponent)");
	refused("\"--1\"", "");
	refused("\"1e5e5\"", "");
	refused("\"+1\"", "");
	refused("\".5\"", "");
}

Test(numbers, zero_and_huge_zeros)
{
	struct loaded *L = load("{\"globals\": {\"tranche_merge_profit_pct\": 0e-999999},"
	                        " \"symbols\": {\"A\": {\"price_offset_pct\": -0.0}}}");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.merge_profit_pct, 0);
	cr_assert_eq(L->s.symbols[0].price_offset_pct, 0);
}

Test(numbers, units_convert_exactly)
{
	struct loaded *L = load("{\"globals\": {\"volume_window_sec\": 0.001,"
	                        " \"order_ttl_seconds\": 1.5e1},"
	                        " \"symbols\": {\"A\": {\"cooldown_seconds\": 86400}},"
	                        " \"simulation\": {\"taker_fee_pct\": 0.000001,"
	                        " \"maker_fee_pct\": 1e-2}}");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.volume_window_ms, 1);
	cr_assert_eq(L->s.order_ttl_ms, 15000);
	cr_assert_eq(L->s.symbols[0].cooldown_ms, 86400000);
	cr_assert_eq(L->sim.taker_fee, 1, "1e-6 %% is the finest fee: 1e-8");
	cr_assert_eq(L->sim.maker_fee, 10000);
	cr_assert_eq(load("{\"symbols\": {\"A\": {\"leverage\": 2.0e1}}}")->s.symbols[0].leverage, 20,
	             "a whole number may be written with a point");
}

Test(numbers, finer_than_the_unit_is_refused)
{
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"globals\": {\"volume_window_sec\": 0.0001}}"),
	             2, "globals.volume_window_sec: expected a number of seconds > 0 and <= 86400, "
	                "got 0.0001 (finer than a millisecond)");
	expect_error(load("{\"symbols\": {\"A\": {\"leverage\": 10.5}}}"), 1,
	             "symbols.A.leverage: expected an integer 1..125, got 10.5 (not a whole number)");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"simulation\": {\"maker_fee_pct\": "
	                  "0.0000001}}"), 2,
	             "simulation.maker_fee_pct: expected a percentage -1..1, got 0.0000001 "
	             "(finer than 0.000001 %)");
}

Test(numbers, extremes_are_range_errors)
{
	expect_error(load("{\"symbols\": {\"A\": {\"leverage\": 92233720368.54775807}}}"), 1,
	             "symbols.A.leverage: expected an integer 1..125, got 92233720368.54775807 "
	             "(not a whole number)");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"globals\": {\"rate_limit_buffer_pct\": "
	                  "-92233720368.54775807}}"), 2,
	             "globals.rate_limit_buffer_pct: expected an integer 0..99, "
	             "got -92233720368.54775807");
	expect_error(load("{\"symbols\": {\"A\": {\"stop_loss_pct\": -92233720368.54775807}}}"), 1,
	             "symbols.A.stop_loss_pct: expected a decimal number > 0 and <= 100, "
	             "got -92233720368.54775807");
}

Test(numbers, seeds_use_all_64_bits)
{
	cr_assert_eq(load("{\"symbols\": {\"A\": {}}, \"simulation\": {\"seed\": 0}}")->sim.seed, 0);
	cr_assert_eq(load("{\"symbols\": {\"A\": {}}, \"simulation\": "
	                  "{\"seed\": 9007199254740993}}")->sim.seed, 9007199254740993ULL,
	             "2^53 + 1 is not a double");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"simulation\": "
	                  "{\"seed\": 18446744073709551616}}"), 2,
	             "simulation.seed: expected an integer 0..18446744073709551615, "
	             "got 18446744073709551616 (number too large)");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"simulation\": {\"seed\": 1e3}}"), 2,
	             "simulation.seed: expected an integer 0..18446744073709551615, got 1e3 "
	             "(not a whole number without exponent)");
}
