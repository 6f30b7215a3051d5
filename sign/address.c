/*
 * address.c - private keys and Ethereum addresses: parsing and wiping a
 * key, the address a key signs as, and addresses as text (EIP-55 mixed
 * case out, any case in).
 */
#include <openssl/crypto.h>
#include <secp256k1.h>
#include <string.h>

#include "sign_int.h"

void sign_key_clear(struct sign_key *k)
{
	OPENSSL_cleanse(k->d, sizeof k->d);
}

const char *sign_key_parse(struct sign_key *k, const char *hex)
{
	const char *err = sign_hex_decode(hex, k->d, sizeof k->d, SIGN_HEX_KEY);
	uint8_t any = 0;
	for (size_t i = 0; !err && i < sizeof k->d; i++)
		any |= k->d[i];
	if (!err && !any)
		err = "private key: zero";
	/* the static context can check a scalar's range: nonzero and below n */
	if (!err && !secp256k1_ec_seckey_verify(secp256k1_context_static, k->d))
		err = "private key: not below the secp256k1 group order";
	if (err)
		sign_key_clear(k);
	return err;
}

void sign_pub_address(const uint8_t xy[64], uint8_t addr[SIGN_ADDR_LEN])
{
	uint8_t h[SIGN_HASH_LEN];
	sign_keccak256(xy, 64, h);
	memcpy(addr, h + SIGN_HASH_LEN - SIGN_ADDR_LEN, SIGN_ADDR_LEN);
}

const char *sign_key_address(const struct sign_key *k, uint8_t addr[SIGN_ADDR_LEN])
{
	secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
	secp256k1_pubkey pub;
	uint8_t ser[65];
	size_t len = sizeof ser;
	int ok = ctx && secp256k1_ec_pubkey_create(ctx, &pub, k->d) &&
	         secp256k1_ec_pubkey_serialize(ctx, ser, &len, &pub, SECP256K1_EC_UNCOMPRESSED) &&
	         len == sizeof ser;
	if (ctx)
		secp256k1_context_destroy(ctx);
	if (!ok)
		return "private key: no public key (invalid key)";
	sign_pub_address(ser + 1, addr); /* without the 0x04 prefix */
	return NULL;
}

const char *sign_addr_parse(const char *s, uint8_t addr[SIGN_ADDR_LEN])
{
	if (!s || !*s)
		return "address: missing";
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return "address: must start with 0x";
	return sign_hex_decode(s, addr, SIGN_ADDR_LEN, SIGN_HEX_ADDR);
}

/* EIP-55: hex digit i is upper case when it is a letter and nibble i of
 * keccak256(the 40 lower-case hex digits as ASCII) is 8 or more. */
void sign_addr_format(const uint8_t addr[SIGN_ADDR_LEN], char out[SIGN_ADDR_STR])
{
	sign_hex_0x(addr, SIGN_ADDR_LEN, out);
	uint8_t h[SIGN_HASH_LEN];
	sign_keccak256(out + 2, 2 * SIGN_ADDR_LEN, h);
	for (int i = 0; i < 2 * SIGN_ADDR_LEN; i++) {
		int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 15;
		char *c = &out[2 + i];
		if (*c >= 'a' && nib >= 8)
			*c = (char)(*c - 'a' + 'A');
	}
}
