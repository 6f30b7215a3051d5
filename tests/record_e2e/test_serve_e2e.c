/*
 * test_serve_e2e.c - `hunter record` recording `hunter serve` replaying a
 * fixture recording: the market events recorded are the ones served, field
 * for field and in order; with connections dropped by the server, the
 * recording has gap markers and what it holds is still the served events
 * in order, none duplicated or damaged. Every wait has a timeout.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>

#include "aster.h"
#include "fixture_proc.h"
#include "recording.h"
#include "support.h"

TEST_SCRATCH_SUITE(serve_e2e, scratch, "hunter-serve-e2e");

#define FIXTURE HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz"
#define SERVE_MS 60000  /* the whole replay must be over within this */
#define RECORD_MS 10000 /* the recorder must stop this soon after Ctrl-C */

/* A market event as one line of exchange JSON, without what only a local
 * receiver adds (receive time, raw text); NULL for other events. */
static char *market_line(const ev_t *in)
{
	if (in->type < EV_LIQUIDATION || in->type > EV_MARK_PRICE || in->type == EV_DEPTH_SNAPSHOT)
		return NULL;
	ev_t ev = *in;
	ev.recv_ns = 0;
	ev.raw = NULL;
	ev.raw_len = 0;
	size_t n = aster_format(&ev, NULL, 0);
	char *s = malloc(n + 1);
	cr_assert_not_null(s);
	aster_format(&ev, s, n + 1);
	return s;
}

struct span {
	int64_t from, to;
};

struct lines {
	char **v;
	int64_t *ms; /* each line's exchange time */
	size_t n, cap;
	struct span drops[64]; /* disconnect gaps: last event before, first after */
	size_t ndrops;
	bool ends_down;        /* the file ends with a gap: stopped while down */
	uint64_t gaps[5];
	int64_t last_market_ms, last_gap_ms;
};

static void read_lines(const char *path, struct lines *l)
{
	char err[REC_ERR_MAX];
	rec_reader *r = rec_reader_open(path, err);
	cr_assert_not_null(r, "%s", err);
	ev_t ev;
	int rc;
	while ((rc = rec_reader_next(r, &ev)) == 1) {
		if (ev.type == EV_GAP) {
			l->gaps[ev.u.gap.kind]++;
			l->last_gap_ms = ev.exch_ms;
			if (ev.u.gap.kind == GAP_DISCONNECT && l->ndrops < 64)
				l->drops[l->ndrops++] = (struct span){ev.u.gap.from_ms, ev.exch_ms};
			l->ends_down = ev.u.gap.kind == GAP_DISCONNECT;
			continue;
		} else if (ev.type != EV_EXCHANGE_INFO && ev.type != EV_DEPTH_SNAPSHOT) {
			l->last_market_ms = ev.exch_ms;
			l->ends_down = false;
		}
		char *s = market_line(&ev);
		if (!s)
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 1024;
			l->v = realloc(l->v, l->cap * sizeof *l->v);
			l->ms = realloc(l->ms, l->cap * sizeof *l->ms);
			cr_assert(l->v && l->ms);
		}
		l->ms[l->n] = ev.exch_ms;
		l->v[l->n++] = s;
	}
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_str_empty(rec_reader_warning(r), "the recorder closed its file cleanly");
	rec_reader_close(r);
}

static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->ms);
}

static void read_recorded(struct lines *l)
{
	char dir[200], path[300];
	snprintf(dir, sizeof dir, "%s/rec", scratch);
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "aster-", 6)) {
			snprintf(path, sizeof path, "%s/%.60s", dir, e->d_name);
			files++;
		}
	closedir(d);
	cr_assert_eq(files, 1);
	read_lines(path, l);
}

/* Waits until the recorder's last status line holds `what`. */
static void wait_status(const char *status, const char *what)
{
	for (int waited = 0; waited < RECORD_MS; waited += 50) {
		char *text = test_try_read_file(status, NULL);
		char *last = text ? strrchr(text, '{') : NULL;
		bool seen = last && strstr(last, what) && strchr(last, '\n');
		free(text);
		if (seen)
			return;
		usleep(50000);
	}
	cr_assert_fail("the recorder's status never said %s", what);
}

/* Serves the fixture with `faults`, records it until the server is done,
 * stops the recorder with Ctrl-C; the recorded and served market events. */
static void serve_and_record(const char *const *serve_args, struct lines *served,
                             struct lines *recorded)
{
	char err_serve[300], err_rec[300], status[300], out[300], rest[64], ws[64];
	snprintf(err_serve, sizeof err_serve, "%s/serve.err", scratch);
	snprintf(err_rec, sizeof err_rec, "%s/record.err", scratch);
	snprintf(status, sizeof status, "%s/status.json", scratch);
	snprintf(out, sizeof out, "%s/rec", scratch);
	int port;
	pid_t serve = fixture_serve(serve_args, err_serve, &port);
	cr_assert_gt(serve, 0, "hunter serve did not start");
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	const char *const argv[] = {HUNTER_BIN, "record", "--symbols", "BTCUSDT,ETHUSDT,SOLUSDT",
	                            "--all-liquidations", "--out", out, "--rest-url", rest,
	                            "--ws-url", ws, "--json-status", "--status-interval", "100ms",
	                            NULL};
	pid_t rec = fixture_spawn(argv, status, err_rec);
	cr_assert_gt(rec, 0);
	int serve_rc = fixture_wait(serve, SERVE_MS);
	/* the server's last messages may still sit in the socket after it exited */
	wait_status(status, "\"conns_up\":0,");
	kill(rec, SIGINT);
	int rec_rc = fixture_wait(rec, RECORD_MS);
	cr_assert_eq(serve_rc, 0, "hunter serve: %s", test_read_file(err_serve, NULL));
	cr_assert_eq(rec_rc, 130, "hunter record: %s", test_read_file(err_rec, NULL));
	read_lines(FIXTURE, served);
	read_recorded(recorded);
}

