/*
 * test_roundtrip.c - what is written is read back exactly: every event type
 * with every field at typical and extreme values, raw text kept or not, the
 * header, gzip; and the writer refuses what it cannot store faithfully.
 */
#include <criterion/criterion.h>

#include "rec_files.h"
#include "recording.h"
#include "sample_events.h"

static const enum fill fills[] = {FILL_TYPICAL, FILL_MAX, FILL_MIN};

/* Writes every (type, fill) pair into `path`, then reads the file back and
 * compares each event with a regenerated copy. */
static void roundtrip(const char *path, bool keep_raw, bool give_raw)
{
	struct sample *s = calloc(1, sizeof *s), *t = calloc(1, sizeof *t);
	char err[REC_ERR_MAX], what[64];
	struct rec_header h = test_header(keep_raw);
	ev_t ev, back;
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	for (int type = EV_NONE + 1; type < EV__COUNT; type++)
		for (size_t f = 0; f < 3; f++) {
			sample_event(s, &ev, type, fills[f], give_raw);
			cr_assert_eq(rec_writer_write(w, &ev), 0, "%s", err);
		}
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);

	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	for (int type = EV_NONE + 1; type < EV__COUNT; type++)
		for (size_t f = 0; f < 3; f++) {
			snprintf(what, sizeof what, "%s fill %zu", ev_type_name(type), f);
			sample_event(t, &ev, type, fills[f], give_raw);
			cr_assert_eq(rec_reader_next(r, &back), 1, "%s: %s", what, err);
			same_event(&ev, &back, keep_raw, what);
		}
	cr_expect_eq(rec_reader_next(r, &back), 0, "%s", err);
	cr_expect_str_empty(rec_reader_warning(r));
	cr_expect_eq(rec_reader_events(r), (uint64_t)(EV__COUNT - 1) * 3);
	rec_reader_close(r);
	free(s);
	free(t);
}

Test(roundtrip, every_type_and_field_with_raw)
{
	char p[300];
	roundtrip(tmp_path(p, sizeof p, "raw.hrec"), true, true);
}

Test(roundtrip, every_type_and_field_without_raw)
{
	char p[300];
	roundtrip(tmp_path(p, sizeof p, "noraw.hrec"), false, false);
}

Test(roundtrip, raw_text_dropped_unless_kept)
{
	char p[300];
	roundtrip(tmp_path(p, sizeof p, "dropped.hrec"), false, true);
}

Test(roundtrip, keep_raw_without_raw_text)
{
	char p[300];
	roundtrip(tmp_path(p, sizeof p, "keepnone.hrec"), true, false);
}

Test(roundtrip, gzip_written_and_read)
{
	char p[300];
	tmp_path(p, sizeof p, "all.hrec.gz");
	roundtrip(p, true, true);
	size_t n;
	unsigned char *bytes = slurp(p, &n);
	cr_expect(n > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b, "not gzip-compressed");
	free(bytes);
}

Test(roundtrip, gzip_of_a_plain_recording)
{
	char plain[300], gz[300], err[REC_ERR_MAX];
	ev_t evs[100];
	for (int i = 0; i < 100; i++)
		evs[i] = sample_tick(1000 + i, i);
	write_events(tmp_path(plain, sizeof plain, "plain.hrec"), evs, 100, false);
	size_t n, count;
	unsigned char *bytes = slurp(plain, &n);
	spit_gz(tmp_path(gz, sizeof gz, "plain.hrec.gz"), bytes, n);
	cr_expect_eq(read_all(gz, &count, err), 0, "%s", err);
	cr_expect_eq(count, 100);
	cr_expect_str_empty(err);
	free(bytes);
}

Test(roundtrip, header)
{
	char p[300], err[REC_ERR_MAX];
	write_events(tmp_path(p, sizeof p, "header.hrec"), NULL, 0, true);
	rec_reader *r = rec_reader_open(p, err);
	cr_assert_not_null(r, "%s", err);
	const struct rec_header *h = rec_reader_header(r);
	cr_expect_eq(h->format, REC_FORMAT);
	cr_expect_str_eq(h->source, "test");
	cr_expect_str_eq(h->command, "test_recording --x");
	cr_expect_str_eq(h->hunter_version, HUNTER_VERSION);
	cr_expect_eq(h->start_ns, 1722470400000000000LL);
	cr_expect(h->keep_raw);
	cr_expect_eq(h->part, 0);
	cr_assert_eq(h->nsymbols, 2);
	cr_expect_str_eq(h->symbols[0], "BTCUSDT");
	cr_expect_str_eq(h->symbols[1], "ETHUSDT");
	ev_t ev;
	cr_expect_eq(rec_reader_next(r, &ev), 0);
	size_t n;
	free(slurp(p, &n));
	cr_expect_eq(rec_reader_offset(r), n);
	rec_reader_close(r);
}

