/*
 * test_record_e2e.c - the real `hunter record` against the loopback fixture
 * server: what it writes reads back event for event, Ctrl-C and kill -9
 * lose no more than they should, interruptions become gap events without
 * duplicated or damaged events, and bad output folders fail loudly. Every
 * wait has a timeout.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include "fixture_proc.h"
#include "fixture_server.h"
#include "recording.h"
#include "support.h"

TEST_SCRATCH_SUITE(record_e2e, scratch, "hunter-record-e2e");

#define WAIT_MS 20000 /* any hunter run must end within this */

/* Starts hunter record against the fixture with extra arguments (NULL
 * terminated); stdout and stderr go to files in the scratch folder. */
static pid_t start_record_limited(const struct fixture *f, const char *out,
                                  const char *const *extra, long max_bytes)
{
	char rest[64], ws[64], o[300], e[300];
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", fixture_port(f));
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", fixture_port(f));
	snprintf(o, sizeof o, "%s/stdout", scratch);
	snprintf(e, sizeof e, "%s/stderr", scratch);
	const char *argv[40] = {HUNTER_BIN, "record", "--symbols", "BTCUSDT", "--all-liquidations",
	                        "--out", out, "--rest-url", rest, "--ws-url", ws};
	size_t n = 11;
	for (size_t i = 0; extra[i] && n < 39; i++)
		argv[n++] = extra[i];
	pid_t pid = fixture_spawn_limited(argv, o, e, max_bytes);
	cr_assert_neq(pid, -1);
	return pid;
}

static pid_t start_record(const struct fixture *f, const char *out, const char *const *extra)
{
	return start_record_limited(f, out, extra, 0);
}

static int wait_exit(pid_t pid)
{
	int rc = fixture_wait(pid, WAIT_MS);
	cr_assert_neq(rc, -1, "hunter record did not end within %d ms", WAIT_MS);
	return rc;
}

static int run_record(const struct fixture *f, const char *const *extra)
{
	char out[200];
	snprintf(out, sizeof out, "%s/rec", scratch);
	return wait_exit(start_record(f, out, extra));
}

static char *scratch_file(const char *name)
{
	char path[300];
	snprintf(path, sizeof path, "%s/%s", scratch, name);
	return test_read_file(path, NULL);
}

/* The one recording in scratch/rec. */
static void only_recording(char *path, size_t cap)
{
	char dir[200];
	snprintf(dir, sizeof dir, "%s/rec", scratch);
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "aster-", 6) && ++found)
			snprintf(path, cap, "%s/%.60s", dir, e->d_name);
	closedir(d);
	cr_assert_eq(found, 1, "expected one recording in %s, found %d", dir, found);
}

/* What a recording held, checked against the fixture's frames on the way. */
struct tally {
	uint64_t by_type[EV__COUNT];
	uint64_t gaps[5];
	int64_t last_agg_id, last_agg_ms;
	char warning[REC_ERR_MAX];
};

static void check_agg(struct tally *t, const ev_t *ev)
{
	uint64_t k = (uint64_t)ev->u.trade.id;
	cr_assert_eq(fixture_kind_of(k), FX_AGG);
	/* no duplicate and no hole: the fixture never sends to a closed connection */
	cr_assert_eq(ev->u.trade.id, t->by_type[EV_AGG_TRADE] ? t->last_agg_id + FX_KINDS : 0,
	             "agg trade %lld after %lld", (long long)ev->u.trade.id,
	             (long long)t->last_agg_id);
	cr_assert_eq(ev->u.trade.price, fixture_agg_price(k));
	cr_assert_eq(ev->u.trade.qty, fixture_agg_qty(k));
	cr_assert_eq(ev->u.trade.buyer_maker, k % 2 == 1);
	cr_assert_eq(ev->u.trade.trade_ms, ev->exch_ms);
	cr_assert_str_eq(ev->symbol, "BTCUSDT");
	cr_assert_gt(ev->recv_ns / 1000000, ev->exch_ms - 1000, "receive time stamped");
	t->last_agg_id = ev->u.trade.id;
	t->last_agg_ms = ev->exch_ms;
}

