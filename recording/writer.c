/*
 * writer.c - the recording writer: frames events, buffers them, rotates to
 * the next file of a set by size or by exchange time, and reports every
 * failure (invalid event, full disk) instead of losing data quietly.
 *
 * Output goes through zlib's gzFile in both cases: transparent ("T") mode for
 * plain files, compressed for names ending in ".gz". That gives one buffered
 * code path, and its close reports a failed final flush.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "format_int.h"

#define WRITE_BUFFER (1u << 20)

/* Where msgpack-c's packer writes a frame; it remembers a failed allocation
 * so the frame is dropped rather than written short. */
struct outbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* The caller's header, copied so the writer can repeat it in every part. */
struct header_copy {
	struct rec_header h;
	char *text;
	const char **symbols;
};

struct rec_writer {
	char *path;     /* as given; parts are named from it */
	char *cur;      /* the file being written */
	gzFile gz;
	struct header_copy hdr;
	struct rec_rotation rot;
	bool rotating;
	uint32_t parts;
	uint64_t file_bytes, file_events, events;
	int64_t period; /* exchange-time period of the current file */
	struct outbuf out;
	msgpack_packer pk;
	bool failed;
	char *err;
	char errbuf[REC_ERR_MAX];
};

static int out_write(void *data, const char *buf, size_t len)
{
	struct outbuf *o = data;
	if (o->oom)
		return -1;
	if (len > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap - o->len < len)
			cap *= 2;
		char *p = realloc(o->p, cap);
		if (!p) {
			o->oom = true;
			return -1;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, buf, len);
	o->len += len;
	return 0;
}

static void put_le32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

