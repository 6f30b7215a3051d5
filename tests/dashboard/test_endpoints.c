/*
 * The dashboard's endpoints without a run database: the snapshot's parts
 * as JSON and on the page, a snapshot that is not JSON, hostile text in
 * one, and requests that are not the dashboard's (unknown paths, other
 * methods, bodies too large). The run database's endpoints are tested on
 * a real run in tests/dashboard_e2e.
 */
#include "harness.h"
#include "sample.h"

TestSuite(endpoints, .init = scratch_make, .fini = scratch_remove, .timeout = 30);

Test(endpoints, before_any_snapshot_the_page_says_so)
{
	struct answer a;
	dash_start(NULL);
	client_get(dashboard_port(dash), "/", &a);
	cr_assert_eq(a.status, 200);
	cr_assert(strstr(a.headers, "text/html"), "%s", a.headers);
	cr_assert(strstr(a.body, "No snapshot from the live process yet."), "%s", a.body);
	cr_assert(strstr(a.body, "run.db: unable to open"), "the missing database is named");
	free(a.body);
	client_get(dashboard_port(dash), "/api/account", &a);
	cr_assert_eq(a.status, 503, "%s", a.body);
	free(a.body);
	client_get(dashboard_port(dash), "/api/stats", &a);
	cr_assert_eq(a.status, 200);
	cJSON *j = body_json(&a);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "health")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "pnl")));
	cr_assert(strstr(JSON_STR(j, "pnl_error"), "unable to open"));
	cJSON_Delete(j);
	free(a.body);
}

Test(endpoints, account_positions_and_stats_come_from_the_snapshot)
{
	struct answer a;
	dash_start(NULL);
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	int port = dashboard_port(dash);

	client_get(port, "/api/account", &a);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_assert(strstr(a.headers, "application/json"));
	cJSON *j = body_json(&a);
	cr_assert_str_eq(JSON_STR(j, "account", "wallet"), "1000.5");
	cr_assert_str_eq(JSON_STR(j, "account", "margin_used"), "20.1");
	cr_assert_eq(cJSON_GetObjectItem(j, "updated_ms")->valuedouble, 1737996900306.0);
	cJSON_Delete(j);
	free(a.body);

	client_get(port, "/api/positions", &a);
	j = body_json(&a);
	cJSON *pos = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "positions"), 0);
	cr_assert_str_eq(JSON_STR(pos, "symbol"), "BTCUSDT");
	cr_assert_str_eq(JSON_STR(pos, "qty"), "0.002");
	cJSON *tr = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "tranches"), 0);
	cr_assert_str_eq(JSON_STR(tr, "tp"), "100801.6");
	cr_assert_str_eq(JSON_STR(tr, "sl"), "98992.6");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "open_orders")), 2);
	cJSON_Delete(j);
	free(a.body);

	client_get(port, "/api/stats", &a);
	j = body_json(&a);
	cr_assert_str_eq(JSON_STR(j, "mode"), "live");
	cJSON *counts = cJSON_GetObjectItem(j, "counts");
	cr_assert_eq(cJSON_GetObjectItem(counts, "positions")->valueint, 1);
	cr_assert_eq(cJSON_GetObjectItem(counts, "open_orders")->valueint, 2);
	cr_assert_eq(cJSON_GetObjectItem(counts, "snapshots")->valueint, 1);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "health"), "weight_used")->valueint,
	             120);
	cJSON_Delete(j);
	free(a.body);
}

Test(endpoints, the_page_shows_every_part_of_the_snapshot)
{
	struct answer a;
	dash_start(NULL);
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	client_get(dashboard_port(dash), "/", &a);
	cr_assert_eq(a.status, 200);
	static const char *const want[] = {
		"<td data-key=\"symbol\">BTCUSDT</td><td data-key=\"side\">LONG</td>",
		"<td data-key=\"tp\" class=\"num\">100801.6</td>",
		"<td data-key=\"sl\" class=\"num\">98992.6</td>",
		"<td data-key=\"client_id\">h-sl-1</td>",
		"<td data-key=\"wallet\" class=\"num\">1000.5</td>",
		"<td data-key=\"weight_limit\" class=\"num\">2400</td>",
		"updated 2025-01-27T16:55:00.306Z",
		"setInterval(tick,3000)",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(a.body, want[i]), "the page lacks %s", want[i]);
	cr_assert_null(strstr(a.body, "http://"), "the page loads nothing from elsewhere");
	free(a.body);
	client_get(dashboard_port(dash), "/panel", &a);
	cr_assert_eq(a.status, 200);
	cr_assert(strstr(a.body, want[0]));
	cr_assert_null(strstr(a.body, "<script"), "the panel is the page's part only");
	free(a.body);
}

