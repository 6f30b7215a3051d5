/*
 * scan.c - strict scanners for the bits of capture text that are not JSON:
 * integer and decimal-second timestamps, and the symbol in a REST URL.
 */
#include <ctype.h>
#include <string.h>

#include "importer_int.h"

int imp_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 19) /* 19 digits always fit; no capture needs more */
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* dec_parse already is an exact, strict reader of "seconds.fraction" with
 * up to 8 decimals; one unit of 1e-8 s is 10 ns. */
int imp_seconds_ns(const char *s, size_t n, int64_t *ns)
{
	dec_t v;
	if (n == 0 || s[0] == '-' || dec_parse(s, n, &v, NULL) || v > INT64_MAX / 10)
		return -1;
	*ns = v * 10;
	return 0;
}

int imp_url_symbol(const char *url, size_t n, char out[SYMBOL_MAX])
{
	const char *q = memchr(url, '?', n);
	const char *end = url + n;
	while (q && q < end) {
		q++;
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - q) > 7 && !memcmp(q, "symbol=", 7)) {
			size_t len = (size_t)(stop - q) - 7;
			if (len == 0 || len >= SYMBOL_MAX)
				return -1;
			for (size_t i = 0; i < len; i++) {
				if (!isalnum((unsigned char)q[7 + i]))
					return -1;
				out[i] = (char)toupper((unsigned char)q[7 + i]);
			}
			out[len] = '\0';
			return 0;
		}
		q = amp;
	}
	return -1;
}