static void read_recording(struct tally *t, bool expect_clean_end)
{
	char path[400], err[REC_ERR_MAX];
	only_recording(path, sizeof path);
	memset(t, 0, sizeof *t);
	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	ev_t ev;
	int rc;
	for (uint64_t n = 0; (rc = rec_reader_next(r, &ev)) == 1; n++) {
		if (n == 0)
			cr_assert_eq(ev.type, EV_EXCHANGE_INFO, "a recording starts with the exchange info");
		if (n == 1)
			cr_assert(ev.type == EV_GAP && ev.u.gap.kind == GAP_RESTART);
		if (ev.type == EV_AGG_TRADE)
			check_agg(t, &ev);
		if (ev.type == EV_GAP) {
			cr_assert_leq(ev.u.gap.from_ms, ev.exch_ms, "a gap ends after it starts");
			t->gaps[ev.u.gap.kind]++;
		}
		t->by_type[ev.type]++;
	}
	cr_assert_eq(rc, 0, "%s", err);
	snprintf(t->warning, sizeof t->warning, "%s", rec_reader_warning(r));
	if (expect_clean_end)
		cr_assert_str_empty(t->warning);
	rec_reader_close(r);
}

static struct fixture *serve(int drop_after, int skip_depth, int bad_every)
{
	struct fixture_opts o = {drop_after, skip_depth, bad_every, 5, NULL, NULL};
	struct fixture *f = fixture_start(&o);
	cr_assert_not_null(f, "fixture server did not start");
	return f;
}

Test(record_e2e, records_every_stream_and_reads_back)
{
	struct fixture *f = serve(0, 0, 0);
	int rc = run_record(f, (const char *const[]){"--duration", "2s", NULL});
	fixture_stop(f);
	cr_assert_eq(rc, 0, "stderr: %s", scratch_file("stderr"));
	struct tally t;
	read_recording(&t, true);
	cr_assert_gt(t.by_type[EV_AGG_TRADE], 20);
	for (int type = EV_LIQUIDATION; type <= EV_MARK_PRICE; type++)
		if (type != EV_TRADE)
			cr_assert_gt(t.by_type[type], 0, "no %s recorded", ev_type_name(type));
	cr_assert_eq(t.gaps[GAP_DISCONNECT] + t.gaps[GAP_SEQUENCE], 0);

	char path[400], cmd[600];
	only_recording(path, sizeof path);
	snprintf(cmd, sizeof cmd, "%s inspect %s >/dev/null", HUNTER_BIN, path);
	cr_assert_eq(system(cmd), 0, "hunter inspect reads the recording");
}

Test(record_e2e, ctrl_c_closes_the_file_cleanly)
{
	struct fixture *f = serve(0, 0, 0);
	char out[200];
	snprintf(out, sizeof out, "%s/rec", scratch);
	pid_t pid = start_record(f, out, (const char *const[]){NULL});
	usleep(1500000);
	kill(pid, SIGINT);
	int rc = wait_exit(pid);
	fixture_stop(f);
	cr_assert_eq(rc, 130, "stderr: %s", scratch_file("stderr"));
	struct tally t;
	read_recording(&t, true);
	cr_assert_gt(t.by_type[EV_AGG_TRADE], 10);
}

Test(record_e2e, kill_9_loses_at_most_the_flush_interval)
{
	struct fixture *f = serve(0, 0, 0);
	char out[200];
	snprintf(out, sizeof out, "%s/rec", scratch);
	pid_t pid = start_record(f, out, (const char *const[]){"--flush-interval", "200ms", NULL});
	usleep(2000000);
	int64_t killed_ms = fixture_wall_ms();
	kill(pid, SIGKILL);
	cr_assert_eq(wait_exit(pid), 128 + SIGKILL);
	fixture_stop(f);
	struct tally t;
	read_recording(&t, false);
	/* 200 ms of flush interval, plus the loop's 100 ms tick and scheduling slack */
	cr_assert_geq(t.last_agg_ms, killed_ms - 600, "last event %lld ms before the kill",
	              (long long)(killed_ms - t.last_agg_ms));
}

Test(record_e2e, dropped_connections_become_gaps_without_duplicates)
{
	struct fixture *f = serve(60, 0, 0);
	int rc = run_record(f, (const char *const[]){"--duration", "3s", NULL});
	uint64_t conns = fixture_conns(f);
	fixture_stop(f);
	cr_assert_eq(rc, 0, "stderr: %s", scratch_file("stderr"));
	cr_assert_geq(conns, 3);
	struct tally t;
	read_recording(&t, true);
	cr_assert_geq(t.gaps[GAP_DISCONNECT], 2, "one gap per drop");
	cr_assert_geq(t.by_type[EV_DEPTH_SNAPSHOT], 2, "a snapshot after each reconnect");
}

