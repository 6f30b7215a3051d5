/*
 * sign.h - Aster request signing, both schemes (docs/signing.md):
 *
 *  - V1: HMAC-SHA256 over the exact query+body bytes with the API secret;
 *  - V3: EIP-712 typed data `Message(string msg)` in the domain
 *    "AsterSignTransaction", signed with an API-wallet secp256k1 key, and
 *    the recovery of the signer from a signed request (what `hunter serve`
 *    needs to authenticate V3 clients);
 *  - the older V3 variant (ABI-encoded JSON + personal_sign), kept for
 *    servers that still expect it;
 *  - Keccak-256 and Ethereum addresses (EIP-55), which V3 builds on.
 *
 * Nothing here reads a clock except sign_nonce_next(): timestamps and
 * nonces are the caller's, so signatures are reproducible.
 *
 * Errors: every function that can fail returns NULL on success or a static
 * English message. The messages are fixed strings; they never quote the
 * input, so they never carry key material and can be logged as they are.
 * Private keys live in struct sign_key, which sign_key_clear() wipes.
 */
#ifndef HUNTER_SIGN_H
#define HUNTER_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIGN_HASH_LEN 32     /* Keccak-256 and SHA-256 digests */
#define SIGN_ADDR_LEN 20     /* an Ethereum address */
#define SIGN_ADDR_STR 43     /* "0x" + 40 hex + NUL */
#define SIGN_HMAC_STR 65     /* 64 hex + NUL */
#define SIGN_SIG_LEN 65      /* r[32] || s[32] || v[1] */
#define SIGN_SIG_STR 133     /* "0x" + 130 hex + NUL */
#define SIGN_CHAIN_MAINNET 1666u
#define SIGN_CHAIN_TESTNET 714u
#define SIGN_RECV_WINDOW_MAX 60000 /* ms, the documented maximum */

/* ---- Keccak-256 (Ethereum's: original Keccak padding, not SHA3-256) ---- */

void sign_keccak256(const void *data, size_t n, uint8_t out[SIGN_HASH_LEN]);

/* ---- V1: HMAC-SHA256 ---- */

/* The lower-case hex HMAC-SHA256 of query || body (joined with no '&', as
 * Aster defines totalParams) under `secret`. Either part may be NULL or
 * empty, not both. */
const char *sign_v1(const char *secret, const char *query, const char *body,
                    char out[SIGN_HMAC_STR]);

/* A secret made ready to sign with once (the hash states after the
 * HMAC's padded keys), so that a request pays for the hashing of its bytes
 * only. Cleared, the keyed states are wiped. One request at a time: the
 * work state is shared. */
struct sign_v1_key {
	struct evp_md_ctx_st *inner, *outer, *work;
};

const char *sign_v1_key_init(struct sign_v1_key *k, const char *secret);
void sign_v1_key_clear(struct sign_v1_key *k);

/* `params` (may be empty) followed by "recvWindow=<ms>" (left out when
 * recv_window_ms is 0), "timestamp=<ms>" and "signature=<hex>", in that
 * order and joined by '&', the signature covering everything before it.
 * *out is malloc'd; the caller frees it. */
const char *sign_v1_append(struct sign_v1_key *k, const char *params, int64_t timestamp_ms,
                           int recv_window_ms, char **out);

/* Whether `sig_hex` (any case) is the V1 signature of query || body;
 * the comparison takes the same time wherever the bytes differ. NULL when
 * it is, else why not. */
const char *sign_v1_verify(const char *secret, const char *query, const char *body,
                           const char *sig_hex);

/* ---- Keys and addresses ---- */

/* A secp256k1 private key: 32 bytes, nonzero, below the curve order. */
struct sign_key {
	uint8_t d[32];
};

/* From 64 hex digits, with or without "0x". On error *k is zeroed. */
const char *sign_key_parse(struct sign_key *k, const char *hex);
/* Wipes the key (OPENSSL_cleanse, which the compiler cannot drop). */
void sign_key_clear(struct sign_key *k);
/* The Ethereum address of the key: the last 20 bytes of the Keccak-256 of
 * the uncompressed public key without its 0x04 prefix. */
const char *sign_key_address(const struct sign_key *k, uint8_t addr[SIGN_ADDR_LEN]);

/* "0x" + 40 hex digits in any case (the EIP-55 checksum is not required:
 * addresses may arrive lower-cased). */
const char *sign_addr_parse(const char *s, uint8_t addr[SIGN_ADDR_LEN]);
/* The EIP-55 mixed-case form, "0x..." NUL-terminated. */
void sign_addr_format(const uint8_t addr[SIGN_ADDR_LEN], char out[SIGN_ADDR_STR]);

/* ---- V3: EIP-712 ---- */

