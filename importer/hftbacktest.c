/*
 * hftbacktest.c - reads hftbacktest's raw captures: one line per message,
 * "<local_recv_ns> <raw JSON>", the JSON a combined-stream frame or a REST
 * depth snapshot.
 *
 * The snapshots carry no symbol. --symbol names it; otherwise it is the one
 * symbol of the file's stream frames, which may come after the snapshot, so
 * snapshots met before that symbol is known wait until the end of the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer_int.h"

struct pending {
	char *json;
	size_t len;
	int64_t recv_ns;
	uint64_t line;
};

struct waiting {
	struct pending *v;
	size_t n, cap;
};

static bool is_snapshot(const char *json)
{
	return !strstr(json, "\"stream\"") && strstr(json, "\"lastUpdateId\"");
}

static const char *snapshot_symbol(const struct imp_ctx *c)
{
	if (c->o->symbol)
		return c->o->symbol;
	return c->symbol[0] && !c->several ? c->symbol : NULL;
}

static int wait_for_symbol(struct waiting *w, const char *json, size_t len, int64_t recv_ns,
                           uint64_t line)
{
	struct pending *nv = grow_array(w->v, &w->cap, w->n + 1, sizeof *nv);
	if (!nv)
		return -1;
	w->v = nv;
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, json, len + 1);
	w->v[w->n++] = (struct pending){copy, len, recv_ns, line};
	return 0;
}

static void flush_waiting(struct imp_ctx *c, struct waiting *w)
{
	for (size_t i = 0; i < w->n; i++) {
		c->line = w->v[i].line;
		const char *sym = snapshot_symbol(c);
		if (sym)
			imp_frame(c, w->v[i].json, w->v[i].len, w->v[i].recv_ns, sym);
		else
			imp_bad(c, "depth snapshot without a symbol, and the file's streams "
			           "name %s: give --symbol", c->several ? "several" : "none");
		free(w->v[i].json);
	}
	free(w->v);
}

static int read_line(struct imp_ctx *c, void *arg, char *line, size_t len)
{
	struct waiting *w = arg;
	const char *sp = memchr(line, ' ', len);
	uint64_t ns;
	c->st->units++;
	if (!sp || imp_parse_u64(line, (size_t)(sp - line), &ns) || ns > INT64_MAX) {
		imp_bad(c, "expected \"<recv_ns> <json>\": the receive time is not an integer");
		return 0;
	}
	const char *json = sp + 1;
	size_t jlen = len - (size_t)(json - line);
	if (!snapshot_symbol(c) && is_snapshot(json))
		return wait_for_symbol(w, json, jlen, (int64_t)ns, c->line);
	imp_frame(c, json, jlen, (int64_t)ns, snapshot_symbol(c));
	return c->oom ? -1 : 0;
}

int imp_read_hftbacktest(struct imp_ctx *c, linereader_t *lr, char *err, size_t cap)
{
	struct waiting w = {0};
	int rc = imp_each_line(c, lr, read_line, &w, err, cap);
	flush_waiting(c, &w);
	return rc;
}
