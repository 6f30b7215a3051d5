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

/* A growing byte buffer, kept NUL-terminated. */
struct net_buf {
	char *s;
	size_t len, cap;
};

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
	char *ca_file;
	uint32_t rng;
};

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

#endif
