/*
 * test_support.c - the helpers declared in support.h (no tests of its own).
 *
 * Event equality is byte equality of the event with its pointers set aside,
 * plus byte equality of each array: the parser zeroes every event and array
 * before filling it, so two parses of the same content are the same bytes,
 * and any field the formatter dropped or changed shows up as a difference.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support.h"
#include "support.h"

char *real_file(const char *rel, size_t *len)
{
	test_need_real_data();
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", HUNTER_REAL_DATA, rel);
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert(n >= 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	cr_assert(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "short read of %s", path);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return buf;
}

static void *dup_array(const void *p, size_t n, size_t size)
{
	if (!n)
		return NULL;
	void *q = malloc(n * size);
	cr_assert(q);
	memcpy(q, p, n * size);
	return q;
}

int evlist_sink(void *ctx, const ev_t *ev)
{
	struct evlist *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		cr_assert(l->v);
	}
	ev_t *c = &l->v[l->n++];
	memcpy(c, ev, sizeof *c);
	if (ev->type == EV_DEPTH_UPDATE || ev->type == EV_DEPTH_SNAPSHOT) {
		c->u.depth.bids = dup_array(ev->u.depth.bids, ev->u.depth.nbids, sizeof(level_t));
		c->u.depth.asks = dup_array(ev->u.depth.asks, ev->u.depth.nasks, sizeof(level_t));
	} else if (ev->type == EV_ACCOUNT_UPDATE) {
		c->u.account.balances = dup_array(ev->u.account.balances, ev->u.account.nbalances,
		                                  sizeof(struct balance));
		c->u.account.positions = dup_array(
			ev->u.account.positions, ev->u.account.npositions, sizeof(struct position));
	} else if (ev->type == EV_EXCHANGE_INFO) {
		c->u.info.symbols = dup_array(ev->u.info.symbols, ev->u.info.nsymbols,
		                              sizeof(struct symbol_rules));
	}
	return 0;
}

void evlist_free(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		ev_t *e = &l->v[i];
		if (e->type == EV_DEPTH_UPDATE || e->type == EV_DEPTH_SNAPSHOT) {
			free((void *)e->u.depth.bids);
			free((void *)e->u.depth.asks);
		} else if (e->type == EV_ACCOUNT_UPDATE) {
			free((void *)e->u.account.balances);
			free((void *)e->u.account.positions);
		} else if (e->type == EV_EXCHANGE_INFO) {
			free((void *)e->u.info.symbols);
		}
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

struct aster_result parse_text(const char *json, const struct aster_ctx *ctx,
                               struct evlist *out)
{
	aster_parser_t *p = aster_parser_new();
	cr_assert(p);
	struct aster_result res;
	struct evlist spare = {0};
	aster_parse(p, json, strlen(json), ctx, evlist_sink, out ? out : &spare, &res);
	aster_parser_free(p);
	evlist_free(&spare);
	return res;
}

static int same_array(const void *a, const void *b, uint32_t na, uint32_t nb, size_t size)
{
	return na == nb && (!na || !memcmp(a, b, na * size));
}

/* Both events with their pointers cleared, for a byte comparison. */
static void strip_pointers(ev_t *e)
{
	e->raw = NULL;
	e->raw_len = 0;
	if (e->type == EV_DEPTH_UPDATE || e->type == EV_DEPTH_SNAPSHOT) {
		e->u.depth.bids = e->u.depth.asks = NULL;
	} else if (e->type == EV_ACCOUNT_UPDATE) {
		e->u.account.balances = NULL;
		e->u.account.positions = NULL;
	} else if (e->type == EV_EXCHANGE_INFO) {
		e->u.info.symbols = NULL;
	}
}

int ev_same(const ev_t *a, const ev_t *b)
{
	if (a->type != b->type)
		return 0;
	int arrays = 1;
	if (a->type == EV_DEPTH_UPDATE || a->type == EV_DEPTH_SNAPSHOT)
		arrays = same_array(a->u.depth.bids, b->u.depth.bids, a->u.depth.nbids,
		                    b->u.depth.nbids, sizeof(level_t)) &&
		         same_array(a->u.depth.asks, b->u.depth.asks, a->u.depth.nasks,
		                    b->u.depth.nasks, sizeof(level_t));
	else if (a->type == EV_ACCOUNT_UPDATE)
		arrays = same_array(a->u.account.balances, b->u.account.balances,
		                    a->u.account.nbalances, b->u.account.nbalances,
		                    sizeof(struct balance)) &&
		         same_array(a->u.account.positions, b->u.account.positions,
		                    a->u.account.npositions, b->u.account.npositions,
		                    sizeof(struct position));
	else if (a->type == EV_EXCHANGE_INFO)
		arrays = same_array(a->u.info.symbols, b->u.info.symbols, a->u.info.nsymbols,
		                    b->u.info.nsymbols, sizeof(struct symbol_rules));
	ev_t x, y;
	memcpy(&x, a, sizeof x);
	memcpy(&y, b, sizeof y);
	strip_pointers(&x);
	strip_pointers(&y);
	return arrays && !memcmp(&x, &y, sizeof x);
}

static char *format_alloc(const ev_t *ev, size_t *len)
{
	char small[16];
	size_t n = aster_format(ev, small, sizeof small);
	cr_assert(n > 0, "no JSON shape for event type %d", ev->type);
	char *buf = malloc(n + 1);
	cr_assert(buf);
	cr_assert_eq(aster_format(ev, buf, n + 1), n, "format length is not stable");
	cr_assert_eq(strlen(buf), n);
	*len = n;
	return buf;
}

struct again {
	const ev_t *want;
	const char *text;
	int seen;
};

static int compare_sink(void *ctx, const ev_t *ev)
{
	struct again *a = ctx;
	a->seen++;
	cr_assert(ev_same(a->want, ev), "round trip changed a %s event:\n%s",
	          ev_type_name(a->want->type), a->text);
	return 0;
}

void check_roundtrip(const ev_t *ev)
{
	/* A parser of its own: the caller's still holds ev's arrays. */
	static aster_parser_t *again;
	if (!again)
		again = aster_parser_new();
	cr_assert(again);
	size_t len;
	char *text = format_alloc(ev, &len);
	struct again a = {ev, text, 0};
	struct aster_result res;
	aster_parse(again, text, len, NULL, compare_sink, &a, &res);
	cr_assert_eq(res.status, ASTER_EVENTS, "formatted %s does not parse: %s\n%s",
	             ev_type_name(ev->type), res.err, text);
	cr_assert_eq(a.seen, 1);
	free(text);
}

int roundtrip_sink(void *ctx, const ev_t *ev)
{
	check_roundtrip(ev);
	if (ctx)
		(*(size_t *)ctx)++;
	return 0;
}
