/*
 * test_format.c - the bytes on disk are those docs/recording-format.md
 * describes: the preamble, and the worked example's book ticker frame byte
 * for byte. Since writer and reader share their field tables, a round trip
 * alone would not notice a field moved; this test does.
 */
#include <criterion/criterion.h>

#include "rec_files.h"
#include "recording.h"

/* The frame of the worked example in docs/recording-format.md. */
static const unsigned char example_frame[] =
	"\x47\x00\x00\x00\xb5\x69\xe1\xab"             /* length 71, CRC-32C */
	"\x9b\x04"                                     /* array of 11, book_ticker */
	"\xcf\x00\x00\x01\x91\x0b\x3c\x80\x7b"         /* exch_ms */
	"\xcf\x17\xe7\x71\xb3\xef\x93\x59\x40"         /* recv_ns */
	"\xa7" "BTCUSDT" "\xc0"                        /* symbol, no raw text */
	"\xce\x00\x06\x1e\x04"                         /* update_id */
	"\xcf\x00\x00\x01\x91\x0b\x3c\x80\x7a"         /* tx_ms */
	"\xcf\x00\x00\x05\x91\xba\x0f\xe2\x80"         /* bid 61234.5 */
	"\xce\x08\xf0\xd1\x80"                         /* bid_qty 1.5 */
	"\xcf\x00\x00\x05\x91\xba\xa8\x79\x00"         /* ask 61234.6 */
	"\xce\x00\x1e\x84\x80";                        /* ask_qty 0.02 */

Test(format, worked_example)
{
	static const char *const syms[] = {"BTCUSDT"};
	struct rec_header h = {.source = "synth", .command = "hunter synth -o x.hrec",
	                       .nsymbols = 1, .symbols = syms};
	char path[300], err[REC_ERR_MAX];
	ev_t ev;
	memset(&ev, 0, sizeof ev);
	ev.type = EV_BOOK_TICKER;
	strcpy(ev.symbol, "BTCUSDT");
	ev.exch_ms = 1722470400123LL;
	ev.recv_ns = 1722470400125000000LL;
	ev.u.book = (struct ev_book_ticker){400900, 1722470400122LL, 6123450000000LL, 150000000,
	                                    6123460000000LL, 2000000};
	rec_writer *w = rec_writer_open(tmp_path(path, sizeof path, "example.hrec"), &h, NULL, err);
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(rec_writer_write(w, &ev), 0, "%s", err);
	cr_assert_eq(rec_writer_close(w), 0, "%s", err);

	size_t n, frame = sizeof example_frame - 1;
	unsigned char *bytes = slurp(path, &n);
	cr_assert_gt(n, 12 + frame);
	cr_expect(!memcmp(bytes, "\x89HREC\r\n\x1a\x01\x00\x00\x00", 12), "preamble differs");
	cr_expect(!memcmp(bytes + n - frame, example_frame, frame), "event frame differs");
	free(bytes);
}
