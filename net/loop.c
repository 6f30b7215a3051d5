/*
 * loop.c - the event loop: libwebsockets owns the poll loop, and libcurl's
 * multi interface rides on it through an lws timer.
 *
 * Why a timer and not curl's socket callbacks on lws-adopted descriptors:
 * REST calls are rare (the exchange info at start, a depth snapshot per
 * symbol at start and after a sequence break) and short, while the
 * WebSockets carry everything else. While at least one request is in flight
 * a 10 ms lws timer calls curl_multi_perform, which never blocks; with none
 * in flight curl costs nothing. Handing curl's sockets to lws would save
 * those few wake-ups at the price of a second descriptor registry kept in
 * step with curl's, which is where such integrations break.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net_int.h"

int64_t net_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint32_t net_random(net_loop *l)
{
	uint32_t x = l->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return l->rng = x;
}

static const struct lws_protocols protocols[] = {
	{"hunter", net_ws_callback, 0, 1 << 16, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

net_loop *net_loop_new(const char *ca_file, char *err)
{
	net_loop *l = calloc(1, sizeof *l);
	if (!l || (ca_file && !(l->ca_file = strdup(ca_file)))) {
		snprintf(err, NET_ERR_MAX, "out of memory");
		free(l);
		return NULL;
	}
	l->rng = (uint32_t)net_now_ns() ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
	if (ca_file && access(ca_file, R_OK) < 0) {
		snprintf(err, NET_ERR_MAX, "--ca-file %s: cannot read it", ca_file);
		net_loop_free(l);
		return NULL;
	}
	lws_set_log_level(0, NULL); /* failures reach the caller through callbacks */
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.timeout_secs = NET_CONNECT_TIMEOUT_S;
	info.connect_timeout_secs = NET_CONNECT_TIMEOUT_S;
	info.client_ssl_ca_filepath = net_tls_system_cas(); /* --ca-file: net_ws_callback */
	info.user = l;
	l->lws = lws_create_context(&info);
	if (!l->lws || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    !(l->multi = curl_multi_init())) {
		snprintf(err, NET_ERR_MAX, "cannot set up the network library");
		net_loop_free(l);
		return NULL;
	}
	return l;
}

void net_loop_free(net_loop *l)
{
	if (!l)
		return;
	l->closing = true;
	if (l->lws)
		lws_context_destroy(l->lws);
	for (size_t i = 0; i < l->nws; i++)
		net_ws_free(l->ws[i]);
	net_timers_free(l);
	free(l->ws);
	net_lanes_free(l);
	if (l->multi) {
		net_http_drop_all(l);
		curl_multi_cleanup(l->multi);
		curl_global_cleanup();
	}
	free(l->ca_file);
	free(l);
}

static void wake(lws_sorted_usec_list_t *sul)
{
	(void)sul; /* only makes lws_service return */
}

void net_loop_run(net_loop *l, int max_ms)
{
	lws_sul_schedule(l->lws, 0, &l->wake, wake, (lws_usec_t)max_ms * 1000);
	lws_service(l->lws, 0);
	net_lanes_watch(l);
}
