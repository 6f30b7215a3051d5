/*
 * checks.h - trading invariants that every run must satisfy, checked from
 * its run database alone (run_db.h). Each check counts its violations and
 * keeps the first one's description, so a test can require none on real
 * runs and at least one on a database broken on purpose.
 *
 *  check_protection  strategy.md §5: an open tranche is never left without
 *                    an accepted take-profit and stop-loss (those enabled)
 *                    covering its whole quantity for longer than the
 *                    timeout plus the latencies, unless it is being closed.
 *  check_fills       every fill has its order's role; per symbol and side,
 *                    entries minus exits equal the exchange's final position
 *                    and the engine's final tranches.
 *  check_caps        strategy.md §3: margin per symbol and in total, and
 *                    pending entries per symbol, never above their caps.
 *  check_exactness   prices on the tick, quantities on the step, fees and
 *                    the final wallet exact to 1e-8.
 *  check_lifecycle   each order placed once, accepted at most once, ended at
 *                    most once, never filled after it ended, and left open at
 *                    the end only when nothing was due to end it.
 *  check_one_way     in one-way mode no entry flips or adds against the
 *                    position, and no exit goes through zero.
 *  check_accounting  net PnL (realized - fees - funding, liquidations
 *                    included) + unrealized PnL at the end = end equity -
 *                    start equity, exactly, from the tables; and
 *                    check_summary_accounting the same in the summary.
 */
#ifndef HUNTER_TEST_CHECKS_H
#define HUNTER_TEST_CHECKS_H

#include <stdarg.h>
#include <stdbool.h>

#include "journal.h"
#include "run_db.h"

struct verdict {
	int n;
	char first[512];
};

__attribute__((format(printf, 2, 3)))
static inline void violation(struct verdict *v, const char *fmt, ...)
{
	if (v->n++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(v->first, sizeof v->first, fmt, ap);
		va_end(ap);
	}
}

static inline bool is_terminal(const char *state)
{
	return !strcmp(state, "filled") || !strcmp(state, "canceled") ||
	       !strcmp(state, "expired") || !strcmp(state, "rejected");
}

/* LONG or SHORT: the position an order opens (entry) or closes (others). */
static inline const char *direction(const char *role, const char *side)
{
	bool buy = !strcmp(side, "BUY");
	return buy == !strcmp(role, "entry") ? "LONG" : "SHORT";
}

/* ---- what each order did, gathered from all its rows and fills ---------- */

struct order_sum {
	const struct db_order *placed; /* its first row */
	const struct db_order *last;
	const struct db_order *terminal;
	const struct db_order *cancel_sent;
	int nplaced, naccepted, nterminal;
	bool row_after_terminal, role_changed;
	int tranche;        /* as its latest row says (a merge moves orders) */
	dec_t filled;       /* sum of its fills */
	__int128 fill_value; /* sum of price * qty of its fills */
};

struct order_index {
	struct order_sum *o;
	size_t n;
};

