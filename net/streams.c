/*
 * streams.c - combined-stream URLs and subscription messages. Aster takes
 * at most NET_STREAMS_PER_CONN streams per connection, so a long stream list
 * is cut into consecutive slices, one connection each; a slice's URL holds
 * what fits in NET_STREAM_URL_MAX and SUBSCRIBE messages carry the rest.
 */
#include <stdio.h>
#include <string.h>

#include "net.h"

size_t net_stream_conns(size_t n)
{
	return (n + NET_STREAMS_PER_CONN - 1) / NET_STREAMS_PER_CONN;
}

/* Appends the names as a JSON list's items; false if cut. */
static bool join_quoted(char *buf, size_t cap, size_t *len, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + *len, cap - *len, "%s\"%s\"", i ? "," : "", names[i]);
		if (w < 0 || (size_t)w >= cap - *len)
			return false;
		*len += (size_t)w;
	}
	return true;
}

size_t net_stream_url(char *buf, size_t cap, const char *base, const char *const *names,
                      size_t n)
{
	int w = snprintf(buf, cap, "%s/stream?streams=", base);
	if (w < 0 || (size_t)w >= cap)
		return 0;
	size_t len = (size_t)w, k = 0;
	for (; k < n; k++) {
		int m = snprintf(buf + len, cap - len, "%s%s", k ? "/" : "", names[k]);
		if (m < 0 || (size_t)m >= cap - len)
			break;
		len += (size_t)m;
	}
	buf[len] = '\0'; /* a name that did not fit leaves no part of itself */
	return k;
}

int net_sub_message(char *buf, size_t cap, bool subscribe, const char *const *names,
                    size_t n, uint32_t id)
{
	int w = snprintf(buf, cap, "{\"method\":\"%s\",\"params\":[",
	                 subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
	if (w < 0 || (size_t)w >= cap)
		return -1;
	size_t len = (size_t)w;
	if (!join_quoted(buf, cap, &len, names, n))
		return -1;
	w = snprintf(buf + len, cap - len, "],\"id\":%u}", id);
	return w < 0 || (size_t)w >= cap - len ? -1 : 0;
}
