/*
 * cmd_report.c - `hunter report`: writes the HTML report of a run database
 * (report module) into a folder, optionally with CSV exports, and prints
 * the path of its index.html; --open shows it in the desktop's browser.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "report.h"

#define MAX_REFRESH 86400

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter report RUN.db [options]\n"
	        "\n"
	        "Writes the HTML report of a run database (index.html and SVG charts, drawn with\n"
	        "gnuplot when it is installed) into a folder and prints the path of index.html.\n"
	        "The folder is self-contained and opens offline.\n"
	        "\n"
	        "  --out DIR          folder to write (default: report/ next to RUN.db)\n"
	        "  --open             open the report in the desktop's browser (xdg-open)\n"
	        "  --refresh SECONDS  reload the page every SECONDS (1..%d), for a live run\n"
	        "  --csv              also write round_trips.csv and fills.csv\n"
	        "  --help             this text\n"
	        "\n"
	        "Exit codes: 0 done, 1 the database is unreadable or the folder unwritable,\n"
	        "2 bad options.\n", MAX_REFRESH);
}

static int parse_refresh(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > MAX_REFRESH) {
		fprintf(stderr, "hunter report: --refresh: expected whole seconds from 1 to %d, got '%s'\n",
		        MAX_REFRESH, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"open", no_argument, NULL, 'O'},
		{"refresh", required_argument, NULL, 'r'},
		{"csv", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct report_opts o = {.diag = stderr};
	const char *dir = NULL;
	bool open = false, csv = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': dir = optarg; break;
		case 'O': open = true; break;
		case 'c': csv = true; break;
		case 'r':
			if (parse_refresh(optarg, &o.refresh_seconds))
				return EXIT_USAGE;
			break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "hunter report: %s\n", optind >= argc ? "no run database given"
		                                                     : "give one run database");
		usage(stderr);
		return EXIT_USAGE;
	}
	return cli_report(argv[optind], dir, &o, csv, open, stdout) ? EXIT_FAIL : EXIT_OK;
}
