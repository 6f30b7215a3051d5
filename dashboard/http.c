/*
 * http.c - one HTTP request from its first line to its answer: find the
 * route and check who asks (access.c) as soon as the headers are in, so
 * that a refused request never has its body read; read a POST's body up
 * to DASH_BODY_MAX; answer; then write the headers and the body in
 * chunks, one per writeable callback. An event stream's answer never ends: each
 * snapshot published is one more `data:` message on it.
 *
 * Everything here is client input: an unknown path is 404, a known one
 * asked with another method 405, a body too large 413.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_int.h"

#define CHUNK 16384

/* Every answer: nothing cached, nothing guessed, nothing loaded from
 * elsewhere, and the page's own inline style and script allowed. */
static const char *const fixed_headers[][2] = {
	{"cache-control:", "no-store"},
	{"x-content-type-options:", "nosniff"},
	{"content-security-policy:", "default-src 'none'; style-src 'unsafe-inline';"
	                             " script-src 'unsafe-inline'; connect-src 'self'"},
};

static void events_open(struct dashboard *d, struct conn *c);

static const struct route {
	const char *path;
	int method;
	void (*answer)(struct dashboard *d, struct conn *c);
} routes[] = {
	{"/", LWSHUMETH_GET, dash_page},
	{"/panel", LWSHUMETH_GET, dash_panel},
	{"/api/account", LWSHUMETH_GET, dash_api_account},
	{"/api/positions", LWSHUMETH_GET, dash_api_positions},
	{"/api/stats", LWSHUMETH_GET, dash_api_stats},
	{"/api/trades", LWSHUMETH_GET, dash_api_trades},
	{"/api/liquidations", LWSHUMETH_GET, dash_api_liquidations},
	{"/api/events", LWSHUMETH_GET, events_open},
	{"/api/config", LWSHUMETH_GET, dash_settings_get},
	{"/api/config", LWSHUMETH_POST, dash_settings_post},
};

void dash_reply(struct conn *c, int status, const char *type)
{
	c->status = status;
	c->type = type;
	c->ready = true;
}

void dash_reply_error(struct conn *c, int status, const char *message)
{
	dash_text_clear(&c->reply);
	dash_puts(&c->reply, "{\"error\":");
	dash_json_string(&c->reply, message);
	dash_puts(&c->reply, "}");
	dash_reply(c, status, "application/json");
}

/* The route of the request; NULL after answering 404 or 405. */
static const struct route *route(struct conn *c)
{
	bool known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(routes[i].path, c->path))
			continue;
		if (routes[i].method == c->method)
			return &routes[i];
		known = true;
	}
	if (known)
		dash_reply_error(c, 405, "method not allowed");
	else
		dash_reply_error(c, 404, "no such page");
	return NULL;
}

/* How a request dash_access_request refused is answered. */
static const struct refusal {
	int status; /* 401 also says how to authenticate */
	const char *message;
} refusals[] = {
	[AUTH_MISSING] = {401, "a token is required"},
	[AUTH_WRONG] = {401, "wrong token"},
	[AUTH_NO_TOKEN_SET] = {403, "changes need a token: start the dashboard with one"},
	[AUTH_FOREIGN_HOST] = {403, "without a token, only requests to localhost or 127.0.0.1"
	                            " are answered"},
};

/* false after answering 401 or 403. */
static bool allowed(struct dashboard *d, struct conn *c)
{
	enum dash_auth a = dash_access_request(d, c->wsi, c->method == LWSHUMETH_POST);
	if (a == AUTH_OK)
		return true;
	c->challenge = refusals[a].status == 401;
	dash_reply_error(c, refusals[a].status, refusals[a].message);
	return false;
}

static void events_open(struct dashboard *d, struct conn *c)
{
	if (d->nsse == DASH_SSE_MAX) {
		dash_reply_error(c, 503, "too many event streams");
		return;
	}
	d->sse[d->nsse++] = c;
	c->sse = true;
	c->sse_gen = 0;
	dash_reply(c, 200, "text/event-stream");
}

/* The answer is complete: write it. */
static int send_reply(struct conn *c)
{
	if (c->reply.oom)
		return -1;
	lws_callback_on_writable(c->wsi);
	return 0;
}

static int answer(struct dashboard *d, struct conn *c)
{
	if (c->too_large)
		dash_reply_error(c, 413, "request body too large");
	else
		c->answer(d, c);
	return send_reply(c);
}

