/*
 * test_net.c - the net module's pure parts: URL rules (plain text only to
 * loopback), where base URLs come from, stream lists cut at 200 per
 * connection, subscription messages, and the backoff schedule's bounds.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

Test(net_url, splits_scheme_host_port_and_path)
{
	struct net_url u;
	char err[NET_ERR_MAX];
	cr_assert_eq(net_url_parse("wss://fstream.asterdex.com/stream?streams=a/b", &u, err), 0);
	cr_assert(u.tls && u.websocket);
	cr_assert_str_eq(u.host, "fstream.asterdex.com");
	cr_assert_eq(u.port, 443);
	cr_assert_str_eq(u.path, "/stream?streams=a/b");
	cr_assert_eq(net_url_parse("http://127.0.0.1:8080", &u, err), 0);
	cr_assert(!u.tls && !u.websocket);
	cr_assert_eq(u.port, 8080);
	cr_assert_str_eq(u.path, "/");
	cr_assert_eq(net_url_parse("ws://localhost/ws?x=1", &u, err), 0);
	cr_assert_str_eq(u.path, "/ws?x=1");
}

Test(net_url, refuses_plain_text_beyond_loopback_and_bad_urls)
{
	struct net_url u;
	char err[NET_ERR_MAX];
	static const char *const bad[] = {
		"http://fapi.asterdex.com", "ws://10.0.0.1:80/x", "ftp://127.0.0.1",
		"https://", "https://host:0", "https://host:99999", "https://host:12a",
		"https://ho st/", "fapi.asterdex.com",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(net_url_parse(bad[i], &u, err), -1, "%s accepted", bad[i]);
	net_url_parse("http://fapi.asterdex.com", &u, err);
	cr_assert_not_null(strstr(err, "loopback"), "%s", err);
}

Test(net_bases, option_then_environment_then_default)
{
	struct net_bases b;
	char err[NET_ERR_MAX];
	unsetenv("ASTER_REST_URL");
	unsetenv("ASTER_WS_URL");
	cr_assert_eq(net_bases_resolve(NULL, NULL, &b, err), 0);
	cr_assert_str_eq(b.rest, NET_DEFAULT_REST);
	cr_assert_str_eq(b.ws, NET_DEFAULT_WS);
	setenv("ASTER_REST_URL", "http://127.0.0.1:9000/", 1);
	setenv("ASTER_WS_URL", "ws://127.0.0.1:9001", 1);
	cr_assert_eq(net_bases_resolve(NULL, NULL, &b, err), 0);
	cr_assert_str_eq(b.rest, "http://127.0.0.1:9000", "a trailing / is dropped");
	cr_assert_str_eq(b.ws, "ws://127.0.0.1:9001");
	cr_assert_eq(net_bases_resolve("https://example.com", "wss://example.com/", &b, err), 0);
	cr_assert_str_eq(b.rest, "https://example.com");
	cr_assert_str_eq(b.ws, "wss://example.com");
}

Test(net_bases, each_base_needs_its_kind_of_scheme)
{
	struct net_bases b;
	char err[NET_ERR_MAX];
	unsetenv("ASTER_REST_URL");
	unsetenv("ASTER_WS_URL");
	cr_assert_eq(net_bases_resolve("wss://example.com", NULL, &b, err), -1);
	cr_assert_not_null(strstr(err, "REST"), "%s", err);
	cr_assert_eq(net_bases_resolve(NULL, "https://example.com", &b, err), -1);
	setenv("ASTER_WS_URL", "ws://example.com", 1);
	cr_assert_eq(net_bases_resolve(NULL, NULL, &b, err), -1);
	cr_assert_not_null(strstr(err, "ASTER_WS_URL"), "the message names the source: %s", err);
}

/* n names "s0".."s<n-1>" */
static char **names(size_t n)
{
	char **v = calloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i] = malloc(24); /* "s" and any size_t */
		snprintf(v[i], 24, "s%zu", i);
	}
	return v;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

Test(net_streams, split_at_200_per_connection)
{
	cr_assert_eq(net_stream_conns(0), 0);
	cr_assert_eq(net_stream_conns(1), 1);
	cr_assert_eq(net_stream_conns(200), 1);
	cr_assert_eq(net_stream_conns(201), 2);
	cr_assert_eq(net_stream_conns(401), 3);
}

Test(net_streams, url_takes_what_fits_and_says_how_many)
{
	size_t n = 200;
	char **v = names(n);
	char url[NET_STREAM_URL_MAX];
	cr_assert_eq(net_stream_url(url, sizeof url, "ws://h", (const char *const *)v, 3), 3);
	cr_assert_str_eq(url, "ws://h/stream?streams=s0/s1/s2");
	/* 200 names of 2-4 bytes fit in 2 KiB; 30 bytes hold the prefix and s0/s1 */
	cr_assert_eq(net_stream_url(url, sizeof url, "ws://h", (const char *const *)v, n), n);
	cr_assert(!strncmp(url, "ws://h/stream?streams=s0/s1/", 28), "%s", url);
	cr_assert_not_null(strstr(url, "/s199"));
	cr_assert_eq(net_stream_url(url, 30, "ws://h", (const char *const *)v, n), 2);
	cr_assert_str_eq(url, "ws://h/stream?streams=s0/s1", "no part of a name that did not fit");
	cr_assert_eq(net_stream_url(url, 10, "ws://h", (const char *const *)v, n), 0);
	free_names(v, n);
}

Test(net_streams, subscription_messages)
{
	const char *const v[] = {"btcusdt@aggTrade", "btcusdt@depth"};
	char buf[200];
	cr_assert_eq(net_sub_message(buf, sizeof buf, true, v, 2, 7), 0);
	cr_assert_str_eq(buf, "{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\","
	                      "\"btcusdt@depth\"],\"id\":7}");
	cr_assert_eq(net_sub_message(buf, sizeof buf, false, v, 1, 312), 0);
	cr_assert_str_eq(buf, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"btcusdt@aggTrade\"],"
	                      "\"id\":312}");
	cr_assert_eq(net_sub_message(buf, 30, true, v, 2, 1), -1);
}

Test(net_backoff, doubles_up_to_the_cap_with_jitter_in_the_upper_half)
{
	for (uint32_t attempt = 0; attempt < 40; attempt++) {
		int64_t step = 500;
		for (uint32_t i = 0; i < attempt && step < 30000; i++)
			step *= 2;
		if (step > 30000)
			step = 30000;
		int64_t lo = INT64_MAX, hi = 0;
		for (uint32_t rnd = 0; rnd < 5000; rnd += 7) {
			int64_t d = net_backoff_ms(attempt, 500, 30000, rnd * 2654435761u);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		cr_assert_geq(lo, step - step / 2, "attempt %u: %lld below half of %lld", attempt,
		              (long long)lo, (long long)step);
		cr_assert_leq(hi, step, "attempt %u: %lld above %lld", attempt, (long long)hi,
		              (long long)step);
		cr_assert_gt(hi - lo, step / 4, "attempt %u: jitter spreads the delays", attempt);
	}
	cr_assert_eq(net_backoff_ms(0, 500, 30000, 0), 250);
	cr_assert_eq(net_backoff_ms(0, 500, 30000, 250), 500);
}