Test(record_e2e, depth_sequence_breaks_become_gaps_and_snapshots)
{
	struct fixture *f = serve(0, 10, 0);
	int rc = run_record(f, (const char *const[]){"--duration", "2s", NULL});
	fixture_stop(f);
	cr_assert_eq(rc, 0, "stderr: %s", scratch_file("stderr"));
	struct tally t;
	read_recording(&t, true);
	cr_assert_geq(t.gaps[GAP_SEQUENCE], 2);
	cr_assert_geq(t.by_type[EV_DEPTH_SNAPSHOT], 2);
}

Test(record_e2e, bad_frames_are_counted_and_json_status_reports_them)
{
	struct fixture *f = serve(0, 0, 25);
	int rc = run_record(f, (const char *const[]){"--duration", "2s", "--json-status",
	                                              "--status-interval", "500ms", NULL});
	fixture_stop(f);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(strstr(scratch_file("stderr"), "bad frame skipped"));
	char *out = scratch_file("stdout");
	cr_assert_geq(strlen(out), 10);
	char *last = strrchr(out, '{');
	cr_assert_not_null(strstr(last, "\"bad_frames\":"));
	cr_assert_null(strstr(last, "\"bad_frames\":0,"), "last status: %s", last);
	cr_assert_not_null(strstr(last, "\"agg_trade\":"));
	cr_assert_not_null(strstr(out, "\"books_live\":1,"), "the depth book got in sync: %s",
	                   last);
}

Test(record_e2e, an_unwritable_output_folder_is_an_error)
{
	char file[200], out[300];
	snprintf(file, sizeof file, "%s/plainfile", scratch);
	FILE *fp = fopen(file, "w");
	cr_assert_not_null(fp);
	fclose(fp);
	snprintf(out, sizeof out, "%s/sub", file);
	struct fixture *f = serve(0, 0, 0);
	int rc = wait_exit(start_record(f, out, (const char *const[]){"--duration", "2s", NULL}));
	fixture_stop(f);
	cr_assert_eq(rc, 1);
	cr_assert_not_null(strstr(scratch_file("stderr"), "cannot create"));
}

Test(record_e2e, plain_text_to_a_remote_host_is_refused)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "%s record --symbols BTCUSDT --out %s/rec "
	                          "--rest-url http://example.com 2>/dev/null", HUNTER_BIN, scratch);
	int rc = system(cmd);
	cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
}

Test(record_e2e, no_exchange_info_fails_and_leaves_no_file)
{
	char out[300], cmd[600];
	snprintf(out, sizeof out, "%s/rec", scratch);
	/* port 1 on loopback: nothing listens there */
	snprintf(cmd, sizeof cmd, "%s record --symbols BTCUSDT --out %s --rest-url "
	                          "http://127.0.0.1:1 --ws-url ws://127.0.0.1:1 2>%s/stderr",
	         HUNTER_BIN, out, scratch);
	int rc = system(cmd);
	cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
	cr_assert_not_null(strstr(scratch_file("stderr"), "exchangeInfo"));
	DIR *d = opendir(out);
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		cr_assert(e->d_name[0] == '.', "left %s behind", e->d_name);
	closedir(d);
}

Test(record_e2e, connections_are_renewed_at_the_reconnect_age)
{
	struct fixture *f = serve(0, 0, 0);
	int rc = run_record(f, (const char *const[]){"--duration", "2500ms", "--reconnect-after",
	                                              "700ms", NULL});
	uint64_t conns = fixture_conns(f);
	fixture_stop(f);
	cr_assert_eq(rc, 0, "stderr: %s", scratch_file("stderr"));
	cr_assert_geq(conns, 3);
	struct tally t;
	read_recording(&t, true); /* agg trade ids still follow each other: nothing lost */
	cr_assert_geq(t.gaps[GAP_DISCONNECT], 2);
}

Test(record_e2e, a_full_disk_stops_the_recorder_with_an_error)
{
	char out[200];
	snprintf(out, sizeof out, "%s/rec", scratch);
	struct fixture *f = serve(0, 0, 0);
	pid_t pid = start_record_limited(f, out, (const char *const[]){"--duration", "10s",
	                                                                 "--flush-interval", "100ms",
	                                                                 NULL}, 20000);
	int rc = wait_exit(pid);
	fixture_stop(f);
	cr_assert_eq(rc, 1, "stderr: %s", scratch_file("stderr"));
	cr_assert_not_null(strstr(scratch_file("stderr"), "File too large"), "stderr: %s",
	                   scratch_file("stderr"));
}

/* A fixture serving TLS with a fresh self-signed certificate for 127.0.0.1;
 * its PEM is scratch/cert.pem. */
