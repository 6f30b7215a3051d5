/*
 * sim.c - the simulated exchange's front: parameters, the symbol table, the
 * clock and the entry points of exchange.h. Time only moves forward, and
 * only when the caller says so (sim_advance, sim_on_market); everything due
 * by then runs from the job queue in time order, which is the only place
 * callbacks are made from.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange_sim_int.h"

void sim_params_default(struct sim_params *p)
{
	*p = (struct sim_params){
		.maker_fee = 10000,   /* 0.01 % */
		.taker_fee = 35000,   /* 0.035 % */
		.order_latency_ms = 50,
		.cancel_latency_ms = 50,
		.ack_latency_ms = 20,
		.maint_margin_rate = 0,
		.starting_balance = DEC(10000),
		.queue_position = true,
		.funding = true,
		.hedge_mode = false,
		.max_quote_age_ms = 5000,
		.shrink_match_ms = 100,
		.impact_ticks = 1,
		.seed = 1,
	};
}

/* splitmix64: the seed's only use is to start order and trade ids at
 * different places, so runs with different seeds never share ids. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static const char *sym_key(const void *ctx, uint32_t idx)
{
	const sim_t *s = ctx;
	return s->syms[idx]->name;
}

sim_t *sim_new(const struct sim_params *p, const struct exchange_sink *cb)
{
	sim_t *s = calloc(1, sizeof(*s));
	if (!s || strmap_init(&s->symmap, sym_key, s)) {
		free(s);
		return NULL;
	}
	s->p = *p;
	s->cb = *cb;
	s->wallet = p->starting_balance;
	uint64_t r = mix(p->seed);
	s->next_order_id = 1000000000 + (int64_t)(r % 1000000000);
	s->next_trade_id = 1000000000 + (int64_t)(mix(r) % 1000000000);
	return s;
}

void sim_free(sim_t *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->nsyms; i++) {
		sim_book_free(&s->syms[i]->book);
		free(s->syms[i]->orders);
		free(s->syms[i]);
	}
	free(s->syms);
	strmap_free(&s->symmap);
	sym_index_free(&s->bykey);
	free(s->open_pos);
	free(s->open_ord);
	sim_jobs_free(&s->jobs);
	free(s);
}

/* ------------------------------------------------------------------------ */
/* Symbol table                                                              */
/* ------------------------------------------------------------------------ */

static struct sym *sym_find(sim_t *s, const char *name)
{
	int64_t i = strmap_get(&s->symmap, name);
	return i < 0 ? NULL : s->syms[i];
}

/* Out of memory here aborts: the simulation cannot go on without the
 * symbol, and a half-built run would be worse than none. */
static uint32_t sym_slot(sim_t *s, const char *name)
{
	int64_t i = strmap_get(&s->symmap, name);
	if (i >= 0)
		return (uint32_t)i;
	struct sym **a = grow_array(s->syms, &s->capsyms, s->nsyms + 1, sizeof *a);
	struct sym *y = a ? calloc(1, sizeof(*y)) : NULL;
	if (!y)
		abort();
	s->syms = a;
	copy_str(y->name, sizeof(y->name), name, strlen(name));
	memcpy(y->stats.symbol, y->name, sizeof(y->name));
	y->leverage = SIM_DEFAULT_LEVERAGE;
	s->syms[s->nsyms] = y;
	if (strmap_put(&s->symmap, y->name, s->nsyms))
		abort();
	return s->nsyms++;
}

struct sym *sim_sym_get(sim_t *s, const char *name)
{
	uint32_t i = sym_slot(s, name); /* before reading s->syms, which it may move */
	return s->syms[i];
}

/* A market event's symbol, by the event's key after the first time. */
static struct sym *event_sym(sim_t *s, const ev_t *ev)
{
	int64_t i = sym_index_get(&s->bykey, ev->sym_key);
	if (i < 0) {
		i = sym_slot(s, ev->symbol);
		sym_index_set(&s->bykey, ev->sym_key, i);
	}
	return s->syms[i];
}

void sim_set_rules(sim_t *s, const struct symbol_rules *r)
{
	struct sym *y = sim_sym_get(s, r->symbol);
	y->rules = *r;
	y->has_rules = true;
}

void sim_set_leverage(sim_t *s, const char *symbol, int leverage)
{
	struct sym *y = sim_sym_get(s, symbol);
	y->leverage = leverage < 1 ? 1 : leverage > SIM_MAX_LEVERAGE ? SIM_MAX_LEVERAGE : leverage;
}

/* ------------------------------------------------------------------------ */
/* Time and jobs                                                             */
/* ------------------------------------------------------------------------ */

