/*
 * bench_report: the time report_write takes for a run of 10,000 round
 * trips. The run database is written through the journal, as a backtest
 * writes it: for each trip a signal, an entry order placed and filled, a
 * tranche opened, a take-profit or stop-loss placed and filled, the tranche
 * closed, and equity samples every minute and after every fill. Prints:
 *
 *   report 10000 round trips: <s> s
 *
 * (charts included when gnuplot is installed, as the second line says).
 * Everything goes to a temporary folder ($TMPDIR) that is removed afterwards.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "journal.h"
#include "report.h"

#define TRIPS 10000
#define START_MS 1737990000000LL

static const char *const symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "DOGEUSDT"};
static const dec_t base_price[] = {DEC(99000), DEC(3100), DEC(240), DEC(33) / 100};
static const dec_t tick[] = {DEC(1) / 10, DEC(1) / 100, DEC(1) / 100, DEC(1) / 100000};

struct gen {
	journal_t *j;
	uint64_t rng;
	int64_t ms, next_minute;
	dec_t wallet;
	int id;
};

static uint64_t next(struct gen *g)
{
	g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return g->rng >> 33;
}

static void equity(struct gen *g, journal_eq_reason_t why, dec_t margin)
{
	struct journal_equity eq = {g->wallet, 0, margin, margin * 10, margin ? 1 : 0};
	journal_equity(g->j, g->ms, why, &eq);
}

/* Time passes; an equity sample at each whole minute crossed. */
static void advance(struct gen *g, int64_t ms, dec_t margin)
{
	g->ms += ms;
	while (g->ms >= g->next_minute) {
		equity(g, EQ_MINUTE, margin);
		g->next_minute += 60000;
	}
}

static void record(struct gen *g, journal_kind_t kind, int s, struct journal_rec *r)
{
	r->kind = kind;
	r->ms = g->ms;
	snprintf(r->symbol, sizeof r->symbol, "%s", symbols[s]);
	journal_record(g->j, r);
}

static void order(struct gen *g, int s, const order_req *q, order_role_t role,
                  j_order_state_t state)
{
	struct journal_rec r = {.u.order = {*q, role, 0, state, 0, ""}};
	record(g, J_ORDER, s, &r);
}

static void fill(struct gen *g, int s, const order_req *q, order_role_t role, dec_t pnl)
{
	dec_t fee;
	dec_muldiv(q->price, q->qty, DEC(10000), &fee); /* 0.01 % maker fee */
	fee /= 10000;
	struct journal_rec r = {.u.fill = {.role = role, .side = q->side, .pos_side = q->pos_side,
	                                   .price = q->price, .qty = q->qty, .fee = fee,
	                                   .maker = true, .realized_pnl = pnl,
	                                   .trade_id = ++g->id}};
	memcpy(r.u.fill.client_id, q->client_id, CLIENT_ID_MAX);
	record(g, J_FILL, s, &r);
	g->wallet += pnl - fee;
}

static void tranche(struct gen *g, int s, pos_side_t ps, j_tranche_action_t a, dec_t qty,
                    dec_t entry, dec_t tp, dec_t sl)
{
	struct journal_rec r = {.u.tranche = {ps, 0, a, 0, qty, entry, tp, sl}};
	record(g, J_TRANCHE, s, &r);
}

/* One round trip: a fade entry after a liquidation signal, closed by its
 * take-profit (about 60 % of trips) or its stop-loss. */
