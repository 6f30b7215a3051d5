/*
 * harness.h - shared by the simulated exchange's tests: a recorder for what
 * the exchange tells its user (events with their delivery time, rejections),
 * BTCUSDT's real trading rules, and short builders for market events and
 * orders so that each test reads as a scenario with exact numbers.
 */
#ifndef HUNTER_TEST_EXCHANGE_HARNESS_H
#define HUNTER_TEST_EXCHANGE_HARNESS_H

#include <criterion/criterion.h>
#include <string.h>

#include "exchange_sim.h"

#define REC_MAX 512

struct reject {
	char client_id[CLIENT_ID_MAX];
	int code;
	char msg[128];
	int64_t ms;
};

/* Everything delivered, copied out (account arrays included). */
struct rec {
	ev_t ev[REC_MAX];
	struct balance bal[REC_MAX];
	struct position pos[REC_MAX];
	int n;
	struct reject rej[64];
	int nrej;
	bool in_intent; /* set while a test is inside sim_place/sim_cancel */
};

static inline dec_t D(const char *s)
{
	dec_t v = 0;
	const char *why = NULL;
	cr_assert_eq(dec_parse(s, strlen(s), &v, &why), 0, "bad decimal %s: %s", s, why);
	return v;
}

/* "price:qty" to a level. */
static inline level_t L(const char *pq)
{
	const char *c = strchr(pq, ':');
	level_t l = {0, 0};
	cr_assert(c && !dec_parse(pq, (size_t)(c - pq), &l.price, NULL) &&
	          !dec_parse(c + 1, strlen(c + 1), &l.qty, NULL), "bad level %s", pq);
	return l;
}

static inline void rec_event(void *ctx, const ev_t *ev)
{
	struct rec *r = ctx;
	cr_assert(!r->in_intent, "an event was delivered from inside an intent call");
	cr_assert_lt(r->n, REC_MAX);
	r->ev[r->n] = *ev;
	if (ev->type == EV_ACCOUNT_UPDATE) {
		cr_assert_eq(ev->u.account.nbalances, 1);
		cr_assert_eq(ev->u.account.npositions, 1);
		r->bal[r->n] = ev->u.account.balances[0];
		r->pos[r->n] = ev->u.account.positions[0];
		r->ev[r->n].u.account.balances = &r->bal[r->n];
		r->ev[r->n].u.account.positions = &r->pos[r->n];
	}
	r->n++;
}

static inline void rec_reject(void *ctx, const char *symbol, const char *client_id, int code,
                              const char *msg, int64_t ms)
{
	struct rec *r = ctx;
	cr_assert(!r->in_intent, "a rejection was delivered from inside an intent call");
	cr_assert_lt(r->nrej, 64);
	struct reject *j = &r->rej[r->nrej++];
	copy_str(j->client_id, sizeof(j->client_id), client_id, strlen(client_id));
	copy_str(j->msg, sizeof(j->msg), msg, strlen(msg));
	j->code = code;
	j->ms = ms;
}

/* BTCUSDT's filters from a real exchangeInfo capture (aster-api.md 8.2). */
static inline struct symbol_rules btc_rules(void)
{
	struct symbol_rules r = {.symbol = "BTCUSDT", .trading = true};
	r.tick = D("0.1");
	r.min_price = D("1");
	r.max_price = D("1000000");
	r.step = r.market_step = D("0.001");
	r.min_qty = r.market_min_qty = D("0.001");
	r.max_qty = D("1000");
	r.market_max_qty = D("120");
	r.min_notional = D("5");
	r.max_orders = 200;
	r.max_algo_orders = 10;
	r.percent_up = D("1.02");
	r.percent_down = D("0.98");
	r.maint_margin_pct = D("2.5");
	r.required_margin_pct = D("5");
	return r;
}

/* Zero latencies and zero fees unless a test sets them. */
static inline struct sim_params quiet_params(void)
{
	struct sim_params p;
	sim_params_default(&p);
	p.order_latency_ms = p.cancel_latency_ms = p.ack_latency_ms = 0;
	p.maker_fee = p.taker_fee = 0;
	return p;
}

static inline sim_t *new_sim(struct rec *r, const struct sim_params *p)
{
	memset(r, 0, sizeof(*r));
	struct exchange_sink cb = {.ctx = r, .on_event = rec_event, .on_reject = rec_reject};
	sim_t *s = sim_new(p, &cb);
	cr_assert_not_null(s);
	struct symbol_rules rules = btc_rules();
	sim_set_rules(s, &rules);
	return s;
}

static inline ev_t market_ev(ev_type_t type, int64_t ms)
{
	ev_t ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.exch_ms = ms;
	memcpy(ev.symbol, "BTCUSDT", 8);
	return ev;
}

static inline void ticker(sim_t *s, int64_t ms, const char *bid, const char *bq, const char *ask,
                          const char *aq)
{
	ev_t ev = market_ev(EV_BOOK_TICKER, ms);
	ev.u.book = (struct ev_book_ticker){.tx_ms = ms, .bid = D(bid), .bid_qty = D(bq),
	                                    .ask = D(ask), .ask_qty = D(aq)};
	sim_on_market(s, &ev);
}

/* A trade whose taker sold (hit the bids) when taker_sold is true, made at
 * `tx_ms` and reported at `ms` (the trade stream can lag the book's). */
