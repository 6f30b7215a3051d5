/*
 * Unit tests for the HTTP/1.1 answer reader of the kept-alive lanes
 * (net/h1.c): bodies by Content-Length, chunked coding and the
 * connection's end; an answer cut anywhere is "more to come" until it is
 * whole; interim answers are skipped; bytes past the answer are left; and
 * what is no HTTP/1.1 answer is refused with a reason.
 */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <string.h>

#include "net_int.h"

static long parse(const char *s, bool eof, struct net_h1 *a, char *err)
{
	err[0] = '\0';
	return net_h1_parse(s, strlen(s), eof, a, err);
}

Test(h1, content_length)
{
	const char *s = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	                "X-MBX-USED-WEIGHT-1M: 7\r\nContent-Length: 11\r\n\r\n{\"code\":-1}";
	struct net_h1 a;
	char err[NET_ERR_MAX];
	cr_assert_eq(parse(s, false, &a, err), (long)strlen(s), "%s", err);
	cr_assert_eq(a.status, 200);
	cr_assert_str_eq(a.body, "{\"code\":-1}");
	cr_assert(!a.close);
	cr_assert(memmem(a.headers, a.headers_len, "X-MBX-USED-WEIGHT-1M: 7\r\n", 25));
	free(a.body);
}

Test(h1, cut_anywhere_is_more_to_come)
{
	const char *whole[] = {
		"HTTP/1.1 400 Bad Request\r\nContent-Length: 4\r\n\r\nnope",
		("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nchun\r\n3;ext=1\r\nked\r\n"
		 "0\r\nX-Trailer: 1\r\n\r\n"),
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
	};
	const char *bodies[] = {"nope", "chunked", ""};
	for (size_t k = 0; k < 3; k++) {
		size_t n = strlen(whole[k]);
		char err[NET_ERR_MAX];
		struct net_h1 a;
		for (size_t cut = 0; cut < n; cut++)
			cr_assert_eq(net_h1_parse(whole[k], cut, false, &a, err), 0,
			             "answer %zu cut at %zu: %s", k, cut, err);
		cr_assert_eq(net_h1_parse(whole[k], n, false, &a, err), (long)n, "%zu: %s", k, err);
		cr_assert_str_eq(a.body, bodies[k]);
		free(a.body);
	}
}

Test(h1, bytes_past_the_answer_are_left)
{
	const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200";
	struct net_h1 a;
	char err[NET_ERR_MAX];
	cr_assert_eq(parse(s, false, &a, err), (long)strlen(s) - 12);
	free(a.body);
}

Test(h1, body_to_the_end_of_the_connection)
{
	const char *s = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n{\"a\":1}";
	struct net_h1 a;
	char err[NET_ERR_MAX];
	cr_assert_eq(parse(s, false, &a, err), 0, "the end is not known yet");
	cr_assert_eq(parse(s, true, &a, err), (long)strlen(s));
	cr_assert_str_eq(a.body, "{\"a\":1}");
	cr_assert(a.close);
	free(a.body);
}

Test(h1, connection_close_and_http_1_0)
{
	struct net_h1 a;
	char err[NET_ERR_MAX];
	cr_assert_gt(parse("HTTP/1.1 503 x\r\nconnection: Close\r\ncontent-length: 0\r\n\r\n", false,
	                   &a, err), 0);
	cr_assert(a.close);
	cr_assert_eq(a.status, 503);
	free(a.body);
	cr_assert_gt(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, &a, err), 0);
	cr_assert(a.close, "HTTP/1.0 closes");
	free(a.body);
}

Test(h1, what_is_no_answer_is_refused)
{
	const char *bad[] = {
		"HTTP/2 200\r\n\r\n",
		"SSH-2.0-OpenSSH\r\n\r\n",
		"HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffff\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct net_h1 a;
		char err[NET_ERR_MAX];
		cr_assert_eq(parse(bad[i], false, &a, err), -1, "accepted: %s", bad[i]);
		cr_assert(err[0], "a reason for: %s", bad[i]);
	}
}

Test(h1, an_end_in_the_middle_is_an_error)
{
	const char *cut[] = {
		"HTTP/1.1 200 OK\r\nContent-Len",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nch",
	};
	for (size_t i = 0; i < 3; i++) {
		struct net_h1 a;
		char err[NET_ERR_MAX];
		cr_assert_eq(parse(cut[i], true, &a, err), -1, "%s", cut[i]);
		cr_assert(strstr(err, "closed"), "%s", err);
	}
}

Test(h1, a_head_without_end_is_bounded)
{
	size_t n = 70000;
	char *s = malloc(n + 1);
	memcpy(s, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(s + 20, 'a', n - 20);
	s[n] = '\0';
	struct net_h1 a;
	char err[NET_ERR_MAX];
	cr_assert_eq(parse(s, false, &a, err), -1);
	cr_assert(strstr(err, "64 KiB"), "%s", err);
	free(s);
}
