/*
 * server.c - `hunter serve` on libwebsockets: one context, one vhost on
 * 127.0.0.1, one protocol that answers both plain HTTP (the REST
 * endpoints) and WebSocket upgrades (the market streams), all from lws's
 * own event loop: no threads, no blocking calls.
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

#include "serve_int.h"

#define TICK_MAX_NS 50000000LL  /* the longest the tick sleeps: stop and ages are seen this soon */
#define AS_FAST_WAIT_NS 1000000LL /* --as-fast: how long to let a full client read */
#define PUMP_BATCH 2000         /* events per tick, so sockets are served in between */
#define QUERY_MAX 8192
#define HTTP_CHUNK 16384

enum conn_state { C_OPEN, C_DROP, C_CLOSE };

/* One WebSocket connection. */
struct conn {
	struct lws *wsi;
	struct conn *prev, *next;
	struct subs *subs;
	bool combined;
	struct queue q;
	struct rng rng;
	uint64_t serial, queued, sent;
	int64_t opened_ns, pinged_ns;
	enum conn_state state;
	bool ping_due;
	const char *why; /* why it is dropped or closed */
	enum lws_close_status close_status;
	struct text rx;  /* a control message arriving in fragments */
};

/* One HTTP request being answered. */
struct http {
	struct lws *wsi;
	struct rest_reply reply;
	lws_sorted_usec_list_t delay;
	size_t sent;
	bool headers_sent;
};

/* What lws keeps per connection, zeroed when it opens. */
struct session {
	struct conn c;
	struct http h;
};

struct server {
	const struct serve_opts *o;
	struct lws_context *ctx;
	struct market market;
	struct feed feed;
	struct pace pace;
	struct conn *conns;
	size_t nconns;
	uint64_t serials;
	struct rng rest_rng;
	lws_sorted_usec_list_t tick;
	struct text ev_text, msg_text;
	bool played_out, done, failed;
};

static void say(struct server *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct server *sv, const char *fmt, ...)
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
/* Connections                                                      */
/* ---------------------------------------------------------------- */

static void drop(struct server *sv, struct conn *c, const char *why)
{
	if (c->state != C_OPEN)
		return;
	say(sv, "connection %llu dropped after %llu messages: %s", (unsigned long long)c->serial,
	    (unsigned long long)c->sent, why);
	c->state = C_DROP;
	c->why = why;
	serve_queue_clear(&c->q);
	lws_callback_on_writable(c->wsi);
}

static void close_conn(struct conn *c, enum lws_close_status status, const char *why)
{
	if (c->state != C_OPEN)
		return;
	c->state = C_CLOSE;
	c->close_status = status;
	c->why = why;
	serve_queue_clear(&c->q);
	lws_callback_on_writable(c->wsi);
}

static void push(struct server *sv, struct conn *c, const struct text *t, bool data)
{
	if (t->oom || serve_queue_push(&c->q, t->s, t->len, data)) {
		drop(sv, c, "out of memory");
		return;
	}
	if (c->q.bytes > SERVE_QUEUE_MAX_BYTES)
		drop(sv, c, "send queue over 8 MiB: the client reads too slowly");
	else
		lws_callback_on_writable(c->wsi);
}

static void enqueue_event(struct server *sv, struct conn *c, const struct stream *s,
                          const struct text *ev)
{
	switch (serve_fault_data(&sv->o->faults, &c->rng, c->queued)) {
	case DF_SKIP: return;
	case DF_DROP: drop(sv, c, "fault: --drop-rate"); return;
	case DF_SEND: break;
	}
	c->queued++;
	if (!c->combined) {
		push(sv, c, ev, true);
		return;
	}
	serve_text_clear(&sv->msg_text);
	serve_text_printf(&sv->msg_text, "{\"stream\":\"%s\",\"data\":", s->name);
	serve_text_put(&sv->msg_text, ev->s, ev->len);
	serve_text_puts(&sv->msg_text, "}");
	push(sv, c, &sv->msg_text, true);
}

/* The event to every connection, once per stream of it they hold. */
static void broadcast(struct server *sv, const ev_t *ev)
{
	bool formatted = false;
	for (struct conn *c = sv->conns; c; c = c->next) {
		for (size_t i = 0; c->state == C_OPEN && i < c->subs->n; i++) {
			if (!serve_stream_matches(&c->subs->s[i], ev))
				continue;
			if (!formatted) {
				/* what the exchange sends: no local receive time */
				ev_t wire = *ev;
				wire.recv_ns = 0;
				wire.raw = NULL;
				wire.raw_len = 0;
				serve_text_clear(&sv->ev_text);
				serve_text_event(&sv->ev_text, &wire);
				formatted = true;
			}
			enqueue_event(sv, c, &c->subs->s[i], &sv->ev_text);
		}
	}
}

/* --as-fast waits while a client that is still served has a full queue. */
static bool clients_full(const struct server *sv)
{
	for (const struct conn *c = sv->conns; c; c = c->next)
		if (c->state == C_OPEN && c->q.bytes > SERVE_QUEUE_LOW_BYTES)
			return true;
	return false;
}