static inline struct order_sum *order_find(const struct order_index *ix, const char *cid)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ix->o[mid].placed->client_id, cid);
		if (c == 0)
			return &ix->o[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static inline void order_sum_add(struct order_sum *s, const struct db_order *row)
{
	if (s->terminal)
		s->row_after_terminal = true;
	s->role_changed |= strcmp(s->placed->role, row->role) != 0;
	s->nplaced += !strcmp(row->state, "placed");
	s->naccepted += !strcmp(row->state, "accepted");
	if (!strcmp(row->state, "cancel_sent") && !s->cancel_sent)
		s->cancel_sent = row;
	if (is_terminal(row->state)) {
		s->nterminal++;
		s->terminal = row;
	}
	s->tranche = row->tranche;
	s->last = row;
}

/* Rows by client id, then in the order they were written. */
static inline int order_row_cmp(const void *a, const void *b)
{
	const struct db_order *x = *(const struct db_order *const *)a;
	const struct db_order *y = *(const struct db_order *const *)b;
	int c = strcmp(x->client_id, y->client_id);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static inline struct order_index order_index_build(const struct run_db *r)
{
	struct order_index ix = {calloc(r->norders + 1, sizeof *ix.o), 0};
	const struct db_order **rows = calloc(r->norders + 1, sizeof *rows);
	cr_assert(ix.o && rows);
	for (size_t i = 0; i < r->norders; i++)
		rows[i] = &r->orders[i];
	qsort(rows, r->norders, sizeof *rows, order_row_cmp);
	for (size_t i = 0; i < r->norders; i++)
		if (i == 0 || strcmp(rows[i]->client_id, rows[i - 1]->client_id))
			ix.o[ix.n++] = (struct order_sum){.placed = rows[i]};
	free(rows);
	for (size_t i = 0; i < r->norders; i++)
		order_sum_add(order_find(&ix, r->orders[i].client_id), &r->orders[i]);
	for (size_t i = 0; i < r->nfills; i++) {
		struct order_sum *s = order_find(&ix, r->fills[i].client_id);
		if (s) {
			s->filled += r->fills[i].qty;
			s->fill_value += (__int128)r->fills[i].price * r->fills[i].qty;
		}
	}
	return ix;
}

/* ---- tranches as the tranches table tells them -------------------------- */

struct tranche_state {
	char symbol[SYMBOL_MAX], dir[8];
	int tranche;
	bool open;
	dec_t qty;
	__int128 cost; /* qty * avg entry, 1e-16 units */
	int64_t unprotected_since; /* -1: protected, closing or closed */
};

struct tranche_set {
	struct tranche_state *t;
	size_t n, cap;
};

static inline struct tranche_state *tranche_get(struct tranche_set *ts, const char *symbol,
                                                const char *dir, int tranche)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].tranche == tranche && !strcmp(ts->t[i].symbol, symbol) &&
		    !strcmp(ts->t[i].dir, dir))
			return &ts->t[i];
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 16;
		ts->t = realloc(ts->t, ts->cap * sizeof *ts->t);
		cr_assert_not_null(ts->t);
	}
	struct tranche_state *t = &ts->t[ts->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->symbol, sizeof t->symbol, "%s", symbol);
	snprintf(t->dir, sizeof t->dir, "%s", dir);
	t->tranche = tranche;
	t->unprotected_since = -1;
	return t;
}

static inline void tranche_apply(struct tranche_set *ts, const struct db_tranche *row)
{
	struct tranche_state *t = tranche_get(ts, row->symbol, row->pos_side, row->tranche);
	t->open = strcmp(row->action, "close") != 0 && row->qty > 0;
	t->qty = t->open ? row->qty : 0;
	t->cost = (__int128)t->qty * row->avg_entry;
	if (!strcmp(row->action, "merge")) {
		struct tranche_state *gone =
			tranche_get(ts, row->symbol, row->pos_side, row->merged_from);
		gone->open = false;
		gone->qty = 0;
		gone->cost = 0;
	}
}

static inline struct tranche_set tranches_at_end(const struct run_db *r)
{
	struct tranche_set ts = {0};
	for (size_t i = 0; i < r->ntranches; i++)
		tranche_apply(&ts, &r->tranches[i]);
	return ts;
}

/* ---- 1. protection ------------------------------------------------------ */

/* The orders protecting or closing a tranche at one moment: indexes into
 * an order_index. */
struct live_set {
	bool *is;   /* per order */
	size_t *at; /* the live ones */
	size_t n;
};

static inline void live_list(struct live_set *ls, size_t norders)
{
	ls->n = 0;
	for (size_t i = 0; i < norders; i++)
		if (ls->is[i])
			ls->at[ls->n++] = i;
}

/* Whether an order working for tranche `t` has `role` and covers the
 * tranche's whole quantity (or, role "close", whether a close is in flight
 * for it). A TP or SL sized for a tranche that has grown since leaves the
 * growth unprotected until its replacement is accepted. */