Test(serve_e2e, records_exactly_the_served_events, .timeout = 120)
{
	struct lines served = {0}, recorded = {0};
	serve_and_record((const char *const[]){FIXTURE, "--as-fast", NULL}, &served, &recorded);
	cr_assert_gt(served.n, 80000);
	for (size_t i = 0; i < served.n && i < recorded.n; i++)
		cr_assert_str_eq(recorded.v[i], served.v[i], "event %zu differs", i);
	cr_assert_eq(recorded.n, served.n, "%zu events recorded, %zu served", recorded.n,
	             served.n);
	cr_assert_eq(recorded.gaps[GAP_SEQUENCE], 0);
	/* the replay is of another day: the gap left at the stop is dated in the
	 * exchange's clock, next to the data, not by today's local clock */
	cr_assert_leq(recorded.last_gap_ms, recorded.last_market_ms + 60000,
	              "gap at %lld, data ends at %lld", (long long)recorded.last_gap_ms,
	              (long long)recorded.last_market_ms);
	free_lines(&served);
	free_lines(&recorded);
}

/* A served event the recording lacks must fall in one of its disconnect
 * gaps: the gaps say exactly what may be missing. A file that ends down
 * (stopped during a drop) covers everything after its last gap's start: its
 * end is the recorder's stop, which a replay at --speed 100 outruns. */
static void expect_in_a_gap(const struct lines *rec, int64_t ms, const char *line)
{
	for (size_t g = 0; g < rec->ndrops; g++) {
		bool open = rec->ends_down && g == rec->ndrops - 1;
		if (rec->drops[g].from <= ms && (open || ms <= rec->drops[g].to))
			return;
	}
	cr_assert_fail("missed event at %lld is in no gap: %s", (long long)ms, line);
}

Test(serve_e2e, dropped_connections_leave_gaps_and_no_duplicate, .timeout = 120)
{
	struct lines served = {0}, recorded = {0};
	serve_and_record((const char *const[]){FIXTURE, "--speed", "100", "--drop-after", "10000",
	                                       NULL},
	                 &served, &recorded);
	cr_assert_geq(recorded.gaps[GAP_DISCONNECT], 2, "one gap per drop");
	cr_assert_gt(recorded.n, served.n / 2);
	/* every recorded event is a served one, in the served order, none twice;
	 * every served event it lacks lies inside a disconnect gap */
	size_t j = 0;
	for (size_t i = 0; i < recorded.n; i++, j++) {
		for (; j < served.n && strcmp(served.v[j], recorded.v[i]); j++)
			expect_in_a_gap(&recorded, served.ms[j], served.v[j]);
		cr_assert_lt(j, served.n, "recorded event %zu (%s) is not a later served one", i,
		             recorded.v[i]);
	}
	for (; j < served.n; j++)
		expect_in_a_gap(&recorded, served.ms[j], served.v[j]);
	free_lines(&served);
	free_lines(&recorded);
}

Test(serve_e2e, a_silent_server_is_dropped_after_the_read_timeout, .timeout = 120)
{
	char err_serve[300], status[300], out[300], rest[64], ws[64];
	snprintf(err_serve, sizeof err_serve, "%s/serve.err", scratch);
	snprintf(status, sizeof status, "%s/status.json", scratch);
	snprintf(out, sizeof out, "%s/rec", scratch);
	int port;
	pid_t serve = fixture_serve((const char *const[]){FIXTURE, "--speed", "5", NULL},
	                            err_serve, &port);
	cr_assert_gt(serve, 0, "hunter serve did not start");
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	const char *const argv[] = {HUNTER_BIN, "record", "--symbols", "BTCUSDT", "--out", out,
	                            "--rest-url", rest, "--ws-url", ws, "--read-timeout", "3s",
	                            "--json-status", "--status-interval", "100ms", NULL};
	pid_t rec = fixture_spawn(argv, status, NULL);
	cr_assert_gt(rec, 0);
	wait_status(status, "\"conns_up\":1,");
	kill(serve, SIGSTOP); /* the connection stays open, but nothing answers, not even pings */
	wait_status(status, "\"conns_up\":0,");
	kill(serve, SIGCONT);
	wait_status(status, "\"reconnects\":1,");
	kill(rec, SIGINT);
	cr_assert_eq(fixture_wait(rec, RECORD_MS), 130);
	kill(serve, SIGINT);
	fixture_wait(serve, RECORD_MS);
	struct lines recorded = {0};
	read_recorded(&recorded);
	cr_assert_eq(recorded.gaps[GAP_DISCONNECT], 1);
	free_lines(&recorded);
}
