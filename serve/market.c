/*
 * market.c - the market as of the replay's current time, for the REST
 * endpoints: per symbol the order book (from depth snapshots and diffs),
 * the last bookTicker, mark price and trade, the recent aggTrades and the
 * minute bars; and the last exchangeInfo as the exchange's JSON
 * (completed by info.c).
 *
 * The book is rebuilt the way a client would: a snapshot replaces it, a
 * diff sets each level's absolute quantity (0 removes it). It is not
 * checked for sequence gaps: it is whatever the recording says.
 */
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"

static const char *sym_key(const void *ctx, uint32_t idx)
{
	const struct market *m = ctx;
	return m->syms[idx].name;
}

int serve_market_init(struct market *m)
{
	*m = (struct market){0};
	return strmap_init(&m->idx, sym_key, m);
}

static void free_sym(struct sym_state *s)
{
	free(s->bids.lv);
	free(s->asks.lv);
	free(s->aggs);
	free(s->klines);
}

void serve_market_free(struct market *m)
{
	for (size_t i = 0; i < m->n; i++)
		free_sym(&m->syms[i]);
	free(m->syms);
	strmap_free(&m->idx);
	serve_text_free(&m->info);
	*m = (struct market){0};
}

struct sym_state *serve_market_find(const struct market *m, const char *symbol)
{
	int64_t i = strmap_get(&m->idx, symbol);
	return i < 0 ? NULL : &m->syms[i];
}

struct sym_state *serve_market_add(struct market *m, const char *symbol)
{
	struct sym_state *s = serve_market_find(m, symbol);
	if (s || !symbol[0] || strlen(symbol) >= SYMBOL_MAX)
		return s;
	struct sym_state *v = grow_array(m->syms, &m->cap, m->n + 1, sizeof *v);
	if (!v)
		return NULL;
	m->syms = v;
	/* the table reads keys through m->syms, so the name goes in first */
	s = &m->syms[m->n];
	*s = (struct sym_state){0};
	copy_str(s->name, sizeof s->name, symbol, strlen(symbol));
	if (strmap_put(&m->idx, symbol, (uint32_t)m->n))
		return NULL;
	m->n++;
	return s;
}

/* Where `price` is or would go on a side ordered best first. */
static uint32_t level_index(const struct book_side *b, dec_t price, bool bids)
{
	uint32_t lo = 0, hi = b->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		bool before = bids ? b->lv[mid].price > price : b->lv[mid].price < price;
		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int set_level(struct book_side *b, level_t l, bool bids)
{
	uint32_t i = level_index(b, l.price, bids);
	bool here = i < b->n && b->lv[i].price == l.price;
	if (l.qty == 0) {
		if (here)
			memmove(b->lv + i, b->lv + i + 1, (b->n - i - 1) * sizeof *b->lv);
		b->n -= here;
		return 0;
	}
	if (here) {
		b->lv[i].qty = l.qty;
		return 0;
	}
	level_t *v = grow_array(b->lv, &b->cap, (size_t)b->n + 1, sizeof *v);
	if (!v)
		return -1;
	b->lv = v;
	memmove(b->lv + i + 1, b->lv + i, (b->n - i) * sizeof *b->lv);
	b->lv[i] = l;
	b->n++;
	return 0;
}

static int set_levels(struct book_side *b, const level_t *lv, uint32_t n, bool bids)
{
	for (uint32_t i = 0; i < n; i++)
		if (set_level(b, lv[i], bids))
			return -1;
	return 0;
}

static int apply_depth(struct sym_state *s, const ev_t *ev)
{
	const struct ev_depth *d = &ev->u.depth;
	if (ev->type == EV_DEPTH_SNAPSHOT) {
		s->bids.n = 0;
		s->asks.n = 0;
	}
	s->has_depth = true;
	s->book_id = d->last_id;
	s->book_exch_ms = ev->exch_ms;
	s->book_tx_ms = d->tx_ms;
	return set_levels(&s->bids, d->bids, d->nbids, true) |
	       set_levels(&s->asks, d->asks, d->nasks, false);
}

static int apply_agg(struct sym_state *s, const ev_t *ev)
{
	if (!s->aggs && !(s->aggs = malloc(SERVE_TRADES_KEPT * sizeof *s->aggs)))
		return -1;
	s->aggs[(s->agg_head + s->naggs) % SERVE_TRADES_KEPT] = ev->u.trade;
	if (s->naggs < SERVE_TRADES_KEPT)
		s->naggs++;
	else
		s->agg_head = (s->agg_head + 1) % SERVE_TRADES_KEPT;
	return 0;
}

/* An event whose arrays are not kept: only fixed-size events are copied. */
static void keep(ev_t *dst, const ev_t *ev)
{
	*dst = *ev;
	dst->raw = NULL;
	dst->raw_len = 0;
}

static int apply_trade(struct sym_state *s, const ev_t *ev)
{
	keep(&s->last_trade, ev);
	if (ev->type == EV_AGG_TRADE && apply_agg(s, ev))
		return -1;
	return serve_klines_add(s, &ev->u.trade);
}

int serve_market_apply(struct market *m, const ev_t *ev)
{
	if (ev->type == EV_EXCHANGE_INFO) {
		serve_info_write(&m->info, ev, &m->limits);
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++) {
			const struct symbol_rules *r = &ev->u.info.symbols[i];
			struct sym_state *s = serve_market_add(m, r->symbol);
			if (!s)
				return -1;
			s->maint_margin_pct = r->maint_margin_pct;
		}
		return m->info.oom ? -1 : 0;
	}
	if (!ev->symbol[0])
		return 0;
	struct sym_state *s = serve_market_add(m, ev->symbol);
	if (!s)
		return -1;
	switch (ev->type) {
	case EV_DEPTH_SNAPSHOT:
	case EV_DEPTH_UPDATE: return apply_depth(s, ev);
	case EV_BOOK_TICKER: keep(&s->ticker, ev); return 0;
	case EV_MARK_PRICE: keep(&s->mark, ev); return 0;
	case EV_AGG_TRADE:
	case EV_TRADE: return apply_trade(s, ev);
	default: return 0;
	}
}
