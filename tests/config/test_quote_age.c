/*
 * max_quote_age_sec (globals): seconds, decimals allowed, 0 = no limit,
 * default 5, read into settings.max_quote_age_ms.
 */
#include "helpers.h"

static struct loaded *with_age(const char *value)
{
	static char json[256];
	snprintf(json, sizeof json,
	         "{\"globals\": {\"max_quote_age_sec\": %s}, \"symbols\": {\"BTCUSDT\": {}}}",
	         value);
	return load(json);
}

Test(quote_age, defaults_to_five_seconds)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}}");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.max_quote_age_ms, 5000);
}

Test(quote_age, decimal_seconds)
{
	struct loaded *L = with_age("0.25");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.max_quote_age_ms, 250);
}

Test(quote_age, zero_is_no_limit)
{
	struct loaded *L = with_age("0");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.max_quote_age_ms, 0);
}

Test(quote_age, out_of_range_is_refused)
{
	cr_assert_eq(with_age("-1")->rc, -1);
	cr_assert_eq(count_msgs(&with_age("-1")->d, CONFIG_ERROR, 0, "max_quote_age_sec"), 1);
	cr_assert_eq(with_age("86401")->rc, -1);
	cr_assert_eq(with_age("true")->rc, -1);
}
