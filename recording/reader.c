/*
 * reader.c - the recording reader: streams frames from a plain or gzip file
 * through one buffer, checks each frame's CRC, and hands the body to the
 * unpacker.
 *
 * The buffer holds the unread bytes of the current block and grows only to
 * fit a frame larger than itself, so memory is bounded by the largest frame
 * (at most REC_FRAME_MAX), never by the file. zlib's gzread detects the gzip
 * magic itself and passes other files through unchanged; byte offsets are
 * those of the uncompressed recording either way.
 *
 * Ending: no bytes after the last frame is a clean end; a partial frame (or
 * preamble, or header) at the end is what a killed writer leaves, so it ends
 * the file with a warning rather than an error. A complete frame that fails
 * its CRC or does not decode is an error.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "format_int.h"

#define READ_BLOCK (256u << 10)

enum { READING, ENDED, FAILED };

struct rec_reader {
	char *path;
	struct symkey_cache keys; /* the symbols' keys this file has given */
	gzFile gz;
	uint8_t *buf;
	size_t cap, pos, end; /* unread bytes are buf[pos..end) */
	uint64_t off;         /* offset of buf[pos] in the recording */
	bool eof;             /* nothing more to read */
	bool gz_cut;          /* the gzip stream itself ended early */
	int state;
	struct rec_header hdr;
	struct rec_header_mem mem;
	struct rec_unpacker u;
	uint64_t events, out_of_order;
	int64_t last_ms;
	char *err;
	char errbuf[REC_ERR_MAX];
	char warning[REC_ERR_MAX];
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

__attribute__((format(printf, 2, 3)))
static int fail(rec_reader *r, const char *fmt, ...)
{
	va_list ap;
	r->state = FAILED;
	int n = snprintf(r->err, REC_ERR_MAX, "%s: ", r->path);
	if (n < 0 || n >= REC_ERR_MAX) /* a path that long leaves no room for the reason */
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, REC_ERR_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The end of a file cut short: `what` was incomplete at the current offset. */
static int cut_short(rec_reader *r, const char *what)
{
	size_t have = r->end - r->pos;
	char part[96] = "";
	if (have)
		snprintf(part, sizeof part, ", %zu bytes into the %s", have, what);
	snprintf(r->warning, sizeof r->warning,
	         "%s: file cut short at byte %llu%s%s, after %llu complete events", r->path,
	         (unsigned long long)r->off, part, r->gz_cut ? " (the gzip stream stops)" : "",
	         (unsigned long long)r->events);
	r->state = ENDED;
	return 0;
}

/* gzread returned `n` <= 0: the end of the data. zlib flags a gzip stream
 * that simply stops (Z_BUF_ERROR) but still returns what it could inflate:
 * that is a file cut short. Any other failure (corrupt deflate data, an I/O
 * error) is an error. */
static int read_end(rec_reader *r, int n)
{
	int zerr;
	const char *msg = gzerror(r->gz, &zerr);
	r->eof = true;
	r->gz_cut = zerr == Z_BUF_ERROR;
	if (n == 0 || r->gz_cut)
		return 0;
	if (zerr == Z_ERRNO)
		msg = strerror(errno);
	return fail(r, "read failed after byte %llu: %s",
	            (unsigned long long)(r->off + (r->end - r->pos)), msg);
}

/* Makes `need` unread bytes available unless the file ends first. */
static int fill(rec_reader *r, size_t need)
{
	if (r->end - r->pos >= need || r->eof)
		return 0;
	memmove(r->buf, r->buf + r->pos, r->end - r->pos);
	r->end -= r->pos;
	r->pos = 0;
	if (need > r->cap) {
		uint8_t *p = realloc(r->buf, need);
		if (!p)
			return fail(r, "out of memory for a frame of %zu bytes", need);
		r->buf = p;
		r->cap = need;
	}
	while (r->end < need && !r->eof) {
		size_t room = r->cap - r->end;
		errno = 0;
		int n = gzread(r->gz, r->buf + r->end, room > INT_MAX ? INT_MAX : (unsigned)room);
		if (n <= 0 && read_end(r, n) < 0)
			return -1;
		if (n > 0)
			r->end += (size_t)n;
	}
	return 0;
}

/*
 * The next frame's body. Returns 1, 0 at the end of the file (clean or cut
 * short), -1 on error. `what` names the frame in messages.
 */
static int next_frame(rec_reader *r, const char *what, const uint8_t **body, uint32_t *len)
{
	if (fill(r, REC_FRAME_HEAD) < 0)
		return -1;
	size_t have = r->end - r->pos;
	if (have == 0) {
		r->state = ENDED;
		return r->gz_cut ? cut_short(r, what) : 0;
	}
	if (have < REC_FRAME_HEAD)
		return cut_short(r, what);
	const uint8_t *p = r->buf + r->pos;
	*len = le32(p);
	if (*len > REC_FRAME_MAX)
		return fail(r, "%s at byte %llu claims %u bytes, more than the maximum of %u "
		               "(corrupt or not a recording)", what, (unsigned long long)r->off,
		            *len, REC_FRAME_MAX);
	if (fill(r, REC_FRAME_HEAD + (size_t)*len) < 0)
		return -1;
	if (r->end - r->pos < REC_FRAME_HEAD + (size_t)*len)
		return cut_short(r, what);
	p = r->buf + r->pos;
	uint32_t stored = le32(p + 4);
	uint32_t crc = rec_crc32c(p + REC_FRAME_HEAD, *len);
	if (crc != stored)
		return fail(r, "%s at byte %llu is corrupt: CRC-32C %08x, stored %08x", what,
		            (unsigned long long)r->off, crc, stored);
	*body = p + REC_FRAME_HEAD;
	return 1;
}

static void consume(rec_reader *r, size_t n)
{
	r->pos += n;
	r->off += n;
}

/* Magic and format version; returns 1 if there is a header to read next. */
static int read_preamble(rec_reader *r)
{
	if (fill(r, REC_PREAMBLE_LEN) < 0)
		return -1;
	size_t have = r->end - r->pos;
	if (have == 0 && !r->gz_cut)
		return fail(r, "empty file, not a hunter recording");
	size_t n = have < REC_MAGIC_LEN ? have : REC_MAGIC_LEN;
	for (size_t i = 0; i < n; i++)
		if (r->buf[i] != (uint8_t)REC_MAGIC[i])
			return fail(r, "not a hunter recording (wrong magic at byte %zu)", i);
	if (have < REC_PREAMBLE_LEN)
		return cut_short(r, "preamble");
	r->hdr.format = le32(r->buf + REC_MAGIC_LEN);
	if (r->hdr.format != REC_FORMAT)
		return fail(r, "recording format version %u at byte %d; this hunter reads %d",
		            r->hdr.format, REC_MAGIC_LEN, REC_FORMAT);
	consume(r, REC_PREAMBLE_LEN);
	return 1;
}

static int read_header(rec_reader *r)
{
	const uint8_t *body;
	uint32_t len;
	char why[REC_ERR_MAX / 2];
	size_t at;
	int rc = read_preamble(r);
	if (rc > 0)
		rc = next_frame(r, "header", &body, &len);
	if (rc == 0 && !r->warning[0]) /* nothing after the preamble */
		cut_short(r, "header");
	if (rc <= 0)
		return rc;
	if (rec_unpack_header(body, len, &r->hdr, &r->mem, why, sizeof why, &at) < 0)
		return fail(r, "byte %llu: %s", (unsigned long long)(r->off + REC_FRAME_HEAD + at),
		            why);
	consume(r, REC_FRAME_HEAD + (size_t)len);
	return 0;
}

rec_reader *rec_reader_open(const char *path, char *err)
{
	rec_reader *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path)) || !(r->buf = malloc(READ_BLOCK))) {
		if (err)
			snprintf(err, REC_ERR_MAX, "%s: out of memory", path);
		rec_reader_close(r);
		return NULL;
	}
	r->err = err ? err : r->errbuf;
	r->cap = READ_BLOCK;
	r->hdr.source = r->hdr.command = r->hdr.hunter_version = "";
	errno = 0;
	r->gz = gzopen(path, "rb");
	if (!r->gz) {
		fail(r, "cannot open: %s", errno ? strerror(errno) : "out of memory");
	} else {
		gzbuffer(r->gz, READ_BLOCK);
		read_header(r);
	}
	if (r->state == FAILED) {
		rec_reader_close(r);
		return NULL;
	}
	return r;
}

