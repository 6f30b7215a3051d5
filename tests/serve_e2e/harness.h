/*
 * harness.h - runs the real `hunter serve` for the end-to-end tests: starts
 * it on --port 0, reads the port from its first stdout line, keeps its
 * stderr in a file for the messages, stops it and collects its exit
 * status, and makes plain HTTP/1.1 requests to it. Every wait has a
 * deadline, so a broken server fails a test instead of hanging it.
 */
#ifndef HUNTER_TEST_SERVE_HARNESS_H
#define HUNTER_TEST_SERVE_HARNESS_H

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SERVE_ARGS_MAX 32

struct served {
	pid_t pid;
	int port;
	int out;             /* read end of its stdout */
	char err_path[160];  /* its stderr */
	char line[256];      /* its first stdout line */
};

static inline int64_t test_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads one line from fd within the deadline; false on timeout or EOF. */
static inline bool read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;
	int64_t end = test_now_ms() + timeout_ms;
	while (n + 1 < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = end - test_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		if (read(fd, buf + n, 1) != 1)
			break;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return true;
		}
		n++;
	}
	buf[n] = '\0';
	return false;
}

/* Starts `hunter serve ARGS` (ARGS split at spaces) with stderr into a file
 * under dir; returns without reading the port. */
static inline void serve_spawn(struct served *s, const char *dir, const char *args)
{
	char copy[2048], *argv[SERVE_ARGS_MAX] = {HUNTER_BIN, "serve"};
	int argc = 2;
	snprintf(copy, sizeof copy, "%s", args);
	for (char *t = strtok(copy, " "); t && argc < SERVE_ARGS_MAX - 1; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	static int count;
	snprintf(s->err_path, sizeof s->err_path, "%s/serve-%d.err", dir, ++count);
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	s->pid = fork();
	cr_assert_geq(s->pid, 0);
	if (s->pid == 0) {
		int err = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fds[1], 1);
		dup2(err, 2);
		close(fds[0]);
		execv(HUNTER_BIN, argv);
		_exit(127);
	}
	close(fds[1]);
	s->out = fds[0];
	s->port = 0;
}

/* Starts the server and reads its port from the first line. */
static inline void serve_start(struct served *s, const char *dir, const char *args)
{
	serve_spawn(s, dir, args);
	cr_assert(read_line(s->out, s->line, sizeof s->line, 10000),
	          "hunter serve %s: no first line within 10 s", args);
	cr_assert_eq(sscanf(s->line, "hunter serve: listening on http://127.0.0.1:%d", &s->port), 1,
	             "unexpected first line: %s", s->line);
	cr_assert_gt(s->port, 0);
}

/* Its exit status within the deadline, or -1 after killing it. */
static inline int serve_wait(struct served *s, int timeout_ms)
{
	int64_t end = test_now_ms() + timeout_ms;
	int st;
	while (test_now_ms() < end) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);
		if (r == s->pid) {
			close(s->out);
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	close(s->out);
	return -1;
}

/* SIGTERM, then the exit status (130 expected). */
static inline int serve_stop(struct served *s)
{
	kill(s->pid, SIGTERM);
	return serve_wait(s, 5000);
}

static inline char *serve_stderr(const struct served *s)
{
	FILE *f = fopen(s->err_path, "r");
	cr_assert_not_null(f);
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct http_answer {
	int status;
	char headers[2048];
	char *body; /* malloc'd, NUL-terminated */
	size_t len;
};

/* GET path on the server, with Connection: close and a 5 s deadline. */
static inline void http_get(int port, const char *path, struct http_answer *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "connect: %s",
	             strerror(errno));
	char req[1024];
	int n = snprintf(req, sizeof req,
	                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
	cr_assert_eq(write(fd, req, (size_t)n), n);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t got;
	while ((got = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	buf[len] = '\0';
	char *sep = strstr(buf, "\r\n\r\n");
	cr_assert_not_null(sep, "GET %s: no complete answer", path);
	cr_assert_eq(sscanf(buf, "HTTP/1.1 %d", &a->status), 1);
	*sep = '\0';
	snprintf(a->headers, sizeof a->headers, "%s", buf);
	a->len = len - (size_t)(sep + 4 - buf);
	a->body = malloc(a->len + 1);
	memcpy(a->body, sep + 4, a->len + 1);
	free(buf);
}

#endif
