/*
 * server.c - `hunter serve` on libwebsockets: one context, one vhost on
 * 127.0.0.1, one protocol that answers both plain HTTP (the REST
 * endpoints) and WebSocket upgrades (the market streams), all from lws's
 * own event loop: no threads, no blocking calls. This file holds the
 * context, the listening socket, the loop and the replay's timer; conn.c
 * the WebSocket connections, http.c the REST requests.
 *
 * A timer (the tick) drives everything that is not a socket event: it
 * sends the events that are due, checks connection ages and pings, and
 * ends the run once the recordings are played out and every client has
 * been sent everything and closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server_int.h"

#define TICK_MAX_NS 50000000LL  /* the longest the tick sleeps: stop and ages are seen this soon */
#define AS_FAST_WAIT_NS 1000000LL /* --as-fast: how long to let a full client read */
#define PUMP_BATCH 2000         /* events per tick, so sockets are served in between */

void serve_say(struct server *sv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hunter serve: ", sv->o->diag);
	vfprintf(sv->o->diag, fmt, ap);
	fputc('\n', sv->o->diag);
	fflush(sv->o->diag);
	va_end(ap);
}

/* ---------------------------------------------------------------- */
/* The replay                                                       */
/* ---------------------------------------------------------------- */

static void schedule(struct server *sv, int64_t wait_ns);

void serve_start_replay(struct server *sv)
{
	const ev_t *first;
	if (sv->pace.started || serve_feed_peek(&sv->feed, &first) != 1)
		return;
	serve_pace_start(&sv->pace, first->exch_ms, serve_mono_ns());
	serve_say(sv, "replay started");
	schedule(sv, 0);
}

static void end_of_pass(struct server *sv)
{
	if (!sv->o->loop) {
		sv->played_out = true;
		serve_say(sv, "recordings played out");
		return;
	}
	const ev_t *first;
	if (serve_feed_rewind(&sv->feed) || serve_feed_peek(&sv->feed, &first) != 1) {
		serve_say(sv, "%s", sv->feed.err);
		sv->failed = sv->played_out = true;
		return;
	}
	serve_pace_start(&sv->pace, first->exch_ms, serve_mono_ns());
}

/* Sends what is due; returns how long until the next event is. */
static int64_t pump(struct server *sv, int64_t now)
{
	for (int i = 0; i < PUMP_BATCH; i++) {
		const ev_t *ev;
		int rc = serve_feed_peek(&sv->feed, &ev);
		if (rc <= 0) {
			if (rc < 0) {
				serve_say(sv, "%s", sv->feed.err);
				sv->failed = sv->played_out = true;
			} else {
				end_of_pass(sv);
			}
			return 0;
		}
		int64_t wait = serve_pace_wait_ns(&sv->pace, ev->exch_ms, now);
		if (wait > 0)
			return wait;
		if (sv->pace.as_fast && serve_conns_full(sv))
			return AS_FAST_WAIT_NS;
		if (serve_market_apply(&sv->market, ev))
			serve_say(sv, "out of memory: the REST state misses an event");
		if (ev->exch_ms > sv->pace.last_ms)
			sv->pace.last_ms = ev->exch_ms;
		serve_accounts_market(&sv->accounts, ev);
		serve_conns_send(sv, ev);
		serve_feed_take(&sv->feed);
	}
	return 0;
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
	struct server *sv = lws_container_of(sul, struct server, tick);
	int64_t now = serve_mono_ns();
	int64_t wait = TICK_MAX_NS;
	if (sv->pace.started && !sv->played_out) {
		wait = pump(sv, now);
		serve_accounts_advance(&sv->accounts, serve_pace_now_ms(&sv->pace, now));
	}
	int64_t wall = serve_wall_ms();
	serve_accounts_expire(&sv->accounts, wall);
	serve_accounts_countdowns(&sv->accounts, wall);
	serve_conns_watch(sv, now);
	if (sv->played_out && !sv->nconns)
		sv->done = true;
	schedule(sv, wait);
}

static void schedule(struct server *sv, int64_t wait_ns)
{
	if (wait_ns > TICK_MAX_NS)
		wait_ns = TICK_MAX_NS;
	lws_sul_schedule(sv->ctx, 0, &sv->tick, on_tick, wait_ns / 1000);
}

/* ---------------------------------------------------------------- */
/* The server                                                       */
/* ---------------------------------------------------------------- */