int rec_reader_next(rec_reader *r, ev_t *ev)
{
	const uint8_t *body;
	uint32_t len;
	char why[REC_ERR_MAX / 2];
	size_t at;
	if (r->state != READING)
		return r->state == FAILED ? -1 : 0;
	int rc = next_frame(r, "frame", &body, &len);
	if (rc <= 0)
		return rc;
	if (rec_unpack_event(&r->u, body, len, ev, why, sizeof why, &at) < 0)
		return fail(r, "frame at byte %llu: %s (byte %llu)", (unsigned long long)r->off,
		            why, (unsigned long long)(r->off + REC_FRAME_HEAD + at));
	consume(r, REC_FRAME_HEAD + (size_t)len);
	ev->sym_key = symkey_cached(&r->keys, ev->symbol); /* once here, not per consumer */
	if (r->events && ev->exch_ms < r->last_ms)
		r->out_of_order++;
	r->last_ms = ev->exch_ms;
	r->events++;
	return 1;
}

void rec_reader_close(rec_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	rec_header_mem_free(&r->mem);
	rec_unpacker_free(&r->u);
	free(r->buf);
	free(r->path);
	free(r);
}

const struct rec_header *rec_reader_header(const rec_reader *r)
{
	return &r->hdr;
}

const char *rec_reader_path(const rec_reader *r)
{
	return r->path;
}

uint64_t rec_reader_offset(const rec_reader *r)
{
	return r->off;
}

uint64_t rec_reader_events(const rec_reader *r)
{
	return r->events;
}

uint64_t rec_reader_out_of_order(const rec_reader *r)
{
	return r->out_of_order;
}

const char *rec_reader_warning(const rec_reader *r)
{
	return r->warning;
}
