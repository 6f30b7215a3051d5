/*
 * cryptofeed.c - reads cryptofeed's text captures (its "raw data" files):
 *
 *   ws file      "<url> <-> <ts>" once (the connection), then "<ts>: <frame>"
 *   http files   "<url> -> <ts>: <body>", a depth snapshot's symbol in the URL
 *   the .0 file  an exchangeInfo line like the http ones, then
 *                "configuration: {...}", the feed's settings (not market data)
 *
 * <ts> is the local receive time in seconds with a fraction.
 */
#include <stdio.h>
#include <string.h>

#include "importer_int.h"

/* "<ts>: <json>" at `s`: the receive time and where the JSON starts. */
static const char *split_ts(struct imp_ctx *c, const char *s, const char *end, int64_t *ns)
{
	const char *colon = memchr(s, ':', (size_t)(end - s));
	if (!colon || colon + 1 >= end || colon[1] != ' ' ||
	    imp_seconds_ns(s, (size_t)(colon - s), ns)) {
		imp_bad(c, "expected \"<seconds>: <json>\"");
		return NULL;
	}
	return colon + 2;
}

static void read_http(struct imp_ctx *c, const char *line, const char *arrow, const char *end)
{
	int64_t ns;
	const char *json = split_ts(c, arrow + 4, end, &ns);
	if (!json)
		return;
	char sym[SYMBOL_MAX];
	bool has = imp_url_symbol(line, (size_t)(arrow - line), sym) == 0;
	imp_frame(c, json, (size_t)(end - json), ns, has ? sym : c->o->symbol);
}

static void read_connect(struct imp_ctx *c, const char *arrow, const char *end)
{
	int64_t ns;
	if (imp_seconds_ns(arrow + 5, (size_t)(end - arrow - 5), &ns))
		imp_bad(c, "expected \"<url> <-> <seconds>\"");
	else
		imp_ignored(c, "ws connect");
}

static int read_line(struct imp_ctx *c, void *arg, char *line, size_t len)
{
	const char *end = line + len, *sp = memchr(line, ' ', len);
	const char *scheme = strstr(line, "://");
	c->st->units++;
	if (!strncmp(line, "configuration: ", 15)) {
		imp_ignored(c, "feed configuration");
	} else if (scheme && sp && sp > scheme && !strncmp(sp, " -> ", 4)) {
		read_http(c, line, sp, end);
	} else if (scheme && sp && sp > scheme && !strncmp(sp, " <-> ", 5)) {
		read_connect(c, sp, end);
	} else {
		int64_t ns;
		const char *json = split_ts(c, line, end, &ns);
		if (json)
			imp_frame(c, json, (size_t)(end - json), ns, c->o->symbol);
	}
	return c->oom ? -1 : 0;
}

int imp_read_cryptofeed(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap)
{
	return imp_each_line(c, lr, read_line, NULL, err, cap);
}
