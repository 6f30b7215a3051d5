/*
 * frames.h - the real captures as frames for the booksync real-data tests:
 * each frame is one JSON text with its receive time and, for REST bodies
 * that name no symbol, the symbol of the request. The cryptofeed capture
 * keeps the websocket and the REST answers in two files, so its frames are
 * merged by receive time, as a live client would have seen them.
 */
#ifndef HUNTER_TEST_BOOKSYNC_FRAMES_H
#define HUNTER_TEST_BOOKSYNC_FRAMES_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core.h"
#include "support.h"

struct frame {
	int64_t ns;     /* receive time */
	size_t order;   /* position in its file list, to keep ties stable */
	const char *json;
	size_t len;
	char symbol[SYMBOL_MAX]; /* for snapshots, "" otherwise */
};

struct frames {
	struct frame *v;
	size_t n, cap;
	char *text[2]; /* the files the frames point into */
};

/* "1626992741.06217" (seconds) or "1723161255088156767" (ns) -> ns */
static inline int64_t frame_ns(const char *s, bool seconds)
{
	char *end;
	int64_t v = strtoll(s, &end, 10);
	if (!seconds)
		return v;
	v *= 1000000000;
	if (*end == '.')
		end++;
	for (int64_t scale = 100000000; isdigit((unsigned char)*end) && scale; end++, scale /= 10)
		v += (*end - '0') * scale;
	return v;
}

static inline void frames_add(struct frames *f, int64_t ns, const char *json, const char *eol,
                              const char *symbol)
{
	f->v = grow_array(f->v, &f->cap, f->n + 1, sizeof *f->v);
	cr_assert_not_null(f->v);
	struct frame *fr = &f->v[f->n];
	*fr = (struct frame){ns, f->n, json, (size_t)(eol - json), ""};
	copy_str(fr->symbol, sizeof fr->symbol, symbol, strlen(symbol));
	f->n++;
}

static inline char *line_end(char *line)
{
	char *eol = strchr(line, '\n');
	return eol ? eol : line + strlen(line);
}

/* BINANCE_FUTURES.ws.1.0: the stream URL, then "<seconds>: <json>" lines. */
static inline void frames_cryptofeed_ws(struct frames *f, char *text)
{
	for (char *line = line_end(text) + 1, *eol; *line; line = eol + !!*eol) {
		eol = line_end(line);
		char *json = strstr(line, ": ");
		cr_assert(json && json < eol, "ws line without a time");
		frames_add(f, frame_ns(line, true), json + 2, eol, "");
	}
}

/* BINANCE_FUTURES.http.0.0: "<url> -> <seconds>: <body>"; the symbol is the
 * URL's symbol= parameter. */
static inline void frames_cryptofeed_http(struct frames *f, char *text)
{
	for (char *line = text, *eol; *line; line = eol + !!*eol) {
		eol = line_end(line);
		char *sym = strstr(line, "symbol="), *at = strstr(line, " -> ");
		if (!sym || !at || at > eol)
			continue; /* a blank line */
		char name[SYMBOL_MAX] = "";
		copy_str(name, sizeof name, sym + 7, strcspn(sym + 7, "& "));
		frames_add(f, frame_ns(at + 4, true), strstr(at, ": ") + 2, eol, name);
	}
}

static inline int frame_cmp(const void *a, const void *b)
{
	const struct frame *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The cryptofeed capture, websocket and REST merged by receive time. */
static inline void frames_cryptofeed(struct frames *f)
{
	f->text[0] = test_read_file(HUNTER_REAL_DATA
	                            "/cryptofeed__sample_data/BINANCE_FUTURES.ws.1.0", NULL);
	f->text[1] = test_read_file(HUNTER_REAL_DATA
	                            "/cryptofeed__sample_data/BINANCE_FUTURES.http.0.0", NULL);
	frames_cryptofeed_ws(f, f->text[0]);
	frames_cryptofeed_http(f, f->text[1]);
	qsort(f->v, f->n, sizeof *f->v, frame_cmp);
}

/* A whole gzip file, NUL-terminated. */
static inline char *gz_read(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	cr_assert_not_null(gz, "cannot open %s", path);
	size_t n = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	int got;
	while (buf && (got = gzread(gz, buf + n, (unsigned)(cap - n - 1))) > 0) {
		n += (size_t)got;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	cr_assert_not_null(buf);
	cr_assert_eq(gzclose(gz), Z_OK, "cannot read %s", path);
	buf[n] = '\0';
	return buf;
}

/* An hftbacktest file: "<ns> <json>" lines, the REST snapshot inline. */
static inline void frames_hftbacktest(struct frames *f, const char *file, const char *symbol)
{
	char path[512];
	snprintf(path, sizeof path, "%s/hftbacktest__examples_usdm/%s", HUNTER_REAL_DATA, file);
	f->text[0] = gz_read(path);
	for (char *line = f->text[0], *eol; *line; line = eol + !!*eol) {
		eol = line_end(line);
		char *json = strchr(line, ' ');
		cr_assert(json && json < eol, "line without a time in %s", file);
		frames_add(f, frame_ns(line, false), json + 1, eol, symbol);
	}
}

static inline void frames_free(struct frames *f)
{
	free(f->v);
	free(f->text[0]);
	free(f->text[1]);
}

#endif
