/*
 * test_layout.c - the field tables that define the format are sound (every
 * event type has one, fields lie inside their struct, no payload has more
 * arrays than the reader keeps buffers for) and are the ones
 * docs/recording-format.md describes, name, order and type.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "format_int.h"

static void check_fields(const struct layout *l, bool element, int type)
{
	int arrays = 0;
	cr_assert_gt(l->nfields, 0, "type %d: no fields", type);
	for (uint8_t i = 0; i < l->nfields; i++) {
		const struct field *f = &l->fields[i];
		cr_expect_lt(f->off, l->size, "type %d field %s outside its struct", type, f->name);
		if (f->kind != F_ARRAY)
			continue;
		cr_expect_not(element, "type %d: array %s inside an array", type, f->name);
		cr_expect_lt(f->arg, l->size, "type %d: count of %s outside", type, f->name);
		arrays++;
		check_fields(f->elem, true, type);
	}
	cr_expect_leq(arrays, REC_ARRAYS_MAX, "type %d has %d arrays", type, arrays);
}

Test(layout, every_type_is_sound)
{
	cr_expect_null(rec_layout(EV_NONE));
	cr_expect_null(rec_layout(EV__COUNT));
	cr_expect_null(rec_layout(-1));
	for (int type = EV_NONE + 1; type < EV__COUNT; type++) {
		const struct layout *l = rec_layout(type);
		cr_assert_not_null(l, "type %d has no layout", type);
		cr_expect_leq(l->size, sizeof(((ev_t *)0)->u));
		check_fields(l, false, type);
	}
}

/* ------------------------------------------------------------------------ */
/* docs/recording-format.md describes these same tables                      */
/* ------------------------------------------------------------------------ */

static char *read_doc(void)
{
	FILE *f = fopen(HUNTER_SOURCE_DIR "/docs/recording-format.md", "rb");
	cr_assert_not_null(f, "docs/recording-format.md is missing");
	static char doc[64 << 10];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	return doc;
}

/* The type word the document uses for a field, e.g. "dec", "enum(8)". */
static void doc_type(const struct field *f, char *buf, size_t cap)
{
	switch (f->kind) {
	case F_INT32:
		snprintf(buf, cap, "int32");
		break;
	case F_ENUM:
		snprintf(buf, cap, "enum(%u)", f->arg);
		break;
	case F_BOOL:
		snprintf(buf, cap, "bool");
		break;
	case F_STR:
		snprintf(buf, cap, "str(%u)", f->arg - 1u);
		break;
	case F_ARRAY:
		snprintf(buf, cap, "array");
		break;
	default:
		snprintf(buf, cap, "%s", f->kind == F_DEC ? "dec" : "int");
	}
}

/* The paragraph starting with **name**: every `field` type, in order. */
static void expect_documented(const char *doc, const char *name, const struct layout *l)
{
	char head[64], want[64];
	snprintf(head, sizeof head, "**%s**", name);
	const char *p = strstr(doc, head);
	cr_assert_not_null(p, "%s is not described", name);
	p += strlen(head);
	cr_assert(!strncmp(p, " (", 2) || !strncmp(p, " element (", 10), "%s: no count", name);
	const char *end = strstr(p, "\n\n");
	for (uint8_t i = 0; i < l->nfields; i++) {
		const struct field *f = &l->fields[i];
		p = strchr(p, '`');
		cr_assert(p && p < end, "%s: field %s is not described", name, f->name);
		size_t n = strcspn(p + 1, "`");
		cr_expect(n == strlen(f->name) && !strncmp(p + 1, f->name, n),
		          "%s: value %u is `%.*s`, the code has %s", name, i, (int)n, p + 1,
		          f->name);
		p += n + 2;
		doc_type(f, want, sizeof want);
		cr_expect(!strncmp(p + 1, want, strlen(want)), "%s: %s should be %s", name, f->name,
		          want);
	}
	p = strchr(p, '`');
	cr_expect(!p || p > end, "%s: the document has more values than the code", name);
}

Test(layout, matches_the_document)
{
	static const struct {
		const char *name;
		int type;
		int array; /* -1: the payload, else the element of the n-th field */
	} parts[] = {
		{"liquidation", EV_LIQUIDATION, -1}, {"trade", EV_TRADE, -1},
		{"book_ticker", EV_BOOK_TICKER, -1}, {"depth", EV_DEPTH_UPDATE, -1},
		{"level", EV_DEPTH_UPDATE, 4},       {"mark_price", EV_MARK_PRICE, -1},
		{"order_update", EV_ORDER_UPDATE, -1}, {"account_update", EV_ACCOUNT_UPDATE, -1},
		{"balance", EV_ACCOUNT_UPDATE, 2},   {"position", EV_ACCOUNT_UPDATE, 3},
		{"exchange_info", EV_EXCHANGE_INFO, -1}, {"symbol_rules", EV_EXCHANGE_INFO, 1},
		{"gap", EV_GAP, -1},
	};
	const char *doc = read_doc();
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const struct layout *l = rec_layout(parts[i].type);
		if (parts[i].array >= 0)
			l = l->fields[parts[i].array].elem;
		expect_documented(doc, parts[i].name, l);
	}
	cr_expect_eq(rec_layout(EV_AGG_TRADE), rec_layout(EV_TRADE));
	cr_expect_eq(rec_layout(EV_DEPTH_SNAPSHOT), rec_layout(EV_DEPTH_UPDATE));
}
