/*
 * test_merge.c - replay merges recordings in exchange-time order, stably
 * (file order, then order within a file), keeps each file's own order where
 * its time goes back, and passes on the files' errors and warnings.
 */
#include <criterion/criterion.h>

#include "recording/rec_files.h"
#include "recording/sample_events.h"
#include "replay.h"

/* Event `pos` of file `file` carries the id file * 10000 + pos. */
static void write_times(const char *name, int file, const int64_t *times, size_t n,
                        char path[300])
{
	ev_t *evs = calloc(n ? n : 1, sizeof *evs);
	for (size_t i = 0; i < n; i++)
		evs[i] = sample_tick(times[i], file * 10000 + (int64_t)i);
	write_events(tmp_path(path, 300, name), evs, n, false);
	free(evs);
}

/* Replays `paths` and checks the ids come out as `want`. */
static void expect_ids(const char *const *paths, size_t nfiles, const int64_t *want, size_t n)
{
	char err[REC_ERR_MAX];
	replay *rp = replay_open(paths, nfiles, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	size_t i = 0;
	int rc;
	while ((rc = replay_next(rp, &ev)) > 0) {
		cr_assert_lt(i, n, "more events than expected");
		cr_expect_eq(ev.u.book.update_id, want[i], "event %zu: id %lld, want %lld", i,
		             (long long)ev.u.book.update_id, (long long)want[i]);
		cr_expect_eq(replay_source(rp), (size_t)(want[i] / 10000), "event %zu: source", i);
		i++;
	}
	cr_expect_eq(rc, 0, "%s", err);
	cr_expect_eq(i, n);
	cr_expect_eq(replay_events(rp), n);
	replay_close(rp);
}

Test(merge, time_order_and_ties)
{
	static const int64_t a[] = {1, 3, 5, 5, 7}, b[] = {2, 3, 5, 8}, c[] = {0, 5, 5, 9};
	char pa[300], pb[300], pc[300];
	write_times("a.hrec", 0, a, 5, pa);
	write_times("b.hrec", 1, b, 4, pb);
	write_times("c.hrec", 2, c, 4, pc);
	const char *paths[] = {pa, pb, pc};
	/* time 5: a's two, then b's, then c's two, each in file order */
	static const int64_t want[] = {20000, 0, 10000, 1, 10001, 2, 3, 10002,
	                               20001, 20002, 4, 10003, 20003};
	expect_ids(paths, 3, want, 13);
}

Test(merge, a_single_file)
{
	static const int64_t a[] = {3, 1, 2};
	char pa[300];
	write_times("one.hrec", 0, a, 3, pa);
	const char *paths[] = {pa};
	static const int64_t want[] = {0, 1, 2};
	expect_ids(paths, 1, want, 3);
}

Test(merge, file_order_decides_equal_times)
{
	static const int64_t t[] = {42, 42, 42};
	char pa[300], pb[300];
	write_times("a.hrec", 0, t, 3, pa);
	write_times("b.hrec", 1, t, 3, pb);
	const char *ab[] = {pa, pb}, *ba[] = {pb, pa};
	static const int64_t want_ab[] = {0, 1, 2, 10000, 10001, 10002};
	expect_ids(ab, 2, want_ab, 6);
	/* the same files the other way round: file index is the position given */
	write_times("a.hrec", 1, t, 3, pa);
	write_times("b.hrec", 0, t, 3, pb);
	expect_ids(ba, 2, want_ab, 6);
}

Test(merge, a_file_going_back_in_time_keeps_its_order)
{
	static const int64_t a[] = {10, 5, 20}, b[] = {7, 8};
	char pa[300], pb[300], err[REC_ERR_MAX];
	write_times("a.hrec", 0, a, 3, pa);
	write_times("b.hrec", 1, b, 2, pb);
	const char *paths[] = {pa, pb};
	static const int64_t want[] = {10000, 10001, 0, 1, 2};
	expect_ids(paths, 2, want, 5);

	replay *rp = replay_open(paths, 2, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	while (replay_next(rp, &ev) > 0)
		;
	cr_expect_eq(replay_out_of_order(rp), 1);
	cr_expect_eq(rec_reader_out_of_order(replay_reader(rp, 0)), 1);
	cr_expect_eq(rec_reader_events(replay_reader(rp, 0)), 3);
	cr_expect_eq(rec_reader_events(replay_reader(rp, 1)), 2);
	replay_close(rp);
}

/* Many files with many ties against a reference stable sort. */
Test(merge, random_files_against_a_stable_sort)
{
	enum { FILES = 5, PER = 2000 };
	static int64_t times[FILES][PER];
	static int64_t want[FILES * PER], key[FILES * PER];
	char names[FILES][300];
	const char *paths[FILES];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int f = 0; f < FILES; f++) {
		int64_t t = 1000;
		for (int i = 0; i < PER; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			t += (int64_t)(x % 4); /* many equal times within and across files */
			times[f][i] = t;
		}
		char name[32];
		snprintf(name, sizeof name, "r%d.hrec", f);
		write_times(name, f, times[f], PER, names[f]);
		paths[f] = names[f];
	}
	/* insertion into a list sorted by (time, file, position) */
	size_t n = 0;
	for (int f = 0; f < FILES; f++)
		for (int i = 0; i < PER; i++) {
			size_t j = n++;
			while (j && key[j - 1] > times[f][i]) {
				key[j] = key[j - 1];
				want[j] = want[j - 1];
				j--;
			}
			key[j] = times[f][i];
			want[j] = f * 10000 + i;
		}
	expect_ids(paths, FILES, want, n);
}

/* The arrays of the returned event stay valid while other files are read. */
Test(merge, arrays_survive_until_the_next_call)
{
	struct sample *s = calloc(1, sizeof *s), *t = calloc(1, sizeof *t);
	ev_t evs[2], ev;
	char pa[300], pb[300], err[REC_ERR_MAX];
	sample_event(s, &evs[0], EV_DEPTH_SNAPSHOT, FILL_TYPICAL, false);
	evs[0].exch_ms = 1;
	write_events(tmp_path(pa, sizeof pa, "a.hrec"), evs, 1, false);
	sample_event(s, &evs[1], EV_DEPTH_UPDATE, FILL_MAX, false);
	evs[1].exch_ms = 2;
	write_events(tmp_path(pb, sizeof pb, "b.hrec"), &evs[1], 1, false);
	const char *paths[] = {pa, pb};
	replay *rp = replay_open(paths, 2, err);
	cr_assert_not_null(rp, "%s", err);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(replay_next(rp, &ev), 1, "%s", err);
		sample_event(t, &evs[i], i ? EV_DEPTH_UPDATE : EV_DEPTH_SNAPSHOT,
		             i ? FILL_MAX : FILL_TYPICAL, false);
		evs[i].exch_ms = i + 1;
		same_event(&evs[i], &ev, false, i ? "second" : "first");
	}
	cr_expect_eq(replay_next(rp, &ev), 0);
	replay_close(rp);
	free(s);
	free(t);
}

