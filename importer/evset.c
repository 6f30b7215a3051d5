/*
 * evset.c - the imported events, owned, sorted by exchange time.
 *
 * Parsers hand out events whose arrays (depth levels, balances, symbol rules)
 * and raw text live only until their next event, so the set copies each
 * event's variable parts into an arena of fixed blocks: a block never moves,
 * so pointers into it stay valid as the set grows.
 */
#include <stdlib.h>
#include <string.h>

#include "importer_int.h"

#define BLOCK_SIZE (1u << 20)

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char data[];
};

struct order_key {
	int64_t ms;
	size_t idx; /* input order, which makes the sort stable */
};

struct imp_set {
	ev_t *evs;
	size_t n, cap;
	struct block *blocks;
	size_t *order; /* after finish: indexes into evs in recording order */
	ev_t info;     /* the --exchange-info event, if has_info */
	bool has_info;
	bool has_raw;  /* some event kept its frame text */
	char (*symbols)[SYMBOL_MAX];
	size_t nsymbols;
};

imp_set_t *imp_set_new(void)
{
	return calloc(1, sizeof(imp_set_t));
}

/* Copies n bytes into the arena, aligned for any struct; NULL when out of
 * memory. A zero-length copy gives a valid pointer. */
static void *arena_dup(imp_set_t *s, const void *src, size_t n)
{
	size_t need = (n + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
	struct block *b = s->blocks;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = s->blocks;
		b->used = 0;
		b->cap = cap;
		s->blocks = b;
	}
	void *dst = b->data + b->used;
	if (n)
		memcpy(dst, src, n);
	b->used += need;
	return dst;
}

/* Points the copy's arrays at arena copies of the original's. */
static int own_parts(imp_set_t *s, ev_t *e)
{
	if (e->raw) {
		char *raw = arena_dup(s, e->raw, (size_t)e->raw_len + 1);
		if (!raw)
			return -1;
		raw[e->raw_len] = '\0';
		e->raw = raw;
	}
	switch (e->type) {
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		e->u.depth.bids = arena_dup(s, e->u.depth.bids, e->u.depth.nbids * sizeof(level_t));
		e->u.depth.asks = arena_dup(s, e->u.depth.asks, e->u.depth.nasks * sizeof(level_t));
		return e->u.depth.bids && e->u.depth.asks ? 0 : -1;
	case EV_ACCOUNT_UPDATE:
		e->u.account.balances = arena_dup(s, e->u.account.balances,
		                                  e->u.account.nbalances * sizeof(struct balance));
		e->u.account.positions = arena_dup(s, e->u.account.positions,
		                                   e->u.account.npositions * sizeof(struct position));
		return e->u.account.balances && e->u.account.positions ? 0 : -1;
	case EV_EXCHANGE_INFO:
		e->u.info.symbols = arena_dup(s, e->u.info.symbols,
		                              e->u.info.nsymbols * sizeof(struct symbol_rules));
		return e->u.info.symbols ? 0 : -1;
	default:
		return 0;
	}
}

int imp_set_add(imp_set_t *s, const ev_t *ev)
{
	ev_t *nevs = grow_array(s->evs, &s->cap, s->n + 1, sizeof *nevs);
	if (!nevs)
		return -1;
	s->evs = nevs;
	ev_t *e = &s->evs[s->n];
	*e = *ev;
	if (own_parts(s, e))
		return -1;
	s->has_raw |= e->raw != NULL;
	s->n++;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;
	if (x->ms != y->ms)
		return x->ms < y->ms ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int sort_events(imp_set_t *s)
{
	struct order_key *keys = malloc((s->n ? s->n : 1) * sizeof *keys);
	s->order = malloc((s->n ? s->n : 1) * sizeof *s->order);
	if (!keys || !s->order) {
		free(keys);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		keys[i] = (struct order_key){s->evs[i].exch_ms, i};
	qsort(keys, s->n, sizeof *keys, by_time);
	for (size_t i = 0; i < s->n; i++)
		s->order[i] = keys[i].idx;
	free(keys);
	return 0;
}

/* The sorted distinct symbols of market events (exchange info names many
 * symbols that were not recorded, so it does not count). */
static int collect_symbols(imp_set_t *s)
{
	s->symbols = malloc((s->n ? s->n : 1) * sizeof *s->symbols);
	if (!s->symbols)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->evs[i].symbol[0] && s->evs[i].type != EV_EXCHANGE_INFO)
			memcpy(s->symbols[k++], s->evs[i].symbol, SYMBOL_MAX);
	qsort(s->symbols, k, SYMBOL_MAX, by_name);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || strcmp(s->symbols[u - 1], s->symbols[i]))
			memmove(s->symbols[u++], s->symbols[i], SYMBOL_MAX);
	s->nsymbols = u;
	return 0;
}

