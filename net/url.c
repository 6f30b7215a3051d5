/*
 * url.c - base URLs and request URLs: where they come from (option,
 * environment, production default) and what they may be. Plain-text schemes
 * are refused for anything but loopback, so market data and, later, signed
 * requests never cross a network unencrypted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

static const struct scheme {
	const char *name;
	bool tls, websocket;
	int port;
} schemes[] = {
	{"https://", true, false, 443},
	{"http://", false, false, 80},
	{"wss://", true, true, 443},
	{"ws://", false, true, 80},
};

static bool is_loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strncmp(host, "127.", 4);
}

/* host[:port] of `n` bytes into u. */
static int parse_authority(const char *s, size_t n, struct net_url *u, char *err)
{
	const char *colon = memchr(s, ':', n);
	size_t hn = colon ? (size_t)(colon - s) : n;
	if (!hn || hn >= sizeof u->host || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") < hn) {
		snprintf(err, NET_ERR_MAX, "bad host in URL");
		return -1;
	}
	memcpy(u->host, s, hn);
	u->host[hn] = '\0';
	if (!colon)
		return 0;
	size_t pn = n - hn - 1;
	if (!pn || pn > 5 || strspn(colon + 1, "0123456789") < pn ||
	    (u->port = atoi(colon + 1)) < 1 || u->port > 65535) {
		snprintf(err, NET_ERR_MAX, "bad port in URL");
		return -1;
	}
	return 0;
}

int net_url_parse(const char *url, struct net_url *u, char *err)
{
	const struct scheme *sc = NULL;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && !sc; i++)
		if (!strncmp(url, schemes[i].name, strlen(schemes[i].name)))
			sc = &schemes[i];
	if (!sc) {
		snprintf(err, NET_ERR_MAX, "'%.80s': expected https://, wss://, or for loopback "
		                           "http:// or ws://", url);
		return -1;
	}
	memset(u, 0, sizeof *u);
	u->tls = sc->tls;
	u->websocket = sc->websocket;
	u->port = sc->port;
	const char *auth = url + strlen(sc->name);
	size_t an = strcspn(auth, "/?#");
	if (strlen(auth + an) >= sizeof u->path || parse_authority(auth, an, u, err) < 0) {
		if (strlen(auth + an) >= sizeof u->path)
			snprintf(err, NET_ERR_MAX, "URL too long");
		return -1;
	}
	snprintf(u->path, sizeof u->path, "%s%s", auth[an] == '/' ? "" : "/", auth + an);
	if (!u->tls && !is_loopback(u->host)) {
		snprintf(err, NET_ERR_MAX, "'%.80s': plain %s is only allowed to a loopback host; "
		                           "use %s", url, sc->name, u->websocket ? "wss://" : "https://");
		return -1;
	}
	return 0;
}

/* One base URL: option, else environment, else default; checked. */
static int resolve_one(char *out, const char *opt, const char *env, const char *def,
                       bool websocket, char *err)
{
	const char *v = opt ? opt : getenv(env) && *getenv(env) ? getenv(env) : def;
	const char *from = opt ? "option" : v == def ? "default" : env;
	struct net_url u;
	char why[NET_ERR_MAX];
	int rc = net_url_parse(v, &u, why);
	if (!rc && u.websocket != websocket) {
		snprintf(why, sizeof why, "'%.80s' is not a %s URL", v,
		         websocket ? "ws:// or wss://" : "http:// or https://");
		rc = -1;
	}
	if (rc < 0) {
		snprintf(err, NET_ERR_MAX, "%s URL (from %s): %.200s", websocket ? "stream" : "REST",
		         from, why);
		return -1;
	}
	size_t n = strlen(v);
	if (n >= NET_URL_MAX) {
		snprintf(err, NET_ERR_MAX, "URL too long");
		return -1;
	}
	while (n > 0 && v[n - 1] == '/')
		n--;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

int net_bases_resolve(const char *rest_opt, const char *ws_opt, struct net_bases *b, char *err)
{
	if (resolve_one(b->rest, rest_opt, "ASTER_REST_URL", NET_DEFAULT_REST, false, err) < 0)
		return -1;
	return resolve_one(b->ws, ws_opt, "ASTER_WS_URL", NET_DEFAULT_WS, true, err);
}
