/*
 * hmac_v1.c - Aster's V1 signature (aster-api.md 2.2): lower-case hex
 * HMAC-SHA256, keyed with the API secret, over totalParams = the query
 * string followed directly (no '&') by the form body, exactly as sent.
 */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "sign_int.h"

#define SHA_BLOCK 64 /* SHA-256's block: the HMAC key is padded to it */

/* SHA-256 with one 64-byte block absorbed: the key xor a pad. */
static struct evp_md_ctx_st *padded(const uint8_t key[SHA_BLOCK], uint8_t pad)
{
	uint8_t block[SHA_BLOCK];
	for (int i = 0; i < SHA_BLOCK; i++)
		block[i] = key[i] ^ pad;
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	if (h && !(EVP_DigestInit_ex(h, EVP_sha256(), NULL) &&
	           EVP_DigestUpdate(h, block, sizeof block))) {
		EVP_MD_CTX_free(h);
		h = NULL;
	}
	OPENSSL_cleanse(block, sizeof block);
	return h;
}

/* HMAC (RFC 2104) kept as the two hash states after the padded key, so a
 * message costs two copies and its own hashing: about a fifth of
 * OpenSSL's EVP_MAC, whose duplicated context is allocated afresh. */
const char *sign_v1_key_init(struct sign_v1_key *k, const char *secret)
{
	*k = (struct sign_v1_key){0};
	if (!secret || !*secret)
		return "V1: empty secret";
	uint8_t key[SHA_BLOCK] = {0};
	size_t n = strlen(secret);
	unsigned int len = 0;
	if (n <= SHA_BLOCK)
		memcpy(key, secret, n);
	else if (!EVP_Digest(secret, n, key, &len, EVP_sha256(), NULL))
		return "V1: HMAC-SHA256 failed";
	k->inner = padded(key, 0x36);
	k->outer = padded(key, 0x5c);
	k->work = EVP_MD_CTX_new();
	OPENSSL_cleanse(key, sizeof key);
	if (!k->inner || !k->outer || !k->work) {
		sign_v1_key_clear(k);
		return "V1: HMAC-SHA256 failed";
	}
	return NULL;
}

void sign_v1_key_clear(struct sign_v1_key *k)
{
	/* each frees and wipes its hash state */
	EVP_MD_CTX_free(k->inner);
	EVP_MD_CTX_free(k->outer);
	EVP_MD_CTX_free(k->work);
	*k = (struct sign_v1_key){0};
}

/* The keyed states are copied, never used themselves, so one key signs
 * any number of messages. */
static const char *keyed_mac(struct sign_v1_key *k, const char *query, const char *body,
                             uint8_t mac[SIGN_HASH_LEN])
{
	size_t nq = query ? strlen(query) : 0, nb = body ? strlen(body) : 0;
	if (!nq && !nb)
		return "V1: empty parameters";
	uint8_t inner[SIGN_HASH_LEN];
	unsigned int li = 0, lo = 0;
	int ok = EVP_MD_CTX_copy_ex(k->work, k->inner) && EVP_DigestUpdate(k->work, query, nq) &&
	         EVP_DigestUpdate(k->work, body, nb) && EVP_DigestFinal_ex(k->work, inner, &li) &&
	         EVP_MD_CTX_copy_ex(k->work, k->outer) &&
	         EVP_DigestUpdate(k->work, inner, sizeof inner) &&
	         EVP_DigestFinal_ex(k->work, mac, &lo) && li == SIGN_HASH_LEN && lo == SIGN_HASH_LEN;
	OPENSSL_cleanse(inner, sizeof inner);
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

const char *sign_v1_append(struct sign_v1_key *k, const char *params, int64_t timestamp_ms,
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
