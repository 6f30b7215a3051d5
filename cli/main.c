/*
 * main.c - the `hunter` entry point: finds the command and hands it argv.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"record", cmd_record, "record Aster's market streams into recordings"},
	{"import", cmd_import, "build recordings from captures and liquidation logs"},
	{"inspect", cmd_inspect, "summarise or dump recordings"},
	{"synth", cmd_synth, "generate a seeded synthetic recording"},
	{"check-config", cmd_check_config, "validate settings.json and print the effective settings"},
	{"backtest", cmd_backtest, "replay recordings through the engine and simulated exchange"},
	{"report", cmd_report, "write the HTML report of a run database"},
	{"sweep", cmd_sweep, "backtest a grid of settings in one pass over the recordings"},
	{"parity", cmd_parity, "what two runs of the same market did differently, and why"},
	{"serve", cmd_serve, "serve recordings as a local Aster (WebSocket streams and REST)"},
	{"live", cmd_live, "trade the settings on Aster, or simulate them on live data"},
};

static void usage(FILE *out)
{
	fprintf(out, "hunter %s - liquidation hunting on Aster, backtested exactly\n\n"
	             "usage: hunter <command> [options]\n\ncommands:\n", HUNTER_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun `hunter <command> --help` for a command's options.\n"
	             "Exit codes: 0 success, 1 the work failed, 2 bad usage or settings,\n"
	             "3 the runs differ (parity), 130 stopped by Ctrl-C or SIGTERM (what was\n"
	             "done is kept).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hunter %s\n", HUNTER_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hunter: unknown command '%s' (run `hunter --help` for the list)\n", argv[1]);
	return EXIT_USAGE;
}
