/*
 * http.c - REST over HTTP: each request is answered from the market state
 * (rest.c) or by a fault, then written, after --rest-delay-ms when asked,
 * headers first and the body in chunks, one per writeable call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

#define HTTP_CHUNK 16384

/* The request's query string, joined from lws's decoded fragments. */
void serve_http_query(struct lws *wsi, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; len + 2 < cap; i++) {
		int n = lws_hdr_copy_fragment(wsi, out + len + (len > 0), (int)(cap - len - 1),
		                              WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n <= 0)
			break;
		if (len)
			out[len] = '&';
		len += (size_t)n + (len > 0);
	}
	out[len < cap ? len : cap - 1] = '\0';
}

static void http_delay_done(lws_sorted_usec_list_t *sul)
{
	struct http *h = lws_container_of(sul, struct http, delay);
	lws_callback_on_writable(h->wsi);
}

/* The path after /fapi/v1/, /fapi/v2/ or /fapi/v3/; NULL for another. */
static const char *endpoint_name(const char *path)
{
	bool fapi = !strncmp(path, "/fapi/v", 7) && path[7] >= '1' && path[7] <= '3' &&
	            path[8] == '/';
	return fapi ? path + 9 : NULL;
}

static const char *method_name(int method)
{
	switch (method) {
	case LWSHUMETH_POST: return "POST";
	case LWSHUMETH_PUT: return "PUT";
	case LWSHUMETH_DELETE: return "DELETE";
	default: return "GET";
	}
}

/* The X-MBX-APIKEY header, "" when absent or too long. */
static void api_key_header(struct lws *wsi, char *out, int cap)
{
	if (lws_hdr_custom_copy(wsi, out, cap, "x-mbx-apikey:", 13) < 0)
		out[0] = '\0';
}

/* Requests this wall-clock minute, for X-MBX-USED-WEIGHT-1M: one per
 * call, whatever Aster's weight of the endpoint. */
static void count_weight(struct server *sv, struct http *h, int64_t wall_ms)
{
	if (wall_ms / 60000 != sv->weight_minute) {
		sv->weight_minute = wall_ms / 60000;
		sv->weight = 0;
	}
	h->reply.weight = ++sv->weight;
}

/* Signed endpoints first; the rest are the public market's. */
static void answer(struct server *sv, struct http *h, const char *query)
{
	const char *name = endpoint_name(h->path);
	char key[ACCT_KEY_MAX];
	api_key_header(h->wsi, key, sizeof key);
	struct signed_req q = {method_name(h->method), name ? name : "", query,
	                       h->body.s ? h->body.s : "", key, serve_wall_ms()};
	if (h->too_long)
		serve_rest_error(&h->reply, 400, -1000, "The request body is too long.");
	else if (!name || !serve_trading_answer(&sv->accounts, &q, &h->reply))
		serve_rest_answer(&sv->market, serve_pace_now_ms(&sv->pace, serve_mono_ns()), h->path,
		                  query, &h->reply);
	count_weight(sv, h, q.wall_ms);
}

static int respond(struct server *sv, struct http *h)
{
	char query[QUERY_MAX];
	serve_http_query(h->wsi, query, sizeof query);
	int fault = serve_fault_rest(&sv->o->faults, &sv->rest_rng);
	if (fault)
		serve_rest_fault(&h->reply, fault);
	else
		answer(sv, h, query);
	if (h->reply.body.oom)
		return -1;
	if (sv->o->faults.rest_delay_ms > 0)
		lws_sul_schedule(sv->ctx, 0, &h->delay, http_delay_done,
		                 sv->o->faults.rest_delay_ms * 1000);
	else
		lws_callback_on_writable(h->wsi);
	return 0;
}

/* Whether a Content-Length above 0 announces a body. */
static bool has_body(struct lws *wsi)
{
	char len[24];
	return lws_hdr_copy(wsi, len, sizeof len, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 &&
	       strtoll(len, NULL, 10) > 0;
}

/* A request with a body is answered once the body is in. */
int serve_http_request(struct server *sv, struct http *h, struct lws *wsi, const char *path)
{
	char *uri;
	int uri_len;
	h->wsi = wsi;
	h->sent = 0;
	h->headers_sent = false;
	h->too_long = false;
	h->reply.weight = 0;
	serve_text_clear(&h->body);
	h->method = lws_http_get_uri_and_method(wsi, &uri, &uri_len);
	snprintf(h->path, sizeof h->path, "%s", path);
	h->awaiting_body = h->method != LWSHUMETH_GET && has_body(wsi);
	return h->awaiting_body ? 0 : respond(sv, h);
}

int serve_http_body(struct http *h, const char *in, size_t len)
{
	if (!len)
		return 0; /* lws may call with no bytes, and no pointer */
	if (h->body.len + len > QUERY_MAX)
		h->too_long = true;
	else
		serve_text_put(&h->body, in, len);
	return h->body.oom ? -1 : 0;
}

/* lws may report a completion for a request answered without a body. */
int serve_http_body_done(struct server *sv, struct http *h)
{
	if (!h->awaiting_body)
		return 0;
	h->awaiting_body = false;
	return respond(sv, h);
}

static int http_headers(struct http *h)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;
	const struct rest_reply *r = &h->reply;
	if (lws_add_http_common_headers(h->wsi, (unsigned)r->status, "application/json",
	                                r->body.len, &p, end))
		return -1;
	char w[24];
	int wn = snprintf(w, sizeof w, "%llu", (unsigned long long)r->weight);
	if (r->weight && lws_add_http_header_by_name(h->wsi,
	                                             (const unsigned char *)"x-mbx-used-weight-1m:",
	                                             (const unsigned char *)w, wn, &p, end))
		return -1;
	if (r->retry_after) {
		char v[16];
		int n = snprintf(v, sizeof v, "%d", r->retry_after);
		if (lws_add_http_header_by_name(h->wsi, (const unsigned char *)"retry-after:",
		                                (const unsigned char *)v, n, &p, end))
			return -1;
	}
	if (lws_finalize_write_http_header(h->wsi, start, &p, end))
		return -1;
	h->headers_sent = true;
	lws_callback_on_writable(h->wsi);
	return 0;
}

int serve_http_writeable(struct http *h)
{
	if (!h->headers_sent)
		return http_headers(h);
	unsigned char buf[LWS_PRE + HTTP_CHUNK];
	size_t left = h->reply.body.len - h->sent;
	size_t n = left < HTTP_CHUNK ? left : HTTP_CHUNK;
	bool last = n == left;
	memcpy(buf + LWS_PRE, h->reply.body.s + h->sent, n);
	if (lws_write(h->wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < 0)
		return -1;
	h->sent += n;
	if (!last) {
		lws_callback_on_writable(h->wsi);
		return 0;
	}
	serve_text_free(&h->reply.body);
	serve_text_free(&h->body); /* lws may close without CLOSED_HTTP after the last one */
	return lws_http_transaction_completed(h->wsi) ? -1 : 0;
}

void serve_http_closed(struct http *h)
{
	lws_sul_cancel(&h->delay);
	serve_text_free(&h->reply.body);
	serve_text_free(&h->body);
}
