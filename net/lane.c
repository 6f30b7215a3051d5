/*
 * lane.c - hunter's own kept-alive HTTP/1.1 connections ("lanes") for the
 * requests that cannot wait: orders. On a lane a request is one write to a
 * connection already open, where libcurl's per-request machinery costs
 * about 100 µs on the way from a liquidation to its order.
 *
 * Lanes open to a host after an urgent request went there through libcurl,
 * or after any request to a host said to take urgent ones
 * (net_http_expect_urgent): its answer names the address libcurl
 * resolved, so no name is looked up here (that would block the loop), and
 * connections then open in the background, TLS verified against the same
 * CAs and host name as libcurl's. NET_LANES_READY of them are kept idle or
 * opening, more while earlier requests wait for their answers, up to
 * NET_LANES_MAX, so a burst of orders finds a lane for each. With a proxy
 * in the environment there are no lanes: libcurl takes every request
 * through it. Idle lanes are checked about once a second; one the server
 * closed is closed here too and replaced, so an order after a quiet spell
 * still finds its lane. An urgent request takes an idle lane that is still
 * open, else goes through libcurl like any other. Answers are read at each
 * turn of the loop and parsed by h1.c; one that never comes (timeout, the
 * connection closed) is a status 0 with the reason, as libcurl reports it,
 * so the caller's handling of an unanswered order is the same either way.
 * No pipelining: a lane carries one request at a time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core.h"
#include "net_int.h"

#define LANE_RETRY_NS (1000000000ll) /* after a lane failed to open */
#define LANE_WATCH_NS (1000000000ll) /* idle lanes checked for a server's close */
#define LANE_REQUEST_MAX 8192

enum lane_state { LANE_CONNECTING, LANE_HANDSHAKE, LANE_IDLE, LANE_BUSY };

struct net_lane {
	struct net_lane *next;
	struct net_lane_host *host;
	int fd;
	SSL *ssl;
	enum lane_state state;
	int64_t deadline_ns; /* connecting, or the request's answer */
	struct net_buf in;
	net_http_fn fn;
	void *ctx;
};

static void lane_free(net_loop *l, struct net_lane *n)
{
	for (struct net_lane **p = &l->lanes; *p; p = &(*p)->next)
		if (*p == n) {
			*p = n->next;
			break;
		}
	if (n->ssl)
		SSL_free(n->ssl);
	if (n->fd >= 0)
		close(n->fd);
	free(n->in.s);
	free(n);
	l->stats.lanes_closed++;
}

/* ---- opening ------------------------------------------------------------- */

static SSL_CTX *tls_ctx(net_loop *l)
{
	if (l->lane_tls)
		return l->lane_tls;
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());
	if (!c || SSL_CTX_load_verify_locations(c, net_tls_system_cas(), NULL) != 1 ||
	    net_tls_add_ca(c, l->ca_file)) {
		SSL_CTX_free(c);
		return NULL;
	}
	SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
	return l->lane_tls = c;
}

static int connect_to(const struct net_lane_host *h)
{
	struct sockaddr_storage sa = {0};
	socklen_t len;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&sa;
	if (inet_pton(AF_INET, h->ip, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)h->port);
		len = sizeof *v4;
	} else if (inet_pton(AF_INET6, h->ip, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)h->port);
		len = sizeof *v6;
	} else {
		return -1;
	}
	int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sa, len) < 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The name the server's certificate must carry: an address literal is
 * checked against the certificate's IP addresses and sent without SNI
 * (which names hosts only), a host name against its DNS names. */
static int name_peer(SSL *ssl, const char *host)
{
	unsigned char addr[16];
	if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 ? 0 : -1;
	return SSL_set_tlsext_host_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1 ? 0 : -1;
}

