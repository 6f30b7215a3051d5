/*
 * serve_proc.h - what the benchmarks that measure against the real
 * `hunter serve` share: the hunter binary beside the benchmark's folder,
 * starting a program with its output to a file, and starting the server on
 * a free port and reading that port from its first line, and the work
 * folder they run in.
 */
#ifndef HUNTER_BENCH_SERVE_PROC_H
#define HUNTER_BENCH_SERVE_PROC_H

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define SERVE_ARGV_MAX 24

static char hunter[PATH_MAX];

/* The hunter binary: build/hunter, beside build/bench/. */
static inline int find_hunter(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (snprintf(hunter, sizeof hunter, "%s/../hunter", self) >= (int)sizeof hunter)
		return -1;
	return access(hunter, X_OK);
}

/* The CPU the next spawned program runs on; -1: any. */
static int spawn_cpu = -1;

/* Runs argv with stdout and stderr to out_fd (-1: /dev/null). */
static inline pid_t spawn(char *const argv[], int out_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (spawn_cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(spawn_cpu, &set);
			sched_setaffinity(0, sizeof set, &set);
		}
		int null = open("/dev/null", O_WRONLY);
		dup2(out_fd >= 0 ? out_fd : null, 1);
		dup2(out_fd >= 0 ? out_fd : null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Starts `hunter serve --port 0 ARGS...` (NULL-terminated), its output to a
 * file of `work` (a pipe nobody reads would stop it once full); returns
 * its pid, the port in *port, or -1 after saying why on stderr. */
static inline pid_t start_server(const char *const *args, const char *work, int *port)
{
	char log[PATH_MAX];
	if (snprintf(log, sizeof log, "%s/serve.out", work) >= (int)sizeof log)
		return -1;
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	char *argv[SERVE_ARGV_MAX] = {hunter, "serve", "--port", "0"};
	size_t n = 4;
	for (size_t i = 0; args[i] && n + 1 < SERVE_ARGV_MAX; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	pid_t pid = spawn(argv, fd);
	close(fd);
	char line[256] = "";
	for (int tries = 0; tries < 200; tries++) { /* 10 s */
		FILE *f = fopen(log, "r");
		bool got = f && fgets(line, sizeof line, f) && strchr(line, '\n');
		if (f)
			fclose(f);
		if (got && sscanf(line, "hunter serve: listening on http://127.0.0.1:%d", port) == 1)
			return pid;
		usleep(50000);
	}
	fprintf(stderr, "the server did not start: %s\n", line);
	kill(pid, SIGTERM);
	return -1;
}

/* The recording to measure on: `given` (neither NULL nor ""), else a
 * `hunter synth` one of `events` events written into work. 0, or -1
 * after saying why. */
static inline int bench_recording(const char *given, const char *work, long events,
                                  char rec[PATH_MAX])
{
	if (given && given[0]) {
		snprintf(rec, PATH_MAX, "%s", given);
		return 0;
	}
	snprintf(rec, PATH_MAX, "%s/synth.hrec", work);
	char cmd[PATH_MAX * 2 + 64];
	snprintf(cmd, sizeof cmd, "'%s' synth --seed 1 --events %ld -o '%s' >/dev/null", hunter,
	         events, rec);
	if (system(cmd)) {
		fprintf(stderr, "synth failed\n");
		return -1;
	}
	return 0;
}

static inline void remove_work(const char *work)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", work);
}

#endif
