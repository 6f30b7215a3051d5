/*
 * hmac_v1.c - Aster's V1 signature (aster-api.md 2.2): lower-case hex
 * HMAC-SHA256, keyed with the API secret, over totalParams = the query
 * string followed directly (no '&') by the form body, exactly as sent.
 */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "sign_int.h"

const char *sign_v1_key_init(struct sign_v1_key *k, const char *secret)
{
	k->ctx = NULL;
	if (!secret || !*secret)
		return "V1: empty secret";
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *h = alg ? EVP_MAC_CTX_new(alg) : NULL;
	OSSL_PARAM opts[] = { OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0),
		                OSSL_PARAM_construct_end() };
	EVP_MAC_free(alg); /* the context holds its own reference */
	if (!h || !EVP_MAC_init(h, (const uint8_t *)secret, strlen(secret), opts)) {
		EVP_MAC_CTX_free(h);
		return "V1: HMAC-SHA256 failed";
	}
	k->ctx = h;
	return NULL;
}

void sign_v1_key_clear(struct sign_v1_key *k)
{
	EVP_MAC_CTX_free(k->ctx); /* frees and wipes the keyed state */
	k->ctx = NULL;
}

/* The keyed state is copied, never used itself, so one key signs any
 * number of messages. */
static const char *keyed_mac(const struct sign_v1_key *k, const char *query, const char *body,
                             uint8_t mac[SIGN_HASH_LEN])
{
	size_t nq = query ? strlen(query) : 0, nb = body ? strlen(body) : 0;
	if (!nq && !nb)
		return "V1: empty parameters";
	EVP_MAC_CTX *h = EVP_MAC_CTX_dup(k->ctx);
	size_t len = 0;
	int ok = h && EVP_MAC_update(h, (const uint8_t *)(nq ? query : ""), nq) &&
	         EVP_MAC_update(h, (const uint8_t *)(nb ? body : ""), nb) &&
	         EVP_MAC_final(h, mac, &len, SIGN_HASH_LEN) && len == SIGN_HASH_LEN;
	EVP_MAC_CTX_free(h);
	return ok ? NULL : "V1: HMAC-SHA256 failed";
}

static const char *v1_mac(const char *secret, const char *query, const char *body,
                          uint8_t mac[SIGN_HASH_LEN])
{
	struct sign_v1_key k;
	const char *err = sign_v1_key_init(&k, secret);
	if (!err)
		err = keyed_mac(&k, query, body, mac);
	sign_v1_key_clear(&k);
	return err;
}

const char *sign_v1(const char *secret, const char *query, const char *body,
                    char out[SIGN_HMAC_STR])
{
	uint8_t mac[SIGN_HASH_LEN];
	const char *err = v1_mac(secret, query, body, mac);
	if (!err)
		hex_encode(mac, sizeof mac, out);
	return err;
}

const char *sign_v1_append(const struct sign_v1_key *k, const char *params, int64_t timestamp_ms,
                           int recv_window_ms, char **out)
{
	*out = NULL;
	if (timestamp_ms <= 0)
		return "V1: timestamp must be positive";
	if (recv_window_ms < 0 || recv_window_ms > SIGN_RECV_WINDOW_MAX)
		return "V1: recvWindow must be 0 (left out) to 60000 ms";
	if (!params)
		params = "";
	/* "&recvWindow=60000&timestamp=" 19 digits "&signature=" 64 hex: 123 */
	size_t cap = strlen(params) + 160;
	char *s = malloc(cap);
	if (!s)
		return "V1: out of memory";
	const char *sep = *params ? "&" : "";
	int n = recv_window_ms
	            ? snprintf(s, cap, "%s%srecvWindow=%d&timestamp=%" PRId64, params, sep,
	                       recv_window_ms, timestamp_ms)
	            : snprintf(s, cap, "%s%stimestamp=%" PRId64, params, sep, timestamp_ms);
	uint8_t mac[SIGN_HASH_LEN];
	const char *err = keyed_mac(k, s, NULL, mac);
	if (err) {
		free(s);
		return err;
	}
	memcpy(s + n, "&signature=", 11);
	hex_encode(mac, sizeof mac, s + n + 11);
	*out = s;
	return NULL;
}

const char *sign_v1_verify(const char *secret, const char *query, const char *body,
                           const char *sig_hex)
{
	uint8_t want[SIGN_HASH_LEN], got[SIGN_HASH_LEN];
	const char *err = sign_hex_decode(sig_hex, got, sizeof got, SIGN_HEX_HMAC);
	if (!err)
		err = v1_mac(secret, query, body, want);
	if (err)
		return err;
	/* CRYPTO_memcmp's time does not depend on where the bytes differ */
	return CRYPTO_memcmp(want, got, sizeof want) ? "V1: signature does not match" : NULL;
}
