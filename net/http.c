/*
 * http.c - REST requests through libcurl's multi interface, driven from
 * the lws loop by a short timer while any request is in flight (loop.c says
 * why). Every request has a total timeout, verifies TLS, keeps at most
 * NET_FRAME_MAX bytes of body, and hands its answer's header lines on (the
 * exchange reports rate-limit use in them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"
#include "net_int.h"

#define TICK_US 10000 /* 10 ms between curl polls while requests run */

struct net_req {
	struct net_req *next;
	CURL *easy;
	net_http_fn fn;
	void *ctx;
	struct curl_slist *send_headers;
	struct net_buf body, headers;
	bool too_big;
	bool urgent; /* its host should get lanes (lane.c) */
	bool tls;
	int port;
	char host[256];
	char errbuf[CURL_ERROR_SIZE];
};

bool net_buf_add(struct net_buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			return false;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct net_req *r = user;
	size_t add = size * n;
	if (r->body.len + add + 1 > NET_FRAME_MAX) {
		r->too_big = true;
		return 0; /* curl aborts the transfer */
	}
	return net_buf_add(&r->body, data, add) ? add : 0;
}

/* Header lines of the last answer: a status line starts a new block (after
 * a 100 Continue or a redirect, only the final answer's headers count). */
static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	struct net_req *r = user;
	size_t add = size * n;
	if (add >= 5 && !memcmp(data, "HTTP/", 5))
		r->headers.len = 0;
	if (r->headers.len + add > 65536)
		return add; /* more than any answer needs: the rest is dropped */
	return net_buf_add(&r->headers, data, add) ? add : 0;
}

static void req_free(net_loop *l, struct net_req *r)
{
	for (struct net_req **p = &l->reqs; *p; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			break;
		}
	curl_multi_remove_handle(l->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->send_headers);
	free(r->body.s);
	free(r->headers.s);
	free(r);
}

void net_http_wake(net_loop *l)
{
	if (!l->ticking) {
		l->ticking = true;
		lws_sul_schedule(l->lws, 0, &l->curl_tick, net_http_tick, TICK_US);
	}
}

/* The method, body and headers of a request other than a plain GET. */
static bool set_method(struct net_req *r, const struct net_request *rq)
{
	CURL *e = r->easy;
	const char *m = rq->method ? rq->method : "GET";
	if (rq->header && !(r->send_headers = curl_slist_append(r->send_headers, rq->header)))
		return false;
	if (rq->body) {
		struct curl_slist *h = curl_slist_append(
			r->send_headers, "Content-Type: application/x-www-form-urlencoded");
		if (!h || !(h = curl_slist_append(h, "Expect:")))
			return false;
		r->send_headers = h;
		if (curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, rq->body) != CURLE_OK)
			return false;
	}
	return (strcmp(m, "GET") || rq->body
	                ? curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m) == CURLE_OK
	                : true) &&
	       (!r->send_headers ||
	        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->send_headers) == CURLE_OK);
}

/* curl's hook into its OpenSSL context: the --ca-file CAs join the system's. */
static CURLcode add_ca(CURL *curl, void *ssl_ctx, void *ca_file)
{
	return net_tls_add_ca(ssl_ctx, ca_file) ? CURLE_SSL_CACERT_BADFILE : CURLE_OK;
}

static int setup(net_loop *l, struct net_req *r, const struct net_request *rq)
{
	CURL *e = r->easy;
	bool ok = set_method(r, rq) &&
	          curl_easy_setopt(e, CURLOPT_URL, rq->url) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)rq->timeout_ms) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)NET_CONNECT_TIMEOUT_S) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_USERAGENT, "hunter") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_WRITEDATA, r) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_HEADERDATA, r) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_PRIVATE, r) == CURLE_OK &&
	          (!l->ca_file || (curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, add_ca) == CURLE_OK &&
	                           curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, l->ca_file) == CURLE_OK));
	return ok && curl_multi_add_handle(l->multi, e) == CURLM_OK ? 0 : -1;
}

/* Where `rq` goes: its parsed URL, else `url` parsed into *parsed; NULL
 * with the reason in err. */
