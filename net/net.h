/*
 * net.h - hunter's network client core: one single-threaded event loop that
 * carries WebSocket streams (libwebsockets) and REST requests (libcurl) side
 * by side, with a timeout on everything and TLS verification always on.
 *
 * Users (the recorder, the Aster trading client) open WebSockets that
 * reconnect by themselves with exponential backoff and jitter, issue REST
 * requests whose answers arrive as callbacks from the same loop, and set
 * timers. Nothing blocks and nothing runs on another thread, so callbacks
 * may touch their owner's state freely. The pure parts (URLs, stream lists, backoff) are
 * public so they can be tested without a network.
 */
#ifndef HUNTER_NET_H
#define HUNTER_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_URL_MAX 2048          /* longest base URL or request URL */
#define NET_STREAMS_PER_CONN 200  /* Aster's limit of streams on one connection */
#define NET_STREAM_URL_MAX 2048   /* longest combined-stream URL hunter asks for */
#define NET_FRAME_MAX (16u << 20) /* largest WebSocket message accepted */
#define NET_ERR_MAX 256
#define NET_CONNECT_TIMEOUT_S 10

#define NET_DEFAULT_REST "https://fapi.asterdex.com"
#define NET_DEFAULT_WS "wss://fstream.asterdex.com"

/* ------------------------------------------------------------------------ */
/* URLs                                                                      */
/* ------------------------------------------------------------------------ */

/* A URL split into what a connection needs. */
struct net_url {
	bool tls;               /* https or wss */
	bool websocket;         /* ws or wss */
	char host[256];
	int port;
	char path[NET_URL_MAX]; /* from the first '/', "/" when absent */
};

/*
 * Parses scheme://host[:port][/path]. Schemes: https and wss anywhere; http
 * and ws only for a loopback host (localhost or 127.x.x.x; IPv6 literals
 * are not supported), so plain text never leaves the machine. Returns 0, or -1 with
 * the reason in err (NET_ERR_MAX bytes).
 */
int net_url_parse(const char *url, struct net_url *u, char *err);

/*
 * The base URLs to use: the option when given, else the environment
 * variable (ASTER_REST_URL, ASTER_WS_URL), else Aster's production URLs.
 * Each must parse with the right kind of scheme (REST: http/https, streams:
 * ws/wss); a trailing '/' is dropped. Returns 0, or -1 with the reason.
 */
struct net_bases {
	char rest[NET_URL_MAX];
	char ws[NET_URL_MAX];
};
int net_bases_resolve(const char *rest_opt, const char *ws_opt, struct net_bases *b,
                      char *err);

/* ------------------------------------------------------------------------ */
/* Streams                                                                   */
/* ------------------------------------------------------------------------ */

/* Connections needed for `n` streams at NET_STREAMS_PER_CONN each. */
size_t net_stream_conns(size_t n);

/*
 * A combined-stream URL: base + "/stream?streams=" + names joined by '/',
 * with as many of names[0..n) as fit in `cap` bytes. Returns how many went
 * in (0 if not even the first fits); the caller subscribes the rest with
 * SUBSCRIBE messages, so a connection's URL stays of a length any server
 * and proxy takes.
 */
size_t net_stream_url(char *buf, size_t cap, const char *base, const char *const *names,
                      size_t n);

/* {"method":"SUBSCRIBE"|"UNSUBSCRIBE","params":[...],"id":id}; same return. */
int net_sub_message(char *buf, size_t cap, bool subscribe, const char *const *names,
                    size_t n, uint32_t id);

/* ------------------------------------------------------------------------ */
/* Backoff                                                                   */
/* ------------------------------------------------------------------------ */

/*
 * Delay before reconnect attempt `attempt` (0 = the first after a drop):
 * d = min(max_ms, base_ms * 2^attempt), then a jitter drawn from `rnd`
 * places it in [d/2, d], so many clients dropped at once do not come back
 * in step.
 */
int64_t net_backoff_ms(uint32_t attempt, int64_t base_ms, int64_t max_ms, uint32_t rnd);

/* ------------------------------------------------------------------------ */
/* The loop                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct net_loop net_loop;
typedef struct net_ws net_ws;

/* Wall-clock time in ns since the epoch: the receive stamp of messages. */
int64_t net_now_ns(void);

/*
 * A loop. Connecting (TCP, TLS and the WebSocket handshake) must finish
 * within NET_CONNECT_TIMEOUT_S. `ca_file` (PEM, may be NULL) holds CAs trusted besides the
 * system's, for both WebSockets and REST. Returns NULL with the reason.
 */
net_loop *net_loop_new(const char *ca_file, char *err);
/* Closes every connection without callbacks and frees everything. */
void net_loop_free(net_loop *l);
/* Waits for and handles what is ready; returns within about `max_ms`. */
void net_loop_run(net_loop *l, int max_ms);

/* ---- WebSockets ---- */

