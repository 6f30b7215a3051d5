/*
 * unpack.c - frame bodies back to events and headers, checked value by value
 * against the field tables of layout.c.
 *
 * A frame that passed its CRC can still be wrong (written by another program,
 * or by a future format): every value must have the stored type, fit its C
 * field (string length, int32 and enum ranges), and the frame must hold
 * exactly the values of its layout. Arrays are sized from the frame itself,
 * so a lying count can never allocate more than a few times the frame size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_int.h"
#include "mpread_int.h"

struct unpack {
	struct mpr m;
	struct rec_unpacker *u;
	const char *field;         /* the field being read */
	const struct field *array; /* the array it is in, if any */
	uint64_t index;            /* and the element */
	char why[96];              /* room for a reason with numbers in it */
};

__attribute__((format(printf, 2, 3)))
static int fail_fmt(struct unpack *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->why, sizeof x->why, fmt, ap);
	va_end(ap);
	return mpr_fail(&x->m, x->why);
}

static void *scratch(struct rec_scratch *s, size_t n)
{
	if (n > s->cap) {
		size_t cap = n > 2 * s->cap ? n : 2 * s->cap;
		void *p = realloc(s->p, cap);
		if (!p)
			return NULL;
		s->p = p;
		s->cap = cap;
	}
	return s->p;
}

/* A string into a char[cap]: it must fit with its NUL and hold no NUL. */
static int unpack_str(struct unpack *x, char *dst, size_t cap)
{
	const uint8_t *s, *head = x->m.p;
	size_t n;
	if (mpr_str(&x->m, &s, &n) < 0)
		return -1;
	if (n >= cap || memchr(s, '\0', n)) {
		x->m.p = head;
		if (n >= cap)
			return fail_fmt(x, "string longer than %lld bytes", (long long)cap - 1);
		return mpr_fail(&x->m, "string holds a NUL");
	}
	memcpy(dst, s, n);
	memset(dst + n, 0, cap - n);
	return 0;
}

static int unpack_ranged(struct unpack *x, int64_t lo, int64_t hi, int64_t *v)
{
	const uint8_t *head = x->m.p;
	if (mpr_int(&x->m, v) < 0)
		return -1;
	if (*v < lo || *v > hi) {
		x->m.p = head;
		return fail_fmt(x, "value %lld is out of range", (long long)*v);
	}
	return 0;
}

static int unpack_fields(struct unpack *x, const struct layout *l, char *base);

/* An element of integers only, such as a depth level: the bulk of large
 * frames, so read without the per-field dispatch. */
static int unpack_ints(struct unpack *x, const struct layout *el, char *base)
{
	int64_t v;
	for (uint8_t i = 0; i < el->nfields; i++) {
		if (mpr_int(&x->m, &v) < 0) {
			x->field = el->fields[i].name;
			return -1;
		}
		memcpy(base + el->fields[i].off, &v, sizeof v);
	}
	return 0;
}

static int unpack_array(struct unpack *x, const struct field *f, char *base, int slot)
{
	const struct layout *el = f->elem;
	const uint8_t *head = x->m.p;
	uint64_t n, k;
	if (mpr_array(&x->m, &n) < 0)
		return -1;
	/* every element takes at least its array head and one byte per field */
	if (n > (uint64_t)(x->m.end - x->m.p) / (1u + el->nfields)) {
		x->m.p = head;
		return fail_fmt(x, "array claims %lld elements, more than the frame holds",
		                (long long)n);
	}
	char *items = n ? scratch(&x->u->arrays[slot], n * el->size) : NULL;
	if (n && !items)
		return mpr_fail(&x->m, "out of memory");
	x->array = f;
	bool ints = true;
	for (uint8_t i = 0; i < el->nfields; i++)
		ints &= el->fields[i].kind == F_INT || el->fields[i].kind == F_DEC;
	for (x->index = 0; x->index < n; x->index++) {
		head = x->m.p;
		if (mpr_array(&x->m, &k) < 0)
			return -1;
		if (k != el->nfields) {
			x->m.p = head;
			return fail_fmt(x, "element has %lld values", (long long)k);
		}
		char *item = items + x->index * el->size;
		if ((ints ? unpack_ints(x, el, item) : unpack_fields(x, el, item)) < 0)
			return -1;
	}
	x->array = NULL;
	uint32_t count = (uint32_t)n;
	memcpy(base + f->arg, &count, sizeof count);
	memcpy(base + f->off, &items, sizeof items);
	return 0;
}

