/*
 * streams.c - Aster's stream names ("btcusdt@aggTrade", "!forceOrder@arr"),
 * which events each carries, and the set of streams a connection holds,
 * whether asked for in its URL or by SUBSCRIBE.
 *
 * Names are checked as the exchange spells them: the symbol part in lower
 * case, the stream part in its own case. A symbol must be one the
 * recordings know, so that a typo is an error rather than a silent stream.
 */
#include <stdio.h>
#include <string.h>

#include "serve_int.h"

static const struct suffix {
	const char *text;
	enum stream_kind kind;
} suffixes[] = {
	{"aggTrade", SK_AGG_TRADE},     {"trade", SK_TRADE},
	{"bookTicker", SK_BOOK_TICKER}, {"depth", SK_DEPTH},
	{"depth@100ms", SK_DEPTH},      {"depth@500ms", SK_DEPTH},
	{"markPrice", SK_MARK_PRICE},   {"markPrice@1s", SK_MARK_PRICE},
	{"forceOrder", SK_FORCE_ORDER},
};

static const struct suffix all_market[] = {
	{"!forceOrder@arr", SK_FORCE_ORDER},
	{"!bookTicker", SK_BOOK_TICKER},
};

static int kind_of(const struct suffix *table, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(table[i].text) == len && !memcmp(table[i].text, s, len))
			return (int)table[i].kind;
	return 0;
}

/* The symbol part: lower-case letters and digits, upper-cased into out. */
static bool symbol_part(const char *s, size_t n, char out[SYMBOL_MAX])
{
	if (n == 0 || n >= SYMBOL_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return false;
		out[i] = (char)(c >= 'a' ? c - 'a' + 'A' : c);
	}
	out[n] = '\0';
	return true;
}

int serve_stream_parse(const struct market *m, const char *name, size_t n, struct stream *out,
                       char *err)
{
	*out = (struct stream){0};
	if (n == 0 || n >= SERVE_STREAM_NAME_MAX || memchr(name, '\0', n)) {
		snprintf(err, SERVE_ERR_MAX, "Invalid request: invalid stream name");
		return -1;
	}
	memcpy(out->name, name, n);
	const char *at = memchr(name, '@', n);
	int kind = name[0] == '!' ? kind_of(all_market, 2, name, n)
	           : at ? kind_of(suffixes, sizeof suffixes / sizeof suffixes[0], at + 1,
	                          n - (size_t)(at + 1 - name))
	                : 0;
	if (!kind || (name[0] != '!' && !symbol_part(name, (size_t)(at - name), out->symbol))) {
		snprintf(err, SERVE_ERR_MAX, "Invalid request: unknown stream '%s'", out->name);
		return -1;
	}
	if (out->symbol[0] && m && !serve_market_find(m, out->symbol)) {
		snprintf(err, SERVE_ERR_MAX, "Invalid request: unknown symbol in stream '%s'",
		         out->name);
		return -1;
	}
	out->kind = (enum stream_kind)kind;
	return 0;
}

static enum stream_kind kind_of_event(int type)
{
	switch (type) {
	case EV_AGG_TRADE: return SK_AGG_TRADE;
	case EV_TRADE: return SK_TRADE;
	case EV_BOOK_TICKER: return SK_BOOK_TICKER;
	case EV_DEPTH_UPDATE: return SK_DEPTH;
	case EV_MARK_PRICE: return SK_MARK_PRICE;
	case EV_LIQUIDATION: return SK_FORCE_ORDER;
	default: return 0;
	}
}

bool serve_stream_matches(const struct stream *s, const ev_t *ev)
{
	return kind_of_event(ev->type) == s->kind &&
	       (!s->symbol[0] || !strcmp(s->symbol, ev->symbol));
}

static ptrdiff_t find(const struct subs *subs, const char *name, size_t n)
{
	for (size_t i = 0; i < subs->n; i++)
		if (strlen(subs->s[i].name) == n && !memcmp(subs->s[i].name, name, n))
			return (ptrdiff_t)i;
	return -1;
}

int serve_subs_add(struct subs *subs, const struct market *m, const char *const *names,
                   const size_t *lens, size_t n, char *err)
{
	struct stream parsed[SERVE_STREAMS_MAX];
	size_t fresh = 0;
	for (size_t i = 0; i < n; i++) {
		if (find(subs, names[i], lens[i]) >= 0)
			continue;
		bool again = false;
		for (size_t j = 0; j < fresh; j++)
			again |= strlen(parsed[j].name) == lens[i] &&
			         !memcmp(parsed[j].name, names[i], lens[i]);
		if (again)
			continue;
		if (subs->n + fresh >= SERVE_STREAMS_MAX) {
			snprintf(err, SERVE_ERR_MAX, "Invalid request: too many streams (at most %d"
			         " per connection)", SERVE_STREAMS_MAX);
			return -1;
		}
		if (serve_stream_parse(m, names[i], lens[i], &parsed[fresh], err))
			return -1;
		fresh++;
	}
	memcpy(subs->s + subs->n, parsed, fresh * sizeof parsed[0]);
	subs->n += fresh;
	return 0;
}

void serve_subs_remove(struct subs *subs, const char *name, size_t n)
{
	ptrdiff_t i = find(subs, name, n);
	if (i < 0)
		return;
	memmove(subs->s + i, subs->s + i + 1, (subs->n - (size_t)i - 1) * sizeof subs->s[0]);
	subs->n--;
}

/* "a/b/c" split at '/' into the subscription set. */
static int add_list(struct subs *subs, const struct market *m, const char *list, char *err)
{
	const char *names[SERVE_STREAMS_MAX + 1];
	size_t lens[SERVE_STREAMS_MAX + 1], n = 0;
	for (const char *p = list; *p;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (n == SERVE_STREAMS_MAX + 1)
			break;
		names[n] = p;
		lens[n++] = len;
		p += len + (slash != NULL);
	}
	if (n > SERVE_STREAMS_MAX) {
		snprintf(err, SERVE_ERR_MAX, "too many streams (at most %d per connection)",
		         SERVE_STREAMS_MAX);
		return -1;
	}
	return serve_subs_add(subs, m, names, lens, n, err);
}

int serve_streams_from_url(const struct market *m, const char *path, const char *query,
                           struct subs *subs, bool *combined, char *err)
{
	subs->n = 0;
	*combined = !strcmp(path, "/stream") || !strcmp(path, "/stream/");
	if (*combined) {
		char list[SERVE_STREAMS_MAX * SERVE_STREAM_NAME_MAX];
		int got = serve_query_get(query ? query : "", "streams", list, sizeof list);
		if (got < 0) {
			snprintf(err, SERVE_ERR_MAX, "streams= is too long");
			return -1;
		}
		return got ? add_list(subs, m, list, err) : 0;
	}
	if (!strcmp(path, "/ws") || !strcmp(path, "/ws/"))
		return 0;
	if (!strncmp(path, "/ws/", 4)) {
		const char *name = path + 4;
		size_t len = strlen(name);
		return serve_subs_add(subs, m, &name, &len, 1, err);
	}
	snprintf(err, SERVE_ERR_MAX, "no such path: use /ws/<stream> or /stream?streams=...");
	return -1;
}
