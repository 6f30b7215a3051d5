/*
 * access.c - who may reach the dashboard. It listens on loopback unless
 * told otherwise, and an address others can reach needs a token. With a
 * token every request must carry it: `Authorization: Bearer TOKEN` or
 * `X-Hunter-Token: TOKEN`, or for a GET (a browser's page, its refreshes
 * and EventSource, which cannot set headers) `?token=TOKEN`. A request
 * that changes something (POST) must use a header: a page of another
 * site cannot send one without the browser asking first, which the
 * dashboard never allows.
 *
 * Without a token the dashboard is this machine's alone, and a request
 * must name a loopback host: a page of another site whose name was made
 * to resolve to 127.0.0.1 (DNS rebinding) still sends its own name.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dashboard_int.h"

/* Letters, digits and "-._~": the characters a URL carries unchanged. */
static bool token_ok(const char *t)
{
	if (!*t || strlen(t) >= DASH_TOKEN_MAX)
		return false;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
		      (*t >= '0' && *t <= '9') || strchr("-._~", *t)))
			return false;
	return true;
}

static bool loopback(const char *ipv4)
{
	struct in_addr a;
	return inet_pton(AF_INET, ipv4, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int dash_access_check_opts(const char *bind, const char *token, char *err, size_t cap)
{
	struct in_addr a;
	if (inet_pton(AF_INET, bind, &a) != 1) {
		snprintf(err, cap, "dashboard: cannot bind to '%s': not an IPv4 address", bind);
		return -1;
	}
	if (token && !token_ok(token)) {
		snprintf(err, cap, "dashboard: the token must be 1 to %d letters, digits or '-._~'",
		         DASH_TOKEN_MAX - 1);
		return -1;
	}
	if (!loopback(bind) && !token) {
		snprintf(err, cap, "dashboard: binding to %s, reachable from other machines, needs a"
		         " token", bind);
		return -1;
	}
	return 0;
}

/* Compares in a time that does not depend on where they differ. */
static bool same(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char diff = na != nb;
	for (size_t i = 0; i < na && i < nb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return !diff;
}

/* The token the request carries, NULL when none; it points into buf,
 * which is big enough that a longer token than any allowed is never cut
 * down to a valid one. A header too long for it counts as none. */
static const char *presented(struct lws *wsi, bool writes, char *buf, int cap)
{
	if (lws_hdr_copy(wsi, buf, cap, WSI_TOKEN_HTTP_AUTHORIZATION) > 0 &&
	    !strncmp(buf, "Bearer ", 7))
		return buf + 7;
	if (lws_hdr_custom_copy(wsi, buf, cap, "x-hunter-token:", 15) > 0)
		return buf;
	return writes ? NULL : lws_get_urlarg_by_name(wsi, "token=", buf, cap);
}

/* The Host header names this machine: localhost or 127.x.x.x, any port. */
static bool local_host(struct lws *wsi)
{
	char host[256];
	if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0)
		return false;
	char *port = strchr(host, ':');
	if (port)
		*port = '\0';
	return !strcmp(host, "localhost") || loopback(host);
}

enum dash_auth dash_access_request(const struct dashboard *d, struct lws *wsi, bool writes)
{
	char buf[DASH_TOKEN_MAX + 16];
	if (!d->token && !local_host(wsi))
		return AUTH_FOREIGN_HOST;
	if (!d->token)
		return writes ? AUTH_NO_TOKEN_SET : AUTH_OK;
	const char *got = presented(wsi, writes, buf, sizeof buf);
	if (!got || !*got)
		return AUTH_MISSING;
	return same(got, d->token) ? AUTH_OK : AUTH_WRONG;
}
