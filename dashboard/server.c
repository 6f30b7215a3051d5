/*
 * server.c - the dashboard's thread: its own libwebsockets context and
 * one vhost on the address asked for, served until dashboard_stop. The
 * owner's threads reach it through the snapshot (under the mutex) and
 * the reload flag (atomic); lws_cancel_service, the one lws call safe
 * from another thread, wakes the loop when a snapshot is published or
 * the dashboard stops.
 */
#include <stdlib.h>
#include <string.h>

#include "dashboard_int.h"

#define REFRESH_DEFAULT_S 3

static int on_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
	struct dashboard *d = lws_context_user(lws_get_context(wsi));
	struct conn *c = user;
	switch (reason) {
	case LWS_CALLBACK_HTTP: return dash_http_request(d, c, wsi, in);
	case LWS_CALLBACK_HTTP_BODY: return dash_http_body(c, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION: return dash_http_body_done(d, c);
	case LWS_CALLBACK_HTTP_WRITEABLE: return dash_http_writeable(d, c);
	case LWS_CALLBACK_CLOSED_HTTP:
		if (c) /* NULL for a connection closed before any request (a browser's spare) */
			dash_http_closed(d, c);
		return 0;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED: dash_http_published(d); return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: return -1; /* no WebSocket here */
	default: return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{"http", on_callback, sizeof(struct conn), 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void *serve(void *arg)
{
	struct dashboard *d = arg;
	while (!atomic_load(&d->stop))
		if (lws_service(d->ctx, 0) < 0)
			break;
	return NULL;
}

char *dash_snapshot_copy(struct dashboard *d, uint64_t *gen)
{
	pthread_mutex_lock(&d->mu);
	char *s = d->snapshot ? strdup(d->snapshot) : NULL;
	if (gen)
		*gen = d->gen;
	pthread_mutex_unlock(&d->mu);
	return s;
}

static void dashboard_free(struct dashboard *d)
{
	if (d->ctx)
		lws_context_destroy(d->ctx);
	pthread_mutex_destroy(&d->mu);
	free(d->bind);
	free(d->token);
	free(d->db_path);
	free(d->settings_path);
	free(d->snapshot);
	free(d);
}

static int listen_on(struct dashboard *d, int port, char *err, size_t cap)
{
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = d;
	if (!(d->ctx = lws_create_context(&info))) {
		snprintf(err, cap, "dashboard: cannot start the server");
		return -1;
	}
	info.port = port;
	info.iface = d->bind;
	info.protocols = protocols;
	struct lws_vhost *vh = lws_create_vhost(d->ctx, &info);
	if (!vh) {
		snprintf(err, cap, "dashboard: cannot listen on %s:%d (in use, or not an address of"
		         " this machine)", d->bind, port);
		return -1;
	}
	d->port = lws_get_vhost_listen_port(vh);
	return 0;
}

/* A copy of s, or NULL; *bad when s was given and could not be copied. */
static char *copy(const char *s, bool *bad)
{
	char *c = s ? strdup(s) : NULL;
	*bad |= s && !c;
	return c;
}

dashboard_t *dashboard_start(const struct dashboard_opts *o, char *err, size_t cap)
{
	const char *bind = o->bind ? o->bind : "127.0.0.1";
	if (!o->db_path || !o->settings_path) {
		snprintf(err, cap, "dashboard: needs the run database and the settings file");
		return NULL;
	}
	if (o->port < 0 || o->port > 65535 || o->refresh_s < 0) {
		snprintf(err, cap, "dashboard: bad port %d or refresh period %d", o->port, o->refresh_s);
		return NULL;
	}
	if (dash_access_check_opts(bind, o->token, err, cap))
		return NULL;
	struct dashboard *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, cap, "dashboard: out of memory");
		return NULL;
	}
	pthread_mutex_init(&d->mu, NULL);
	bool bad = false;
	d->bind = copy(bind, &bad);
	d->token = copy(o->token, &bad);
	d->db_path = copy(o->db_path, &bad);
	d->settings_path = copy(o->settings_path, &bad);
	d->refresh_s = o->refresh_s ? o->refresh_s : REFRESH_DEFAULT_S;
	d->diag = o->diag ? o->diag : stderr;
	if (bad)
		snprintf(err, cap, "dashboard: out of memory");
	if (bad || listen_on(d, o->port, err, cap)) {
		dashboard_free(d);
		return NULL;
	}
	if (pthread_create(&d->thread, NULL, serve, d)) {
		snprintf(err, cap, "dashboard: cannot start its thread");
		dashboard_free(d);
		return NULL;
	}
	return d;
}

int dashboard_port(const dashboard_t *d)
{
	return d->port;
}

void dashboard_publish(dashboard_t *d, const char *snapshot_json)
{
	char err[64];
	char *s = dash_snapshot_normalize(snapshot_json, err, sizeof err);
	if (!s) {
		fprintf(d->diag, "dashboard: snapshot ignored: %s\n", err);
		return;
	}
	pthread_mutex_lock(&d->mu);
	free(d->snapshot);
	d->snapshot = s;
	d->gen++;
	pthread_mutex_unlock(&d->mu);
	lws_cancel_service(d->ctx);
}

bool dashboard_take_reload(dashboard_t *d)
{
	return atomic_exchange(&d->reload, false);
}

void dashboard_stop(dashboard_t *d)
{
	if (!d)
		return;
	atomic_store(&d->stop, true);
	lws_cancel_service(d->ctx);
	pthread_join(d->thread, NULL);
	dashboard_free(d);
}
