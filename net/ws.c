/*
 * ws.c - WebSocket connections that stay up: each one reconnects after every
 * drop (with net_backoff_ms delays), reconnects on purpose before Aster's
 * 24 h limit, lets lws ping a silent server and hang up on a dead one, and
 * reassembles fragmented messages before handing them on whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "net_int.h"

struct net_ws {
	net_loop *loop;
	struct net_url u;
	struct net_ws_opts o;
	struct net_ws_handlers h;
	void *ctx;
	lws_retry_bo_t idle; /* lws's ping-and-hang-up policy */
	struct lws *wsi;     /* the current attempt, NULL while waiting to retry */
	bool live;           /* an attempt is under way or established */
	bool planned;        /* the coming close is ours: reconnect at once */
	bool closed;         /* closed by its owner: no callbacks, no reconnect */
	uint32_t attempt;    /* failed attempts since data last flowed */
	char why[128];       /* reason for the close under way */
	lws_sorted_usec_list_t sul_retry, sul_age;
	char *rx;
	size_t rxlen, rxcap;
	char **out;          /* queued messages, each with LWS_PRE bytes in front */
	size_t nout, capout;
};

void net_ws_opts_default(struct net_ws_opts *o)
{
	*o = (struct net_ws_opts){
		.idle_ping_s = 20,
		.idle_hangup_s = 60,
		.reconnect_after_ms = 23 * 3600 * 1000LL,
		.backoff_base_ms = 500,
		.backoff_max_ms = 30000,
	};
}

static void drop_queue(net_ws *ws)
{
	for (size_t i = 0; i < ws->nout; i++)
		free(ws->out[i]);
	ws->nout = 0;
}

void net_ws_free(net_ws *ws)
{
	drop_queue(ws);
	free(ws->out);
	free(ws->rx);
	free(ws);
}

static void connect_now(net_ws *ws);

static void retry_due(lws_sorted_usec_list_t *sul)
{
	connect_now(lws_container_of(sul, net_ws, sul_retry));
}

/* The attempt is over (failed or closed): report it and schedule the next. */
static void went_down(net_ws *ws, const char *why)
{
	if (!ws->live || ws->loop->closing)
		return;
	ws->live = false;
	ws->wsi = NULL;
	ws->rxlen = 0;
	drop_queue(ws);
	lws_sul_cancel(&ws->sul_age);
	int64_t delay = ws->planned ? 0 : net_backoff_ms(ws->attempt++, ws->o.backoff_base_ms,
	                                                 ws->o.backoff_max_ms,
	                                                 net_random(ws->loop));
	ws->planned = false;
	if (ws->h.on_down)
		ws->h.on_down(ws->ctx, ws, ws->why[0] ? ws->why : why, delay);
	ws->why[0] = '\0';
	lws_sul_schedule(ws->loop->lws, 0, &ws->sul_retry, retry_due, (lws_usec_t)delay * 1000);
}