__attribute__((format(printf, 2, 3)))
static int fail(rec_writer *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err, REC_ERR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

/* An I/O failure: the file is now incomplete, so the writer stops. */
static int fail_io(rec_writer *w, const char *what, int errnum)
{
	w->failed = true;
	return fail(w, "%s: %s: %s", w->cur, what, errnum ? strerror(errnum) : "zlib error");
}

static int copy_header(struct header_copy *c, const struct rec_header *h, const char *path,
                       char *err)
{
	size_t need = strlen(h->source ? h->source : "") + strlen(h->command ? h->command : "") + 2;
	/* a file its own reader would refuse is not written */
	if (h->liq_arrival_delay_ms < 0 || h->liq_arrival_delay_ms > REC_LIQ_DELAY_MAX_MS) {
		snprintf(err, REC_ERR_MAX, "%s: liquidation arrival delay %lld ms is outside 0..%d",
		         path, (long long)h->liq_arrival_delay_ms, REC_LIQ_DELAY_MAX_MS);
		return -1;
	}
	for (uint32_t i = 0; i < h->nsymbols; i++) {
		size_t n = h->symbols[i] ? strlen(h->symbols[i]) : SYMBOL_MAX;
		if (n >= SYMBOL_MAX) {
			snprintf(err, REC_ERR_MAX,
			         "%s: header symbol %u is missing or longer than %d bytes", path, i,
			         SYMBOL_MAX - 1);
			return -1;
		}
		need += n + 1;
	}
	c->h = *h;
	c->text = malloc(need);
	c->symbols = calloc(h->nsymbols ? h->nsymbols : 1, sizeof *c->symbols);
	if (!c->text || !c->symbols) {
		snprintf(err, REC_ERR_MAX, "%s: out of memory", path);
		return -1;
	}
	char *t = c->text;
	const char **fields[] = {&c->h.source, &c->h.command};
	for (size_t i = 0; i < 2; i++) {
		const char *s = *fields[i] ? *fields[i] : "";
		*fields[i] = strcpy(t, s);
		t += strlen(s) + 1;
	}
	for (uint32_t i = 0; i < h->nsymbols; i++) {
		c->symbols[i] = strcpy(t, h->symbols[i]);
		t += strlen(t) + 1;
	}
	c->h.symbols = c->symbols;
	return 0;
}

/* Preamble and header frame of a new file. */
static int write_start(rec_writer *w)
{
	struct outbuf hb = {0};
	msgpack_packer pk;
	msgpack_packer_init(&pk, &hb, out_write);
	out_write(&hb, REC_MAGIC, REC_MAGIC_LEN);
	char head[4 + REC_FRAME_HEAD] = {0};
	out_write(&hb, head, sizeof head); /* room for version, length, CRC */
	rec_pack_header(&pk, &w->hdr.h, w->rotating ? w->parts : 0);
	if (hb.oom) {
		free(hb.p);
		w->failed = true;
		return fail(w, "%s: out of memory", w->cur);
	}
	size_t body = hb.len - REC_PREAMBLE_LEN - REC_FRAME_HEAD;
	char *p = hb.p + REC_MAGIC_LEN;
	put_le32(p, REC_FORMAT);
	put_le32(p + 4, (uint32_t)body);
	put_le32(p + 8, rec_crc32c(hb.p + hb.len - body, body));
	errno = 0;
	bool ok = gzwrite(w->gz, hb.p, (unsigned)hb.len) == (int)hb.len;
	int errnum = errno;
	w->file_bytes = hb.len;
	free(hb.p);
	return ok ? 0 : fail_io(w, "write failed", errnum);
}

static bool is_gz(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && !strcmp(path + n - 3, ".gz");
}

/* Creates the file for part w->parts (or the only file) and starts it. */
static int open_file(rec_writer *w)
{
	size_t cap = strlen(w->path) + 16;
	char *name = malloc(cap);
	if (!name || (w->rotating ? rec_part_path(name, cap, w->path, w->parts)
	                          : snprintf(name, cap, "%s", w->path)) < 0) {
		free(name);
		w->failed = true;
		return fail(w, "%s: out of memory", w->path);
	}
	free(w->cur);
	w->cur = name;
	errno = 0;
	/* Level 1: a recorder compresses as the streams arrive, and level 6 took
	 * 2.4 times as long for 15 % less disk; `gzip -9` can shrink a finished
	 * file later. */
	w->gz = gzopen(name, is_gz(name) ? "wb1" : "wbT");
	if (!w->gz) {
		w->failed = true;
		return fail(w, "%s: cannot create: %s", name,
		            errno ? strerror(errno) : "zlib error");
	}
	gzbuffer(w->gz, WRITE_BUFFER);
	w->file_events = 0;
	return write_start(w);
}

static int close_file(rec_writer *w)
{
	if (!w->gz)
		return 0;
	errno = 0;
	int rc = gzclose(w->gz);
	w->gz = NULL;
	if (rc != Z_OK && !w->failed)
		return fail_io(w, "cannot finish the file", errno);
	return 0;
}

int rec_part_path(char *buf, size_t cap, const char *path, uint32_t part)
{
	static const char *const suffixes[] = {".hrec.gz", ".hrec"};
	size_t n = strlen(path), stem = n;
	const char *suffix = "";
	for (size_t i = 0; i < 2 && !*suffix; i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && !strcmp(path + n - k, suffixes[i])) {
			stem = n - k;
			suffix = suffixes[i];
		}
	}
	int len = snprintf(buf, cap, "%.*s.%04u%s", (int)stem, path, part, suffix);
	return len < 0 || (size_t)len >= cap ? -1 : 0;
}

rec_writer *rec_writer_open(const char *path, const struct rec_header *header,
                            const struct rec_rotation *rotation, char *err)
{
	rec_writer *w = calloc(1, sizeof *w);
	if (!w) {
		if (err)
			snprintf(err, REC_ERR_MAX, "%s: out of memory", path);
		return NULL;
	}
	w->err = err ? err : w->errbuf;
	w->path = strdup(path);
	if (rotation)
		w->rot = *rotation;
	w->rotating = w->rot.max_bytes || w->rot.every_ms > 0;
	w->parts = 1;
	msgpack_packer_init(&w->pk, &w->out, out_write);
	if (!w->path || copy_header(&w->hdr, header, path, w->err) < 0 || open_file(w) < 0) {
		rec_writer_close(w);
		return NULL;
	}
	return w;
}

