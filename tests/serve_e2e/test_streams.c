/*
 * test_streams.c - the market streams of `hunter serve` against a real
 * client: every recorded event of the subscribed streams arrives, in
 * order, and parses back to the recorded event, on the raw path
 * (/ws/<stream>) and the combined one (/stream?streams=...); at the end the
 * server closes with status 1000 and exits 0.
 */
#include "expect.h"
#include "harness.h"
#include "support.h"
#include "ws_client.h"

TEST_SCRATCH_SUITE(streams, dir, "hunter-serve-streams");

/* Receives everything on `path` of a server playing SYNTH as fast as
 * possible, then checks it against the recording. */
static void replay_all(const char *path, const struct want *w, size_t nw, bool combined)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --as-fast " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, path), "cannot connect to %s", path);
	cr_assert(wsc_wait_closed(&c, 60000), "the server did not close after the replay");
	cr_assert_eq(c.close_code, 1000, "close code %d", c.close_code);
	cr_assert_gt(check_against(SYNTH, w, nw, combined, c.msgs, c.n), 0);
	cr_log_info("%s: %zu messages", path, c.n);
	cr_assert_eq(serve_wait(&s, 10000), 0, "exit status; stderr: %s", serve_stderr(&s));
	wsc_free(&c);
}

Test(streams, raw_depth_stream_is_the_recording, .timeout = 120)
{
	const struct want w[] = {{"btcusdt@depth", EV_DEPTH_UPDATE, "BTCUSDT"}};
	replay_all("/ws/btcusdt@depth", w, 1, false);
}

Test(streams, raw_liquidations_of_all_symbols, .timeout = 120)
{
	const struct want w[] = {{"!forceOrder@arr", EV_LIQUIDATION, NULL}};
	replay_all("/ws/!forceOrder@arr", w, 1, false);
}

Test(streams, combined_streams_are_wrapped_and_complete, .timeout = 120)
{
	const struct want w[] = {
		{"btcusdt@aggTrade", EV_AGG_TRADE, "BTCUSDT"},
		{"ethusdt@bookTicker", EV_BOOK_TICKER, "ETHUSDT"},
		{"btcusdt@markPrice@1s", EV_MARK_PRICE, "BTCUSDT"},
		{"!forceOrder@arr", EV_LIQUIDATION, NULL},
		{"solusdt@forceOrder", EV_LIQUIDATION, "SOLUSDT"},
		{"solusdt@depth@100ms", EV_DEPTH_UPDATE, "SOLUSDT"},
	};
	replay_all("/stream?streams=btcusdt@aggTrade/ethusdt@bookTicker/btcusdt@markPrice@1s/"
	           "!forceOrder@arr/solusdt@forceOrder/solusdt@depth@100ms",
	           w, sizeof w / sizeof w[0], true);
}

Test(streams, bad_stream_in_the_url_is_refused, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 " SYNTH);
	struct wsc c;
	cr_assert_not(wsc_open(&c, s.port, "/ws/btcusdt@nothing"));
	wsc_free(&c);
	cr_assert_not(wsc_open(&c, s.port, "/stream?streams=xrpusdt@aggTrade"));
	wsc_free(&c);
	cr_assert_not(wsc_open(&c, s.port, "/ws/BTCUSDT@aggTrade"));
	wsc_free(&c);
	cr_assert_not_null(strstr(serve_stderr(&s), "unknown stream 'btcusdt@nothing'"));
	cr_assert_eq(serve_stop(&s), 130);
}