static struct net_lane *lane_open(net_loop *l, struct net_lane_host *h)
{
	struct net_lane *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->host = h;
	n->state = LANE_CONNECTING;
	n->deadline_ns = net_now_ns() + NET_CONNECT_TIMEOUT_S * 1000000000ll;
	if ((n->fd = connect_to(h)) < 0) {
		free(n);
		return NULL;
	}
	if (h->tls) {
		SSL_CTX *c = tls_ctx(l);
		if (!c || !(n->ssl = SSL_new(c)) || SSL_set_fd(n->ssl, n->fd) != 1 || name_peer(n->ssl, h->host)) {
			if (n->ssl)
				SSL_free(n->ssl);
			close(n->fd);
			free(n);
			return NULL;
		}
		SSL_set_connect_state(n->ssl);
	}
	struct net_lane **end = &l->lanes; /* at the end: requests take the lanes in use first */
	while (*end)
		end = &(*end)->next;
	*end = n;
	l->stats.lanes_opened++;
	return n;
}

/* libcurl goes through a proxy when the environment names one; a lane
 * would go around it, so there are none then. */
static bool proxied(void)
{
	static const char *const vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
	                                   "ALL_PROXY"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return true;
	}
	return false;
}

static struct net_lane_host *lane_host(const net_loop *l, bool tls, const char *host, int port)
{
	for (size_t i = 0; i < l->nlane_hosts; i++) {
		const struct net_lane_host *h = &l->lane_hosts[i];
		if (h->tls == tls && h->port == port && !strcmp(h->host, host))
			return (struct net_lane_host *)h;
	}
	return NULL;
}

bool net_lane_expected(const net_loop *l, bool tls, const char *host, int port)
{
	return lane_host(l, tls, host, port) != NULL;
}

void net_lane_want(net_loop *l, bool tls, const char *host, int port, const char *ip)
{
	if (proxied())
		return;
	struct net_lane_host *h = lane_host(l, tls, host, port);
	if (!h && l->nlane_hosts < NET_LANE_HOSTS)
		h = &l->lane_hosts[l->nlane_hosts++];
	if (!h || copy_str(h->host, sizeof h->host, host, strlen(host)) ||
	    copy_str(h->ip, sizeof h->ip, ip, strlen(ip)))
		return;
	h->tls = tls;
	h->port = port;
}

/* ---- reading ------------------------------------------------------------- */

/* Bytes read (> 0), 0 at the connection's end, -1 when none are ready, -2
 * on an error. */
static long lane_read(struct net_lane *n, char *buf, size_t cap)
{
	if (n->ssl) {
		int r = SSL_read(n->ssl, buf, (int)cap);
		if (r > 0)
			return r;
		int e = SSL_get_error(n->ssl, r);
		ERR_clear_error();
		return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? -1
		       : e == SSL_ERROR_ZERO_RETURN                          ? 0
		                                                             : -2;
	}
	ssize_t r = recv(n->fd, buf, cap, MSG_DONTWAIT);
	return r >= 0 ? (long)r : errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -1 : -2;
}

/* An idle lane the server has not closed: nothing to read, no end. */
static bool still_open(struct net_lane *n)
{
	char c;
	return lane_read(n, &c, 1) == -1;
}

/* The request's answer (or its failure, status 0 and `why`) to its owner;
 * the lane goes back to idle or is closed. */
static void answer(net_loop *l, struct net_lane *n, const struct net_h1 *a, long took,
                   const char *why)
{
	net_http_fn fn = n->fn;
	void *ctx = n->ctx;
	char *headers = a ? strndup(a->headers, a->headers_len) : NULL;
	if (!a || a->close || (size_t)took != n->in.len)
		lane_free(l, n); /* no pipelining: bytes past the answer are an error */
	else {
		n->state = LANE_IDLE;
		n->in.len = 0;
		n->fn = NULL;
	}
	struct net_reply r = {a ? a->status : 0, a ? a->body : "", a ? a->body_len : 0,
	                      headers ? headers : "", a ? NULL : why, net_now_ns()};
	fn(ctx, &r);
	free(headers);
}

