/*
 * cmd_backtest.c - `hunter backtest`: replays recordings through the
 * simulated exchange and the engine (backtest module), writes the run
 * database and prints the summary, as text or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "cli.h"
#include "core.h"
#include "report.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter backtest --settings FILE [options] RECORDING...\n"
	        "\n"
	        "Replays the recordings, merged in exchange-time order, through the simulated\n"
	        "exchange and the strategy; writes DIR/run.db and prints a summary.\n"
	        "\n"
	        "  --settings FILE       settings.json (required)\n"
	        "  --out DIR             where run.db goes (default runs/<settings>-<recording>)\n"
	        "  --json                print the summary as JSON\n"
	        "  --report              also write the HTML report to DIR/report/\n"
	        "  --csv                 also write round_trips.csv and fills.csv there\n"
	        "  --seed N              seed of the simulated exchange (default: the settings')\n"
	        "  --from T, --to T      trade only on events in [T, T2): ms since the epoch or\n"
	        "                        UTC ISO 8601 (2025-01-27T17:00:00Z)\n"
	        "  --exchange-info FILE  trading rules (an exchangeInfo response) for recordings\n"
	        "                        that carry none\n"
	        "  --help                this text\n"
	        "\n"
	        "Ctrl-C or SIGTERM stops the replay: run.db keeps what was done, marked\n"
	        "interrupted. A run that fails leaves the folder's previous run.db as it was.\n"
	        "\n"
	        "Exit codes: 0 done, 1 an input is missing, corrupt or lacks the data the\n"
	        "settings need, 2 bad options or settings, 130 interrupted.\n");
}

static void on_progress(void *ctx, uint64_t events)
{
	progress_update(ctx, events);
}

static int parse_seed(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "hunter backtest: --seed: expected an unsigned integer, got '%s'\n", s);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_backtest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"settings", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},
		{"report", no_argument, NULL, 'r'},
		{"csv", no_argument, NULL, 'c'},
		{"seed", required_argument, NULL, 'S'},
		{"exchange-info", required_argument, NULL, 'x'},
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct backtest_opts o = {.diag = stderr};
	bool json = false, report = false, csv = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.settings_path = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'j': json = true; break;
		case 'r': report = true; break;
		case 'c': csv = true; break;
		case 'x': o.exchange_info_path = optarg; break;
		case 'F':
		case 'T':
			if (utc_parse(optarg, c == 'F' ? &o.from_ms : &o.to_ms)) {
				fprintf(stderr, "hunter backtest: --%s: expected ms since the epoch or a"
				                " UTC time, got '%s'\n", c == 'F' ? "from" : "to", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (parse_seed(optarg, &o.seed))
				return EXIT_USAGE;
			o.has_seed = true;
			break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (o.from_ms && o.to_ms && o.from_ms >= o.to_ms) {
		fprintf(stderr, "hunter backtest: --from must be before --to\n");
		return EXIT_USAGE;
	}
	if (!o.settings_path || optind >= argc) {
		fprintf(stderr, "hunter backtest: %s\n",
		        o.settings_path ? "no recording given" : "--settings FILE is required");
		usage(stderr);
		return EXIT_USAGE;
	}
	o.recordings = (const char *const *)argv + optind;
	o.nrecordings = (size_t)(argc - optind);

	progress_t pg;
	progress_start(&pg, "backtest events", 0);
	o.stop = cli_stop_on_signals();
	o.progress = on_progress;
	o.progress_ctx = &pg;
	struct backtest_summary *s = malloc(sizeof *s);
	if (!s) {
		fprintf(stderr, "hunter backtest: out of memory\n");
		return EXIT_FAIL;
	}
	int rc = backtest_run(&o, s);
	progress_end(&pg);
	if (rc == BT_OK || rc == BT_EINTR) {
		if (rc == BT_EINTR)
			fprintf(stderr, "hunter backtest: interrupted: %s holds the run up to the"
			                " stop\n", s->db_path);
		if (json)
			backtest_print_json(stdout, s);
		else
			backtest_print_text(stdout, s);
		struct report_opts ro = {.diag = stderr};
		if ((report || csv) && cli_report(s->db_path, NULL, &ro, csv, false, json ? stderr : stdout))
			rc = BT_EDATA;
	}
	free(s);
	if (rc == BT_EINTR)
		return EXIT_INTERRUPTED;
	return rc == BT_OK ? EXIT_OK : rc == BT_EUSAGE ? EXIT_USAGE : EXIT_FAIL;
}
