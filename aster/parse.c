/*
 * parse.c - aster_parse: one exchange frame in, typed events out.
 *
 * cJSON builds the tree (in the parser's arena, see arena.c); this file
 * decides what the frame is (wrapper, array, event, REST body, something
 * known but unmodelled) and then fills the event by walking the shape's
 * field table from schema.c. All events of a frame are built before the
 * first reaches the sink, so a bad frame delivers nothing.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aster_int.h"

struct aster_parser {
	struct arena arena;
};

#define PATH_MAX_DEPTH 8 /* deeper than any shape in schema.c */

/* Everything one aster_parse call needs while it walks the tree. */
struct frame {
	struct arena *arena;
	const char *json;
	size_t len;
	const cJSON *root;
	struct aster_ctx ctx;
	struct aster_result *res;
	const char *what;  /* the shape being read, for messages */
	char prefix[24];   /* "element 3: " inside an array frame */
	/* Where in the shape the reader is ("a.P[2].pa"): kept as steps and
	 * spelled out only for an error message. */
	struct step {
		const char *key; /* NULL for an array index */
		int index;
	} path[PATH_MAX_DEPTH];
	int depth;
};

aster_parser_t *aster_parser_new(void)
{
	ast_json_hooks_install();
	return calloc(1, sizeof(struct aster_parser));
}

void aster_parser_free(aster_parser_t *p)
{
	if (!p)
		return;
	ast_arena_release(&p->arena);
	free(p);
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */
/* ------------------------------------------------------------------------ */

/* Messages are for people: a long one is cut at the buffer's end. */
__attribute__((format(printf, 3, 0))) static void vappend(char *buf, size_t cap,
                                                          const char *fmt, va_list ap)
{
	size_t n = strlen(buf);
	if (n + 1 < cap)
		vsnprintf(buf + n, cap - n, fmt, ap);
}

__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t cap,
                                                         const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(buf, cap, fmt, ap);
	va_end(ap);
}

