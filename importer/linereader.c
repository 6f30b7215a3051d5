/*
 * linereader.c - reads an input file line by line, whatever its compression.
 *
 * Captures come plain, gzip-compressed (hftbacktest) or zstd-compressed
 * (cryptofeed v3 writes .jsonl.zst). zlib's gzread reads plain and gzip files
 * alike; zstd needs libzstd (Debian libzstd-dev), the reference decoder, used
 * here through its streaming API so memory stays bounded by the longest line
 * whatever the file size. The kind is told by the file's magic bytes, not its
 * name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "importer_int.h"

#define CHUNK (1u << 16)

struct linereader {
	gzFile gz;           /* plain or gzip */
	FILE *fp;            /* zstd: the compressed file */
	ZSTD_DCtx *zd;
	unsigned char *zin;  /* zstd: compressed bytes not yet decoded */
	ZSTD_inBuffer zbuf;
	bool zframe_open;    /* a zstd frame was begun and not finished */
	char *buf;           /* decoded bytes; [pos, len) not yet returned */
	size_t cap, len, pos;
	bool eof;
	uint64_t lineno;
	char err[160];
};

static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

static int open_zstd(linereader_t *lr, const char *path, char *err, size_t cap)
{
	lr->fp = fopen(path, "rb");
	lr->zd = ZSTD_createDCtx();
	lr->zin = malloc(ZSTD_DStreamInSize());
	if (!lr->fp || !lr->zd || !lr->zin) {
		snprintf(err, cap, "%s: %s", path, lr->fp ? "out of memory" : strerror(errno));
		return -1;
	}
	return 0;
}

linereader_t *imp_lr_open(const char *path, char *err, size_t cap)
{
	linereader_t *lr = calloc(1, sizeof *lr);
	unsigned char magic[4] = {0};
	FILE *probe = fopen(path, "rb");
	if (!lr || !probe) {
		snprintf(err, cap, "%s: %s", path, lr ? strerror(errno) : "out of memory");
		if (probe)
			fclose(probe);
		free(lr);
		return NULL;
	}
	size_t got = fread(magic, 1, sizeof magic, probe);
	fclose(probe);
	int rc;
	if (got == sizeof magic && !memcmp(magic, zstd_magic, sizeof magic)) {
		rc = open_zstd(lr, path, err, cap);
	} else {
		lr->gz = gzopen(path, "rb");
		rc = lr->gz ? 0 : -1;
		if (rc)
			snprintf(err, cap, "%s: %s", path, strerror(errno));
	}
	if (rc) {
		imp_lr_close(lr);
		return NULL;
	}
	return lr;
}

/* Decodes up to `want` bytes of zstd into dst; returns bytes, 0 at end, -1. */
static long zstd_read(linereader_t *lr, char *dst, size_t want)
{
	ZSTD_outBuffer out = {dst, want, 0};
	while (out.pos == 0) {
		if (lr->zbuf.pos == lr->zbuf.size) {
			size_t n = fread(lr->zin, 1, ZSTD_DStreamInSize(), lr->fp);
			if (n == 0) {
				if (ferror(lr->fp)) {
					snprintf(lr->err, sizeof lr->err, "read error: %s", strerror(errno));
					return -1;
				}
				if (lr->zframe_open) {
					snprintf(lr->err, sizeof lr->err, "zstd stream is truncated");
					return -1;
				}
				return 0;
			}
			lr->zbuf = (ZSTD_inBuffer){lr->zin, n, 0};
		}
		size_t r = ZSTD_decompressStream(lr->zd, &out, &lr->zbuf);
		if (ZSTD_isError(r)) {
			snprintf(lr->err, sizeof lr->err, "zstd: %s", ZSTD_getErrorName(r));
			return -1;
		}
		lr->zframe_open = r != 0;
	}
	return (long)out.pos;
}

static long gz_read(linereader_t *lr, char *dst, size_t want)
{
	int n = gzread(lr->gz, dst, (unsigned)want);
	if (n < 0) {
		int code;
		const char *msg = gzerror(lr->gz, &code);
		snprintf(lr->err, sizeof lr->err, "gzip: %s", msg);
		return -1;
	}
	/* gzread returns what it has of a cut gzip stream and flags the cut
	 * only through gzerror, so ask before calling it the end. */
	if (n == 0) {
		int code;
		const char *msg = gzerror(lr->gz, &code);
		if (code != Z_OK && code != Z_STREAM_END) {
			snprintf(lr->err, sizeof lr->err, "gzip: %s", msg);
			return -1;
		}
	}
	return n;
}

/* Moves unread bytes to the front and appends more; 1 read, 0 end, -1. */
static int fill(linereader_t *lr)
{
	if (lr->pos > 0) {
		memmove(lr->buf, lr->buf + lr->pos, lr->len - lr->pos);
		lr->len -= lr->pos;
		lr->pos = 0;
	}
	if (lr->len > IMP_UNIT_MAX) { /* all of it is one unfinished line */
		snprintf(lr->err, sizeof lr->err, "line %llu is longer than %u bytes",
		         (unsigned long long)lr->lineno + 1, IMP_UNIT_MAX);
		return -1;
	}
	if (lr->cap - lr->len < CHUNK + 1) {
		size_t ncap = lr->cap ? lr->cap * 2 : 4 * CHUNK;
		char *nb = realloc(lr->buf, ncap);
		if (!nb) {
			snprintf(lr->err, sizeof lr->err, "out of memory");
			return -1;
		}
		lr->buf = nb;
		lr->cap = ncap;
	}
	long n = lr->zd ? zstd_read(lr, lr->buf + lr->len, CHUNK)
	                : gz_read(lr, lr->buf + lr->len, CHUNK);
	if (n < 0)
		return -1;
	lr->len += (size_t)n;
	return n > 0;
}

int imp_lr_next(linereader_t *lr, char **line, size_t *len)
{
	size_t scanned = lr->pos;
	for (;;) {
		char *nl = scanned < lr->len ? memchr(lr->buf + scanned, '\n', lr->len - scanned)
		                             : NULL;
		if (nl || (lr->eof && lr->pos < lr->len)) {
			char *start = lr->buf + lr->pos;
			size_t n = nl ? (size_t)(nl - start) : lr->len - lr->pos;
			lr->pos += n + (nl != NULL);
			if (n > 0 && start[n - 1] == '\r')
				n--;
			start[n] = '\0'; /* fill() keeps a spare byte for this */
			lr->lineno++;
			*line = start;
			*len = n;
			return 1;
		}
		if (lr->eof)
			return 0;
		scanned = lr->len - lr->pos; /* offsets move when fill() compacts */
		int r = fill(lr);
		if (r < 0)
			return -1;
		if (r == 0)
			lr->eof = true;
		scanned += lr->pos;
	}
}

uint64_t imp_lr_lineno(const linereader_t *lr)
{
	return lr->lineno;
}

const char *imp_lr_error(const linereader_t *lr)
{
	return lr->err;
}

void imp_lr_close(linereader_t *lr)
{
	if (!lr)
		return;
	if (lr->gz)
		gzclose(lr->gz);
	if (lr->fp)
		fclose(lr->fp);
	ZSTD_freeDCtx(lr->zd);
	free(lr->zin);
	free(lr->buf);
	free(lr);
}
