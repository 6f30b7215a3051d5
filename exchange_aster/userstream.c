/*
 * userstream.c - the user data stream: a listenKey, kept alive, and the
 * WebSocket at <ws base>/ws/<listenKey> that carries the account's order
 * and account updates.
 *
 * A key lives 60 minutes past its last keepalive; the client sends one
 * every keepalive_ms (30 min by default). When the key is gone anyway
 * (the stream says listenKeyExpired, a keepalive is refused, or the
 * connection drops and may have outlived it), the client asks for a key
 * again: Aster answers with the same key while it is valid, else a new
 * one, and the stream moves to it. net/ reconnects a dropped stream by
 * itself; what was missed while it was down is the session's to reconcile.
 */
#include <stdio.h>
#include <string.h>

#include "client_int.h"

#define STREAM_WAIT_MS 10000 /* at start, the stream must be open by then */

static const struct net_ws_handlers handlers;

/* The stream's URL for the current key. */
static void stream_url(const struct xa_client *c, char *url, size_t cap)
{
	snprintf(url, cap, "%s/ws/%s", c->ws, c->stream.key);
}

/* Takes the key of a POST listenKey answer; false when there is none. */
static bool take_key(struct xa_client *c, const struct xa_answer *a, bool *changed)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(a->json, "listenKey");
	if (a->outcome != XA_OK || !cJSON_IsString(k) || !k->valuestring[0] ||
	    strlen(k->valuestring) >= sizeof c->stream.key || strpbrk(k->valuestring, "/?#& ")) {
		xa_client_error(c, "no listenKey for the user data stream: %s",
		                a->outcome == XA_OK ? "unreadable answer" : a->msg);
		return false;
	}
	*changed = strcmp(c->stream.key, k->valuestring) != 0;
	snprintf(c->stream.key, sizeof c->stream.key, "%s", k->valuestring);
	return true;
}

static struct xa_call *key_call(struct xa_client *c, const char *method)
{
	return xa_call_new(c, method, "listenKey", XA_KEY_ONLY, 1, "");
}

static void keepalive_done(struct xa_call *call, const struct xa_answer *a)
{
	if (a->outcome == XA_REFUSED) /* -1125: the key is gone */
		xa_stream_renew(call->c);
}

static void keepalive_due(void *ctx)
{
	struct xa_client *c = ctx;
	struct xa_call *call = key_call(c, "PUT");
	if (call) {
		call->done = keepalive_done;
		xa_call_send(call);
	}
	net_timer_arm(c->stream.keepalive, c->o.keepalive_ms);
}

static void renewed(struct xa_call *call, const struct xa_answer *a)
{
	struct xa_client *c = call->c;
	bool changed;
	char url[NET_URL_MAX + 128], err[NET_ERR_MAX];
	c->stream.renewing = false;
	if (!take_key(c, a, &changed))
		return; /* the next drop or keepalive asks again */
	net_timer_arm(c->stream.keepalive, c->o.keepalive_ms);
	if (!changed)
		return;
	c->stats.stream_renewals++;
	stream_url(c, url, sizeof url);
	if (net_ws_retarget(c->stream.ws, url, err) < 0)
		xa_client_error(c, "user data stream: %s", err);
}

void xa_stream_renew(struct xa_client *c)
{
	c->stream.missed = true; /* the key may have lapsed: events may be lost */
	if (c->stream.renewing)
		return;
	struct xa_call *call = key_call(c, "POST");
	if (!call)
		return;
	c->stream.renewing = true;
	call->done = renewed;
	xa_call_send(call);
}

/* Up again after a drop or a new key: what the stream said meanwhile is
 * asked of the REST API. */
static void on_open(void *ctx, net_ws *ws)
{
	(void)ws;
	struct xa_client *c = ctx;
	c->stream.up = true;
	if (c->stream.missed) {
		c->stream.missed = false;
		xa_resync(c);
	}
}

static void on_message(void *ctx, net_ws *ws, const char *data, size_t len, int64_t recv_ns)
{
	(void)ws;
	xa_client_stream_message(ctx, data, len, recv_ns);
}

static void on_down(void *ctx, net_ws *ws, const char *why, int64_t retry_ms)
{
	(void)ws, (void)retry_ms;
	struct xa_client *c = ctx;
	if (c->stream.up)
		c->stats.stream_drops++;
	c->stream.up = false;
	c->stream.missed = true;
	xa_client_error(c, "user data stream down: %s", why);
	xa_stream_renew(c);
}

static const struct net_ws_handlers handlers = {on_open, on_message, on_down};

static bool stream_up(const void *arg)
{
	return ((const struct xa_client *)arg)->stream.up;
}

int xa_stream_start(struct xa_client *c, char *err, size_t cap)
{
	struct xa_answer a;
	bool changed;
	char url[NET_URL_MAX + 128], why[NET_ERR_MAX];
	if (!(c->stream.keepalive = net_timer_new(c->loop, keepalive_due, c))) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	xa_request(c, "POST", "listenKey", XA_KEY_ONLY, 1, "", &a);
	bool ok = take_key(c, &a, &changed);
	cJSON_Delete(a.json);
	if (!ok) {
		snprintf(err, cap, "%s", c->last_error);
		return -1;
	}
	struct net_ws_opts o;
	net_ws_opts_default(&o);
	stream_url(c, url, sizeof url);
	if (!(c->stream.ws = net_ws_open(c->loop, url, &o, &handlers, c, why))) {
		snprintf(err, cap, "user data stream: %s", why);
		return -1;
	}
	net_timer_arm(c->stream.keepalive, c->o.keepalive_ms);
	/* orders may only go once their fills can be heard */
	xa_wait(c, stream_up, c, STREAM_WAIT_MS);
	if (!c->stream.up)
		snprintf(err, cap, "the user data stream did not open within %d s: %s",
		         STREAM_WAIT_MS / 1000, c->last_error);
	return c->stream.up ? 0 : -1;
}

void xa_stream_free(struct xa_client *c)
{
	if (c->stream.ws)
		net_ws_close(c->stream.ws);
	net_timer_free(c->stream.keepalive);
	c->stream.keepalive = NULL;
}
