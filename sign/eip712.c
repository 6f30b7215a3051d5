/*
 * eip712.c - the V3 digest (aster-api.md 2.3): EIP-712 typed data with
 * primaryType Message(string msg) in the domain {name "AsterSignTransaction",
 * version "1", chainId, verifyingContract 0x0}, and signing or recovering
 * over it. `msg` is the parameter string exactly as sent, minus signature.
 */
#include <pthread.h>
#include <string.h>

#include "sign_int.h"

static const char domain_type[] = "EIP712Domain(string name,string version,uint256 chainId,"
                                  "address verifyingContract)";
static const char message_type[] = "Message(string msg)";

static void keccak_str(const char *s, uint8_t out[SIGN_HASH_LEN])
{
	sign_keccak256(s, strlen(s), out);
}

/* keccak256(typeHash || keccak("AsterSignTransaction") || keccak("1") ||
 * uint256(chainId) || uint256(0)): five 32-byte words. */
void sign_eip712_domain(uint32_t chain_id, uint8_t out[SIGN_HASH_LEN])
{
	uint8_t enc[5 * 32] = { 0 };
	keccak_str(domain_type, enc);
	keccak_str("AsterSignTransaction", enc + 32);
	keccak_str("1", enc + 64);
	for (int i = 0; i < 4; i++) /* big-endian in the word's last bytes */
		enc[96 + 31 - i] = (uint8_t)(chain_id >> (8 * i));
	/* enc[128..160): the zero address as uint256, already zero */
	sign_keccak256(enc, sizeof enc, out);
}

static uint8_t message_typehash[SIGN_HASH_LEN];

static void make_message_typehash(void)
{
	keccak_str(message_type, message_typehash);
}

/* keccak256(typeHash(Message) || keccak256(msg)) */
void sign_eip712_struct(const char *msg, size_t n, uint8_t out[SIGN_HASH_LEN])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_message_typehash);
	uint8_t st[2 * 32];
	memcpy(st, message_typehash, sizeof message_typehash);
	sign_keccak256(msg, n, st + 32);
	sign_keccak256(st, sizeof st, out);
}

void sign_eip712_digest(const uint8_t domain[SIGN_HASH_LEN], const char *msg, size_t n,
                        uint8_t digest[SIGN_HASH_LEN])
{
	uint8_t pre[2 + 2 * 32] = { 0x19, 0x01 };
	memcpy(pre + 2, domain, SIGN_HASH_LEN);
	sign_eip712_struct(msg, n, pre + 34);
	sign_keccak256(pre, sizeof pre, digest);
}

const char *sign_v3_digest(const char *msg, size_t n, uint32_t chain_id,
                           uint8_t digest[SIGN_HASH_LEN])
{
	if (!msg || !n)
		return "V3: empty parameters";
	uint8_t domain[SIGN_HASH_LEN];
	sign_eip712_domain(chain_id, domain);
	sign_eip712_digest(domain, msg, n, digest);
	return NULL;
}

const char *sign_v3(const struct sign_key *k, const char *msg, size_t n, uint32_t chain_id,
                    char out[SIGN_SIG_STR])
{
	uint8_t digest[SIGN_HASH_LEN], sig[SIGN_SIG_LEN];
	const char *err = sign_v3_digest(msg, n, chain_id, digest);
	if (!err)
		err = sign_ecdsa(k, digest, sig);
	if (!err)
		sign_hex_0x(sig, sizeof sig, out);
	return err;
}

const char *sign_v3_recover(const char *msg, size_t n, uint32_t chain_id, const char *sig,
                            uint8_t addr[SIGN_ADDR_LEN])
{
	uint8_t digest[SIGN_HASH_LEN], raw[SIGN_SIG_LEN];
	const char *err = sign_hex_decode(sig, raw, sizeof raw, SIGN_HEX_SIG);
	if (!err)
		err = sign_v3_digest(msg, n, chain_id, digest);
	if (!err)
		err = sign_ecdsa_recover(digest, raw, addr);
	return err;
}
