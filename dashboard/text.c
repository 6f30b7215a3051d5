/*
 * text.c - growable strings for everything the dashboard writes: pages,
 * JSON bodies and event-stream messages. Text from data (symbols,
 * reasons, errors, the snapshot's strings) reaches a page only through
 * dash_html and a JSON body only through dash_json_string or cJSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_int.h"

/* Room for `extra` more bytes and the NUL; false (and oom) when none. */
static bool reserve(struct dtext *t, size_t extra)
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

void dash_put(struct dtext *t, const char *s, size_t n)
{
	if (!reserve(t, n))
		return;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

void dash_puts(struct dtext *t, const char *s)
{
	dash_put(t, s, strlen(s));
}

void dash_printf(struct dtext *t, const char *fmt, ...)
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

void dash_json_string(struct dtext *t, const char *s)
{
	dash_put(t, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			dash_printf(t, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			dash_printf(t, "\\u%04x", c);
		else
			dash_put(t, s, 1);
	}
	dash_put(t, "\"", 1);
}

/* Markup characters become entities; control characters, which have no
 * place in a page, the replacement character. */
void dash_html(struct dtext *t, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': dash_puts(t, "&amp;"); break;
		case '<': dash_puts(t, "&lt;"); break;
		case '>': dash_puts(t, "&gt;"); break;
		case '"': dash_puts(t, "&quot;"); break;
		case '\'': dash_puts(t, "&#39;"); break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				dash_puts(t, "&#xFFFD;");
			else
				dash_put(t, s, 1);
		}
	}
}

void dash_text_clear(struct dtext *t)
{
	t->len = 0;
	t->oom = false;
	if (t->s)
		t->s[0] = '\0';
}

void dash_text_free(struct dtext *t)
{
	free(t->s);
	*t = (struct dtext){0};
}