static void trip(struct gen *g)
{
	int s = (int)(next(g) % 4);
	bool lng = next(g) % 2;
	dec_t px = base_price[s] + (dec_t)(next(g) % 2000) * tick[s];
	dec_t qty;
	dec_div(DEC(200), px, &qty);
	qty = dec_round_down(qty, DEC(1) / 1000) + DEC(1) / 1000;
	int dir = lng ? 1 : -1;
	pos_side_t ps = lng ? PS_LONG : PS_SHORT;
	dec_t tp = px + dir * dec_round_down(px / 300, tick[s]);
	dec_t sl = px - dir * dec_round_down(px / 70, tick[s]);

	struct journal_rec sig = {.u.signal = {lng ? SIDE_SELL : SIDE_BUY, DEC(25000), DEC(20000),
	                                       lng ? SIDE_BUY : SIDE_SELL, ps, true, "fired", "",
	                                       px, qty}};
	snprintf(sig.u.signal.client_id, CLIENT_ID_MAX, "hx-e-%d", g->id);
	record(g, J_SIGNAL, s, &sig);
	order_req e = {.side = sig.u.signal.side, .pos_side = ps, .type = OT_LIMIT, .tif = TIF_GTC,
	               .price = px, .qty = qty};
	memcpy(e.client_id, sig.u.signal.client_id, CLIENT_ID_MAX);
	order(g, s, &e, ROLE_ENTRY, JO_PLACED);
	advance(g, 50 + (int64_t)(next(g) % 3000), 0);
	order(g, s, &e, ROLE_ENTRY, JO_FILLED);
	fill(g, s, &e, ROLE_ENTRY, 0);
	dec_t margin = px / 10;
	equity(g, EQ_FILL, margin);
	tranche(g, s, ps, JT_OPEN, qty, px, tp, sl);

	bool win = next(g) % 10 < 6;
	order_req x = {.side = lng ? SIDE_SELL : SIDE_BUY, .pos_side = ps, .qty = qty,
	               .type = win ? OT_LIMIT : OT_STOP_MARKET, .price = win ? tp : 0,
	               .stop_price = win ? 0 : sl};
	snprintf(x.client_id, CLIENT_ID_MAX, "hx-%s-%d", win ? "tp" : "sl", g->id);
	order(g, s, &x, win ? ROLE_TP : ROLE_SL, JO_PLACED);
	advance(g, 5000 + (int64_t)(next(g) % 300000), margin);
	x.price = win ? tp : sl;
	dec_t pnl;
	dec_mul(dir * (x.price - px), qty, &pnl);
	order(g, s, &x, win ? ROLE_TP : ROLE_SL, JO_FILLED);
	fill(g, s, &x, win ? ROLE_TP : ROLE_SL, pnl);
	equity(g, EQ_FILL, 0);
	tranche(g, s, ps, JT_CLOSE, 0, px, 0, 0);
	advance(g, (int64_t)(next(g) % 60000), 0);
}

static int make_run(const char *path)
{
	static const char settings[] = "{\"globals\": {\"volume_window_sec\": 60}, \"symbols\":"
	                               " {\"BTCUSDT\": {\"volume_threshold\": 20000}}}";
	struct journal_run run = {"backtest", settings, sizeof settings - 1,
	                          "{\"maker_fee\": \"0.0001\", \"seed\": 1}", 1, true, 0, false};
	char err[512];
	struct gen g = {.rng = 1, .ms = START_MS, .next_minute = START_MS + 60000,
	                .wallet = DEC(10000)};
	g.j = journal_create(path, &run, err, sizeof err);
	if (!g.j) {
		fprintf(stderr, "bench_report: %s\n", err);
		return -1;
	}
	equity(&g, EQ_START, 0);
	for (int i = 0; i < TRIPS; i++)
		trip(&g);
	equity(&g, EQ_END, 0);
	struct journal_end end = {START_MS, g.ms, (uint64_t)TRIPS * 400, "", 1.0, false};
	int rc = journal_finish(g.j, &end);
	if (rc)
		fprintf(stderr, "bench_report: %s\n", journal_error(g.j));
	journal_close(g.j);
	return rc;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], db[4200], out[4200], err[1024];
	snprintf(dir, sizeof dir, "%s/bench-report-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(dir)) {
		perror("bench_report: mkdtemp");
		return 1;
	}
	snprintf(db, sizeof db, "%s/run.db", dir);
	snprintf(out, sizeof out, "%s/report", dir);
	int rc = make_run(db);
	struct report_result res;
	double t0 = bench_now();
	if (rc == 0 && report_write(db, out, NULL, &res, err, sizeof err)) {
		fprintf(stderr, "bench_report: %s\n", err);
		rc = -1;
	}
	double t1 = bench_now();
	if (rc == 0) {
		printf("report %d round trips: %.3f s\n", TRIPS, t1 - t0);
		printf("charts: %s\n", res.charts ? "drawn by gnuplot" : "none (no gnuplot)");
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc ? 1 : 0;
}
