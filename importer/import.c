/*
 * import.c - imp_load(): checks the inputs agree on one format, runs the
 * format's reader over each, and sorts what they produced; plus the context
 * helpers every reader reports through, and writing the set as a recording.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer_int.h"
#include "recording.h"

#define PROGRESS_EVERY 4096 /* lines between progress reports */

void imp_bad(struct imp_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->st->bad++;
	if (c->o->on_bad)
		c->o->on_bad(c->o->bad_ctx, c->file, c->line, msg);
}

static struct imp_kind_count *kind_slot(struct imp_stats *st, const char *what)
{
	for (size_t i = 0; i < st->nkinds; i++)
		if (!strcmp(st->kinds[i].what, what))
			return &st->kinds[i];
	/* A full table sends every new kind to its last slot, "other". */
	if (st->nkinds == IMP_KINDS_MAX)
		return &st->kinds[IMP_KINDS_MAX - 1];
	if (st->nkinds == IMP_KINDS_MAX - 1)
		what = "other";
	struct imp_kind_count *k = &st->kinds[st->nkinds++];
	copy_str(k->what, sizeof k->what, what, strlen(what));
	return k;
}

void imp_ignored(struct imp_ctx *c, const char *what)
{
	kind_slot(c->st, what)->n++;
	c->st->ignored++;
}

/* Remembers the file's symbol, which names its symbol-less snapshots. */
static void learn_symbol(struct imp_ctx *c, const ev_t *ev)
{
	if (!ev->symbol[0] || ev->type == EV_EXCHANGE_INFO)
		return;
	if (!c->symbol[0])
		memcpy(c->symbol, ev->symbol, SYMBOL_MAX);
	else if (strcmp(c->symbol, ev->symbol))
		c->several = true;
}

int imp_keep(struct imp_ctx *c, const ev_t *ev)
{
	if (c->oom)
		return 1;
	/* Exchange info states rules, not activity, and is dated at the first
	 * market event anyway (imp_set_finish), so the window does not drop it. */
	bool before = c->o->from_ms && ev->exch_ms < c->o->from_ms;
	bool after = c->o->to_ms && ev->exch_ms >= c->o->to_ms;
	if ((before || after) && ev->type != EV_EXCHANGE_INFO) {
		c->st->outside++;
		return 0;
	}
	learn_symbol(c, ev);
	if (imp_set_add(c->set, ev)) {
		c->oom = true;
		return 1;
	}
	c->st->events++;
	c->st->by_type[ev->type]++;
	return 0;
}

static int keep_sink(void *ctx, const ev_t *ev)
{
	return imp_keep(ctx, ev);
}

void imp_frame(struct imp_ctx *c, const char *json, size_t len, int64_t recv_ns,
               const char *symbol)
{
	struct aster_ctx ac = {.recv_ns = recv_ns, .symbol = symbol, .keep_raw = c->o->keep_raw};
	struct aster_result res;
	memset(&res, 0, sizeof res);
	aster_parse(c->parser, json, len, &ac, keep_sink, c, &res);
	if (res.status == ASTER_IGNORED)
		imp_ignored(c, res.what[0] ? res.what : "unmodelled frame");
	else if (res.status == ASTER_ERROR)
		imp_bad(c, "%s", res.err);
}

int imp_each_line(struct imp_ctx *c, linereader_t *lr, imp_line_fn fn, void *arg,
                  char *err, size_t cap)
{
	char *line;
	size_t len;
	int r;
	while ((r = imp_lr_next(lr, &line, &len)) == 1) {
		if (len == 0)
			continue;
		c->line = imp_lr_lineno(lr);
		if (c->o->on_progress && c->line % PROGRESS_EVERY == 0)
			c->o->on_progress(c->o->progress_ctx, c->st->units);
		if (fn(c, arg, line, len)) {
			c->oom = true;
			return 0;
		}
	}
	if (r < 0) {
		snprintf(err, cap, "%s: after line %llu: %s", c->file,
		         (unsigned long long)imp_lr_lineno(lr), imp_lr_error(lr));
		return -1;
	}
	return 0;
}

/* liq-csv and trades-csv come from one logger and merge into one recording
 * (liquidations with the large trades around them); other formats differ
 * in kind and are imported one at a time. */
static bool same_family(imp_format_t a, imp_format_t b)
{
	bool csv_a = a == IMP_LIQ_CSV || a == IMP_TRADES_CSV;
	bool csv_b = b == IMP_LIQ_CSV || b == IMP_TRADES_CSV;
	return a == b || (csv_a && csv_b);
}

/* An unreadable input is an I/O error and an empty one holds nothing valid,
 * whatever its format. */
static imp_status_t readable(const char *path, char *err, size_t cap)
{
	char *line;
	size_t len;
	linereader_t *lr = imp_lr_open(path, err, cap);
	if (!lr)
		return IMP_ERR_IO;
	int r = imp_lr_next(lr, &line, &len);
	if (r <= 0)
		snprintf(err, cap, "%s: %s", path, r ? imp_lr_error(lr) : "empty file");
	imp_lr_close(lr);
	return r > 0 ? IMP_OK : r < 0 ? IMP_ERR_IO : IMP_ERR_EMPTY;
}

static imp_status_t formats_of(const struct imp_options *o, const char *const *paths,
                               size_t n, imp_format_t *fmts, char *err, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		imp_status_t rc = readable(paths[i], err, cap);
		if (rc != IMP_OK)
			return rc;
		fmts[i] = o->format ? o->format : imp_detect(paths[i], err, cap);
		if (fmts[i] == IMP_AUTO)
			return IMP_ERR_USAGE;
		if (!same_family(fmts[0], fmts[i])) {
			snprintf(err, cap, "%s is %s but %s is %s: import one format at a time",
			         paths[0], imp_format_name(fmts[0]), paths[i],
			         imp_format_name(fmts[i]));
			return IMP_ERR_USAGE;
		}
	}
	return IMP_OK;
}

