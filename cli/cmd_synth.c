/*
 * cmd_synth.c - `hunter synth`: writes a seeded synthetic recording, for
 * benchmarks and tests, by pulling events from the synth module and handing
 * them to the recording writer one at a time (memory stays flat whatever the
 * size).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "recording.h"
#include "synth.h"

#define MAX_MINUTES 5256000ULL /* ten years */
#define PROGRESS_EVERY 65536   /* events between progress updates */

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter synth [options] -o OUT\n"
	        "\n"
	        "Writes a recording of synthetic but realistic Aster market data: per symbol\n"
	        "a random-walk price with volatility clustering, book ticker updates, aggTrades,\n"
	        "a mark price every second with funding, depth diffs, and liquidation cascades\n"
	        "(self-exciting bursts, at most one reported per symbol per second, that push\n"
	        "the price and partly revert). The first event is the exchange info. The same\n"
	        "options always give the same file, byte for byte.\n"
	        "\n"
	        "Options:\n"
	        "  -o, --output OUT      recording to write (.hrec; .hrec.gz compresses)\n"
	        "  -s, --seed N          seed of the random generator (default 1)\n"
	        "  -n, --events N        write exactly N events\n"
	        "  -m, --minutes M       write M minutes of exchange time (default 60)\n"
	        "      --symbols A,B     symbols to make (default BTCUSDT,ETHUSDT,SOLUSDT;\n"
	        "                        known:");
	for (size_t i = 0; synth_symbol_name(i); i++)
		fprintf(out, " %s", synth_symbol_name(i));
	fprintf(out, ")\n"
	             "      --start T         exchange time of the first event: ms since the\n"
	             "                        epoch or UTC ISO such as 2026-01-12T08:00:00Z\n"
	             "                        (default 2026-01-12T00:00:00Z)\n"
	             "      --no-depth        leave out depth snapshots and diffs\n"
	             "  -h, --help            this text\n"
	             "\n"
	             "--events and --minutes exclude each other. Exit status: 0 written,\n"
	             "1 the recording could not be written, 2 bad usage.\n");
}

static int bad_value(const char *opt, const char *why)
{
	fprintf(stderr, "hunter synth: %s: %s\n", opt, why);
	return EXIT_USAGE;
}

/* A whole number in [min, max]: digits only, no sign, spaces or suffix.
 * Returns -1 to go on, or the exit code. */
static int parse_number(const char *opt, const char *text, uint64_t min, uint64_t max,
                        uint64_t *out)
{
	char *end, why[160];
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || v < min || v > max) {
		snprintf(why, sizeof why, "'%.40s' is not a whole number from %llu to %llu", text,
		         (unsigned long long)min, (unsigned long long)max);
		return bad_value(opt, why);
	}
	*out = v;
	return -1;
}

struct args {
	struct synth_opts o;
	const char *out;
};

