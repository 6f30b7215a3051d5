/*
 * request_v3.c - whole V3 requests: the credentials a client signs with,
 * the parameter string it sends (business parameters, then nonce, user and
 * signer, then the signature as the last parameter), and the server's way
 * from such a raw string back to the signer.
 */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>

#include "sign_int.h"

void sign_v3_creds_clear(struct sign_v3_creds *c)
{
	if (c->ctx)
		secp256k1_context_destroy(c->ctx);
	sign_key_clear(&c->key);
	OPENSSL_cleanse(c->presig, sizeof c->presig);
	memset(c, 0, sizeof *c);
}

const char *sign_v3_creds_init(struct sign_v3_creds *c, const char *user, const char *signer,
                               const char *key_hex, uint32_t chain_id)
{
	memset(c, 0, sizeof *c);
	c->chain_id = chain_id;
	uint8_t derived[SIGN_ADDR_LEN];
	const char *err = sign_addr_parse(user, c->user);
	if (!err)
		err = sign_addr_parse(signer, c->signer);
	if (!err)
		err = sign_key_parse(&c->key, key_hex);
	if (!err)
		err = sign_key_address(&c->key, derived);
	if (!err && memcmp(derived, c->signer, SIGN_ADDR_LEN))
		err = "V3: the private key is not the signer's";
	if (!err && !(c->ctx = sign_ecdsa_context()))
		err = "ECDSA: no signing context (out of memory or randomness)";
	if (err) {
		sign_v3_creds_clear(c);
		return err;
	}
	sign_addr_format(c->user, c->user_str);
	sign_addr_format(c->signer, c->signer_str);
	sign_eip712_domain(chain_id, c->domain);
	return NULL;
}

const char *sign_v3_request(struct sign_v3_creds *c, const char *params, uint64_t nonce,
                            char **out)
{
	*out = NULL;
	if (!nonce)
		return "V3: nonce must be positive";
	if (!params)
		params = "";
	/* "&nonce=" 20 digits, two "&user=0x..."-sized pairs, "&signature=" and
	 * 132 characters: under 300 bytes beyond the parameters */
	size_t cap = strlen(params) + 320;
	char *s = malloc(cap);
	if (!s)
		return "V3: out of memory";
	int n = snprintf(s, cap, "%s%snonce=%" PRIu64 "&user=%s&signer=%s", params,
	                 *params ? "&" : "", nonce, c->user_str, c->signer_str);
	uint8_t digest[SIGN_HASH_LEN], sig[SIGN_SIG_LEN];
	sign_eip712_digest(c->domain, s, (size_t)n, digest);
	const char *err = sign_ecdsa_presigned(c, digest, sig);
	if (err)
		err = sign_ecdsa_with(c->ctx, &c->key, digest, sig);
	if (err) {
		free(s);
		return err;
	}
	memcpy(s + n, "&signature=", 11);
	sign_hex_0x(sig, sizeof sig, s + n + 11);
	*out = s;
	return NULL;
}

const char *sign_v3_recover_request(const char *raw, size_t n, uint32_t chain_id,
                                    uint8_t addr[SIGN_ADDR_LEN])
{
	static const char key[] = "&signature=";
	const size_t klen = sizeof key - 1, slen = SIGN_SIG_STR - 1;
	/* the signature is the last parameter and has a fixed length, so its
	 * key sits at a known distance from the end */
	if (!raw || n < klen + slen || memcmp(raw + n - slen - klen, key, klen))
		return "V3: the last parameter is not a 0x + 130 hex digit signature";
	char sig[SIGN_SIG_STR];
	memcpy(sig, raw + n - slen, slen);
	sig[slen] = '\0';
	return sign_v3_recover(raw, n - slen - klen, chain_id, sig, addr);
}
