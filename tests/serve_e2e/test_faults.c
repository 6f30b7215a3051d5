/*
 * test_faults.c - the limits and the injected faults of `hunter serve`,
 * and how it starts and stops: --max-connection-age closes with a close
 * frame, --drop-after drops after exactly N messages, --stall-after goes
 * silent, --drop-rate is repeatable by seed; a port in use, a bad
 * recording and SIGTERM end it with the project's exit codes.
 */
#include "expect.h"
#include "harness.h"
#include "support.h"
#include "ws_client.h"

TEST_SCRATCH_SUITE(faults, dir, "hunter-serve-faults");

Test(faults, max_connection_age_closes_with_a_close_frame, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --max-connection-age 500ms " SYNTH);
	struct wsc c;
	int64_t t0 = test_now_ms();
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@aggTrade"));
	cr_assert(wsc_wait_closed(&c, 5000), "still open after 5 s");
	int64_t took = test_now_ms() - t0;
	cr_assert_geq(took, 450, "closed after %lld ms", (long long)took);
	cr_assert_eq(c.close_code, 1001, "close code %d", c.close_code);
	cr_assert_gt(c.n, 0, "no events before the close");
	wsc_free(&c);
	cr_assert_eq(serve_stop(&s), 130);
}

/* Messages a client on `path` gets before the server drops it. */
static size_t until_dropped(const char *args, const char *path)
{
	struct served s;
	serve_start(&s, dir, args);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, path));
	cr_assert(wsc_wait_closed(&c, 10000), "not dropped");
	cr_assert_eq(c.close_code, 0, "a drop sends no close frame, got %d", c.close_code);
	size_t n = c.n;
	wsc_free(&c);
	cr_assert_not_null(strstr(serve_stderr(&s), "dropped"), "%s", serve_stderr(&s));
	cr_assert_eq(serve_stop(&s), 130);
	return n;
}

Test(faults, drop_after_n_messages_exactly, .timeout = 30)
{
	cr_assert_eq(until_dropped("--port 0 --as-fast --drop-after 7 " SYNTH,
	                           "/ws/btcusdt@bookTicker"), 7);
	cr_assert_eq(until_dropped("--port 0 --as-fast --drop-after 1 " SYNTH,
	                           "/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade"), 1);
}

Test(faults, drop_rate_is_repeatable_by_seed, .timeout = 60)
{
	const char *args = "--port 0 --as-fast --fault-seed 42 --drop-rate 0.01 " SYNTH;
	size_t a = until_dropped(args, "/ws/btcusdt@bookTicker");
	size_t b = until_dropped(args, "/ws/btcusdt@bookTicker");
	cr_assert_eq(a, b, "same seed, %zu then %zu messages", a, b);
	cr_assert_lt(a, 2000, "a 1%% drop rate let %zu messages through", a);
}

Test(faults, stall_after_keeps_the_connection_silent, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --as-fast --stall-after 3 " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@bookTicker"));
	wsc_idle(&c, 1000);
	cr_assert_eq(c.n, 3);
	/* the replay went on without it, then closed it normally */
	cr_assert(wsc_wait_closed(&c, 20000));
	cr_assert_eq(c.n, 3);
	cr_assert_eq(c.close_code, 1000);
	wsc_free(&c);
	cr_assert_eq(serve_wait(&s, 10000), 0);
}

Test(faults, pings_do_not_disturb_the_stream, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --ping-interval 100ms " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@bookTicker"));
	wsc_idle(&c, 1000);
	cr_assert(!c.closed && c.n > 0, "closed %d after %zu messages", c.closed, c.n);
	wsc_free(&c);
	cr_assert_eq(serve_stop(&s), 130);
}

Test(faults, port_in_use_is_an_error, .timeout = 30)
{
	struct served a, b;
	serve_start(&a, dir, "--port 0 " SYNTH);
	char args[256];
	snprintf(args, sizeof args, "--port %d %s", a.port, SYNTH);
	serve_spawn(&b, dir, args);
	cr_assert_eq(serve_wait(&b, 10000), 1);
	cr_assert_not_null(strstr(serve_stderr(&b), "in use"), "%s", serve_stderr(&b));
	cr_assert_eq(serve_stop(&a), 130);
}

Test(faults, bad_recording_is_named, .timeout = 30)
{
	char path[256];
	snprintf(path, sizeof path, "%s/broken.hrec", dir);
	test_write_file(path, "this is not a recording\n");
	struct served s;
	char args[512];
	snprintf(args, sizeof args, "--port 0 %s", path);
	serve_spawn(&s, dir, args);
	cr_assert_eq(serve_wait(&s, 10000), 1);
	cr_assert_not_null(strstr(serve_stderr(&s), "broken.hrec"), "%s", serve_stderr(&s));
}

Test(faults, bad_options_are_usage_errors, .timeout = 30)
{
	const char *bad[] = {"--port 70000 " SYNTH, "--speed 0 " SYNTH, "--drop-rate 2 " SYNTH,
	                     "--speed 2 --as-fast " SYNTH, "--max-connection-age soon " SYNTH,
	                     "--port 0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct served s;
		serve_spawn(&s, dir, bad[i]);
		cr_assert_eq(serve_wait(&s, 10000), 2, "hunter serve %s", bad[i]);
	}
}

Test(faults, sigterm_exits_130, .timeout = 30)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --loop --as-fast " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/btcusdt@aggTrade"));
	cr_assert(wsc_wait(&c, 100, 5000));
	wsc_free(&c);
	cr_assert_eq(serve_stop(&s), 130);
}

/* A WebSocket handshake on a socket that then never reads. */
static int open_unread(int port, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	char req[512];
	int n = snprintf(req, sizeof req,
	                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	                 "Sec-WebSocket-Version: 13\r\n\r\n", path);
	cr_assert_eq(write(fd, req, (size_t)n), n);
	return fd;
}

Test(faults, a_client_that_does_not_read_is_dropped_at_the_queue_bound, .timeout = 60)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --speed 100000 " SYNTH);
	int fd = open_unread(s.port, "/stream?streams=btcusdt@depth/ethusdt@depth/solusdt@depth/"
	                             "btcusdt@bookTicker/ethusdt@bookTicker/solusdt@bookTicker");
	int64_t end = test_now_ms() + 30000;
	while (!strstr(serve_stderr(&s), "send queue over 8 MiB") && test_now_ms() < end)
		usleep(50000);
	cr_assert_not_null(strstr(serve_stderr(&s), "send queue over 8 MiB"), "%s",
	                   serve_stderr(&s));
	close(fd);
	cr_assert_eq(serve_wait(&s, 10000), 0, "after the drop the replay ends alone");
}

Test(faults, loop_plays_the_recordings_again, .timeout = 60)
{
	struct served s;
	serve_start(&s, dir, "--port 0 --as-fast --loop " SYNTH);
	struct wsc c;
	cr_assert(wsc_open(&c, s.port, "/ws/!forceOrder@arr"));
	/* the recording holds 119 liquidations */
	cr_assert(wsc_wait(&c, 250, 30000), "%zu messages", c.n);
	cr_assert_str_eq(c.msgs[0], c.msgs[119], "the second pass starts with the first event");
	wsc_free(&c);
	cr_assert_eq(serve_stop(&s), 130);
}
