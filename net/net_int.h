/*
 * net_int.h - what the loop, the WebSocket client and the REST client of
 * the net module share: the loop's state, which owns every connection and
 * request, and the lws protocol callback that ws.c implements.
 */
#ifndef HUNTER_NET_INT_H
#define HUNTER_NET_INT_H

#include <curl/curl.h>
#include <libwebsockets.h>

#include "net.h"

struct net_req;
struct net_lane;

#define NET_LANES_READY 4 /* kept-alive connections per host kept ready (idle or opening) */
#define NET_LANES_MAX 32  /* kept-alive connections per host at most */
#define NET_LANE_HOSTS 4  /* hosts that get lanes */

/* A host urgent requests go to, at the address libcurl resolved for it. */
struct net_lane_host {
	bool tls;
	char host[256];
	int port;
	char ip[64];
	int64_t retry_ns; /* no new lane before this, after one failed to open */
};

/* A growing byte buffer, kept NUL-terminated. */
struct net_buf {
	char *s;
	size_t len, cap;
};

/* Appends n bytes; false when out of memory. */
bool net_buf_add(struct net_buf *b, const char *data, size_t n);

struct net_loop {
	struct lws_context *lws;
	CURLM *multi;
	struct net_req *reqs;          /* requests in flight, a list */
	lws_sorted_usec_list_t curl_tick; /* drives curl while requests are in flight */
	bool ticking;
	lws_sorted_usec_list_t wake;   /* bounds one net_loop_run */
	bool closing;                  /* being freed: callbacks do nothing */
	net_ws **ws;
	size_t nws, capws;
	net_timer *timers;             /* every timer, a list */
	struct net_lane *lanes;        /* kept-alive connections (lane.c), a list */
	struct net_lane_host lane_hosts[NET_LANE_HOSTS];
	size_t nlane_hosts;
	struct ssl_ctx_st *lane_tls;   /* the lanes' TLS settings, made at first use */
	int64_t lanes_watched_ns;      /* the last net_lanes_watch */
	struct net_stats stats;
	char *ca_file;
	uint32_t rng;
};

/* ---- h1.c: an HTTP/1.1 answer ---- */

struct net_h1 {
	long status;
	const char *headers;  /* the header lines ("Name: value\r\n" each), in the input */
	size_t headers_len;
	char *body;           /* malloc'd, NUL-terminated: free it */
	size_t body_len;
	bool close;           /* the server closes the connection after it */
};

/*
 * Reads one answer from buf[0..len) (1xx interim answers skipped); `eof`
 * says the connection has ended, so a body without a length ends there.
 * Returns the bytes the answer took once it is complete (out filled), 0
 * while more are needed, or -1 when the bytes are no HTTP/1.1 answer or
 * more than NET_FRAME_MAX (the reason in err, NET_ERR_MAX bytes).
 */
long net_h1_parse(const char *buf, size_t len, bool eof, struct net_h1 *out, char *err);

/* Adds the CAs of `ca_file` (NULL: none) to an OpenSSL SSL_CTX; 0 or -1. */
int net_tls_add_ca(void *ssl_ctx, const char *ca_file);
/* The system's CA bundle file. */
const char *net_tls_system_cas(void);

/* xorshift32: jitter needs spread, not secrecy. */
uint32_t net_random(net_loop *l);

/* The lws protocol callback of hunter's WebSocket client (ws.c). */
int net_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len);
void net_ws_free(net_ws *ws);

/* Frees every timer (timer.c). */
void net_timers_free(net_loop *l);

/* Polls curl once and hands out finished answers (http.c). */
void net_http_tick(lws_sorted_usec_list_t *sul);
/* Drops every request in flight without calling back. */
void net_http_drop_all(net_loop *l);
/* Has the tick (net_http_tick) run within 10 ms, unless it is due already. */
void net_http_wake(net_loop *l);

/* ---- lane.c: kept-alive connections for urgent requests ---- */

/* Sends `rq` (to `u`) on an idle lane that is still open: true, and fn
 * hears the answer from a later net_lanes_watch; false when no lane could
 * take it (nothing was sent: use libcurl). */
bool net_lane_send(net_loop *l, const struct net_url *u, const struct net_request *rq,
                   net_http_fn fn, void *ctx);
/* What net_lane_send does short of the liveness check and the write:
 * whether a lane would take `rq` now. */
bool net_lane_rehearse(net_loop *l, const struct net_url *u, const struct net_request *rq);
/* Lanes are wanted to host:port, which libcurl reached at `ip` ("": not
 * yet; they open once it is known). */
void net_lane_want(net_loop *l, bool tls, const char *host, int port, const char *ip);
/* Lanes are wanted to host:port (net_http_expect_urgent). */
bool net_lane_expected(const net_loop *l, bool tls, const char *host, int port);
/* Whether a lane is opening or waiting for its answer: the loop must turn
 * again soon (the tick keeps itself scheduled). */
bool net_lanes_busy(const net_loop *l);
/* From each turn of the loop: lanes open, answers that arrived are read,
 * deadlines pass (a lane is free again within a turn, and the pool grows
 * right after a burst took its lanes); every second or so, idle lanes the
 * server closed are replaced, so the next order does not find them gone. */
void net_lanes_watch(net_loop *l);
/* Closes every lane without calling back. */
void net_lanes_free(net_loop *l);

#endif