/* Sets the error: "[element i: ]<shape>: [field "<path>": ]<message>". */
__attribute__((format(printf, 2, 3))) static int fail(struct frame *fr, const char *fmt, ...)
{
	char *err = fr->res->err;
	size_t cap = sizeof fr->res->err;
	err[0] = '\0';
	append(err, cap, "%s%s: ", fr->prefix, fr->what);
	if (fr->depth) {
		append(err, cap, "field \"");
		for (int i = 0; i < fr->depth; i++) {
			const struct step *st = &fr->path[i];
			if (st->key)
				append(err, cap, "%s%s", i ? "." : "", st->key);
			else
				append(err, cap, "[%d]", st->index);
		}
		append(err, cap, "\": ");
	}
	va_list ap;
	va_start(ap, fmt);
	vappend(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies a name into a result field, cut to fit. */
static void set_text(char *dst, size_t cap, const char *src)
{
	copy_str(dst, cap, src, strlen(src));
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

static int wrong_type(struct frame *fr, const char *expected, const cJSON *v)
{
	return fail(fr, "expected %s, got %s", expected, type_name(v));
}

/* Steps into a key (or, with key NULL, an array index); returns the depth
 * to restore with path_pop. */
static int path_push(struct frame *fr, const char *key, int index)
{
	int old = fr->depth;
	if (old < PATH_MAX_DEPTH)
		fr->path[fr->depth++] = (struct step){key, index};
	return old;
}

static void path_pop(struct frame *fr, int old)
{
	fr->depth = old;
}

/* ------------------------------------------------------------------------ */
/* Exact integers                                                            */
/* ------------------------------------------------------------------------ */

#define EXACT_LIMIT 9007199254740992.0 /* 2^53: every integer below is a double */

/* Counts the number nodes that come before `target` in document order. */
static bool numbers_before(const cJSON *t, const cJSON *target, size_t *k)
{
	for (; t; t = t->next) {
		if (t == target)
			return true;
		if (cJSON_IsNumber(t))
			(*k)++;
		if (t->child && numbers_before(t->child, target, k))
			return true;
	}
	return false;
}

/* The text of the k-th number token of the frame (strings skipped). */
static const char *number_token(const char *s, size_t len, size_t k, size_t *n)
{
	bool in_str = false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
			size_t j = i;
			while (j < len && s[j] && strchr("0123456789+-.eE", s[j]))
				j++;
			if (k-- == 0) {
				*n = j - i;
				return s + i;
			}
			i = j - 1;
		}
	}
	return NULL;
}

/*
 * cJSON keeps numbers as doubles only, which cannot hold every id above
 * 2^53 (Binance order ids already reach 8e18). Such values are rare, so
 * instead of a second JSON parser the number's own text is found again by
 * its position in document order and read as an integer.
 */
static int exact_int(struct frame *fr, const cJSON *v, int64_t *out)
{
	size_t k = 0, n = 0;
	const char *t = numbers_before(fr->root, v, &k) ? number_token(fr->json, fr->len, k, &n)
	                                                : NULL;
	if (!t)
		return fail(fr, "integer text not found");
	int shown = (int)(n > 40 ? 40 : n);
	bool neg = t[0] == '-';
	uint64_t u = 0;
	size_t i = neg;
	if (i == n)
		return fail(fr, "expected an integer, got %.*s", shown, t);
	for (; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return fail(fr, "expected an integer, got %.*s", shown, t);
		unsigned d = (unsigned)(t[i] - '0');
		if (u > (UINT64_MAX - d) / 10)
			return fail(fr, "integer out of range: %.*s", shown, t);
		u = u * 10 + d;
	}
	if (u > (uint64_t)INT64_MAX + neg)
		return fail(fr, "integer out of range: %.*s", shown, t);
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

static int read_int(struct frame *fr, const cJSON *v, void *dst, size_t size)
{
	if (!cJSON_IsNumber(v))
		return wrong_type(fr, "an integer", v);
	double d = v->valuedouble;
	int64_t x = 0;
	if (d > -EXACT_LIMIT && d < EXACT_LIMIT) {
		x = (int64_t)d;
		if ((double)x != d)
			return fail(fr, "expected an integer, got %.17g", d);
	} else if (exact_int(fr, v, &x)) {
		return -1;
	}
	if (size == sizeof(int32_t)) {
		if (x < INT32_MIN || x > INT32_MAX)
			return fail(fr, "integer out of range: %lld", (long long)x);
		int32_t y = (int32_t)x;
		memcpy(dst, &y, sizeof y);
	} else {
		memcpy(dst, &x, sizeof x);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Scalars                                                                   */
/* ------------------------------------------------------------------------ */

static int read_dec(struct frame *fr, const cJSON *v, dec_t *dst)
{
	if (!cJSON_IsString(v))
		return wrong_type(fr, "a decimal string", v);
	const char *why = NULL;
	if (dec_parse(v->valuestring, strlen(v->valuestring), dst, &why))
		return fail(fr, "bad decimal \"%.32s\": %s", v->valuestring, why);
	return 0;
}

static int read_str(struct frame *fr, const cJSON *v, char *dst, size_t cap)
{
	if (!cJSON_IsString(v))
		return wrong_type(fr, "a string", v);
	size_t n = strlen(v->valuestring);
	if (n >= cap)
		return fail(fr, "\"%.40s\" is longer than %zu characters", v->valuestring, cap - 1);
	memcpy(dst, v->valuestring, n + 1);
	return 0;
}

static int read_enum(struct frame *fr, const cJSON *v, const struct enum_names *names,
                     void *dst)
{
	if (!cJSON_IsString(v))
		return wrong_type(fr, "a string", v);
	int x = names->from(v->valuestring, strlen(v->valuestring));
	if (!x)
		return fail(fr, "unknown value \"%.40s\"", v->valuestring);
	memcpy(dst, &x, sizeof x);
	return 0;
}

static int read_bool(struct frame *fr, const cJSON *v, bool *dst)
{
	if (!cJSON_IsBool(v))
		return wrong_type(fr, "a boolean", v);
	*dst = cJSON_IsTrue(v);
	return 0;
}

static int read_status(struct frame *fr, const cJSON *v, bool *dst)
{
	if (!cJSON_IsString(v))
		return wrong_type(fr, "a string", v);
	*dst = !strcmp(v->valuestring, "TRADING");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Objects and arrays                                                        */
/* ------------------------------------------------------------------------ */

static int read_object(struct frame *fr, const struct schema *s, const cJSON *obj, void *base);

/* Checks an array's length and takes zeroed room for its items. */
static void *array_items(struct frame *fr, const cJSON *v, size_t max, size_t item,
                         uint32_t *count)
{
	if (!cJSON_IsArray(v)) {
		wrong_type(fr, "an array", v);
		return NULL;
	}
	size_t n = 0;
	for (const cJSON *el = v->child; el; el = el->next)
		if (++n > max) {
			fail(fr, "more than %zu items", max);
			return NULL;
		}
	*count = (uint32_t)n;
	void *items = ast_arena_calloc(fr->arena, n ? n : 1, item);
	if (!items)
		fail(fr, "out of memory");
	return items;
}

/* Stores an arena array and its length where the field says. */
static void put_array(const struct field *f, void *base, const void *items, uint32_t n)
{
	memcpy((char *)base + f->off, &items, sizeof items);
	memcpy((char *)base + f->aux, &n, sizeof n);
}

static int read_list(struct frame *fr, const struct field *f, const cJSON *v, void *base)
{
	uint32_t n;
	char *items = array_items(fr, v, ASTER_LIST_MAX, f->size, &n);
	if (!items)
		return -1;
	int i = 0;
	for (const cJSON *el = v->child; el; el = el->next, i++) {
		int mark = path_push(fr, NULL, i);
		if (read_object(fr, f->sub, el, items + (size_t)i * f->size))
			return -1;
		path_pop(fr, mark);
	}
	put_array(f, base, items, n);
	return 0;
}

static int read_level(struct frame *fr, const cJSON *el, level_t *lv)
{
	const cJSON *p = cJSON_IsArray(el) ? el->child : NULL;
	const cJSON *q = p ? p->next : NULL;
	if (!q || q->next)
		return fail(fr, "expected [price, quantity]");
	int mark = path_push(fr, NULL, 0);
	if (read_dec(fr, p, &lv->price))
		return -1;
	path_pop(fr, mark);
	path_push(fr, NULL, 1);
	if (read_dec(fr, q, &lv->qty))
		return -1;
	path_pop(fr, mark);
	return 0;
}

static int read_levels(struct frame *fr, const struct field *f, const cJSON *v, void *base)
{
	uint32_t n;
	level_t *lv = array_items(fr, v, ASTER_LEVELS_MAX, sizeof *lv, &n);
	if (!lv)
		return -1;
	int i = 0;
	for (const cJSON *el = v->child; el; el = el->next, i++) {
		int mark = path_push(fr, NULL, i);
		if (read_level(fr, el, &lv[i]))
			return -1;
		path_pop(fr, mark);
	}
	put_array(f, base, lv, n);
	return 0;
}

/* exchangeInfo filters are an array of objects told apart by filterType;
 * types hunter does not use are skipped like unknown keys. */
static int read_filters(struct frame *fr, const struct schema *chain, const cJSON *v,
                        void *base)
{
	if (!cJSON_IsArray(v))
		return wrong_type(fr, "an array", v);
	int i = 0;
	for (const cJSON *el = v->child; el; el = el->next, i++) {
		int mark = path_push(fr, NULL, i);
		const cJSON *ft = cJSON_GetObjectItemCaseSensitive(el, "filterType");
		if (!cJSON_IsString(ft))
			return fail(fr, "expected an object with a filterType string");
		const struct schema *s = chain;
		while (s && strcmp(s->name, ft->valuestring))
			s = s->next;
		if (s && read_object(fr, s, el, base))
			return -1;
		path_pop(fr, mark);
	}
	return 0;
}

static int read_field(struct frame *fr, const struct field *f, const cJSON *v, void *base)
{
	void *dst = (char *)base + f->off;
	switch ((enum field_kind)f->kind) {
	case FK_DEC:
		return read_dec(fr, v, dst);
	case FK_INT:
		return read_int(fr, v, dst, f->size);
	case FK_BOOL:
		return read_bool(fr, v, dst);
	case FK_STR:
		return read_str(fr, v, dst, f->size);
	case FK_ENUM:
		return read_enum(fr, v, f->names, dst);
	case FK_STATUS:
		return read_status(fr, v, dst);
	case FK_OBJECT:
		return read_object(fr, f->sub, v, base);
	case FK_LIST:
		return read_list(fr, f, v, base);
	case FK_LEVELS:
		return read_levels(fr, f, v, base);
	case FK_FILTERS:
		return read_filters(fr, f->sub, v, base);
	}
	return fail(fr, "bad schema kind %d", f->kind);
}

static int find_field(const struct schema *s, const char *key)
{
	for (int i = 0; i < s->nfields; i++)
		if (s->fields[i].key[0] == key[0] && !strcmp(s->fields[i].key, key))
			return i;
	return -1;
}

/* Reads the keys `s` knows, in frame order; a key's value null counts as
 * absent for optional fields. Then every required field must have been set. */
static int read_object(struct frame *fr, const struct schema *s, const cJSON *obj, void *base)
{
	if (!cJSON_IsObject(obj))
		return wrong_type(fr, "an object", obj);
	uint64_t seen = 0;
	for (const cJSON *kv = obj->child; kv; kv = kv->next) {
		int i = find_field(s, kv->string);
		if (i < 0)
			continue;
		const struct field *f = &s->fields[i];
		int mark = path_push(fr, f->key, 0);
		if (seen & (1ull << i))
			return fail(fr, "duplicate key");
		seen |= 1ull << i;
		if (cJSON_IsNull(kv) && !(f->flags & F_REQ)) {
			path_pop(fr, mark);
			continue;
		}
		if (read_field(fr, f, kv, base))
			return -1;
		if (f->flags & F_FLAGGED)
			*((bool *)((char *)base + f->aux)) = true;
		path_pop(fr, mark);
	}
	for (int i = 0; i < s->nfields; i++) {
		if ((s->fields[i].flags & F_REQ) && !(seen & (1ull << i))) {
			int mark = path_push(fr, s->fields[i].key, 0);
			fail(fr, "missing");
			path_pop(fr, mark);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Frames                                                                    */
/* ------------------------------------------------------------------------ */

enum outcome { OUT_ERROR = -1, OUT_IGNORED, OUT_EVENT };

static enum outcome ignored(struct frame *fr, const char *what)
{
	set_text(fr->res->what, sizeof fr->res->what, what);
	return OUT_IGNORED;
}

/* {"code":..,"msg":..}: an exchange reply rather than data; keep its text. */
static enum outcome code_reply(struct frame *fr, const cJSON *code, const cJSON *msg)
{
	char c[32];
	if (cJSON_IsNumber(code))
		snprintf(c, sizeof c, "%.17g", code->valuedouble);
	else
		snprintf(c, sizeof c, "%.24s", cJSON_IsString(code) ? code->valuestring : "?");
	snprintf(fr->res->err, sizeof fr->res->err, "code %s: %.120s", c,
	         cJSON_IsString(msg) ? msg->valuestring : "");
	return ignored(fr, "code/msg reply");
}

/* A snapshot names its symbol only in the request; the caller passes it. */
static int snapshot_symbol(struct frame *fr, ev_t *ev)
{
	const char *sym = fr->ctx.symbol;
	if (ev->symbol[0])
		return 0;
	if (!sym)
		return fail(fr, "no symbol: no \"s\" in the body and none from the caller");
	if (copy_str(ev->symbol, sizeof ev->symbol, sym, strlen(sym)) || !sym[0])
		return fail(fr, "bad symbol \"%.30s\" from the caller", sym);
	return 0;
}

/* Where REST bodies carry no event time, the event takes the transaction
 * or server time. */
static int finish_event(struct frame *fr, ev_t *ev)
{
	if (ev->type == EV_DEPTH_SNAPSHOT) {
		if (!ev->exch_ms)
			ev->exch_ms = ev->u.depth.tx_ms;
		return snapshot_symbol(fr, ev);
	}
	if (ev->type == EV_EXCHANGE_INFO && !ev->exch_ms)
		ev->exch_ms = ev->u.info.server_ms;
	return 0;
}

static enum outcome read_event(struct frame *fr, const struct shape *sh, const cJSON *obj,
                               ev_t *ev)
{
	fr->what = sh->schema->name;
	memset(ev, 0, sizeof *ev);
	ev->type = sh->type;
	ev->recv_ns = fr->ctx.recv_ns;
	if (fr->ctx.keep_raw) {
		ev->raw = fr->json;
		ev->raw_len = (uint32_t)fr->len;
	}
	if (read_object(fr, sh->schema, obj, ev) || finish_event(fr, ev))
		return OUT_ERROR;
	return OUT_EVENT;
}

/* cJSON_HasObjectItem ignores case, and "E" is not "e" here. */
static bool has(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

/* Decides what one object is and reads it. */
static enum outcome read_any(struct frame *fr, const cJSON *obj, ev_t *ev)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, "e");
	if (e) {
		fr->what = "event";
		if (!cJSON_IsString(e)) {
			path_push(fr, "e", 0);
			return wrong_type(fr, "a string", e);
		}
		const struct shape *sh = ast_shape_by_wire(e->valuestring);
		if (sh)
			return read_event(fr, sh, obj, ev);
		if (ast_shape_is_unmodelled(e->valuestring))
			return ignored(fr, e->valuestring);
		return fail(fr, "unknown event type \"%.40s\"", e->valuestring);
	}
	if (has(obj, "lastUpdateId"))
		return read_event(fr, ast_shape_by_type(EV_DEPTH_SNAPSHOT), obj, ev);
	if (has(obj, "symbols"))
		return read_event(fr, ast_shape_by_type(EV_EXCHANGE_INFO), obj, ev);
	if (has(obj, "result") && has(obj, "id"))
		return ignored(fr, "subscription reply");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(obj, "code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(obj, "msg");
	if (code && msg)
		return code_reply(fr, code, msg);
	fr->what = "frame";
	return fail(fr, "not an event: an object without \"e\", \"lastUpdateId\" or \"symbols\"");
}

/* An array frame: every item an object; events in order. Returns the number
 * of events, or -1. */
static int read_array(struct frame *fr, const cJSON *arr, ev_t **evs)
{
	uint32_t n;
	fr->what = "array";
	ev_t *out = array_items(fr, arr, ASTER_LIST_MAX, sizeof *out, &n);
	if (!out)
		return -1;
	int nev = 0, i = 0;
	char what[sizeof fr->res->what] = "";
	for (const cJSON *el = arr->child; el; el = el->next, i++) {
		snprintf(fr->prefix, sizeof fr->prefix, "element %d: ", i);
		if (!cJSON_IsObject(el))
			return wrong_type(fr, "an object", el);
		enum outcome o = read_any(fr, el, &out[nev]);
		if (o == OUT_ERROR)
			return -1;
		if (!what[0])
			set_text(what, sizeof what, o == OUT_EVENT ? fr->what : fr->res->what);
		nev += o == OUT_EVENT;
	}
	fr->prefix[0] = '\0';
	set_text(fr->res->what, sizeof fr->res->what, i ? what : "empty array");
	*evs = out;
	return nev;
}

/* A few bytes of the frame for a message, unprintable ones as '?'. */
static void snippet(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i = 0;
	for (; i < n && i + 1 < cap; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[i] = '\0';
}

/* Parses the JSON text; on failure says where it stopped. */
static const cJSON *parse_json(struct frame *fr)
{
	const char *end = NULL;
	ast_json_arena_begin(fr->arena);
	cJSON *root = cJSON_ParseWithLengthOpts(fr->json, fr->len, &end, 0);
	ast_json_arena_end();
	if (fr->arena->failed) {
		fail(fr, "out of memory");
		return NULL;
	}
	size_t at = end && end >= fr->json ? (size_t)(end - fr->json) : 0;
	if (!root) {
		char near[20];
		snippet(near, sizeof near, fr->json + at, fr->len - at);
		fail(fr, "invalid JSON at byte %zu of %zu, near \"%s\"", at, fr->len, near);
		return NULL;
	}
	while (at < fr->len && strchr(" \t\r\n", fr->json[at]) && fr->json[at])
		at++;
	if (at < fr->len) {
		fail(fr, "invalid JSON: unexpected data at byte %zu after the value", at);
		return NULL;
	}
	return root;
}

/* Reads the frame into *evs; returns the event count or -1. */
static int read_frame(struct frame *fr, ev_t **evs)
{
	if (fr->len > ASTER_FRAME_MAX)
		return fail(fr, "%zu bytes is over the %u-byte limit", fr->len, ASTER_FRAME_MAX);
	/* cJSON would end a string at a NUL byte and silently keep the rest
	 * out; JSON allows none, so refuse the frame. */
	const char *nul = memchr(fr->json, '\0', fr->len);
	if (nul)
		return fail(fr, "invalid JSON: NUL byte at byte %zu", (size_t)(nul - fr->json));
	const cJSON *body = fr->root = parse_json(fr);
	if (!body)
		return -1;
	if (cJSON_IsObject(body) && !has(body, "e") && has(body, "stream")) {
		fr->what = "stream wrapper";
		body = cJSON_GetObjectItemCaseSensitive(body, "data");
		if (!cJSON_IsObject(body) && !cJSON_IsArray(body)) {
			path_push(fr, "data", 0);
			return body ? wrong_type(fr, "an object or array", body)
			            : fail(fr, "missing");
		}
	}
	if (cJSON_IsArray(body))
		return read_array(fr, body, evs);
	if (!cJSON_IsObject(body))
		return wrong_type(fr, "an object or array", body);
	*evs = ast_arena_alloc(fr->arena, sizeof **evs);
	if (!*evs)
		return fail(fr, "out of memory");
	enum outcome o = read_any(fr, body, *evs);
	if (o == OUT_EVENT)
		set_text(fr->res->what, sizeof fr->res->what, fr->what);
	return o == OUT_ERROR ? -1 : o == OUT_EVENT;
}

int aster_parse(aster_parser_t *p, const char *json, size_t len, const struct aster_ctx *ctx,
                ev_sink_fn sink, void *sink_ctx, struct aster_result *res)
{
	struct aster_result spare;
	if (!res)
		res = &spare;
	memset(res, 0, sizeof *res);
	ast_arena_reset(&p->arena);
	struct frame fr = {
		.arena = &p->arena, .json = json, .len = len, .res = res, .what = "frame"};
	if (ctx)
		fr.ctx = *ctx;
	ev_t *evs = NULL;
	int n = read_frame(&fr, &evs);
	if (n < 0) {
		res->status = ASTER_ERROR;
		set_text(res->what, sizeof res->what, fr.what);
		return -1;
	}
	res->status = n ? ASTER_EVENTS : ASTER_IGNORED;
	for (int i = 0; i < n; i++) {
		res->nevents++;
		if (sink && sink(sink_ctx, &evs[i]))
			break;
	}
	return res->nevents;
}
