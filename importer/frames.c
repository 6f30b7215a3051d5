/*
 * frames.c - reads files of JSON values: raw exchange frames one per line,
 * pretty-printed payload files (the nautilus fixtures, the Aster docs; "//"
 * comments allowed), or wrappers that carry a frame as a string:
 *
 *   cryptofeed v3   {"t":"recv"|"http","ts":<seconds>,"data":"<frame>",
 *                    "url":"<REST URL, http only>"}; other "t" rows (header,
 *                    connect) are not market data
 *   Aster docs      {"source_path":..,"text":"<code block>",...}, one row per
 *                   example
 *
 * Values are cut from the text by a small scanner that tracks strings,
 * comments and bracket depth, so a value may span lines and a line may hold
 * several. The first value settles the layout: if it fits on its line the
 * file is JSON lines, and from then on a line that leaves a value open is
 * reported as bad on its own rather than swallowing the lines after it.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer_int.h"

enum layout { UNDECIDED, ONE_PER_LINE, MULTI_LINE };

struct splitter {
	char *buf;          /* the value being gathered, comments left out */
	size_t len, cap;
	int depth;          /* 0: between values */
	bool in_str, esc;
	uint64_t start;     /* line the value began on */
	enum layout layout;
};

static int append(struct splitter *sp, const char *s, size_t n)
{
	if (sp->len + n + 1 > sp->cap) {
		size_t ncap = sp->cap ? sp->cap : 4096;
		while (ncap < sp->len + n + 1)
			ncap *= 2;
		char *nb = realloc(sp->buf, ncap);
		if (!nb)
			return -1;
		sp->buf = nb;
		sp->cap = ncap;
	}
	memcpy(sp->buf + sp->len, s, n);
	sp->len += n;
	sp->buf[sp->len] = '\0';
	return 0;
}

/* cryptofeed writes time.time() as Python prints a float: the shortest text
 * that reads back as the same double. Finding that text again and reading it
 * exactly gives the same receive time as the text captures, to the
 * nanosecond (10 integer digits leave at most 7 decimals). */
static int seconds_to_ns(double secs, int64_t *ns)
{
	char text[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof text, "%.*f", prec, secs);
		if (strtod(text, NULL) == secs)
			break;
	}
	return imp_seconds_ns(text, strlen(text), ns);
}

static void cryptofeed_row(struct imp_ctx *c, const cJSON *root, const char *t)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "ts");
	bool http = !strcmp(t, "http");
	if (!http && strcmp(t, "recv")) {
		char what[48];
		snprintf(what, sizeof what, "cryptofeed %.30s", t);
		imp_ignored(c, what);
		return;
	}
	int64_t ns;
	if (!cJSON_IsString(data) || !cJSON_IsNumber(ts) || !(ts->valuedouble >= 0) ||
	    ts->valuedouble > 9e9 || seconds_to_ns(ts->valuedouble, &ns)) {
		imp_bad(c, "cryptofeed %s row: expected \"data\" (string) and \"ts\" (seconds)", t);
		return;
	}
	char sym[SYMBOL_MAX];
	const char *symbol = c->o->symbol;
	const cJSON *url = cJSON_GetObjectItemCaseSensitive(root, "url");
	if (http && cJSON_IsString(url) &&
	    imp_url_symbol(url->valuestring, strlen(url->valuestring), sym) == 0)
		symbol = sym;
	imp_frame(c, data->valuestring, strlen(data->valuestring), ns, symbol);
}

static void docs_row(struct imp_ctx *c, const char *text)
{
	size_t n = strlen(text);
	char *copy = malloc(n + 1);
	if (!copy) {
		c->oom = true;
		return;
	}
	memcpy(copy, text, n + 1);
	aster_strip_comments(copy, n);
	imp_frame(c, copy, n, 0, c->o->symbol);
	free(copy);
}

/* cryptofeed v3 rows all begin {"t":...; a frame never has a "t" key first
 * (a trade's "t" follows "e"). */
static bool starts_with_t(const char *s)
{
	s += strspn(s, " \t\r\n");
	if (*s++ != '{')
		return false;
	s += strspn(s, " \t\r\n");
	return !strncmp(s, "\"t\"", 3);
}