static inline bool tranche_has(const struct order_index *ix, const struct tranche_state *t,
                               const char *role, const struct live_set *ls)
{
	bool leg = strcmp(role, "close") != 0;
	for (size_t k = 0; k < ls->n; k++) {
		const struct order_sum *o = &ix->o[ls->at[k]];
		if (o->tranche == t->tranche && !strcmp(o->placed->role, role) &&
		    (!leg || o->placed->qty >= t->qty) &&
		    !strcmp(o->placed->symbol, t->symbol) &&
		    !strcmp(direction(role, o->placed->side), t->dir))
			return true;
	}
	return false;
}

static inline bool tranche_safe(const struct run_db *r, const struct order_index *ix,
                                const struct tranche_state *t, const struct live_set *ls)
{
	const struct symbol_settings *ss = config_find_symbol(&r->s, t->symbol);
	cr_assert_not_null(ss, "tranche of %s, a symbol not in the settings", t->symbol);
	bool tp = !ss->take_profit_enabled || tranche_has(ix, t, "tp", ls);
	bool sl = !ss->stop_loss_enabled || tranche_has(ix, t, "sl", ls);
	return (tp && sl) || tranche_has(ix, t, "close", ls);
}

/* A TP or SL protects from its acceptance until a cancel is sent or it
 * ends; a close is in flight from its placement until it ends. */
static inline void protection_order_row(const struct order_index *ix, bool *live,
                                        const struct db_order *row)
{
	struct order_sum *o = order_find(ix, row->client_id);
	size_t i = (size_t)(o - ix->o);
	o->tranche = row->tranche;
	if (!strcmp(row->role, "close"))
		live[i] = !is_terminal(row->state);
	else if (!strcmp(row->state, "accepted"))
		live[i] = true;
	else if (!strcmp(row->state, "cancel_sent") || is_terminal(row->state))
		live[i] = false;
}

static inline void protection_deadlines(const struct run_db *r, struct tranche_set *ts,
                                        int64_t now, struct verdict *v)
{
	int64_t limit = r->s.unprotected_timeout_ms + r->sim.order_latency_ms +
	                r->sim.cancel_latency_ms + r->sim.ack_latency_ms;
	for (size_t k = 0; k < ts->n; k++) {
		struct tranche_state *t = &ts->t[k];
		if (t->unprotected_since < 0)
			continue;
		int64_t by = run_db_acted_by(r, t->unprotected_since + limit);
		if (by < now) {
			violation(v, "%s %s tranche %d unprotected from %lld, still at %lld",
			          t->symbol, t->dir, t->tranche, (long long)t->unprotected_since,
			          (long long)(now == INT64_MAX ? r->last_ms : now));
			t->unprotected_since = -1;
		}
	}
}

static inline struct verdict check_protection(const struct run_db *r)
{
	struct verdict v = {0};
	struct order_index ix = order_index_build(r);
	struct live_set ls = {calloc(ix.n + 1, sizeof *ls.is), calloc(ix.n + 1, sizeof *ls.at), 0};
	bool *live = ls.is;
	struct tranche_set ts = {0};
	size_t i = 0, j = 0;
	while (i < r->norders || j < r->ntranches) {
		int64_t ms = INT64_MAX;
		if (i < r->norders)
			ms = r->orders[i].ms;
		if (j < r->ntranches && r->tranches[j].ms < ms)
			ms = r->tranches[j].ms;
		protection_deadlines(r, &ts, ms, &v);
		for (; i < r->norders && r->orders[i].ms == ms; i++)
			protection_order_row(&ix, live, &r->orders[i]);
		for (; j < r->ntranches && r->tranches[j].ms == ms; j++)
			tranche_apply(&ts, &r->tranches[j]);
		live_list(&ls, ix.n);
		for (size_t k = 0; k < ts.n; k++) {
			struct tranche_state *t = &ts.t[k];
			if (!t->open || tranche_safe(r, &ix, t, &ls))
				t->unprotected_since = -1;
			else if (t->unprotected_since < 0)
				t->unprotected_since = ms;
		}
	}
	protection_deadlines(r, &ts, INT64_MAX, &v);
	free(ts.t);
	free(ls.is);
	free(ls.at);
	free(ix.o);
	return v;
}

