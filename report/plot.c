/*
 * plot.c - runs gnuplot on a script the report wrote, without a shell: the
 * script and data files sit in the report folder and gnuplot is started with
 * posix_spawnp in that folder, so no file name or data is ever interpreted by
 * a shell. A machine without gnuplot still gets a report, with tables only.
 */
/* posix_spawn_file_actions_addchdir_np (glibc 2.29, musl 1.1.24) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_int.h"

extern char **environ;

int rp_plot_run(const char *prog, const char *dir, const char *script)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* gnuplot resolves the script's relative output and data names from its
	 * working directory, so it runs inside the report folder; the parent's
	 * own directory never changes. */
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "gnuplot.log",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	char *argv[] = {(char *)prog, (char *)script, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc == ENOENT)
		return 1;
	if (rc != 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
