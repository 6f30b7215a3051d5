/*
 * test_damage.c - the reader on files that are cut short, corrupt or not
 * recordings at all: it reads what is sound, then stops with a warning (cut
 * short) or an error naming the byte offset (anything else), and never
 * crashes or allocates without bound.
 */
#include <criterion/criterion.h>
#include <msgpack.h>
#include <zlib.h>

#include "format_int.h" /* rec_crc32c, to forge frames with a valid CRC */
#include "rec_files.h"
#include "recording.h"
#include "sample_events.h"

#define SMALL_EVENTS 6

/* A small recording with raw text and arrays; *ends gets the offset at
 * which each event's frame ends, ends[0] being the end of the header. */
static unsigned char *small_file(const char *path, size_t *n, uint64_t ends[SMALL_EVENTS + 1])
{
	static const int types[SMALL_EVENTS] = {EV_EXCHANGE_INFO, EV_BOOK_TICKER, EV_DEPTH_UPDATE,
	                                        EV_AGG_TRADE, EV_LIQUIDATION, EV_GAP};
	struct sample *s = calloc(1, sizeof *s);
	ev_t evs[SMALL_EVENTS];
	char err[REC_ERR_MAX];
	struct rec_header h = test_header(true);
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	for (int i = 0; i < SMALL_EVENTS; i++) {
		sample_event(s, &evs[i], types[i], FILL_TYPICAL, true);
		cr_assert_eq(rec_writer_write(w, &evs[i]), 0, "%s", err);
	}
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);
	free(s);

	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	ends[0] = rec_reader_offset(r);
	for (int i = 1; i <= SMALL_EVENTS; i++) {
		cr_assert_eq(rec_reader_next(r, &evs[0]), 1, "%s", err);
		ends[i] = rec_reader_offset(r);
	}
	rec_reader_close(r);
	return slurp(path, n);
}

Test(truncation, every_byte_of_a_plain_file)
{
	char full[300], cut[300], msg[REC_ERR_MAX], want[64];
	uint64_t ends[SMALL_EVENTS + 1];
	size_t n, count;
	unsigned char *bytes = small_file(tmp_path(full, sizeof full, "full.hrec"), &n, ends);
	tmp_path(cut, sizeof cut, "cut.hrec");
	for (size_t len = 1; len < n; len++) {
		spit(cut, bytes, len);
		int rc = read_all(cut, &count, msg);
		cr_assert_eq(rc, 0, "cut at %zu: rc %d: %s", len, rc, msg);
		size_t complete = 0;
		while (complete < SMALL_EVENTS && ends[complete + 1] <= len)
			complete++;
		cr_assert_eq(count, complete, "cut at %zu: %zu events", len, count);
		bool boundary = len == ends[complete];
		if (boundary) {
			cr_assert_str_empty(msg, "cut at a frame boundary %zu: %s", len, msg);
			continue;
		}
		snprintf(want, sizeof want, "after %zu complete events", complete);
		cr_assert(strstr(msg, "cut short") && strstr(msg, want), "cut at %zu: %s", len,
		          msg);
		uint64_t at = len >= ends[complete] ? ends[complete] : len < 12 ? 0 : 12;
		snprintf(want, sizeof want, "at byte %llu", (unsigned long long)at);
		cr_assert(strstr(msg, want), "cut at %zu: '%s' lacks '%s'", len, msg, want);
	}
	free(bytes);
}

Test(truncation, every_byte_of_a_gzip_file)
{
	char full[300], gz[300], cut[300], msg[REC_ERR_MAX];
	uint64_t ends[SMALL_EVENTS + 1];
	size_t n, zn, count, last = 0;
	unsigned char *bytes = small_file(tmp_path(full, sizeof full, "full.hrec"), &n, ends);
	spit_gz(tmp_path(gz, sizeof gz, "full.hrec.gz"), bytes, n);
	unsigned char *zbytes = slurp(gz, &zn);
	tmp_path(cut, sizeof cut, "cut.hrec.gz");
	/* Below 2 bytes the gzip magic itself is incomplete, and zlib passes
	 * the bytes through as they are: a foreign file. */
	for (size_t len = 2; len < zn; len++) {
		spit(cut, zbytes, len);
		int rc = read_all(cut, &count, msg);
		cr_assert_eq(rc, 0, "cut at %zu: %s", len, msg);
		cr_assert(strstr(msg, "cut short"), "cut at %zu of %zu: no warning", len, zn);
		cr_assert(count >= last && count <= SMALL_EVENTS, "cut at %zu: %zu events", len,
		          count);
		last = count;
	}
	free(bytes);
	free(zbytes);
}