static int64_t period_of(const rec_writer *w, int64_t ms)
{
	int64_t p = ms / w->rot.every_ms;
	return ms % w->rot.every_ms < 0 ? p - 1 : p;
}

/* Whether the frame about to be written (of `len` bytes) starts a new part. */
static bool must_rotate(const rec_writer *w, const ev_t *ev, size_t len)
{
	if (!w->rotating || !w->file_events)
		return false;
	if (w->rot.max_bytes && w->file_bytes + len > w->rot.max_bytes)
		return true;
	return w->rot.every_ms > 0 && period_of(w, ev->exch_ms) > w->period;
}

static int rotate(rec_writer *w)
{
	if (close_file(w) < 0)
		return -1;
	w->parts++;
	return open_file(w);
}

/* Packs the event as a complete frame in w->out: length, CRC, body. */
static int frame(rec_writer *w, const ev_t *ev)
{
	char why[200];
	w->out.len = 0;
	w->out.oom = false;
	out_write(&w->out, "\0\0\0\0\0\0\0\0", REC_FRAME_HEAD);
	if (rec_pack_event(&w->pk, ev, w->hdr.h.keep_raw, why, sizeof why) < 0)
		return fail(w, "%s: event %llu (%s at %lld ms) not written: %s", w->cur,
		            (unsigned long long)w->events + 1, ev_type_name(ev->type),
		            (long long)ev->exch_ms, why);
	if (w->out.oom) {
		w->failed = true;
		return fail(w, "%s: out of memory", w->cur);
	}
	size_t body = w->out.len - REC_FRAME_HEAD;
	if (body > REC_FRAME_MAX)
		return fail(w, "%s: event %llu (%s) takes %zu bytes, more than a frame's %u",
		            w->cur, (unsigned long long)w->events + 1, ev_type_name(ev->type), body,
		            REC_FRAME_MAX);
	put_le32(w->out.p, (uint32_t)body);
	put_le32(w->out.p + 4,
	         rec_crc32c(w->out.p + REC_FRAME_HEAD, body));
	return 0;
}

int rec_writer_write(rec_writer *w, const ev_t *ev)
{
	if (w->failed)
		return -1;
	if (frame(w, ev) < 0)
		return -1;
	if (must_rotate(w, ev, w->out.len) && rotate(w) < 0)
		return -1;
	errno = 0;
	if (gzwrite(w->gz, w->out.p, (unsigned)w->out.len) != (int)w->out.len)
		return fail_io(w, "write failed", errno);
	if (w->rot.every_ms > 0 && (!w->file_events || period_of(w, ev->exch_ms) > w->period))
		w->period = period_of(w, ev->exch_ms);
	w->file_bytes += w->out.len;
	w->file_events++;
	w->events++;
	return 0;
}

int rec_writer_flush(rec_writer *w)
{
	if (w->failed)
		return -1;
	errno = 0;
	if (gzflush(w->gz, Z_SYNC_FLUSH) != Z_OK)
		return fail_io(w, "write failed", errno);
	return 0;
}

int rec_writer_close(rec_writer *w)
{
	if (!w)
		return 0;
	int rc = close_file(w) < 0 || w->failed ? -1 : 0;
	free(w->path);
	free(w->cur);
	free(w->hdr.text);
	free(w->hdr.symbols);
	free(w->out.p);
	free(w);
	return rc;
}

const char *rec_writer_path(const rec_writer *w)
{
	return w->cur;
}

uint32_t rec_writer_parts(const rec_writer *w)
{
	return w->parts;
}

uint64_t rec_writer_events(const rec_writer *w)
{
	return w->events;
}
