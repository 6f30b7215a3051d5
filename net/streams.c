/*
 * streams.c - combined-stream URLs and subscription messages. Aster takes
 * at most NET_STREAMS_PER_CONN streams per connection, so a long stream list
 * is cut into consecutive slices, one connection each.
 */
#include <stdio.h>
#include <string.h>

#include "net.h"

size_t net_stream_conns(size_t n)
{
	return (n + NET_STREAMS_PER_CONN - 1) / NET_STREAMS_PER_CONN;
}

/* Appends names joined by `sep`, each wrapped in `quote`; false if cut. */
static bool join(char *buf, size_t cap, size_t *len, const char *const *names, size_t n,
                 const char *sep, const char *quote)
{
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + *len, cap - *len, "%s%s%s%s", i ? sep : "", quote, names[i],
		                 quote);
		if (w < 0 || (size_t)w >= cap - *len)
			return false;
		*len += (size_t)w;
	}
	return true;
}

int net_stream_url(char *buf, size_t cap, const char *base, const char *const *names,
                   size_t n, size_t conn)
{
	if (conn >= net_stream_conns(n))
		return -1;
	size_t first = conn * NET_STREAMS_PER_CONN;
	size_t count = n - first < NET_STREAMS_PER_CONN ? n - first : NET_STREAMS_PER_CONN;
	int w = snprintf(buf, cap, "%s/stream?streams=", base);
	if (w < 0 || (size_t)w >= cap)
		return -1;
	size_t len = (size_t)w;
	return join(buf, cap, &len, names + first, count, "/", "") ? 0 : -1;
}

int net_sub_message(char *buf, size_t cap, bool subscribe, const char *const *names,
                    size_t n, uint32_t id)
{
	int w = snprintf(buf, cap, "{\"method\":\"%s\",\"params\":[",
	                 subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE");
	if (w < 0 || (size_t)w >= cap)
		return -1;
	size_t len = (size_t)w;
	if (!join(buf, cap, &len, names, n, ",", "\""))
		return -1;
	w = snprintf(buf + len, cap - len, "],\"id\":%u}", id);
	return w < 0 || (size_t)w >= cap - len ? -1 : 0;
}
