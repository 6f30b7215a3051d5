/*
 * presign.c - V3 signatures with their dear half done ahead.
 *
 * An ECDSA signature is r = (k·G).x and s = k⁻¹(z + r·d) mod n for a
 * secret nonce k. The scalar multiplication k·G is nearly all of its cost
 * (about 30 µs here) and does not depend on the message, so a live client
 * makes "presignatures" (r, k⁻¹ and the parity of (k·G).y) while nothing
 * waits (sign_v3_presign) and an order's signature is then three scalar
 * operations (about 2 µs). This is the ECDSA of the standard with a
 * random k, as OpenSSL signs; the signatures verify and recover exactly as
 * RFC 6979 ones do, they are only not reproducible.
 *
 * What keeps it safe: k comes from OpenSSL's CSPRNG, uniform in [1, n-1]
 * (rejection sampling through secp256k1_ec_seckey_verify); each
 * presignature signs once and is wiped as it is taken; the arithmetic on
 * the key and on k⁻¹ runs in libsecp256k1's constant-time scalar
 * functions, the inverse in OpenSSL's constant-time path; the secrets are
 * wiped from the stack. Anything unusual (a digest not below n, a zero
 * sum) leaves the work to libsecp256k1's own deterministic signing.
 */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <string.h>

#include "sign_int.h"

/* The order n of secp256k1's group, and n / 2 (a low s is at most that). */
static const uint8_t order[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
	0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41};
static const uint8_t half_order[32] = {
	0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0};

/* k⁻¹ mod n, by OpenSSL's constant-time inverse. */
static bool invert(const uint8_t k[32], uint8_t out[32])
{
	BN_CTX *bc = BN_CTX_secure_new();
	BIGNUM *kb = bc ? BN_secure_new() : NULL, *inv = kb ? BN_secure_new() : NULL;
	BIGNUM *n = inv ? BN_bin2bn(order, sizeof order, NULL) : NULL;
	bool ok = n && BN_bin2bn(k, 32, kb);
	if (ok) {
		BN_set_flags(kb, BN_FLG_CONSTTIME);
		ok = BN_mod_inverse(inv, kb, n, bc) && BN_bn2binpad(inv, out, 32) == 32;
	}
	BN_clear_free(kb);
	BN_clear_free(inv);
	BN_free(n);
	BN_CTX_free(bc);
	return ok;
}

static bool presig_make(const secp256k1_context *ctx, struct sign_presig *p)
{
	uint8_t k[32], point[65];
	size_t len = sizeof point;
	secp256k1_pubkey r;
	bool ok = false;
	for (int tries = 0; tries < 8 && !ok; tries++) /* one in 2^128 is out of range */
		ok = RAND_priv_bytes(k, sizeof k) == 1 && secp256k1_ec_seckey_verify(ctx, k);
	ok = ok && secp256k1_ec_pubkey_create(ctx, &r, k) &&
	     secp256k1_ec_pubkey_serialize(ctx, point, &len, &r, SECP256K1_EC_UNCOMPRESSED) &&
	     memcmp(point + 1, order, 32) < 0 && /* x is r only below n (else: another k) */
	     invert(k, p->kinv);
	memcpy(p->r, point + 1, 32);
	p->recid = point[64] & 1;
	OPENSSL_cleanse(k, sizeof k);
	if (!ok)
		OPENSSL_cleanse(p, sizeof *p);
	return ok;
}

int sign_v3_presign(struct sign_v3_creds *c)
{
	if (c->npresig < SIGN_PRESIGS && presig_make(c->ctx, &c->presig[c->npresig]))
		c->npresig++;
	return c->npresig;
}

const char *sign_ecdsa_presigned(struct sign_v3_creds *c, const uint8_t digest[SIGN_HASH_LEN],
                                 uint8_t sig[SIGN_SIG_LEN])
{
	if (!c->npresig)
		return "ECDSA: no presignature";
	struct sign_presig *p = &c->presig[--c->npresig];
	uint8_t s[32];
	int recid = p->recid;
	memcpy(s, c->key.d, sizeof s);
	/* s = k⁻¹(z + r·d); the sum is zero, or z not below n, once in 2^128 */
	bool ok = memcmp(digest, order, 32) < 0 && secp256k1_ec_seckey_tweak_mul(c->ctx, s, p->r) &&
	          secp256k1_ec_seckey_tweak_add(c->ctx, s, digest) &&
	          secp256k1_ec_seckey_tweak_mul(c->ctx, s, p->kinv);
	if (ok && memcmp(s, half_order, 32) > 0) { /* low s, as Ethereum requires: n - s */
		ok = secp256k1_ec_seckey_negate(c->ctx, s);
		recid ^= 1;
	}
	if (ok) {
		memcpy(sig, p->r, 32);
		memcpy(sig + 32, s, 32);
		sig[64] = (uint8_t)(27 + recid);
	}
	OPENSSL_cleanse(p, sizeof *p);
	OPENSSL_cleanse(s, sizeof s);
	return ok ? NULL : "ECDSA: the presignature does not fit this digest";
}
