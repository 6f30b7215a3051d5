/*
 * test_crc32c.c - the frame checksum is standard CRC-32C, whichever way the
 * CPU computes it, so readers in other languages can check frames.
 */
#include <criterion/criterion.h>

#include "format_int.h"

Test(crc32c, standard_check_values)
{
	/* the check value of CRC-32C (RFC 3720 B.4 and the CRC catalogue) */
	cr_expect_eq(rec_crc32c("123456789", 9), 0xe3069283u);
	cr_expect_eq(rec_crc32c_portable("123456789", 9), 0xe3069283u);
	cr_expect_eq(rec_crc32c("", 0), 0);
	unsigned char zeros[32] = {0};
	cr_expect_eq(rec_crc32c(zeros, 32), 0x8a9136aau); /* RFC 3720 B.4 */
}

Test(crc32c, hardware_and_tables_agree)
{
	unsigned char buf[1000];
	uint64_t x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (unsigned char)(x >> 56);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= sizeof buf; n += 37)
			cr_expect_eq(rec_crc32c(buf + off, n), rec_crc32c_portable(buf + off, n),
			             "offset %zu length %zu", off, n);
}
