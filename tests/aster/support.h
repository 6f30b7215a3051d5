/*
 * support.h - helpers the aster tests share: reading the real data, keeping
 * copies of parsed events, and the round-trip check.
 */
#ifndef HUNTER_TEST_ASTER_SUPPORT_H
#define HUNTER_TEST_ASTER_SUPPORT_H

#include <stddef.h>

#include "aster.h"

/* The whole file under HUNTER_REAL_DATA, NUL-terminated; fails the test if
 * it cannot be read. */
char *real_file(const char *rel, size_t *len);

/* Events copied out of the sink, arrays included (they outlive the parse). */
struct evlist {
	ev_t *v;
	size_t n, cap;
};
int evlist_sink(void *ctx, const ev_t *ev); /* sink_ctx: struct evlist * */
void evlist_free(struct evlist *l);

/* Parses `json` (NUL-terminated) expecting `status`; returns the result and
 * appends the events to `out` (which may be NULL). */
struct aster_result parse_text(const char *json, const struct aster_ctx *ctx,
                               struct evlist *out);

/* The events equal field by field, arrays included (raw excepted). */
int ev_same(const ev_t *a, const ev_t *b);

/* Formats `ev`, parses the text back and checks the result is the same
 * event; fails the test with both texts if not. */
void check_roundtrip(const ev_t *ev);

/* A sink running check_roundtrip on every event; counts them in *(size_t *)ctx. */
int roundtrip_sink(void *ctx, const ev_t *ev);

#endif
