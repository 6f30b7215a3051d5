/*
 * Tests for the kept-alive lanes of urgent requests (net/lane.c) against a
 * small HTTP/1.1 server of this file, in a child process, plain and TLS:
 * the first urgent request goes through libcurl and opens lanes, the next
 * ones go on a lane and reuse its connection, a non-urgent one never does,
 * chunked answers and their headers arrive whole, a lane the server hung
 * up is closed and not used again, an answer that never comes is a
 * timeout, the pool grows after a burst took every lane ready, and a host
 * said to take orders gets its lanes before the first.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net_int.h"

/* ---- the server ---------------------------------------------------------- */

static long rd(int fd, SSL *ssl, char *b, size_t n)
{
	return ssl ? SSL_read(ssl, b, (int)n) : read(fd, b, n);
}

static void wr(int fd, SSL *ssl, const char *s)
{
	if (ssl)
		SSL_write(ssl, s, (int)strlen(s));
	else if (write(fd, s, strlen(s)) < 0)
		_exit(1);
}

/* The bytes of one whole request at the start of b[0..len), or 0. */
static size_t request_len(const char *b, size_t len)
{
	const char *end = memmem(b, len, "\r\n\r\n", 4);
	if (!end)
		return 0;
	const char *cl = memmem(b, (size_t)(end - b), "Content-Length: ", 16);
	size_t head = (size_t)(end - b) + 4, body = cl ? (size_t)atol(cl + 16) : 0;
	return len >= head + body ? head + body : 0;
}

/* One connection: answers each request by its path, counting them. */
static void serve_conn(int fd, SSL *ssl)
{
	char b[65536], out[512];
	size_t len = 0;
	for (int count = 1;; count++) {
		size_t n;
		while (!(n = request_len(b, len))) {
			long got = rd(fd, ssl, b + len, sizeof b - len - 1);
			if (got <= 0)
				_exit(0);
			len += (size_t)got;
		}
		if (memmem(b, n, " /silent", 8))
			pause();
		if (memmem(b, n, " /hangup", 8)) { /* answers as if it kept the connection */
			wr(fd, ssl, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhangup");
			_exit(0);
		}
		if (memmem(b, n, " /chunked", 9))
			snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
			                          "X-Path: /chunked\r\n\r\n4\r\nchun\r\n3;x=1\r\nked\r\n0\r\n\r\n");
		else
			snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n{\"n\":%d}",
			         count < 10 ? 7 : 8, count);
		wr(fd, ssl, out);
		memmove(b, b + n, len - n);
		len -= n;
	}
}

static pid_t server_pid;
static int server_port;
static char cert[128], key[128];

static void serve(bool tls)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(s, 16), 0);
	getsockname(s, (struct sockaddr *)&a, &al);
	server_port = ntohs(a.sin_port);
	SSL_CTX *ctx = NULL;
	if (tls) {
		ctx = SSL_CTX_new(TLS_server_method());
		cr_assert(SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) == 1 &&
		          SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1);
	}
	if ((server_pid = fork()) != 0) {
		close(s);
		return;
	}
	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		int fd = accept(s, NULL, NULL);
		if (fd >= 0 && fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			SSL *ssl = ctx ? SSL_new(ctx) : NULL;
			if (ssl && (SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1))
				_exit(0);
			serve_conn(fd, ssl);
		}
		if (fd >= 0)
			close(fd);
	}
}

static void stop(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
}

/* ---- the client ---------------------------------------------------------- */

struct got {
	int n;
	long status;
	char body[256], err[256], path_header[64];
};

