/*
 * text.c - growable strings for everything `hunter serve` writes: stream
 * messages, control replies and REST bodies. Decimals go through
 * dec_format and events through aster_format, so no price is ever written
 * from a double.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aster.h"
#include "serve_int.h"

/* Room for `extra` more bytes and the NUL; false (and oom) when none. */
static bool reserve(struct text *t, size_t extra)
{
	if (t->oom)
		return false;
	if (t->len + extra + 1 <= t->cap)
		return true;
	size_t cap = t->cap ? t->cap : 256;
	while (cap < t->len + extra + 1)
		cap *= 2;
	char *s = realloc(t->s, cap);
	if (!s) {
		t->oom = true;
		return false;
	}
	t->s = s;
	t->cap = cap;
	return true;
}

void serve_text_put(struct text *t, const char *s, size_t n)
{
	if (!reserve(t, n))
		return;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

void serve_text_puts(struct text *t, const char *s)
{
	serve_text_put(t, s, strlen(s));
}

void serve_text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(t, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void serve_text_json_string(struct text *t, const char *s, size_t n)
{
	serve_text_put(t, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			serve_text_printf(t, "\\%c", c);
		else if (c < 0x20)
			serve_text_printf(t, "\\u%04x", c);
		else
			serve_text_put(t, (const char *)&c, 1);
	}
	serve_text_put(t, "\"", 1);
}

void serve_text_number(struct text *t, dec_t v)
{
	char buf[DEC_FMT_MAX];
	serve_text_put(t, buf, dec_format(v, buf));
}

void serve_text_dec(struct text *t, dec_t v)
{
	serve_text_put(t, "\"", 1);
	serve_text_number(t, v);
	serve_text_put(t, "\"", 1);
}

void serve_text_event(struct text *t, const ev_t *ev)
{
	size_t room = t->cap > t->len ? t->cap - t->len : 0;
	size_t n = aster_format(ev, room ? t->s + t->len : NULL, room);
	if (n >= room) {
		if (!reserve(t, n))
			return;
		aster_format(ev, t->s + t->len, n + 1);
	}
	t->len += n;
}

void serve_text_clear(struct text *t)
{
	t->len = 0;
	t->oom = false;
	if (t->s)
		t->s[0] = '\0';
}

void serve_text_free(struct text *t)
{
	free(t->s);
	*t = (struct text){0};
}
