/*
 * decimal.c - exact fixed-point decimals (1e-8 units) for prices, quantities
 * and money. Parsing is strict because every price the exchange sends must
 * come back out byte-exact, and a silently misread digit is lost money.
 */
#include <string.h>

#include "core.h"

int dec_parse(const char *s, size_t n, dec_t *out, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	size_t i = 0;
	int neg = 0;
	if (n == 0) {
		*why = "empty number";
		return -1;
	}
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	uint64_t ip = 0, fp = 0;
	size_t idigits = 0, fdigits = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, idigits++) {
		if (ip > (uint64_t)(DEC_MAX / DEC_SCALE)) {
			*why = "number too large";
			return -1;
		}
		ip = ip * 10 + (uint64_t)(s[i] - '0');
	}
	if (idigits == 0) {
		*why = "number must start with a digit";
		return -1;
	}
	if (i < n && s[i] == '.') {
		i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, fdigits++) {
			if (fdigits < DEC_DIGITS)
				fp = fp * 10 + (uint64_t)(s[i] - '0');
			else if (s[i] != '0') {
				*why = "more than 8 decimal places";
				return -1;
			}
		}
		if (fdigits == 0) {
			*why = "no digits after the decimal point";
			return -1;
		}
	}
	if (i != n) {
		*why = (s[i] == 'e' || s[i] == 'E') ? "exponent notation is not allowed"
		                                     : "unexpected character in number";
		return -1;
	}
	for (size_t k = fdigits; k < DEC_DIGITS; k++)
		fp *= 10;
	if (ip > (uint64_t)(DEC_MAX / DEC_SCALE) ||
	    ip * (uint64_t)DEC_SCALE > (uint64_t)DEC_MAX - fp) {
		*why = "number too large";
		return -1;
	}
	int64_t v = (int64_t)(ip * (uint64_t)DEC_SCALE + fp);
	*out = neg ? -v : v;
	return 0;
}

/* Writes |v| with exactly `decimals` fractional digits (no trimming). */
static size_t format_digits(dec_t v, int decimals, char *buf)
{
	uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	uint64_t ip = a / (uint64_t)DEC_SCALE, fp = a % (uint64_t)DEC_SCALE;
	char tmp[DEC_FMT_MAX];
	size_t n = 0, len = 0;
	do {
		tmp[n++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	if (decimals > 0) {
		buf[len++] = '.';
		uint64_t div = (uint64_t)DEC_SCALE / 10;
		for (int d = 0; d < decimals; d++, div /= 10)
			buf[len++] = (char)('0' + (fp / div) % 10);
	}
	buf[len] = 0;
	return len;
}

size_t dec_format(dec_t v, char buf[DEC_FMT_MAX])
{
	return format_digits(v, dec_decimals(v), buf);
}

size_t dec_format_fixed(dec_t v, int decimals, char buf[DEC_FMT_MAX])
{
	if (decimals < 0 || decimals > DEC_DIGITS || dec_decimals(v) > decimals) {
		buf[0] = 0;
		return 0;
	}
	return format_digits(v, decimals, buf);
}

int dec_decimals(dec_t step)
{
	int d = DEC_DIGITS;
	int64_t f = step % DEC_SCALE;
	while (d > 0 && f % 10 == 0) {
		f /= 10;
		d--;
	}
	return d;
}

/* The multiple of step at or below v (floor) or at or above it (ceiling),
 * computed wide. A result beyond the range is pulled back by one step, so
 * rounding never overflows; no real price or quantity comes near it. */
static dec_t round_to(dec_t v, dec_t step, bool up)
{
	if (step <= 0)
		return v;
	__int128 r = v % step;
	if (r < 0)
		r += step;
	__int128 d = (__int128)v - r;
	if (up && r)
		d += step;
	if (d > DEC_MAX)
		d -= step;
	else if (d < DEC_MIN)
		d += step;
	return (dec_t)d;
}

dec_t dec_round_down(dec_t v, dec_t step)
{
	return round_to(v, step, false);
}

dec_t dec_round_up(dec_t v, dec_t step)
{
	return round_to(v, step, true);
}

dec_t dec_round_away(dec_t v, dec_t step, dec_t ref)
{
	return v >= ref ? dec_round_up(v, step) : dec_round_down(v, step);
}

static int fits(__int128 r, dec_t *out)
{
	if (r > DEC_MAX || r < DEC_MIN)
		return -1;
	*out = (dec_t)r;
	return 0;
}

int dec_mul(dec_t a, dec_t b, dec_t *out)
{
	return fits((__int128)a * b / DEC_SCALE, out);
}

int dec_div(dec_t a, dec_t b, dec_t *out)
{
	if (b == 0)
		return -1;
	return fits((__int128)a * DEC_SCALE / b, out);
}

int dec_muldiv(dec_t a, dec_t b, dec_t c, dec_t *out)
{
	if (c == 0)
		return -1;
	return fits((__int128)a * b / c, out);
}

double dec_to_double(dec_t v)
{
	return (double)(v / DEC_SCALE) + (double)(v % DEC_SCALE) / (double)DEC_SCALE;
}