static void deliver(sim_t *s, struct job *j)
{
	if (j->kind == JOB_REJECT) {
		if (s->cb.on_reject)
			s->cb.on_reject(s->cb.ctx, j->symbol, j->client_id, j->code, j->msg,
			                j->ev.exch_ms);
		return;
	}
	if (j->ev.type == EV_ACCOUNT_UPDATE) {
		j->ev.u.account.balances = &j->bal;
		j->ev.u.account.positions = &j->position;
	}
	if (s->cb.on_event)
		s->cb.on_event(s->cb.ctx, &j->ev);
}

static void run(sim_t *s, struct job *j)
{
	if (j->kind == JOB_EVENT || j->kind == JOB_REJECT) {
		deliver(s, j);
		return;
	}
	struct sym *y = sym_find(s, j->symbol); /* NULL for an unknown symbol */
	switch (j->kind) {
	case JOB_PLACE:
		sim_match_arrive(s, y, &j->req);
		break;
	case JOB_CANCEL:
		sim_match_cancel(s, y, j->symbol, j->client_id);
		break;
	case JOB_REPLACE:
		sim_match_replace(s, y, j->client_id, &j->req);
		break;
	case JOB_FUNDING:
		sim_account_funding(s, y);
		break;
	default:
		break;
	}
}

/* Runs every job due by `now`, then sets the clock there. A job may queue
 * others (an arrival queues its events); those due by `now` run too. */
/* Kept out of drain, which runs twice per event of every combination and
 * mostly finds nothing due: a job is large, and so would be its frame. */
__attribute__((noinline)) static void run_next(sim_t *s)
{
	struct job j;
	sim_job_pop(&s->jobs, &j);
	if (j.at > s->now)
		s->now = j.at;
	run(s, &j);
}

static void drain(sim_t *s, int64_t now)
{
	while (sim_job_due(&s->jobs, now))
		run_next(s);
	if (now > s->now)
		s->now = now;
}

void sim_advance(sim_t *s, int64_t now_ms)
{
	drain(s, now_ms);
}

int64_t sim_next_due(const sim_t *s)
{
	return s->jobs.n ? s->jobs.heap[0].at : INT64_MAX;
}

/* ------------------------------------------------------------------------ */
/* Market data                                                               */
/* ------------------------------------------------------------------------ */

static void on_mark(sim_t *s, struct sym *y, const struct ev_mark_price *m)
{
	if (m->mark <= 0)
		return;
	y->mark = m->mark;
	y->mark_at = s->now;
	y->funding_rate = m->funding_rate;
	y->funding_at = m->next_funding_ms;
	if (s->p.funding && y->funding_at > y->funding_queued && y->funding_at >= s->now) {
		struct job j = {.at = y->funding_at, .kind = JOB_FUNDING};
		memcpy(j.symbol, y->name, sizeof(j.symbol));
		sim_job_push(&s->jobs, &j);
		y->funding_queued = y->funding_at;
	}
	sim_match_mark(s, y);
	sim_account_check_liquidation(s, y);
}

static void on_trade(sim_t *s, struct sym *y, const struct ev_trade *t)
{
	if (t->price <= 0 || t->qty <= 0)
		return;
	struct print p = {.price = t->price, .qty = t->qty, .seen = t->qty,
	                  .taker = t->buyer_maker ? SIDE_SELL : SIDE_BUY,
	                  .tx_ms = t->trade_ms ? t->trade_ms : s->now};
	sim_match_trade(s, y, &p);
	if (!y->mark)
		sim_account_check_liquidation(s, y);
}

/* A liquidation is a taker order on the book: its average price is a traded
 * price (last price, stop triggers), but its size is spread over levels that
 * aggTrades already report, so it fills none of our resting orders. */
static void on_liquidation(sim_t *s, struct sym *y, const struct ev_liquidation *l)
{
	if (l->avg_price <= 0 || l->filled_qty <= 0)
		return;
	struct print p = {.price = l->avg_price, .seen = l->filled_qty, .taker = l->side,
	                  .tx_ms = l->trade_ms ? l->trade_ms : s->now};
	sim_match_trade(s, y, &p);
}

static void on_gap(sim_t *s, const ev_t *ev)
{
	if (ev->symbol[0]) {
		struct sym *y = sym_find(s, ev->symbol);
		if (y)
			sim_book_mark_stale(y);
		return;
	}
	for (uint32_t i = 0; i < s->nsyms; i++)
		sim_book_mark_stale(s->syms[i]);
}

static void on_info(sim_t *s, const struct ev_exchange_info *info)
{
	for (uint32_t i = 0; i < info->nsymbols; i++)
		sim_set_rules(s, &info->symbols[i]);
}

