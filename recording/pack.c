/*
 * pack.c - events and headers to msgpack, with msgpack-c's packer.
 *
 * An event is validated as it is packed, against the same field tables the
 * reader checks, so that the writer can never produce a frame its own reader
 * would reject. The packer's output callback (the writer's) keeps track of
 * allocation failures itself, so the msgpack_pack_* results are not checked
 * here.
 */
#include <stdio.h>
#include <string.h>

#include "format_int.h"

static void pack_text(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

static void pack_cstr(msgpack_packer *pk, const char *s)
{
	pack_text(pk, s ? s : "", s ? strlen(s) : 0);
}

void rec_pack_header(msgpack_packer *pk, const struct rec_header *h, uint32_t part)
{
	/* The delay key is written only when set, so files without it are as
	 * they always were. */
	msgpack_pack_map(pk, h->liq_arrival_delay_ms > 0 ? 8 : 7);
	pack_cstr(pk, "source");
	pack_cstr(pk, h->source);
	pack_cstr(pk, "command");
	pack_cstr(pk, h->command);
	pack_cstr(pk, "hunter_version");
	pack_cstr(pk, HUNTER_VERSION);
	pack_cstr(pk, "start_ns");
	msgpack_pack_int64(pk, h->start_ns);
	pack_cstr(pk, "keep_raw");
	h->keep_raw ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	pack_cstr(pk, "part");
	msgpack_pack_uint32(pk, part);
	pack_cstr(pk, "symbols");
	msgpack_pack_array(pk, h->nsymbols);
	for (uint32_t i = 0; i < h->nsymbols; i++)
		pack_cstr(pk, h->symbols[i]);
	if (h->liq_arrival_delay_ms > 0) {
		pack_cstr(pk, "liq_arrival_delay_ms");
		msgpack_pack_int64(pk, h->liq_arrival_delay_ms);
	}
}

/* A fixed-size string field: it must end inside its buffer, and we store
 * only the part before the NUL. */
static int pack_fixed_str(msgpack_packer *pk, const char *s, size_t cap)
{
	const char *nul = memchr(s, '\0', cap);
	if (!nul)
		return -1;
	pack_text(pk, s, (size_t)(nul - s));
	return 0;
}

static int pack_fields(msgpack_packer *pk, const struct layout *l, const void *base,
                       char *err, size_t cap);

static int pack_array(msgpack_packer *pk, const struct field *f, const char *base, char *err,
                      size_t cap)
{
	uint32_t n;
	const char *items;
	memcpy(&n, base + f->arg, sizeof n);
	memcpy(&items, base + f->off, sizeof items);
	if (n && !items) {
		snprintf(err, cap, "field '%s' has %u elements but no data", f->name, n);
		return -1;
	}
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++) {
		msgpack_pack_array(pk, f->elem->nfields);
		if (pack_fields(pk, f->elem, items + (size_t)i * f->elem->size, err, cap) < 0)
			return -1;
	}
	return 0;
}

static int pack_field(msgpack_packer *pk, const struct field *f, const char *base, char *err,
                      size_t cap)
{
	const char *p = base + f->off;
	int64_t i64;
	int32_t i32;
	int e;
	switch (f->kind) {
	case F_INT:
	case F_DEC:
		memcpy(&i64, p, sizeof i64);
		msgpack_pack_int64(pk, i64);
		return 0;
	case F_INT32:
		memcpy(&i32, p, sizeof i32);
		msgpack_pack_int32(pk, i32);
		return 0;
	case F_ENUM:
		memcpy(&e, p, sizeof e);
		if (e < 0 || e > f->arg) {
			snprintf(err, cap, "field '%s' has value %d, outside 0..%u", f->name, e,
			         f->arg);
			return -1;
		}
		msgpack_pack_unsigned_int(pk, (unsigned)e);
		return 0;
	case F_BOOL:
		*(const bool *)p ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
		return 0;
	case F_STR:
		if (pack_fixed_str(pk, p, f->arg) < 0) {
			snprintf(err, cap, "field '%s' is not NUL-terminated", f->name);
			return -1;
		}
		return 0;
	default:
		return pack_array(pk, f, base, err, cap);
	}
}

static int pack_fields(msgpack_packer *pk, const struct layout *l, const void *base,
                       char *err, size_t cap)
{
	for (uint8_t i = 0; i < l->nfields; i++)
		if (pack_field(pk, &l->fields[i], base, err, cap) < 0)
			return -1;
	return 0;
}

int rec_pack_event(msgpack_packer *pk, const ev_t *ev, bool keep_raw, char *err, size_t cap)
{
	const struct layout *l = rec_layout(ev->type);
	if (!l) {
		snprintf(err, cap, "unknown event type %d", (int)ev->type);
		return -1;
	}
	msgpack_pack_array(pk, REC_EV_COMMON + l->nfields);
	msgpack_pack_unsigned_int(pk, (unsigned)ev->type);
	msgpack_pack_int64(pk, ev->exch_ms);
	msgpack_pack_int64(pk, ev->recv_ns);
	if (pack_fixed_str(pk, ev->symbol, sizeof ev->symbol) < 0) {
		snprintf(err, cap, "field 'symbol' is not NUL-terminated");
		return -1;
	}
	if (keep_raw && ev->raw_len && !ev->raw) {
		snprintf(err, cap, "field 'raw' has %u bytes but no text", ev->raw_len);
		return -1;
	}
	if (keep_raw && ev->raw_len) {
		msgpack_pack_bin(pk, ev->raw_len);
		msgpack_pack_bin_body(pk, ev->raw, ev->raw_len);
	} else {
		msgpack_pack_nil(pk);
	}
	if (pack_fields(pk, l, &ev->u, err, cap) < 0)
		return -1;
	return 0;
}
