/*
 * utc.c - UTC times as people type them and as inspect prints them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "importer.h"

/* Milliseconds since the epoch: 10 digits or more, so that a year such as
 * "2025" is not mistaken for one. */
static int parse_ms(const char *s, int64_t *ms)
{
	size_t n = strlen(s);
	if (n < 10 || n > 15 || strspn(s, "0123456789") != n)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*ms = v;
	return 0;
}

/* "YYYY-MM-DD" then optionally [T ]HH:MM[:SS[.mmm]] and an optional "Z". */
static int parse_iso(const char *s, int64_t *ms)
{
	struct tm tm;
	int frac = 0, used = 0, fused = 0;
	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 ||
	    used != 10)
		return -1;
	s += used;
	if (*s == 'T' || *s == ' ') {
		if (sscanf(s + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &used) != 2 || used != 5)
			return -1;
		s += 1 + used;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &tm.tm_sec, &used) != 1 || used != 2)
				return -1;
			s += 1 + used;
			if (*s == '.') {
				if (sscanf(s + 1, "%3d%n", &frac, &fused) != 1 || fused != 3)
					return -1;
				s += 1 + fused;
			}
		}
	}
	if (*s == 'Z')
		s++;
	if (*s || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 + frac;
	return 0;
}

int imp_parse_time(const char *s, int64_t *ms)
{
	return isdigit((unsigned char)s[0]) && !parse_ms(s, ms) ? 0 : parse_iso(s, ms);
}

void imp_format_time(int64_t ms, char buf[32])
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, 32, "%lld ms", (long long)ms);
		return;
	}
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03dZ", (int)(ms - (int64_t)t * 1000));
}