static void dispatch(sim_t *s, const ev_t *ev)
{
	switch (ev->type) {
	case EV_EXCHANGE_INFO:
		on_info(s, &ev->u.info);
		return;
	case EV_GAP:
		on_gap(s, ev);
		return;
	default:
		break;
	}
	if (!ev->symbol[0])
		return;
	struct sym *y = event_sym(s, ev);
	switch (ev->type) {
	case EV_BOOK_TICKER:
		sim_book_on_ticker(s, y, &ev->u.book);
		break;
	case EV_DEPTH_UPDATE:
	case EV_DEPTH_SNAPSHOT:
		sim_book_on_depth(s, y, &ev->u.depth, ev->type == EV_DEPTH_SNAPSHOT);
		break;
	case EV_AGG_TRADE:
	case EV_TRADE:
		on_trade(s, y, &ev->u.trade);
		break;
	case EV_MARK_PRICE:
		on_mark(s, y, &ev->u.mark);
		break;
	case EV_LIQUIDATION:
		on_liquidation(s, y, &ev->u.liq);
		break;
	default:
		break; /* our own account events and the like are not market data */
	}
}

/* An event stamped before the clock (sources interleave slightly out of
 * order) is taken to happen now: the past cannot be changed. */
void sim_on_market(sim_t *s, const ev_t *ev)
{
	int64_t t = ev->exch_ms > s->now ? ev->exch_ms : s->now;
	drain(s, t);
	dispatch(s, ev);
	drain(s, t);
}

/* ------------------------------------------------------------------------ */
/* Intents                                                                   */
/* ------------------------------------------------------------------------ */

static void queue_intent(sim_t *s, enum job_kind kind, int64_t at, const char *symbol,
                         const char *client_id, const order_req *o)
{
	struct job j = {.at = at > s->now ? at : s->now, .kind = kind};
	copy_str(j.symbol, sizeof(j.symbol), symbol, strlen(symbol));
	if (client_id)
		copy_str(j.client_id, sizeof(j.client_id), client_id, strlen(client_id));
	if (o) {
		j.req = *o;
		/* the engine's strings are trusted to fit, not to be terminated */
		j.req.symbol[SYMBOL_MAX - 1] = j.req.client_id[CLIENT_ID_MAX - 1] = '\0';
	}
	sim_job_push(&s->jobs, &j);
}

void sim_place(sim_t *s, const order_req *o, int64_t now_ms)
{
	queue_intent(s, JOB_PLACE, now_ms + s->p.order_latency_ms, o->symbol, NULL, o);
}

void sim_cancel(sim_t *s, const char *symbol, const char *client_id, int64_t now_ms)
{
	queue_intent(s, JOB_CANCEL, now_ms + s->p.cancel_latency_ms, symbol, client_id, NULL);
}

void sim_replace(sim_t *s, const char *old_client_id, const order_req *o, int64_t now_ms)
{
	queue_intent(s, JOB_REPLACE, now_ms + s->p.order_latency_ms, o->symbol, old_client_id, o);
}

/* Open positions one after the other: *k counts from 0 over every symbol
 * and position side; returns NULL after the last, with *yp its symbol. */
static const struct pos *next_open(const sim_t *s, uint32_t *k, const struct sym **yp)
{
	for (uint32_t n = (PS_SHORT + 1) * s->nsyms; *k < n; (*k)++) {
		const struct sym *y = s->syms[*k / (PS_SHORT + 1)];
		const struct pos *p = &y->pos[*k % (PS_SHORT + 1)];
		if (p->amount) {
			(*k)++;
			*yp = y;
			return p;
		}
	}
	return NULL;
}

void sim_account(const sim_t *s, struct exchange_account *out)
{
	memset(out, 0, sizeof(*out));
	out->wallet = s->wallet;
	out->fees_paid = s->fees_paid;
	out->funding_paid = s->funding_paid;
	const struct sym *y;
	const struct pos *p;
	for (uint32_t k = 0; (p = next_open(s, &k, &y));) {
		dec_t mark = sim_sym_mark(y) ? sim_sym_mark(y) : dabs(sim_pos_entry(p));
		out->unrealized += sim_dmul(p->amount, mark) - p->cost;
		out->margin_used += p->margin;
		out->notional += dabs(sim_dmul(p->amount, mark));
		out->open_positions++;
	}
}

uint32_t sim_symbol_stats(const sim_t *s, struct sim_symbol_stats *out, uint32_t cap)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < s->nsyms; i++) {
		const struct sim_symbol_stats *st = &s->syms[i]->stats;
		if (!st->qty_depth && !st->qty_top && !st->qty_trades && !st->stop_triggers)
			continue;
		if (n < cap)
			out[n] = *st;
		n++;
	}
	return n;
}

