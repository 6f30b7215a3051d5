/*
 * cmd_inspect.c - `hunter inspect`: summarises recordings (span, counts,
 * gaps, holes, header, warnings) or dumps their events as exchange JSON in
 * replay order. The summary itself is the importer module's imp_summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aster.h"
#include "cli.h"
#include "importer.h"
#include "recording.h"
#include "replay.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter inspect [options] FILE...\n"
	        "\n"
	        "Summarises recordings, each file and (for several) all together: the\n"
	        "header (source, command, hunter version), file size, time span in UTC,\n"
	        "events per type and per symbol, events/s, gap events, holes (no event\n"
	        "of a symbol and type for longer than the threshold; liquidations are\n"
	        "sparse by nature and never count as holes), exchange time going back\n"
	        "within a file, and any reader warning (a file cut short).\n"
	        "\n"
	        "Options:\n"
	        "  -d, --dump             print every event as one JSON line (the exchange's\n"
	        "                         shape), all files merged in replay order\n"
	        "  -j, --json             print the summary as one JSON object\n"
	        "  -g, --gap-seconds S    hole threshold in seconds (default 5)\n"
	        "  -h, --help             this text\n"
	        "\n"
	        "Exit status: 0 every file was read, 1 a file is corrupt or unreadable\n"
	        "(the error names the byte offset), 2 bad usage.\n");
}

/* Prints one event as a JSON line; *buf grows as needed. -1: no memory. */
static int print_event(const ev_t *ev, char **buf, size_t *cap)
{
	size_t len = aster_format(ev, *buf, *cap);
	if (len >= *cap) {
		char *nb = realloc(*buf, len + 1);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = len + 1;
		aster_format(ev, *buf, *cap);
	}
	fwrite(*buf, 1, len, stdout);
	fputc('\n', stdout);
	return 0;
}

static int dump(const char *const *paths, size_t n)
{
	char err[REC_ERR_MAX] = "";
	replay *rp = replay_open(paths, n, err);
	if (!rp) {
		fprintf(stderr, "hunter inspect: %s\n", err);
		return EXIT_FAIL;
	}
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	ev_t ev;
	int r = 0;
	if (!buf)
		snprintf(err, sizeof err, "out of memory");
	while (buf && (r = replay_next(rp, &ev)) == 1)
		if (print_event(&ev, &buf, &cap)) {
			snprintf(err, sizeof err, "out of memory");
			break;
		}
	for (size_t i = 0; i < replay_nfiles(rp); i++)
		if (rec_reader_warning(replay_reader(rp, i))[0])
			fprintf(stderr, "hunter inspect: warning: %s\n",
			        rec_reader_warning(replay_reader(rp, i)));
	if (err[0])
		fprintf(stderr, "hunter inspect: %s\n", err);
	free(buf);
	replay_close(rp);
	return err[0] ? EXIT_FAIL : EXIT_OK;
}

/* Reads one file into a summary; returns 0, or -1 if it is unreadable or
 * corrupt (the summary then carries the error). */
static int summarise(const char *path, imp_summary_t *s)
{
	char err[REC_ERR_MAX] = "";
	struct stat sb;
	if (stat(path, &sb) == 0)
		imp_summary_set_size(s, (uint64_t)sb.st_size);
	rec_reader *r = rec_reader_open(path, err);
	if (!r) {
		fprintf(stderr, "hunter inspect: %s\n", err);
		imp_summary_set_error(s, err);
		return -1;
	}
	const struct rec_header *h = rec_reader_header(r);
	imp_summary_set_header(s, h);
	ev_t ev;
	int rc;
	progress_t pr;
	progress_start(&pr, "inspect: events read", 0);
	while ((rc = rec_reader_next(r, &ev)) == 1) {
		imp_summary_add(s, &ev);
		if ((imp_summary_events(s) & 0xffff) == 0)
			progress_update(&pr, imp_summary_events(s));
	}
	progress_end(&pr);
	imp_summary_end(s);
	if (rc < 0) {
		fprintf(stderr, "hunter inspect: %s\n", err);
		imp_summary_set_error(s, err);
	}
	imp_summary_set_warning(s, rec_reader_warning(r));
	rec_reader_close(r);
	return rc < 0 ? -1 : 0;
}

static void print_json(imp_summary_t *const *parts, size_t n, const imp_summary_t *total)
{
	fputs("{\"files\":[", stdout);
	for (size_t i = 0; i < n; i++) {
		char *j = imp_summary_json(parts[i]);
		printf("%s%s", i ? "," : "", j ? j : "null");
		free(j);
	}
	char *j = imp_summary_json(total);
	printf("],\"total\":%s}\n", j ? j : "null");
	free(j);
}

static int summaries(const char *const *paths, size_t n, int64_t hole_ms, bool json)
{
	imp_summary_t **parts = calloc(n, sizeof *parts);
	imp_summary_t *total = imp_summary_new("total", hole_ms);
	int rc = parts && total ? EXIT_OK : EXIT_FAIL;
	for (size_t i = 0; rc == EXIT_OK && i < n; i++)
		if (!(parts[i] = imp_summary_new(paths[i], hole_ms)))
			rc = EXIT_FAIL;
	for (size_t i = 0; parts && total && i < n && parts[i]; i++) {
		if (summarise(paths[i], parts[i]))
			rc = EXIT_FAIL;
		imp_summary_merge(total, parts[i]);
		if (!json)
			imp_summary_print(parts[i], stdout);
	}
	if (json && parts && total)
		print_json(parts, n, total);
	else if (n > 1 && total)
		imp_summary_print(total, stdout);
	for (size_t i = 0; parts && i < n; i++)
		imp_summary_free(parts[i]);
	free(parts);
	imp_summary_free(total);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dump", no_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"gap-seconds", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool do_dump = false, json = false;
	double gap_s = 5;
	char *end;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "djg:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': do_dump = true; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'g':
			gap_s = strtod(optarg, &end);
			if (*end || end == optarg || !(gap_s > 0) || gap_s > 1e9) {
				fprintf(stderr, "hunter inspect: --gap-seconds: '%s' is not a "
				                "positive number of seconds\n", optarg);
				return EXIT_USAGE;
			}
			break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "hunter inspect: no recording given (see --help)\n");
		return EXIT_USAGE;
	}
	if (do_dump && json) {
		fprintf(stderr, "hunter inspect: --dump and --json do not go together\n");
		return EXIT_USAGE;
	}
	const char *const *paths = (const char *const *)argv + optind;
	size_t n = (size_t)(argc - optind);
	return do_dump ? dump(paths, n) : summaries(paths, n, (int64_t)(gap_s * 1000), json);
}
