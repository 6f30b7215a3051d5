/*
 * fmt.c - how the report prints exact decimals, exchange times and
 * durations. Exact decimals come from the integers, never through a double,
 * so a figure on the page is the figure in the database.
 */
#include <inttypes.h>
#include <time.h>

#include "report_int.h"

const char *rp_fmt_e8(char buf[FMT_MAX], int64_t v)
{
	dec_format(v, buf);
	return buf;
}

const char *rp_fmt_time(char buf[FMT_MAX], int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	int frac = (int)(ms % 1000);
	if (frac < 0) {
		s--;
		frac += 1000;
	}
	struct tm tm;
	if (!gmtime_r(&s, &tm)) {
		snprintf(buf, FMT_MAX, "%" PRId64 " ms", ms);
		return buf;
	}
	size_t n = strftime(buf, FMT_MAX, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, FMT_MAX - n, ".%03d", frac);
	return buf;
}

const char *rp_fmt_dur(char buf[FMT_MAX], int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	uint64_t a = ms < 0 ? (uint64_t)-(ms + 1) + 1 : (uint64_t)ms;
	uint64_t s = a / 1000, m = s / 60, h = m / 60, d = h / 24;
	if (a < 1000)
		snprintf(buf, FMT_MAX, "%s%" PRIu64 " ms", sign, a);
	else if (s < 60)
		snprintf(buf, FMT_MAX, "%s%.1f s", sign, (double)a / 1000.0);
	else if (m < 60)
		snprintf(buf, FMT_MAX, "%s%" PRIu64 " min %02" PRIu64 " s", sign, m, s % 60);
	else if (h < 24)
		snprintf(buf, FMT_MAX, "%s%" PRIu64 " h %02" PRIu64 " min", sign, h, m % 60);
	else
		snprintf(buf, FMT_MAX, "%s%" PRIu64 " d %" PRIu64 " h", sign, d, h % 24);
	return buf;
}
