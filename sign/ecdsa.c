/*
 * ecdsa.c - the secp256k1 steps of V3 through libsecp256k1: a recoverable
 * signature over a 32-byte digest, serialised as Ethereum does
 * (r || s || v with v = 27 + recovery id), and the way back from such a
 * signature to the signer's address.
 *
 * A one-off signature makes its own context; V3 credentials keep one
 * (sign_v3_creds), since blinding a context costs as much as a signature
 * and every order would pay it. Contexts are blinded with fresh randomness
 * against side channels, as the library recommends.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "sign_int.h"

secp256k1_context *sign_ecdsa_context(void)
{
	secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
	uint8_t seed[32];
	if (ctx && (RAND_bytes(seed, sizeof seed) != 1 ||
	            !secp256k1_context_randomize(ctx, seed))) {
		secp256k1_context_destroy(ctx);
		ctx = NULL;
	}
	OPENSSL_cleanse(seed, sizeof seed);
	return ctx;
}

const char *sign_ecdsa_with(const secp256k1_context *ctx, const struct sign_key *k,
                            const uint8_t digest[SIGN_HASH_LEN], uint8_t sig[SIGN_SIG_LEN])
{
	secp256k1_ecdsa_recoverable_signature rs;
	int recid = 0;
	/* NULL nonce function: RFC 6979 deterministic k; the result has low s */
	if (!secp256k1_ecdsa_sign_recoverable(ctx, &rs, digest, k->d, NULL, NULL) ||
	    !secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rs))
		return "ECDSA: signing failed (invalid key)";
	sig[64] = (uint8_t)(27 + recid);
	return NULL;
}

const char *sign_ecdsa(const struct sign_key *k, const uint8_t digest[SIGN_HASH_LEN],
                       uint8_t sig[SIGN_SIG_LEN])
{
	secp256k1_context *ctx = sign_ecdsa_context();
	if (!ctx)
		return "ECDSA: no signing context (out of memory or randomness)";
	const char *err = sign_ecdsa_with(ctx, k, digest, sig);
	secp256k1_context_destroy(ctx);
	return err;
}

const char *sign_ecdsa_recover(const uint8_t digest[SIGN_HASH_LEN],
                               const uint8_t sig[SIGN_SIG_LEN], uint8_t addr[SIGN_ADDR_LEN])
{
	if (sig[64] != 27 && sig[64] != 28)
		return "signature: v must be 27 or 28";
	const secp256k1_context *ctx = secp256k1_context_static;
	secp256k1_ecdsa_recoverable_signature rs;
	secp256k1_ecdsa_signature plain;
	if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, sig, sig[64] - 27))
		return "signature: r or s out of range";
	/* a high s is the same signature mirrored: signers make low s, so a
	 * high one was altered on the way and is refused (no malleability) */
	secp256k1_ecdsa_recoverable_signature_convert(ctx, &plain, &rs);
	if (secp256k1_ecdsa_signature_normalize(ctx, NULL, &plain))
		return "signature: s is not low";
	secp256k1_pubkey pub;
	uint8_t ser[65];
	size_t len = sizeof ser;
	if (!secp256k1_ecdsa_recover(ctx, &pub, &rs, digest) ||
	    !secp256k1_ec_pubkey_serialize(ctx, ser, &len, &pub, SECP256K1_EC_UNCOMPRESSED))
		return "signature: no key recovers from it";
	sign_pub_address(ser + 1, addr);
	return NULL;
}
