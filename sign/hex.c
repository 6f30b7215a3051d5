/*
 * hex.c - hex text to bytes and back for keys, addresses and signatures.
 * Decoding accepts either case and an optional "0x", and its errors name
 * the input ("private key", "signature") but never quote it, since the
 * input may be a secret.
 */
#include <string.h>

#include "core.h"
#include "sign_int.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One fixed message per input kind and fault (nothing is formatted at run
 * time), indexed by enum sign_hex_kind. */
static const struct {
	const char *missing, *length, *digit;
} msgs[] = {
	[SIGN_HEX_KEY] = { "private key: missing", "private key: must be 32 bytes (64 hex digits)",
	                   "private key: not hex" },
	[SIGN_HEX_ADDR] = { "address: missing",
	                    "address: must be 20 bytes (40 hex digits after 0x)",
	                    "address: not hex" },
	[SIGN_HEX_SIG] = { "signature: missing", "signature: must be 65 bytes (130 hex digits)",
	                   "signature: not hex" },
	[SIGN_HEX_HMAC] = { "signature: missing", "signature: must be 32 bytes (64 hex digits)",
	                    "signature: not hex" },
};

const char *sign_hex_decode(const char *s, uint8_t *out, size_t n, enum sign_hex_kind kind)
{
	if (!s || !*s)
		return msgs[kind].missing;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != 2 * n)
		return msgs[kind].length;
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return msgs[kind].digit;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return NULL;
}

void sign_hex_0x(const uint8_t *b, size_t n, char *out)
{
	out[0] = '0';
	out[1] = 'x';
	hex_encode(b, n, out + 2);
}
