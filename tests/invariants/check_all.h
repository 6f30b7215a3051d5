/*
 * check_all.h - every check of checks.h over one run.db, each violation
 * reported as a Criterion expectation naming the run and the check. Shared
 * by the suites that backtest synthetic, real and scripted markets.
 */
#ifndef HUNTER_TEST_CHECK_ALL_H
#define HUNTER_TEST_CHECK_ALL_H

#include <criterion/criterion.h>

#include "checks.h"

static inline void expect_none(const char *db, const char *check, struct verdict v)
{
	cr_expect_eq(v.n, 0, "%s: %s: %d violations, the first: %s", db, check, v.n, v.first);
}

static inline void check_all(const char *db)
{
	struct run_db r;
	run_db_open(&r, db);
	expect_none(db, "protection", check_protection(&r));
	expect_none(db, "fills", check_fills(&r));
	expect_none(db, "caps", check_caps(&r));
	expect_none(db, "exactness", check_exactness(&r));
	expect_none(db, "life cycle", check_lifecycle(&r));
	if (!r.s.hedge_mode)
		expect_none(db, "one-way", check_one_way(&r));
	expect_none(db, "accounting", check_accounting(&r));
	expect_none(db, "summary accounting", check_summary_accounting(db));
	run_db_close(&r);
}

#endif