static void on_answer(void *ctx, const struct net_reply *a)
{
	struct got *g = ctx;
	g->n++;
	g->status = a->status;
	snprintf(g->body, sizeof g->body, "%.*s", (int)a->len, a->body);
	snprintf(g->err, sizeof g->err, "%s", a->err ? a->err : "");
	if (!net_reply_header(a, "x-path", g->path_header, sizeof g->path_header))
		g->path_header[0] = '\0';
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends a request to `path` on the server; g hears its answer. */
static void send_to(net_loop *l, bool tls, const char *path, bool urgent, int64_t timeout_ms,
                    struct got *g)
{
	char url[128], err[NET_ERR_MAX];
	snprintf(url, sizeof url, "%s://127.0.0.1:%d%s", tls ? "https" : "http", server_port, path);
	struct net_request rq = {"POST", url, "symbol=BTCUSDT&side=BUY", "X-MBX-APIKEY: k",
	                         timeout_ms, urgent, NULL};
	cr_assert_eq(net_http(l, &rq, on_answer, g, err), 0, "%s", err);
}

/* A request to `path` on the server, its answer waited for. */
static struct got ask(net_loop *l, bool tls, const char *path, bool urgent, int64_t timeout_ms)
{
	struct got g = {0};
	send_to(l, tls, path, urgent, timeout_ms, &g);
	for (int64_t end = now_ms() + timeout_ms + 2000; !g.n && now_ms() < end;)
		net_loop_run(l, 5);
	cr_assert_eq(g.n, 1, "%s: one answer", path);
	return g;
}

static struct net_stats stats(const net_loop *l)
{
	struct net_stats st;
	net_loop_stats(l, &st);
	return st;
}

static void turn(net_loop *l, int ms)
{
	for (int64_t end = now_ms() + ms; now_ms() < end;)
		net_loop_run(l, 5);
}

/* Runs the loop until the lanes to the server are open. */
static void lanes_open(net_loop *l)
{
	turn(l, 2000);
	cr_assert_gt(stats(l).lanes_opened, 0, "lanes opened after an urgent request");
}

/* A plain-text server, and a loop whose lanes to it are open. */
static net_loop *with_lanes(void)
{
	serve(false);
	char err[NET_ERR_MAX];
	net_loop *l = net_loop_new(NULL, err);
	cr_assert(l, "%s", err);
	ask(l, false, "/fapi/v1/order", true, 2000);
	lanes_open(l);
	return l;
}

static void keeps_lanes(bool tls)
{
	char err[NET_ERR_MAX];
	net_loop *l = net_loop_new(tls ? cert : NULL, err);
	cr_assert(l, "%s", err);
	struct got g = ask(l, tls, "/fapi/v1/order", true, 2000);
	cr_assert_eq(g.status, 200, "%s", g.err);
	cr_assert_eq(stats(l).lane_requests, 0, "the first goes through libcurl");
	lanes_open(l);
	for (int i = 1; i <= 3; i++) {
		g = ask(l, tls, "/fapi/v1/order", true, 2000);
		char want[32];
		snprintf(want, sizeof want, "{\"n\":%d}", i);
		cr_assert_str_eq(g.body, want, "request %d on the same kept-alive connection", i);
	}
	cr_assert_eq(stats(l).lane_requests, 3);
	g = ask(l, tls, "/fapi/v1/exchangeInfo", false, 2000);
	cr_assert_eq(g.status, 200);
	cr_assert_eq(stats(l).lane_requests, 3, "a request that is not urgent takes no lane");
	g = ask(l, tls, "/chunked", true, 2000);
	cr_assert_str_eq(g.body, "chunked");
	cr_assert_str_eq(g.path_header, "/chunked");
	cr_assert_eq(stats(l).lane_requests, 4);
	net_loop_free(l);
}

TestSuite(lane, .fini = stop);

Test(lane, urgent_requests_go_on_kept_alive_connections, .timeout = 30)
{
	serve(false);
	keeps_lanes(false);
}

Test(lane, over_tls_verified_by_the_ca_file, .timeout = 30)
{
	snprintf(cert, sizeof cert, "/tmp/hunter-lane-%d-cert.pem", (int)getpid());
	snprintf(key, sizeof key, "/tmp/hunter-lane-%d-key.pem", (int)getpid());
	char cmd[512];
	snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s "
	                          "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -days 2 "
	                          ">/dev/null 2>&1", key, cert);
	if (system(cmd) != 0)
		cr_skip_test("the openssl command is needed to make a test certificate");
	serve(true);
	keeps_lanes(true);
	unlink(cert);
	unlink(key);
}

/* The warming's rehearsal goes as far as choosing the lane: nothing
 * written, the lane still idle, the connection's first request is the
 * real one. */
Test(lane, a_rehearsed_request_finds_its_lane_and_writes_nothing, .timeout = 30)
{
	serve(false);
	char url[128], err[NET_ERR_MAX];
	net_loop *l = net_loop_new(NULL, err);
	cr_assert(l, "%s", err);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/fapi/v1/order", server_port);
	struct net_request rq = {"POST", url, "symbol=BTCUSDT&side=BUY", "X-MBX-APIKEY: k", 2000,
	                         true, NULL};
	cr_assert(!net_http_rehearse(l, &rq), "no lane open yet");
	ask(l, false, "/fapi/v1/order", true, 2000);
	lanes_open(l);
	for (int i = 0; i < 3; i++)
		cr_assert(net_http_rehearse(l, &rq), "a lane would take it");
	rq.urgent = false;
	cr_assert(!net_http_rehearse(l, &rq), "a request that is not urgent takes no lane");
	turn(l, 300);
	cr_assert_eq(stats(l).lane_requests, 0);
	struct got g = ask(l, false, "/fapi/v1/order", true, 2000);
	cr_assert_str_eq(g.body, "{\"n\":1}", "the server heard nothing before the real one");
	cr_assert_eq(stats(l).lane_requests, 1);
	net_loop_free(l);
}

