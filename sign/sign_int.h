/*
 * sign_int.h - what the files of sign/ share and nothing else needs: hex
 * decoding of the inputs, and the secp256k1 steps both V3 variants use
 * (sign a 32-byte digest recoverably, recover an address from one).
 */
#ifndef HUNTER_SIGN_INT_H
#define HUNTER_SIGN_INT_H

#include "sign.h"

/* What a hex input is, which names it in the fixed error messages. */
enum sign_hex_kind { SIGN_HEX_KEY, SIGN_HEX_ADDR, SIGN_HEX_SIG, SIGN_HEX_HMAC };

/* Exactly `n` bytes from 2n hex digits (any case) after an optional "0x". */
const char *sign_hex_decode(const char *s, uint8_t *out, size_t n, enum sign_hex_kind kind);

/* `n` bytes as lower-case hex after "0x", NUL-terminated. */
void sign_hex_0x(const uint8_t *b, size_t n, char *out);

/* The two halves of the V3 digest, apart so that tests can check each
 * against the reference's intermediate values: the EIP-712 domain
 * separator for a chain, and hashStruct of Message(string msg). */
void sign_eip712_domain(uint32_t chain_id, uint8_t out[SIGN_HASH_LEN]);
void sign_eip712_struct(const char *msg, size_t n, uint8_t out[SIGN_HASH_LEN]);
/* The V3 digest of msg[0..n) under a domain separator already made. */
void sign_eip712_digest(const uint8_t domain[SIGN_HASH_LEN], const char *msg, size_t n,
                        uint8_t digest[SIGN_HASH_LEN]);

/* r || s || v (v = 27 + recovery id) over a 32-byte digest, in a
 * context of its own or in `ctx` (from sign_ecdsa_context(), blinded;
 * secp256k1_context_destroy() frees it). */
const char *sign_ecdsa(const struct sign_key *k, const uint8_t digest[SIGN_HASH_LEN],
                       uint8_t sig[SIGN_SIG_LEN]);
const char *sign_ecdsa_with(const struct secp256k1_context_struct *ctx, const struct sign_key *k,
                            const uint8_t digest[SIGN_HASH_LEN], uint8_t sig[SIGN_SIG_LEN]);
struct secp256k1_context_struct *sign_ecdsa_context(void);
/* The same with the creds' key and their last presignature (presign.c),
 * which it uses up; an error when none is ready or it does not fit (then
 * sign another way). */
const char *sign_ecdsa_presigned(struct sign_v3_creds *c, const uint8_t digest[SIGN_HASH_LEN],
                                 uint8_t sig[SIGN_SIG_LEN]);

/* The address whose key made `sig` (r || s || v) over `digest`. */
const char *sign_ecdsa_recover(const uint8_t digest[SIGN_HASH_LEN],
                               const uint8_t sig[SIGN_SIG_LEN], uint8_t addr[SIGN_ADDR_LEN]);

/* The address of an uncompressed public key's 64 coordinate bytes. */
void sign_pub_address(const uint8_t xy[64], uint8_t addr[SIGN_ADDR_LEN]);

#endif
