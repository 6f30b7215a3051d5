/*
 * Golden regression: `hunter backtest --json` on every bundled fixture must
 * give exactly the summary stored in fixtures/expected/<fixture>.json. Any
 * change in the engine, the simulated exchange or the replay that moves a
 * single fill shows up here as a list of differing keys.
 *
 * Each fixture runs with fixtures/settings/<fixture>.json when that exists,
 * else fixtures/settings/demo.json, from the source folder with relative
 * paths (so messages hold no machine path). A fixture the backtest refuses
 * (for instance one without liquidations) has an expected file of the form
 * {"exit_code": N, "error": "<last line on stderr>"}. The wall-clock keys
 * "run_db" and "timing" are not compared. scripts/regen-golden rewrites the
 * expected files; see docs/backtest.md.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

/* Runs hunter in the source folder with stdout and stderr sent to files;
 * returns its exit code. */
static int run_hunter(char *const argv[], const char *out, const char *err)
{
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || chdir(HUNTER_SOURCE_DIR))
			_exit(127);
		execv(HUNTER_BIN, argv);
		_exit(127);
	}
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void fixture_stem(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(out, cap, "%.*s", (int)(strstr(base, ".hrec") - base), base);
}

static const char *settings_for(const char *stem, char *buf, size_t cap)
{
	snprintf(buf, cap, "fixtures/settings/%s.json", stem);
	char abs[1024];
	snprintf(abs, sizeof abs, "%s/%s", HUNTER_SOURCE_DIR, buf);
	if (access(abs, R_OK) != 0)
		snprintf(buf, cap, "fixtures/settings/demo.json");
	return buf;
}

/* The last non-empty line of a text, for the error of a refused run. */
static char *last_line(char *text)
{
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

/* What the run gave, in the shape of an expected file. */
static cJSON *outcome(const char *stem, const char *tmp)
{
	char rec[512], out_dir[512], out[512], err[512], settings[512];
	snprintf(rec, sizeof rec, "fixtures/%s.hrec.gz", stem);
	snprintf(out_dir, sizeof out_dir, "%s/%s", tmp, stem);
	snprintf(out, sizeof out, "%s/%s.stdout", tmp, stem);
	snprintf(err, sizeof err, "%s/%s.stderr", tmp, stem);
	char *argv[] = {"hunter", "backtest", "--settings", (char *)settings_for(stem, settings,
	                sizeof settings), "--out", out_dir, "--json", rec, NULL};
	int code = run_hunter(argv, out, err);
	char *text = test_try_read_file(code ? err : out, NULL);
	cr_assert(text, "no output from hunter for %s", stem);
	cJSON *got;
	if (code) {
		got = cJSON_CreateObject();
		cJSON_AddNumberToObject(got, "exit_code", code);
		cJSON_AddStringToObject(got, "error", last_line(text));
	} else {
		got = cJSON_Parse(text);
		cr_assert(got, "%s: the summary is not JSON:\n%s", stem, text);
		cJSON_DeleteItemFromObjectCaseSensitive(got, "run_db");
		cJSON_DeleteItemFromObjectCaseSensitive(got, "timing");
	}
	free(text);
	return got;
}

static char *show(const cJSON *v)
{
	return v ? cJSON_PrintUnformatted(v) : strdup("(missing)");
}

/* Logs each key whose value differs; returns how many did. */
static int compare(const char *stem, const cJSON *want, const cJSON *got)
{
	int diffs = 0;
	const cJSON *k;
	cJSON_ArrayForEach(k, want)
	{
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, k->string);
		char *a = show(k), *b = show(g);
		if (strcmp(a, b)) {
			cr_log_error("%s: %s: expected %s, got %s", stem, k->string, a, b);
			diffs++;
		}
		free(a);
		free(b);
	}
	cJSON_ArrayForEach(k, got)
	{
		if (!cJSON_GetObjectItemCaseSensitive(want, k->string)) {
			char *b = show(k);
			cr_log_error("%s: %s: not expected, got %s", stem, k->string, b);
			free(b);
			diffs++;
		}
	}
	return diffs;
}

Test(golden, every_fixture_gives_its_expected_summary, .timeout = 600)
{
	glob_t g;
	cr_assert_eq(glob(HUNTER_SOURCE_DIR "/fixtures/*.hrec.gz", 0, NULL, &g), 0,
	             "no fixtures in fixtures/ (make fixtures)");
	char tmp[] = "/tmp/hunter-golden-XXXXXX";
	test_dir_make(tmp);
	int failed = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char stem[256], path[1024];
		fixture_stem(g.gl_pathv[i], stem, sizeof stem);
		snprintf(path, sizeof path, "%s/fixtures/expected/%s.json", HUNTER_SOURCE_DIR, stem);
		char *text = test_try_read_file(path, NULL);
		if (!text) {
			cr_log_error("%s: no fixtures/expected/%s.json (run scripts/regen-golden)", stem,
			             stem);
			failed++;
			continue;
		}
		cJSON *want = cJSON_Parse(text);
		free(text);
		cr_assert(want, "fixtures/expected/%s.json is not JSON", stem);
		cJSON *got = outcome(stem, tmp);
		if (compare(stem, want, got))
			failed++;
		cJSON_Delete(want);
		cJSON_Delete(got);
	}
	globfree(&g);
	test_dir_remove(tmp);
	cr_assert_eq(failed, 0, "%d fixture(s) differ from their golden summary (see above)",
	             failed);
}

Test(golden, no_expected_summary_without_its_fixture)
{
	glob_t g;
	if (glob(HUNTER_SOURCE_DIR "/fixtures/expected/*.json", 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char rec[1024];
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		snprintf(rec, sizeof rec, "%s/fixtures/%.*s.hrec.gz", HUNTER_SOURCE_DIR,
		         (int)(strlen(base) - 5), base);
		cr_expect_eq(access(rec, R_OK), 0, "fixtures/expected/%s has no fixture", base);
	}
	globfree(&g);
}

/* ---- the command's exit codes ------------------------------------------- */

static int run_quiet(char *const argv[])
{
	return run_hunter(argv, "/dev/null", "/dev/null");
}

Test(golden, exit_codes_of_the_command)
{
	char settings[] = "/tmp/hunter-golden-settings-XXXXXX";
	int fd = mkstemp(settings);
	cr_assert_geq(fd, 0);
	const char text[] = "{\"globals\": {}, \"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 1000}}}";
	cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);

	char *help[] = {"hunter", "backtest", "--help", NULL};
	char *none[] = {"hunter", "backtest", NULL};
	char *no_rec[] = {"hunter", "backtest", "--settings", settings, NULL};
	char *bad_seed[] = {"hunter", "backtest", "--seed", "x1", "--settings", settings, "r", NULL};
	char *bad_opt[] = {"hunter", "backtest", "--frobnicate", NULL};
	char *no_settings[] = {"hunter", "backtest", "--settings", "/nonexistent.json", "r", NULL};
	char *no_file[] = {"hunter", "backtest", "--settings", settings, "/nonexistent.hrec", NULL};
	cr_expect_eq(run_quiet(help), 0);
	cr_expect_eq(run_quiet(none), 2);
	cr_expect_eq(run_quiet(no_rec), 2);
	cr_expect_eq(run_quiet(bad_seed), 2);
	cr_expect_eq(run_quiet(bad_opt), 2);
	cr_expect_eq(run_quiet(no_settings), 2);
	cr_expect_eq(run_quiet(no_file), 1);
	unlink(settings);
}
