/*
 * names.c - the recorder's pure pieces: which streams to ask for, the gap
 * marker it writes, and the names of its files. Kept apart from the loop so
 * they are tested without a network.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static const struct stream_kind {
	const char *name; /* as on the command line and in the stream name */
	unsigned bit;
} kinds[] = {
	{"aggTrade", RECORD_AGG_TRADE},     {"bookTicker", RECORD_BOOK_TICKER},
	{"depth", RECORD_DEPTH},            {"markPrice", RECORD_MARK_PRICE},
	{"forceOrder", RECORD_FORCE_ORDER},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
#define ALL_LIQUIDATIONS "!forceOrder@arr"

int record_streams_parse(const char *list, unsigned *mask, char *err, size_t cap)
{
	*mask = 0;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		size_t k = 0;
		while (k < NKINDS && (strlen(kinds[k].name) != n || strncmp(kinds[k].name, p, n)))
			k++;
		if (k == NKINDS) {
			snprintf(err, cap, "unknown stream '%.*s' (known: aggTrade, bookTicker, depth, "
			                   "markPrice, forceOrder)", (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		*mask |= kinds[k].bit;
		p += n + (p[n] == ',');
	}
	if (!*mask) {
		snprintf(err, cap, "no stream given");
		return -1;
	}
	return 0;
}

void record_names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* "BTCUSDT" + "aggTrade" -> "btcusdt@aggTrade" */
static char *stream_name(const char *symbol, const char *kind)
{
	size_t sn = strlen(symbol), kn = strlen(kind);
	char *s = malloc(sn + kn + 2);
	if (!s)
		return NULL;
	for (size_t i = 0; i < sn; i++)
		s[i] = (char)tolower((unsigned char)symbol[i]);
	s[sn] = '@';
	memcpy(s + sn + 1, kind, kn + 1);
	return s;
}

char **record_stream_names(const char *const *symbols, size_t nsymbols, unsigned mask,
                           bool all_liquidations, size_t *n)
{
	if (all_liquidations)
		mask &= ~(unsigned)RECORD_FORCE_ORDER;
	char **names = calloc(nsymbols * NKINDS + 1, sizeof *names);
	size_t k = 0;
	bool ok = names != NULL;
	if (ok && all_liquidations)
		ok = (names[k++] = strdup(ALL_LIQUIDATIONS)) != NULL;
	for (size_t s = 0; ok && s < nsymbols; s++)
		for (size_t i = 0; ok && i < NKINDS; i++)
			if (mask & kinds[i].bit)
				ok = (names[k++] = stream_name(symbols[s], kinds[i].name)) != NULL;
	if (!ok) {
		record_names_free(names, k);
		return NULL;
	}
	*n = k;
	return names;
}

void record_gap_event(ev_t *ev, gap_kind_t kind, const char *symbol, int64_t from_ms,
                      int64_t end_ms, int64_t recv_ns, const char *reason)
{
	memset(ev, 0, sizeof *ev);
	ev->type = EV_GAP;
	snprintf(ev->symbol, sizeof ev->symbol, "%s", symbol);
	ev->exch_ms = end_ms;
	ev->recv_ns = recv_ns;
	ev->u.gap.kind = kind;
	ev->u.gap.from_ms = from_ms;
	snprintf(ev->u.gap.reason, sizeof ev->u.gap.reason, "%s", reason);
}

int record_file_name(char *buf, size_t cap, const char *dir, int64_t start_ms, unsigned seq)
{
	char t[UTC_FMT_MAX], stamp[48];
	utc_format(start_ms, t); /* 2026-12-04T05:00:00.000Z */
	int n = snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", t, t + 5, t + 8, t + 11,
	                 t + 14, t + 17);
	if (seq)
		snprintf(stamp + n, sizeof stamp - (size_t)n, "-%u", seq);
	n = snprintf(buf, cap, "%s/aster-%s.hrec.gz", dir, stamp);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
