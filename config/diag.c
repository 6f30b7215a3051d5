/*
 * diag.c - warnings and errors found while loading settings: collected,
 * put in file order, printed for people ("FILE:LINE: error: path: message") or as
 * JSON for programs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"

void cf_diag_add(struct config_diag *d, enum config_level level, uint32_t line,
		 const char *fmt, ...)
{
	va_list ap;

	if (level == CONFIG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->n == CONFIG_DIAG_MAX)
		return;
	struct config_msg *m = &d->msgs[d->n++];
	m->level = level;
	m->line = line;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
}

/* Sections are read in a fixed order (globals before symbols, whatever the
 * file's order), so messages are put back in file order at the end: an
 * insertion sort, which is stable and plenty for CONFIG_DIAG_MAX. */
void cf_diag_sort(struct config_diag *d)
{
	for (uint32_t i = 1; i < d->n; i++) {
		struct config_msg m = d->msgs[i];
		uint32_t j = i;
		for (; j > 0 && d->msgs[j - 1].line > m.line; j--)
			d->msgs[j] = d->msgs[j - 1];
		d->msgs[j] = m;
	}
}

/* Appends `c` escaped as in a JSON string; returns the bytes it took. Bytes
 * past ASCII become \xNN, so that messages stay plain ASCII whatever the
 * file held. */
static size_t escape(char *out, unsigned char c)
{
	static const char *const named = "\"\"\\\\\bb\ff\nn\rr\tt";
	for (const char *p = named; *p; p += 2)
		if ((unsigned char)p[0] == c)
			return (size_t)sprintf(out, "\\%c", p[1]);
	if (c < 0x20 || c == 0x7f)
		return (size_t)sprintf(out, "\\u%04x", c);
	if (c >= 0x80)
		return (size_t)sprintf(out, "\\x%02x", c);
	out[0] = (char)c;
	return 1;
}

void cf_repr_string(char *buf, size_t cap, const char *s, size_t n)
{
	char one[8];
	size_t len = 0, i;

	if (cap < 8) {
		if (cap)
			buf[0] = '\0';
		return;
	}
	buf[len++] = '"';
	for (i = 0; i < n; i++) {
		size_t k = escape(one, (unsigned char)s[i]);
		if (len + k + 5 > cap) /* room for the closing `"...` and NUL */
			break;
		memcpy(buf + len, one, k);
		len += k;
	}
	buf[len++] = '"';
	if (i < n)
		len += (size_t)sprintf(buf + len, "...");
	buf[len] = '\0';
}

static const char *level_name(enum config_level level)
{
	return level == CONFIG_ERROR ? "error" : "warning";
}

static void print_dropped(FILE *out, const char *file, uint32_t n, const char *what)
{
	if (n)
		fprintf(out, "%s: ... and %u more %s%s\n", file, n, what, n == 1 ? "" : "s");
}

void config_diag_print(FILE *out, const char *file, const struct config_diag *d)
{
	uint32_t errors = 0, warnings = 0;

	for (uint32_t i = 0; i < d->n; i++) {
		const struct config_msg *m = &d->msgs[i];
		if (m->line)
			fprintf(out, "%s:%u: %s: %s\n", file, m->line, level_name(m->level), m->text);
		else
			fprintf(out, "%s: %s: %s\n", file, level_name(m->level), m->text);
		errors += m->level == CONFIG_ERROR;
		warnings += m->level == CONFIG_WARNING;
	}
	print_dropped(out, file, d->nerrors - errors, "error");
	print_dropped(out, file, d->nwarnings - warnings, "warning");
}

static void write_list(FILE *out, const struct config_diag *d, enum config_level level)
{
	const char *sep = "";
	char text[2 * CONFIG_MSG_MAX];

	fprintf(out, "\"%ss\":[", level_name(level));
	for (uint32_t i = 0; i < d->n; i++) {
		const struct config_msg *m = &d->msgs[i];
		if (m->level != level)
			continue;
		cf_repr_string(text, sizeof text, m->text, strlen(m->text));
		fprintf(out, "%s{\"line\":%u,\"message\":%s}", sep, m->line, text);
		sep = ",";
	}
	fprintf(out, "]");
}

int config_diag_write_json(FILE *out, const struct config_diag *d)
{
	fprintf(out, "{");
	write_list(out, d, CONFIG_ERROR);
	fprintf(out, ",");
	write_list(out, d, CONFIG_WARNING);
	fprintf(out, ",\"errors_total\":%u,\"warnings_total\":%u}", d->nerrors, d->nwarnings);
	return ferror(out) ? -1 : 0;
}
