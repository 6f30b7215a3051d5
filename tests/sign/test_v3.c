/* V3 (EIP-712): the vector of aster-api.md section 2.3 step by step, the
 * older variant's vector of 2.4, keys and addresses, whole requests and
 * the server's recovery of the signer, and the errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "sign.h"
#include "sign_int.h"

/* aster-api.md 2.3, "Test vector" (ethers v6, the docs' public demo key) */
#define KEY "0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1"
#define SIGNER "0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0"
#define USER "0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e"
#define NONCE 1748310859508867ULL
#define BUSINESS "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=90000&timeInForce=GTC"
#define MSG BUSINESS "&nonce=1748310859508867&user=" USER "&signer=" SIGNER
#define DIGEST "7ff5b00e9963faa8fc116dff9be7a8f3afe087eaef7904efdf90b42fa5d03abf"
#define SIG                                                                                \
	"0x50f2de5905e846663fa791604dd039c4fbe6d6ba3cb4410f1e8d45911140f2352a51db7f5c527d73abdf" \
	"061a3664c4a21ae34ad419de182bf11a0a90f2f56fd41b"

static void expect_keccak(const char *s, const char *want)
{
	uint8_t h[SIGN_HASH_LEN];
	char hex[2 * SIGN_HASH_LEN + 1];
	sign_keccak256(s, strlen(s), h);
	hex_encode(h, sizeof h, hex);
	cr_assert_str_eq(hex, want, "keccak256(%s)", s);
}

