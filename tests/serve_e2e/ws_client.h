/*
 * ws_client.h - a WebSocket client on libwebsockets' client API for the
 * end-to-end tests: connects to the server's path, keeps every text
 * message it receives, sends control messages, and notices how the
 * connection ended (the close code the server sent, or none). Each client
 * has its own lws context, served only while a test waits on it, with a
 * timer so that every wait ends by its deadline.
 */
#ifndef HUNTER_TEST_SERVE_WS_CLIENT_H
#define HUNTER_TEST_SERVE_WS_CLIENT_H

#include <criterion/criterion.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define WSC_OUT_MAX 8

struct wsc {
	struct lws_context *ctx;
	struct lws *wsi;
	lws_sorted_usec_list_t wake;
	bool connected, closed, failed;
	int close_code; /* from the server's close frame; 0 when none came */
	char **msgs;
	size_t n, cap;
	char *part;     /* a message arriving in fragments */
	size_t part_len;
	char *out[WSC_OUT_MAX];
	size_t nout;
};

static inline void wsc_keep(struct wsc *w, const char *in, size_t len, bool final)
{
	w->part = realloc(w->part, w->part_len + len + 1);
	memcpy(w->part + w->part_len, in, len);
	w->part_len += len;
	w->part[w->part_len] = '\0';
	if (!final)
		return;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		w->msgs = realloc(w->msgs, w->cap * sizeof *w->msgs);
	}
	w->msgs[w->n++] = w->part;
	w->part = NULL;
	w->part_len = 0;
}

static inline int wsc_send_one(struct wsc *w, struct lws *wsi)
{
	if (!w->nout)
		return 0;
	size_t len = strlen(w->out[0]);
	unsigned char *buf = malloc(LWS_PRE + len);
	memcpy(buf + LWS_PRE, w->out[0], len);
	int n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
	free(buf);
	free(w->out[0]);
	memmove(w->out, w->out + 1, --w->nout * sizeof w->out[0]);
	if (w->nout)
		lws_callback_on_writable(wsi);
	return n < 0 ? -1 : 0;
}

static inline int wsc_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                               void *in, size_t len)
{
	struct wsc *w = lws_context_user(lws_get_context(wsi));
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		w->connected = true;
		if (w->nout)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		w->failed = true;
		w->wsi = NULL;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		wsc_keep(w, in, len, lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi));
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE: return wsc_send_one(w, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			w->close_code = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		w->closed = true;
		w->wsi = NULL;
		break;
	default: break;
	}
	return 0;
}

static const struct lws_protocols wsc_protocols[] = {
	{"wsc", wsc_callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static inline void wsc_wake(lws_sorted_usec_list_t *sul)
{
	struct wsc *w = lws_container_of(sul, struct wsc, wake);
	lws_sul_schedule(w->ctx, 0, &w->wake, wsc_wake, 20000);
}

/* Services the client until done(w) or the deadline; returns done(w). */
static inline bool wsc_until(struct wsc *w, bool (*done)(const struct wsc *, size_t), size_t arg,
                             int timeout_ms)
{
	int64_t end = test_now_ms() + timeout_ms;
	while (!done(w, arg) && test_now_ms() < end)
		lws_service(w->ctx, 0);
	return done(w, arg);
}

static inline bool wsc_is_open_or_failed(const struct wsc *w, size_t arg)
{
	return w->connected || w->failed || w->closed;
}

/* Connects to ws://127.0.0.1:port<path>; returns whether the server took it. */
static inline bool wsc_open(struct wsc *w, int port, const char *path)
{
	*w = (struct wsc){0};
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = wsc_protocols;
	info.user = w;
	lws_set_log_level(0, NULL);
	w->ctx = lws_create_context(&info);
	cr_assert_not_null(w->ctx);
	lws_sul_schedule(w->ctx, 0, &w->wake, wsc_wake, 20000);
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = w->ctx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = path;
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.ietf_version_or_minus_one = -1;
	ci.pwsi = &w->wsi;
	if (!lws_client_connect_via_info(&ci))
		return false;
	wsc_until(w, wsc_is_open_or_failed, 0, 5000);
	return w->connected;
}

static inline void wsc_send(struct wsc *w, const char *text)
{
	cr_assert_lt(w->nout, WSC_OUT_MAX);
	w->out[w->nout++] = strdup(text);
	if (w->wsi && w->connected)
		lws_callback_on_writable(w->wsi);
}

static inline bool wsc_has(const struct wsc *w, size_t n)
{
	return w->n >= n || w->closed || w->failed;
}

static inline bool wsc_is_closed(const struct wsc *w, size_t arg)
{
	return w->closed || w->failed;
}

static inline bool wsc_never(const struct wsc *w, size_t arg)
{
	return false;
}

/* Waits for at least n messages in all; returns whether they came. */
static inline bool wsc_wait(struct wsc *w, size_t n, int timeout_ms)
{
	wsc_until(w, wsc_has, n, timeout_ms);
	return w->n >= n;
}

static inline bool wsc_wait_closed(struct wsc *w, int timeout_ms)
{
	return wsc_until(w, wsc_is_closed, 0, timeout_ms);
}

/* Keeps the connection served for a while, collecting what comes. */
static inline void wsc_idle(struct wsc *w, int ms)
{
	wsc_until(w, wsc_never, 0, ms);
}

static inline void wsc_free(struct wsc *w)
{
	lws_sul_cancel(&w->wake);
	lws_context_destroy(w->ctx);
	for (size_t i = 0; i < w->n; i++)
		free(w->msgs[i]);
	free(w->msgs);
	free(w->part);
	for (size_t i = 0; i < w->nout; i++)
		free(w->out[i]);
	*w = (struct wsc){0};
}

#endif
