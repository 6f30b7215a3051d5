/*
 * client.h - a plain HTTP/1.1 client for the dashboard's tests: one
 * request per connection (Connection: close), any method, extra header
 * lines and a body; and an event-stream reader that waits for one
 * `data:` message. Every read has a deadline, so a broken server fails
 * a test instead of hanging it.
 */
#ifndef HUNTER_TEST_DASHBOARD_CLIENT_H
#define HUNTER_TEST_DASHBOARD_CLIENT_H

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct answer {
	int status;
	char headers[4096];
	char *body; /* malloc'd, NUL-terminated */
	size_t len;
};

static inline int client_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0, "connect: %s",
	             strerror(errno));
	return fd;
}

/* Sends `method path` with `headers` (lines ending in \r\n, or "") and
 * `body` (NULL: none). */
static inline int client_send(int port, const char *method, const char *path,
                              const char *headers, const char *body)
{
	int fd = client_connect(port);
	char head[4096];
	int n = body ? snprintf(head, sizeof head,
	                        "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
	                        "Content-Length: %zu\r\n\r\n", method, path, headers, strlen(body))
	             : snprintf(head, sizeof head,
	                        "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n",
	                        method, path, headers);
	cr_assert_eq(write(fd, head, (size_t)n), n);
	for (size_t done = 0, len = body ? strlen(body) : 0; done < len;) {
		ssize_t w = write(fd, body + done, len - done);
		if (w <= 0)
			break; /* the server may answer (413) and close before it all went */
		done += (size_t)w;
	}
	return fd;
}

/* Reads the whole answer until the server closes. */
static inline void client_read(int fd, struct answer *a, const char *what)
{
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
	cr_assert_not_null(sep, "%s: no complete answer", what);
	cr_assert_eq(sscanf(buf, "HTTP/1.1 %d", &a->status), 1, "%s: %s", what, buf);
	*sep = '\0';
	snprintf(a->headers, sizeof a->headers, "%s", buf);
	a->len = len - (size_t)(sep + 4 - buf);
	a->body = malloc(a->len + 1);
	memcpy(a->body, sep + 4, a->len + 1);
	free(buf);
}

static inline void client_request(int port, const char *method, const char *path,
                                  const char *headers, const char *body, struct answer *a)
{
	client_read(client_send(port, method, path, headers, body), a, path);
}

static inline void client_get(int port, const char *path, struct answer *a)
{
	client_request(port, "GET", path, "", NULL, a);
}

/* Reads from an event stream until a whole "data: ...\n\n" message is in
 * `acc` (which keeps what came before); returns the message's text,
 * malloc'd, or NULL after `timeout_ms`. */
static inline char *client_event(int fd, char *acc, size_t cap, int timeout_ms)
{
	for (;;) {
		char *data = strstr(acc, "data: ");
		char *end = data ? strstr(data, "\n\n") : NULL;
		if (end) {
			char *msg = strndup(data + 6, (size_t)(end - data - 6));
			memmove(acc, end + 2, strlen(end + 2) + 1);
			return msg;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		size_t len = strlen(acc);
		if (len + 1 >= cap || poll(&p, 1, timeout_ms) <= 0)
			return NULL;
		ssize_t got = read(fd, acc + len, cap - len - 1);
		if (got <= 0)
			return NULL;
		acc[len + (size_t)got] = '\0';
	}
}

#endif