/* ---- 2. fill classification --------------------------------------------- */

struct side_total {
	char symbol[SYMBOL_MAX], pos_side[8];
	dec_t entered, exited, signed_sum;
};

static inline struct side_total *side_total_get(struct side_total *st, size_t *n,
                                                const char *symbol, const char *pos_side)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(st[i].symbol, symbol) && !strcmp(st[i].pos_side, pos_side))
			return &st[i];
	struct side_total *s = &st[(*n)++];
	memset(s, 0, sizeof *s);
	snprintf(s->symbol, sizeof s->symbol, "%s", symbol);
	snprintf(s->pos_side, sizeof s->pos_side, "%s", pos_side);
	return s;
}

static inline void fills_classified(const struct run_db *r, const struct order_index *ix,
                                    struct verdict *v)
{
	for (size_t i = 0; i < ix->n; i++)
		if (ix->o[i].role_changed)
			violation(v, "order %s changes role", ix->o[i].placed->client_id);
	for (size_t i = 0; i < r->nfills; i++) {
		const struct db_fill *f = &r->fills[i];
		const struct order_sum *o = order_find(ix, f->client_id);
		if (o && strcmp(o->placed->role, f->role))
			violation(v, "fill %lld of %s has role %s, its order %s", (long long)f->id,
			          f->client_id, f->role, o->placed->role);
		if (!o && !strcmp(f->role, "entry"))
			violation(v, "entry fill %lld of %s, an order the engine never placed",
			          (long long)f->id, f->client_id);
	}
}

/* Entries minus exits, the signed sum of fills, the exchange's position and
 * the engine's open tranches must all agree. */
static inline void positions_agree(const struct run_db *r, struct verdict *v)
{
	size_t cap = r->nfills + r->npositions + 1, n = 0;
	struct side_total *st = calloc(cap, sizeof *st);
	for (size_t i = 0; i < r->nfills; i++) {
		const struct db_fill *f = &r->fills[i];
		struct side_total *s = side_total_get(st, &n, f->symbol, f->pos_side);
		*(!strcmp(f->role, "entry") ? &s->entered : &s->exited) += f->qty;
		s->signed_sum += !strcmp(f->side, "BUY") ? f->qty : -f->qty;
	}
	for (size_t i = 0; i < r->npositions; i++)
		side_total_get(st, &n, r->positions[i].symbol, r->positions[i].pos_side);
	struct tranche_set ts = tranches_at_end(r);
	for (size_t i = 0; i < n; i++) {
		dec_t amount = 0, in_tranches = 0;
		for (size_t k = 0; k < r->npositions; k++)
			if (!strcmp(r->positions[k].symbol, st[i].symbol) &&
			    !strcmp(r->positions[k].pos_side, st[i].pos_side))
				amount = r->positions[k].amount;
		for (size_t k = 0; k < ts.n; k++)
			if (ts.t[k].open && !strcmp(ts.t[k].symbol, st[i].symbol) &&
			    (!strcmp(st[i].pos_side, "BOTH") || !strcmp(ts.t[k].dir, st[i].pos_side)))
				in_tranches += ts.t[k].qty;
		dec_t abs_amount = amount < 0 ? -amount : amount;
		if (st[i].entered - st[i].exited != abs_amount || st[i].signed_sum != amount ||
		    in_tranches != abs_amount)
			violation(v, "%s %s: entered %lld exited %lld signed %lld tranches %lld,"
			          " exchange says %lld", st[i].symbol, st[i].pos_side,
			          (long long)st[i].entered, (long long)st[i].exited,
			          (long long)st[i].signed_sum, (long long)in_tranches,
			          (long long)amount);
	}
	free(ts.t);
	free(st);
}

