/*
 * The dashboard in a real browser: headless Chromium loads the page of a
 * run with an open BTCUSDT position and the DOM it builds shows it.
 * Without Chromium the test skips saying how to install it; under
 * CI=true it fails, because CI installs it (.ci/run). tests/live_e2e
 * does the same with the dashboard of a running `hunter live`.
 */
#include "backtest.h"
#include "chromium.h"
#include "dashboard/sample.h"

TestSuite(chromium, .init = scratch_make, .fini = scratch_remove, .timeout = 120);

Test(chromium, the_page_shows_the_open_position)
{
	backtest();
	dash_start(NULL);
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", dashboard_port(dash));
	char *dom = test_dump_dom(url, in_scratch(""));
	char *pos = strstr(dom, "<table id=\"positions\">");
	cr_assert_not_null(pos, "no positions table in:\n%.3000s", dom);
	cr_assert(strstr(pos, "<td data-key=\"symbol\">BTCUSDT</td><td data-key=\"side\">LONG</td>"
	                      "<td data-key=\"qty\" class=\"num\">0.002</td>"),
	          "the position is not shown:\n%.3000s", pos);
	cr_assert(strstr(dom, "<td data-key=\"tp\" class=\"num\">100801.6</td>"));
	cr_assert(strstr(dom, "<h2>Recent round trips</h2>"), "the run database is shown too");
	cr_assert(strstr(dom, "<p id=\"status\"></p>"), "no script error was shown");
	free(dom);
}
