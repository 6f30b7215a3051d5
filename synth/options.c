/*
 * options.c - the synthesizer's options: defaults, the symbol list and the
 * start time, each checked with a message that names what is wrong, because
 * they come straight from a command line.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* 2026-01-12T00:00:00Z, the day the presets' exchange rules were captured.
 * A fixed default keeps runs without --start reproducible. */
#define DEFAULT_START_MS 1768176000000LL
#define DEFAULT_MINUTES 60

static const char *const default_symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};

void synth_opts_init(struct synth_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->duration_ms = DEFAULT_MINUTES * 60000LL;
	o->start_ms = DEFAULT_START_MS;
	o->depth = true;
	o->nsymbols = sizeof default_symbols / sizeof default_symbols[0];
	for (size_t i = 0; i < o->nsymbols; i++)
		copy_str(o->symbols[i], SYMBOL_MAX, default_symbols[i], strlen(default_symbols[i]));
}

const char *synth_symbol_name(size_t i)
{
	const struct preset *p = preset_at(i);
	return p ? p->symbol : NULL;
}

static void known_symbols(char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; synth_symbol_name(i) && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
		                        synth_symbol_name(i));
}

/* Checks one item of the list and appends it; -1 with a message. */
static int add_symbol(struct synth_opts *o, const char *s, size_t n, size_t pos, char *err)
{
	char known[160];
	if (n == 0) {
		snprintf(err, SYNTH_ERR_MAX, "empty symbol name at position %zu", pos + 1);
		return -1;
	}
	if (!preset_find(s, n)) {
		known_symbols(known, sizeof known);
		snprintf(err, SYNTH_ERR_MAX, "unknown symbol '%.*s' (known: %s)",
		         n < SYMBOL_MAX ? (int)n : SYMBOL_MAX, s, known);
		return -1;
	}
	for (size_t i = 0; i < o->nsymbols; i++)
		if (strlen(o->symbols[i]) == n && !memcmp(o->symbols[i], s, n)) {
			snprintf(err, SYNTH_ERR_MAX, "symbol '%.*s' is listed twice", (int)n, s);
			return -1;
		}
	if (o->nsymbols == SYNTH_MAX_SYMBOLS) {
		snprintf(err, SYNTH_ERR_MAX, "more than %d symbols", SYNTH_MAX_SYMBOLS);
		return -1;
	}
	copy_str(o->symbols[o->nsymbols++], SYMBOL_MAX, s, n);
	return 0;
}

int symbols_check(const struct synth_opts *o, char *err)
{
	struct synth_opts seen;
	if (o->nsymbols == 0 || o->nsymbols > SYNTH_MAX_SYMBOLS) {
		snprintf(err, SYNTH_ERR_MAX, "between 1 and %d symbols needed, not %zu",
		         SYNTH_MAX_SYMBOLS, o->nsymbols);
		return -1;
	}
	seen.nsymbols = 0;
	for (size_t i = 0; i < o->nsymbols; i++)
		if (add_symbol(&seen, o->symbols[i], strnlen(o->symbols[i], SYMBOL_MAX), i, err))
			return -1;
	return 0;
}

int synth_opts_symbols(struct synth_opts *o, const char *list, char *err)
{
	struct synth_opts tmp = *o;
	tmp.nsymbols = 0;
	const char *p = list;
	for (size_t pos = 0;; pos++) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (add_symbol(&tmp, p, n, pos, err))
			return -1;
		if (!comma)
			break;
		p = comma + 1;
	}
	*o = tmp;
	return 0;
}

/* ---- time ---------------------------------------------------------------- */

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

/* The time of day after 'T': HH:MM[:SS[.mmm]]. */
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
	if (expect(&p, 'T') && !parse_clock(&p, &clock))
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
		if (v <= SYNTH_LAST_MS) /* beyond, only the range check is left */
			v = v * 10 + (*p - '0');
	}
	*ms = v;
	return true;
}

int synth_parse_time(const char *text, int64_t *ms, char *err)
{
	int64_t v;
	bool iso = strchr(text, '-') != NULL;
	if (!(iso ? parse_iso(text, &v) : parse_ms(text, &v))) {
		snprintf(err, SYNTH_ERR_MAX,
		         "time '%s': expected Unix milliseconds or YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z] (UTC)",
		         text);
		return -1;
	}
	if (v < 0 || v >= SYNTH_LAST_MS) {
		snprintf(err, SYNTH_ERR_MAX, "time '%s': outside 1970-01-01 .. 2262-04-11", text);
		return -1;
	}
	*ms = v;
	return 0;
}
