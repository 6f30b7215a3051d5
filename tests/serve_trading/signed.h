/*
 * signed.h - what the trading tests need beyond the end-to-end harness
 * (tests/serve_e2e/harness.h, included): any HTTP method with headers and
 * a body, requests signed with sign/ as V1 (HMAC) and V3 (EIP-712), the
 * accounts file, and reading {"code","msg"} and numbers out of answers.
 */
#ifndef HUNTER_TEST_SERVE_TRADING_SIGNED_H
#define HUNTER_TEST_SERVE_TRADING_SIGNED_H

#include <cjson/cJSON.h>

#include "serve_e2e/expect.h"
#include "serve_e2e/harness.h"
#include "sign.h"
#include "support.h"

#define V1_KEY "test-key-1"
#define V1_SECRET "test-secret-1"
/* aster-api.md 2.3's public demo key, its address (the signer) and user */
#define V3_KEY "0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1"
#define V3_SIGNER "0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0"
#define V3_USER "0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e"

static inline int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* `method path` with an optional header line ("Name: value\r\n") and a
 * form body; Connection: close and a 5 s deadline, as http_get. */
static inline void http_call(int port, const char *method, const char *path, const char *header,
                             const char *body, struct http_answer *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	size_t blen = body ? strlen(body) : 0;
	char *req = malloc(blen + strlen(path) + 1024);
	int n = sprintf(req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
	                "Content-Type: application/x-www-form-urlencoded\r\n"
	                "Content-Length: %zu\r\n\r\n%s", method, path, header ? header : "", blen,
	                body ? body : "");
	cr_assert_eq(write(fd, req, (size_t)n), n);
	free(req);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t got;
	while ((got = read(fd, buf + len, cap - len - 1)) > 0)
		if ((len += (size_t)got) + 1 == cap)
			buf = realloc(buf, cap *= 2);
	close(fd);
	buf[len] = '\0';
	char *sep = strstr(buf, "\r\n\r\n");
	cr_assert_not_null(sep, "%s %s: no complete answer", method, path);
	cr_assert_eq(sscanf(buf, "HTTP/1.1 %d", &a->status), 1);
	*sep = '\0';
	snprintf(a->headers, sizeof a->headers, "%s", buf);
	a->len = len - (size_t)(sep + 4 - buf);
	a->body = strdup(sep + 4);
	free(buf);
}

/* `params` signed as V1 at timestamp `ts` with `secret`, sent in the query
 * (GET, DELETE) or the body (POST) with the key header. */
static inline void v1_call(int port, const char *method, const char *path, const char *params,
                           const char *key, const char *secret, int64_t ts,
                           struct http_answer *a)
{
	char *signed_params, url[4096], header[256];
	cr_assert_null(sign_v1_append(secret, params, ts, 0, &signed_params));
	snprintf(header, sizeof header, "X-MBX-APIKEY: %s\r\n", key);
	bool in_body = !strcmp(method, "POST");
	snprintf(url, sizeof url, "%s%s%s", path, in_body ? "" : "?", in_body ? "" : signed_params);
	http_call(port, method, url, header, in_body ? signed_params : NULL, a);
	free(signed_params);
}

/* `params` signed as V3 with `key_hex` for the demo user and signer. */
static inline void v3_call(int port, const char *method, const char *path, const char *params,
                           const char *key_hex, uint64_t nonce, struct http_answer *a)
{
	struct sign_v3_creds c;
	char *signed_params, url[4096];
	cr_assert_null(sign_v3_creds_init(&c, V3_USER, V3_SIGNER, V3_KEY, SIGN_CHAIN_MAINNET));
	cr_assert_null(sign_key_parse(&c.key, key_hex)); /* another key claims the signer */
	cr_assert_null(sign_v3_request(&c, params, nonce, &signed_params));
	sign_v3_creds_clear(&c);
	bool in_body = !strcmp(method, "POST");
	snprintf(url, sizeof url, "%s%s%s", path, in_body ? "" : "?", in_body ? "" : signed_params);
	http_call(port, method, url, NULL, in_body ? signed_params : NULL, a);
	free(signed_params);
}

/* The answer's JSON, which the caller frees. */
static inline cJSON *answer_json(const struct http_answer *a)
{
	cJSON *j = cJSON_Parse(a->body);
	cr_assert_not_null(j, "not JSON: %s", a->body);
	return j;
}

/* Asserts an error answer of this status and code. */
static inline void expect_error(struct http_answer *a, int status, int code)
{
	cJSON *j = answer_json(a);
	const cJSON *c = cJSON_GetObjectItem(j, "code");
	cr_assert(cJSON_IsNumber(c) && c->valueint == code && a->status == status,
	          "want %d %d, got %d %s", status, code, a->status, a->body);
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "msg")));
	cr_assert_not_null(strstr(a->headers, "x-mbx-used-weight-1m:"), "%s", a->headers);
	cJSON_Delete(j);
	free(a->body);
}

/* The accounts file of the tests: one V1 key, and the demo V3 signer. */
static inline void write_accounts(const char *path)
{
	test_write_file(path, "[{\"api_key\":\"" V1_KEY "\",\"api_secret\":\"" V1_SECRET "\","
	                      "\"balance_usdt\":\"5000\"},\n {\"user\":\"" V3_USER "\",\"signer\":\""
	                      V3_SIGNER "\",\"balance_usdt\":10000}]\n");
}

#endif