static int unpack_field(struct unpack *x, const struct field *f, char *base, int *slot)
{
	char *p = base + f->off;
	int64_t v;
	x->field = f->name;
	switch (f->kind) {
	case F_INT:
	case F_DEC:
		if (mpr_int(&x->m, &v) < 0)
			return -1;
		memcpy(p, &v, sizeof v);
		return 0;
	case F_INT32:
	case F_ENUM: {
		int64_t lo = f->kind == F_ENUM ? 0 : INT32_MIN;
		int64_t hi = f->kind == F_ENUM ? f->arg : INT32_MAX;
		if (unpack_ranged(x, lo, hi, &v) < 0)
			return -1;
		int i = (int)v;
		memcpy(p, &i, sizeof i);
		return 0;
	}
	case F_BOOL:
		return mpr_bool(&x->m, (bool *)p);
	case F_STR:
		return unpack_str(x, p, f->arg);
	default:
		return unpack_array(x, f, base, (*slot)++);
	}
}

static int unpack_fields(struct unpack *x, const struct layout *l, char *base)
{
	int slot = 0;
	for (uint8_t i = 0; i < l->nfields; i++)
		if (unpack_field(x, &l->fields[i], base, &slot) < 0)
			return -1;
	return 0;
}

static int unpack_raw(struct unpack *x, ev_t *ev)
{
	const uint8_t *s;
	size_t n;
	x->field = "raw";
	if (mpr_bin_or_nil(&x->m, &s, &n) < 0)
		return -1;
	ev->raw = NULL;
	ev->raw_len = 0;
	if (!s)
		return 0;
	/* a copy with a NUL, so the text can also be used as a C string */
	char *raw = scratch(&x->u->raw, n + 1);
	if (!raw)
		return mpr_fail(&x->m, "out of memory");
	memcpy(raw, s, n);
	raw[n] = '\0';
	ev->raw = raw;
	ev->raw_len = (uint32_t)n;
	return 0;
}

/* type, exch_ms, recv_ns, symbol, raw; returns the payload layout. */
static const struct layout *unpack_common(struct unpack *x, ev_t *ev)
{
	uint64_t n;
	int64_t type;
	x->field = "(frame)";
	if (mpr_array(&x->m, &n) < 0)
		return NULL;
	x->field = "type";
	const uint8_t *head = x->m.p;
	if (mpr_int(&x->m, &type) < 0)
		return NULL;
	const struct layout *l = type > EV_NONE && type < EV__COUNT ? rec_layout((int)type) : NULL;
	if (!l) {
		x->m.p = head;
		fail_fmt(x, "unknown event type %lld", (long long)type);
		return NULL;
	}
	if (n != (uint64_t)REC_EV_COMMON + l->nfields) {
		x->field = "(frame)";
		x->m.p = x->m.start;
		fail_fmt(x, "event frame has %lld values", (long long)n);
		return NULL;
	}
	ev->type = (ev_type_t)type;
	x->field = "exch_ms";
	if (mpr_int(&x->m, &ev->exch_ms) < 0)
		return NULL;
	x->field = "recv_ns";
	if (mpr_int(&x->m, &ev->recv_ns) < 0)
		return NULL;
	x->field = "symbol";
	if (unpack_str(x, ev->symbol, sizeof ev->symbol) < 0 || unpack_raw(x, ev) < 0)
		return NULL;
	return l;
}

static void describe(const struct unpack *x, const char *what, char *err, size_t cap)
{
	if (x->array)
		snprintf(err, cap, "%s field '%s' element %llu field '%s': %s", what,
		         x->array->name, (unsigned long long)x->index, x->field, x->m.why);
	else
		snprintf(err, cap, "%s field '%s': %s", what, x->field, x->m.why);
}

static int finish(struct unpack *x, const char *what, char *err, size_t cap, size_t *at)
{
	if (!x->m.why && x->m.p != x->m.end) {
		x->array = NULL;
		x->field = "(end)";
		fail_fmt(x, "%lld bytes after the last value", (long long)(x->m.end - x->m.p));
	}
	if (!x->m.why)
		return 0;
	describe(x, what, err, cap);
	*at = (size_t)(x->m.p - x->m.start);
	return -1;
}

int rec_unpack_event(struct rec_unpacker *u, const uint8_t *body, size_t n, ev_t *ev,
                     char *err, size_t cap, size_t *at)
{
	struct unpack x; /* not zeroed as a whole: `why` is only written on failure */
	x.m = (struct mpr){body, body, body + n, NULL};
	x.u = u;
	x.field = NULL;
	x.array = NULL;
	x.index = 0;
	const struct layout *l = unpack_common(&x, ev);
	if (l) {
		memset(&ev->u, 0, l->size);
		unpack_fields(&x, l, (char *)&ev->u);
	}
	if (!x.m.why && x.m.p == x.m.end)
		return 0;
	return finish(&x, l ? ev_type_name(ev->type) : "event", err, cap, at);
}

void rec_unpacker_free(struct rec_unpacker *u)
{
	for (int i = 0; i < REC_ARRAYS_MAX; i++)
		free(u->arrays[i].p);
	free(u->raw.p);
	memset(u, 0, sizeof *u);
}

/* ------------------------------------------------------------------------ */
/* Header                                                                    */
/* ------------------------------------------------------------------------ */

