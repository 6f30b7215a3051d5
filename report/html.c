/*
 * html.c - the two ways text reaches the report: escaped (anything that came
 * from data: symbols, reasons, settings, file names) and markup (the
 * report's own tags). Keeping them apart is what makes the report safe to
 * open whatever a recording or settings file contains.
 */
#include <stdarg.h>

#include "report_int.h"

void rp_html_escape(FILE *f, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* control characters are not allowed in XML text */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputs("&#xFFFD;", f);
			else
				fputc(*s, f);
		}
	}
}

void rp_html_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

void rp_html_section(FILE *f, const char *id, const char *title)
{
	rp_html_printf(f, "<h2 id=\"%s\">%s</h2>\n", id, title);
}

void rp_html_note(FILE *f, const char *text)
{
	fputs("<p class=\"note\">", f);
	rp_html_escape(f, text);
	fputs("</p>\n", f);
}
