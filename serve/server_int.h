/*
 * server_int.h - the server's own state, shared by the files that drive
 * libwebsockets: server.c (the context, the loop and the replay's tick),
 * conn.c (WebSocket connections: streams, control messages, faults,
 * limits) and http.c (REST over HTTP). Unlike serve_int.h it needs
 * libwebsockets, so the parsers stay fuzzable without it.
 */
#ifndef HUNTER_SERVE_SERVER_INT_H
#define HUNTER_SERVE_SERVER_INT_H

#include <libwebsockets.h>

#include "trading_int.h"

#define QUERY_MAX 8192 /* bytes of a request's query string, and of a body */
#define PATH_MAX_LEN 128 /* bytes of a REST path kept while its body arrives */

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
	const struct account *user; /* a user data stream's account, else NULL */
	bool user_stream;           /* opened as one (user is NULL once its key expired) */
};

/* One HTTP request being answered. */
struct http {
	struct lws *wsi;
	char path[PATH_MAX_LEN];
	int method;       /* LWSHUMETH_* */
	struct text body; /* a POST, PUT or DELETE body, as received */
	bool too_long;    /* the body passed QUERY_MAX */
	bool awaiting_body;
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
	struct accounts accounts;
	struct rng signed_rng;  /* the signed calls' faults */
	struct window weight;   /* request weight this minute (all clients share 127.0.0.1) */
	int64_t retry_until_ms; /* wall clock: the last Retry-After announced runs until then */
	int64_t retry_from_ms;  /* ... and was announced then */
	bool played_out, done, failed;
};

/* server.c */
void serve_say(struct server *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Starts the replay clock at the first subscription or user data stream;
 * later calls do nothing. */
void serve_start_replay(struct server *sv);

/* conn.c: the lws callbacks of a WebSocket connection (filter returns
 * non-zero to refuse the handshake; the others -1 to close) */
int serve_conn_filter(struct server *sv, struct lws *wsi);
int serve_conn_open(struct server *sv, struct conn *c, struct lws *wsi);
void serve_conn_receive(struct server *sv, struct conn *c, const char *in, size_t len);
int serve_conn_writeable(struct server *sv, struct conn *c);
void serve_conn_closed(struct server *sv, struct conn *c);
/* The event to every connection, once per stream of it they hold. */
void serve_conns_send(struct server *sv, const ev_t *ev);
/* --as-fast waits while a client that is still served has a full queue. */
bool serve_conns_full(const struct server *sv);
/* The user data stream: an account's event, and its listenKey's expiry
 * (the accounts' callbacks; ctx is the server). */
void serve_conns_user_event(void *ctx, const struct account *ac, const ev_t *ev);
void serve_conns_key_expired(void *ctx, const struct account *ac, int64_t wall_ms);
/* Closes connections that are too old or done, and pings the others. */
void serve_conns_watch(struct server *sv, int64_t now);

/* http.c: the lws callbacks of an HTTP request (-1 to close) */
void serve_http_query(struct lws *wsi, char *out, size_t cap);
int serve_http_request(struct server *sv, struct http *h, struct lws *wsi, const char *path);
int serve_http_body(struct http *h, const char *in, size_t len);
int serve_http_body_done(struct server *sv, struct http *h);
int serve_http_writeable(struct http *h);
void serve_http_closed(struct http *h);

#endif
