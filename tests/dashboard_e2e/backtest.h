/*
 * backtest.h - the run database the end-to-end tests show: `hunter
 * backtest` of the bundled liquidation fixture with the demo settings,
 * written into the test's scratch folder as run.db (the dashboard's
 * db_path in harness.h).
 */
#ifndef HUNTER_TEST_DASHBOARD_BACKTEST_H
#define HUNTER_TEST_DASHBOARD_BACKTEST_H

#include <sys/wait.h>

#include "dashboard/harness.h"

#define FIXTURE HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"

static inline void backtest(void)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' backtest --settings '%s' --out '%s' '%s' >'%s/bt.out' 2>&1",
	         HUNTER_BIN, DEMO_SETTINGS, dir, FIXTURE, dir);
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s failed", cmd);
	remove(in_scratch("bt.out"));
}

#endif