/* A flipped bit (the lowest, then the highest, of every byte in turn) is
 * always caught: an error naming a byte, or a stop with a warning (a length
 * that now points past the end of the file looks cut short). */
Test(corruption, every_byte_flipped)
{
	char full[300], bad[300], msg[REC_ERR_MAX];
	uint64_t ends[SMALL_EVENTS + 1];
	size_t n, count;
	unsigned char *bytes = small_file(tmp_path(full, sizeof full, "full.hrec"), &n, ends);
	tmp_path(bad, sizeof bad, "bad.hrec");
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			bytes[i] ^= (unsigned char)(1u << bit);
			spit(bad, bytes, n);
			bytes[i] ^= (unsigned char)(1u << bit);
			int rc = read_all(bad, &count, msg);
			const char *want = rc == 0 ? "cut short" : "byte";
			cr_assert(strstr(msg, want), "flip at %zu: '%s' lacks '%s'", i, msg, want);
			cr_assert(count < SMALL_EVENTS || (rc == 0 && msg[0]),
			          "flip at %zu went unnoticed", i);
		}
	}
	free(bytes);
}

Test(corruption, random_overwrites)
{
	char full[300], bad[300], msg[REC_ERR_MAX];
	uint64_t ends[SMALL_EVENTS + 1], x = 88172645463325252ULL;
	size_t n, count;
	unsigned char *bytes = small_file(tmp_path(full, sizeof full, "full.hrec"), &n, ends);
	unsigned char *copy = malloc(n);
	tmp_path(bad, sizeof bad, "bad.hrec");
	for (int round = 0; round < 300; round++) {
		memcpy(copy, bytes, n);
		for (int k = 0; k < 1 + round % 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
			copy[x % n] = (unsigned char)(x >> 32);
		}
		spit(bad, copy, n);
		int rc = read_all(bad, &count, msg);
		cr_assert(rc == 0 || strstr(msg, "byte"), "round %d: '%s'", round, msg);
	}
	free(copy);
	free(bytes);
}

static void expect_refused(const char *name, const void *p, size_t n, bool gz, const char *why)
{
	char path[300], msg[REC_ERR_MAX];
	size_t count;
	tmp_path(path, sizeof path, name);
	if (gz)
		spit_gz(path, p, n);
	else
		spit(path, p, n);
	int rc = read_all(path, &count, msg);
	cr_expect(rc < 0, "%s was accepted", name);
	cr_expect(strstr(msg, path) && strstr(msg, why), "%s: '%s' lacks '%s'", name, msg, why);
}

Test(foreign, text_empty_gzip_garbage)
{
	static const char text[] = "timestamp,symbol,price\n1,BTCUSDT,60000\n";
	expect_refused("text.csv", text, sizeof text - 1, false, "wrong magic at byte 0");
	expect_refused("empty.hrec", "", 0, false, "empty file");
	expect_refused("text.hrec.gz", text, sizeof text - 1, true, "wrong magic at byte 0");
	static const unsigned char bad_deflate[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
	                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	expect_refused("bad.hrec.gz", bad_deflate, sizeof bad_deflate, false, "read failed");
	expect_refused("magic-only.hrec", "\x89HREC\r\n\x1a\x02\0\0\0", 12, false,
	               "format version 2");
	expect_refused("ascii-magic.hrec", "\x89HREC\n\x1a", 7, false, "wrong magic at byte 5");
}

Test(foreign, a_directory)
{
	char msg[REC_ERR_MAX];
	size_t count;
	cr_expect_eq(read_all(tmp_dir(), &count, msg), -2);
	cr_expect(strstr(msg, tmp_dir()), "%s", msg);
}

/* Hand-made frames with a correct CRC: the body itself must be checked. */
struct hand {
	msgpack_sbuffer sb;
	msgpack_packer pk;
};

static void hand_start(struct hand *h)
{
	msgpack_sbuffer_init(&h->sb);
	msgpack_packer_init(&h->pk, &h->sb, msgpack_sbuffer_write);
}

/* A valid empty recording, then the frame in h; returns the frame's offset. */
static size_t hand_file(const char *name, struct hand *h, char path[300])
{
	size_t hn;
	write_events(tmp_path(path, 300, "empty.hrec"), NULL, 0, false);
	unsigned char *head = slurp(path, &hn);
	size_t n = hn + 8 + h->sb.size;
	unsigned char *p = malloc(n);
	memcpy(p, head, hn);
	uint32_t len = (uint32_t)h->sb.size;
	uint32_t crc = rec_crc32c(h->sb.data, h->sb.size);
	for (int i = 0; i < 4; i++) {
		p[hn + i] = (unsigned char)(len >> 8 * i);
		p[hn + 4 + i] = (unsigned char)(crc >> 8 * i);
	}
	memcpy(p + hn + 8, h->sb.data, h->sb.size);
	spit(tmp_path(path, 300, name), p, n);
	free(p);
	free(head);
	msgpack_sbuffer_destroy(&h->sb);
	return hn;
}

static void expect_frame_error(const char *name, struct hand *h, const char *why, size_t delta)
{
	char path[300], msg[REC_ERR_MAX], want[96];
	size_t count;
	size_t at = hand_file(name, h, path);
	cr_expect_eq(read_all(path, &count, msg), -1, "%s: %s", name, msg);
	cr_expect(strstr(msg, why), "%s: '%s' lacks '%s'", name, msg, why);
	snprintf(want, sizeof want, "frame at byte %zu", at);
	cr_expect(strstr(msg, want), "%s: '%s' lacks '%s'", name, msg, want);
	snprintf(want, sizeof want, "(byte %zu)", at + 8 + delta);
	cr_expect(strstr(msg, want), "%s: '%s' lacks '%s'", name, msg, want);
}

static void pack_common(struct hand *h, unsigned count, unsigned type)
{
	msgpack_pack_array(&h->pk, count);
	msgpack_pack_unsigned_int(&h->pk, type);
	msgpack_pack_int64(&h->pk, 1);
	msgpack_pack_int64(&h->pk, 2);
	msgpack_pack_str(&h->pk, 3);
	msgpack_pack_str_body(&h->pk, "BTC", 3);
	msgpack_pack_nil(&h->pk);
}

Test(invalid_frame, unknown_type)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 5, 99);
	expect_frame_error("type.hrec", &h, "unknown event type 99", 1);
}

