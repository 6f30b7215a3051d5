/*
 * The `simulation` keys of the fill model's assumptions: the age past which
 * a quote, trade or mark no longer prices an order, the wait of a level's
 * shrink for its trade, and the slope of liquidity beyond what was seen.
 */
#include "helpers.h"

Test(sim_keys, defaults_are_the_simulator_s)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}}");
	struct sim_params p;

	sim_params_default(&p);
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->sim.max_quote_age_ms, p.max_quote_age_ms);
	cr_assert_eq(L->sim.shrink_match_ms, p.shrink_match_ms);
	cr_assert_eq(L->sim.impact_ticks, p.impact_ticks);
	cr_assert_eq(p.max_quote_age_ms, 5000, "docs/settings.md says 5 s");
	cr_assert_eq(p.shrink_match_ms, 100);
	cr_assert_eq(p.impact_ticks, 1);
}

Test(sim_keys, values_are_read)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}, \"simulation\": "
	                        "{\"max_quote_age_sec\": 2.5, \"shrink_match_ms\": 0,"
	                        " \"impact_ticks\": 3}}");

	cr_assert_eq(L->rc, 0, "%s", L->d.n ? L->d.msgs[0].text : "");
	cr_assert_eq(L->sim.max_quote_age_ms, 2500);
	cr_assert_eq(L->sim.shrink_match_ms, 0);
	cr_assert_eq(L->sim.impact_ticks, 3);
	L = load("{\"symbols\": {\"BTCUSDT\": {}}, \"simulation\": {\"max_quote_age_sec\": 0}}");
	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->sim.max_quote_age_ms, 0, "0 is no limit");
}

Test(sim_keys, out_of_range_is_an_error)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}},\n"
	                        "\"simulation\": {\"max_quote_age_sec\": -1,\n"
	                        "\"shrink_match_ms\": 1.5,\n"
	                        "\"impact_ticks\": 10001}}");

	cr_assert_eq(L->rc, -1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 2, "simulation.max_quote_age_sec"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 3, "simulation.shrink_match_ms"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 4, "simulation.impact_ticks"), 1);
}
