/*
 * crc32c.c - the checksum of frame bodies: CRC-32C (Castagnoli, reflected
 * polynomial 0x82F63B78), the CRC of iSCSI, ext4 and LevelDB's log records.
 *
 * Why CRC-32C rather than zlib's CRC-32: checking the CRC is most of the
 * work of reading small frames (30 to 100 bytes). zlib's crc32() pays a
 * set-up cost per call that made it more than half of all reading time, and
 * even a table-driven CRC-32 stayed near 40%. x86-64 CPUs with SSE4.2 have
 * an instruction for CRC-32C, used when present, which is about three times
 * faster again; elsewhere the table-driven code below gives the same value.
 * Every common language has CRC-32C (Go hash/crc32.Castagnoli, Java CRC32C,
 * Python crc32c).
 */
#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define HAVE_SSE42_PATH 1
#endif

#include "format_int.h"

static uint32_t table[8][256];
static uint32_t (*crc_impl)(uint32_t c, const uint8_t *p, size_t n);
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Slicing-by-8: table[t][i] is the CRC of byte i followed by t zero bytes,
 * so eight bytes are folded in with eight lookups. */
static uint32_t crc_tables(uint32_t c, const uint8_t *p, size_t n)
{
	for (; n >= 8; p += 8, n -= 8) {
		uint32_t a = le32(p) ^ c, b = le32(p + 4);
		c = table[7][a & 0xff] ^ table[6][(a >> 8) & 0xff] ^ table[5][(a >> 16) & 0xff] ^
		    table[4][a >> 24] ^ table[3][b & 0xff] ^ table[2][(b >> 8) & 0xff] ^
		    table[1][(b >> 16) & 0xff] ^ table[0][b >> 24];
	}
	while (n--)
		c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return c;
}

#ifdef HAVE_SSE42_PATH
__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t c, const uint8_t *p, size_t n)
{
	uint64_t c64 = c, v;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&v, p, sizeof v);
		c64 = _mm_crc32_u64(c64, v);
	}
	c = (uint32_t)c64;
	while (n--)
		c = _mm_crc32_u8(c, *p++);
	return c;
}
#endif

static void setup(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0x82f63b78u ^ (c >> 1) : c >> 1;
		table[0][i] = c;
	}
	for (int t = 1; t < 8; t++)
		for (int i = 0; i < 256; i++)
			table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
	crc_impl = crc_tables;
#ifdef HAVE_SSE42_PATH
	if (__builtin_cpu_supports("sse4.2"))
		crc_impl = crc_sse42;
#endif
}

uint32_t rec_crc32c(const void *data, size_t n)
{
	pthread_once(&once, setup);
	return ~crc_impl(0xffffffffu, data, n);
}

uint32_t rec_crc32c_portable(const void *data, size_t n)
{
	pthread_once(&once, setup);
	return ~crc_tables(0xffffffffu, data, n);
}
