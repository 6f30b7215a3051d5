/*
 * auth.c - who signed a request (docs/signing.md, aster-api.md section 2).
 *
 *   V1: the X-MBX-APIKEY header names an account of --accounts; the
 *       `signature` is the HMAC-SHA256 of the query string followed by the
 *       body, exactly as received up to "&signature="; `timestamp` must be
 *       within `recvWindow` (default 5000 ms, at most 60000) of the
 *       server's wall clock and at most 1 s ahead of it.
 *   V3: `user`, `signer`, `nonce` and a `signature` whose EIP-712 signer,
 *       recovered from the bytes before "&signature=", must be `signer`;
 *       the nonce (us) must be within 60 s of the wall clock and not one of
 *       the last 100 the signer used, nor below them once they are 100.
 *       The part that is not signed (query or body) is dropped, so no
 *       parameter of the request goes unverified.
 *
 * Both check against the wall clock, not the replay's, because clients
 * compare their own clock with the server's (aster-api.md section 10).
 * The signature is checked before anything is remembered, so an unsigned
 * request cannot use up a signer's nonces.
 */
#include <stdlib.h>
#include <string.h>

#include "trading_int.h"

#define TS_AHEAD_MS 1000          /* a timestamp this far ahead is accepted */
#define NONCE_WINDOW_US 60000000LL /* a nonce this far from the wall clock is expired */
#define SIG_PARAM_MAX (SIGN_SIG_STR + 8)

static void deny_key(struct rest_reply *r)
{
	serve_rest_error(r, 401, -2015, "Invalid API-key, IP, or permissions for action.");
}

static void deny_signature(struct rest_reply *r)
{
	serve_rest_error(r, 400, -1022, "Signature for this request is not valid.");
}

static void deny_nonce(struct rest_reply *r)
{
	serve_rest_error(r, 400, -4225, "Nonce Expired");
}

static void missing(struct rest_reply *r, const char *name)
{
	char msg[96];
	snprintf(msg, sizeof msg, "Mandatory parameter '%s' was not sent, was empty/null, or"
	         " malformed.", name);
	serve_rest_error(r, 400, -1102, msg);
}

/* Where "signature=" starts in raw when it is its last parameter. */
static const char *signature_at(const char *raw)
{
	const char *p = !strncmp(raw, "signature=", 10) ? raw : NULL;
	for (const char *s = raw; !p && (s = strstr(s, "&signature=")); s++)
		p = s + 1;
	return p && !strchr(p, '&') ? p : NULL;
}

int serve_signed_param(const struct signed_req *q, const char *key, char *out, size_t cap)
{
	int got = serve_query_get(q->query, key, out, cap);
	return got ? got : serve_query_get(q->body, key, out, cap);
}

int serve_signed_int(const struct signed_req *q, const char *key, int64_t min, int64_t max,
                     int64_t *out)
{
	int got = serve_query_int(q->query, key, min, max, out);
	return got ? got : serve_query_int(q->body, key, min, max, out);
}

/* A parameter that is there and fits. */
static bool param(const struct signed_req *q, const char *key, char *out, size_t cap)
{
	return serve_signed_param(q, key, out, cap) > 0;
}

/* ---------------------------------------------------------------- */
/* V1                                                               */
/* ---------------------------------------------------------------- */

static bool v1_signature_ok(const struct account *ac, const struct signed_req *q)
{
	const char *in_query = signature_at(q->query);
	const char *in_body = in_query ? NULL : signature_at(q->body);
	const char *at = in_query ? in_query : in_body;
	if (!at)
		return false;
	const char *raw = in_query ? q->query : q->body;
	size_t n = (size_t)(at - raw) - (at > raw); /* the '&' before it is not signed */
	char *prefix = malloc(n + 1);
	if (!prefix)
		return false;
	memcpy(prefix, raw, n);
	prefix[n] = '\0';
	const char *query = in_query ? prefix : q->query, *body = in_query ? q->body : prefix;
	bool ok = (query[0] || body[0]) && !sign_v1_verify(ac->api_secret, query, body, at + 10);
	free(prefix);
	return ok;
}

