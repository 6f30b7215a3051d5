/*
 * http.c - REST over HTTP: each request is answered from the market state
 * (rest.c) or by a fault, then written, after --rest-delay-ms when asked,
 * headers first and the body in chunks, one per writeable call.
 */
#include <stdio.h>
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

int serve_http_request(struct server *sv, struct http *h, struct lws *wsi, const char *path)
{
	char query[QUERY_MAX];
	h->wsi = wsi;
	h->sent = 0;
	h->headers_sent = false;
	serve_http_query(wsi, query, sizeof query);
	int fault = serve_fault_rest(&sv->o->faults, &sv->rest_rng);
	if (fault) {
		serve_rest_fault(&h->reply, fault);
	} else {
		int64_t now_ms = serve_pace_now_ms(&sv->pace, serve_mono_ns());
		serve_rest_answer(&sv->market, now_ms, path, query, &h->reply);
	}
	if (h->reply.body.oom)
		return -1;
	if (sv->o->faults.rest_delay_ms > 0)
		lws_sul_schedule(sv->ctx, 0, &h->delay, http_delay_done,
		                 sv->o->faults.rest_delay_ms * 1000);
	else
		lws_callback_on_writable(wsi);
	return 0;
}

static int http_headers(struct http *h)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;
	const struct rest_reply *r = &h->reply;
	if (lws_add_http_common_headers(h->wsi, (unsigned)r->status, "application/json",
	                                r->body.len, &p, end))
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
	return lws_http_transaction_completed(h->wsi) ? -1 : 0;
}

void serve_http_closed(struct http *h)
{
	lws_sul_cancel(&h->delay);
	serve_text_free(&h->reply.body);
}
