/*
 * chromium.h - headless Chromium for the tests that check what a person
 * sees: the browser, or a skip naming the package (a failure under
 * CI=true, which installs it), and the DOM it builds from a page.
 */
#ifndef HUNTER_TEST_CHROMIUM_H
#define HUNTER_TEST_CHROMIUM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static inline const char *test_browser(void)
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

/* The DOM Chromium builds from the page at `url` (malloc'd), with its
 * profile and log under `scratch`. A fresh profile and no background services:
 * it needs no network. Not inlined: gcc 12 then takes the memstream's
 * pointer for one into this frame (-Wdangling-pointer). */
__attribute__((noinline)) static char *test_dump_dom(const char *url, const char *scratch)
{
	char cmd[4096], log[600];
	snprintf(log, sizeof log, "%s/chromium.log", scratch);
	snprintf(cmd, sizeof cmd, "timeout 90 '%s' --headless --no-sandbox --disable-gpu"
	         " --disable-quic --no-first-run --disable-background-networking"
	         " --disable-component-update --disable-sync --user-data-dir='%s/profile'"
	         " --dump-dom '%s' 2>'%s'", test_browser(), scratch, url, log);
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
	          test_read_file(log, NULL));
	return dom;
}

#endif
