/*
 * exchange.h - the exchange as a session sees it: one interface, two
 * implementations.
 *
 *   exchange_sim/    the simulated exchange: matches orders against recorded
 *                    or live market data (backtest, simulate_only, serve)
 *   Aster client     signed REST and the user data stream (live); it goes in
 *                    its own folder beside exchange_sim/ and provides the
 *                    same `struct exchange_ops`
 *
 * Requests go in through the ops (place, cancel, replace, per-symbol and
 * account setup); answers come back, possibly much later, through the
 * `struct exchange_sink` given when the implementation was made: order and
 * account updates in the ORDER_TRADE_UPDATE / ACCOUNT_UPDATE shapes, and
 * refusals with Aster's error code. An implementation never calls the sink
 * from inside a request, so a sink may make new requests.
 *
 * A simulated exchange also needs the market and the passage of time, which
 * a real one gets from the world: `on_market`, `advance` and `next_due` are
 * set by a simulated implementation and NULL for a live one.
 *
 * Depends on core.h only.
 */
#ifndef HUNTER_EXCHANGE_H
#define HUNTER_EXCHANGE_H

#include "core.h"

/* Where an exchange's answers go. */
struct exchange_sink {
	void *ctx;
	/* EV_ORDER_UPDATE and EV_ACCOUNT_UPDATE, in the exchange's time order */
	void (*on_event)(void *ctx, const ev_t *ev);
	/* a request refused outright: Aster's code and message */
	void (*on_reject)(void *ctx, const char *symbol, const char *client_id, int code,
	                  const char *msg, int64_t ms);
};

/* The account in one line: for equity curves, caps and reports. */
struct exchange_account {
	dec_t wallet;        /* balance after realized PnL, fees and funding */
	dec_t unrealized;    /* at the mark price (the last trade if no mark) */
	dec_t fees_paid;
	dec_t funding_paid;  /* positive = paid, negative = received */
	dec_t margin_used;   /* initial margin of open positions */
	dec_t notional;      /* absolute notional of open positions */
	uint32_t open_positions;
};

/* Per-symbol setup, sent before trading a symbol. */
struct symbol_setup {
	char symbol[SYMBOL_MAX];
	int leverage;
	margin_type_t margin_type;
};

/* What is open on the account: positions and open orders, as a restarted
 * session adopts them. Arrays are the implementation's, valid until the
 * next call. */
struct exchange_open {
	const struct position *positions;
	uint32_t npositions;
	const ev_t *orders; /* EV_ORDER_UPDATE, status NEW or PARTIALLY_FILLED */
	uint32_t norders;
};

struct exchange_ops {
	const char *name; /* "sim", "aster": for messages and the run database */
	void (*place)(void *impl, const order_req *o, int64_t now_ms);
	void (*cancel)(void *impl, const char *symbol, const char *client_id, int64_t now_ms);
	void (*replace)(void *impl, const char *old_client_id, const order_req *o, int64_t now_ms);
	/* 0, or an Aster error code (the message is the implementation's to report) */
	int (*setup_symbol)(void *impl, const struct symbol_setup *s);
	int (*set_position_mode)(void *impl, bool hedge);
	void (*set_rules)(void *impl, const struct symbol_rules *r);
	void (*account)(void *impl, struct exchange_account *out);
	void (*open_state)(void *impl, struct exchange_open *out);
	/* simulated exchanges only */
	void (*on_market)(void *impl, const ev_t *ev);
	void (*advance)(void *impl, int64_t now_ms);
	int64_t (*next_due)(const void *impl); /* INT64_MAX when nothing is due */
	void (*destroy)(void *impl);
};

typedef struct exchange {
	const struct exchange_ops *ops;
	void *impl;
} exchange_t;

/* The calls, so that callers never reach into ops. A call that the
 * implementation does not provide does nothing (next_due: INT64_MAX). */
void exchange_place(exchange_t *x, const order_req *o, int64_t now_ms);
void exchange_cancel(exchange_t *x, const char *symbol, const char *client_id, int64_t now_ms);
void exchange_replace(exchange_t *x, const char *old_client_id, const order_req *o,
                      int64_t now_ms);
int exchange_setup_symbol(exchange_t *x, const struct symbol_setup *s);
int exchange_set_position_mode(exchange_t *x, bool hedge);
void exchange_set_rules(exchange_t *x, const struct symbol_rules *r);
void exchange_account(exchange_t *x, struct exchange_account *out);
void exchange_open_state(exchange_t *x, struct exchange_open *out);
bool exchange_is_simulated(const exchange_t *x);
void exchange_on_market(exchange_t *x, const ev_t *ev);
void exchange_advance(exchange_t *x, int64_t now_ms);
int64_t exchange_next_due(const exchange_t *x);
void exchange_destroy(exchange_t *x);

#endif