/* ------------------------------------------------------------------------ */
/* What is open, and the exchange interface                                  */
/* ------------------------------------------------------------------------ */

/* The answer arrays grow as needed; without memory there is no answer. */
static void *grow_or_die(void *v, size_t *cap, size_t need, size_t size)
{
	void *a = grow_array(v, cap, need, size);
	if (!a)
		abort();
	return a;
}

static void open_order_of(const struct sym *y, const struct order *o, int64_t now, ev_t *ev)
{
	*ev = (ev_t){.type = EV_ORDER_UPDATE, .exch_ms = now};
	memcpy(ev->symbol, y->name, SYMBOL_MAX);
	struct ev_order *out = &ev->u.order;
	*out = (struct ev_order){.side = o->req.side, .type = o->type, .orig_type = o->req.type,
	                         .tif = o->req.tif, .exec = EXEC_NEW,
	                         .status = o->filled ? OS_PARTIALLY_FILLED : OS_NEW,
	                         .working_type = o->req.working_type, .pos_side = o->req.pos_side,
	                         .order_id = o->id, .qty = o->req.qty, .price = o->req.price,
	                         .stop_price = o->req.stop_price, .filled_qty = o->filled,
	                         .reduce_only = o->req.reduce_only,
	                         .close_position = o->req.close_position};
	memcpy(out->client_id, o->req.client_id, CLIENT_ID_MAX);
}

void sim_open_state(sim_t *s, struct exchange_open *out)
{
	uint32_t np = 0, no = 0;
	const struct sym *y;
	const struct pos *p;
	for (uint32_t k = 0; (p = next_open(s, &k, &y));) {
		s->open_pos = grow_or_die(s->open_pos, &s->open_pos_cap, np + 1, sizeof *s->open_pos);
		struct position *q = &s->open_pos[np++];
		*q = (struct position){.amount = p->amount, .entry_price = dabs(sim_pos_entry(p)),
		                       .realized = p->realized, .unrealized = sim_pos_unrealized(y, p),
		                       .margin = MARGIN_ISOLATED, .isolated_wallet = p->margin,
		                       .pos_side = (pos_side_t)(p - y->pos)};
		memcpy(q->symbol, y->name, SYMBOL_MAX);
	}
	for (uint32_t i = 0; i < s->nsyms; i++) {
		const struct sym *ys = s->syms[i];
		for (uint32_t k = 0; k < ys->norders; k++) {
			if (ys->orders[k].done)
				continue;
			s->open_ord = grow_or_die(s->open_ord, &s->open_ord_cap, no + 1,
			                          sizeof *s->open_ord);
			open_order_of(ys, &ys->orders[k], s->now, &s->open_ord[no++]);
		}
	}
	*out = (struct exchange_open){s->open_pos, np, s->open_ord, no};
}

static void x_place(void *impl, const order_req *o, int64_t now_ms) { sim_place(impl, o, now_ms); }

static void x_cancel(void *impl, const char *symbol, const char *client_id, int64_t now_ms)
{
	sim_cancel(impl, symbol, client_id, now_ms);
}

static void x_replace(void *impl, const char *old_client_id, const order_req *o, int64_t now_ms)
{
	sim_replace(impl, old_client_id, o, now_ms);
}

static int x_setup_symbol(void *impl, const struct symbol_setup *u)
{
	sim_set_leverage(impl, u->symbol, u->leverage);
	return 0;
}

static int x_set_position_mode(void *impl, bool hedge)
{
	((sim_t *)impl)->p.hedge_mode = hedge;
	return 0;
}

static void x_set_rules(void *impl, const struct symbol_rules *r) { sim_set_rules(impl, r); }
static void x_account(void *impl, struct exchange_account *out) { sim_account(impl, out); }
static void x_open_state(void *impl, struct exchange_open *out) { sim_open_state(impl, out); }
static void x_on_market(void *impl, const ev_t *ev) { sim_on_market(impl, ev); }
static void x_advance(void *impl, int64_t now_ms) { sim_advance(impl, now_ms); }
static int64_t x_next_due(const void *impl) { return sim_next_due(impl); }
static void x_destroy(void *impl) { sim_free(impl); }

static const struct exchange_ops sim_ops = {
	.name = "sim",
	.place = x_place,
	.cancel = x_cancel,
	.replace = x_replace,
	.setup_symbol = x_setup_symbol,
	.set_position_mode = x_set_position_mode,
	.set_rules = x_set_rules,
	.account = x_account,
	.open_state = x_open_state,
	.on_market = x_on_market,
	.advance = x_advance,
	.next_due = x_next_due,
	.destroy = x_destroy,
};

void sim_exchange(sim_t *s, exchange_t *out)
{
	*out = (exchange_t){&sim_ops, s};
}