static bool v1_time_ok(const struct signed_req *q, struct rest_reply *r)
{
	int64_t t, window = 5000;
	if (serve_signed_int(q, "timestamp", 0, INT64_MAX / 2, &t) != 1) {
		missing(r, "timestamp");
		return false;
	}
	if (serve_signed_int(q, "recvWindow", 1, SIGN_RECV_WINDOW_MAX, &window) < 0) {
		missing(r, "recvWindow");
		return false;
	}
	if (t >= q->wall_ms + TS_AHEAD_MS || q->wall_ms - t > window) {
		serve_rest_error(r, 400, -1021,
		                 "Timestamp for this request is outside of the recvWindow.");
		return false;
	}
	return true;
}

static struct account *auth_v1(struct accounts *a, const struct signed_req *q,
                               struct rest_reply *r)
{
	struct account *ac = q->api_key[0] ? serve_accounts_by_key(a, q->api_key) : NULL;
	if (!ac) {
		deny_key(r);
		return NULL;
	}
	if (!v1_signature_ok(ac, q)) {
		deny_signature(r);
		return NULL;
	}
	return v1_time_ok(q, r) ? ac : NULL;
}

/* ---------------------------------------------------------------- */
/* V3                                                               */
/* ---------------------------------------------------------------- */

static bool v3_signer_ok(const struct signed_req *q, const uint8_t signer[SIGN_ADDR_LEN])
{
	const char *raw = signature_at(q->query) ? q->query : q->body;
	uint8_t got[SIGN_ADDR_LEN];
	return signature_at(raw) &&
	       !sign_v3_recover_request(raw, strlen(raw), SIGN_CHAIN_MAINNET, got) &&
	       !memcmp(got, signer, SIGN_ADDR_LEN);
}

/* Takes the nonce when it is fresh: within the window of the wall clock,
 * not used before, and not below the remembered ones once they are full. */
static bool nonce_take(struct account *ac, uint64_t nonce, int64_t wall_ms)
{
	int64_t now_us = wall_ms * 1000;
	if (nonce > (uint64_t)(now_us + NONCE_WINDOW_US) || (int64_t)nonce < now_us - NONCE_WINDOW_US)
		return false;
	uint64_t min = UINT64_MAX;
	for (size_t i = 0; i < ac->nnonces && i < ACCT_NONCES; i++) {
		if (ac->nonces[i] == nonce)
			return false;
		min = ac->nonces[i] < min ? ac->nonces[i] : min;
	}
	if (ac->nnonces >= ACCT_NONCES && nonce < min)
		return false;
	ac->nonces[ac->nnonces++ % ACCT_NONCES] = nonce;
	if (ac->nnonces == 2 * ACCT_NONCES)
		ac->nnonces = ACCT_NONCES; /* keeps the count bounded, the ring where it was */
	return true;
}

static struct account *auth_v3(struct accounts *a, struct signed_req *q, struct rest_reply *r)
{
	/* only the signed part counts: the other one is dropped */
	if (signature_at(q->query))
		q->body = "";
	else
		q->query = "";
	char user_s[SIGN_ADDR_STR], signer_s[SIGN_ADDR_STR];
	uint8_t user[SIGN_ADDR_LEN], signer[SIGN_ADDR_LEN];
	int64_t nonce;
	if (!param(q, "user", user_s, sizeof user_s) || sign_addr_parse(user_s, user)) {
		missing(r, "user");
		return NULL;
	}
	if (!param(q, "signer", signer_s, sizeof signer_s) || sign_addr_parse(signer_s, signer)) {
		missing(r, "signer");
		return NULL;
	}
	if (serve_signed_int(q, "nonce", 0, INT64_MAX / 2, &nonce) != 1) {
		missing(r, "nonce");
		return NULL;
	}
	if (!v3_signer_ok(q, signer)) {
		deny_signature(r);
		return NULL;
	}
	struct account *ac = serve_accounts_by_signer(a, user, signer);
	if (!ac)
		deny_key(r);
	else if (!nonce_take(ac, (uint64_t)nonce, q->wall_ms))
		deny_nonce(r);
	else
		return ac;
	return NULL;
}

struct account *serve_auth(struct accounts *a, struct signed_req *q, struct rest_reply *r)
{
	char sig[SIG_PARAM_MAX];
	if (!param(q, "signature", sig, sizeof sig)) {
		missing(r, "signature");
		return NULL;
	}
	char signer[SIGN_ADDR_STR];
	return param(q, "signer", signer, sizeof signer) ? auth_v3(a, q, r) : auth_v1(a, q, r);
}