Test(endpoints, snapshot_text_is_escaped_on_the_page)
{
	struct answer a;
	dash_start(NULL);
	dashboard_publish(dash, "{\"mode\":\"<b>\",\"positions\":[{\"symbol\":"
	                        "\"</td><script>alert(1)</script>\",\"side\":\"a&b\\\"'\"}]}");
	client_get(dashboard_port(dash), "/", &a);
	cr_assert_null(strstr(a.body, "<script>alert"), "%s", a.body);
	cr_assert(strstr(a.body, "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
	cr_assert(strstr(a.body, "a&amp;b&quot;&#39;"));
	cr_assert(strstr(a.body, "Mode <b>&lt;b&gt;</b>"));
	free(a.body);
}

Test(endpoints, text_that_is_not_a_json_object_is_ignored)
{
	struct answer a;
	dash_start(NULL);
	dashboard_publish(dash, SAMPLE_SNAPSHOT);
	dashboard_publish(dash, "{\"positions\": [");
	dashboard_publish(dash, "[1,2]");
	dashboard_publish(dash, NULL);
	client_get(dashboard_port(dash), "/api/positions", &a);
	cr_assert(strstr(a.body, "BTCUSDT"), "the last good snapshot stays: %s", a.body);
	free(a.body);
	rewind(diag);
	char text[512] = "";
	cr_assert_gt(fread(text, 1, sizeof text - 1, diag), 0);
	cr_assert(strstr(text, "dashboard: snapshot ignored: not JSON"), "%s", text);
	cr_assert(strstr(text, "dashboard: snapshot ignored: not a JSON object"), "%s", text);
}

Test(endpoints, requests_that_are_not_the_dashboards)
{
	struct answer a;
	dash_start(NULL);
	int port = dashboard_port(dash);
	static const char *const unknown[] = {"/api", "/api/", "/api/positions/x", "/index.html",
	                                      "/../etc/passwd", "/api/config.bak"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		client_get(port, unknown[i], &a);
		cr_assert_eq(a.status, 404, "%s: %d", unknown[i], a.status);
		free(a.body);
	}
	char longpath[2000];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	client_get(port, longpath, &a);
	cr_assert_eq(a.status, 404);
	free(a.body);
	client_request(port, "POST", "/api/positions", "", "{}", &a);
	cr_assert_eq(a.status, 405);
	free(a.body);
	client_request(port, "DELETE", "/api/config", "", NULL, &a);
	cr_assert_eq(a.status, 405);
	free(a.body);
}

Test(endpoints, clients_that_leave_without_asking_do_no_harm)
{
	struct answer a;
	dash_start(NULL);
	close(client_connect(dashboard_port(dash)));
	int fd = client_connect(dashboard_port(dash));
	cr_assert_eq(write(fd, "GET /api/sta", 12), 12);
	close(fd);
	fd = client_send(dashboard_port(dash), "POST", "/api/config", "", "{\"globals\":{}}");
	close(fd);
	client_get(dashboard_port(dash), "/api/stats", &a);
	cr_assert_eq(a.status, 200);
	free(a.body);
}

Test(endpoints, bodies_too_large_are_refused)
{
	struct answer a;
	dash_start("t0k3n");
	size_t n = (1u << 20) + 10;
	char *big = malloc(n + 1);
	memset(big, ' ', n);
	big[n] = '\0';
	client_request(dashboard_port(dash), "POST", "/api/config", "X-Hunter-Token: t0k3n\r\n", big,
	               &a);
	cr_assert_eq(a.status, 413, "%d %s", a.status, a.body);
	free(a.body);
	client_request(dashboard_port(dash), "POST", "/api/config", "", big, &a);
	cr_assert_eq(a.status, 401, "refused on its headers, before the body: %d", a.status);
	free(a.body);
	free(big);
	client_get(dashboard_port(dash), "/api/stats?token=t0k3n", &a);
	cr_assert_eq(a.status, 200, "still serving");
	free(a.body);
}
