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
/* a key that is not the signer's: its signatures are forged */
#define V3_OTHER_KEY "0x0101010101010101010101010101010101010101010101010101010101010101"

static inline int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* `method path` with an optional header line ("Name: value\r\n") and a
 * form body; Connection: close. false when no complete answer came within
 * timeout_ms (a client that gives up). */
static inline bool http_call_within(int port, const char *method, const char *path,
                                    const char *header, const char *body, int timeout_ms,
                                    struct http_answer *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = timeout_ms % 1000 * 1000};
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
	if (!sep || sscanf(buf, "HTTP/1.1 %d", &a->status) != 1) {
		free(buf);
		return false;
	}
	*sep = '\0';
	snprintf(a->headers, sizeof a->headers, "%s", buf);
	a->len = len - (size_t)(sep + 4 - buf);
	a->body = strdup(sep + 4);
	free(buf);
	return true;
}

/* http_call_within with a 5 s deadline, as http_get: an answer must come. */
static inline void http_call(int port, const char *method, const char *path, const char *header,
                             const char *body, struct http_answer *a)
{
	cr_assert(http_call_within(port, method, path, header, body, 5000, a),
	          "%s %s: no complete answer", method, path);
}

/* Where the signed parameters go: a form body for POST (and, as ccxt
 * sends it, DELETE when asked), else the query. */
static inline void send_signed(int port, const char *method, const char *path,
                               const char *header, const char *signed_params, bool in_body,
                               struct http_answer *a)
{
	char url[4096];
	snprintf(url, sizeof url, "%s%s%s", path, in_body ? "" : "?", in_body ? "" : signed_params);
	http_call(port, method, url, header, in_body ? signed_params : NULL, a);
}

/* `params` signed as V1 at timestamp `ts` with `secret` (malloc'd). */
static inline char *v1_signed(const char *secret, const char *params, int64_t ts)
{
	struct sign_v1_key k;
	char *out = NULL;
	cr_assert_null(sign_v1_key_init(&k, secret));
	cr_assert_null(sign_v1_append(&k, params, ts, 0, &out));
	sign_v1_key_clear(&k);
	return out;
}

/* `params` signed as V1 at timestamp `ts` with `secret`, with the key
 * header, in the body when in_body. */
static inline void v1_send(int port, const char *method, const char *path, const char *params,
                           const char *key, const char *secret, int64_t ts, bool in_body,
                           struct http_answer *a)
{
	char *signed_params = v1_signed(secret, params, ts), header[256];
	snprintf(header, sizeof header, "X-MBX-APIKEY: %s\r\n", key);
	send_signed(port, method, path, header, signed_params, in_body, a);
	free(signed_params);
}

/* v1_send in the query (GET, DELETE) or the body (POST). */
static inline void v1_call(int port, const char *method, const char *path, const char *params,
                           const char *key, const char *secret, int64_t ts,
                           struct http_answer *a)
{
	v1_send(port, method, path, params, key, secret, ts, !strcmp(method, "POST"), a);
}

/* `params` signed as V3 with `key_hex` for the demo user and signer, in
 * the body when in_body. */
static inline void v3_send(int port, const char *method, const char *path, const char *params,
                           const char *key_hex, uint64_t nonce, bool in_body,
                           struct http_answer *a)
{
	struct sign_v3_creds c;
	char *signed_params;
	cr_assert_null(sign_v3_creds_init(&c, V3_USER, V3_SIGNER, V3_KEY, SIGN_CHAIN_MAINNET));
	cr_assert_null(sign_key_parse(&c.key, key_hex)); /* another key claims the signer */
	cr_assert_null(sign_v3_request(&c, params, nonce, &signed_params));
	sign_v3_creds_clear(&c);
	send_signed(port, method, path, NULL, signed_params, in_body, a);
	free(signed_params);
}

/* v3_send in the query (GET, DELETE) or the body (POST). */
static inline void v3_call(int port, const char *method, const char *path, const char *params,
                           const char *key_hex, uint64_t nonce, struct http_answer *a)
{
	v3_send(port, method, path, params, key_hex, nonce, !strcmp(method, "POST"), a);
}

/* A fresh V3 nonce (us), never the same twice in the process. */
static inline uint64_t v3_nonce(void)
{
	static struct sign_nonce g;
	return sign_nonce_next(&g);
}

/* Who signs a call: the V1 key of the accounts file or the V3 demo
 * signer. */
enum signer { AS_V1, AS_V3 };

/* `params` signed by `who`, or forged (another secret or key); in the
 * query for GET, else in a form body. */
static inline void signed_as(int port, enum signer who, bool forged, const char *method,
                             const char *path, const char *params, struct http_answer *a)
{
	bool in_body = strcmp(method, "GET") != 0;
	if (who == AS_V1)
		v1_send(port, method, path, params, V1_KEY, forged ? "another-secret" : V1_SECRET,
		        wall_ms(), in_body, a);
	else
		v3_send(port, method, path, params, forged ? V3_OTHER_KEY : V3_KEY, v3_nonce(),
		        in_body, a);
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

/* A string member of j, asserted to be there. */
static inline const char *json_str(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(j, key);
	cr_assert(cJSON_IsString(v), "no string %s", key);
	return v->valuestring;
}

/* The value of header `name` (lower case, as lws writes it) as a number;
 * -1 when absent. */
static inline long long header_num(const struct http_answer *a, const char *name)
{
	char want[80];
	snprintf(want, sizeof want, "\r\n%s: ", name);
	const char *p = strstr(a->headers, want);
	return p ? strtoll(p + strlen(want), NULL, 10) : -1;
}

/* The accounts file of the tests: one V1 key, and the demo V3 signer. */
static inline void write_accounts(const char *path)
{
	test_write_file(path, "[{\"api_key\":\"" V1_KEY "\",\"api_secret\":\"" V1_SECRET "\","
	                      "\"balance_usdt\":\"5000\"},\n {\"user\":\"" V3_USER "\",\"signer\":\""
	                      V3_SIGNER "\",\"balance_usdt\":10000}]\n");
}

#endif
