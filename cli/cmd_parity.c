/*
 * cmd_parity.c - `hunter parity A.db B.db`: what two runs of the same market
 * did differently and why (parity module), with an exit code a script can
 * test: 0 the same, 3 different.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "parity.h"

#define DEFAULT_MATCH_MS 2000

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter parity A.db B.db [options]\n"
	        "\n"
	        "Compares two run databases of the same market: a live session and the backtest\n"
	        "of its own recording, or two backtests with different simulation settings.\n"
	        "Each signal of A is matched with B's signal for the same symbol and side nearest\n"
	        "in time; every difference is listed with its cause:\n"
	        "  decision  one run fired, the other skipped (both reasons shown)\n"
	        "  signal    only one run saw the signal\n"
	        "  queue     both fired; the entries filled different quantities\n"
	        "  latency   same quantity, filled at another time\n"
	        "  price     same quantity and time, another price\n"
	        "  fees      same fills, other fees (maker against taker)\n"
	        "and, where the entry tells, what it cost B against A in USDT. Net PnL of both\n"
	        "runs (realized, less fees and funding) closes the report.\n"
	        "\n"
	        "  --match DURATION  signals further apart are not the same one (default 2s)\n"
	        "  --json            the report as one JSON object\n"
	        "  --help            this text\n"
	        "\n"
	        "Exit codes: 0 the runs agree, 3 they differ, 1 a database is unreadable,\n"
	        "2 bad options.\n");
}

int cmd_parity(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"match", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct pty_opts o = {.match_ms = DEFAULT_MATCH_MS};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (cli_parse_duration(optarg, &o.match_ms)) {
				fprintf(stderr, "hunter parity: --match: expected a duration such as 500ms"
				                " or 2s, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j': o.json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "hunter parity: give two run databases\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	o.a = argv[optind];
	o.b = argv[optind + 1];
	struct pty_result res;
	char err[512];
	if (pty_compare(&o, stdout, &res, err, sizeof err)) {
		fprintf(stderr, "hunter parity: %s\n", err);
		return EXIT_FAIL;
	}
	return pty_differs(&res) ? EXIT_DIFFERENT : EXIT_OK;
}