/* A client that parsed its URL once hands it over parsed: the lane's
 * request line and Host come from it, as from the URL itself. */
Test(lane, a_request_given_its_parsed_url_goes_where_it_says, .timeout = 30)
{
	net_loop *l = with_lanes();
	char url[128], err[NET_ERR_MAX];
	struct net_url at;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/chunked", server_port);
	cr_assert_eq(net_url_parse(url, &at, err), 0, "%s", err);
	struct net_request rq = {"POST", url, "symbol=BTCUSDT", "X-MBX-APIKEY: k", 2000, true, &at};
	struct got g = {0};
	cr_assert_eq(net_http(l, &rq, on_answer, &g, err), 0, "%s", err);
	for (int64_t end = now_ms() + 3000; !g.n && now_ms() < end;)
		net_loop_run(l, 5);
	cr_assert_str_eq(g.body, "chunked");
	cr_assert_str_eq(g.path_header, "/chunked");
	cr_assert_eq(stats(l).lane_requests, 1, "on a lane");
	net_loop_free(l);
}

Test(lane, a_connection_the_server_closed_is_not_used_again, .timeout = 30)
{
	net_loop *l = with_lanes();
	struct got g = ask(l, false, "/hangup", true, 2000);
	cr_assert_str_eq(g.body, "hangup");
	uint64_t closed = stats(l).lanes_closed;
	turn(l, 1500);
	cr_assert_eq(stats(l).lanes_closed, closed + 1, "the lane hung up is closed");
	uint64_t sent = stats(l).lane_requests;
	for (int i = 0; i < 6; i++) {
		g = ask(l, false, "/fapi/v1/order", true, 2000);
		cr_assert_eq(g.status, 200, "%s", g.err);
	}
	cr_assert_eq(stats(l).lane_requests, sent + 6, "every one on a lane");
	net_loop_free(l);
}

Test(lane, an_answer_that_never_comes_times_out, .timeout = 30)
{
	net_loop *l = with_lanes();
	struct got g = ask(l, false, "/silent", true, 300);
	cr_assert_eq(stats(l).lane_requests, 1);
	cr_assert_eq(g.status, 0);
	cr_assert(strstr(g.err, "timed out"), "%s", g.err);
	g = ask(l, false, "/fapi/v1/order", true, 2000);
	cr_assert_eq(g.status, 200, "the next one is answered: %s", g.err);
	net_loop_free(l);
}

/* Orders fired together, each before the answers of the others: the pool
 * grows while lanes are busy, so the next burst finds a lane for each. */
static int burst(net_loop *l, int n)
{
	struct got g[16] = {{0}};
	uint64_t sent = stats(l).lane_requests;
	for (int i = 0; i < n; i++)
		send_to(l, false, "/fapi/v1/order", true, 2000, &g[i]);
	int on_lanes = (int)(stats(l).lane_requests - sent);
	for (int64_t end = now_ms() + 4000, heard = 0; heard < n && now_ms() < end;) {
		net_loop_run(l, 5);
		heard = 0;
		for (int i = 0; i < n; i++)
			heard += g[i].n;
	}
	for (int i = 0; i < n; i++)
		cr_assert_eq(g[i].status, 200, "order %d of the burst answered: %s", i, g[i].err);
	return on_lanes;
}

Test(lane, a_burst_of_orders_finds_a_lane_for_each, .timeout = 30)
{
	net_loop *l = with_lanes();
	cr_assert_eq(burst(l, NET_LANES_READY + 2), NET_LANES_READY,
	             "the first burst fills the lanes ready, the rest go through libcurl");
	turn(l, 500);
	cr_assert_eq(burst(l, NET_LANES_READY + 2), NET_LANES_READY + 2,
	             "the pool grew: every order of the next burst on a lane");
	net_loop_free(l);
}

Test(lane, a_host_said_to_take_orders_gets_lanes_before_the_first, .timeout = 30)
{
	serve(false);
	char err[NET_ERR_MAX], url[64];
	net_loop *l = net_loop_new(NULL, err);
	cr_assert(l, "%s", err);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", server_port);
	cr_assert_eq(net_http_expect_urgent(l, url, err), 0, "%s", err);
	cr_assert_eq(ask(l, false, "/fapi/v1/time", false, 2000).status, 200);
	lanes_open(l);
	cr_assert_eq(ask(l, false, "/fapi/v1/order", true, 2000).status, 200);
	cr_assert_eq(stats(l).lane_requests, 1, "the first order on a lane");
	cr_assert_eq(net_http_expect_urgent(l, "ftp://x", err), -1);
	net_loop_free(l);
}
