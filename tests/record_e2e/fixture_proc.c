/*
 * fixture_proc.c - what the end-to-end tests use to run processes (fixture_proc.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture_proc.h"

#define SERVE_START_MS 5000

int64_t fixture_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void redirect(const char *path, int fd)
{
	if (!path)
		return;
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0 || dup2(f, fd) < 0)
		_exit(127);
	close(f);
}

/* In the child: output where asked, then the program. */
static void exec_child(const char *const *argv, const char *out, const char *err, int out_fd)
{
	if (out_fd >= 0 && dup2(out_fd, 1) < 0)
		_exit(127);
	redirect(out, 1);
	redirect(err, 2);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

pid_t fixture_spawn_limited(const char *const *argv, const char *out, const char *err,
                            long max_bytes)
{
	pid_t pid = fork();
	if (pid == 0) {
		redirect(out, 1);
		redirect(err, 2);
		if (max_bytes > 0) {
			struct rlimit rl = {(rlim_t)max_bytes, (rlim_t)max_bytes};
			signal(SIGXFSZ, SIG_IGN); /* a failed write instead of a killed process */
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		exec_child(argv, NULL, NULL, -1);
	}
	return pid;
}

pid_t fixture_spawn(const char *const *argv, const char *out, const char *err)
{
	return fixture_spawn_limited(argv, out, err, 0);
}

int fixture_wait(pid_t pid, int timeout_ms)
{
	int status;
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* Reads "hunter serve: listening on http://127.0.0.1:PORT\n" from fd. */
static int read_port(int fd)
{
	char line[128];
	size_t len = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (len < sizeof line - 1 && !memchr(line, '\n', len)) {
		if (poll(&p, 1, SERVE_START_MS) <= 0)
			return -1;
		ssize_t n = read(fd, line + len, sizeof line - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
	}
	line[len] = '\0';
	static const char prefix[] = "hunter serve: listening on http://127.0.0.1:";
	return strncmp(line, prefix, sizeof prefix - 1) ? -1 : atoi(line + sizeof prefix - 1);
}

pid_t fixture_serve(const char *const *extra, const char *err_path, int *port)
{
	const char *argv[32] = {HUNTER_BIN, "serve", "--port", "0"};
	size_t n = 4;
	for (size_t i = 0; extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		exec_child(argv, NULL, err_path, fds[1]);
	}
	close(fds[1]);
	*port = pid > 0 ? read_port(fds[0]) : -1;
	/* fds[0] stays open: a later line on the server's stdout must not
	 * raise SIGPIPE in it; the test process ends soon anyway */
	if (pid > 0 && *port <= 0) {
		fixture_wait(pid, 0);
		return -1;
	}
	return pid;
}
