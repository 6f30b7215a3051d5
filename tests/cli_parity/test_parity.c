/*
 * `hunter parity` as a user runs it, on backtests of the bundled fixture:
 * a run against itself agrees (exit 0); against the same settings with 3 s
 * of order latency, entries fill later, at other prices or not at all, and
 * each difference is named; against a smaller exposure cap, decisions
 * differ. The JSON report's figures are checked against the databases.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "db.h"
#include "support.h"

#define FIXTURE HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"
#define DEMO HUNTER_SOURCE_DIR "/fixtures/settings/demo.json"

TEST_SCRATCH_SUITE(parity, dir, "hunter-parity");

/* Runs `hunter ARGS` in the scratch folder, output to out.txt / err.txt. */
static int hunter(const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", dir, HUNTER_BIN, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "hunter %s did not exit normally", args);
	return WEXITSTATUS(st);
}

static char *output(void)
{
	char p[256];
	snprintf(p, sizeof p, "%s/out.txt", dir);
	return test_read_file(p, NULL);
}

/* The demo settings with `simulation` or `globals` keys changed, backtested
 * into folder `name`. */
static void run(const char *name, const char *section, const char *key, int value)
{
	char *text = test_read_file(DEMO, NULL);
	cJSON *s = cJSON_Parse(text);
	free(text);
	cr_assert_not_null(s);
	cJSON *sec = cJSON_GetObjectItemCaseSensitive(s, section);
	if (!sec)
		sec = cJSON_AddObjectToObject(s, section);
	cJSON_DeleteItemFromObjectCaseSensitive(sec, key);
	cJSON_AddNumberToObject(sec, key, value);
	char path[256];
	snprintf(path, sizeof path, "%s/%s.json", dir, name);
	char *json = cJSON_Print(s);
	test_write_file(path, json);
	free(json);
	cJSON_Delete(s);
	char args[1024];
	snprintf(args, sizeof args, "backtest --settings %s.json --out %s '%s'", name, name, FIXTURE);
	cr_assert_eq(hunter(args), 0, "backtest %s failed", name);
}

static int64_t net(const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s/run.db", dir, name);
	return test_db_int(p, "SELECT (SELECT coalesce(sum(realized_pnl_e8) - sum(fee_e8), 0) FROM"
	                      " fills) - (SELECT coalesce(sum(paid_e8), 0) FROM funding)");
}

Test(parity, a_run_agrees_with_itself)
{
	run("a", "simulation", "order_latency_ms", 0);
	cr_assert_eq(hunter("parity a/run.db a/run.db"), 0);
	char *out = output();
	cr_assert(strstr(out, "decision 0 signal 0 queue 0 latency 0 price 0 fees 0"), "%s", out);
	free(out);
}

static double number(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	cr_assert(cJSON_IsNumber(v), "%s", key);
	return v->valuedouble;
}

Test(parity, latency_moves_fills_and_each_difference_has_its_cause)
{
	run("a", "simulation", "order_latency_ms", 0);
	run("late", "simulation", "order_latency_ms", 3000);
	cr_assert_eq(hunter("parity a/run.db late/run.db"), 3, "the runs differ");
	char *out = output();
	cr_assert(strstr(out, " latency "), "%s", out);
	cr_assert(strstr(out, " queue "), "%s", out);
	free(out);

	cr_assert_eq(hunter("parity --json a/run.db late/run.db"), 3);
	out = output();
	cJSON *j = cJSON_Parse(out);
	cr_assert_not_null(j, "%s", out);
	const cJSON *causes = cJSON_GetObjectItemCaseSensitive(j, "causes");
	double sum = 0;
	for (const cJSON *c = causes->child; c; c = c->next)
		sum += c->valuedouble;
	cr_assert_eq(sum, number(j, "signals_a"), "every signal of A has one cause");
	cr_assert_gt(number(causes, "latency"), 0);
	char want[64];
	int64_t d = net("late") - net("a");
	snprintf(want, sizeof want, "%s%lld.%08lld", d < 0 ? "-" : "", llabs(d) / 100000000,
	         llabs(d) % 100000000);
	const char *got = cJSON_GetObjectItemCaseSensitive(j, "net_pnl_b_minus_a")->valuestring;
	/* dec_format drops trailing zeros: compare as numbers of e8 */
	cr_assert_eq((long long)(strtod(got, NULL) * 1e8 + (d < 0 ? -0.5 : 0.5)), (long long)d,
	             "net difference %s, databases say %s", got, want);
	cJSON_Delete(j);
	free(out);
}

Test(parity, a_smaller_cap_changes_decisions)
{
	run("a", "globals", "max_total_exposure_usdt", 600);
	run("capped", "globals", "max_total_exposure_usdt", 20);
	cr_assert_eq(hunter("parity a/run.db capped/run.db"), 3);
	char *out = output();
	cr_assert(strstr(out, " decision "), "%s", out);
	cr_assert(strstr(out, "skipped (cap_"), "the skipping run's reason is shown: %s", out);
	free(out);
}

Test(parity, bad_input_is_named)
{
	char p[256];
	snprintf(p, sizeof p, "%s/junk.db", dir);
	test_write_file(p, "not a database\n");
	cr_assert_eq(hunter("parity junk.db junk.db"), 1);
	snprintf(p, sizeof p, "%s/err.txt", dir);
	char *err = test_read_file(p, NULL);
	cr_assert(strstr(err, "junk.db"), "%s", err);
	free(err);
	cr_assert_eq(hunter("parity only-one.db"), 2);
	cr_assert_eq(hunter("parity --match soon a.db b.db"), 2);
	cr_assert_eq(hunter("parity missing.db missing.db"), 1);
}
