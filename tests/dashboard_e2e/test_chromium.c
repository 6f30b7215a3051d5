/*
 * The dashboard in a real browser: headless Chromium loads the page of a
 * run with an open BTCUSDT position and the DOM it builds shows it.
 * Without Chromium the test skips saying how to install it; under
 * CI=true it fails, because CI installs it (.ci/run).
 */
#include "backtest.h"
#include "dashboard/sample.h"

TestSuite(chromium, .init = scratch_make, .fini = scratch_remove, .timeout = 120);

static const char *browser(void)
{
	static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (access(names[i], X_OK) == 0)
			return names[i];
	const char *ci = getenv("CI");
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("chromium not found (required under CI=true)");
	cr_skip_test("chromium not installed (Debian: apt-get install chromium); test skipped");
	return NULL;
}

/* The DOM Chromium builds from the page at `url` (malloc'd). A fresh
 * profile and no background services: it needs no network. */
static char *dump_dom(const char *url)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "timeout 90 '%s' --headless --no-sandbox --disable-gpu"
	         " --disable-quic --no-first-run --disable-background-networking"
	         " --disable-component-update --disable-sync --user-data-dir='%s'"
	         " --dump-dom '%s' 2>'%s'", browser(), in_scratch("profile"), url,
	         in_scratch("chromium.log"));
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	char *dom = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&dom, &len);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, n, mem);
	fclose(mem);
	int st = pclose(p);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "chromium failed:\n%s",
	          test_read_file(in_scratch("chromium.log"), NULL));
	return dom;
}

Test(chromium, the_page_shows_the_open_position)
{
	backtest();
	dash_start(NULL);
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", dashboard_port(dash));
	char *dom = dump_dom(url);
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