Test(roundtrip, empty_header_fields)
{
	char p[300], err[REC_ERR_MAX];
	struct rec_header h = {0};
	rec_writer *w = rec_writer_open(tmp_path(p, sizeof p, "bare.hrec"), &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	rec_reader *r = rec_reader_open(p, err);
	cr_assert_not_null(r, "%s", err);
	cr_expect_str_empty(rec_reader_header(r)->source);
	cr_expect_str_empty(rec_reader_header(r)->command);
	cr_expect_eq(rec_reader_header(r)->nsymbols, 0);
	rec_reader_close(r);
}

/* A header its own reader would refuse is never written. */
Test(writer, refuses_a_liquidation_delay_out_of_range)
{
	char p[300], err[REC_ERR_MAX];
	struct rec_header h = {.liq_arrival_delay_ms = REC_LIQ_DELAY_MAX_MS + 1};
	cr_assert_null(rec_writer_open(tmp_path(p, sizeof p, "delay.hrec"), &h, NULL, err));
	cr_expect(strstr(err, "arrival delay"), "%s", err);
	h.liq_arrival_delay_ms = REC_LIQ_DELAY_MAX_MS;
	rec_writer *w = rec_writer_open(p, &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	rec_reader *r = rec_reader_open(p, err);
	cr_assert_not_null(r, "%s", err);
	cr_expect_eq(rec_reader_header(r)->liq_arrival_delay_ms, REC_LIQ_DELAY_MAX_MS);
	rec_reader_close(r);
}

/* Each invalid event is refused with a reason; the writer goes on. */
Test(writer, refuses_invalid_events)
{
	char p[300], err[REC_ERR_MAX];
	struct rec_header h = test_header(false);
	rec_writer *w = rec_writer_open(tmp_path(p, sizeof p, "invalid.hrec"), &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	ev_t good = sample_tick(5, 1), bad;

	bad = good;
	bad.type = EV__COUNT;
	cr_expect_eq(rec_writer_write(w, &bad), -1);
	cr_expect(strstr(err, "unknown event type"), "%s", err);

	bad = good;
	bad.type = EV_LIQUIDATION;
	bad.u.liq.side = 3;
	cr_expect_eq(rec_writer_write(w, &bad), -1);
	cr_expect(strstr(err, "'side'"), "%s", err);

	bad = good;
	memset(bad.symbol, 'X', sizeof bad.symbol);
	cr_expect_eq(rec_writer_write(w, &bad), -1);
	cr_expect(strstr(err, "'symbol'"), "%s", err);

	memset(&bad, 0, sizeof bad);
	bad.type = EV_DEPTH_UPDATE;
	bad.u.depth.nbids = 2;
	cr_expect_eq(rec_writer_write(w, &bad), -1);
	cr_expect(strstr(err, "'bids'"), "%s", err);

	bad = good;
	bad.raw_len = 10;
	cr_expect_eq(rec_writer_write(w, &bad), 0, "raw text is not kept in this file: %s", err);

	cr_expect_eq(rec_writer_write(w, &good), 0, "%s", err);
	cr_expect_eq(rec_writer_events(w), 2);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	size_t n;
	cr_expect_eq(read_all(p, &n, err), 0, "%s", err);
	cr_expect_eq(n, 2);
}

Test(writer, refuses_raw_length_without_text)
{
	char p[300], err[REC_ERR_MAX];
	struct rec_header h = test_header(true);
	rec_writer *w = rec_writer_open(tmp_path(p, sizeof p, "raw.hrec"), &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	ev_t ev = sample_tick(5, 1);
	ev.raw_len = 10;
	cr_expect_eq(rec_writer_write(w, &ev), -1);
	cr_expect(strstr(err, "'raw' has 10 bytes but no text"), "%s", err);
	cr_expect_eq(rec_writer_close(w), 0, "%s", err);
}

Test(writer, reports_a_full_disk)
{
	char err[REC_ERR_MAX] = "";
	struct rec_header h = test_header(false);
	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full here");
	rec_writer *w = rec_writer_open("/dev/full", &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	ev_t ev = sample_tick(1, 1);
	int failed = 0;
	/* more than the write buffer, so a write has to reach the device */
	for (int i = 0; i < 100000 && !failed; i++)
		failed = rec_writer_write(w, &ev) < 0;
	failed |= rec_writer_close(w) < 0;
	cr_expect(failed, "the writer did not notice");
	cr_expect(strstr(err, "No space left on device"), "%s", err);
}

Test(writer, reports_an_uncreatable_file)
{
	char err[REC_ERR_MAX];
	struct rec_header h = test_header(false);
	cr_expect_null(rec_writer_open("/nonexistent-dir/x.hrec", &h, NULL, err));
	cr_expect(strstr(err, "/nonexistent-dir/x.hrec: cannot create"), "%s", err);
}

Test(writer, refuses_a_long_header_symbol)
{
	char p[300], err[REC_ERR_MAX];
	const char *syms[] = {"THIS_SYMBOL_NAME_IS_FAR_TOO_LONG"};
	struct rec_header h = {.nsymbols = 1, .symbols = syms};
	cr_expect_null(rec_writer_open(tmp_path(p, sizeof p, "long.hrec"), &h, NULL, err));
	cr_expect(strstr(err, "symbol 0"), "%s", err);
}

/* Every msgpack integer width, at both ends of its range. */
Test(roundtrip, integer_encodings)
{
	static const int64_t values[] = {
		0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL, INT64_MAX,
		-1, -32, -33, -128, -129, -32768, -32769, INT32_MIN, (int64_t)INT32_MIN - 1,
		INT64_MIN + 1, INT64_MIN,
	};
	enum { N = sizeof values / sizeof values[0] };
	char p[300], err[REC_ERR_MAX];
	ev_t evs[N], back;
	for (int i = 0; i < N; i++) {
		evs[i] = sample_tick(0, i);
		evs[i].exch_ms = values[i];
		evs[i].recv_ns = values[N - 1 - i];
		evs[i].u.book.update_id = values[i];
		evs[i].u.book.bid = values[i];
	}
	write_events(tmp_path(p, sizeof p, "ints.hrec"), evs, N, false);
	rec_reader *r = rec_reader_open(p, err);
	cr_assert_not_null(r, "%s", err);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(rec_reader_next(r, &back), 1, "%s", err);
		same_event(&evs[i], &back, false, "integer");
	}
	rec_reader_close(r);
}
