/*
 * bench_engine.c - per-event cost of the engine's hot path: book tickers,
 * trades and liquidations over many symbols, with positions being opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "engine.h"

static void nop_place(void *c, const order_req *o) { (void)c; (void)o; }
static void nop_cancel(void *c, const char *s, const char *id) { (void)c; (void)s; (void)id; }
static void nop_replace(void *c, const char *id, const order_req *o) { (void)c; (void)id; (void)o; }
static unsigned long njournal;
static void count_journal(void *c, const struct journal_rec *r) { (void)c; (void)r; njournal++; }

int main(int argc, char **argv)
{
	enum { NSYM = 100 };
	long n = argc > 1 ? atol(argv[1]) : 20000000;
	struct symbol_settings ss[NSYM];
	memset(ss, 0, sizeof(ss));
	for (int i = 0; i < NSYM; i++) {
		snprintf(ss[i].symbol, SYMBOL_MAX, "SYM%dUSDT", i);
		ss[i].threshold_long = ss[i].threshold_short = DEC(5000);
		ss[i].leverage = 10;
		ss[i].trade_value_usdt = DEC(10);
		ss[i].max_position_usdt = DEC(100);
		ss[i].take_profit_enabled = ss[i].stop_loss_enabled = true;
		ss[i].take_profit_pct = DEC(1);
		ss[i].stop_loss_pct = DEC(2);
	}
	struct settings s = {.volume_window_ms = 60000, .hedge_mode = true, .order_ttl_ms = 30000,
	                     .max_open_orders_per_symbol = 5, .max_total_exposure_usdt = DEC(1000),
	                     .tranche_pnl_increment_pct = DEC(5), .max_tranches_per_symbol_side = 5,
	                     .use_usdt_volume = true, .window_mode = WINDOW_PER_SIDE,
	                     .merge_profit_pct = DEC(1), .unprotected_timeout_ms = 5000,
	                     .nsymbols = NSYM, .symbols = ss};
	struct engine_io io = {NULL, nop_place, nop_cancel, nop_replace, count_journal};
	engine_t *e = engine_new(&s, &io);
	for (int i = 0; i < NSYM; i++) {
		struct symbol_rules r = {.trading = true, .tick = DEC(1) / 10, .step = DEC(1) / 1000,
		                         .min_qty = DEC(1) / 1000, .min_notional = DEC(5)};
		memcpy(r.symbol, ss[i].symbol, SYMBOL_MAX);
		engine_set_rules(e, &r);
	}
	ev_t *evs = calloc(4096, sizeof(*evs));
	for (int i = 0; i < 4096; i++) {
		ev_t *ev = &evs[i];
		memcpy(ev->symbol, ss[(i * 7) % NSYM].symbol, SYMBOL_MAX);
		if (i % 2) {
			ev->type = EV_BOOK_TICKER;
			ev->u.book.bid = DEC(50000) + (i % 13) * DEC(1) / 10;
			ev->u.book.ask = ev->u.book.bid + DEC(1) / 10;
		} else {
			ev->type = EV_AGG_TRADE;
			ev->u.trade.price = DEC(50000) + (i % 11) * DEC(1) / 10;
			ev->u.trade.qty = DEC(1) / 100;
		}
	}
	double t0 = bench_now();
	for (long k = 0; k < n; k++) {
		ev_t *ev = &evs[k & 4095];
		ev->exch_ms = 1700000000000 + k / 1000;
		engine_on_event(e, ev);
	}
	double dt = bench_now() - t0;
	printf("book_ticker+agg_trade events: %ld in %.3f s = %.1f ns/event (%.1f M events/s)\n",
	       n, dt, dt * 1e9 / (double)n, (double)n / dt / 1e6);

	long nl = n / 100;
	ev_t liq = {.type = EV_LIQUIDATION};
	t0 = bench_now();
	for (long k = 0; k < nl; k++) {
		memcpy(liq.symbol, ss[k % NSYM].symbol, SYMBOL_MAX);
		liq.exch_ms = liq.u.liq.trade_ms = 1700000000000 + k;
		liq.u.liq.side = k & 1 ? SIDE_BUY : SIDE_SELL;
		liq.u.liq.qty = liq.u.liq.filled_qty = DEC(1) / 100;
		liq.u.liq.price = liq.u.liq.avg_price = DEC(50000) + k % 1000;
		engine_on_event(e, &liq);
	}
	dt = bench_now() - t0;
	struct engine_stats st;
	engine_stats(e, &st);
	printf("liquidation events: %ld in %.3f s = %.1f ns/event; signals %llu fired %llu\n", nl,
	       dt, dt * 1e9 / (double)nl, (unsigned long long)st.signals,
	       (unsigned long long)st.fired);
	engine_free(e);
	free(evs);
	return 0;
}
