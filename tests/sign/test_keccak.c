/* Keccak-256 known answers: the empty input, "abc", inputs that end one
 * byte short of a block, exactly on a block and beyond one block (the
 * padding edges), and the value that tells Keccak from NIST SHA3-256. */
#include <criterion/criterion.h>
#include <string.h>

#include "core.h"
#include "sign.h"

static void expect(const void *data, size_t n, const char *want)
{
	uint8_t h[SIGN_HASH_LEN];
	char hex[2 * SIGN_HASH_LEN + 1];
	sign_keccak256(data, n, h);
	hex_encode(h, sizeof h, hex);
	cr_assert_str_eq(hex, want, "keccak256 of %zu bytes", n);
}

Test(keccak, empty_is_not_sha3)
{
	/* SHA3-256("") would be a7ffc6f8bf1ed766...: the padding differs */
	expect("", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

Test(keccak, abc)
{
	expect("abc", 3, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

/* n bytes of 'a': 135 leaves one byte for the padding (0x81), 136 fills the
 * block so the padding takes a block of its own, 137 and 200 span two
 * blocks, 272 fills two. Expected values from an independent Keccak
 * (@noble/hashes keccak_256). */
static void expect_a(size_t n, const char *want)
{
	char buf[300];
	memset(buf, 'a', n);
	expect(buf, n, want);
}

Test(keccak, padding_edges_and_multi_block)
{
	expect_a(135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446");
	expect_a(136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
	expect_a(137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39");
	expect_a(200, "96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d");
	expect_a(272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8");
}