static int on_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
	struct server *sv = lws_context_user(lws_get_context(wsi));
	struct session *ss = user;
	switch (reason) {
	case LWS_CALLBACK_HTTP: return serve_http_request(sv, &ss->h, wsi, in);
	case LWS_CALLBACK_HTTP_BODY: return serve_http_body(&ss->h, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION: return serve_http_body_done(sv, &ss->h);
	case LWS_CALLBACK_HTTP_WRITEABLE: return serve_http_writeable(&ss->h);
	case LWS_CALLBACK_CLOSED_HTTP:
		/* a connection closed before its first request has no session
		 * (a client that opens connections ahead of need) */
		if (ss)
			serve_http_closed(&ss->h);
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: return serve_conn_filter(sv, wsi);
	case LWS_CALLBACK_ESTABLISHED: return serve_conn_open(sv, &ss->c, wsi);
	case LWS_CALLBACK_RECEIVE: serve_conn_receive(sv, &ss->c, in, len); return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE: return serve_conn_writeable(sv, &ss->c);
	case LWS_CALLBACK_CLOSED: serve_conn_closed(sv, &ss->c); return 0;
	default: return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

/* ---------------------------------------------------------------- */
/* The run                                                          */
/* ---------------------------------------------------------------- */

/* lws only logs a failed bind; this says why in the user's terms. */
static int check_port(struct server *sv, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || port == 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int rc = bind(fd, (struct sockaddr *)&a, sizeof a);
	int err = errno;
	close(fd);
	if (rc == 0)
		return 0;
	serve_say(sv, err == EADDRINUSE ? "port %d on 127.0.0.1 is in use" : "cannot bind port %d: %s",
	          port, strerror(err));
	return -1;
}

static const struct lws_protocols protocols[] = {
	{"aster", on_callback, sizeof(struct session), 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static int listen_on(struct server *sv)
{
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = sv;
	lws_set_log_level(LLL_ERR, NULL);
	if (check_port(sv, sv->o->port))
		return -1;
	if (!(sv->ctx = lws_create_context(&info))) {
		serve_say(sv, "cannot start the server");
		return -1;
	}
	info.port = sv->o->port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	struct lws_vhost *vh = lws_create_vhost(sv->ctx, &info);
	if (!vh) {
		serve_say(sv, "cannot listen on 127.0.0.1:%d (in use?)", sv->o->port);
		return -1;
	}
	fprintf(sv->o->out, "hunter serve: listening on http://127.0.0.1:%d\n",
	        lws_get_vhost_listen_port(vh));
	fflush(sv->o->out);
	return 0;
}

static void describe(struct server *sv)
{
	char from[UTC_FMT_MAX];
	utc_format(sv->feed.first_ms, from);
	serve_say(sv, "%llu events from %zu recording%s from %s, %zu symbols; the replay starts at"
	          " the first subscription or user data stream", (unsigned long long)sv->feed.events,
	          sv->o->nrecordings, sv->o->nrecordings == 1 ? "" : "s", from, sv->market.n);
}

static int serve_loop(struct server *sv)
{
	schedule(sv, TICK_MAX_NS);
	while (!sv->done && !*sv->o->stop) {
		if (lws_service(sv->ctx, 0) < 0) {
			serve_say(sv, "the event loop failed");
			sv->failed = true;
			break;
		}
	}
	lws_sul_cancel(&sv->tick);
	if (*sv->o->stop)
		return SERVE_EINTR;
	return sv->failed ? SERVE_EFAIL : SERVE_OK;
}

int serve_run(const struct serve_opts *o)
{
	struct server *sv = calloc(1, sizeof *sv);
	if (!sv || serve_market_init(&sv->market)) {
		fprintf(o->diag, "hunter serve: out of memory\n");
		free(sv);
		return SERVE_EFAIL;
	}
	sv->o = o;
	sv->pace = (struct pace){.as_fast = o->as_fast, .speed = o->speed > 0 ? o->speed : 1};
	sv->market.limits = o->limits;
	serve_rng_seed(&sv->rest_rng, o->faults.seed, 0);
	serve_rng_seed(&sv->signed_rng, o->faults.seed, UINT64_MAX); /* no connection's */
	int rc = SERVE_EFAIL;
	char err[SERVE_ERR_MAX];
	if (serve_feed_open(&sv->feed, o->recordings, o->nrecordings, &sv->market))
		serve_say(sv, "%s", sv->feed.err);
	else if (serve_accounts_init(&sv->accounts, &sv->market, o->accounts,
	                             o->listen_key_ttl_ms, err))
		serve_say(sv, "--accounts %s", err);
	else if (listen_on(sv) == 0) {
		sv->accounts.on_user_event = serve_conns_user_event;
		sv->accounts.on_key_expired = serve_conns_key_expired;
		sv->accounts.user_ctx = sv;
		sv->pace.last_ms = sv->feed.first_ms; /* REST's time before the replay starts */
		serve_accounts_advance(&sv->accounts, sv->feed.first_ms);
		describe(sv);
		rc = serve_loop(sv);
	}
	if (sv->ctx)
		lws_context_destroy(sv->ctx);
	serve_accounts_free(&sv->accounts);
	serve_feed_close(&sv->feed);
	serve_market_free(&sv->market);
	serve_text_free(&sv->ev_text);
	serve_text_free(&sv->msg_text);
	free(sv);
	return rc;
}
