/*
 * inputs.c - reading and checking what a backtest is given besides its
 * recordings' events: the settings text, the optional exchangeInfo file,
 * the digests that identify each input in the run database, and the
 * output folder.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aster.h"
#include "backtest_int.h"

int bt_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		snprintf(err, errlen, "%s: %s", path, buf ? "read error" : "out of memory");
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

struct info_sink {
	struct rules_list *out;
	int found;
};

/* Parser events live only during the call: keep a copy of the rules. */
static int keep_rules(void *ctx, const ev_t *ev)
{
	struct info_sink *s = ctx;
	if (ev->type != EV_EXCHANGE_INFO || s->found)
		return 0;
	s->found = 1;
	size_t n = ev->u.info.nsymbols;
	s->out->v = n ? malloc(n * sizeof *s->out->v) : NULL;
	if (n && !s->out->v)
		return 1;
	memcpy(s->out->v, ev->u.info.symbols, n * sizeof *s->out->v);
	s->out->n = (uint32_t)n;
	return 0;
}

int bt_load_exchange_info(const char *path, struct rules_list *out, char *err, size_t errlen)
{
	char *text;
	size_t len;
	if (bt_read_file(path, &text, &len, err, errlen))
		return -1;
	aster_parser_t *p = aster_parser_new();
	struct info_sink sink = {out, 0};
	struct aster_ctx ctx = {0};
	struct aster_result res = {0};
	out->v = NULL;
	out->n = 0;
	int rc = p ? aster_parse(p, text, len, &ctx, keep_rules, &sink, &res) : -1;
	aster_parser_free(p);
	free(text);
	if (!p || res.status == ASTER_ERROR || rc < 0) {
		snprintf(err, errlen, "%s: %s", path, p ? res.err : "out of memory");
		return -1;
	}
	if (!sink.found) {
		/* Say what it was instead, e.g. an error reply saved by mistake. */
		snprintf(err, errlen, "%s: not an exchangeInfo response (%s%s%s)", path,
		         res.what[0] ? res.what : "no event", res.err[0] ? ": " : "", res.err);
		return -1;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s: the exchangeInfo response lists no symbols", path);
		return -1;
	}
	return 0;
}

int bt_make_dirs(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
		*p = c;
	}
}

/* The file name without its folder and its extensions ("a/b.hrec.gz" -> "b"). */
static void stem(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	snprintf(out, cap, "%.*s", (int)(n ? n : strlen(base)), base);
}

void backtest_default_dir(const char *settings_path, const char *recording, char *buf,
                          size_t cap)
{
	char a[256], b[256];
	stem(settings_path, a, sizeof a);
	stem(recording, b, sizeof b);
	snprintf(buf, cap, "runs/%s-%s", a, b);
}