static const struct net_url *target(const struct net_request *rq, struct net_url *parsed,
                                    char *err)
{
	const struct net_url *u = rq->at;
	if (!u && net_url_parse(rq->url, parsed, err) == 0)
		u = parsed;
	if (u && u->websocket) {
		snprintf(err, NET_ERR_MAX, "'%.80s' is not an http:// or https:// URL", rq->url);
		return NULL;
	}
	return u;
}

int net_http(net_loop *l, const struct net_request *rq, net_http_fn fn, void *ctx, char *err)
{
	struct net_url parsed;
	const struct net_url *u = target(rq, &parsed, err);
	if (!u)
		return -1;
	if (rq->urgent && net_lane_send(l, u, rq, fn, ctx)) {
		net_http_wake(l);
		return 0;
	}
	struct net_req *r = calloc(1, sizeof *r);
	if (!r || !(r->easy = curl_easy_init())) {
		free(r);
		snprintf(err, NET_ERR_MAX, "out of memory");
		return -1;
	}
	r->fn = fn;
	r->ctx = ctx;
	r->urgent = rq->urgent;
	r->tls = u->tls;
	r->port = u->port;
	memcpy(r->host, u->host, sizeof r->host);
	r->next = l->reqs;
	l->reqs = r;
	if (setup(l, r, rq) < 0) {
		req_free(l, r);
		snprintf(err, NET_ERR_MAX, "cannot set up a request to %.80s", rq->url);
		return -1;
	}
	/* the request goes out now, not at the next tick: an order's latency
	 * is the exchange's, not this loop's */
	int running;
	curl_multi_perform(l->multi, &running);
	net_http_wake(l);
	return 0;
}

bool net_http_rehearse(net_loop *l, const struct net_request *rq)
{
	struct net_url parsed;
	char err[NET_ERR_MAX];
	const struct net_url *u = rq->urgent ? target(rq, &parsed, err) : NULL;
	return u && net_lane_rehearse(l, u, rq);
}

int net_http_expect_urgent(net_loop *l, const char *url, char *err)
{
	struct net_url u;
	if (net_url_parse(url, &u, err) < 0)
		return -1;
	net_lane_want(l, u.tls, u.host, u.port, "");
	return 0;
}

int net_http_get(net_loop *l, const char *url, int64_t timeout_ms, net_http_fn fn, void *ctx,
                 char *err)
{
	struct net_request rq = {.url = url, .timeout_ms = timeout_ms};
	return net_http(l, &rq, fn, ctx, err);
}

bool net_reply_header(const struct net_reply *a, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = a->headers ? a->headers : ""; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && p[n] == ':' && !strncasecmp(p, name, n)) {
			const char *v = p + n + 1, *end = p + len;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
				end--;
			return copy_str(out, cap, v, (size_t)(end - v)) == 0;
		}
		p += len + (eol != NULL);
	}
	return false;
}

/* Hands a finished request's answer to its owner, then forgets it. */
static void finish(net_loop *l, struct net_req *r, CURLcode rc)
{
	long status = 0;
	char why[CURL_ERROR_SIZE + 32] = "";
	char *ip = NULL;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		if ((r->urgent || net_lane_expected(l, r->tls, r->host, r->port)) &&
		    curl_easy_getinfo(r->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
			net_lane_want(l, r->tls, r->host, r->port, ip);
	} else
		snprintf(why, sizeof why, "%s", r->too_big ? "answer larger than 16 MiB"
		                                : r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	struct net_reply a = {status, r->body.s ? r->body.s : "", r->body.len,
	                      r->headers.s ? r->headers.s : "", why[0] ? why : NULL, net_now_ns()};
	net_http_fn fn = r->fn;
	void *ctx = r->ctx;
	struct net_buf body = r->body, headers = r->headers;
	r->body = r->headers = (struct net_buf){0};
	req_free(l, r);
	fn(ctx, &a);
	free(body.s);
	free(headers.s);
}

void net_http_tick(lws_sorted_usec_list_t *sul)
{
	net_loop *l = lws_container_of(sul, net_loop, curl_tick);
	l->ticking = false;
	int running, left;
	curl_multi_perform(l->multi, &running);
	CURLMsg *m;
	while ((m = curl_multi_info_read(l->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			char *r;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &r);
			finish(l, (struct net_req *)r, m->data.result);
		}
	if (net_lanes_busy(l) || l->reqs)
		net_http_wake(l);
}

void net_http_drop_all(net_loop *l)
{
	while (l->reqs)
		req_free(l, l->reqs);
}
