/*
 * harness.h - one dashboard per test: a scratch folder holding a copy of
 * the demo settings (and no run database unless the test makes one), the
 * dashboard started on a free loopback port, stopped after the test.
 */
#ifndef HUNTER_TEST_DASHBOARD_HARNESS_H
#define HUNTER_TEST_DASHBOARD_HARNESS_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <libwebsockets.h>

#include "client.h"
#include "dashboard.h"
#include "support.h"

#define DEMO_SETTINGS HUNTER_SOURCE_DIR "/fixtures/settings/demo.json"

static char dir[128];
static char settings_path[256], db_path[256];
static dashboard_t *dash;
static FILE *diag; /* the dashboard's messages, read by tests */

static inline void scratch_make(void)
{
	snprintf(dir, sizeof dir, "/tmp/dashboard-XXXXXX");
	test_dir_make(dir);
	snprintf(settings_path, sizeof settings_path, "%s/settings.json", dir);
	snprintf(db_path, sizeof db_path, "%s/run.db", dir);
	char *demo = test_read_file(DEMO_SETTINGS, NULL);
	test_write_file(settings_path, demo);
	free(demo);
	diag = tmpfile();
	cr_assert_not_null(diag);
	lws_set_log_level(LLL_ERR, NULL); /* the owner's choice: here, errors only */
}

static inline void scratch_remove(void)
{
	dashboard_stop(dash);
	dash = NULL;
	fclose(diag);
	test_dir_remove(dir);
}

/* A path in the scratch folder (the last two calls stay valid). */
static inline const char *in_scratch(const char *name)
{
	static char p[2][256];
	static int k;
	k ^= 1;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

/* Starts the dashboard on a free port of 127.0.0.1, with `token`. */
static inline void dash_start(const char *token)
{
	char err[256] = "";
	struct dashboard_opts o = {.token = token, .db_path = db_path,
	                           .settings_path = settings_path, .diag = diag};
	dash = dashboard_start(&o, err, sizeof err);
	cr_assert_not_null(dash, "dashboard_start: %s", err);
	cr_assert_gt(dashboard_port(dash), 0);
}

/* The answer's body as JSON (the test fails when it is not). */
static inline cJSON *body_json(const struct answer *a)
{
	cJSON *j = cJSON_Parse(a->body);
	cr_assert_not_null(j, "not JSON: %s", a->body);
	return j;
}

/* The string at a path of keys ("account", "wallet", NULL). */
static inline const char *json_str(const cJSON *j, const char *const *keys)
{
	for (; *keys; keys++)
		j = cJSON_GetObjectItemCaseSensitive(j, *keys);
	cr_assert(cJSON_IsString(j), "not a string");
	return j->valuestring;
}

#define JSON_STR(j, ...) json_str((j), (const char *const[]){__VA_ARGS__, NULL})

#endif