Test(merge, errors_name_the_file_and_offset)
{
	static const int64_t t[] = {1, 2, 3, 4, 5, 6};
	char pa[300], pb[300], err[REC_ERR_MAX];
	size_t n;
	write_times("good.hrec", 0, t, 6, pa);
	write_times("bad.hrec", 1, t, 6, pb);
	unsigned char *bytes = slurp(pb, &n);
	bytes[n - 3] ^= 1; /* inside the last frame */
	spit(pb, bytes, n);
	free(bytes);
	const char *paths[] = {pa, pb};
	replay *rp = replay_open(paths, 2, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	int rc, count = 0;
	while ((rc = replay_next(rp, &ev)) > 0)
		count++;
	cr_expect_eq(rc, -1);
	cr_expect_eq(replay_next(rp, &ev), -1, "errors are final");
	cr_expect(strstr(err, pb) && strstr(err, "corrupt") && strstr(err, "at byte"), "%s", err);
	cr_expect_geq(count, 10);
	replay_close(rp);
}

Test(merge, warnings_are_kept_per_file)
{
	static const int64_t t[] = {1, 2, 3};
	char pa[300], pb[300], err[REC_ERR_MAX];
	size_t n;
	write_times("whole.hrec", 0, t, 3, pa);
	write_times("cut.hrec", 1, t, 3, pb);
	unsigned char *bytes = slurp(pb, &n);
	spit(pb, bytes, n - 5);
	free(bytes);
	const char *paths[] = {pa, pb};
	replay *rp = replay_open(paths, 2, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	int rc, count = 0;
	while ((rc = replay_next(rp, &ev)) > 0)
		count++;
	cr_expect_eq(rc, 0, "%s", err);
	cr_expect_eq(count, 5);
	cr_expect_str_empty(rec_reader_warning(replay_reader(rp, 0)));
	const char *w = rec_reader_warning(replay_reader(rp, 1));
	cr_expect(strstr(w, pb) && strstr(w, "cut short") && strstr(w, "after 2 complete events"),
	          "%s", w);
	cr_expect_eq(replay_nfiles(rp), 2);
	replay_close(rp);
}

Test(merge, open_failures)
{
	char pa[300], err[REC_ERR_MAX];
	static const int64_t t[] = {1};
	write_times("ok.hrec", 0, t, 1, pa);
	const char *paths[] = {pa, "/nonexistent/x.hrec"};
	cr_expect_null(replay_open(paths, 2, err));
	cr_expect(strstr(err, "/nonexistent/x.hrec: cannot open"), "%s", err);
	cr_expect_null(replay_open(paths, 0, err));
	cr_expect(strstr(err, "no recording"), "%s", err);
}