static inline struct verdict check_fills(const struct run_db *r)
{
	struct verdict v = {0};
	struct order_index ix = order_index_build(r);
	fills_classified(r, &ix, &v);
	positions_agree(r, &v);
	free(ix.o);
	return v;
}

/* ---- 3. caps ------------------------------------------------------------ */

/*
 * Margin is notional / leverage; a symbol's margin is the cost of its open
 * tranches plus the unfilled rest of its pending entries at their price
 * (docs/engine.md). A MARKET entry has no price: its rest is counted at the
 * average price it filled at, and since it may fill worse than the book
 * price the engine checked, a symbol with MARKET entries may exceed its cap
 * by the slippage, allowed here up to 0.5 % of the cap. The engine
 * truncates each margin to 1e-8, so 1e-8 per term is allowed too.
 */
#define TRUNCATION_SLACK 64 /* 1e-8 USDT: one per margin the engine truncates */

struct cap_state {
	struct tranche_set ts;
	dec_t *rest;  /* per order_index entry: unfilled quantity while pending */
	bool *pending;
};

static inline __int128 pending_notional(const struct order_sum *o, dec_t rest)
{
	if (o->placed->price > 0)
		return (__int128)rest * o->placed->price;
	return o->filled > 0 ? rest * (o->fill_value / o->filled) : 0;
}

/* Margin of `symbol` in 1e-8 USDT, and its pending entries. */
static inline dec_t symbol_margin(const struct run_db *r, const struct order_index *ix,
                                  const struct cap_state *cs, const char *symbol,
                                  int *npending)
{
	const struct symbol_settings *ss = config_find_symbol(&r->s, symbol);
	cr_assert_not_null(ss, "%s is not in the settings", symbol);
	__int128 notional = 0;
	for (size_t k = 0; k < cs->ts.n; k++)
		if (cs->ts.t[k].open && !strcmp(cs->ts.t[k].symbol, symbol))
			notional += cs->ts.t[k].cost;
	*npending = 0;
	for (size_t k = 0; k < ix->n; k++)
		if (cs->pending[k] && !strcmp(ix->o[k].placed->symbol, symbol)) {
			notional += pending_notional(&ix->o[k], cs->rest[k]);
			(*npending)++;
		}
	return (dec_t)(notional / ((__int128)100000000 * ss->leverage));
}

static inline void caps_hold(const struct run_db *r, const struct order_index *ix,
                             const struct cap_state *cs, int64_t ms, struct verdict *v)
{
	dec_t total = 0;
	for (uint32_t k = 0; k < r->s.nsymbols; k++) {
		const struct symbol_settings *ss = &r->s.symbols[k];
		int npending;
		dec_t m = symbol_margin(r, ix, cs, ss->symbol, &npending);
		dec_t cap = ss->max_position_usdt + TRUNCATION_SLACK;
		if (ss->entry_mode == ENTRY_MARKET)
			cap += ss->max_position_usdt / 200;
		total += m;
		if (m > cap)
			violation(v, "%s margin %lld above its cap %lld at %lld", ss->symbol,
			          (long long)m, (long long)ss->max_position_usdt, (long long)ms);
		if (npending > r->s.max_open_orders_per_symbol)
			violation(v, "%s has %d pending entries at %lld, cap %d", ss->symbol,
			          npending, (long long)ms, r->s.max_open_orders_per_symbol);
	}
	dec_t total_cap = r->s.max_total_exposure_usdt + TRUNCATION_SLACK * (dec_t)r->s.nsymbols;
	for (uint32_t k = 0; k < r->s.nsymbols; k++)
		if (r->s.symbols[k].entry_mode == ENTRY_MARKET)
			total_cap += r->s.symbols[k].max_position_usdt / 200;
	if (total > total_cap)
		violation(v, "total margin %lld above the cap %lld at %lld", (long long)total,
		          (long long)r->s.max_total_exposure_usdt, (long long)ms);
}

