/*
 * fuzz_sign_verify.c - any bytes as what a server is given to authenticate:
 * a raw V3 query or body, a message with a signature, an address, a V1
 * signature, a private key. Verification must answer with an address or an
 * error message, never crash, read out of bounds or leak; whatever it
 * accepts as an address must print and parse back to the same bytes.
 *
 * The input is split at newlines into up to three fields: params, signature,
 * address (missing fields are empty).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Cuts text at its first `n - 1` newlines into f[0..n); fields the text
 * lacks point at its terminating NUL. */
static void split(char *text, char *f[], int n)
{
	char *p = text;
	for (int i = 0; i < n; i++) {
		f[i] = p;
		char *nl = strchr(p, '\n');
		if (nl && i < n - 1) {
			*nl = '\0';
			p = nl + 1;
		} else {
			p += strlen(p);
		}
	}
}

static void check_address(const char *s)
{
	uint8_t a[SIGN_ADDR_LEN], b[SIGN_ADDR_LEN];
	char out[SIGN_ADDR_STR];
	if (sign_addr_parse(s, a))
		return;
	sign_addr_format(a, out);
	if (sign_addr_parse(out, b) || memcmp(a, b, sizeof a))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t who[SIGN_ADDR_LEN];
	/* the raw bytes, NULs and all, as a request to authenticate */
	sign_v3_recover_request((const char *)data, size, SIGN_CHAIN_MAINNET, who);

	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *f[3];
	split(text, f, 3);
	const char *params = f[0], *sig = f[1], *addr = f[2];
	sign_v3_recover(params, strlen(params), SIGN_CHAIN_TESTNET, sig, who);
	sign_v1_verify("secret", params, sig, sig);
	check_address(addr);
	check_address(sig);
	struct sign_key k;
	if (!sign_key_parse(&k, sig) && sign_key_address(&k, who))
		abort(); /* a key that parses has an address */
	sign_key_clear(&k);
	free(text);
	return 0;
}
