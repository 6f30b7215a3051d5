/*
 * fuzz_aster_json.c - any bytes into aster_parse; every event that comes out
 * is formatted back and must parse again to one event of the same type.
 * Finds crashes, leaks, hangs and round-trip breaks on hostile frames.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static aster_parser_t *again;

struct text {
	char *s;
	size_t n;
};

/* The event as JSON, in malloc'd memory. */
static struct text format(const ev_t *ev)
{
	struct text t = {NULL, aster_format(ev, NULL, 0)};
	t.s = malloc(t.n + 1);
	if (!t.s || aster_format(ev, t.s, t.n + 1) != t.n)
		abort();
	return t;
}

/* The re-parsed event must format to the same text as the original. */
static int same_again(void *ctx, const ev_t *ev)
{
	const struct text *want = ctx;
	struct text got = format(ev);
	if (got.n != want->n || memcmp(got.s, want->s, got.n))
		abort();
	free(got.s);
	return 0;
}

/* Formats the event and parses the text with a second parser (the first
 * one still holds the event's arrays): exactly one event, formatting the
 * same, must come back. */
static int reformat(void *ctx, const ev_t *ev)
{
	(void)ctx;
	struct text t = format(ev);
	struct aster_result r;
	aster_parse(again, t.s, t.n, NULL, same_again, &t, &r);
	if (r.status != ASTER_EVENTS || r.nevents != 1)
		abort();
	free(t.s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static aster_parser_t *p;
	if (!p) {
		p = aster_parser_new();
		again = aster_parser_new();
		if (!p || !again)
			abort();
	}
	struct aster_ctx ctx = {.recv_ns = 1, .symbol = "BTCUSDT", .keep_raw = true};
	struct aster_result r;
	aster_parse(p, (const char *)data, size, &ctx, reformat, NULL, &r);
	if (r.status == ASTER_ERROR && !r.err[0])
		abort(); /* every error must say why */
	return 0;
}