Test(invalid_frame, wrong_value_count)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 5, EV_BOOK_TICKER);
	expect_frame_error("count.hrec", &h, "event frame has 5 values", 0);
}

Test(invalid_frame, wrong_value_type)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 11, EV_BOOK_TICKER);
	msgpack_pack_int64(&h.pk, 1);
	msgpack_pack_int64(&h.pk, 2);
	msgpack_pack_str(&h.pk, 1); /* bid as a string */
	msgpack_pack_str_body(&h.pk, "1", 1);
	expect_frame_error("string.hrec", &h, "book_ticker field 'bid': expected an integer", 11);
}

Test(invalid_frame, enum_out_of_range)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 8, EV_GAP);
	msgpack_pack_unsigned_int(&h.pk, 9);
	expect_frame_error("enum.hrec", &h, "field 'kind': value 9 is out of range", 9);
}

Test(invalid_frame, array_count_beyond_the_frame)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 11, EV_DEPTH_UPDATE);
	for (int i = 0; i < 4; i++)
		msgpack_pack_int64(&h.pk, i);
	msgpack_pack_array(&h.pk, 0xffffffffu); /* bids: four billion, none present */
	expect_frame_error("huge.hrec", &h, "array claims 4294967295 elements", 13);
}

Test(invalid_frame, trailing_bytes)
{
	struct hand h;
	hand_start(&h);
	pack_common(&h, 8, EV_GAP);
	msgpack_pack_unsigned_int(&h.pk, GAP_RESTART);
	msgpack_pack_int64(&h.pk, 5);
	msgpack_pack_str(&h.pk, 0);
	msgpack_pack_nil(&h.pk);
	expect_frame_error("trailing.hrec", &h, "1 bytes after the last value", 12);
}

Test(invalid_frame, long_symbol)
{
	struct hand h;
	hand_start(&h);
	msgpack_pack_array(&h.pk, 8);
	msgpack_pack_unsigned_int(&h.pk, EV_GAP);
	msgpack_pack_int64(&h.pk, 1);
	msgpack_pack_int64(&h.pk, 2);
	msgpack_pack_str(&h.pk, 40);
	msgpack_pack_str_body(&h.pk, "0123456789012345678901234567890123456789", 40);
	expect_frame_error("symbol.hrec", &h, "field 'symbol': string longer than 23 bytes", 4);
}

Test(invalid_frame, frame_length_over_the_maximum)
{
	char path[300], msg[REC_ERR_MAX];
	size_t hn, count;
	write_events(tmp_path(path, sizeof path, "empty.hrec"), NULL, 0, false);
	unsigned char *p = slurp(path, &hn);
	p = realloc(p, hn + 8);
	memcpy(p + hn, "\xff\xff\xff\x7f\0\0\0\0", 8);
	spit(path, p, hn + 8);
	cr_expect_eq(read_all(path, &count, msg), -1);
	cr_expect(strstr(msg, "claims 2147483647 bytes, more than the maximum"), "%s", msg);
	free(p);
}