/* Reads what arrived on a busy lane; true once its owner heard the answer. */
static bool read_answer(net_loop *l, struct net_lane *n, int64_t now)
{
	char buf[16384], err[NET_ERR_MAX];
	long got;
	bool end = false;
	while ((got = lane_read(n, buf, sizeof buf)) > 0)
		if (n->in.len + (size_t)got > NET_FRAME_MAX + 65536 ||
		    !net_buf_add(&n->in, buf, (size_t)got)) {
			answer(l, n, NULL, 0, "answer larger than 16 MiB");
			return true;
		}
	end = got == 0 || got == -2;
	struct net_h1 a;
	long took = net_h1_parse(n->in.s ? n->in.s : "", n->in.len, end, &a, err);
	if (took > 0) {
		answer(l, n, &a, took, NULL);
		free(a.body);
	} else if (took < 0) {
		answer(l, n, NULL, 0, err);
	} else if (end) {
		answer(l, n, NULL, 0, "connection closed before the answer");
	} else if (now >= n->deadline_ns) {
		answer(l, n, NULL, 0, "timed out waiting for the answer");
	} else {
		return false;
	}
	return true;
}

/* ---- the tick ------------------------------------------------------------ */

/* Connecting: TCP, then TLS; a lane that fails is freed. */
static void progress(net_loop *l, struct net_lane *n, int64_t now)
{
	if (n->state == LANE_CONNECTING) {
		struct pollfd p = {n->fd, POLLOUT, 0};
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		if (poll(&p, 1, 0) == 1 &&
		    (getsockopt(n->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr))
			goto failed;
		if (p.revents & POLLOUT)
			n->state = n->ssl ? LANE_HANDSHAKE : LANE_IDLE;
	}
	if (n->state == LANE_HANDSHAKE) {
		int r = SSL_connect(n->ssl);
		int e = r == 1 ? 0 : SSL_get_error(n->ssl, r);
		ERR_clear_error();
		if (r == 1)
			n->state = LANE_IDLE;
		else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			goto failed;
	}
	if (n->state == LANE_IDLE || now < n->deadline_ns)
		return;
failed:
	n->host->retry_ns = now + LANE_RETRY_NS;
	lane_free(l, n);
}

/* The lanes to `h`; those that can take a request now or soon (idle or
 * opening) in *ready. */
static int lanes_of(const net_loop *l, const struct net_lane_host *h, int *ready)
{
	int have = 0;
	*ready = 0;
	for (const struct net_lane *n = l->lanes; n; n = n->next)
		if (n->host == h)
			have++, *ready += n->state != LANE_BUSY;
	return have;
}

/* A host with fewer than NET_LANES_READY lanes ready gets more, up to
 * NET_LANES_MAX: a burst of orders finds one each while earlier answers
 * are still on their way. */
static bool wants_lanes(const net_loop *l, const struct net_lane_host *h)
{
	int ready, have = lanes_of(l, h, &ready);
	return ready < NET_LANES_READY && have < NET_LANES_MAX;
}

static void top_up(net_loop *l, int64_t now)
{
	for (size_t i = 0; i < l->nlane_hosts; i++) {
		struct net_lane_host *h = &l->lane_hosts[i];
		while (h->ip[0] && now >= h->retry_ns && wants_lanes(l, h))
			if (!lane_open(l, h)) {
				h->retry_ns = now + LANE_RETRY_NS;
				break;
			}
	}
}

/* Answers that arrived, and the deadlines of those that did not. An
 * owner that heard its answer may have sent again, and a lane found
 * closed then is freed: the walk starts over after that. */
static void read_answers(net_loop *l, int64_t now)
{
	uint64_t closed = l->stats.lanes_closed;
	for (struct net_lane *n = l->lanes, *next; n; n = next) {
		next = n->next;
		if (n->state == LANE_BUSY && read_answer(l, n, now) && l->stats.lanes_closed != closed) {
			closed = l->stats.lanes_closed;
			next = l->lanes;
		}
	}
}

static void lanes_tick(net_loop *l)
{
	int64_t now = net_now_ns();
	top_up(l, now);
	read_answers(l, now);
	for (struct net_lane *n = l->lanes, *next; n; n = next) {
		next = n->next;
		if (n->state != LANE_IDLE && n->state != LANE_BUSY)
			progress(l, n, now);
	}
}

bool net_lanes_busy(const net_loop *l)
{
	for (const struct net_lane *n = l->lanes; n; n = n->next)
		if (n->state != LANE_IDLE)
			return true;
	return false;
}

/* ---- sending ------------------------------------------------------------- */

static int request_text(char *out, size_t cap, const struct net_url *u,
                        const struct net_request *rq)
{
	bool default_port = u->port == (u->tls ? 443 : 80);
	char port[16] = "";
	if (!default_port)
		snprintf(port, sizeof port, ":%d", u->port);
	size_t body = rq->body ? strlen(rq->body) : 0;
	int n = snprintf(out, cap,
	                 "%s %s HTTP/1.1\r\nHost: %s%s\r\nUser-Agent: hunter\r\nAccept: */*\r\n"
	                 "%s%s",
	                 rq->method ? rq->method : "GET", u->path, u->host, port,
	                 rq->header ? rq->header : "", rq->header ? "\r\n" : "");
	if (n < 0 || (size_t)n >= cap)
		return -1;
	int m = rq->body ? snprintf(out + n, cap - (size_t)n,
	                            "Content-Type: application/x-www-form-urlencoded\r\n"
	                            "Content-Length: %zu\r\n\r\n%s",
	                            body, rq->body)
	                 : snprintf(out + n, cap - (size_t)n, "\r\n");
	return m < 0 || (size_t)m >= cap - (size_t)n ? -1 : n + m;
}

/* The whole request in one write, or nothing usable (the lane is closed:
 * a request cut short is never answered). */
static bool write_all(struct net_lane *n, const char *req, int len)
{
	if (n->ssl) {
		int r = SSL_write(n->ssl, req, len);
		ERR_clear_error();
		return r == len;
	}
	return send(n->fd, req, (size_t)len, MSG_NOSIGNAL) == len;
}

/* The first idle lane to u's host from `n` on, else NULL. */
static struct net_lane *idle_lane(struct net_lane *n, const struct net_url *u)
{
	for (; n; n = n->next) {
		const struct net_lane_host *h = n->host;
		if (n->state == LANE_IDLE && h->tls == u->tls && h->port == u->port &&
		    !strcmp(h->host, u->host))
			return n;
	}
	return NULL;
}

bool net_lane_rehearse(net_loop *l, const struct net_url *u, const struct net_request *rq)
{
	char req[LANE_REQUEST_MAX];
	return request_text(req, sizeof req, u, rq) > 0 && idle_lane(l->lanes, u);
}

bool net_lane_send(net_loop *l, const struct net_url *u, const struct net_request *rq,
                   net_http_fn fn, void *ctx)
{
	char req[LANE_REQUEST_MAX];
	int len = request_text(req, sizeof req, u, rq);
	if (len < 0)
		return false;
	for (struct net_lane *n = idle_lane(l->lanes, u), *next; n; n = idle_lane(next, u)) {
		next = n->next;
		int64_t start = net_now_ns();
		if (!still_open(n) || !write_all(n, req, len)) {
			lane_free(l, n);
			continue;
		}
		l->stats.write_ns = start;
		l->stats.wrote_ns = net_now_ns();
		n->state = LANE_BUSY;
		n->fn = fn;
		n->ctx = ctx;
		n->deadline_ns = l->stats.wrote_ns + rq->timeout_ms * 1000000;
		l->stats.lane_requests++;
		return true;
	}
	return false;
}

void net_lanes_watch(net_loop *l)
{
	if (!l->nlane_hosts)
		return;
	int64_t now = net_now_ns();
	if (now - l->lanes_watched_ns >= LANE_WATCH_NS) {
		l->lanes_watched_ns = now;
		for (struct net_lane *n = l->lanes, *next; n; n = next) {
			next = n->next;
			if (n->state == LANE_IDLE && !still_open(n))
				lane_free(l, n);
		}
	}
	lanes_tick(l);
	if (net_lanes_busy(l))
		net_http_wake(l); /* the next turn within 10 ms, however long the caller waits */
}

void net_loop_stats(const net_loop *l, struct net_stats *out)
{
	*out = l->stats;
}

void net_lanes_free(net_loop *l)
{
	while (l->lanes)
		lane_free(l, l->lanes);
	SSL_CTX_free(l->lane_tls);
	l->lane_tls = NULL;
}
