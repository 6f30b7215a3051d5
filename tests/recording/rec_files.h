/*
 * rec_files.h - file helpers for the recording and replay tests: a private
 * temporary folder, whole-file reads and writes, gzip, and writing a list of
 * events as a recording.
 */
#ifndef HUNTER_TEST_REC_FILES_H
#define HUNTER_TEST_REC_FILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "support.h"
#include "recording.h"

static char tmp_dir_path[256];

/* The tests put only plain files in the folder. */
static inline void tmp_cleanup(void)
{
	char path[512];
	DIR *d = opendir(tmp_dir_path);
	for (struct dirent *e; d && (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof path, "%s/%s", tmp_dir_path, e->d_name);
			remove(path);
		}
	if (d)
		closedir(d);
	rmdir(tmp_dir_path);
}

/* A fresh folder under TMPDIR for this test (each test runs in its own
 * process), removed with its files when the process exits. */
static inline const char *tmp_dir(void)
{
	if (!tmp_dir_path[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(tmp_dir_path, sizeof tmp_dir_path, "%s/hunter-rec-XXXXXX",
		         base ? base : "/tmp");
		cr_assert_not_null(mkdtemp(tmp_dir_path), "mkdtemp failed");
		atexit(tmp_cleanup);
	}
	return tmp_dir_path;
}

static inline char *tmp_path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", tmp_dir(), name);
	return buf;
}

static inline unsigned char *slurp(const char *path, size_t *n)
{
	return (unsigned char *)test_read_file(path, n);
}

static inline void spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot create %s", path);
	cr_assert_eq(fwrite(p, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

static inline void spit_gz(const char *path, const void *p, size_t n)
{
	gzFile gz = gzopen(path, "wb");
	cr_assert_not_null(gz);
	cr_assert_eq(gzwrite(gz, p, (unsigned)n), (int)n);
	cr_assert_eq(gzclose(gz), Z_OK);
}

static inline struct rec_header test_header(bool keep_raw)
{
	static const char *const syms[] = {"BTCUSDT", "ETHUSDT"};
	return (struct rec_header){.source = "test", .command = "test_recording --x",
	                           .start_ns = 1722470400000000000LL, .keep_raw = keep_raw,
	                           .nsymbols = 2, .symbols = syms};
}

/* Writes n events to `path` as one recording, asserting success. */
static inline void write_events(const char *path, const ev_t *evs, size_t n, bool keep_raw)
{
	char err[REC_ERR_MAX];
	struct rec_header h = test_header(keep_raw);
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(rec_writer_write(w, &evs[i]), 0, "%s", err);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
}

/* Reads a recording to its end; returns the last rec_reader_next result
 * (0 or -1), the events read in *n, and the message (error or warning) in
 * `msg`. Returns -2 if it does not even open. */
static inline int read_all(const char *path, size_t *n, char msg[REC_ERR_MAX])
{
	ev_t ev;
	int rc;
	rec_reader *r = rec_reader_open(path, msg);
	*n = 0;
	if (!r)
		return -2;
	while ((rc = rec_reader_next(r, &ev)) > 0)
		(*n)++;
	if (rc == 0)
		snprintf(msg, REC_ERR_MAX, "%s", rec_reader_warning(r));
	rec_reader_close(r);
	return rc;
}

#endif
