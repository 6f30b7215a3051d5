/*
 * exchange_sim.h - the simulated exchange: matches the engine's orders against
 * recorded market data the way Aster would, and answers with the same
 * events Aster's user stream sends (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE) or
 * with Aster's error codes. Every modelling assumption is listed in
 * docs/simulation.md.
 *
 * Time comes only from the caller (exchange time in ms), and randomness only
 * from `seed`, so a run is reproducible byte for byte.
 *
 * It is one implementation of the exchange interface (exchange.h):
 * sim_exchange() gives the session a simulated exchange behind it; the
 * sim_* calls below are the same operations, for tests and tools that drive
 * the simulation directly.
 *
 * Depends on core.h and exchange.h only.
 */
#ifndef HUNTER_EXCHANGE_SIM_H
#define HUNTER_EXCHANGE_SIM_H

#include "core.h"
#include "exchange.h"

struct sim_params {
	dec_t maker_fee;          /* fraction: 0.0001 = 0.01 % */
	dec_t taker_fee;          /* fraction: 0.00035 = 0.035 % */
	int64_t order_latency_ms; /* from the engine's intent to the matching engine */
	int64_t cancel_latency_ms;
	int64_t ack_latency_ms;   /* from the matching engine back to the engine */
	dec_t maint_margin_rate;  /* fraction; 0 = take maintMarginPercent of the rules */
	dec_t starting_balance;   /* USDT wallet at the start */
	bool queue_position;      /* model queue ahead of resting limit orders */
	bool funding;             /* charge funding at funding times */
	bool hedge_mode;          /* dual-side positions (LONG/SHORT) or one-way (BOTH) */
	int64_t max_quote_age_ms; /* older book, trade or mark is not used; 0 = no limit */
	int64_t shrink_match_ms;  /* a level's shrink waits this long for its trade */
	int impact_ticks;         /* each slice of assumed liquidity is this much worse */
	uint64_t seed;
};

/* Defaults documented in docs/simulation.md. */
void sim_params_default(struct sim_params *p);

typedef struct sim sim_t;

/* `cb` receives what the exchange tells its user (exchange.h). */
sim_t *sim_new(const struct sim_params *p, const struct exchange_sink *cb);
void sim_free(sim_t *s);

/* The simulation behind the exchange interface; destroying the exchange
 * frees the simulation. */
void sim_exchange(sim_t *s, exchange_t *out);

/* Trading rules (filters) of a symbol; orders on a symbol without rules are
 * rejected with -1121. */
void sim_set_rules(sim_t *s, const struct symbol_rules *r);

/* Leverage of a symbol (default 20): sets initial margin and, with the
 * maintenance rate, the own-position liquidation price. */
void sim_set_leverage(sim_t *s, const char *symbol, int leverage);

/* Delivers everything due up to `now_ms`: orders reaching the matching
 * engine, acknowledgements, fills, funding, own-position liquidation. */
void sim_advance(sim_t *s, int64_t now_ms);

/* When the next job is due (an order reaching the matching engine, an
 * answer reaching the user, a funding time); INT64_MAX when none is. */
int64_t sim_next_due(const sim_t *s);

/* A market event (book ticker, depth, trades, mark price, exchange info):
 * advances to its time, updates the book and matches resting orders. */
void sim_on_market(sim_t *s, const ev_t *ev);

/* Intents from the engine, timestamped with the engine's time. They take
 * effect after the configured latency; their outcome arrives as events. */
void sim_place(sim_t *s, const order_req *o, int64_t now_ms);
void sim_cancel(sim_t *s, const char *symbol, const char *client_id, int64_t now_ms);
void sim_replace(sim_t *s, const char *old_client_id, const order_req *o, int64_t now_ms);

/* Account snapshot for equity curves and reports. */
void sim_account(const sim_t *s, struct exchange_account *out);

/* Open positions and open orders; arrays valid until the next call. */
void sim_open_state(sim_t *s, struct exchange_open *out);

/*
 * The account of a simulate run that starts again on its run database,
 * as that database tells it (journal_sim_load): the money, every fill so
 * far (they make the positions, with the simulation's own arithmetic),
 * the funding times charged and the orders still open. What the database
 * does not hold never happened: a fill whose answer had not reached the
 * run is undone with the process that made it.
 */
struct sim_saved_fill {
	char symbol[SYMBOL_MAX];
	char client_id[CLIENT_ID_MAX];
	pos_side_t pos_side;
	side_t side;
	dec_t price, qty;
};

struct sim_saved_funding {
	char symbol[SYMBOL_MAX];
	int64_t ms; /* the latest funding time charged */
};

struct sim_saved {
	dec_t wallet, fees_paid, funding_paid;
	int64_t next_trade_id; /* above every trade id given; 0 none */
	const struct sim_saved_fill *fills; /* in the order they happened */
	uint32_t nfills;
	const struct sim_saved_funding *funded;
	uint32_t nfunded;
	const order_req *orders; /* open, in the order they were placed */
	uint32_t norders;
};

/* Puts a saved account in place of a new simulation's, after its symbols'
 * leverage is set and before its first event: positions rebuilt from the
 * fills (their margin at the leverage now), the orders resting again with
 * what the fills took of them, and no funding time charged twice. */
void sim_restore(sim_t *s, const struct sim_saved *in);

/* How far a run leaned on assumptions, per symbol. Taker fills are counted
 * by the book that priced them: synced depth, top of book only, or trades
 * only (no fresh book: the synthetic top around the last trade). Of those,
 * qty_assumed is the part filled beyond the liquidity the data showed.
 * Stop triggers count every conditional order that fired; of those,
 * stop_triggers_on_last are MARK_PRICE orders fired on the last trade and
 * stop_triggers_on_mark CONTRACT_PRICE orders fired on the mark, each for
 * want of fresh data of its own kind. */
struct sim_symbol_stats {
	char symbol[SYMBOL_MAX];
	dec_t qty_depth, qty_top, qty_trades;
	dec_t qty_assumed;
	uint64_t stop_triggers, stop_triggers_on_last, stop_triggers_on_mark;
};

/* Fills `out` with up to `cap` symbols, those with a taker fill or a stop
 * trigger, in the order the simulation first saw them; returns how many
 * such symbols there are (which may exceed `cap`). */
uint32_t sim_symbol_stats(const sim_t *s, struct sim_symbol_stats *out, uint32_t cap);

#endif