static struct fixture *serve_tls(void)
{
	char cmd[1000], cert[300], key[300];
	snprintf(cert, sizeof cert, "%s/cert.pem", scratch);
	snprintf(key, sizeof key, "%s/key.pem", scratch);
	snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s "
	                          "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -days 2 "
	                          ">/dev/null 2>&1", key, cert);
	if (system(cmd) != 0)
		cr_skip_test("the openssl command is needed to make a test certificate");
	struct fixture_opts o = {0, 0, 0, 5, cert, key};
	struct fixture *f = fixture_start(&o);
	cr_assert_not_null(f, "fixture server did not start");
	return f;
}

/* hunter record over https/wss to the TLS fixture, extra args NULL-terminated. */
static int run_record_tls(const struct fixture *f, const char *const *extra)
{
	char rest[64], ws[64], out[300], err[300];
	snprintf(rest, sizeof rest, "https://127.0.0.1:%d", fixture_port(f));
	snprintf(ws, sizeof ws, "wss://127.0.0.1:%d", fixture_port(f));
	snprintf(out, sizeof out, "%s/rec", scratch);
	snprintf(err, sizeof err, "%s/stderr", scratch);
	const char *argv[20] = {HUNTER_BIN, "record", "--symbols", "BTCUSDT", "--out", out,
	                        "--rest-url", rest, "--ws-url", ws, "--duration", "2s"};
	size_t n = 12;
	for (size_t i = 0; extra[i] && n < 19; i++)
		argv[n++] = extra[i];
	return wait_exit(fixture_spawn(argv, NULL, err));
}

Test(record_e2e, tls_is_verified_and_a_ca_file_makes_a_private_ca_trusted)
{
	struct fixture *f = serve_tls();
	int refused = run_record_tls(f, (const char *const[]){NULL});
	char *why = scratch_file("stderr");
	char ca[300];
	snprintf(ca, sizeof ca, "%s/cert.pem", scratch);
	int trusted = run_record_tls(f, (const char *const[]){"--ca-file", ca, NULL});
	fixture_stop(f);
	cr_assert_eq(refused, 1, "a self-signed certificate is refused");
	cr_assert_not_null(strstr(why, "certificate"), "stderr: %s", why);
	cr_assert_eq(trusted, 0, "stderr: %s", scratch_file("stderr"));
	struct tally t;
	read_recording(&t, true);
	cr_assert_gt(t.by_type[EV_AGG_TRADE], 10, "the streams came over wss");
	cr_assert_gt(t.by_type[EV_DEPTH_SNAPSHOT], 0, "the snapshots over https");
}

/* One file of a rotated set: it starts with the exchange info, closes
 * cleanly, and its agg trades follow those of the file before. */
static void check_part(const char *path, uint64_t *aggs, int64_t *last_agg)
{
	char err[REC_ERR_MAX];
	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	ev_t ev;
	int rc = rec_reader_next(r, &ev);
	cr_assert_eq(rc, 1, "%s is empty", path);
	cr_assert_eq(ev.type, EV_EXCHANGE_INFO, "every file starts with the exchange info");
	while ((rc = rec_reader_next(r, &ev)) == 1)
		if (ev.type == EV_AGG_TRADE) {
			cr_assert_eq(ev.u.trade.id, *aggs ? *last_agg + FX_KINDS : 0,
			             "agg trades go on from one file to the next");
			*last_agg = ev.u.trade.id;
			++*aggs;
		}
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_str_empty(rec_reader_warning(r));
	rec_reader_close(r);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(record_e2e, rotation_starts_files_that_stand_alone)
{
	struct fixture *f = serve(0, 0, 0);
	int rc = run_record(f, (const char *const[]){"--duration", "3200ms", "--rotate", "1s",
	                                              NULL});
	fixture_stop(f);
	cr_assert_eq(rc, 0, "stderr: %s", scratch_file("stderr"));
	char dir[200], *names[16];
	size_t n = 0;
	snprintf(dir, sizeof dir, "%s/rec", scratch);
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d)) && n < 16)
		if (!strncmp(e->d_name, "aster-", 6))
			names[n++] = strdup(e->d_name);
	closedir(d);
	cr_assert_geq(n, 3, "a file per second");
	qsort(names, n, sizeof *names, by_name);
	uint64_t aggs = 0;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof path, "%s/%.60s", dir, names[i]);
		check_part(path, &aggs, &last); /* in name order: the names are UTC times */
		free(names[i]);
	}
	cr_assert_gt(aggs, 20);
}