static int read_one(struct imp_ctx *c, imp_format_t f, char *err, size_t cap)
{
	linereader_t *lr = imp_lr_open(c->file, err, cap);
	if (!lr)
		return -1;
	c->symbol[0] = '\0';
	c->several = false;
	int rc;
	switch (f) {
	case IMP_HFTBACKTEST: rc = imp_read_hftbacktest(c, lr, err, cap); break;
	case IMP_CRYPTOFEED: rc = imp_read_cryptofeed(c, lr, err, cap); break;
	case IMP_FRAMES: rc = imp_read_frames(c, lr, err, cap); break;
	default: rc = imp_read_csv(c, lr, f, err, cap); break;
	}
	imp_lr_close(lr);
	return rc;
}

static void first_reason(void *ctx, const char *file, uint64_t line, const char *msg)
{
	char *why = ctx;
	if (!why[0])
		snprintf(why, 200, " (line %llu: %s)", (unsigned long long)line, msg);
}

/* Reads the --exchange-info file (one JSON body, any layout) into its own
 * set; *info points at its first exchange info event. */
static imp_status_t load_info(const struct imp_options *o, imp_set_t **iset, const ev_t **info,
                              char *err, size_t cap)
{
	char why[200] = "";
	struct imp_stats st;
	struct imp_options io = {.format = IMP_FRAMES, .on_bad = first_reason, .bad_ctx = why};
	const char *path = o->exchange_info;
	imp_status_t rc = imp_load(&io, &path, 1, iset, &st, err, cap);
	if (rc == IMP_ERR_IO)
		return rc;
	if (rc == IMP_OK)
		for (size_t i = 0; i < imp_set_count(*iset); i++)
			if (imp_set_event(*iset, i)->type == EV_EXCHANGE_INFO) {
				*info = imp_set_event(*iset, i);
				return IMP_OK;
			}
	snprintf(err, cap, "%s: not an exchangeInfo response%s", path, why);
	return IMP_ERR_USAGE;
}

static imp_status_t read_all(struct imp_ctx *c, const char *const *paths, size_t n,
                             const imp_format_t *fmts, char *err, size_t cap)
{
	for (size_t i = 0; i < n && !c->oom; i++) {
		c->file = paths[i];
		if (read_one(c, fmts[i], err, cap))
			return IMP_ERR_IO;
	}
	if (c->oom) {
		snprintf(err, cap, "out of memory after %llu events",
		         (unsigned long long)c->st->events);
		return IMP_ERR_IO;
	}
	if (c->st->events == 0) {
		snprintf(err, cap, "no valid event in the input%s", n > 1 ? "s" : "");
		return IMP_ERR_EMPTY;
	}
	return IMP_OK;
}

imp_status_t imp_load(const struct imp_options *o, const char *const *paths, size_t n,
                      imp_set_t **out, struct imp_stats *st, char *err, size_t cap)
{
	memset(st, 0, sizeof *st);
	*out = NULL;
	imp_format_t *fmts = calloc(n ? n : 1, sizeof *fmts);
	struct imp_ctx c = {.o = o, .st = st, .set = imp_set_new(), .parser = aster_parser_new()};
	imp_set_t *iset = NULL;
	const ev_t *info = NULL;
	imp_status_t rc = IMP_ERR_IO;
	if (!fmts || !c.set || !c.parser)
		snprintf(err, cap, "out of memory");
	else if ((rc = formats_of(o, paths, n, fmts, err, cap)) == IMP_OK &&
	         (!o->exchange_info || (rc = load_info(o, &iset, &info, err, cap)) == IMP_OK)) {
		st->format = fmts[0];
		for (size_t i = 0; i < n; i++)
			st->formats |= 1u << fmts[i];
		rc = read_all(&c, paths, n, fmts, err, cap);
	}
	if (rc == IMP_OK && imp_set_finish(c.set, info, st)) {
		snprintf(err, cap, "out of memory");
		rc = IMP_ERR_IO;
	}
	if (rc == IMP_OK) {
		*out = c.set;
		c.set = NULL;
	}
	imp_set_free(iset);
	imp_set_free(c.set);
	aster_parser_free(c.parser);
	free(fmts);
	return rc;
}

int imp_set_write(const imp_set_t *s, const char *path, const char *source,
                  const char *command, int64_t liq_arrival_delay_ms, char *err, size_t cap)
{
	size_t n = imp_set_count(s), nsym = imp_set_nsymbols(s);
	const char **syms = malloc((nsym ? nsym : 1) * sizeof *syms);
	char rerr[REC_ERR_MAX] = "";
	if (!syms) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < nsym; i++)
		syms[i] = imp_set_symbol(s, i);
	struct rec_header h = {
		.source = source, .command = command, .keep_raw = imp_set_has_raw(s),
		.start_ns = n ? imp_set_event(s, 0)->exch_ms * 1000000 : 0,
		.nsymbols = (uint32_t)nsym, .symbols = syms,
		.liq_arrival_delay_ms = liq_arrival_delay_ms,
	};
	rec_writer *w = rec_writer_open(path, &h, NULL, rerr);
	int rc = w ? 0 : -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = rec_writer_write(w, imp_set_event(s, i));
	if (w && rec_writer_close(w))
		rc = -1;
	if (rc)
		snprintf(err, cap, "%s", rerr);
	free(syms);
	return rc;
}