/* keccak256(0x19 0x01 || domainSeparator(chain_id) || hashStruct(msg)). */
const char *sign_v3_digest(const char *msg, size_t n, uint32_t chain_id,
                           uint8_t digest[SIGN_HASH_LEN]);

/* The signature "0x" + hex(r || s || v), v = 27 + recovery id, of the V3
 * digest of msg[0..n) (RFC 6979 nonce, low s). */
const char *sign_v3(const struct sign_key *k, const char *msg, size_t n, uint32_t chain_id,
                    char out[SIGN_SIG_STR]);

/* The address that made `sig` ("0x" + 130 hex, any case, v 27 or 28, low s)
 * over msg[0..n). Verification is comparing it with the expected signer. */
const char *sign_v3_recover(const char *msg, size_t n, uint32_t chain_id, const char *sig,
                            uint8_t addr[SIGN_ADDR_LEN]);

/* The half of an ECDSA signature that does not depend on the message,
 * made ahead (presign.c): r = (k·G).x, k⁻¹ mod n and the parity of
 * (k·G).y for a random secret k. Signs once, then is wiped. */
struct sign_presig {
	uint8_t r[32];
	uint8_t kinv[32];
	int recid;
};
#define SIGN_PRESIGS 16 /* presignatures a client keeps ready */

/* What a V3 client holds: the account (user), the API wallet (signer)
 * and the API wallet's key, checked to belong to the signer; and what
 * every request of theirs would otherwise redo before it can leave: both
 * addresses in EIP-55 form, the chain's domain separator, a blinded
 * secp256k1 context and the presignatures made ahead. One owner (thread)
 * per creds; never copy them. */
struct sign_v3_creds {
	uint8_t user[SIGN_ADDR_LEN];
	uint8_t signer[SIGN_ADDR_LEN];
	struct sign_key key;
	uint32_t chain_id;
	char user_str[SIGN_ADDR_STR], signer_str[SIGN_ADDR_STR];
	uint8_t domain[SIGN_HASH_LEN];
	struct secp256k1_context_struct *ctx;
	struct sign_presig presig[SIGN_PRESIGS];
	int npresig;
};

const char *sign_v3_creds_init(struct sign_v3_creds *c, const char *user, const char *signer,
                               const char *key_hex, uint32_t chain_id);
void sign_v3_creds_clear(struct sign_v3_creds *c);

/* The request to send: `params` (URL-encoded, may be empty) followed by
 * "nonce=<us>&user=<EIP-55>&signer=<EIP-55>" and "&signature=0x...", the
 * signature covering every byte before "&signature=". *out is malloc'd.
 * Signed with a presignature when one is ready (about 2 µs; a random k,
 * so not reproducible), else deterministically (RFC 6979, about 30 µs). */
const char *sign_v3_request(struct sign_v3_creds *c, const char *params, uint64_t nonce,
                            char **out);

/* Makes one more presignature for the next requests, while nothing waits
 * (about one signature's cost); at most SIGN_PRESIGS are kept. Returns how
 * many are ready. */
int sign_v3_presign(struct sign_v3_creds *c);

/* The server side: a raw query or body whose last parameter is
 * "signature=0x..."; recovers the address that signed the bytes before
 * "&signature=". The caller compares it with the request's `signer`. */
const char *sign_v3_recover_request(const char *raw, size_t n, uint32_t chain_id,
                                    uint8_t addr[SIGN_ADDR_LEN]);

/* ---- V3, older variant (aster-api.md 2.4) ---- */

/* keccak256(abi.encode(string json, address user, address signer,
 * uint256 nonce)): the hash that variant signs with personal_sign. */
const char *sign_v3_legacy_hash(const char *json, const uint8_t user[SIGN_ADDR_LEN],
                                const uint8_t signer[SIGN_ADDR_LEN], uint64_t nonce,
                                uint8_t h[SIGN_HASH_LEN]);
/* personal_sign of that hash: "0x" + hex(r || s || v), v 27 or 28. */
const char *sign_v3_legacy(const struct sign_key *k, const char *json,
                           const uint8_t user[SIGN_ADDR_LEN],
                           const uint8_t signer[SIGN_ADDR_LEN], uint64_t nonce,
                           char out[SIGN_SIG_STR]);

/* ---- Nonces ---- */

/* V3 nonces: microseconds since the epoch, strictly increasing per
 * generator, also when called twice in one microsecond, from several
 * threads, or after the clock steps back (then it runs ahead of the clock
 * by one per call until the clock catches up). Zero-initialise it. */
struct sign_nonce {
	_Atomic uint64_t last;
};

/* The next nonce given the time now (us): max(now_us, last + 1). */
uint64_t sign_nonce_next_at(struct sign_nonce *g, uint64_t now_us);
/* The same with the wall clock (CLOCK_REALTIME). */
uint64_t sign_nonce_next(struct sign_nonce *g);

#endif
