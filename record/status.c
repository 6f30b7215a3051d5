/*
 * status.c - what the recorder reports every few seconds, as a line for a
 * terminal or a JSON object for scripts. Rates are per event type (one
 * type per stream kind) over the last period.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "record.h"

/* snprintf that appends and never runs past the end. */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	if (*len >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	*len = n < 0 ? cap : *len + (size_t)n;
}

static double rate(const struct record_status *st, int type)
{
	return st->period_ms > 0 ? (double)st->msgs[type] * 1000.0 / (double)st->period_ms : 0;
}

void record_status_line(const struct record_status *st, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int t = 1; t < EV__COUNT; t++)
		if (st->msgs[t])
			add(buf, cap, &len, "%s %.1f/s  ", ev_type_name(t), rate(st, t));
	if (st->books)
		add(buf, cap, &len, "| books %u/%u live  ", st->books_live, st->books);
	add(buf, cap, &len, "| up %u/%u  reconnects %llu  gaps %llu  bad %llu  lag %.0f ms "
	                    "(max %lld)  events %llu", st->conns_up, st->conns,
	    (unsigned long long)st->reconnects, (unsigned long long)st->gaps,
	    (unsigned long long)st->bad_frames, st->lag_ms_avg, (long long)st->lag_ms_max,
	    (unsigned long long)st->events);
}

void record_status_json(const struct record_status *st, int64_t now_ms, char *buf, size_t cap)
{
	size_t len = 0;
	add(buf, cap, &len, "{\"time_ms\":%lld,\"rates\":{", (long long)now_ms);
	const char *sep = "";
	for (int t = 1; t < EV__COUNT; t++)
		if (st->msgs[t]) {
			add(buf, cap, &len, "%s\"%s\":%.3f", sep, ev_type_name(t), rate(st, t));
			sep = ",";
		}
	add(buf, cap, &len, "},\"events\":%llu,\"reconnects\":%llu,\"gaps\":%llu,"
	                    "\"bad_frames\":%llu,\"ignored_frames\":%llu,\"snapshots\":%llu,"
	                    "\"conns\":%u,\"conns_up\":%u,\"books\":%u,\"books_live\":%u,"
	                    "\"lag_ms_avg\":%.1f,\"lag_ms_max\":%lld,\"file\":\"",
	    (unsigned long long)st->events, (unsigned long long)st->reconnects,
	    (unsigned long long)st->gaps, (unsigned long long)st->bad_frames,
	    (unsigned long long)st->ignored_frames, (unsigned long long)st->snapshots, st->conns,
	    st->conns_up, st->books, st->books_live, st->lag_ms_avg, (long long)st->lag_ms_max);
	for (const char *p = st->file ? st->file : ""; *p; p++) {
		bool quote = *p == '"' || *p == '\\';
		/* a control character in a file name is replaced, not escaped */
		add(buf, cap, &len, "%s%c", quote ? "\\" : "", (unsigned char)*p < 0x20 ? '?' : *p);
	}
	add(buf, cap, &len, "\"}");
}