/* The Content-Length, 0 when absent. */
static unsigned long long content_length(struct lws *wsi)
{
	char len[24];
	return lws_hdr_copy(wsi, len, sizeof len, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0
	               ? strtoull(len, NULL, 10) : 0;
}

int dash_http_request(struct dashboard *d, struct conn *c, struct lws *wsi, const char *path)
{
	char *uri;
	int uri_len;
	struct dtext body = c->body, reply = c->reply;
	dash_text_clear(&body);
	dash_text_clear(&reply);
	*c = (struct conn){.wsi = wsi, .body = body, .reply = reply};
	c->method = lws_http_get_uri_and_method(wsi, &uri, &uri_len);
	if (snprintf(c->path, sizeof c->path, "%s", path) >= (int)sizeof c->path)
		c->path[0] = '\0'; /* no route is that long */
	unsigned long long len = content_length(wsi);
	const struct route *r = route(c);
	/* a refused request is answered before its body is read, which is
	 * then never read: the connection ends with the answer */
	if (!r || !allowed(d, c)) {
		c->close_after = len > 0;
		return send_reply(c);
	}
	c->answer = r->answer;
	c->too_large = len > DASH_BODY_MAX;
	c->close_after = c->too_large;
	c->awaiting_body = c->method == LWSHUMETH_POST && len > 0 && !c->too_large;
	return c->awaiting_body ? 0 : answer(d, c);
}

int dash_http_body(struct conn *c, const char *in, size_t len)
{
	if (!c->awaiting_body || !len)
		return 0; /* lws may call with no bytes, and no pointer */
	if (c->body.len + len > DASH_BODY_MAX)
		c->too_large = true;
	else
		dash_put(&c->body, in, len);
	return c->body.oom ? -1 : 0;
}

/* lws may report a completion for a request answered without a body. */
int dash_http_body_done(struct dashboard *d, struct conn *c)
{
	if (!c->awaiting_body)
		return 0;
	c->awaiting_body = false;
	return answer(d, c);
}

static int headers(struct conn *c)
{
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start;
	unsigned char *end = buf + sizeof buf - 1;
	lws_filepos_t len = c->sse ? LWS_ILLEGAL_HTTP_CONTENT_LEN : c->reply.len;
	if (lws_add_http_common_headers(c->wsi, (unsigned)c->status, c->type, len, &p, end))
		return -1;
	for (size_t i = 0; i < sizeof fixed_headers / sizeof fixed_headers[0]; i++) {
		const char *v = fixed_headers[i][1];
		if (lws_add_http_header_by_name(c->wsi, (const unsigned char *)fixed_headers[i][0],
		                                (const unsigned char *)v, (int)strlen(v), &p, end))
			return -1;
	}
	if (c->challenge && lws_add_http_header_by_name(c->wsi,
	                        (const unsigned char *)"www-authenticate:",
	                        (const unsigned char *)"Bearer", 6, &p, end))
		return -1;
	if (lws_finalize_write_http_header(c->wsi, start, &p, end))
		return -1;
	c->headers_sent = true;
	if (c->sse) /* no timeout: it lasts as long as the client stays */
		lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
	lws_callback_on_writable(c->wsi);
	return 0;
}

/* The snapshot, if a newer one than the stream has seen was published. */
static int sse_send(struct dashboard *d, struct conn *c)
{
	uint64_t gen;
	char *snap = dash_snapshot_copy(d, &gen);
	if (!snap || gen == c->sse_gen) {
		free(snap);
		return 0;
	}
	size_t n = strlen(snap) + sizeof "data: \n\n"; /* and the NUL */
	unsigned char *buf = malloc(LWS_PRE + n);
	if (!buf) {
		free(snap);
		return -1;
	}
	int len = snprintf((char *)buf + LWS_PRE, n, "data: %s\n\n", snap);
	int rc = lws_write(c->wsi, buf + LWS_PRE, (size_t)len, LWS_WRITE_HTTP) < 0 ? -1 : 0;
	c->sse_gen = gen;
	free(buf);
	free(snap);
	return rc;
}

int dash_http_writeable(struct dashboard *d, struct conn *c)
{
	if (!c->ready)
		return 0;
	if (!c->headers_sent)
		return headers(c);
	if (c->sse)
		return sse_send(d, c);
	unsigned char buf[LWS_PRE + CHUNK];
	size_t left = c->reply.len - c->sent;
	size_t n = left < CHUNK ? left : CHUNK;
	bool last = n == left;
	memcpy(buf + LWS_PRE, c->reply.s + c->sent, n);
	if (lws_write(c->wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < 0)
		return -1;
	c->sent += n;
	if (!last) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	c->ready = false;
	dash_text_free(&c->reply);
	dash_text_free(&c->body); /* lws may close without CLOSED_HTTP after the last one */
	if (c->close_after)
		return -1;
	return lws_http_transaction_completed(c->wsi) ? -1 : 0;
}

void dash_http_closed(struct dashboard *d, struct conn *c)
{
	for (size_t i = 0; i < d->nsse; i++)
		if (d->sse[i] == c) {
			d->sse[i] = d->sse[--d->nsse];
			break;
		}
	dash_text_free(&c->reply);
	dash_text_free(&c->body);
}

void dash_http_published(struct dashboard *d)
{
	for (size_t i = 0; i < d->nsse; i++)
		lws_callback_on_writable(d->sse[i]->wsi);
}