Test(invalid_frame, crc_mismatch_names_the_frame)
{
	char path[300], msg[REC_ERR_MAX], want[64];
	uint64_t ends[SMALL_EVENTS + 1];
	size_t n, count;
	unsigned char *bytes = small_file(tmp_path(path, sizeof path, "crc.hrec"), &n, ends);
	bytes[ends[2] + 10] ^= 0x20; /* inside the third event */
	spit(path, bytes, n);
	cr_expect_eq(read_all(path, &count, msg), -1);
	cr_expect_eq(count, 2);
	snprintf(want, sizeof want, "frame at byte %llu is corrupt", (unsigned long long)ends[2]);
	cr_expect(strstr(msg, want), "%s", msg);
	free(bytes);
}

/* A file whose header frame body is the one packed in h. */
static void header_file(const char *name, struct hand *h, char path[300])
{
	size_t n = REC_PREAMBLE_LEN + 8 + h->sb.size;
	unsigned char *p = malloc(n);
	memcpy(p, REC_MAGIC "\x01\0\0\0", REC_PREAMBLE_LEN);
	uint32_t len = (uint32_t)h->sb.size, crc = rec_crc32c(h->sb.data, h->sb.size);
	for (int i = 0; i < 4; i++) {
		p[REC_PREAMBLE_LEN + i] = (unsigned char)(len >> 8 * i);
		p[REC_PREAMBLE_LEN + 4 + i] = (unsigned char)(crc >> 8 * i);
	}
	memcpy(p + REC_PREAMBLE_LEN + 8, h->sb.data, h->sb.size);
	spit(tmp_path(path, 300, name), p, n);
	free(p);
	msgpack_sbuffer_destroy(&h->sb);
}

static void pack_key(struct hand *h, const char *key)
{
	msgpack_pack_str(&h->pk, strlen(key));
	msgpack_pack_str_body(&h->pk, key, strlen(key));
}

Test(header, unknown_keys_of_any_type_are_skipped)
{
	struct hand h;
	char path[300], err[REC_ERR_MAX];
	hand_start(&h);
	msgpack_pack_map(&h.pk, 3);
	pack_key(&h, "future");
	msgpack_pack_array(&h.pk, 5);
	msgpack_pack_double(&h.pk, 1.5);
	msgpack_pack_map(&h.pk, 1);
	msgpack_pack_nil(&h.pk);
	msgpack_pack_float(&h.pk, 2.5f);
	msgpack_pack_bin(&h.pk, 3);
	msgpack_pack_bin_body(&h.pk, "abc", 3);
	msgpack_pack_ext(&h.pk, 4, 7);
	msgpack_pack_ext_body(&h.pk, "wxyz", 4);
	msgpack_pack_int64(&h.pk, -300);
	pack_key(&h, "source");
	pack_key(&h, "later");
	pack_key(&h, "keep_raw");
	msgpack_pack_true(&h.pk);
	header_file("future.hrec", &h, path);
	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	cr_expect_str_eq(rec_reader_header(r)->source, "later");
	cr_expect(rec_reader_header(r)->keep_raw);
	cr_expect_str_empty(rec_reader_header(r)->command);
	rec_reader_close(r);
}

static void expect_header_error(const char *name, struct hand *h, const char *why)
{
	char path[300], err[REC_ERR_MAX];
	header_file(name, h, path);
	cr_expect_null(rec_reader_open(path, err), "%s was accepted", name);
	cr_expect(strstr(err, why) && strstr(err, "byte"), "%s: '%s' lacks '%s'", name, err, why);
}

Test(header, duplicate_key)
{
	struct hand h;
	hand_start(&h);
	msgpack_pack_map(&h.pk, 2);
	pack_key(&h, "source");
	pack_key(&h, "a");
	pack_key(&h, "source");
	pack_key(&h, "b");
	expect_header_error("dup.hrec", &h, "header field 'source': key appears twice");
}

Test(header, wrong_types)
{
	struct hand h;
	hand_start(&h);
	msgpack_pack_map(&h.pk, 1);
	pack_key(&h, "keep_raw");
	msgpack_pack_int64(&h.pk, 1);
	expect_header_error("type.hrec", &h, "header field 'keep_raw': expected true or false");

	hand_start(&h);
	msgpack_pack_array(&h.pk, 0);
	expect_header_error("array.hrec", &h, "expected a map");

	hand_start(&h);
	msgpack_pack_map(&h.pk, 1);
	pack_key(&h, "symbols");
	msgpack_pack_array(&h.pk, 1);
	pack_key(&h, "A_SYMBOL_NAME_OF_30_BYTES_XXXX");
	expect_header_error("sym.hrec", &h, "symbol name too long");
}