/* ---------------------------------------------------------------- */
/* The replay                                                       */
/* ---------------------------------------------------------------- */

static void schedule(struct server *sv, int64_t wait_ns);

static void start_replay(struct server *sv)
{
	const ev_t *first;
	if (sv->pace.started || serve_feed_peek(&sv->feed, &first) != 1)
		return;
	serve_pace_start(&sv->pace, first->exch_ms, serve_mono_ns());
	say(sv, "replay started");
	schedule(sv, 0);
}

static void end_of_pass(struct server *sv)
{
	if (!sv->o->loop) {
		sv->played_out = true;
		say(sv, "recordings played out");
		return;
	}
	const ev_t *first;
	if (serve_feed_rewind(&sv->feed) || serve_feed_peek(&sv->feed, &first) != 1) {
		say(sv, "%s", sv->feed.err);
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
				say(sv, "%s", sv->feed.err);
				sv->failed = sv->played_out = true;
			} else {
				end_of_pass(sv);
			}
			return 0;
		}
		int64_t wait = serve_pace_wait_ns(&sv->pace, ev->exch_ms, now);
		if (wait > 0)
			return wait;
		if (sv->pace.as_fast && clients_full(sv))
			return AS_FAST_WAIT_NS;
		if (serve_market_apply(&sv->market, ev))
			say(sv, "out of memory: the REST state misses an event");
		if (ev->exch_ms > sv->pace.last_ms)
			sv->pace.last_ms = ev->exch_ms;
		broadcast(sv, ev);
		serve_feed_take(&sv->feed);
	}
	return 0;
}

/* Ages and pings. */
static void watch(struct server *sv, int64_t now)
{
	const struct serve_opts *o = sv->o;
	for (struct conn *c = sv->conns; c; c = c->next) {
		if (c->state != C_OPEN)
			continue;
		if (o->max_age_ms && now - c->opened_ns >= o->max_age_ms * 1000000) {
			close_conn(c, LWS_CLOSE_STATUS_GOINGAWAY, "connection older than the limit");
		} else if (sv->played_out && !c->q.head) {
			close_conn(c, LWS_CLOSE_STATUS_NORMAL, "replay finished");
		} else if (o->ping_ms && now - c->pinged_ns >= o->ping_ms * 1000000) {
			c->pinged_ns = now;
			c->ping_due = true;
			lws_callback_on_writable(c->wsi);
		}
	}
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
	struct server *sv = lws_container_of(sul, struct server, tick);
	int64_t now = serve_mono_ns();
	int64_t wait = TICK_MAX_NS;
	if (sv->pace.started && !sv->played_out)
		wait = pump(sv, now);
	watch(sv, now);
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
/* WebSocket callbacks                                              */
/* ---------------------------------------------------------------- */

/* The request's query string, from lws's decoded fragments. */
static void url_query(struct lws *wsi, char *out, size_t cap)
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

/* The streams the URL asks for; -1 (logged) when it asks for bad ones. */
static int url_streams(struct server *sv, struct lws *wsi, struct subs *subs, bool *combined)
{
	char path[256], query[QUERY_MAX], err[SERVE_ERR_MAX];
	if (lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) <= 0) {
		say(sv, "connection refused: no path");
		return -1;
	}
	url_query(wsi, query, sizeof query);
	if (serve_streams_from_url(&sv->market, path, query, subs, combined, err)) {
		say(sv, "connection to %s refused: %s", path, err);
		return -1;
	}
	return 0;
}

static int ws_filter(struct server *sv, struct lws *wsi)
{
	struct subs *subs = malloc(sizeof *subs);
	bool combined;
	int rc = subs ? url_streams(sv, wsi, subs, &combined) : -1;
	free(subs);
	return rc ? 1 : 0;
}

static int ws_open(struct server *sv, struct conn *c, struct lws *wsi)
{
	int64_t now = serve_mono_ns();
	*c = (struct conn){.wsi = wsi, .serial = ++sv->serials, .opened_ns = now, .pinged_ns = now};
	if (!(c->subs = malloc(sizeof *c->subs)) || url_streams(sv, wsi, c->subs, &c->combined)) {
		free(c->subs);
		c->subs = NULL;
		return -1;
	}
	serve_rng_seed(&c->rng, sv->o->faults.seed, c->serial);
	c->next = sv->conns;
	if (sv->conns)
		sv->conns->prev = c;
	sv->conns = c;
	sv->nconns++;
	if (c->subs->n)
		start_replay(sv);
	return 0;
}

static void ws_closed(struct server *sv, struct conn *c)
{
	if (!c->subs)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		sv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	sv->nconns--;
	free(c->subs);
	c->subs = NULL;
	serve_queue_clear(&c->q);
	serve_text_free(&c->rx);
}

