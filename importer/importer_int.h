/*
 * importer_int.h - what the importer's files share and nothing outside the
 * module may use: the line reader, the event set's insert, and the context
 * every format reader fills the set through.
 */
#ifndef HUNTER_IMPORT_PRIV_H
#define HUNTER_IMPORT_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aster.h"
#include "core.h"
#include "importer.h"

/* The longest line or JSON value accepted; the largest real body (an
 * exchangeInfo) is well under 1 MB, so anything past this is not a capture. */
#define IMP_UNIT_MAX (64u << 20)

/* ---- line reader: plain, gzip or zstd input, one line at a time -------- */

typedef struct linereader linereader_t;

/* Returns NULL with err on failure. */
linereader_t *imp_lr_open(const char *path, char *err, size_t cap);
/* 1: *line (NUL-terminated, without its newline) of *len bytes; 0: end;
 * -1: read error or over-long line, see imp_lr_error(). */
int imp_lr_next(linereader_t *lr, char **line, size_t *len);
uint64_t imp_lr_lineno(const linereader_t *lr); /* of the last line returned */
const char *imp_lr_error(const linereader_t *lr);
void imp_lr_close(linereader_t *lr);

/* ---- event set ---------------------------------------------------------- */

imp_set_t *imp_set_new(void);
/* Deep-copies ev (arrays, raw text) into the set; 0, or -1 out of memory. */
int imp_set_add(imp_set_t *s, const ev_t *ev);
bool imp_set_has_raw(const imp_set_t *s);
/* Sorts by exchange time (stable) and, if info is not NULL, makes a copy of
 * it restricted to the set's symbols, dated at the first event, the first
 * event of the set. Counts kept/missing symbols into st. */
int imp_set_finish(imp_set_t *s, const ev_t *info, struct imp_stats *st);

/* ---- import context: one per imp_load ----------------------------------- */

struct imp_ctx {
	const struct imp_options *o;
	struct imp_stats *st;
	imp_set_t *set;
	aster_parser_t *parser;
	const char *file;   /* input being read */
	uint64_t line;      /* line of the unit being read */
	char symbol[SYMBOL_MAX]; /* first symbol seen in this file's events */
	bool several;       /* this file's events name several symbols */
	bool oom;           /* the set could not grow: stop */
};

/* Reports a bad unit at ctx->line (counted, handed to on_bad). */
void imp_bad(struct imp_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Counts a unit that is valid but not market data, by kind. */
void imp_ignored(struct imp_ctx *c, const char *what);
/* Keeps one event built by a reader (window applied, symbol learnt). */
int imp_keep(struct imp_ctx *c, const ev_t *ev);
/* Parses one exchange frame with aster_parse and keeps its events; IGNORED
 * frames are counted by kind, ERROR frames reported as bad. */
void imp_frame(struct imp_ctx *c, const char *json, size_t len, int64_t recv_ns,
               const char *symbol);

/* The symbol=... query parameter of a REST URL, upper-cased; 0 or -1. */
int imp_url_symbol(const char *url, size_t n, char out[SYMBOL_MAX]);
/* "1626992741.06217" seconds (at most 8 decimals) to ns; 0 or -1. */
int imp_seconds_ns(const char *s, size_t n, int64_t *ns);
/* Strict non-negative decimal integer of n bytes; 0 or -1. */
int imp_parse_u64(const char *s, size_t n, uint64_t *out);

/* Calls fn for each non-empty line with c->line set. Returns 0, or -1 on a
 * read error (described in err) or when fn returns -1 (out of memory: it
 * sets c->oom, which imp_load reports). */
typedef int (*imp_line_fn)(struct imp_ctx *c, void *arg, char *line, size_t len);
int imp_each_line(struct imp_ctx *c, linereader_t *lr, imp_line_fn fn, void *arg,
                  char *err, size_t cap);

/* Format readers: each reads one whole file through the context. Return 0,
 * or -1 on an I/O error (already described in err). */
int imp_read_hftbacktest(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap);
int imp_read_cryptofeed(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap);
int imp_read_frames(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap);
int imp_read_csv(struct imp_ctx *c, linereader_t *lr, imp_format_t f, char *err, size_t cap);

#endif
