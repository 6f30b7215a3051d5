/*
 * Tests of `hunter synth` as a user runs it: help, usage errors with exit 2,
 * byte-identical files for the same options, and recordings that read back
 * with what was asked for.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "recording.h"

static char dir[] = HUNTER_BINARY_DIR "/cli-synth-XXXXXX";
static char out_txt[300], err_txt[300];

static void make_dir(void)
{
	test_dir_make(dir);
	snprintf(out_txt, sizeof out_txt, "%s/stdout", dir);
	snprintf(err_txt, sizeof err_txt, "%s/stderr", dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

TestSuite(cli_synth, .init = make_dir, .fini = remove_dir);


static char *path_in_dir(const char *name)
{
	static char p[4][300];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

/* Runs `hunter synth ARGS` in the test folder; returns the exit code. */
static int synth(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' synth %s >'%s' 2>'%s'", dir, HUNTER_BIN, args,
	         out_txt, err_txt);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "hunter synth %s did not exit normally", args);
	return WEXITSTATUS(st);
}

static void expect_text(const char *file, const char *what)
{
	char *text = test_read_file(file, NULL);
	cr_assert(strstr(text, what), "%s lacks '%s':\n%s", file, what, text);
	free(text);
}

Test(cli_synth, help)
{
	cr_assert_eq(synth("--help"), 0);
	expect_text(out_txt, "usage: hunter synth [options] -o OUT");
	expect_text(out_txt, "--no-depth");
	expect_text(out_txt, "DOGEUSDT");
	size_t n;
	free(test_read_file(err_txt, &n));
	cr_assert_eq(n, 0, "--help writes to stderr");
}

static void usage_error(const char *args, const char *message)
{
	cr_assert_eq(synth(args), 2, "'%s' should be a usage error", args);
	expect_text(err_txt, message);
	cr_assert_neq(access(path_in_dir("x.hrec"), F_OK), 0, "'%s' wrote a file", args);
}

Test(cli_synth, bad_options_exit_2_with_a_message)
{
	usage_error("--events 0 -o x.hrec", "--events: '0' is not a whole number from 1");
	usage_error("--events 12x -o x.hrec", "--events: '12x'");
	usage_error("--events -3 -o x.hrec", "--events: '-3'");
	usage_error("--minutes 6000000 -o x.hrec", "--minutes: '6000000' is not a whole number from 1 to 5256000");
	usage_error("--events 5 --minutes 5 -o x.hrec", "--events or --minutes, not both");
	usage_error("--seed -1 -o x.hrec", "--seed: '-1'");
	usage_error("--seed 99999999999999999999 -o x.hrec", "--seed");
	usage_error("--symbols BTCUSDT,FOO -o x.hrec", "--symbols: unknown symbol 'FOO'");
	usage_error("--symbols BTCUSDT,BTCUSDT -o x.hrec", "listed twice");
	usage_error("--start 2026-02-30 -o x.hrec", "--start: time '2026-02-30'");
	usage_error("--start yesterday -o x.hrec", "--start: time 'yesterday'");
	usage_error("--events 5", "-o OUT is required");
	usage_error("--events 5 -o x.hrec extra", "unexpected argument 'extra'");
	usage_error("--bogus -o x.hrec", "usage: hunter synth");
}

Test(cli_synth, unwritable_output_exits_1)
{
	cr_assert_eq(synth("--events 100 -o no/such/dir/x.hrec"), 1);
	expect_text(err_txt, "hunter synth: ");
	expect_text(err_txt, "no/such/dir/x.hrec");
}

static int same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = test_read_file(a, &na), *y = test_read_file(b, &nb);
	int same = na == nb && !memcmp(x, y, na);
	free(x);
	free(y);
	return same;
}

/* The output path is part of the command line kept in the header, so both
 * runs write the same name and the first file is set aside. */
