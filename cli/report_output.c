/*
 * report_output.c - writing a run's report from the command line, shared by
 * `hunter report` and `hunter backtest --report`: where the folder goes by
 * default, the optional CSV exports, and opening it in a browser.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "report.h"

extern char **environ;

/* report/ in the folder of the database. */
static void default_dir(const char *db, char *out, size_t cap)
{
	const char *slash = strrchr(db, '/');
	if (slash)
		snprintf(out, cap, "%.*s/report", (int)(slash - db), db);
	else
		snprintf(out, cap, "report");
}

/* xdg-open only makes sense with a desktop session to open a window in. */
static void open_in_browser(const char *path)
{
	const char *x11 = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
	if (!(x11 && *x11) && !(wayland && *wayland)) {
		fprintf(stderr, "hunter: no desktop session (DISPLAY, WAYLAND_DISPLAY): open"
		                " the path above in a browser\n");
		return;
	}
	char *argv[] = {"xdg-open", (char *)path, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ);
	if (rc) {
		fprintf(stderr, "hunter: cannot run xdg-open (%s): open the path above in a"
		                " browser\n", strerror(rc));
		return;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

int cli_report(const char *db, const char *dir, const struct report_opts *o, bool csv,
               bool open, FILE *say)
{
	char def[PATH_MAX], err[1024];
	if (!dir) {
		default_dir(db, def, sizeof def);
		dir = def;
	}
	struct report_result res;
	if (report_write(db, dir, o, &res, err, sizeof err) ||
	    (csv && report_csv(db, dir, err, sizeof err))) {
		fprintf(stderr, "hunter: report: %s\n", err);
		return -1;
	}
	fprintf(say, "%s\n", res.index_path);
	fflush(say);
	if (open)
		open_in_browser(res.index_path);
	return 0;
}
