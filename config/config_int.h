/*
 * config_int.h - what the config module's files share; other modules include
 * config.h only.
 *
 *   schema.c   every key of settings.json: type, range, where it is stored,
 *              the defaults, and the original bot's keys hunter ignores
 *   load.c     walks the parsed document and applies the schema
 *   hint.c     guesses what an unknown key was meant to be
 *   source.c   maps each parsed value back to its bytes and line in the text
 *   number.c   JSON number text to exact decimals
 *   effective.c writes the effective settings
 *   diag.c     collects and prints warnings and errors
 */
#ifndef HUNTER_CONFIG_INTERNAL_H
#define HUNTER_CONFIG_INTERNAL_H

#include <cjson/cJSON.h>

#include "config.h"

/* ---- schema.c ---------------------------------------------------------- */

/* How a key is written in the file and stored in the struct. */
enum field_kind {
	F_BOOL,    /* true/false -> bool */
	F_INT,     /* whole number -> int */
	F_DEC,     /* decimal -> dec_t, same unit */
	F_PCT,     /* percent -> dec_t fraction (0.035 -> 0.00035) */
	F_SECONDS, /* decimal seconds -> int64_t milliseconds */
	F_MILLIS,  /* whole milliseconds -> int64_t */
	F_ENUM,    /* one of `names` -> an int-sized enum */
	F_U64      /* whole number 0..2^64-1 -> uint64_t */
};

enum {
	LO_OPEN = 1 << 0,  /* the range excludes `lo` */
	HI_OPEN = 1 << 1,  /* the range excludes `hi` */
	ROUND_UP = 1 << 2, /* F_INT: a fraction is rounded up, with a warning */
	INPUT_ONLY = 1 << 3, /* read but not written back (a legacy alias) */
	LIVE = 1 << 4        /* a global kept in struct live_settings, not struct settings */
};

#define NO_LIMIT DEC_MAX

/* The most keys a section (its fields plus legacy keys) may have. */
#define SECTION_KEYS_MAX 48

struct spelling {
	const char *name;
	int value;
};

struct field {
	const char *key;
	enum field_kind kind;
	size_t off;     /* of the member in the section's struct */
	dec_t lo, hi;   /* range in the file's unit; hi NO_LIMIT for none */
	unsigned flags;
	const struct spelling *names; /* F_ENUM, ended by a NULL name */
};

/* A key of the original bot that means nothing here, and why. */
struct legacy {
	const char *key;
	const char *why;
};

struct section {
	const char *name;
	const struct field *fields;
	size_t nfields;
	const struct legacy *legacy;
	size_t nlegacy;
};

extern const struct section cf_schema_globals, cf_schema_symbol, cf_schema_simulation;

/* Defaults. A symbol's thresholds and max_position_usdt start at 0, "not
 * given" (0 is out of their range), and are resolved after the symbol's
 * own keys: they fall back on another key of the symbol or on globals,
 * which are read first. */
void cf_schema_global_defaults(struct settings *s);
void cf_schema_live_defaults(struct live_settings *live);
void cf_schema_symbol_defaults(struct symbol_settings *sym);
void cf_schema_symbol_resolve(struct symbol_settings *sym, const struct settings *s);

const struct field *cf_schema_field(const struct section *sec, const char *key);
const struct legacy *cf_schema_legacy(const struct section *sec, const char *key);
const char *cf_schema_spelling(const struct spelling *names, int value);

/* A field's value in the file's unit: a decimal for numbers, 0/1 for
 * booleans, the enum value for enums; `u` for F_U64. */
struct fval {
	dec_t d;
	uint64_t u;
};
void cf_field_get(const struct field *f, const void *base, struct fval *v);
void cf_field_put(const struct field *f, void *base, const struct fval *v);

/* The finest step a numeric field can store, in the file's unit, and how to
 * say that a value was finer. */
dec_t cf_field_grain(const struct field *f, const char **finer);

/* "an integer 1..125", "a decimal number > 0", "one of \"LIMIT\", ...". */
void cf_field_expected(const struct field *f, char *buf, size_t cap);

/* ---- hint.c ------------------------------------------------------------ */

/* " (it belongs in globals)", " (did you mean \"leverage\"?)" or "" for an
 * unknown `key` of `sec` (NULL: the top level). */
void cf_key_hint(const struct section *sec, const char *key, char *buf, size_t cap);

/* ---- number.c ---------------------------------------------------------- */

/* JSON number text (RFC 8259 grammar, exponent allowed) to an exact decimal;
 * -1 with a reason when it is not a JSON number or not representable (the
 * reason is "" when the text is no number at all: nothing to add). */
int cf_json_number_dec(const char *s, size_t n, dec_t *out, const char **why);
/* Whole JSON number 0..UINT64_MAX. */
int cf_json_number_u64(const char *s, size_t n, uint64_t *out, const char **why);

/* ---- source.c ---------------------------------------------------------- */

struct json_pos {
	const cJSON *item;
	uint32_t off, len; /* len: the token's length for numbers, else 0 */
	uint32_t line;
};

struct json_source {
	const char *text;
	struct json_pos *pos; /* sorted by item, for lookup */
	size_t n;
};

/* Indexes `root` (parsed by cJSON from exactly `text`, `len` bytes). Returns
 * 0, -1 when out of memory, or -2 when the text and the tree disagree (a
 * bug: the fuzz target looks for it). */
int cf_json_source_index(struct json_source *src, const char *text, size_t len,
                      const cJSON *root);
const struct json_pos *cf_json_source_find(const struct json_source *src, const cJSON *item);
void cf_json_source_free(struct json_source *src);

/* 1-based line and column of byte `off`. */
void cf_text_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col);

/* ---- diag.c ------------------------------------------------------------ */

void cf_diag_add(struct config_diag *d, enum config_level level, uint32_t line,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Orders the kept messages by line, keeping the order of those on one line. */
void cf_diag_sort(struct config_diag *d);

/* `n` bytes as a quoted JSON-style string, escaped, cut with "..." to fit. */
void cf_repr_string(char *buf, size_t cap, const char *s, size_t n);

#endif