Test(cli_synth, same_options_same_bytes)
{
	cr_assert_eq(synth("--seed 7 --events 20000 -o s.hrec"), 0);
	cr_assert_eq(rename(path_in_dir("s.hrec"), path_in_dir("first.hrec")), 0);
	cr_assert_eq(synth("--seed 7 --events 20000 -o s.hrec"), 0);
	cr_assert(same_file(path_in_dir("s.hrec"), path_in_dir("first.hrec")),
	          "two runs with --seed 7 differ");
	cr_assert_eq(rename(path_in_dir("s.hrec"), path_in_dir("first.hrec")), 0);
	cr_assert_eq(synth("--seed 8 --events 20000 -o s.hrec"), 0);
	cr_assert_not(same_file(path_in_dir("s.hrec"), path_in_dir("first.hrec")),
	              "--seed 7 and --seed 8 give the same file");
}

struct readback {
	uint64_t events, by_type[EV__COUNT];
	int64_t first_ms, last_ms;
	int ordered;
};

static void read_back(const char *name, struct readback *rb, const struct rec_header **hdr,
                      rec_reader **rp)
{
	char err[REC_ERR_MAX] = "";
	rec_reader *r = rec_reader_open(path_in_dir(name), err);
	cr_assert(r, "%s", err);
	ev_t ev;
	int rc;
	memset(rb, 0, sizeof *rb);
	rb->ordered = 1;
	while ((rc = rec_reader_next(r, &ev)) == 1) {
		if (rb->events++ == 0) {
			cr_assert_eq(ev.type, EV_EXCHANGE_INFO, "first event is %s",
			             ev_type_name(ev.type));
			rb->first_ms = ev.exch_ms;
		}
		rb->ordered &= ev.exch_ms >= rb->last_ms;
		rb->by_type[ev.type]++;
		rb->last_ms = ev.exch_ms;
	}
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_str_eq(rec_reader_warning(r), "");
	*hdr = rec_reader_header(r);
	*rp = r;
}

Test(cli_synth, recording_reads_back_as_asked)
{
	struct readback rb;
	const struct rec_header *h;
	rec_reader *r;
	cr_assert_eq(synth("--events 30000 -o n.hrec.gz"), 0);
	expect_text(out_txt, "wrote n.hrec.gz: 30000 events, 3 symbols, seed 1");
	read_back("n.hrec.gz", &rb, &h, &r);
	cr_assert_eq(rb.events, 30000);
	cr_assert(rb.ordered, "exchange times go back");
	cr_assert_str_eq(h->source, "synth");
	cr_assert_str_eq(h->command, "hunter synth --events 30000 -o n.hrec.gz");
	cr_assert_eq(h->nsymbols, 3);
	cr_assert_str_eq(h->symbols[2], "SOLUSDT");
	cr_assert_eq(h->start_ns, 1768176000000LL * 1000000);
	cr_assert_gt(rb.by_type[EV_DEPTH_UPDATE], 0);
	rec_reader_close(r);
}

Test(cli_synth, minutes_symbols_start_and_no_depth)
{
	struct readback rb;
	const struct rec_header *h;
	rec_reader *r;
	const int64_t start = 1772323200000LL; /* 2026-03-01T00:00:00Z */
	cr_assert_eq(synth("--minutes 2 --no-depth --symbols DOGEUSDT,XRPUSDT "
	                   "--start 2026-03-01T00:00:00Z --seed 3 -o m.hrec"), 0);
	read_back("m.hrec", &rb, &h, &r);
	cr_assert_eq(rb.first_ms, start);
	cr_assert(rb.last_ms < start + 120000 && rb.last_ms >= start + 119000);
	cr_assert_eq(rb.by_type[EV_DEPTH_UPDATE] + rb.by_type[EV_DEPTH_SNAPSHOT], 0);
	cr_assert_eq(rb.by_type[EV_MARK_PRICE], 2 * 119);
	cr_assert_eq(h->nsymbols, 2);
	cr_assert_str_eq(h->symbols[0], "DOGEUSDT");
	rec_reader_close(r);
}
