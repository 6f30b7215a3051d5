/*
 * mpread.c - the one msgpack reader too big to inline: skipping a value of
 * any type, which the header decoder needs for keys it does not know.
 */
#include "mpread_int.h"

/* Skips the type byte and `n` bytes of fixed-size data after it. */
static int skip_fixed(struct mpr *m, int n)
{
	if (m->end - m->p < 1 + n)
		return mpr_fail(m, "value runs past the end of the frame");
	m->p += 1 + n;
	return 0;
}

/* One value that is not a container; containers are counted by rec_mpr_skip. */
static int skip_scalar(struct mpr *m, uint8_t b)
{
	const uint8_t *s;
	size_t n;
	uint64_t len;
	if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
		return skip_fixed(m, 0);
	if ((b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb))
		return mpr_str(m, &s, &n);
	if (b >= 0xc4 && b <= 0xc6)
		return mpr_bin_or_nil(m, &s, &n);
	if (b >= 0xcc && b <= 0xd3) /* uint and int of 1, 2, 4, 8 bytes */
		return skip_fixed(m, 1 << ((b - 0xcc) & 3));
	if (b == 0xca || b == 0xcb)
		return skip_fixed(m, b == 0xca ? 4 : 8);
	if (b >= 0xd4 && b <= 0xd8) /* fixext: a type byte then 1..16 bytes */
		return skip_fixed(m, 1 + (1 << (b - 0xd4)));
	if (b >= 0xc7 && b <= 0xc9) { /* ext 8/16/32: length, type byte, data */
		const uint8_t *head = m->p;
		if (mpr_arg(m, 1 << (b - 0xc7), &len) < 0)
			return -1;
		if ((uint64_t)(m->end - m->p) < len + 1) {
			m->p = head;
			return mpr_fail(m, "value runs past the end of the frame");
		}
		m->p += len + 1;
		return 0;
	}
	return mpr_fail(m, "byte 0xc1 is not msgpack");
}

int rec_mpr_skip(struct mpr *m)
{
	uint64_t pending = 1, n;
	while (pending--) {
		if (m->p >= m->end)
			return mpr_fail(m, "value runs past the end of the frame");
		uint8_t b = *m->p;
		if ((b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf) {
			if (mpr_map(m, &n) < 0)
				return -1;
			pending += 2 * n;
		} else if ((b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd) {
			if (mpr_array(m, &n) < 0)
				return -1;
			pending += n;
		} else if (skip_scalar(m, b) < 0) {
			return -1;
		}
	}
	return 0;
}
