/*
 * options.c - the synthesizer's options: defaults, the symbol list and the
 * start time, each checked with a message that names what is wrong, because
 * they come straight from a command line.
 */
#include <stdio.h>
#include <string.h>

#include "synth_int.h"

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
	const struct preset *p = syn_preset_at(i);
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
	if (!syn_preset_find(s, n)) {
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

int syn_symbols_check(const struct synth_opts *o, char *err)
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

int synth_parse_time(const char *text, int64_t *ms, char *err)
{
	if (utc_parse(text, ms) == 0)
		return 0;
	snprintf(err, SYNTH_ERR_MAX,
	         "time '%s': expected Unix milliseconds or YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z] (UTC) "
	         "between 1970-01-01 and 2262-04-11",
	         text);
	return -1;
}
