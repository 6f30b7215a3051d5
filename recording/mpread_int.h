/*
 * mpread_int.h - a small, strict msgpack reader over one frame in memory
 * (private to recording/).
 *
 * Why not msgpack-c's unpacker: it builds a tree of msgpack_object in a zone
 * for every frame and we would then walk that tree again to fill the event,
 * which costs several times the decoding itself. Our frames have a fixed,
 * known layout, so reading each value straight into its field, with every
 * length checked against the end of the frame, is both faster and simpler to
 * make safe: nothing here allocates and nothing reads past `end`.
 *
 * Each reader returns 0, or -1 after recording what it expected and where in
 * the cursor; it then leaves the cursor where the bad value starts.
 */
#ifndef HUNTER_RECORDING_MPREAD_H
#define HUNTER_RECORDING_MPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mpr {
	const uint8_t *p, *start, *end;
	const char *why; /* what was expected where reading failed */
};

/* A big-endian unsigned integer of n = 1, 2, 4 or 8 bytes; one case each so
 * the compiler makes each a single load and byte swap. */
static inline uint64_t mpr_be(const uint8_t *p, int n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return (uint64_t)p[0] << 8 | p[1];
	case 4:
		return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
	default:
		return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
		       (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
		       (uint64_t)p[6] << 8 | p[7];
	}
}

static inline int mpr_fail(struct mpr *m, const char *why)
{
	m->why = why;
	return -1;
}

/* Reads the n-byte big-endian argument after the type byte. */
static inline int mpr_arg(struct mpr *m, int n, uint64_t *v)
{
	if (m->end - m->p < 1 + n)
		return mpr_fail(m, "value runs past the end of the frame");
	*v = mpr_be(m->p + 1, n);
	m->p += 1 + n;
	return 0;
}

static inline int mpr_int(struct mpr *m, int64_t *out)
{
	uint64_t v;
	if (m->p >= m->end)
		return mpr_fail(m, "expected an integer, found the end of the frame");
	uint8_t b = *m->p;
	if (b <= 0x7f || b >= 0xe0) { /* positive and negative fixint */
		*out = (int8_t)b;
		m->p++;
		return 0;
	}
	if (b >= 0xcc && b <= 0xcf) { /* uint 8/16/32/64 */
		if (mpr_arg(m, 1 << (b - 0xcc), &v) < 0)
			return -1;
		if (v > INT64_MAX) {
			m->p -= 9;
			return mpr_fail(m, "integer does not fit in int64");
		}
		*out = (int64_t)v;
		return 0;
	}
	if (b >= 0xd0 && b <= 0xd3) { /* int 8/16/32/64 */
		int n = 1 << (b - 0xd0);
		if (mpr_arg(m, n, &v) < 0)
			return -1;
		/* sign-extend the n-byte two's complement value */
		int shift = 64 - 8 * n;
		*out = shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
		return 0;
	}
	return mpr_fail(m, "expected an integer");
}

static inline int mpr_bool(struct mpr *m, bool *out)
{
	if (m->p < m->end && (*m->p == 0xc2 || *m->p == 0xc3)) {
		*out = *m->p++ == 0xc3;
		return 0;
	}
	return mpr_fail(m, "expected true or false");
}

/* The head of a str, bin, array or map: the fix form `fix_lo`..`fix_hi`
 * (length in the low bits; none if fix_hi < fix_lo), or a type byte from
 * `first` on carrying a big-endian length of 2^w0, 2^(w0+1)... bytes, up to
 * 4 bytes. */
static inline int mpr_head(struct mpr *m, uint8_t fix_lo, uint8_t fix_hi, uint8_t first,
                           int w0, uint64_t *n, const char *why)
{
	if (m->p >= m->end)
		return mpr_fail(m, why);
	uint8_t b = *m->p;
	if (b >= fix_lo && b <= fix_hi) {
		*n = b - fix_lo;
		m->p++;
		return 0;
	}
	if (b >= first && b - first <= 2 - w0)
		return mpr_arg(m, 1 << (b - first + w0), n);
	return mpr_fail(m, why);
}

/* A string or binary body of n bytes that must lie inside the frame. */
static inline int mpr_body(struct mpr *m, const uint8_t *head, uint64_t n, const uint8_t **s)
{
	if ((uint64_t)(m->end - m->p) < n) {
		m->p = head;
		return mpr_fail(m, "string runs past the end of the frame");
	}
	*s = m->p;
	m->p += n;
	return 0;
}

static inline int mpr_str(struct mpr *m, const uint8_t **s, size_t *n)
{
	const uint8_t *head = m->p;
	uint64_t len;
	if (mpr_head(m, 0xa0, 0xbf, 0xd9, 0, &len, "expected a string") < 0)
		return -1;
	*n = (size_t)len;
	return mpr_body(m, head, len, s);
}

/* Binary data or nil (then *s is NULL and *n is 0). */
static inline int mpr_bin_or_nil(struct mpr *m, const uint8_t **s, size_t *n)
{
	const uint8_t *head = m->p;
	uint64_t len;
	if (m->p < m->end && *m->p == 0xc0) {
		m->p++;
		*s = NULL;
		*n = 0;
		return 0;
	}
	if (mpr_head(m, 1, 0, 0xc4, 0, &len, "expected binary data or nil") < 0)
		return -1;
	*n = (size_t)len;
	return mpr_body(m, head, len, s);
}

static inline int mpr_array(struct mpr *m, uint64_t *n)
{
	return mpr_head(m, 0x90, 0x9f, 0xdc, 1, n, "expected an array");
}

static inline int mpr_map(struct mpr *m, uint64_t *n)
{
	return mpr_head(m, 0x80, 0x8f, 0xde, 1, n, "expected a map");
}

/* Skips one value of any type, nested or not, without recursion: `pending`
 * counts the values still to skip. */
int rec_mpr_skip(struct mpr *m);

#endif