struct net_ws_handlers {
	/* connected, first or again */
	void (*on_open)(void *ctx, net_ws *ws);
	/* one complete text message, stamped with its receive time */
	void (*on_message)(void *ctx, net_ws *ws, const char *data, size_t len, int64_t recv_ns);
	/* the connection is down (or never came up) and a reconnect is scheduled
	 * in `retry_ms`; `why` is a short human reason */
	void (*on_down)(void *ctx, net_ws *ws, const char *why, int64_t retry_ms);
};

struct net_ws_opts {
	int idle_ping_s;            /* send a PING after this much silence */
	int idle_hangup_s;          /* drop the connection after this much silence */
	int64_t reconnect_after_ms; /* proactive reconnect at this age; 0 never */
	int64_t backoff_base_ms, backoff_max_ms;
};

/* Defaults: ping after 20 s, drop after 60 s of silence,
 * reconnect at 23 h, backoff from 500 ms up to 30 s. */
void net_ws_opts_default(struct net_ws_opts *o);

/*
 * Opens a WebSocket to `url` (ws:// or wss://) that stays open: every drop
 * is reported and followed by a reconnect. Returns NULL with the reason if
 * the URL is bad or out of memory; connection failures are reported through
 * on_down instead. The loop owns the result.
 */
net_ws *net_ws_open(net_loop *l, const char *url, const struct net_ws_opts *o,
                    const struct net_ws_handlers *h, void *ctx, char *err);

/* The next connection goes to `url`: the current one is closed at once
 * (a planned reconnect, no backoff). Returns 0, or -1 with the reason when
 * the URL is not a ws:// or wss:// one (the old URL stays). */
int net_ws_retarget(net_ws *ws, const char *url, char *err);

/* Closes the connection for good: no callback follows, no reconnect. The
 * loop frees it with everything else. */
void net_ws_close(net_ws *ws);

/* Queues a text message (a SUBSCRIBE, ...) for the open connection; messages
 * queued while it is down are dropped at the next drop. Returns 0 or -1. */
int net_ws_send(net_ws *ws, const char *text);

/* ---- REST ---- */

/* A request: the method ("GET" when NULL), the URL, an optional
 * form-encoded body and one optional extra header line ("Name: value"). */
struct net_request {
	const char *method;
	const char *url;
	const char *body;
	const char *header;
	int64_t timeout_ms; /* the whole exchange must finish within this */
	bool urgent;        /* an order: written on a connection kept open for such
	                     * requests when one is ready, else like any other */
	const struct net_url *at; /* url already parsed (net_url_parse), or NULL: a
	                           * client sending one URL often parses it once */
};

/* Everything net_http does with an urgent request up to its write, and
 * no write: the code and data an order needs stay in the CPU's caches
 * between orders (xa_client_warm). Whether a kept-alive lane would take
 * it now. */
bool net_http_rehearse(net_loop *l, const struct net_request *rq);

/* Urgent requests will go to the host of `url` (an http:// or https://
 * URL): its lanes open after the first answer from it, whichever request
 * it was, so the first order finds one. 0, or -1 with the reason in err. */
int net_http_expect_urgent(net_loop *l, const char *url, char *err);

/* Its answer: `status` is the HTTP status (0 when none arrived, then `err`
 * says why: timeout, refused, TLS failure...), the body, the header lines
 * of the answer ("Name: value\r\n" each), and the time it was complete. */
struct net_reply {
	long status;
	const char *body;
	size_t len;
	const char *headers;
	const char *err;
	int64_t recv_ns;
};

typedef void (*net_http_fn)(void *ctx, const struct net_reply *a);

/* Starts a request and puts its first bytes on the wire at once (a
 * connection to the host left open by an earlier request is reused); fn
 * is called exactly once, from net_loop_run. Returns 0, or -1 with the
 * reason. */
int net_http(net_loop *l, const struct net_request *rq, net_http_fn fn, void *ctx, char *err);
/* The same for a GET of `url`. */
int net_http_get(net_loop *l, const char *url, int64_t timeout_ms, net_http_fn fn, void *ctx,
                 char *err);

/* What the loop's REST side did: requests sent on a kept-alive lane
 * (urgent ones that found an idle lane), lanes opened and closed, and when
 * the last of those began its lane's liveness check and finished its
 * write (net_now_ns). */
struct net_stats {
	uint64_t lane_requests, lanes_opened, lanes_closed;
	int64_t write_ns, wrote_ns;
};
void net_loop_stats(const net_loop *l, struct net_stats *out);

/* The value of header `name` (any case) among a reply's header lines, with
 * surrounding blanks removed, into out[cap]; false when absent. */
bool net_reply_header(const struct net_reply *a, const char *name, char *out, size_t cap);

/* ---- Timers ---- */

typedef struct net_timer net_timer;

/* A timer of the loop that calls fn(ctx) from net_loop_run once it is due.
 * NULL when out of memory. Freed with the loop or by net_timer_free. */
net_timer *net_timer_new(net_loop *l, void (*fn)(void *ctx), void *ctx);
/* Due in `ms` from now (0: at the next turn of the loop); replaces an
 * earlier arming. */
void net_timer_arm(net_timer *t, int64_t ms);
void net_timer_cancel(net_timer *t);
void net_timer_free(net_timer *t);

#endif
