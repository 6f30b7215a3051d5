/* V1 (HMAC-SHA256): the vectors of aster-api.md section 2.2, the order of
 * the appended parameters, verification in any case, and the errors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sign.h"

/* aster-api.md 2.2, "Official test vector" */
#define SECRET "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"
#define MSG                                                                                  \
	"symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=" \
	"5000&timestamp=1591702613943"
#define MSG_SIG "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"
/* aster-api.md 2.2, mixed placement: query and body joined with no '&' */
#define MIX_QUERY "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
#define MIX_BODY "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943"
#define MIX_SIG "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4"

Test(v1, official_vector)
{
	char sig[SIGN_HMAC_STR];
	cr_assert_null(sign_v1(SECRET, MSG, NULL, sig));
	cr_assert_str_eq(sig, MSG_SIG);
	cr_assert_null(sign_v1(SECRET, NULL, MSG, sig), "all in the body signs the same");
	cr_assert_str_eq(sig, MSG_SIG);
}

Test(v1, mixed_placement_vector)
{
	char sig[SIGN_HMAC_STR];
	cr_assert_null(sign_v1(SECRET, MIX_QUERY, MIX_BODY, sig));
	cr_assert_str_eq(sig, MIX_SIG);
}

/* RFC 4231 cases 2 and 6: a key shorter than SHA-256's block is padded,
 * a longer one hashed first (an API secret may be either). */
Test(v1, keys_shorter_and_longer_than_a_block)
{
	char sig[SIGN_HMAC_STR], long_key[132];
	cr_assert_null(sign_v1("Jefe", "what do ya want ", "for nothing?", sig));
	cr_assert_str_eq(sig, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(long_key, 0xaa, 131);
	long_key[131] = '\0';
	cr_assert_null(sign_v1(long_key, "Test Using Larger Than Block-Size Key - Hash Key First",
	                       NULL, sig));
	cr_assert_str_eq(sig, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

Test(v1, append_puts_recv_window_timestamp_signature_last)
{
	char *s = NULL;
	struct sign_v1_key k;
	cr_assert_null(sign_v1_key_init(&k, SECRET));
	cr_assert_null(sign_v1_append(&k,
	                              "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000"
	                              "&timeInForce=GTC",
	                              1591702613943, 5000, &s));
	cr_assert_str_eq(s, MSG "&signature=" MSG_SIG);
	free(s);
	cr_assert_null(sign_v1_append(&k, "", 1591702613943, 0, &s));
	cr_assert_eq(strncmp(s, "timestamp=1591702613943&signature=", 34), 0, "%s", s);
	cr_assert_eq(strlen(s), 34 + 64);
	free(s);
	sign_v1_key_clear(&k);
	cr_assert_str_eq(sign_v1_key_init(&k, ""), "V1: empty secret");
}

Test(v1, verify_any_case_and_refuse_changes)
{
	cr_assert_null(sign_v1_verify(SECRET, MSG, NULL, MSG_SIG));
	cr_assert_null(sign_v1_verify(SECRET, MSG, NULL,
	                              "3C661234138461FCC7A7D8746C6558C9842D4E10870D2ECBEDF7777CAD694AF9"));
	cr_assert_null(sign_v1_verify(SECRET, MIX_QUERY, MIX_BODY, MIX_SIG));
	cr_assert_str_eq(sign_v1_verify(SECRET, MIX_QUERY, MIX_BODY, MSG_SIG),
	                 "V1: signature does not match");
	char flipped[] = MSG;
	flipped[7] ^= 1; /* one bit of the parameters */
	cr_assert_not_null(sign_v1_verify(SECRET, flipped, NULL, MSG_SIG));
	char badsig[] = MSG_SIG;
	badsig[63] = '8'; /* one bit of the signature: 9 -> 8 */
	cr_assert_not_null(sign_v1_verify(SECRET, MSG, NULL, badsig));
	cr_assert_not_null(sign_v1_verify("other", MSG, NULL, MSG_SIG));
}

Test(v1, errors_are_fixed_and_never_quote_the_secret)
{
	char sig[SIGN_HMAC_STR], *s = NULL;
	cr_assert_str_eq(sign_v1(SECRET, "", NULL, sig), "V1: empty parameters");
	cr_assert_str_eq(sign_v1("", MSG, NULL, sig), "V1: empty secret");
	cr_assert_str_eq(sign_v1_verify(SECRET, MSG, NULL, "xyz"),
	                 "signature: must be 32 bytes (64 hex digits)");
	cr_assert_str_eq(sign_v1_verify(SECRET, MSG, NULL, ""), "signature: missing");
	const char *e = sign_v1_verify(SECRET, MSG, NULL,
	                               "zz661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
	cr_assert_str_eq(e, "signature: not hex");
	struct sign_v1_key k;
	cr_assert_null(sign_v1_key_init(&k, SECRET));
	cr_assert_not_null(sign_v1_append(&k, "a=1", 1, 60001, &s));
	cr_assert_null(s);
	cr_assert_not_null(sign_v1_append(&k, "a=1", 0, 5000, &s));
	sign_v1_key_clear(&k);
}