/* Strings of the header are copied into one block as big as the frame body:
 * every string with its NUL takes no more than it took in the frame. */
static int header_text(struct unpack *x, char **text, const char **out)
{
	const uint8_t *s, *head = x->m.p;
	size_t n;
	if (mpr_str(&x->m, &s, &n) < 0)
		return -1;
	if (memchr(s, '\0', n)) {
		x->m.p = head;
		return mpr_fail(&x->m, "string holds a NUL");
	}
	memcpy(*text, s, n);
	(*text)[n] = '\0';
	*out = *text;
	*text += n + 1;
	return 0;
}

static int header_symbols(struct unpack *x, char **text, struct rec_header *h,
                          struct rec_header_mem *mem)
{
	uint64_t n;
	const uint8_t *head = x->m.p;
	if (mpr_array(&x->m, &n) < 0)
		return -1;
	if (n > (uint64_t)(x->m.end - x->m.p)) {
		x->m.p = head;
		return mpr_fail(&x->m, "more symbols than bytes");
	}
	mem->symbols = calloc(n ? n : 1, sizeof *mem->symbols);
	if (!mem->symbols)
		return mpr_fail(&x->m, "out of memory");
	for (uint64_t i = 0; i < n; i++) {
		head = x->m.p;
		if (header_text(x, text, &mem->symbols[i]) < 0)
			return -1;
		if (strlen(mem->symbols[i]) >= SYMBOL_MAX) {
			x->m.p = head;
			return mpr_fail(&x->m, "symbol name too long");
		}
	}
	h->nsymbols = (uint32_t)n;
	h->symbols = mem->symbols;
	return 0;
}

enum { K_SOURCE, K_COMMAND, K_VERSION, K_START, K_RAW, K_PART, K_SYMBOLS, K_LIQ_DELAY, K_COUNT };
static const char *const header_keys[K_COUNT] = {
	"source", "command", "hunter_version", "start_ns", "keep_raw", "part", "symbols",
	"liq_arrival_delay_ms",
};

static int header_value(struct unpack *x, int key, char **text, struct rec_header *h,
                        struct rec_header_mem *mem)
{
	int64_t v;
	switch (key) {
	case K_SOURCE:
		return header_text(x, text, &h->source);
	case K_COMMAND:
		return header_text(x, text, &h->command);
	case K_VERSION:
		return header_text(x, text, &h->hunter_version);
	case K_START:
		return mpr_int(&x->m, &h->start_ns);
	case K_RAW:
		return mpr_bool(&x->m, &h->keep_raw);
	case K_PART:
		if (unpack_ranged(x, 0, UINT32_MAX, &v) < 0)
			return -1;
		h->part = (uint32_t)v;
		return 0;
	case K_LIQ_DELAY:
		return unpack_ranged(x, 0, REC_LIQ_DELAY_MAX_MS, &h->liq_arrival_delay_ms);
	default:
		return header_symbols(x, text, h, mem);
	}
}

/* One key/value pair. Keys this version does not know are skipped, so a
 * later writer may add some without a new format version; a known key may
 * appear once. */
static int header_entry(struct unpack *x, unsigned *seen, char **text, struct rec_header *h,
                        struct rec_header_mem *mem)
{
	const uint8_t *k, *head = x->m.p;
	size_t n;
	int key = 0;
	x->field = "(key)";
	if (mpr_str(&x->m, &k, &n) < 0)
		return -1;
	while (key < K_COUNT && !(strlen(header_keys[key]) == n && !memcmp(k, header_keys[key], n)))
		key++;
	if (key == K_COUNT) {
		x->field = "(unknown key)";
		return rec_mpr_skip(&x->m);
	}
	x->field = header_keys[key];
	if (*seen & 1u << key) {
		x->m.p = head;
		return mpr_fail(&x->m, "key appears twice");
	}
	*seen |= 1u << key;
	return header_value(x, key, text, h, mem);
}

int rec_unpack_header(const uint8_t *body, size_t n, struct rec_header *h,
                      struct rec_header_mem *mem, char *err, size_t cap, size_t *at)
{
	struct unpack x = {.m = {body, body, body + n, NULL}};
	uint64_t count;
	unsigned seen = 0;
	*mem = (struct rec_header_mem){malloc(n + 1), NULL};
	char *text = mem->text;
	x.field = "(map)";
	if (!text)
		mpr_fail(&x.m, "out of memory");
	else if (mpr_map(&x.m, &count) == 0)
		for (uint64_t i = 0; i < count && !x.m.why; i++)
			header_entry(&x, &seen, &text, h, mem);
	if (finish(&x, "header", err, cap, at) < 0) {
		rec_header_mem_free(mem);
		return -1;
	}
	return 0;
}

void rec_header_mem_free(struct rec_header_mem *mem)
{
	free(mem->text);
	free(mem->symbols);
	mem->text = NULL;
	mem->symbols = NULL;
}