/* Handles `s` (NUL-terminated) if it is a wrapper; false if it is a frame
 * itself. Only values that look like wrappers are parsed twice (here and by
 * aster). */
static bool unwrap(struct imp_ctx *c, const char *s, size_t n)
{
	if (!starts_with_t(s) && !strstr(s, "\"source_path\""))
		return false;
	cJSON *root = cJSON_ParseWithLength(s, n);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "t");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(root, "source_path");
	bool done = true;
	if (cJSON_IsObject(root) && cJSON_IsString(t))
		cryptofeed_row(c, root, t->valuestring);
	else if (cJSON_IsObject(root) && cJSON_IsString(text) && cJSON_IsString(from))
		docs_row(c, text->valuestring);
	else
		done = false;
	cJSON_Delete(root);
	return done;
}

static void take_value(struct imp_ctx *c, struct splitter *sp)
{
	uint64_t line = c->line;
	c->line = sp->start;
	c->st->units++;
	if (!unwrap(c, sp->buf, sp->len))
		imp_frame(c, sp->buf, sp->len, 0, c->o->symbol);
	c->line = line;
	sp->len = 0;
}

/* Between values: skips blanks and comments; returns how far it got, or
 * reports junk and gives up on the line. */
static size_t skip_between(struct imp_ctx *c, const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] != '{' && s[i] != '[') {
		if (!(s[i] == '/' && i + 1 < n && s[i + 1] == '/'))
			imp_bad(c, "byte %zu: expected a JSON object or array, found '%c'", i + 1,
			        s[i] >= ' ' && s[i] < 127 ? s[i] : '?');
		return n;
	}
	return i;
}

/* Scans one value's text from s[i]; returns the index after the value's end,
 * or n if it goes on past the line. Text up to there joins the buffer. */
static size_t scan_value(struct splitter *sp, const char *s, size_t i, size_t n, bool *comment)
{
	size_t from = i;
	for (; i < n; i++) {
		char ch = s[i];
		if (sp->in_str) {
			if (sp->esc)
				sp->esc = false;
			else if (ch == '\\')
				sp->esc = true;
			else if (ch == '"')
				sp->in_str = false;
		} else if (ch == '"') {
			sp->in_str = true;
		} else if (ch == '/' && i + 1 < n && s[i + 1] == '/') {
			*comment = true;
			break;
		} else if (ch == '{' || ch == '[') {
			sp->depth++;
		} else if ((ch == '}' || ch == ']') && --sp->depth == 0) {
			i++;
			break;
		}
	}
	return append(sp, s + from, i - from) ? (size_t)-1 : i;
}

static int read_line(struct imp_ctx *c, void *arg, char *s, size_t n)
{
	struct splitter *sp = arg;
	size_t i = 0;
	bool comment = false;
	while (i < n && !comment) {
		if (sp->depth == 0) {
			if ((i = skip_between(c, s, i, n)) == n)
				break;
			sp->start = c->line;
		}
		if ((i = scan_value(sp, s, i, n, &comment)) == (size_t)-1)
			return -1;
		if (sp->depth == 0) {
			if (sp->layout == UNDECIDED)
				sp->layout = sp->start == c->line ? ONE_PER_LINE : MULTI_LINE;
			take_value(c, sp);
		} else if (sp->len > IMP_UNIT_MAX) {
			imp_bad(c, "JSON value from line %llu is over %u bytes",
			        (unsigned long long)sp->start, IMP_UNIT_MAX);
			*sp = (struct splitter){.buf = sp->buf, .cap = sp->cap, .layout = sp->layout};
			return 0;
		}
	}
	if (sp->depth > 0 && sp->layout == ONE_PER_LINE) {
		imp_bad(c, "unterminated JSON value");
		*sp = (struct splitter){.buf = sp->buf, .cap = sp->cap, .layout = sp->layout};
	} else if (sp->depth > 0 && append(sp, "\n", 1)) {
		return -1;
	}
	return c->oom ? -1 : 0;
}

int imp_read_frames(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap)
{
	struct splitter sp = {0};
	int rc = imp_each_line(c, lr, read_line, &sp, err, cap);
	if (rc == 0 && !c->oom && sp.depth > 0) {
		c->line = sp.start;
		imp_bad(c, "JSON value is not terminated by the end of the file");
	}
	free(sp.buf);
	return rc;
}
