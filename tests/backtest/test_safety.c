/*
 * The user's runs are safe: a stopped run keeps what it did, marked
 * interrupted, and `hunter report` reads it; a re-run that fails leaves the
 * previous run.db of its folder as it was; a symbol that can never trade is
 * named on the terminal with the reason.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "support.h"
#include "market.h"

#define SETTINGS HUNTER_SOURCE_DIR "/fixtures/settings/synth.json"

TEST_SCRATCH_SUITE(safety, dir, "hunter-safety");

static int run_cmd(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A synthetic recording long enough for a progress call or two. */
static const char *synth(const char *name, int events)
{
	static char path[256];
	char cmd[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(cmd, sizeof cmd, "'%s' synth -n %d -o '%s' >/dev/null 2>&1", HUNTER_BIN, events,
	         path);
	cr_assert_eq(run_cmd(cmd), 0, "%s", cmd);
	return path;
}

static volatile sig_atomic_t stop_flag;

/* Asks the run to stop at its first progress call, as a signal would. */
static void stop_at_progress(void *ctx, uint64_t events)
{
	*(uint64_t *)ctx = events;
	stop_flag = 1;
}

Test(safety, a_stopped_run_keeps_its_work_marked_interrupted)
{
	const char *rec = synth("long.hrec", 600000);
	char out[256], cmd[8192];
	snprintf(out, sizeof out, "%s/run", dir);
	const char *recs[] = {rec};
	uint64_t at = 0;
	stop_flag = 0;
	struct backtest_opts o = {.settings_path = SETTINGS, .out_dir = out, .recordings = recs,
	                          .nrecordings = 1, .diag = stderr, .stop = &stop_flag,
	                          .progress = stop_at_progress, .progress_ctx = &at};
	struct backtest_summary *s = malloc(sizeof *s);
	cr_assert_eq(backtest_run(&o, s), BT_EINTR);
	cr_assert(s->interrupted);
	cr_assert_gt(at, 0);
	cr_assert_eq(test_db_int(s->db_path, "SELECT interrupted FROM run"), 1);
	cr_assert_eq(test_db_int(s->db_path, "SELECT events FROM run"), (int64_t)at,
	             "the run stops at the event it was asked to");
	cr_assert_gt(test_db_int(s->db_path, "SELECT count(*) FROM equity WHERE reason='end'"), 0);
	snprintf(cmd, sizeof cmd, "'%s' report '%s' --out '%s/report' >/dev/null 2>&1", HUNTER_BIN,
	         s->db_path, dir);
	cr_assert_eq(run_cmd(cmd), 0, "hunter report on an interrupted run: %s", cmd);
	char page[300];
	snprintf(page, sizeof page, "%s/report/index.html", dir);
	char *html = test_read_file(page, NULL);
	cr_assert(strstr(html, "This run was interrupted"), "the report does not say so");
	free(html);
	free(s);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

Test(safety, sigint_stops_the_command_with_exit_130)
{
	const char *rec = synth("long.hrec", 1500000);
	char out[256], partial[300], db[300];
	snprintf(out, sizeof out, "%s/run", dir);
	snprintf(partial, sizeof partial, "%s/run.db.partial", out);
	snprintf(db, sizeof db, "%s/run.db", out);
	char *argv[] = {(char *)HUNTER_BIN, "backtest", "--settings", (char *)SETTINGS, "--out", out,
	                (char *)rec, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	cr_assert_eq(posix_spawn(&pid, HUNTER_BIN, &fa, NULL, argv, NULL), 0);
	posix_spawn_file_actions_destroy(&fa);
	/* the database is opened after the handler is in place */
	struct timespec tick = {0, 1000000};
	for (int i = 0; i < 20000 && !exists(partial); i++)
		nanosleep(&tick, NULL);
	cr_assert(exists(partial), "the run never started");
	kill(pid, SIGINT);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "killed by the signal instead of stopping");
	cr_assert_eq(WEXITSTATUS(st), 130);
	cr_assert(exists(db));
	cr_assert(!exists(partial));
	cr_assert_eq(test_db_int(db, "SELECT interrupted FROM run"), 1);
	cr_assert_lt(test_db_int(db, "SELECT events FROM run"), 1500000);
}

Test(safety, a_failed_rerun_keeps_the_previous_database)
{
	char out[256], db[300], bad[256], cmd[1024];
	snprintf(out, sizeof out, "%s/run", dir);
	snprintf(db, sizeof db, "%s/run.db", out);
	snprintf(cmd, sizeof cmd, "'%s' backtest --settings '%s' --out '%s' '%s' >/dev/null 2>&1",
	         HUNTER_BIN, SETTINGS, out, HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz");
	cr_assert_eq(run_cmd(cmd), 0);
	int64_t fills = test_db_int(db, "SELECT count(*) FROM fills");
	cr_assert_gt(fills, 0);
	/* a recording cut in the middle of its header is corrupt, not short */
	snprintf(bad, sizeof bad, "%s/bad.hrec", dir);
	FILE *f = fopen(bad, "w");
	cr_assert_not_null(f);
	fputs("HREC\x01 this is not a recording", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "'%s' backtest --settings '%s' --out '%s' '%s' >/dev/null 2>&1",
	         HUNTER_BIN, SETTINGS, out, bad);
	cr_assert_eq(run_cmd(cmd), 1);
	cr_assert_eq(test_db_int(db, "SELECT count(*) FROM fills"), fills,
	             "the failed re-run destroyed the previous run.db");
	char partial[320];
	snprintf(partial, sizeof partial, "%s.partial", db);
	cr_assert(!exists(partial), "the failed run left its partial database behind");
}

Test(safety, a_symbol_that_cannot_trade_is_named_with_the_reason)
{
	struct market m;
	market_open_status(&m, dir, "SETTLING");
	market_book(&m, 10, "100.0", "100.1");
	market_liquidation(&m, 1000, "SELL", "100.0", "1.000");
	const char *rec = market_import(&m);
	char spath[256], out[256], cmd[2048], log[256];
	snprintf(spath, sizeof spath, "%s/s.json", dir);
	snprintf(out, sizeof out, "%s/run", dir);
	snprintf(log, sizeof log, "%s/log.txt", dir);
	FILE *f = fopen(spath, "w");
	cr_assert_not_null(f);
	fputs("{\"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 10}}}\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "'%s' backtest --settings '%s' --out '%s' '%s' >/dev/null 2>'%s'",
	         HUNTER_BIN, spath, out, rec, log);
	cr_assert_eq(run_cmd(cmd), 0);
	char *text = test_read_file(log, NULL);
	cr_assert(strstr(text, "BTCUSDT cannot trade") && strstr(text, "not TRADING"),
	          "stderr does not name the symbol and the reason: %s", text);
	free(text);
}
