/*
 * number.c - JSON number text to exact values.
 *
 * cJSON turns numbers into doubles, which cannot hold 0.1; settings are
 * money, so the loader reads each number again from its source text (found
 * by source.c) with the strict RFC 8259 grammar. An exponent only moves the
 * decimal point: the significant digits are rewritten as plain decimal text
 * and handed to dec_parse(), so "1.5e3", "1500" and "1500.0" are the same
 * value and "1e-9" is refused as finer than 1e-8 instead of rounded.
 */
#include <string.h>

#include "config_int.h"

/* Where the parts of a number are: sign, the digits before and after the
 * point (both spans are digits only), and the exponent's value. */
struct number {
	bool neg;
	const char *ip, *fp;
	size_t ni, nf;
	long exp;
};

static size_t digits(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	return j - i;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else. The
 * exponent saturates: anything past +-9999 is out of range either way. */
static int split(const char *s, size_t n, struct number *num, const char **why)
{
	size_t i = 0;

	*num = (struct number){0};
	if (i < n && s[i] == '-')
		num->neg = true, i++;
	num->ip = s + i;
	num->ni = digits(s, n, i);
	if (num->ni == 0 || (num->ni > 1 && s[i] == '0')) {
		*why = num->ni ? "leading zero" : "";
		return -1;
	}
	i += num->ni;
	if (i < n && s[i] == '.') {
		num->fp = s + ++i;
		num->nf = digits(s, n, i);
		if (num->nf == 0) {
			*why = "no digits after the decimal point";
			return -1;
		}
		i += num->nf;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t ne = digits(s, n, i);
		if (ne == 0) {
			*why = "no digits in the exponent";
			return -1;
		}
		for (; ne; ne--, i++)
			num->exp = num->exp < 10000 ? num->exp * 10 + (s[i] - '0') : num->exp;
		if (eneg)
			num->exp = -num->exp;
	}
	if (i != n) {
		*why = "";
		return -1;
	}
	return 0;
}

/* Plain text of any value plain_text() accepts: sign, 12 + 8 digits, point. */
#define PLAIN_MAX 32

/* The k-th mantissa digit, counting the integer digits then the fraction's. */
static char digit_at(const struct number *num, size_t k)
{
	return k < num->ni ? num->ip[k] : num->fp[k - num->ni];
}

/*
 * Writes the value as plain decimal text. The significant digits run from
 * the first to the last non-zero one; `point` is how many of them stand
 * before the decimal point (negative or beyond the digits when the point
 * is outside them).
 */
static int plain_text(const struct number *num, char buf[PLAIN_MAX], const char **why)
{
	size_t total = num->ni + num->nf, first = 0, last = total;
	while (first < total && digit_at(num, first) == '0')
		first++;
	if (first == total) {
		strcpy(buf, "0");
		return 0;
	}
	while (digit_at(num, last - 1) == '0')
		last--;
	long sig = (long)(last - first);
	long point = (long)num->ni + num->exp - (long)first;
	if (point > 12) {
		*why = "number too large";
		return -1;
	}
	if (sig - point > DEC_DIGITS) {
		*why = "more than 8 decimal places";
		return -1;
	}
	/* Now at most 12 digits before the point and 8 after: it fits. */
	size_t len = 0;
	if (num->neg)
		buf[len++] = '-';
	if (point <= 0) {
		buf[len++] = '0';
		buf[len++] = '.';
		for (long k = point; k < 0; k++)
			buf[len++] = '0';
		for (long k = 0; k < sig; k++)
			buf[len++] = digit_at(num, first + (size_t)k);
	} else {
		for (long k = 0; k < point || k < sig; k++) {
			if (k == point)
				buf[len++] = '.';
			buf[len++] = k < sig ? digit_at(num, first + (size_t)k) : '0';
		}
	}
	buf[len] = '\0';
	return 0;
}

int cf_json_number_dec(const char *s, size_t n, dec_t *out, const char **why)
{
	struct number num;
	char text[PLAIN_MAX];

	if (split(s, n, &num, why) < 0 || plain_text(&num, text, why) < 0)
		return -1;
	return dec_parse(text, strlen(text), out, why);
}

int cf_json_number_u64(const char *s, size_t n, uint64_t *out, const char **why)
{
	uint64_t v = 0;

	if (n == 0 || digits(s, n, 0) != n) {
		*why = n && s[0] == '-' ? "negative" : "not a whole number without exponent";
		return -1;
	}
	if (n > 1 && s[0] == '0') {
		*why = "leading zero";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*why = "number too large";
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
