/*
 * http.c - REST GETs through libcurl's multi interface, driven from the lws
 * loop by a short timer while any request is in flight (loop.c says why).
 * Every request has a total timeout, verifies TLS, and keeps at most
 * NET_FRAME_MAX bytes of body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"

#define TICK_US 10000 /* 10 ms between curl polls while requests run */

struct net_req {
	struct net_req *next;
	CURL *easy;
	net_http_fn fn;
	void *ctx;
	char *body;
	size_t len, cap;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct net_req *r = user;
	size_t add = size * n;
	if (r->len + add + 1 > NET_FRAME_MAX) {
		r->too_big = true;
		return 0; /* curl aborts the transfer */
	}
	if (r->len + add + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 16384;
		while (cap < r->len + add + 1)
			cap *= 2;
		char *p = realloc(r->body, cap);
		if (!p)
			return 0;
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, add);
	r->len += add;
	r->body[r->len] = '\0';
	return add;
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
	free(r->body);
	free(r);
}

static void schedule_tick(net_loop *l)
{
	if (!l->ticking) {
		l->ticking = true;
		lws_sul_schedule(l->lws, 0, &l->curl_tick, net_http_tick, TICK_US);
	}
}

/* curl's hook into its OpenSSL context: the --ca-file CAs join the system's. */
static CURLcode add_ca(CURL *curl, void *ssl_ctx, void *ca_file)
{
	return net_tls_add_ca(ssl_ctx, ca_file) ? CURLE_SSL_CACERT_BADFILE : CURLE_OK;
}

static int setup(net_loop *l, struct net_req *r, const char *url, int64_t timeout_ms)
{
	CURL *e = r->easy;
	bool ok = curl_easy_setopt(e, CURLOPT_URL, url) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout_ms) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)NET_CONNECT_TIMEOUT_S) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_USERAGENT, "hunter") == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_WRITEDATA, r) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf) == CURLE_OK &&
	          curl_easy_setopt(e, CURLOPT_PRIVATE, r) == CURLE_OK &&
	          (!l->ca_file || (curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, add_ca) == CURLE_OK &&
	                           curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, l->ca_file) == CURLE_OK));
	return ok && curl_multi_add_handle(l->multi, e) == CURLM_OK ? 0 : -1;
}

int net_http_get(net_loop *l, const char *url, int64_t timeout_ms, net_http_fn fn, void *ctx,
                 char *err)
{
	struct net_url u;
	if (net_url_parse(url, &u, err) < 0)
		return -1;
	if (u.websocket) {
		snprintf(err, NET_ERR_MAX, "'%.80s' is not an http:// or https:// URL", url);
		return -1;
	}
	struct net_req *r = calloc(1, sizeof *r);
	if (!r || !(r->easy = curl_easy_init())) {
		free(r);
		snprintf(err, NET_ERR_MAX, "out of memory");
		return -1;
	}
	r->fn = fn;
	r->ctx = ctx;
	r->next = l->reqs;
	l->reqs = r;
	if (setup(l, r, url, timeout_ms) < 0) {
		req_free(l, r);
		snprintf(err, NET_ERR_MAX, "cannot set up a request to %.80s", url);
		return -1;
	}
	schedule_tick(l);
	return 0;
}

/* Hands a finished request's answer to its owner, then forgets it. */
static void finish(net_loop *l, struct net_req *r, CURLcode rc)
{
	long status = 0;
	char why[CURL_ERROR_SIZE + 32] = "";
	if (rc == CURLE_OK)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(why, sizeof why, "%s", r->too_big ? "answer larger than 16 MiB"
		                                : r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	net_http_fn fn = r->fn;
	void *ctx = r->ctx;
	char *body = r->body;
	size_t len = r->len;
	r->body = NULL;
	req_free(l, r);
	fn(ctx, status, body ? body : "", len, why[0] ? why : NULL, net_now_ns());
	free(body);
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
	if (l->reqs)
		schedule_tick(l);
}

void net_http_drop_all(net_loop *l)
{
	while (l->reqs)
		req_free(l, l->reqs);
}