static bool recorded(const imp_set_t *s, const char *symbol)
{
	return bsearch(symbol, s->symbols, s->nsymbols, SYMBOL_MAX, by_name) != NULL;
}

/* Narrows an exchange info event, in place, to the recorded symbols. Its
 * array is the set's own (own_parts), so it can be compacted. A set of
 * exchange info alone (the --exchange-info file itself) keeps every symbol. */
static uint32_t restrict_info(const imp_set_t *s, ev_t *info)
{
	struct symbol_rules *r = (struct symbol_rules *)info->u.info.symbols;
	uint32_t kept = 0;
	if (s->nsymbols == 0)
		return info->u.info.nsymbols;
	for (uint32_t i = 0; i < info->u.info.nsymbols; i++)
		if (recorded(s, r[i].symbol))
			r[kept++] = r[i];
	info->u.info.nsymbols = kept;
	return kept;
}

static int add_info(imp_set_t *s, const ev_t *info, struct imp_stats *st)
{
	s->info = *info;
	if (own_parts(s, &s->info))
		return -1;
	s->has_info = true;
	if (s->n) {
		s->info.exch_ms = s->evs[s->order[0]].exch_ms;
		s->info.recv_ns = s->evs[s->order[0]].recv_ns;
	}
	st->info_symbols = restrict_info(s, &s->info);
	st->info_missing = (uint32_t)s->nsymbols - st->info_symbols;
	return 0;
}

/* Exchange info is a statement of rules, dated by the exchange's serverTime,
 * which can be stale: the cryptofeed capture's is 37 hours older than its
 * streams. Rules seen before the first market event are dated at it, so they
 * do not stretch the recording's span. The order is unchanged: such events
 * were sorted first already. */
static void date_info(imp_set_t *s)
{
	int64_t first = 0;
	bool any = false;
	for (size_t i = 0; i < s->n && !any; i++)
		if (s->evs[s->order[i]].type != EV_EXCHANGE_INFO) {
			first = s->evs[s->order[i]].exch_ms;
			any = true;
		}
	for (size_t i = 0; i < s->n && any; i++) {
		ev_t *e = &s->evs[s->order[i]];
		if (e->type == EV_EXCHANGE_INFO && e->exch_ms < first)
			e->exch_ms = first;
	}
}

int imp_set_finish(imp_set_t *s, const ev_t *info, struct imp_stats *st)
{
	if (sort_events(s) || collect_symbols(s))
		return -1;
	date_info(s);
	for (size_t i = 0; i < s->n; i++)
		if (s->evs[i].type == EV_EXCHANGE_INFO)
			restrict_info(s, &s->evs[i]);
	return info ? add_info(s, info, st) : 0;
}

size_t imp_set_count(const imp_set_t *s)
{
	return s->n + s->has_info;
}

const ev_t *imp_set_event(const imp_set_t *s, size_t i)
{
	if (s->has_info) {
		if (i == 0)
			return &s->info;
		i--;
	}
	return i < s->n ? &s->evs[s->order[i]] : NULL;
}

bool imp_set_has_raw(const imp_set_t *s)
{
	return s->has_raw;
}

size_t imp_set_nsymbols(const imp_set_t *s)
{
	return s->nsymbols;
}

const char *imp_set_symbol(const imp_set_t *s, size_t i)
{
	return i < s->nsymbols ? s->symbols[i] : NULL;
}

void imp_set_free(imp_set_t *s)
{
	if (!s)
		return;
	for (struct block *b = s->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->evs);
	free(s->order);
	free(s->symbols);
	free(s);
}
