/* Unit tests for exact decimals: parsing, printing, rounding, arithmetic. */
#include <criterion/criterion.h>
#include <string.h>

#include "core.h"

static dec_t P(const char *s)
{
	dec_t v = 0;
	const char *why = NULL;
	cr_assert_eq(dec_parse(s, strlen(s), &v, &why), 0, "parse %s: %s", s, why);
	return v;
}

static void bad(const char *s, const char *reason)
{
	dec_t v = 12345;
	const char *why = NULL;
	cr_assert_eq(dec_parse(s, strlen(s), &v, &why), -1, "'%s' should fail", s);
	cr_assert_eq(v, 12345, "a failed parse must not write");
	cr_assert(why && strstr(why, reason), "'%s': reason '%s' lacks '%s'", s, why, reason);
}

static void roundtrip(const char *in, const char *out)
{
	char buf[DEC_FMT_MAX];
	dec_format(P(in), buf);
	cr_assert_str_eq(buf, out);
}

Test(decimal, parses_exchange_strings)
{
	cr_assert_eq(P("0.00012300"), 12300);
	cr_assert_eq(P("61234.5"), 6123450000000LL);
	cr_assert_eq(P("0"), 0);
	cr_assert_eq(P("-0.5"), -50000000);
	cr_assert_eq(P("5"), DEC(5));
	cr_assert_eq(P("1.000000000000"), DEC(1), "zeros beyond 8 places are exact");
}

Test(decimal, rejects_malformed)
{
	bad("1e-5", "exponent");
	bad("", "empty");
	bad("-", "digit");
	bad(".5", "digit");
	bad("5.", "decimal point");
	bad("+5", "digit");
	bad(" 5", "digit");
	bad("5 ", "unexpected");
	bad("1.2.3", "unexpected");
	bad("0.000000001", "8 decimal");
	bad("abc", "digit");
	bad("92233720368.54775808", "too large");
	bad("999999999999999999999", "too large");
}

Test(decimal, extremes)
{
	cr_assert_eq(P("92233720368.54775807"), DEC_MAX);
	cr_assert_eq(P("-92233720368.54775807"), -DEC_MAX);
	char buf[DEC_FMT_MAX];
	dec_format(DEC_MAX, buf);
	cr_assert_str_eq(buf, "92233720368.54775807");
	dec_format(-DEC_MAX, buf);
	cr_assert_str_eq(buf, "-92233720368.54775807");
}

Test(decimal, prints_back_exactly)
{
	roundtrip("0.00012300", "0.000123");
	roundtrip("61234.50", "61234.5");
	roundtrip("-1.5", "-1.5");
	roundtrip("0", "0");
	roundtrip("-0.00000001", "-0.00000001");
	roundtrip("100", "100");
	char buf[DEC_FMT_MAX];
	cr_assert_eq(dec_format_fixed(P("61234.5"), 2, buf), 8);
	cr_assert_str_eq(buf, "61234.50");
	cr_assert_eq(dec_format_fixed(P("0.123"), 2, buf), 0, "would lose a digit");
	dec_format_fixed(DEC(7), 0, buf);
	cr_assert_str_eq(buf, "7");
}

Test(decimal, decimals_of_a_step)
{
	cr_assert_eq(dec_decimals(P("0.001")), 3);
	cr_assert_eq(dec_decimals(P("0.5")), 1);
	cr_assert_eq(dec_decimals(P("10")), 0);
	cr_assert_eq(dec_decimals(P("0.00000001")), 8);
}

Test(decimal, rounds_to_step)
{
	dec_t tick = P("0.1");
	cr_assert_eq(dec_round_down(P("100.19"), tick), P("100.1"));
	cr_assert_eq(dec_round_up(P("100.11"), tick), P("100.2"));
	cr_assert_eq(dec_round_up(P("100.1"), tick), P("100.1"), "already on the tick");
	cr_assert_eq(dec_round_down(P("-1.05"), tick), P("-1.1"), "down is toward -inf");
	cr_assert_eq(dec_round_up(P("-1.05"), tick), P("-1.0"));
	/* away from a reference: a BUY below the market rounds down, a SELL above up */
	cr_assert_eq(dec_round_away(P("99.95"), tick, P("100")), P("99.9"));
	cr_assert_eq(dec_round_away(P("100.05"), tick, P("100")), P("100.1"));
	cr_assert_eq(dec_round_down(P("7"), P("5")), P("5"));
}

Test(decimal, arithmetic_without_overflow)
{
	dec_t r;
	cr_assert_eq(dec_mul(P("61234.5"), P("0.001"), &r), 0);
	cr_assert_eq(r, P("61.2345"));
	/* a notional far above int64 when computed naively in 1e-8 units */
	cr_assert_eq(dec_mul(P("1000000"), P("1000"), &r), 0);
	cr_assert_eq(r, DEC(1000000000));
	cr_assert_eq(dec_mul(DEC_MAX, DEC(2), &r), -1, "overflow is reported");
	cr_assert_eq(dec_div(DEC(100), DEC(3), &r), 0);
	cr_assert_eq(r, P("33.33333333"), "division truncates toward zero");
	cr_assert_eq(dec_div(DEC(1), 0, &r), -1);
	cr_assert_eq(dec_muldiv(P("61234.5"), P("2.5"), DEC(10), &r), 0);
	cr_assert_eq(r, P("15308.625"));
	cr_assert_eq(dec_muldiv(DEC_MAX, DEC_MAX, 1, &r), -1);
	cr_assert_float_eq(dec_to_double(P("-2.25")), -2.25, 1e-12);
}

Test(names, enums_roundtrip)
{
	cr_assert_eq(side_from("SELL", 4), SIDE_SELL);
	cr_assert_str_eq(order_type_str(OT_TAKE_PROFIT_MARKET), "TAKE_PROFIT_MARKET");
	cr_assert_eq(order_type_from("TAKE_PROFIT", 11), OT_TAKE_PROFIT);
	cr_assert_eq(tif_from("XYZ", 3), 0);
	cr_assert_str_eq(tif_str(0), "");
	cr_assert_eq(margin_type_from("cross", 5), MARGIN_CROSSED);
	cr_assert_eq(margin_type_from("ISOLATED", 8), MARGIN_ISOLATED);
	for (int t = 1; t < EV__COUNT; t++)
		cr_assert_eq(ev_type_from_name(ev_type_name(t)), t);
}

Test(decimal, rounding_at_the_range_ends_never_overflows)
{
	dec_t tick = DEC(1) / 10;
	cr_assert_eq(dec_round_up(DEC_MAX, tick) % tick, 0);
	cr_assert(dec_round_up(DEC_MAX, tick) <= DEC_MAX);
	cr_assert_eq(dec_round_down(DEC_MIN, tick) % tick, 0);
	cr_assert(dec_round_down(DEC_MIN, tick) >= DEC_MIN);
	cr_assert_eq(dec_round_down(DEC_MAX, DEC(7)), DEC_MAX - DEC_MAX % DEC(7));
}
