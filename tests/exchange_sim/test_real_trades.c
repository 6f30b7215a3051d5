/* The simulated exchange over real data: 8153 large BTCUSDT aggTrades from a
 * recorded Binance stream (no book: the trades-only fallback), with a ladder
 * of resting orders on both sides. What must hold on any data: the wallet
 * is exactly the start plus realized PnL minus commissions, the position is
 * the sum of fills, a maker fill needs a trade at or through its price, time
 * never runs backwards, and two runs are identical. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "support.h"

#define TRADES HUNTER_REAL_DATA "/liq_loggers/PauliusMinialga__data_streams_for_crypto/binance_trades.csv"

struct run {
	struct rec rec;
	dec_t last_trade;  /* the trade being fed, to judge fills against */
	dec_t rp, fees, position;
	dec_t reported;    /* the position as the last ACCOUNT_UPDATE gave it */
	int fills, bad_fills, backwards, late_cancels, liquidations;
	int64_t last_ms;
};

static void on_event(void *ctx, const ev_t *ev)
{
	struct run *r = ctx;
	if (ev->exch_ms < r->last_ms)
		r->backwards++;
	r->last_ms = ev->exch_ms;
	if (ev->type == EV_ACCOUNT_UPDATE)
		r->reported = ev->u.account.positions[0].amount;
	if (ev->type != EV_ORDER_UPDATE)
		return;
	const struct ev_order *o = &ev->u.order;
	if (o->exec != EXEC_TRADE && o->exec != EXEC_CALCULATED)
		return;
	r->rp += o->realized_pnl;
	r->fees += o->commission;
	r->position += o->side == SIDE_BUY ? o->last_qty : -o->last_qty;
	if (o->exec == EXEC_CALCULATED) {
		r->liquidations++;
		return;
	}
	r->fills++;
	bool reached = o->side == SIDE_BUY ? r->last_trade <= o->price : r->last_trade >= o->price;
	if (!o->maker || o->last_price != o->price || !reached)
		r->bad_fills++;
}

static void on_reject(void *ctx, const char *symbol, const char *client_id, int code,
                      const char *msg, int64_t ms)
{
	struct run *r = ctx;
	cr_assert_eq(code, -2011, "%s rejected at %lld: %d %s", client_id, (long long)ms, code, msg);
	r->late_cancels++;
}

/* "E, SYMBOL, a, p, q, T, m" as the logger wrote it. Returns false at EOF. */
static bool next_trade(FILE *f, int line, ev_t *ev)
{
	char buf[256], sym[32], p[32], q[32], m[8];
	long long e, a, t;
	while (fgets(buf, sizeof(buf), f)) {
		int n = sscanf(buf, "%lld, %31[^,], %lld, %31[^,], %31[^,], %lld, %7s", &e, sym, &a, p,
		               q, &t, m);
		cr_assert_eq(n, 7, "line %d: expected 7 fields: %s", line, buf);
		if (strcmp(sym, "BTCUSDT"))
			continue;
		*ev = market_ev(EV_AGG_TRADE, e);
		ev->u.trade.id = a;
		ev->u.trade.trade_ms = t;
		ev->u.trade.price = D(p);
		ev->u.trade.qty = D(q);
		ev->u.trade.buyer_maker = !strcmp(m, "True");
		return true;
	}
	return false;
}

/* Every 300th trade: a buy 0.05 % under and a sell 0.05 % over the price,
 * each cancelled a minute later if still open. */
static void ladder(sim_t *s, int i, const ev_t *ev)
{
	char id[CLIENT_ID_MAX];
	dec_t px = ev->u.trade.price, tick = D("0.1");
	for (int k = 0; k < 2; k++) {
		snprintf(id, sizeof(id), "%c%d", k ? 's' : 'b', i);
		order_req o = limit_req(id, k ? SIDE_SELL : SIDE_BUY, "1", "0.002", TIF_GTC);
		dec_t off;
		cr_assert_eq(dec_mul(px, D("0.0005"), &off), 0);
		o.price = k ? dec_round_up(px + off, tick) : dec_round_down(px - off, tick);
		sim_place(s, &o, ev->exch_ms);
		sim_cancel(s, "BTCUSDT", id, ev->exch_ms + 60000);
	}
}

static void run(struct run *r)
{
	memset(r, 0, sizeof(*r));
	struct sim_params p;
	sim_params_default(&p);
	p.ack_latency_ms = 0;
	struct exchange_sink cb = {.ctx = r, .on_event = on_event, .on_reject = on_reject};
	sim_t *s = sim_new(&p, &cb);
	struct symbol_rules rules = btc_rules();
	rules.max_orders = 0;
	sim_set_rules(s, &rules);
	FILE *f = fopen(TRADES, "r");
	cr_assert_not_null(f, "cannot open %s", TRADES);
	ev_t ev;
	for (int i = 1; next_trade(f, i, &ev); i++) {
		r->last_trade = ev.u.trade.price;
		sim_on_market(s, &ev);
		if (i % 300 == 0)
			ladder(s, i, &ev);
	}
	fclose(f);
	sim_advance(s, ev.exch_ms + 120000);
	struct exchange_account a;
	sim_account(s, &a);
	cr_assert_eq(a.wallet, p.starting_balance + r->rp - r->fees, "wallet is exact");
	cr_assert_eq(a.fees_paid, r->fees);
	sim_free(s);
}

static struct run A, B;

Test(real_trades, invariants_on_a_recorded_session)
{
	test_need_real_data();
	run(&A);
	cr_assert_gt(A.fills, 10, "the ladder trades (%d fills)", A.fills);
	cr_assert_gt(A.late_cancels, 0);
	cr_assert_eq(A.bad_fills, 0);
	cr_assert_eq(A.backwards, 0);
	cr_assert_eq(A.reported, A.position, "the position is the sum of fills");
	run(&B);
	cr_assert_eq(A.fills, B.fills);
	cr_assert_eq(A.rp, B.rp);
	cr_assert_eq(A.liquidations, B.liquidations);
	cr_assert_eq(A.position, B.position);
}
