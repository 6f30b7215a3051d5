/*
 * utc.c - times as people type them on a command line and as hunter prints
 * them: milliseconds since the epoch or UTC ISO 8601. Pure arithmetic, so
 * no time zone or locale setting can shift a backtest window.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core.h"

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone or locale can shift the result. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly `width` digits at *p into *v; advances *p. */
static bool digits(const char **p, int width, int64_t *v)
{
	*v = 0;
	for (int i = 0; i < width; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* The time of day after 'T' or ' ': HH:MM[:SS[.mmm]]. */
static bool parse_clock(const char **p, int64_t *ms)
{
	int64_t h, mi, s = 0, frac = 0;
	if (!digits(p, 2, &h) || !expect(p, ':') || !digits(p, 2, &mi) || h > 23 || mi > 59)
		return false;
	if (expect(p, ':')) {
		if (!digits(p, 2, &s) || s > 59)
			return false;
		if (expect(p, '.') && !digits(p, 3, &frac))
			return false;
	}
	*ms = ((h * 60 + mi) * 60 + s) * 1000 + frac;
	return true;
}

static bool parse_iso(const char *text, int64_t *ms)
{
	const char *p = text;
	int64_t y, m, d, clock = 0;
	if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &m) || !expect(&p, '-') ||
	    !digits(&p, 2, &d) || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	if ((expect(&p, 'T') || expect(&p, ' ')) && !parse_clock(&p, &clock))
		return false;
	expect(&p, 'Z');
	if (*p)
		return false;
	*ms = days_from_civil(y, m, d) * 86400000LL + clock;
	return true;
}

static bool parse_ms(const char *text, int64_t *ms)
{
	int64_t v = 0;
	if (!*text)
		return false;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v <= UTC_LAST_MS) /* beyond, only the range check is left */
			v = v * 10 + (*p - '0');
	}
	*ms = v;
	return true;
}

int utc_parse(const char *text, int64_t *ms)
{
	int64_t v;
	bool iso = strchr(text, '-') != NULL;
	if (!(iso ? parse_iso(text, &v) : parse_ms(text, &v)) || v < 0 || v >= UTC_LAST_MS)
		return -1;
	*ms = v;
	return 0;
}

void utc_format(int64_t ms, char buf[UTC_FMT_MAX])
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, UTC_FMT_MAX, "%lld ms", (long long)ms);
		return;
	}
	size_t n = strftime(buf, UTC_FMT_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, UTC_FMT_MAX - n, ".%03dZ", (int)(ms - (int64_t)t * 1000));
}
