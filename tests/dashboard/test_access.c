/*
 * Who may reach the dashboard: loopback unless a token is set, a token of
 * URL-safe characters, and with a token every request carrying it (in a
 * header, or for a GET in the query), while a change (POST) needs it in a
 * header even on loopback.
 */
#include "harness.h"

TestSuite(access, .init = scratch_make, .fini = scratch_remove, .timeout = 30);

static void refused(const char *bind, const char *token, const char *why)
{
	char err[256] = "";
	struct dashboard_opts o = {.bind = bind, .token = token, .db_path = db_path,
	                           .settings_path = settings_path};
	dashboard_t *d = dashboard_start(&o, err, sizeof err);
	cr_assert_null(d, "%s with token %s was allowed", bind, token ? token : "(none)");
	cr_assert(strstr(err, why), "'%s' lacks '%s'", err, why);
}

Test(access, other_addresses_than_loopback_need_a_token)
{
	refused("0.0.0.0", NULL, "binding to 0.0.0.0, reachable from other machines, needs a token");
	refused("192.168.1.10", NULL, "needs a token");
	refused("localhost", NULL, "cannot bind to 'localhost': not an IPv4 address");
	refused("127.0.0.1", "has space", "the token must be 1 to 255 letters, digits or '-._~'");
	refused("127.0.0.1", "", "the token must be");
	refused("127.0.0.1", "a&b=c", "the token must be");
}

Test(access, any_address_with_a_token_listens)
{
	char err[256] = "";
	struct dashboard_opts o = {.bind = "0.0.0.0", .token = "s3cret-T0ken", .db_path = db_path,
	                           .settings_path = settings_path};
	dash = dashboard_start(&o, err, sizeof err);
	cr_assert_not_null(dash, "%s", err);
	struct answer a;
	client_get(dashboard_port(dash), "/api/stats?token=s3cret-T0ken", &a);
	cr_assert_eq(a.status, 200);
	free(a.body);
}

static int status(const char *method, const char *path, const char *headers)
{
	struct answer a;
	client_request(dashboard_port(dash), method, path, headers,
	               strcmp(method, "POST") ? NULL : "{", &a);
	free(a.body);
	return a.status;
}

Test(access, with_a_token_every_request_carries_it)
{
	dash_start("s3cret-T0ken");
	static const char *const paths[] = {"/", "/panel", "/api/account", "/api/positions",
	                                    "/api/stats", "/api/trades", "/api/liquidations",
	                                    "/api/events", "/api/config"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct answer a;
		client_get(dashboard_port(dash), paths[i], &a);
		cr_assert_eq(a.status, 401, "%s without the token: %d", paths[i], a.status);
		cr_assert(strstr(a.headers, "www-authenticate: Bearer"), "%s", a.headers);
		free(a.body);
	}
	cr_assert_eq(status("GET", "/api/stats", "Authorization: Bearer wrong\r\n"), 401);
	cr_assert_eq(status("GET", "/api/stats", "Authorization: Bearer s3cret-T0ke\r\n"), 401);
	cr_assert_eq(status("GET", "/api/stats", "Authorization: Bearer s3cret-T0ken2\r\n"), 401);
	cr_assert_eq(status("GET", "/api/stats", "Authorization: Basic s3cret-T0ken\r\n"), 401);
	cr_assert_eq(status("GET", "/api/stats?token=wrong", ""), 401);
	cr_assert_eq(status("GET", "/api/stats", "Authorization: Bearer s3cret-T0ken\r\n"), 200);
	cr_assert_eq(status("GET", "/api/stats", "X-Hunter-Token: s3cret-T0ken\r\n"), 200);
	cr_assert_eq(status("GET", "/api/stats?token=s3cret-T0ken", ""), 200);
	cr_assert_eq(status("GET", "/?token=s3cret-T0ken", ""), 200);
	/* a change needs the token in a header: a URL is too easy to hand out */
	cr_assert_eq(status("POST", "/api/config?token=s3cret-T0ken", ""), 401);
	cr_assert_eq(status("POST", "/api/config", "X-Hunter-Token: s3cret-T0ken\r\n"), 400);
}

Test(access, without_a_token_changes_are_refused)
{
	dash_start(NULL);
	cr_assert_eq(status("GET", "/api/config", ""), 200);
	cr_assert_eq(status("POST", "/api/config", ""), 403);
	cr_assert_eq(status("POST", "/api/config", "X-Hunter-Token: anything\r\n"), 403);
	cr_assert_not(dashboard_take_reload(dash));
}

/* client.h sends Host: 127.0.0.1; a second Host header would be ambiguous,
 * so these requests are written whole. */
static int status_with_host(const char *host)
{
	char req[256];
	struct answer a;
	int fd = client_connect(dashboard_port(dash));
	int n = snprintf(req, sizeof req, "GET /api/stats HTTP/1.1\r\n%s\r\nConnection: close"
	                 "\r\n\r\n", host);
	cr_assert_eq(write(fd, req, (size_t)n), n);
	client_read(fd, &a, host);
	free(a.body);
	return a.status;
}

Test(access, without_a_token_only_local_names_are_answered)
{
	dash_start(NULL);
	cr_assert_eq(status_with_host("Host: 127.0.0.1"), 200);
	cr_assert_eq(status_with_host("Host: localhost:8080"), 200);
	cr_assert_eq(status_with_host("Host: 127.1.2.3:1"), 200);
	cr_assert_eq(status_with_host("Host: evil.example"), 403, "DNS rebinding");
	cr_assert_eq(status_with_host("Host: 127.0.0.1.evil.example"), 403);
	cr_assert_eq(status_with_host("X-No-Host: 1"), 403);
}
