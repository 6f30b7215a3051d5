/* Round trips and nonces: requests signed with many keys recover to their
 * signers, and a nonce generator never repeats nor goes back, whatever the
 * clock does and from several threads. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "sign.h"

/* Keys 1, 2, ... (hex of a small counter, left-padded) are valid keys. */
static void key_hex(unsigned i, char out[65])
{
	snprintf(out, 65, "%064x", i);
}

Test(roundtrip, sign_then_recover_gives_the_signer)
{
	for (unsigned i = 1; i <= 40; i++) {
		char hex[65], signer[SIGN_ADDR_STR], *req = NULL, params[64];
		struct sign_key k;
		uint8_t addr[SIGN_ADDR_LEN], who[SIGN_ADDR_LEN];
		key_hex(i * 7919u, hex);
		cr_assert_null(sign_key_parse(&k, hex));
		cr_assert_null(sign_key_address(&k, addr));
		sign_key_clear(&k);
		sign_addr_format(addr, signer);
		struct sign_v3_creds c;
		cr_assert_null(sign_v3_creds_init(&c, signer, signer, hex, SIGN_CHAIN_TESTNET));
		snprintf(params, sizeof params, "symbol=BTCUSDT&quantity=%u", i);
		cr_assert_null(sign_v3_request(&c, i % 2 ? params : "", 1700000000000000ULL + i, &req));
		cr_assert_null(sign_v3_recover_request(req, strlen(req), SIGN_CHAIN_TESTNET, who));
		cr_assert_eq(memcmp(who, addr, sizeof who), 0, "key %u", i);
		/* one bit of the parameters, then of the signature's r */
		req[0] ^= 1;
		cr_assert(sign_v3_recover_request(req, strlen(req), SIGN_CHAIN_TESTNET, who) ||
		          memcmp(who, addr, sizeof who));
		req[0] ^= 1;
		char *r = strstr(req, "&signature=0x") + 13;
		*r = *r == '0' ? '1' : (char)(*r ^ 1);
		cr_assert(sign_v3_recover_request(req, strlen(req), SIGN_CHAIN_TESTNET, who) ||
		          memcmp(who, addr, sizeof who));
		free(req);
		sign_v3_creds_clear(&c);
	}
}

Test(nonce, strictly_increasing_with_a_stalled_or_stepping_back_clock)
{
	struct sign_nonce g = { 0 };
	uint64_t last = 0;
	for (uint64_t i = 0; i < 100000; i++) {
		/* the clock stalls for 10 calls, then jumps back 1 s every 1000 */
		uint64_t now = 1700000000000000ULL + i / 10 - (i / 1000) * 1000000ULL;
		uint64_t n = sign_nonce_next_at(&g, now);
		cr_assert_gt(n, last, "call %lu", (unsigned long)i);
		last = n;
	}
	/* the real clock: ahead of or equal to it, and increasing */
	uint64_t a = sign_nonce_next(&g), b = sign_nonce_next(&g);
	cr_assert_gt(b, a);
}

#define THREADS 4
#define CALLS 25000

static struct sign_nonce shared;

static void *draw(void *out)
{
	uint64_t *got = out;
	for (int i = 0; i < CALLS; i++)
		got[i] = sign_nonce_next_at(&shared, 42);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

Test(nonce, unique_across_threads)
{
	uint64_t *got = calloc(THREADS * CALLS, sizeof *got);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, draw, got + i * CALLS), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	qsort(got, THREADS * CALLS, sizeof *got, cmp_u64);
	for (int i = 1; i < THREADS * CALLS; i++)
		cr_assert_neq(got[i], got[i - 1], "nonce %lu given twice", (unsigned long)got[i]);
	free(got);
}