/* Closes the connection from our side; went_down follows from lws. */
static void hang_up(net_ws *ws, const char *why, bool planned)
{
	snprintf(ws->why, sizeof ws->why, "%s", why);
	ws->planned = planned;
	if (ws->wsi)
		lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void age_due(lws_sorted_usec_list_t *sul)
{
	hang_up(lws_container_of(sul, net_ws, sul_age), "scheduled reconnect (connection age)",
	        true);
}

/* Room for one more connection in the loop's list. */
static bool grow_ws(net_loop *l)
{
	net_ws **v = grow_array(l->ws, &l->capws, l->nws + 1, sizeof *l->ws);
	if (v)
		l->ws = v;
	return v != NULL;
}

static void connect_now(net_ws *ws)
{
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = ws->loop->lws;
	i.address = ws->u.host;
	i.host = ws->u.host;
	i.port = ws->u.port;
	i.path = ws->u.path;
	i.ssl_connection = ws->u.tls ? LCCSCF_USE_SSL : 0;
	i.local_protocol_name = "hunter";
	i.userdata = ws;
	i.retry_and_idle_policy = &ws->idle;
	ws->live = true;
	struct lws *wsi = lws_client_connect_via_info(&i);
	if (ws->live)
		ws->wsi = wsi;
	if (!wsi)
		went_down(ws, "cannot start a connection");
}

net_ws *net_ws_open(net_loop *l, const char *url, const struct net_ws_opts *o,
                    const struct net_ws_handlers *h, void *ctx, char *err)
{
	net_ws *ws = calloc(1, sizeof *ws);
	if (!ws || !grow_ws(l)) {
		free(ws);
		snprintf(err, NET_ERR_MAX, "out of memory");
		return NULL;
	}
	if (net_url_parse(url, &ws->u, err) < 0 || !ws->u.websocket) {
		if (!ws->u.websocket)
			snprintf(err, NET_ERR_MAX, "'%.80s' is not a ws:// or wss:// URL", url);
		free(ws);
		return NULL;
	}
	ws->loop = l;
	ws->o = *o;
	ws->h = *h;
	ws->ctx = ctx;
	ws->idle.secs_since_valid_ping = (uint16_t)o->idle_ping_s;
	ws->idle.secs_since_valid_hangup = (uint16_t)o->idle_hangup_s;
	l->ws[l->nws++] = ws;
	connect_now(ws);
	return ws;
}

int net_ws_retarget(net_ws *ws, const char *url, char *err)
{
	struct net_url u;
	if (net_url_parse(url, &u, err) < 0)
		return -1;
	if (!u.websocket) {
		snprintf(err, NET_ERR_MAX, "'%.80s' is not a ws:// or wss:// URL", url);
		return -1;
	}
	ws->u = u;
	if (ws->wsi)
		hang_up(ws, "moving to a new URL", true);
	return 0;
}

void net_ws_close(net_ws *ws)
{
	ws->closed = true;
	lws_sul_cancel(&ws->sul_retry);
	lws_sul_cancel(&ws->sul_age);
	drop_queue(ws);
	if (ws->wsi)
		lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

int net_ws_send(net_ws *ws, const char *text)
{
	size_t n = strlen(text);
	char *m = malloc(LWS_PRE + n + 1);
	char **v = m ? grow_array(ws->out, &ws->capout, ws->nout + 1, sizeof *ws->out) : NULL;
	if (v)
		ws->out = v;
	if (!ws->wsi || !v) {
		free(m);
		return -1;
	}
	memcpy(m + LWS_PRE, text, n + 1);
	ws->out[ws->nout++] = m;
	lws_callback_on_writable(ws->wsi);
	return 0;
}

/* Collects one fragment; hands the message on once it is complete. */
static void receive(net_ws *ws, struct lws *wsi, const char *in, size_t len)
{
	int64_t recv_ns = net_now_ns();
	if (ws->rxlen + len > NET_FRAME_MAX) {
		hang_up(ws, "message larger than 16 MiB", false);
		return;
	}
	if (ws->rxlen + len + 1 > ws->rxcap) {
		size_t cap = ws->rxcap ? ws->rxcap : 65536;
		while (cap < ws->rxlen + len + 1)
			cap *= 2;
		char *p = realloc(ws->rx, cap);
		if (!p) {
			hang_up(ws, "out of memory", false);
			return;
		}
		ws->rx = p;
		ws->rxcap = cap;
	}
	memcpy(ws->rx + ws->rxlen, in, len);
	ws->rxlen += len;
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	ws->rx[ws->rxlen] = '\0';
	size_t n = ws->rxlen;
	ws->rxlen = 0;
	ws->attempt = 0; /* data flows: the next drop starts the backoff afresh */
	ws->h.on_message(ws->ctx, ws, ws->rx, n, recv_ns);
}

/* Sends the oldest queued message; asks to be called again for the rest. */
static int send_next(net_ws *ws, struct lws *wsi)
{
	if (!ws->nout)
		return 0;
	char *m = ws->out[0];
	size_t n = strlen(m + LWS_PRE);
	int w = lws_write(wsi, (unsigned char *)m + LWS_PRE, n, LWS_WRITE_TEXT);
	free(m);
	memmove(ws->out, ws->out + 1, --ws->nout * sizeof *ws->out);
	if (w < (int)n)
		return -1;
	if (ws->nout)
		lws_callback_on_writable(wsi);
	return 0;
}

static void established(net_ws *ws)
{
	if (ws->o.reconnect_after_ms > 0)
		lws_sul_schedule(ws->loop->lws, 0, &ws->sul_age, age_due,
		                 (lws_usec_t)ws->o.reconnect_after_ms * 1000);
	if (ws->h.on_open)
		ws->h.on_open(ws->ctx, ws);
}

/* The peer's close frame: its code and text say why. */
static void peer_closed(net_ws *ws, const unsigned char *in, size_t len)
{
	int code = len >= 2 ? in[0] << 8 | in[1] : 0;
	snprintf(ws->why, sizeof ws->why, "closed by the server (code %d%s%.*s)", code,
	         len > 2 ? ": " : "", len > 2 ? (int)(len - 2 > 60 ? 60 : len - 2) : 0,
	         len > 2 ? (const char *)in + 2 : "");
}

/* Whether `reason` concerns one of our client connections, whose user
 * pointer is then its net_ws (other reasons carry other pointers). */
static bool is_client_reason(enum lws_callback_reasons reason)
{
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
	case LWS_CALLBACK_CLIENT_RECEIVE:
	case LWS_CALLBACK_CLIENT_WRITEABLE:
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		return true;
	default:
		return false;
	}
}

int net_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS) {
		net_loop *l = lws_context_user(lws_get_context(wsi));
		return net_tls_add_ca(user, l->ca_file);
	}
	net_ws *ws = user;
	if (!is_client_reason(reason) || !ws || ws->loop->closing)
		return 0;
	if (ws->closed) {
		if (reason == LWS_CALLBACK_CLIENT_CLOSED || reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR)
			ws->wsi = NULL;
		return ws->wsi ? -1 : 0; /* -1: lws closes what is still open */
	}
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->wsi = wsi;
		established(ws);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		receive(ws, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return send_next(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		peer_closed(ws, in, len);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char why[128];
		snprintf(why, sizeof why, "cannot connect: %.100s", in ? (const char *)in : "error");
		went_down(ws, why);
		break;
	}
	default: /* LWS_CALLBACK_CLIENT_CLOSED */
		went_down(ws, "connection lost");
		break;
	}
	return 0;
}
