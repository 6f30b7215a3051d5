/*
 * legacy_v3.c - the older V3 scheme (aster-api.md 2.4): the parameters as
 * sorted JSON, ABI-encoded with user, signer and nonce, hashed, and signed
 * with Ethereum's personal_sign. Kept because servers of that generation
 * may still expect it; the caller builds the JSON (its bytes are signed).
 */
#include <stdlib.h>
#include <string.h>

#include "sign_int.h"

/* A 32-byte ABI word holding `n` big-endian bytes right-aligned. */
static void put_word(uint8_t *w, const uint8_t *b, size_t n)
{
	memset(w, 0, 32);
	memcpy(w + 32 - n, b, n);
}

static void put_uint(uint8_t *w, uint64_t v)
{
	uint8_t be[8];
	for (int i = 0; i < 8; i++)
		be[7 - i] = (uint8_t)(v >> (8 * i));
	put_word(w, be, sizeof be);
}

const char *sign_v3_legacy_hash(const char *json, const uint8_t user[SIGN_ADDR_LEN],
                                const uint8_t signer[SIGN_ADDR_LEN], uint64_t nonce,
                                uint8_t h[SIGN_HASH_LEN])
{
	if (!json || !*json)
		return "V3 legacy: empty parameters";
	/* abi.encode(string, address, address, uint256): four head words (the
	 * string's offset, 0x80, then the static values), then the string's
	 * length and its bytes padded with zeros to a whole word */
	size_t len = strlen(json), padded = (len + 31) / 32 * 32;
	uint8_t *enc = calloc(1, 5 * 32 + padded);
	if (!enc)
		return "V3 legacy: out of memory";
	put_uint(enc, 4 * 32);
	put_word(enc + 32, user, SIGN_ADDR_LEN);
	put_word(enc + 64, signer, SIGN_ADDR_LEN);
	put_uint(enc + 96, nonce);
	put_uint(enc + 128, len);
	memcpy(enc + 160, json, len);
	sign_keccak256(enc, 5 * 32 + padded, h);
	free(enc);
	return NULL;
}

const char *sign_v3_legacy(const struct sign_key *k, const char *json,
                           const uint8_t user[SIGN_ADDR_LEN],
                           const uint8_t signer[SIGN_ADDR_LEN], uint64_t nonce,
                           char out[SIGN_SIG_STR])
{
	static const char prefix[] = "\x19" "Ethereum Signed Message:\n32";
	uint8_t msg[sizeof prefix - 1 + SIGN_HASH_LEN], digest[SIGN_HASH_LEN], sig[SIGN_SIG_LEN];
	const char *err = sign_v3_legacy_hash(json, user, signer, nonce, msg + sizeof prefix - 1);
	if (err)
		return err;
	memcpy(msg, prefix, sizeof prefix - 1);
	sign_keccak256(msg, sizeof msg, digest);
	err = sign_ecdsa(k, digest, sig);
	if (!err)
		sign_hex_0x(sig, sizeof sig, out);
	return err;
}