static inline void trade_tx(sim_t *s, int64_t ms, int64_t tx_ms, const char *price,
                            const char *qty, bool taker_sold)
{
	ev_t ev = market_ev(EV_AGG_TRADE, ms);
	ev.u.trade = (struct ev_trade){.price = D(price), .qty = D(qty), .trade_ms = tx_ms,
	                               .buyer_maker = taker_sold};
	sim_on_market(s, &ev);
}

static inline void trade(sim_t *s, int64_t ms, const char *price, const char *qty, bool taker_sold)
{
	trade_tx(s, ms, ms, price, qty, taker_sold);
}

static inline void mark(sim_t *s, int64_t ms, const char *price, const char *rate,
                        int64_t next_funding)
{
	ev_t ev = market_ev(EV_MARK_PRICE, ms);
	ev.u.mark = (struct ev_mark_price){.mark = D(price), .funding_rate = D(rate),
	                                   .next_funding_ms = next_funding};
	sim_on_market(s, &ev);
}

/* Depth event from "price:qty" strings, NULL-terminated lists. */
static inline void depth(sim_t *s, ev_type_t type, int64_t ms, int64_t U, int64_t u, int64_t pu,
                         const char *const *bids, const char *const *asks)
{
	level_t b[16], a[16];
	uint32_t nb = 0, na = 0;
	for (; bids && bids[nb]; nb++)
		b[nb] = L(bids[nb]);
	for (; asks && asks[na]; na++)
		a[na] = L(asks[na]);
	ev_t ev = market_ev(type, ms);
	ev.u.depth = (struct ev_depth){.tx_ms = ms, .first_id = U, .last_id = u, .prev_id = pu,
	                               .nbids = nb, .nasks = na, .bids = b, .asks = a};
	sim_on_market(s, &ev);
}

static inline order_req limit_req(const char *id, side_t side, const char *price, const char *qty,
                                  tif_t tif)
{
	order_req o = {.symbol = "BTCUSDT", .side = side, .type = OT_LIMIT, .tif = tif,
	               .price = D(price), .qty = D(qty)};
	copy_str(o.client_id, sizeof(o.client_id), id, strlen(id));
	return o;
}

static inline order_req market_req(const char *id, side_t side, const char *qty)
{
	order_req o = {.symbol = "BTCUSDT", .side = side, .type = OT_MARKET, .qty = D(qty)};
	copy_str(o.client_id, sizeof(o.client_id), id, strlen(id));
	return o;
}

static inline order_req stop_req(const char *id, order_type_t type, side_t side, const char *stop,
                                 const char *qty, working_type_t wt)
{
	order_req o = {.symbol = "BTCUSDT", .side = side, .type = type, .working_type = wt,
	               .stop_price = D(stop), .qty = qty ? D(qty) : 0};
	copy_str(o.client_id, sizeof(o.client_id), id, strlen(id));
	return o;
}

static inline void place(sim_t *s, struct rec *r, const order_req *o, int64_t ms)
{
	r->in_intent = true;
	sim_place(s, o, ms);
	r->in_intent = false;
}

static inline void cancel(sim_t *s, struct rec *r, const char *id, int64_t ms)
{
	r->in_intent = true;
	sim_cancel(s, "BTCUSDT", id, ms);
	r->in_intent = false;
}

/* The last order update for a client id; failing the test if there is none
 * (then the rejection, if any, says why). */
static inline const struct ev_order *last_update(const struct rec *r, const char *id)
{
	for (int i = r->n - 1; i >= 0; i--)
		if (r->ev[i].type == EV_ORDER_UPDATE && !strcmp(r->ev[i].u.order.client_id, id))
			return &r->ev[i].u.order;
	for (int i = 0; i < r->nrej; i++)
		if (!strcmp(r->rej[i].client_id, id))
			cr_assert_fail("%s was rejected: %d %s", id, r->rej[i].code, r->rej[i].msg);
	cr_assert_fail("no update for %s", id);
	return NULL;
}

/* The run's statistics for BTCUSDT (all zero when it has none). */
static inline struct sim_symbol_stats btc_stats(const sim_t *s)
{
	struct sim_symbol_stats st;
	memset(&st, 0, sizeof(st));
	cr_assert_leq(sim_symbol_stats(s, &st, 1), 1);
	return st;
}

/* Sum of fills (last_qty) reported for a client id. */
static inline dec_t filled_of(const struct rec *r, const char *id)
{
	dec_t sum = 0;
	for (int i = 0; i < r->n; i++)
		if (r->ev[i].type == EV_ORDER_UPDATE && !strcmp(r->ev[i].u.order.client_id, id) &&
		    r->ev[i].u.order.exec == EXEC_TRADE)
			sum += r->ev[i].u.order.last_qty;
	return sum;
}

static inline const struct position *last_position(const struct rec *r)
{
	for (int i = r->n - 1; i >= 0; i--)
		if (r->ev[i].type == EV_ACCOUNT_UPDATE)
			return &r->pos[i];
	return NULL;
}

static inline void expect_reject(const struct rec *r, const char *id, int code)
{
	for (int i = 0; i < r->nrej; i++)
		if (!strcmp(r->rej[i].client_id, id)) {
			cr_assert_eq(r->rej[i].code, code, "%s: code %d (%s), expected %d", id,
			             r->rej[i].code, r->rej[i].msg, code);
			return;
		}
	cr_assert_fail("%s was not rejected (expected %d)", id, code);
}

#endif
