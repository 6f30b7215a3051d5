/*
 * Tests for presigned V3 requests (sign/presign.c): a signature made with
 * a presignature recovers to the signer like a deterministic one, with a
 * low s; each presignature signs once and is wiped; without one the
 * request is the deterministic one of the vector; and the pool holds at
 * most SIGN_PRESIGS.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign.h"
#include "sign_int.h"

#define KEY "0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1"
#define SIGNER "0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0"
#define USER "0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e"

static void creds(struct sign_v3_creds *c)
{
	cr_assert_null(sign_v3_creds_init(c, USER, SIGNER, KEY, SIGN_CHAIN_MAINNET));
}

/* The signer a signed request recovers to (which refuses a high s). */
static void assert_signed_by_signer(const struct sign_v3_creds *c, const char *req)
{
	uint8_t who[SIGN_ADDR_LEN];
	const char *err = sign_v3_recover_request(req, strlen(req), SIGN_CHAIN_MAINNET, who);
	cr_assert_null(err, "%s: %s", req, err);
	cr_assert_eq(memcmp(who, c->signer, sizeof who), 0, "recovers to the signer: %s", req);
}

Test(presign, signatures_recover_to_the_signer_and_use_each_presignature_once)
{
	struct sign_v3_creds c, plain;
	creds(&c);
	creds(&plain);
	for (int i = 1; i <= SIGN_PRESIGS + 4; i++)
		cr_assert_eq(sign_v3_presign(&c), i < SIGN_PRESIGS ? i : SIGN_PRESIGS,
		             "at most SIGN_PRESIGS kept");
	char rs[SIGN_PRESIGS][65];
	for (int i = 0; i < SIGN_PRESIGS; i++) {
		char params[96], *req = NULL, *det = NULL;
		snprintf(params, sizeof params, "symbol=BTCUSDT&side=%s&quantity=0.%03d",
		         i % 2 ? "BUY" : "SELL", i + 1);
		cr_assert_null(sign_v3_request(&c, params, 1748310859508867ULL + (uint64_t)i, &req));
		cr_assert_null(sign_v3_request(&plain, params, 1748310859508867ULL + (uint64_t)i, &det));
		cr_assert_eq(c.npresig, SIGN_PRESIGS - 1 - i, "one presignature used up");
		uint8_t zero[sizeof c.presig[0]] = {0};
		cr_assert_eq(memcmp(&c.presig[c.npresig], zero, sizeof zero), 0, "and wiped");
		assert_signed_by_signer(&c, req);
		const char *sig = strstr(req, "&signature=0x") + 13;
		cr_assert_str_neq(sig, strstr(det, "&signature=0x") + 13,
		                  "a random k, not RFC 6979's");
		snprintf(rs[i], sizeof rs[i], "%.64s", sig);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(rs[i], rs[j], "no two signatures share a nonce");
		free(req);
		free(det);
	}
	sign_v3_creds_clear(&c);
	sign_v3_creds_clear(&plain);
}

Test(presign, without_one_the_request_is_the_deterministic_one)
{
	struct sign_v3_creds c, plain;
	creds(&c);
	creds(&plain);
	sign_v3_presign(&c);
	char *first = NULL, *second = NULL, *det = NULL;
	cr_assert_null(sign_v3_request(&c, "symbol=ETHUSDT", 1, &first));
	cr_assert_null(sign_v3_request(&c, "symbol=ETHUSDT", 1, &second));
	cr_assert_null(sign_v3_request(&plain, "symbol=ETHUSDT", 1, &det));
	cr_assert_str_neq(first, det, "the presignature signed the first");
	cr_assert_str_eq(second, det, "the second, with none left, is RFC 6979's");
	assert_signed_by_signer(&c, first);
	free(first);
	free(second);
	free(det);
	sign_v3_creds_clear(&c);
	sign_v3_creds_clear(&plain);
}

Test(presign, a_thousand_presigned_signatures_all_recover_with_a_low_s)
{
	struct sign_v3_creds c;
	creds(&c);
	for (int i = 0; i < 1000; i++) {
		char params[64], *req = NULL;
		snprintf(params, sizeof params, "symbol=SOLUSDT&price=%d", 100 + i);
		cr_assert_eq(sign_v3_presign(&c), 1);
		cr_assert_null(sign_v3_request(&c, params, (uint64_t)i + 1, &req));
		cr_assert_eq(c.npresig, 0);
		assert_signed_by_signer(&c, req);
		free(req);
	}
	sign_v3_creds_clear(&c);
}