/* One option; returns -1 to go on, or the exit code. */
static int take_option(int c, struct args *a, bool *events, bool *minutes)
{
	char err[SYNTH_ERR_MAX];
	uint64_t n;
	int rc;
	switch (c) {
	case 'o': a->out = optarg; return -1;
	case 'h': usage(stdout); return EXIT_OK;
	case 'd': a->o.depth = false; return -1;
	case 's': return parse_number("--seed", optarg, 0, UINT64_MAX, &a->o.seed);
	case 'n':
		*events = true;
		return parse_number("--events", optarg, 1, UINT64_MAX, &a->o.max_events);
	case 'm':
		*minutes = true;
		if ((rc = parse_number("--minutes", optarg, 1, MAX_MINUTES, &n)) >= 0)
			return rc;
		a->o.duration_ms = (int64_t)n * 60000;
		return -1;
	case 'y':
		return synth_opts_symbols(&a->o, optarg, err) ? bad_value("--symbols", err) : -1;
	case 't':
		return synth_parse_time(optarg, &a->o.start_ms, err) ? bad_value("--start", err) : -1;
	default: usage(stderr); return EXIT_USAGE;
	}
}

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'},
		{"events", required_argument, NULL, 'n'},
		{"minutes", required_argument, NULL, 'm'},
		{"symbols", required_argument, NULL, 'y'},
		{"start", required_argument, NULL, 't'},
		{"no-depth", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool events = false, minutes = false;
	int c, rc;
	while ((c = getopt_long(argc, argv, "o:s:n:m:h", longopts, NULL)) != -1)
		if ((rc = take_option(c, a, &events, &minutes)) >= 0)
			return rc;
	if (optind < argc) {
		fprintf(stderr, "hunter synth: unexpected argument '%s' (see --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (events && minutes) {
		fprintf(stderr, "hunter synth: give --events or --minutes, not both\n");
		return EXIT_USAGE;
	}
	if (!a->out) {
		fprintf(stderr, "hunter synth: -o OUT is required (see --help)\n");
		return EXIT_USAGE;
	}
	if (events)
		a->o.duration_ms = 0; /* the count alone decides where it ends */
	return -1;
}

static void print_stats(const struct synth_stats *st, const struct synth_opts *o,
                        const char *out)
{
	printf("wrote %s: %llu events, %zu symbols, seed %llu, %.1f minutes of exchange time\n",
	       out, (unsigned long long)st->events, o->nsymbols, (unsigned long long)o->seed,
	       (double)(st->last_ms - o->start_ms) / 60000.0);
	for (int k = 1; k < EV__COUNT; k++)
		if (st->by_type[k])
			printf("  %-16s %llu\n", ev_type_name(k), (unsigned long long)st->by_type[k]);
	printf("  liquidations the exchange throttle kept out: %llu\n",
	       (unsigned long long)st->liq_throttled);
}

/* Pulls every event from the synthesizer into the writer. */
static int pump(synth_t *s, rec_writer *w, const struct synth_opts *o)
{
	progress_t p;
	ev_t ev;
	uint64_t n = 0;
	/* Counted in events, or in seconds of exchange time for --minutes. */
	progress_start(&p, o->max_events ? "synth: events" : "synth: seconds",
	               o->max_events ? o->max_events : (uint64_t)o->duration_ms / 1000);
	while (synth_next(s, &ev) == 1) {
		if (rec_writer_write(w, &ev))
			break;
		if (++n % PROGRESS_EVERY == 0)
			progress_update(&p, o->max_events ? n : (uint64_t)(ev.exch_ms - o->start_ms) / 1000);
	}
	progress_end(&p);
	return n == synth_stats(s)->events ? 0 : -1;
}

static int generate(const struct args *a, int argc, char **argv)
{
	char err[REC_ERR_MAX];
	const char *names[SYNTH_MAX_SYMBOLS];
	synth_t *s = synth_open(&a->o, err);
	if (!s) {
		fprintf(stderr, "hunter synth: %s\n", err);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < a->o.nsymbols; i++)
		names[i] = a->o.symbols[i];
	char *cmd = cli_command_line(argc, argv);
	struct rec_header h = {.source = "synth", .command = cmd ? cmd : "hunter synth",
	                       .start_ns = a->o.start_ms * 1000000,
	                       .nsymbols = (uint32_t)a->o.nsymbols, .symbols = names};
	rec_writer *w = rec_writer_open(a->out, &h, NULL, err);
	free(cmd);
	bool failed = !w;
	if (w) {
		failed = pump(s, w, &a->o) != 0;
		failed |= rec_writer_close(w) != 0;
	}
	if (failed) {
		fprintf(stderr, "hunter synth: %s\n", err);
		unlink(a->out); /* half a recording would pass for a short one */
	} else {
		print_stats(synth_stats(s), &a->o, a->out);
	}
	synth_close(s);
	return failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_synth(int argc, char **argv)
{
	struct args a = {0};
	synth_opts_init(&a.o);
	optind = 1;
	int rc = parse_args(argc, argv, &a);
	return rc >= 0 ? rc : generate(&a, argc, argv);
}