static inline void caps_order_row(const struct order_index *ix, struct cap_state *cs,
                                  const struct db_order *row)
{
	if (strcmp(row->role, "entry"))
		return;
	size_t k = (size_t)(order_find(ix, row->client_id) - ix->o);
	if (!strcmp(row->state, "placed")) {
		cs->pending[k] = true;
		cs->rest[k] = row->qty;
	} else if (is_terminal(row->state)) {
		cs->pending[k] = false;
	}
}

static inline void caps_fill(const struct order_index *ix, struct cap_state *cs,
                             const struct db_fill *f)
{
	const struct order_sum *o = order_find(ix, f->client_id);
	if (o && !strcmp(f->role, "entry"))
		cs->rest[o - ix->o] -= f->qty;
}

/* Rows in time order; at equal times fills first, then tranche changes,
 * then order states, which is the order in which the engine journals what
 * one exchange event caused. */
static inline struct verdict check_caps(const struct run_db *r)
{
	struct verdict v = {0};
	struct order_index ix = order_index_build(r);
	struct cap_state cs = {{0}, calloc(ix.n + 1, sizeof(dec_t)), calloc(ix.n + 1, 1)};
	size_t i = 0, j = 0, k = 0;
	while (i < r->nfills || j < r->ntranches || k < r->norders) {
		int64_t fms = i < r->nfills ? r->fills[i].ms : INT64_MAX;
		int64_t tms = j < r->ntranches ? r->tranches[j].ms : INT64_MAX;
		int64_t oms = k < r->norders ? r->orders[k].ms : INT64_MAX;
		int64_t ms;
		if (fms <= tms && fms <= oms)
			caps_fill(&ix, &cs, &r->fills[i++]), ms = fms;
		else if (tms <= oms)
			tranche_apply(&cs.ts, &r->tranches[j++]), ms = tms;
		else
			caps_order_row(&ix, &cs, &r->orders[k++]), ms = oms;
		caps_hold(r, &ix, &cs, ms, &v);
	}
	free(cs.ts.t);
	free(cs.rest);
	free(cs.pending);
	free(ix.o);
	return v;
}

/* ---- 4. exactness ------------------------------------------------------- */

static inline void orders_on_grid(const struct run_db *r, struct verdict *v)
{
	for (size_t i = 0; i < r->norders; i++) {
		const struct db_order *o = &r->orders[i];
		if (strcmp(o->state, "placed"))
			continue;
		const struct symbol_rules *ru = run_db_rules_of(r, o->symbol);
		cr_assert_not_null(ru, "no exchange rules for %s", o->symbol);
		dec_t step = !strcmp(o->type, "MARKET") && ru->market_step ? ru->market_step
		                                                             : ru->step;
		if (o->price % ru->tick || o->stop_price % ru->tick || o->qty % step || o->qty <= 0)
			violation(v, "order %s: price %lld stop %lld qty %lld off tick %lld/step %lld",
			          o->client_id, (long long)o->price, (long long)o->stop_price,
			          (long long)o->qty, (long long)ru->tick, (long long)step);
	}
}

/* Commission = price * qty * rate, truncated to 1e-8 (docs/simulation.md).
 * Only fills of the engine's orders: the exchange's own liquidation of a
 * position charges its fee inside the bankruptcy price. */
static inline void fees_exact(const struct run_db *r, const struct order_index *ix,
                              struct verdict *v)
{
	for (size_t i = 0; i < r->nfills; i++) {
		const struct db_fill *f = &r->fills[i];
		if (!order_find(ix, f->client_id))
			continue;
		dec_t rate = f->maker ? r->sim.maker_fee : r->sim.taker_fee;
		__int128 e24 = (__int128)f->price * f->qty * rate;
		dec_t fee = (dec_t)(e24 / ((__int128)10000000000000000LL));
		if (f->fee != fee)
			violation(v, "fill %lld of %s: fee %lld, price x qty x rate is %lld",
			          (long long)f->id, f->client_id, (long long)f->fee, (long long)fee);
	}
}

