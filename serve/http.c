/*
 * http.c - REST over HTTP: each request is weighed against the rate limits
 * (limits.c), then answered from the market state (rest.c), by the
 * trading side (trading.c) or by a fault, then written, after
 * --rest-delay-ms (and --signed-late-ms for a late signed call) when
 * asked, headers first and the body in chunks, one per writeable call.
 *
 * Every 429 the server sends announces Retry-After, and a request that
 * comes before that time is over gets 418, as an IP ban: a client that
 * honours Retry-After never sees a 418, which is how a test proves it.
 * Requests that were already on their way when the 429 left (within
 * INFLIGHT_MS of it) get the same 429 instead: a client sending several
 * at once cannot have heard of the 429 yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

#define HTTP_CHUNK 16384
#define INFLIGHT_MS 250 /* after a 429, requests this young were sent before it */

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

/* The path after /fapi/v1/ to /fapi/v4/; NULL for another. */
static const char *endpoint_name(const char *path)
{
	bool fapi = !strncmp(path, "/fapi/v", 7) && path[7] >= '1' && path[7] <= '4' &&
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

/* 418 while a Retry-After the server announced runs; else 429 when the
 * call's weight would pass the minute's limit. false when refused
 * (answered); else the weight is taken. */
static bool admit(struct server *sv, struct http *h, const struct signed_req *q)
{
	struct rest_reply *r = &h->reply;
	if (q->wall_ms < sv->retry_until_ms && q->wall_ms - sv->retry_from_ms < INFLIGHT_MS) {
		serve_rest_error(r, 429, -1003, "Too many requests; please back off.");
		r->retry_after = (int)((sv->retry_until_ms - q->wall_ms + 999) / 1000);
		return false;
	}
	if (q->wall_ms < sv->retry_until_ms) {
		char msg[160];
		snprintf(msg, sizeof msg, "Way too many requests; IP banned until %lld. Please use"
		         " the websocket for live updates to avoid bans.", (long long)sv->retry_until_ms);
		serve_rest_error(r, 418, -1003, msg);
		r->retry_after = (int)((sv->retry_until_ms - q->wall_ms + 999) / 1000);
		return false;
	}
	unsigned w = serve_weight(q->method, q->name, q->query, q->body);
	if (serve_window_take(&sv->weight, SERVE_MINUTE_MS, sv->o->limits.weight_1m, w, q->wall_ms))
		return true;
	char msg[160];
	snprintf(msg, sizeof msg, "Too many requests; current limit is %llu requests per minute."
	         " Please use the websocket for live updates to avoid polling the API.",
	         (unsigned long long)sv->o->limits.weight_1m);
	serve_rest_error(r, 429, -1003, msg);
	r->retry_after = serve_window_retry_s(SERVE_MINUTE_MS, q->wall_ms);
	return false;
}

/* A signed call's fault: answered instead of carried out, or carried out
 * and answered late (*late_ms). */
static void signed_call(struct server *sv, struct http *h, struct signed_req *q,
                        int64_t *late_ms)
{
	switch (serve_fault_signed(&sv->o->faults, &sv->signed_rng)) {
	case SF_FAIL: serve_rest_fault(&h->reply, 503); return;
	case SF_429: serve_rest_fault(&h->reply, 429); return;
	case SF_LATE: *late_ms += sv->o->faults.signed_late_ms; break;
	case SF_NONE: break;
	}
	serve_trading_answer(&sv->accounts, q, &h->reply);
}

/* An admitted call: a REST fault, else a signed endpoint, else the public
 * market's. */
static void carry_out(struct server *sv, struct http *h, struct signed_req *q, int64_t *late_ms)
{
	int fault = serve_fault_rest(&sv->o->faults, &sv->rest_rng);
	if (fault)
		serve_rest_fault(&h->reply, fault);
	else if (q->name[0] && serve_trading_known(q->name))
		signed_call(sv, h, q, late_ms);
	else
		serve_rest_answer(&sv->market, serve_pace_now_ms(&sv->pace, serve_mono_ns()), h->path,
		                  q->query, &h->reply);
}

/* Answers the request; returns how late the answer is to be sent, in ms. */
static int64_t answer(struct server *sv, struct http *h, const char *query)
{
	const char *name = endpoint_name(h->path);
	char key[ACCT_KEY_MAX];
	int64_t late_ms = sv->o->faults.rest_delay_ms;
	api_key_header(h->wsi, key, sizeof key);
	struct signed_req q = {method_name(h->method), name ? name : "", query,
	                       h->body.s ? h->body.s : "", key, serve_wall_ms()};
	struct rest_reply *r = &h->reply;
	*r = (struct rest_reply){.status = 200, .body = r->body};
	serve_text_clear(&r->body);
	if (h->too_long)
		serve_rest_error(r, 400, -1000, "The request body is too long.");
	else if (admit(sv, h, &q))
		carry_out(sv, h, &q, &late_ms);
	if (r->status == 429 && q.wall_ms >= sv->retry_until_ms) {
		sv->retry_from_ms = q.wall_ms;
		sv->retry_until_ms = q.wall_ms + (int64_t)r->retry_after * 1000;
	}
	r->weight = serve_window_used(&sv->weight, SERVE_MINUTE_MS, q.wall_ms);
	return late_ms;
}

static int respond(struct server *sv, struct http *h)
{
	char query[QUERY_MAX];
	serve_http_query(h->wsi, query, sizeof query);
	int64_t late_ms = answer(sv, h, query);
	if (h->reply.body.oom)
		return -1;
	if (late_ms > 0)
		lws_sul_schedule(sv->ctx, 0, &h->delay, http_delay_done, late_ms * 1000);
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

/* A header "name: value" with a number value. */
static int number_header(struct http *h, const char *name, unsigned long long v,
                         unsigned char **p, unsigned char *end)
{
	char s[24];
	int n = snprintf(s, sizeof s, "%llu", v);
	return lws_add_http_header_by_name(h->wsi, (const unsigned char *)name,
	                                   (const unsigned char *)s, n, p, end);
}

static int http_headers(struct http *h)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;
	const struct rest_reply *r = &h->reply;
	if (lws_add_http_common_headers(h->wsi, (unsigned)r->status, "application/json",
	                                r->body.len, &p, end))
		return -1;
	if (number_header(h, "x-mbx-used-weight-1m:", r->weight, &p, end))
		return -1;
	if (r->order_counts && (number_header(h, "x-mbx-order-count-10s:", r->orders_10s, &p, end) ||
	                        number_header(h, "x-mbx-order-count-1m:", r->orders_1m, &p, end)))
		return -1;
	if (r->retry_after && number_header(h, "retry-after:", (unsigned long long)r->retry_after,
	                                    &p, end))
		return -1;
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
