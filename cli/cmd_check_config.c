/*
 * cmd_check_config.c - `hunter check-config`: loads a settings file the way
 * every other command does, reports each warning and error on stderr, and
 * prints the effective settings (every default filled in) on stdout. With
 * --json, stdout gets one JSON document holding both, for programs.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter check-config [--json] FILE\n"
	        "\n"
	        "Checks a settings.json (hunter's own or one written for the original\n"
	        "aster_lick_hunter bot) and prints the effective settings: every key with\n"
	        "its value, defaults included, as a settings.json that loads to the same\n"
	        "values. Warnings and errors go to stderr as FILE:LINE: level: path: message.\n"
	        "Keys and defaults are described in docs/settings.md.\n"
	        "\n"
	        "Options:\n"
	        "      --json    print one JSON object on stdout instead:\n"
	        "                {\"ok\":BOOL,\"diagnostics\":{\"errors\":[{\"line\":N,\n"
	        "                \"message\":TEXT}],\"warnings\":[...],\"errors_total\":N,\n"
	        "                \"warnings_total\":N},\"settings\":EFFECTIVE|null}\n"
	        "  -h, --help    this text\n"
	        "\n"
	        "Exit status: 0 the settings load (perhaps with warnings), 2 they do not\n"
	        "or the command line is wrong, 1 the output could not be written.\n");
}

/* Returns the index of FILE in argv, or -1 with the exit code in *rc. */
static int parse_args(int argc, char **argv, int *json, int *rc)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'j') {
			*json = 1;
		} else if (c == 'h') {
			usage(stdout);
			*rc = EXIT_OK;
			return -1;
		} else {
			fprintf(stderr, "hunter check-config: see --help\n");
			*rc = EXIT_USAGE;
			return -1;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "hunter check-config: expected one settings file (see --help)\n");
		*rc = EXIT_USAGE;
		return -1;
	}
	return optind;
}

static void write_json(FILE *out, int ok, const struct config_diag *d,
                       const struct settings *s, const struct live_settings *live,
                       const struct sim_params *sim)
{
	fprintf(out, "{\"ok\":%s,\"diagnostics\":", ok ? "true" : "false");
	config_diag_write_json(out, d);
	fputs(",\"settings\":", out);
	if (ok)
		config_write_effective(out, s, live, sim);
	else
		fputs("null\n", out);
	fputs("}\n", out);
}

int cmd_check_config(int argc, char **argv)
{
	static struct config_diag d; /* large: keep it off the stack */
	struct settings s;
	struct live_settings live;
	struct sim_params sim;
	int json = 0, rc = EXIT_OK;

	int at = parse_args(argc, argv, &json, &rc);
	if (at < 0)
		return rc;
	const char *file = argv[at];
	int ok = config_load_file(file, &s, &live, &sim, &d) == 0;
	config_diag_print(stderr, file, &d);
	if (json)
		write_json(stdout, ok, &d, &s, &live, &sim);
	else if (ok)
		config_write_effective(stdout, &s, &live, &sim);
	config_free(&s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("hunter check-config: stdout");
		return EXIT_FAIL;
	}
	return ok ? EXIT_OK : EXIT_USAGE;
}
