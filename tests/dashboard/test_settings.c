/*
 * The settings file from the dashboard: GET /api/config answers the
 * effective settings; POST /api/config with a document that loads keeps
 * the old file as .bak, puts the new one in place whole and raises the
 * reload flag once; with one that does not load it answers 400 with the
 * reasons and changes nothing.
 */
#include <sys/stat.h>

#include "config.h"
#include "harness.h"

#define TOKEN_HEADER "Authorization: Bearer tok\r\n"

TestSuite(settings, .init = scratch_make, .fini = scratch_remove, .timeout = 30);

/* The names in the scratch folder, sorted, joined by spaces. */
static char *listing(void)
{
	static char out[1024];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			strcat(out, names[i]->d_name);
			strcat(out, " ");
		}
		free(names[i]);
	}
	free(names);
	return out;
}

Test(settings, get_answers_the_effective_settings)
{
	struct answer a;
	dash_start(NULL);
	client_get(dashboard_port(dash), "/api/config", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = body_json(&a);
	cJSON *g = cJSON_GetObjectItem(j, "globals");
	cr_assert_eq(cJSON_GetObjectItem(g, "order_ttl_seconds")->valueint, 30);
	cr_assert_not_null(cJSON_GetObjectItem(g, "rate_limit_buffer_pct"), "defaults are filled in");
	cr_assert_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "symbols"), "BTCUSDT"));
	cr_assert_null(strstr(a.body, "secret"));
	cr_assert_null(strstr(a.body, "api_key"));
	cJSON_Delete(j);
	/* what it answers loads as a settings file */
	struct settings s;
	struct live_settings live;
	struct sim_params sim;
	static struct config_diag d;
	cr_assert_eq(config_load_text(a.body, a.len, &s, &live, &sim, &d), 0);
	config_free(&s);
	free(a.body);
}

Test(settings, post_of_a_valid_document_replaces_the_file)
{
	struct answer a;
	char *old = test_read_file(settings_path, NULL);
	chmod(settings_path, 0640);
	const char *doc = "{\"globals\":{\"order_ttl_seconds\":45,\"batch_orders\":true},"
	                  "\"symbols\":{\"BTCUSDT\":{\"leverage\":5}}}\n";
	dash_start("tok");
	cr_assert_not(dashboard_take_reload(dash));
	client_request(dashboard_port(dash), "POST", "/api/config", TOKEN_HEADER, doc, &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cJSON *j = body_json(&a);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "saved")));
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "backup")));
	cJSON *diags = cJSON_GetObjectItem(j, "diagnostics");
	cr_assert_eq(cJSON_GetObjectItem(diags, "warnings_total")->valueint, 1, "batch_orders");
	cJSON_Delete(j);
	free(a.body);

	char *now = test_read_file(settings_path, NULL);
	cr_assert_str_eq(now, doc, "the document is written byte for byte");
	char *bak = test_read_file(in_scratch("settings.json.bak"), NULL);
	cr_assert_str_eq(bak, old);
	cr_assert_str_eq(listing(), "settings.json settings.json.bak ", "no temporary file is left");
	struct stat st;
	cr_assert_eq(stat(settings_path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640, "the file keeps its mode");
	cr_assert(dashboard_take_reload(dash));
	cr_assert_not(dashboard_take_reload(dash), "the flag is taken once");

	client_get(dashboard_port(dash), "/api/config?token=tok", &a);
	j = body_json(&a);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "globals"), "order_ttl_seconds")
	                     ->valueint, 45, "GET answers the new settings");
	cJSON_Delete(j);
	free(a.body);
	free(now);
	free(bak);
	free(old);
}

static void expect_unchanged(const char *doc, const char *reason)
{
	struct answer a;
	char *before = test_read_file(settings_path, NULL);
	client_request(dashboard_port(dash), "POST", "/api/config", TOKEN_HEADER, doc, &a);
	cr_assert_eq(a.status, 400, "%s: %d %s", doc, a.status, a.body);
	cJSON *j = body_json(&a);
	cr_assert_str_eq(JSON_STR(j, "error"), "invalid settings: nothing was changed");
	cr_assert(strstr(a.body, reason), "'%s' lacks '%s'", a.body, reason);
	cJSON_Delete(j);
	free(a.body);
	char *after = test_read_file(settings_path, NULL);
	cr_assert_str_eq(after, before);
	cr_assert_str_eq(listing(), "settings.json ", "no backup, no temporary file");
	cr_assert_not(dashboard_take_reload(dash));
	free(before);
	free(after);
}

Test(settings, post_of_an_invalid_document_changes_nothing)
{
	dash_start("tok");
	expect_unchanged("{\"globals\":{\"order_ttl_seconds\":-5}}", "globals.order_ttl_seconds");
	expect_unchanged("{\"globals\":{\"no_such_key\":1}}", "globals.no_such_key");
	expect_unchanged("{\"globals\":", "");
	expect_unchanged("[]", "");
	expect_unchanged("", "");
}

Test(settings, post_when_there_is_no_file_yet_makes_one)
{
	struct answer a;
	remove(settings_path);
	dash_start("tok");
	client_request(dashboard_port(dash), "POST", "/api/config", TOKEN_HEADER,
	               "{\"symbols\": {\"BTCUSDT\": {}}}", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_assert(strstr(a.body, "\"backup\":false"), "%s", a.body);
	free(a.body);
	cr_assert_str_eq(listing(), "settings.json ");
	cr_assert(dashboard_take_reload(dash));
}

Test(settings, get_of_a_file_that_does_not_load_says_why)
{
	struct answer a;
	test_write_file(settings_path, "{\"globals\":{\"leverage\":1}}");
	dash_start(NULL);
	client_get(dashboard_port(dash), "/api/config", &a);
	cr_assert_eq(a.status, 500);
	cr_assert(strstr(a.body, "the settings file does not load"), "%s", a.body);
	cr_assert(strstr(a.body, "globals.leverage"), "%s", a.body);
	free(a.body);
}
