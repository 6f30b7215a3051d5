/*
 * test_rotation.c - a long capture as a set of files: naming, rotation by
 * size and by exchange time, a header in every part, and nothing lost or
 * reordered across the parts.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "rec_files.h"
#include "recording.h"
#include "sample_events.h"

Test(part_path, naming)
{
	char buf[64];
	cr_expect_eq(rec_part_path(buf, sizeof buf, "dir/cap.hrec", 1), 0);
	cr_expect_str_eq(buf, "dir/cap.0001.hrec");
	cr_expect_eq(rec_part_path(buf, sizeof buf, "cap.hrec.gz", 27), 0);
	cr_expect_str_eq(buf, "cap.0027.hrec.gz");
	cr_expect_eq(rec_part_path(buf, sizeof buf, "cap.bin", 3), 0);
	cr_expect_str_eq(buf, "cap.bin.0003");
	cr_expect_eq(rec_part_path(buf, sizeof buf, "cap.hrec", 12345), 0);
	cr_expect_str_eq(buf, "cap.12345.hrec");
	cr_expect_eq(rec_part_path(buf, 13, "cap.hrec", 1), -1);
}

/* Writes `n` ticks, the i-th at times[i], with `rot` to base `name`; returns
 * the number of parts. */
static uint32_t write_rotated(const char *name, const int64_t *times, size_t n,
                              struct rec_rotation rot, char base[300])
{
	char err[REC_ERR_MAX];
	struct rec_header h = test_header(false);
	rec_writer *w = rec_writer_open(tmp_path(base, 300, name), &h, &rot, err);
	cr_assert_not_null(w, "%s", err);
	for (size_t i = 0; i < n; i++) {
		ev_t ev = sample_tick(times[i], (int64_t)i);
		cr_assert_eq(rec_writer_write(w, &ev), 0, "%s", err);
	}
	uint32_t parts = rec_writer_parts(w);
	cr_expect_eq(rec_writer_events(w), n);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	return parts;
}

/* Reads the parts in order: every event once, in write order, each part
 * with its own header and part number. `check` sees each part's events. */
static void read_parts(const char *base, uint32_t parts, size_t n,
                       void (*check)(uint32_t part, const ev_t *ev, size_t count))
{
	char path[300], err[REC_ERR_MAX];
	struct stat st;
	size_t next = 0;
	for (uint32_t part = 1; part <= parts; part++) {
		cr_assert_eq(rec_part_path(path, sizeof path, base, part), 0);
		rec_reader *r = rec_reader_open(path, err);
		cr_assert_not_null(r, "%s", err);
		cr_expect_eq(rec_reader_header(r)->part, part);
		cr_expect_str_eq(rec_reader_header(r)->source, "test");
		ev_t ev;
		size_t count = 0;
		while (rec_reader_next(r, &ev) > 0) {
			cr_expect_eq(ev.u.book.update_id, (int64_t)next, "part %u", part);
			next++;
			count++;
			if (check)
				check(part, &ev, count);
		}
		cr_expect_str_empty(rec_reader_warning(r));
		cr_expect_gt(count, 0, "part %u is empty", part);
		rec_reader_close(r);
	}
	cr_expect_eq(next, n);
	cr_assert_eq(rec_part_path(path, sizeof path, base, parts + 1), 0);
	cr_expect_neq(stat(path, &st), 0, "%s should not exist", path);
}

Test(rotation, by_size)
{
	enum { N = 2000 };
	static int64_t times[N];
	char base[300], path[300];
	struct stat st;
	for (int i = 0; i < N; i++)
		times[i] = 1722470400000LL + i;
	uint32_t parts = write_rotated("size.hrec", times, N, (struct rec_rotation){4096, 0}, base);
	cr_expect_gt(parts, 10);
	for (uint32_t part = 1; part <= parts; part++) {
		rec_part_path(path, sizeof path, base, part);
		cr_assert_eq(stat(path, &st), 0, "%s missing", path);
		cr_expect_leq(st.st_size, 4096, "%s has %lld bytes", path, (long long)st.st_size);
		if (part < parts)
			cr_expect_gt(st.st_size, 4096 - 64, "%s is not full", path);
	}
	read_parts(base, parts, N, NULL);
}

static void same_minute(uint32_t part, const ev_t *ev, size_t count)
{
	static int64_t minute;
	if (count == 1)
		minute = ev->exch_ms / 60000;
	/* the one event that goes back in time stays where it was written */
	if (ev->exch_ms != 1722470460000LL + 30000 - 90000)
		cr_expect_eq(ev->exch_ms / 60000, minute, "part %u mixes minutes", part);
}

Test(rotation, by_exchange_time)
{
	enum { N = 600 };
	static int64_t times[N];
	char base[300];
	/* 10 minutes from 12:01:00.000 in 1 s steps, one event going back 90 s */
	for (int i = 0; i < N; i++)
		times[i] = 1722470460000LL + i * 1000LL;
	times[30] -= 90000;
	struct rec_rotation rot = {.every_ms = 60000};
	uint32_t parts = write_rotated("time.hrec", times, N, rot, base);
	cr_expect_eq(parts, 10);
	read_parts(base, parts, N, same_minute);
}

Test(rotation, gzip_parts_by_size_and_time)
{
	enum { N = 3000 };
	static int64_t times[N];
	char base[300], path[300];
	for (int i = 0; i < N; i++)
		times[i] = 1722470400000LL + i * 100LL; /* 5 minutes */
	uint32_t parts = write_rotated("both.hrec.gz", times, N,
	                               (struct rec_rotation){20000, 60000}, base);
	cr_expect_gt(parts, 5);
	read_parts(base, parts, N, NULL);
	size_t n;
	rec_part_path(path, sizeof path, base, 1);
	unsigned char *bytes = slurp(path, &n);
	cr_expect(bytes[0] == 0x1f && bytes[1] == 0x8b, "part 1 is not gzip-compressed");
	free(bytes);
}

Test(rotation, off_means_one_file)
{
	enum { N = 100 };
	static int64_t times[N];
	char base[300];
	size_t n;
	for (int i = 0; i < N; i++)
		times[i] = i * 3600000LL;
	cr_expect_eq(write_rotated("one.hrec", times, N, (struct rec_rotation){0, 0}, base), 1);
	char err[REC_ERR_MAX];
	cr_expect_eq(read_all(base, &n, err), 0, "%s", err);
	cr_expect_eq(n, N);
}