static inline struct verdict check_exactness(const struct run_db *r)
{
	struct verdict v = {0};
	struct order_index ix = order_index_build(r);
	orders_on_grid(r, &v);
	fees_exact(r, &ix, &v);
	dec_t wallet = r->sim.starting_balance - r->funding_paid;
	for (size_t i = 0; i < r->nfills; i++)
		wallet += r->fills[i].realized - r->fills[i].fee;
	if (wallet != r->end_wallet)
		violation(&v, "end wallet %lld, start + realized - fees - funding is %lld",
		          (long long)r->end_wallet, (long long)wallet);
	free(ix.o);
	return v;
}

/* ---- 5. life cycle ------------------------------------------------------ */

static inline void states_in_order(const struct order_sum *o, struct verdict *v)
{
	const char *cid = o->placed->client_id;
	if (strcmp(o->placed->state, "placed") || o->nplaced != 1)
		violation(v, "order %s: first state %s, placed %d times", cid, o->placed->state,
		          o->nplaced);
	if (o->naccepted > 1 || o->nterminal > 1 || o->row_after_terminal)
		violation(v, "order %s: accepted %d times, ended %d times%s", cid, o->naccepted,
		          o->nterminal, o->row_after_terminal ? ", a state after its end" : "");
	if (o->filled > o->placed->qty ||
	    (o->terminal && !strcmp(o->terminal->state, "filled") && o->filled != o->placed->qty))
		violation(v, "order %s: qty %lld, fills %lld, state %s", cid,
		          (long long)o->placed->qty, (long long)o->filled, o->last->state);
}

/* An order still open at the end must be one that nothing was due to end:
 * an entry within its TTL, a TP or SL of a tranche still open, a cancel or
 * a close whose answer had not come back yet. */
static inline void open_at_end(const struct run_db *r, const struct order_sum *o,
                               const struct tranche_set *ts, struct verdict *v)
{
	int64_t rtt = r->sim.order_latency_ms + r->sim.cancel_latency_ms + r->sim.ack_latency_ms;
	int64_t due;
	const char *role = o->placed->role;
	if (o->cancel_sent)
		due = o->cancel_sent->ms + rtt;
	else if (!strcmp(role, "entry"))
		due = o->placed->ms + r->s.order_ttl_ms + rtt;
	else if (!strcmp(role, "close"))
		due = o->placed->ms + rtt;
	else {
		for (size_t k = 0; k < ts->n; k++)
			if (ts->t[k].open && ts->t[k].tranche == o->tranche &&
			    !strcmp(ts->t[k].symbol, o->placed->symbol) &&
			    !strcmp(ts->t[k].dir, direction(role, o->placed->side)))
				return;
		violation(v, "order %s (%s) still open at the end, its tranche %d is not",
		          o->placed->client_id, role, o->tranche);
		return;
	}
	if (run_db_acted_by(r, due) != INT64_MAX)
		violation(v, "order %s (%s) still %s at the end, due to end by %lld",
		          o->placed->client_id, role, o->last->state, (long long)due);
}

static inline void fills_in_life(const struct run_db *r, const struct order_index *ix,
                                 struct verdict *v)
{
	for (size_t i = 0; i < r->nfills; i++) {
		const struct db_fill *f = &r->fills[i];
		const struct order_sum *o = order_find(ix, f->client_id);
		if (!o)
			continue;
		bool ended = o->terminal && strcmp(o->terminal->state, "filled");
		if (f->ms < o->placed->ms || (ended && f->ms > o->terminal->ms))
			violation(v, "fill %lld of %s at %lld outside its life %lld..%s %lld",
			          (long long)f->id, f->client_id, (long long)f->ms,
			          (long long)o->placed->ms, ended ? o->terminal->state : "",
			          ended ? (long long)o->terminal->ms : 0LL);
	}
}

