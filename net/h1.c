/*
 * h1.c - reads an HTTP/1.1 answer from the bytes a kept-alive connection
 * received (lane.c): the status, the header lines, and the body by
 * Content-Length, chunked transfer coding, or up to the connection's end.
 * Pure: the same bytes give the same answer, so it is fuzzed on its own.
 *
 * Only what an exchange's REST answer uses is accepted; anything else is
 * an error with a reason rather than a guess, because the caller then
 * treats the request as unanswered and looks its order up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net_int.h"

#define HEAD_MAX 65536u

/* The value of header `name` in head[0..len) when present. */
static bool header(const char *head, size_t len, const char *name, const char **v, size_t *vl)
{
	size_t n = strlen(name);
	for (const char *p = head, *end = head + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end;
		if ((size_t)(stop - p) > n && p[n] == ':' && !strncasecmp(p, name, n)) {
			const char *a = p + n + 1, *b = stop;
			while (a < b && (*a == ' ' || *a == '\t'))
				a++;
			while (b > a && (b[-1] == '\r' || b[-1] == ' ' || b[-1] == '\t'))
				b--;
			*v = a;
			*vl = (size_t)(b - a);
			return true;
		}
		p = stop + 1;
	}
	return false;
}

static bool has_token(const char *v, size_t vl, const char *token)
{
	size_t n = strlen(token);
	for (size_t i = 0; i + n <= vl; i++)
		if (!strncasecmp(v + i, token, n))
			return true;
	return false;
}

/* Digits of `base` in s[0..n): the value, or -1 when none, another byte, or
 * more than NET_FRAME_MAX. */
static long number(const char *s, size_t n, int base)
{
	long v = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int d = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
		        : base == 16 && s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
		        : base == 16 && s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10
		                                                  : -1;
		if (d < 0 || (v = v * base + d) > (long)NET_FRAME_MAX)
			return -1;
	}
	return v;
}

static long bad(char *err, const char *why)
{
	snprintf(err, NET_ERR_MAX, "%s", why);
	return -1;
}

static int set_body(struct net_h1 *out, const char *data, size_t n)
{
	if (!(out->body = malloc(n + 1)))
		return -1;
	memcpy(out->body, data, n);
	out->body[n] = '\0';
	out->body_len = n;
	return 0;
}

/* One chunk-size line at p[0..len): its size, -2 when the line is not all
 * there yet, -1 when it is malformed. `took` gets the line's length. */
static long chunk_size(const char *p, size_t len, size_t *took)
{
	const char *eol = memchr(p, '\n', len);
	if (!eol)
		return len > 64 ? -1 : -2;
	size_t digits = strspn(p, "0123456789abcdefABCDEF");
	if (digits > 7 || (p[digits] != ';' && p[digits] != '\r'))
		return -1;
	*took = (size_t)(eol - p) + 1;
	return number(p, digits, 16);
}

/* A chunked body from `p`: the bytes it took, 0 for more, -1 when malformed. */
static long chunked(const char *p, size_t len, struct net_h1 *out, char *err)
{
	struct net_buf b = {0};
	size_t at = 0, line;
	long n, rc = 0;
	while ((n = chunk_size(p + at, len - at, &line)) > 0) {
		if (len - at - line < (size_t)n + 2)
			goto done; /* more to come */
		at += line;
		if (p[at + (size_t)n] != '\r' || p[at + (size_t)n + 1] != '\n' ||
		    b.len + (size_t)n > NET_FRAME_MAX) {
			rc = bad(err, "bad chunk");
			goto done;
		}
		char *s = realloc(b.s, b.len + (size_t)n + 1);
		if (!s) {
			rc = bad(err, "out of memory");
			goto done;
		}
		memcpy(s + b.len, p + at, (size_t)n);
		b.s = s;
		b.len += (size_t)n;
		at += (size_t)n + 2;
	}
	if (n != 0) {
		rc = n == -2 ? 0 : bad(err, "bad chunk size");
		goto done;
	}
	at += line;
	for (;;) { /* trailers, if any, end with an empty line */
		const char *eol = memchr(p + at, '\n', len - at);
		if (!eol) {
			rc = len - at > HEAD_MAX ? bad(err, "trailers too long") : 0;
			goto done;
		}
		size_t l = (size_t)(eol - (p + at));
		at += l + 1;
		if (l == 0 || (l == 1 && p[at - 2] == '\r'))
			break;
	}
	rc = set_body(out, b.s ? b.s : "", b.len) ? bad(err, "out of memory") : (long)at;
done:
	free(b.s);
	return rc;
}

/* The status line "HTTP/1.x NNN reason": NNN, or -1. */
static long status_of(const char *buf, size_t len)
{
	if (len < 12 || memcmp(buf, "HTTP/1.", 7) || (buf[7] != '0' && buf[7] != '1') ||
	    buf[8] != ' ' || (len > 12 && buf[12] != ' ' && buf[12] != '\r'))
		return -1;
	long s = number(buf + 9, 3, 10);
	return s >= 100 && s <= 599 ? s : -1;
}

long net_h1_parse(const char *buf, size_t len, bool eof, struct net_h1 *out, char *err)
{
	memset(out, 0, sizeof *out);
	size_t skip = 0;
	for (;;) { /* 1xx answers come before the real one */
		const char *p = buf + skip;
		size_t n = len - skip;
		const char *end = NULL;
		for (size_t i = 3; i < n && i < HEAD_MAX && !end; i++)
			if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' && p[i - 3] == '\r')
				end = p + i + 1;
		if (!end)
			return n >= HEAD_MAX ? bad(err, "answer head longer than 64 KiB")
			       : eof && n ? bad(err, "connection closed in the answer's head") : 0;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		long status = status_of(p, (size_t)(eol - p));
		if (status < 0)
			return bad(err, "not an HTTP/1.1 answer");
		if (status < 200) {
			skip += (size_t)(end - p);
			continue;
		}
		out->status = status;
		out->headers = eol + 1;
		out->headers_len = (size_t)(end - (eol + 1)) - 2; /* without the empty line */
		const char *v;
		size_t vl;
		out->close = (header(out->headers, out->headers_len, "connection", &v, &vl) &&
		              has_token(v, vl, "close")) || buf[skip + 7] == '0';
		size_t at = (size_t)(end - buf), left = len - at;
		if (header(out->headers, out->headers_len, "transfer-encoding", &v, &vl)) {
			if (!has_token(v, vl, "chunked"))
				return bad(err, "unsupported transfer coding");
			long took = chunked(buf + at, left, out, err);
			return took <= 0 ? (took == 0 && eof ? bad(err, "connection closed in a chunked body") : took)
			                 : (long)at + took;
		}
		long cl = header(out->headers, out->headers_len, "content-length", &v, &vl)
		                  ? number(v, vl, 10)
		                  : status == 204 || status == 304 ? 0 : -2;
		if (cl == -1)
			return bad(err, "bad Content-Length");
		if (cl == -2) { /* the body runs to the connection's end */
			if (!eof)
				return left > NET_FRAME_MAX ? bad(err, "answer larger than 16 MiB") : 0;
			out->close = true;
			cl = (long)left;
		}
		if (left < (size_t)cl)
			return eof ? bad(err, "connection closed in the answer's body") : 0;
		return set_body(out, buf + at, (size_t)cl) ? bad(err, "out of memory") : (long)at + cl;
	}
}