Test(v3, type_hashes_of_the_vector)
{
	expect_keccak("EIP712Domain(string name,string version,uint256 chainId,"
	              "address verifyingContract)",
	              "8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
	expect_keccak("Message(string msg)",
	              "c4cfb57eea370ef2a92403a7e865b2de262d7ca272333665b54ad7e6a602ef68");
}

static void expect_hash(const uint8_t h[SIGN_HASH_LEN], const char *want)
{
	char hex[2 * SIGN_HASH_LEN + 1];
	hex_encode(h, SIGN_HASH_LEN, hex);
	cr_assert_str_eq(hex, want);
}

Test(v3, domain_separators_and_hash_struct_of_the_vector)
{
	uint8_t h[SIGN_HASH_LEN];
	sign_eip712_domain(SIGN_CHAIN_MAINNET, h);
	expect_hash(h, "a95d0a7a6f3f17fcebb0c2336645385ce79cde7523f71ab147fdb7f15e9f37f9");
	sign_eip712_domain(SIGN_CHAIN_TESTNET, h);
	expect_hash(h, "fad01b07bed5729a04dbb977fd86da612eba71d668660bf12cf10b3d65b74d94");
	sign_eip712_struct(MSG, strlen(MSG), h);
	expect_hash(h, "7d6780374a1ca1752d8c9779a80240ef1bee332c2f7d30b65ffd46cb0c51ac19");
}

/* The digest, and another chain id gives another one. */
Test(v3, digest_of_the_vector)
{
	uint8_t d[SIGN_HASH_LEN], t[SIGN_HASH_LEN];
	char hex[2 * SIGN_HASH_LEN + 1];
	cr_assert_null(sign_v3_digest(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, d));
	hex_encode(d, sizeof d, hex);
	cr_assert_str_eq(hex, DIGEST);
	cr_assert_null(sign_v3_digest(MSG, strlen(MSG), SIGN_CHAIN_TESTNET, t));
	cr_assert_neq(memcmp(d, t, sizeof d), 0);
}

Test(v3, signature_of_the_vector)
{
	struct sign_key k;
	char sig[SIGN_SIG_STR];
	cr_assert_null(sign_key_parse(&k, KEY));
	cr_assert_null(sign_v3(&k, MSG, strlen(MSG), SIGN_CHAIN_MAINNET, sig));
	sign_key_clear(&k);
	cr_assert_str_eq(sig, SIG);
}

Test(v3, address_of_the_demo_key_in_eip55)
{
	struct sign_key k;
	uint8_t a[SIGN_ADDR_LEN], b[SIGN_ADDR_LEN];
	char s[SIGN_ADDR_STR];
	cr_assert_null(sign_key_parse(&k, &KEY[2])); /* without 0x too */
	cr_assert_null(sign_key_address(&k, a));
	sign_key_clear(&k);
	sign_addr_format(a, s);
	cr_assert_str_eq(s, SIGNER);
	cr_assert_null(sign_addr_parse("0x21cf8ae13bb72632562c6fff438652ba1a151bb0", b));
	cr_assert_eq(memcmp(a, b, sizeof a), 0, "any case parses to the same bytes");
	cr_assert_null(sign_addr_parse(USER, b));
	sign_addr_format(b, s);
	cr_assert_str_eq(s, USER);
}

Test(v3, whole_request_of_the_vector)
{
	struct sign_v3_creds c;
	char *req = NULL;
	cr_assert_null(sign_v3_creds_init(&c, USER, "0x21cf8ae13bb72632562c6fff438652ba1a151bb0",
	                                  KEY, SIGN_CHAIN_MAINNET));
	cr_assert_null(sign_v3_request(&c, BUSINESS, NONCE, &req));
	cr_assert_str_eq(req, MSG "&signature=" SIG);
	uint8_t who[SIGN_ADDR_LEN];
	cr_assert_null(sign_v3_recover_request(req, strlen(req), SIGN_CHAIN_MAINNET, who));
	cr_assert_eq(memcmp(who, c.signer, sizeof who), 0);
	free(req);
	sign_v3_creds_clear(&c);
	uint8_t zero[sizeof c] = { 0 };
	cr_assert_eq(memcmp(&c, zero, sizeof c), 0, "credentials wiped");
}

Test(v3, creds_refuse_a_key_that_is_not_the_signers)
{
	struct sign_v3_creds c;
	cr_assert_str_eq(sign_v3_creds_init(&c, USER, USER, KEY, SIGN_CHAIN_MAINNET),
	                 "V3: the private key is not the signer's");
	cr_assert_str_eq(sign_v3_creds_init(&c, "63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e", SIGNER,
	                                    KEY, SIGN_CHAIN_MAINNET),
	                 "address: must start with 0x");
}

Test(v3, key_validation)
{
	struct sign_key k;
	cr_assert_str_eq(sign_key_parse(&k, ""), "private key: missing");
	cr_assert_str_eq(sign_key_parse(&k, "0x1234"),
	                 "private key: must be 32 bytes (64 hex digits)");
	cr_assert_str_eq(
	    sign_key_parse(&k, "0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81baeg"),
	    "private key: not hex");
	cr_assert_str_eq(
	    sign_key_parse(&k, "0000000000000000000000000000000000000000000000000000000000000000"),
	    "private key: zero");
	/* the group order n itself, and n + 1 */
	cr_assert_str_eq(
	    sign_key_parse(&k, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"),
	    "private key: not below the secp256k1 group order");
	cr_assert_not_null(
	    sign_key_parse(&k, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364142"));
	uint8_t zero[32] = { 0 };
	cr_assert_eq(memcmp(k.d, zero, 32), 0, "a refused key is wiped");
	/* n - 1 is the largest valid key */
	cr_assert_null(
	    sign_key_parse(&k, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140"));
	sign_key_clear(&k);
	cr_assert_eq(memcmp(k.d, zero, 32), 0);
}

Test(v3, recovery_refuses_changes)
{
	uint8_t who[SIGN_ADDR_LEN], signer[SIGN_ADDR_LEN];
	cr_assert_null(sign_addr_parse(SIGNER, signer));
	cr_assert_null(sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, SIG, who));
	cr_assert_eq(memcmp(who, signer, sizeof who), 0);
	/* every single-bit change of the message gives another signer */
	char msg[] = MSG;
	for (size_t i = 0; i < strlen(MSG); i += 7) {
		msg[i] ^= 1;
		const char *e = sign_v3_recover(msg, strlen(MSG), SIGN_CHAIN_MAINNET, SIG, who);
		cr_assert(e || memcmp(who, signer, sizeof who), "flip at %zu still verifies", i);
		msg[i] ^= 1;
	}
	/* and of the signature (hex digits stay hex: flip the low bit of digits) */
	char sig[] = SIG;
	for (size_t i = 2; i < strlen(SIG); i++) {
		char c = sig[i];
		sig[i] = (char)(c == '0' ? '1' : c == '1' ? '0' : c ^ 1);
		const char *e = sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, sig, who);
		cr_assert(e || memcmp(who, signer, sizeof who), "flip at %zu still verifies", i);
		sig[i] = c;
	}
	cr_assert_null(sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_TESTNET, SIG, who));
	cr_assert_neq(memcmp(who, signer, sizeof who), 0, "another chain, another signer");
}

Test(v3, recovery_errors)
{
	uint8_t who[SIGN_ADDR_LEN];
	cr_assert_str_eq(sign_v3_recover("", 0, SIGN_CHAIN_MAINNET, SIG, who),
	                 "V3: empty parameters");
	cr_assert_str_eq(sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, "0x50f2", who),
	                 "signature: must be 65 bytes (130 hex digits)");
	char sig[] = SIG;
	sig[strlen(sig) - 1] = 'd'; /* v = 0x1d */
	cr_assert_str_eq(sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, sig, who),
	                 "signature: v must be 27 or 28");
	cr_assert_not_null(sign_v3_recover_request(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, who));
	cr_assert_not_null(sign_v3_recover_request("signature=" SIG, 10 + 132,
	                                           SIGN_CHAIN_MAINNET, who));
}

/* A high s (n - s, with v flipped) is the same point mirrored: refused. */
Test(v3, high_s_is_refused)
{
	/* s of the vector is 2a51db7f...f2f56fd4, n - s computed below */
	static const uint8_t n[32] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
		                       0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
		                       0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B,
		                       0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41 };
	uint8_t raw[SIGN_SIG_LEN];
	const char *hex = &SIG[2];
	for (int i = 0; i < SIGN_SIG_LEN; i++) {
		unsigned v = 0;
		sscanf(hex + 2 * i, "%2x", &v);
		raw[i] = (uint8_t)v;
	}
	int borrow = 0;
	for (int i = 31; i >= 0; i--) {
		int d = n[i] - raw[32 + i] - borrow;
		borrow = d < 0;
		raw[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
	raw[64] = raw[64] == 27 ? 28 : 27;
	char sig[SIGN_SIG_STR] = "0x";
	hex_encode(raw, sizeof raw, sig + 2);
	uint8_t who[SIGN_ADDR_LEN];
	cr_assert_str_eq(sign_v3_recover(MSG, strlen(MSG), SIGN_CHAIN_MAINNET, sig, who),
	                 "signature: s is not low");
}

/* aster-api.md 2.4, "Official vector" of the older variant. The section
 * names neither user nor signer: they are those of the 2.3 demo (the same
 * public demo key), which reproduces its hash and signature. */
#define LEGACY_JSON                                                                        \
	"{\"positionSide\":\"BOTH\",\"price\":\"0.28694\",\"quantity\":\"190\",\"recvWindow\":" \
	"\"50000\",\"side\":\"BUY\",\"symbol\":\"SANDUSDT\",\"timeInForce\":\"GTC\","           \
	"\"timestamp\":\"1749545309665\",\"type\":\"LIMIT\"}"
#define LEGACY_H "9e0273fc91323f5cdbcb00c358be3dee2854afb2d3e4c68497364a2f27a377fc"
#define LEGACY_SIG                                                                         \
	"0x0337dd720a21543b80ff861cd3c26646b75b3a6a4b5d45805d4c1d6ad6fc33e65f0722778dd97525466" \
	"560c69fbddbe6874eb4ed6f5fa7e576e486d9b5da67f31b"

Test(v3_legacy, official_vector)
{
	uint8_t user[SIGN_ADDR_LEN], signer[SIGN_ADDR_LEN], h[SIGN_HASH_LEN];
	char hex[2 * SIGN_HASH_LEN + 1], sig[SIGN_SIG_STR];
	cr_assert_null(sign_addr_parse(USER, user));
	cr_assert_null(sign_addr_parse(SIGNER, signer));
	cr_assert_null(sign_v3_legacy_hash(LEGACY_JSON, user, signer, NONCE, h));
	hex_encode(h, sizeof h, hex);
	cr_assert_str_eq(hex, LEGACY_H);
	struct sign_key k;
	cr_assert_null(sign_key_parse(&k, KEY));
	cr_assert_null(sign_v3_legacy(&k, LEGACY_JSON, user, signer, NONCE, sig));
	sign_key_clear(&k);
	cr_assert_str_eq(sig, LEGACY_SIG);
}