static void ws_receive(struct server *sv, struct conn *c, const char *in, size_t len)
{
	/* one byte past the control limit is enough for the "too long" reply */
	size_t room = 65537 > c->rx.len ? 65537 - c->rx.len : 0;
	serve_text_put(&c->rx, in, len < room ? len : room);
	if (!lws_is_final_fragment(c->wsi) || lws_remaining_packet_payload(c->wsi))
		return;
	struct text reply = {0};
	serve_control(&sv->market, c->subs, &c->combined, c->rx.s ? c->rx.s : "", c->rx.len,
	              &reply);
	serve_text_clear(&c->rx);
	push(sv, c, &reply, false);
	serve_text_free(&reply);
	if (c->subs->n)
		start_replay(sv);
}

static int ws_ping(struct conn *c)
{
	unsigned char buf[LWS_PRE + 1];
	c->ping_due = false;
	lws_callback_on_writable(c->wsi);
	return lws_write(c->wsi, buf + LWS_PRE, 0, LWS_WRITE_PING) < 0 ? -1 : 0;
}

static int ws_writeable(struct server *sv, struct conn *c)
{
	if (c->state == C_DROP)
		return -1;
	if (c->state == C_CLOSE) {
		lws_close_reason(c->wsi, c->close_status, (unsigned char *)c->why, strlen(c->why));
		return -1;
	}
	if (c->ping_due)
		return ws_ping(c);
	struct msg *m = serve_queue_pop(&c->q);
	if (!m)
		return 0;
	int n = lws_write(c->wsi, serve_msg_text(m), m->len, LWS_WRITE_TEXT);
	bool data = m->data;
	free(m);
	if (n < 0)
		return -1;
	if (data && ++c->sent == sv->o->faults.drop_after)
		drop(sv, c, "fault: --drop-after");
	if (c->q.head)
		lws_callback_on_writable(c->wsi);
	return 0;
}

/* ---------------------------------------------------------------- */
/* HTTP callbacks                                                   */
/* ---------------------------------------------------------------- */

static void http_delay_done(lws_sorted_usec_list_t *sul)
{
	struct http *h = lws_container_of(sul, struct http, delay);
	lws_callback_on_writable(h->wsi);
}

static int http_request(struct server *sv, struct http *h, struct lws *wsi, const char *path)
{
	char query[QUERY_MAX];
	h->wsi = wsi;
	h->sent = 0;
	h->headers_sent = false;
	url_query(wsi, query, sizeof query);
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

static int http_writeable(struct http *h)
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

static void http_closed(struct http *h)
{
	lws_sul_cancel(&h->delay);
	serve_text_free(&h->reply.body);
}

static int on_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
	struct server *sv = lws_context_user(lws_get_context(wsi));
	struct session *ss = user;
	switch (reason) {
	case LWS_CALLBACK_HTTP: return http_request(sv, &ss->h, wsi, in);
	case LWS_CALLBACK_HTTP_WRITEABLE: return http_writeable(&ss->h);
	case LWS_CALLBACK_CLOSED_HTTP: http_closed(&ss->h); return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: return ws_filter(sv, wsi);
	case LWS_CALLBACK_ESTABLISHED: return ws_open(sv, &ss->c, wsi);
	case LWS_CALLBACK_RECEIVE: ws_receive(sv, &ss->c, in, len); return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE: return ws_writeable(sv, &ss->c);
	case LWS_CALLBACK_CLOSED: ws_closed(sv, &ss->c); return 0;
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
	say(sv, err == EADDRINUSE ? "port %d on 127.0.0.1 is in use" : "cannot bind port %d: %s",
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
		say(sv, "cannot start the server");
		return -1;
	}
	info.port = sv->o->port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	struct lws_vhost *vh = lws_create_vhost(sv->ctx, &info);
	if (!vh) {
		say(sv, "cannot listen on 127.0.0.1:%d (in use?)", sv->o->port);
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
	say(sv, "%llu events from %zu recording%s from %s, %zu symbols; the replay starts at the"
	    " first subscription", (unsigned long long)sv->feed.events, sv->o->nrecordings,
	    sv->o->nrecordings == 1 ? "" : "s", from, sv->market.n);
}

static int serve_loop(struct server *sv)
{
	schedule(sv, TICK_MAX_NS);
	while (!sv->done && !*sv->o->stop)
		if (lws_service(sv->ctx, 0) < 0)
			break;
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
	serve_rng_seed(&sv->rest_rng, o->faults.seed, 0);
	int rc = SERVE_EFAIL;
	if (serve_feed_open(&sv->feed, o->recordings, o->nrecordings, &sv->market))
		say(sv, "%s", sv->feed.err);
	else if (listen_on(sv) == 0) {
		sv->pace.last_ms = sv->feed.first_ms; /* REST's time before the replay starts */
		describe(sv);
		rc = serve_loop(sv);
	}
	if (sv->ctx)
		lws_context_destroy(sv->ctx);
	serve_feed_close(&sv->feed);
	serve_market_free(&sv->market);
	serve_text_free(&sv->ev_text);
	serve_text_free(&sv->msg_text);
	free(sv);
	return rc;
}
