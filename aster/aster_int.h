/*
 * aster_int.h - what the files of the aster module share and nobody else
 * sees: the scratch arena and the wire schema.
 *
 * The schema describes every modelled exchange shape as a table of fields
 * (key, JSON kind, where the value lives in the C struct). parse.c reads
 * frames by walking these tables and format.c writes events by walking the
 * same tables, which is what makes parse(format(ev)) == ev hold by
 * construction rather than by two hand-written halves agreeing.
 */
#ifndef HUNTER_ASTER_INTERNAL_H
#define HUNTER_ASTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aster.h"

/* ------------------------------------------------------------------------ */
/* Arena: bump allocation, released all at once                              */
/* ------------------------------------------------------------------------ */

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk; the oldest is kept on reset */
	bool failed;              /* an allocation failed since the last reset */
};

void *ast_arena_alloc(struct arena *a, size_t n);
void *ast_arena_calloc(struct arena *a, size_t count, size_t size);
bool ast_arena_owns(const struct arena *a, const void *p);
void ast_arena_reset(struct arena *a);
void ast_arena_release(struct arena *a);

/* Installs the cJSON hooks once per process; then, between begin and end,
 * cJSON allocations on this thread come from `a`. */
void ast_json_hooks_install(void);
void ast_json_arena_begin(struct arena *a);
void ast_json_arena_end(void);

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */
/* ------------------------------------------------------------------------ */

enum field_kind {
	FK_DEC,     /* decimal string -> dec_t */
	FK_INT,     /* integer number -> int64_t or int32_t (by size) */
	FK_BOOL,    /* true/false -> bool */
	FK_STR,     /* string -> char[size] */
	FK_ENUM,    /* exchange spelling -> enum, through `names` */
	FK_STATUS,  /* symbol status string -> bool trading */
	FK_OBJECT,  /* nested object; its fields land in the same struct */
	FK_LIST,    /* array of objects -> arena array of `size`-byte items */
	FK_LEVELS,  /* array of [price, qty] -> arena array of level_t */
	FK_FILTERS, /* exchangeInfo filters, one schema per filterType */
};

enum field_flag {
	F_REQ = 1,      /* missing (or null) is an error; else it leaves 0 */
	F_OMIT0 = 2,    /* format leaves the key out when the value is 0 */
	F_FLAGGED = 4,  /* presence sets the bool at `aux`; format obeys it */
	F_READONLY = 8, /* accepted when parsing, never written */
};

struct enum_names {
	const char *(*str)(int v);
	int (*from)(const char *s, size_t n);
};

struct schema;

struct field {
	const char *key;
	uint8_t kind;
	uint8_t flags;
	uint16_t off;  /* value (or array pointer) offset in the target struct */
	uint16_t size; /* FK_STR capacity, FK_INT width, FK_LIST item size */
	uint16_t aux;  /* FK_LIST/FK_LEVELS count offset; F_FLAGGED bool offset */
	const struct enum_names *names; /* FK_ENUM */
	const struct schema *sub;       /* FK_OBJECT, FK_LIST item, FK_FILTERS set */
};

struct schema {
	const char *name; /* event name ("aggTrade"), filterType, or what it is */
	const struct field *fields;
	int nfields;
	const struct schema *next; /* FK_FILTERS: the following filter schema */
};

/* One modelled event shape. `wire` is its "e" value, NULL for REST bodies. */
struct shape {
	ev_type_t type;
	const char *wire;
	const struct schema *schema;
};

const struct shape *ast_shape_by_wire(const char *e);
const struct shape *ast_shape_by_type(ev_type_t type);

/* Event names hunter knows but does not model (ASTER_IGNORED). */
bool ast_shape_is_unmodelled(const char *e);

#endif
