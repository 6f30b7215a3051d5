/*
 * cli.h - the hunter commands and the little they share: exit codes and a
 * progress line for long runs.
 *
 * Each command lives in cli/cmd_<name>.c and is listed in main.c. A command
 * parses its own options, prints `--help`, and returns an exit code; it does
 * the work by calling the modules, never by holding logic of its own.
 */
#ifndef HUNTER_CLI_H
#define HUNTER_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes every command uses; scripts can rely on them. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,  /* the work failed: unreadable or corrupt input, I/O error */
	EXIT_USAGE = 2, /* bad command line or settings: nothing was done */
	EXIT_DIFFERENT = 3, /* hunter parity: the runs differ */
	EXIT_INTERRUPTED = 130, /* stopped by Ctrl-C or SIGTERM; what was done is kept */
};

int cmd_serve(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_parity(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_live(int argc, char **argv);

/* "500ms", "25s", "30m", "6h", "1d", "1h30m" into milliseconds; 0 or -1
 * for anything else (or zero). */
int cli_parse_duration(const char *text, int64_t *ms);

/* From now on Ctrl-C and SIGTERM set the returned flag instead of killing
 * the process. */
volatile sig_atomic_t *cli_stop_on_signals(void);

struct report_opts;
/* Writes the report of the run database `db` into `dir` (NULL: report/
 * beside the database), with the CSV exports when `csv`, prints the path
 * of index.html to `say` and opens it in a browser when `open`. Returns 0,
 * or -1 after printing why. */
int cli_report(const char *db, const char *dir, const struct report_opts *o, bool csv,
               bool open, FILE *say);

/* "hunter <argv...>" as typed, for the header of what a command writes;
 * malloc'd, NULL when out of memory. */
char *cli_command_line(int argc, char **argv);

/*
 * A progress line on stderr, shown only when stderr is a terminal and at most
 * a few times a second. `total` may be 0 when unknown.
 */
typedef struct progress {
	const char *what;
	uint64_t total;
	uint64_t last_ns;
	int active;
} progress_t;

void progress_start(progress_t *p, const char *what, uint64_t total);
void progress_update(progress_t *p, uint64_t done);
void progress_end(progress_t *p);

#endif
