/*
 * format.c - aster_format: an event back to the exchange's JSON.
 *
 * Walks the same field tables as parse.c (schema.c), so every field the
 * parser fills is written under the key it came from, and the output parses
 * back to the same event. Output is built with snprintf semantics: it stops
 * writing at the buffer's end but keeps counting.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aster_int.h"

/* The event keeps only "trading or not"; a symbol that is not trading is
 * written with the exchange's status for a closed market. */
#define STATUS_NOT_TRADING "CLOSE"

struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->cap) {
		size_t room = o->cap - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_raw(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A JSON string; quotes, backslashes and control bytes escaped. */
static void put_string(struct out *o, const char *s)
{
	put(o, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			put(o, esc, 2);
		} else if (c < 0x20) {
			char esc[8];
			int n = snprintf(esc, sizeof esc, "\\u%04x", c);
			put(o, esc, (size_t)n);
		} else {
			put(o, s, 1);
		}
	}
	put(o, "\"", 1);
}

static void put_dec(struct out *o, dec_t v)
{
	char b[DEC_FMT_MAX + 2];
	b[0] = '"';
	size_t n = dec_format(v, b + 1);
	b[n + 1] = '"';
	put(o, b, n + 2);
}

static void put_int(struct out *o, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%" PRId64, v);
	put(o, b, (size_t)n);
}

static void put_key(struct out *o, const char *key, bool *first)
{
	if (!*first)
		put(o, ",", 1);
	*first = false;
	put_string(o, key);
	put(o, ":", 1);
}

static void put_object(struct out *o, const struct schema *s, const void *base, bool *first);

static void put_levels(struct out *o, const level_t *lv, uint32_t n)
{
	put(o, "[", 1);
	for (uint32_t i = 0; i < n; i++) {
		put(o, i ? ",[" : "[", i ? 2 : 1);
		put_dec(o, lv[i].price);
		put(o, ",", 1);
		put_dec(o, lv[i].qty);
		put(o, "]", 1);
	}
	put(o, "]", 1);
}

static void put_list(struct out *o, const struct field *f, const void *base)
{
	const char *items;
	uint32_t n;
	memcpy(&items, (const char *)base + f->off, sizeof items);
	memcpy(&n, (const char *)base + f->aux, sizeof n);
	put(o, "[", 1);
	for (uint32_t i = 0; i < n; i++) {
		bool first = true;
		put(o, i ? ",{" : "{", i ? 2 : 1);
		put_object(o, f->sub, items + (size_t)i * f->size, &first);
		put(o, "}", 1);
	}
	put(o, "]", 1);
}

/* Every filter is written, so a symbol that lacked one reads back with
 * the same zeros. */
static void put_filters(struct out *o, const struct schema *chain, const void *base)
{
	put(o, "[", 1);
	for (const struct schema *s = chain; s; s = s->next) {
		bool first = true;
		put(o, s == chain ? "{" : ",{", s == chain ? 1 : 2);
		put_key(o, "filterType", &first);
		put_string(o, s->name);
		put_object(o, s, base, &first);
		put(o, "}", 1);
	}
	put(o, "]", 1);
}

static int64_t int_at(const struct field *f, const void *p)
{
	if (f->size == sizeof(int32_t)) {
		int32_t v;
		memcpy(&v, p, sizeof v);
		return v;
	}
	int64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* Whether the field is left out of the output. */
static bool skipped(const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->off;
	if (f->flags & F_READONLY)
		return true;
	if (f->flags & F_FLAGGED)
		return !*(const bool *)((const char *)base + f->aux);
	if (f->kind == FK_ENUM) {
		int v;
		memcpy(&v, p, sizeof v);
		return v == 0; /* absent: no spelling to write */
	}
	if (!(f->flags & F_OMIT0))
		return false;
	if (f->kind == FK_DEC) {
		dec_t v;
		memcpy(&v, p, sizeof v);
		return v == 0;
	}
	return f->kind == FK_INT && int_at(f, p) == 0;
}

static void put_value(struct out *o, const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->off;
	switch ((enum field_kind)f->kind) {
	case FK_DEC: {
		dec_t v;
		memcpy(&v, p, sizeof v);
		put_dec(o, v);
		break;
	}
	case FK_INT:
		put_int(o, int_at(f, p));
		break;
	case FK_BOOL:
		put_raw(o, *(const bool *)p ? "true" : "false");
		break;
	case FK_STR:
		put_string(o, p);
		break;
	case FK_ENUM: {
		int v;
		memcpy(&v, p, sizeof v);
		put_string(o, f->names->str(v));
		break;
	}
	case FK_STATUS:
		put_string(o, *(const bool *)p ? "TRADING" : STATUS_NOT_TRADING);
		break;
	case FK_OBJECT: {
		bool first = true;
		put(o, "{", 1);
		put_object(o, f->sub, base, &first);
		put(o, "}", 1);
		break;
	}
	case FK_LIST:
		put_list(o, f, base);
		break;
	case FK_LEVELS: {
		const level_t *lv;
		uint32_t n;
		memcpy(&lv, p, sizeof lv);
		memcpy(&n, (const char *)base + f->aux, sizeof n);
		put_levels(o, lv, n);
		break;
	}
	case FK_FILTERS:
		put_filters(o, f->sub, base);
		break;
	}
}

static void put_object(struct out *o, const struct schema *s, const void *base, bool *first)
{
	for (int i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		if (skipped(f, base))
			continue;
		put_key(o, f->key, first);
		put_value(o, f, base);
	}
}

size_t aster_format(const ev_t *ev, char *buf, size_t cap)
{
	const struct shape *sh = ast_shape_by_type(ev->type);
	if (!sh) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	struct out o = {buf, cap, 0};
	bool first = true;
	put(&o, "{", 1);
	if (sh->wire) {
		put_key(&o, "e", &first);
		put_string(&o, sh->wire);
	}
	put_object(&o, sh->schema, ev, &first);
	put(&o, "}", 1);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}
