/*
 * fuzz_http_answer.c - any bytes as what a kept-alive lane received
 * (net/h1.c), with the connection still open and ended. The reader must
 * say "complete", "more" or "malformed with a reason", never crash; a
 * complete answer takes no more bytes than it was given, has a final
 * status and a body within the limit, and, when the connection was still
 * open, is found again whole in exactly the bytes it took.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s, size_t n, bool eof)
{
	struct net_h1 a, b;
	char err[NET_ERR_MAX] = "";
	long took = net_h1_parse(s, n, eof, &a, err);
	if (took < 0) {
		if (!err[0])
			abort();
		return;
	}
	if (took == 0)
		return;
	if ((size_t)took > n || a.status < 200 || a.status > 599 || a.body_len > NET_FRAME_MAX ||
	    a.body[a.body_len] != '\0')
		abort();
	if (!eof) {
		if (net_h1_parse(s, (size_t)took, false, &b, err) != took || b.status != a.status ||
		    b.body_len != a.body_len || memcmp(a.body, b.body, a.body_len))
			abort();
		free(b.body);
	}
	free(a.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, false);
	check((const char *)data, size, true);
	return 0;
}
