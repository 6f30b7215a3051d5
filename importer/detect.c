/*
 * detect.c - input format names, and telling a file's format from its first
 * lines, so `hunter import` needs no --format for the captures it knows.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "importer_int.h"

static const char *const format_names[IMP__COUNT] = {
	[IMP_AUTO] = "auto",
	[IMP_HFTBACKTEST] = "hftbacktest",
	[IMP_CRYPTOFEED] = "cryptofeed",
	[IMP_FRAMES] = "frames",
	[IMP_LIQ_CSV] = "liq-csv",
	[IMP_TRADES_CSV] = "trades-csv",
};

const char *imp_format_name(imp_format_t f)
{
	return f >= 0 && f < IMP__COUNT ? format_names[f] : "";
}

imp_format_t imp_format_from(const char *name)
{
	for (int f = IMP_AUTO + 1; f < IMP__COUNT; f++)
		if (!strcmp(name, format_names[f]))
			return (imp_format_t)f;
	return IMP_AUTO;
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* "<digits> {" : hftbacktest's "<recv_ns> <frame>". */
static bool is_hftbacktest(const char *l)
{
	size_t n = digits(l);
	return n >= 10 && l[n] == ' ' && (l[n + 1] == '{' || l[n + 1] == '[');
}

/* "<url> <-> <ts>", "<url> -> <ts>: <body>" or "<ts>: <frame>". */
static bool is_cryptofeed(const char *l)
{
	const char *sp = strchr(l, ' ');
	const char *scheme = strstr(l, "://");
	if (scheme && sp > scheme)
		return !strncmp(sp, " <-> ", 5) || !strncmp(sp, " -> ", 4);
	size_t n = digits(l);
	if (n < 9 || (l[n] != '.' && l[n] != ':'))
		return false;
	if (l[n] == '.')
		n += 1 + digits(l + n + 1);
	return l[n] == ':' && l[n + 1] == ' ';
}

static size_t fields(const char *l)
{
	size_t n = 1;
	for (; *l; l++)
		n += *l == ',';
	return n;
}

static imp_format_t classify(const char *l)
{
	const char *p = l + strspn(l, " \t");
	if (is_hftbacktest(p))
		return IMP_HFTBACKTEST;
	if (is_cryptofeed(p))
		return IMP_CRYPTOFEED;
	if (*p == '{' || *p == '[' || !strncmp(p, "//", 2))
		return IMP_FRAMES;
	size_t n = fields(p);
	if (n == 12 || n == 13) /* a later logger appends `tier` */
		return IMP_LIQ_CSV;
	if (n == 7 || n == 9)   /* ... and `usd_size, tier` to trades */
		return IMP_TRADES_CSV;
	return IMP_AUTO;
}

imp_format_t imp_detect(const char *path, char *err, size_t cap)
{
	linereader_t *lr = imp_lr_open(path, err, cap);
	if (!lr)
		return IMP_AUTO;
	char *line;
	size_t len;
	int r;
	/* The first non-blank line decides: every format's first line is
	 * already typical of it. */
	while ((r = imp_lr_next(lr, &line, &len)) == 1 && line[strspn(line, " \t")] == '\0')
		;
	imp_format_t f = IMP_AUTO;
	if (r == 1) {
		f = classify(line);
		if (f == IMP_AUTO)
			snprintf(err, cap, "%s: line %llu fits no known format (give --format)",
			         path, (unsigned long long)imp_lr_lineno(lr));
	} else {
		snprintf(err, cap, "%s: %s", path, r == 0 ? "no data" : imp_lr_error(lr));
	}
	imp_lr_close(lr);
	return f;
}
