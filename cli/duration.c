/*
 * duration.c - durations as people write them on a command line: a whole
 * number and a unit, "500ms", "25s", "30m", "6h", "1d" (also combined,
 * "1h30m"). Walk-forward windows, recording rotation and run lengths all
 * read them here, so every command spells them the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int64_t unit_ms(const char *u, size_t n)
{
	static const struct { const char *name; int64_t ms; } units[] = {
		{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].name) == n && !strncmp(u, units[i].name, n))
			return units[i].ms;
	return 0;
}

int cli_parse_duration(const char *text, int64_t *ms)
{
	int64_t total = 0;
	const char *p = text;
	if (!*p)
		return -1;
	while (*p) {
		char *end;
		if (*p < '0' || *p > '9')
			return -1;
		long long n = strtoll(p, &end, 10);
		size_t len = strspn(end, "abcdefghijklmnopqrstuvwxyz");
		int64_t unit = unit_ms(end, len);
		if (!unit || n > INT64_MAX / unit || total > INT64_MAX - n * unit)
			return -1;
		total += n * unit;
		p = end + len;
	}
	*ms = total;
	return total > 0 ? 0 : -1;
}