static inline struct verdict check_lifecycle(const struct run_db *r)
{
	struct verdict v = {0};
	struct order_index ix = order_index_build(r);
	struct tranche_set ts = tranches_at_end(r);
	for (size_t i = 0; i < ix.n; i++) {
		states_in_order(&ix.o[i], &v);
		if (!ix.o[i].terminal)
			open_at_end(r, &ix.o[i], &ts, &v);
	}
	fills_in_life(r, &ix, &v);
	free(ts.t);
	free(ix.o);
	return v;
}

/* ---- 6. one-way mode ---------------------------------------------------- */

struct signed_pos {
	char symbol[SYMBOL_MAX];
	dec_t amount;
};

static inline struct verdict check_one_way(const struct run_db *r)
{
	struct verdict v = {0};
	struct signed_pos *p = calloc(r->nfills + 1, sizeof *p);
	size_t n = 0;
	for (size_t i = 0; i < r->nfills; i++) {
		const struct db_fill *f = &r->fills[i];
		size_t k = 0;
		while (k < n && strcmp(p[k].symbol, f->symbol))
			k++;
		if (k == n)
			snprintf(p[n++].symbol, sizeof p->symbol, "%s", f->symbol);
		dec_t q = !strcmp(f->side, "BUY") ? f->qty : -f->qty, before = p[k].amount;
		dec_t after = p[k].amount += q;
		bool entry = !strcmp(f->role, "entry");
		bool against = (before > 0 && q < 0) || (before < 0 && q > 0);
		bool crosses = (before > 0 && after < 0) || (before < 0 && after > 0);
		if (strcmp(f->pos_side, "BOTH"))
			violation(&v, "fill %lld has position side %s", (long long)f->id, f->pos_side);
		else if (entry && against)
			violation(&v, "entry fill %lld of %s goes against the position %lld",
			          (long long)f->id, f->client_id, (long long)before);
		else if (!entry && (!against || crosses))
			violation(&v, "exit fill %lld of %s takes the position %lld to %lld",
			          (long long)f->id, f->client_id, (long long)before,
			          (long long)p[k].amount);
	}
	free(p);
	return v;
}

/* ---- 7. accounting ----------------------------------------------------- */

static inline struct verdict check_accounting(const struct run_db *r)
{
	struct verdict v = {0};
	dec_t net = -r->funding_paid;
	for (size_t i = 0; i < r->nfills; i++)
		net += r->fills[i].realized - r->fills[i].fee;
	dec_t start = db_int(r->db, "SELECT equity_e8 FROM equity WHERE reason = 'start'");
	dec_t end = db_int(r->db, "SELECT equity_e8 FROM equity WHERE reason = 'end'"
	                          " ORDER BY id DESC LIMIT 1");
	dec_t unrealized = db_int(r->db, "SELECT unrealized_e8 FROM equity WHERE reason = 'end'"
	                                 " ORDER BY id DESC LIMIT 1");
	if (net + unrealized != end - start)
		violation(&v, "net %lld + unrealized %lld != end equity %lld - start equity %lld",
		          (long long)net, (long long)unrealized, (long long)end, (long long)start);
	return v;
}

/* The same identity in the figures the summary prints (journal totals). */
static inline struct verdict check_summary_accounting(const char *path)
{
	struct verdict v = {0};
	struct journal_totals t;
	char err[256];
	if (journal_totals_read(path, &t, err, sizeof err))
		violation(&v, "totals: %s", err);
	else if (t.net_pnl + t.unrealized != t.end_equity - t.start_equity)
		violation(&v, "summary: net %lld + unrealized %lld != equity change %lld",
		          (long long)t.net_pnl, (long long)t.unrealized,
		          (long long)(t.end_equity - t.start_equity));
	return v;
}

#endif
