/*
 * query.c - the parameters of a REST call or a /stream URL, read from the
 * query string "a=1&b=2" (already percent-decoded by libwebsockets). The
 * first occurrence of a key wins. A form body comes as received, still
 * encoded: serve_query_decode decodes a value where it may hold more than
 * the plain characters clients leave as they are (batchOrders' JSON).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"

int serve_query_get(const char *query, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	for (const char *p = query; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > klen && p[klen] == '=' && !memcmp(p, key, klen)) {
			size_t vlen = len - klen - 1;
			if (vlen >= cap)
				return -1;
			memcpy(out, p + klen + 1, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = amp ? amp + 1 : NULL;
	}
	return 0;
}

int serve_query_int(const char *query, const char *key, int64_t min, int64_t max, int64_t *out)
{
	char buf[24];
	int got = serve_query_get(query, key, buf, sizeof buf);
	if (got <= 0)
		return got;
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	bool digits = buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9'); /* no spaces or '+' */
	if (errno || end == buf || *end || !digits || v < min || v > max)
		return -1;
	*out = v;
	return 1;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void serve_query_decode(char *s)
{
	char *out = s;
	for (const char *p = s; *p; p++) {
		int hi = p[0] == '%' ? hex_digit(p[1]) : -1, lo = hi >= 0 ? hex_digit(p[2]) : -1;
		if (lo >= 0) {
			*out++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*out++ = *p == '+' ? ' ' : *p;
		}
	}
	*out = '\0';
}
