/*
 * engine.h - the liquidation-hunter strategy as a deterministic state
 * machine (see docs/strategy.md of the shared docs and docs/engine.md).
 *
 * The engine consumes typed events and emits intents. It reads no clock,
 * does no I/O and keeps no global state: its time is the exchange time of
 * the events it is given. `struct engine_io` is the one interface through
 * which it reaches an exchange (place, cancel, replace) and the journal
 * (every decision and its reason). Exchange answers come back as
 * EV_ORDER_UPDATE events (the ORDER_TRADE_UPDATE shape, identical for the
 * simulated exchange and Aster) and as rejections with Aster's error codes.
 *
 * Depends on core.h only.
 */
#ifndef HUNTER_ENGINE_H
#define HUNTER_ENGINE_H

#include "core.h"

/* ------------------------------------------------------------------------ */
/* Settings (filled by the config module from settings.json)                 */
/* ------------------------------------------------------------------------ */

typedef enum { TRADE_OPPOSITE = 1, TRADE_SAME } trade_side_t;
typedef enum { ENTRY_LIMIT = 1, ENTRY_MARKET } entry_mode_t;
typedef enum { TP_LIMIT = 1, TP_MARKET } tp_mode_t;
typedef enum { WINDOW_PER_SIDE = 1, WINDOW_COMBINED } window_mode_t;

/* Percentages are decimals in percent: 0.5 means 0.5 %. */
struct symbol_settings {
	char symbol[SYMBOL_MAX];
	dec_t threshold_long;  /* volume that fires on long liquidations (SELL) */
	dec_t threshold_short; /* volume that fires on short liquidations (BUY) */
	dec_t threshold;       /* legacy volume_threshold: used by a side whose own
	                        * threshold is 0; a side with neither never fires */
	int leverage;
	margin_type_t margin_type;
	trade_side_t trade_side;
	dec_t trade_value_usdt;  /* margin per entry */
	dec_t price_offset_pct;
	dec_t max_position_usdt; /* margin cap for the symbol */
	bool take_profit_enabled;
	dec_t take_profit_pct;
	bool stop_loss_enabled;
	dec_t stop_loss_pct;
	working_type_t working_type;
	bool price_protect;
	bool use_trailing_stop;
	int64_t cooldown_ms;   /* per symbol and side, after a trigger */
	entry_mode_t entry_mode;
	tp_mode_t tp_mode;
};

struct settings {
	int64_t volume_window_ms;
	bool hedge_mode;
	int64_t order_ttl_ms;
	int max_open_orders_per_symbol;
	dec_t max_total_exposure_usdt; /* margin cap over all symbols */
	dec_t tranche_pnl_increment_pct;
	int max_tranches_per_symbol_side;
	bool use_usdt_volume;
	tif_t time_in_force;
	window_mode_t window_mode;
	dec_t merge_profit_pct;          /* adjacent tranches merge at this profit */
	int64_t unprotected_timeout_ms;  /* close at market after this long */
	int64_t max_quote_age_ms;        /* an older quote does not price entries; 0: no limit */
	dec_t daily_loss_limit_usdt;     /* kill switch (risk.c); 0: off */
	dec_t min_free_margin_usdt;      /* kill switch (risk.c); 0: off */
	uint32_t nsymbols;
	struct symbol_settings *symbols; /* owned by whoever filled the struct */
};

/* ------------------------------------------------------------------------ */
/* Journal records: everything the engine decides, with its reason            */
/* ------------------------------------------------------------------------ */

/* Orders the engine sends have the first four roles; the exchange's own
 * closing of our position (liquidation, auto-deleveraging, settlement of a
 * delisted contract) has the last three: they appear in fills only. */
typedef enum {
	ROLE_ENTRY = 1, ROLE_TP, ROLE_SL, ROLE_CLOSE, ROLE_LIQUIDATION, ROLE_ADL, ROLE_SETTLEMENT
} order_role_t;
const char *order_role_str(int role);

typedef enum {
	J_SIGNAL = 1, /* a trigger was reached: fired or skipped, and why */
	J_ORDER,      /* an order changed state: placed, accepted, rejected, ... */
	J_FILL,       /* a fill, classified by the order that produced it */
	J_TRANCHE,    /* a tranche opened, grew, merged, shrank or closed */
	J_NOTE        /* anything else a user should see (e.g. price from liquidation) */
} journal_kind_t;

struct j_signal {
	side_t liq_side;     /* side of the liquidation orders (SELL = longs) */
	dec_t window_volume; /* what the window held when it fired */
	dec_t threshold;
	side_t side;         /* side the entry would trade */
	pos_side_t pos_side;
	bool fired;
	const char *reason;  /* "fired", "cap_symbol", "cap_total", "cooldown", ... */
	char client_id[CLIENT_ID_MAX]; /* the entry order, when fired */
	dec_t price, qty;
};

typedef enum {
	JO_PLACED = 1, JO_ACCEPTED, JO_REJECTED, JO_PARTIALLY_FILLED, JO_FILLED,
	JO_CANCEL_SENT, JO_CANCELED, JO_EXPIRED
} j_order_state_t;
const char *j_order_state_str(int state);

struct j_order {
	order_req req;
	order_role_t role;
	int tranche;          /* -1 when not tied to one */
	j_order_state_t state;
	int code;             /* exchange error code when rejected */
	const char *reason;   /* why it was placed/cancelled/rejected; "" if no reason */
};

struct j_fill {
	char client_id[CLIENT_ID_MAX];
	order_role_t role;
	int tranche;
	side_t side;
	pos_side_t pos_side;
	dec_t price, qty;
	dec_t fee;           /* commission charged (positive = paid) */
	bool maker;
	dec_t realized_pnl;  /* for closing fills, before fees */
	int64_t trade_id;
};

typedef enum {
	JT_OPEN = 1, JT_JOIN, JT_MERGE, JT_REDUCE, JT_CLOSE, JT_PROTECT
} j_tranche_action_t;
const char *j_tranche_action_str(int action);

struct j_tranche {
	pos_side_t pos_side;
	int tranche;
	j_tranche_action_t action;
	int merged_from;   /* JT_MERGE: the tranche folded into `tranche` */
	dec_t qty;         /* after the action */
	dec_t avg_entry;
	dec_t tp_price, sl_price; /* 0 when disabled */
};

struct journal_rec {
	journal_kind_t kind;
	int64_t ms;  /* engine time (exchange time) */
	char symbol[SYMBOL_MAX];
	union {
		struct j_signal signal;
		struct j_order order;
		struct j_fill fill;
		struct j_tranche tranche;
		const char *note;
	} u;
};

/* ------------------------------------------------------------------------ */
/* The engine                                                                */
/* ------------------------------------------------------------------------ */

/* The interface to the outside. `replace` modifies a resting LIMIT order in
 * place (price and quantity; queue priority is lost if the price moves). An
 * intent is a request: its outcome arrives later as an event. Callbacks must
 * not call back into the engine; journal records (and the strings they point
 * to) are valid only during the call. */
struct engine_io {
	void *ctx;
	void (*place)(void *ctx, const order_req *o);
	void (*cancel)(void *ctx, const char *symbol, const char *client_id);
	void (*replace)(void *ctx, const char *old_client_id, const order_req *o);
	void (*journal)(void *ctx, const struct journal_rec *r);
};

typedef struct engine engine_t;

/* Copies what it needs from `s`; returns NULL on allocation failure. */
engine_t *engine_new(const struct settings *s, const struct engine_io *io);
void engine_free(engine_t *e);

/* Trading rules of a symbol (tick, step, minimums). A symbol without rules
 * cannot trade: its signals are journaled as skipped ("no_rules"). */
void engine_set_rules(engine_t *e, const struct symbol_rules *r);

/* The quantities of the MARKET orders that close `qty` of `symbol`, each
 * within the exchange's maximum, split as the engine splits its own closes
 * at market: at most `cap` (at least 1), the last carrying any excess. A
 * symbol without rules gets `qty` as one order. Returns how many. */
int engine_market_split(const engine_t *e, const char *symbol, dec_t qty, dec_t *out, int cap);

/* The account's USDT wallet balance, for min_free_margin_usdt: the session
 * gives it at start; ACCOUNT_UPDATE events keep it current after that. */
void engine_set_wallet(engine_t *e, dec_t wallet);

/* Any event: market data, EV_ORDER_UPDATE, EV_ACCOUNT_UPDATE, EV_EXCHANGE_INFO.
 * Advances engine time to ev->exch_ms when that is later. */
void engine_on_event(engine_t *e, const ev_t *ev);

/* An order the exchange refused outright (code is Aster's, e.g. -4164). */
void engine_on_reject(engine_t *e, const char *symbol, const char *client_id, int code,
                      const char *msg, int64_t now_ms);

/* Adopts positions and the engine's own open orders found on the exchange
 * when a run starts (a restarted live run). Each position (symbol, position
 * side, signed amount, entry price) becomes one tranche counted in the caps.
 * `orders` are EV_ORDER_UPDATE events of the open orders (the symbol is the
 * event's): those whose client id has the engine's format are adopted with
 * the role it encodes, entries expiring one order TTL after `now_ms`, TP, SL
 * and closing orders covering a tranche of their direction; the others are
 * never touched and are journaled once. Then every tranche is protected as
 * usual (a missing TP or SL is placed). Call after the trading rules are set;
 * a symbol without rules is protected when they arrive. */
void engine_adopt(engine_t *e, const struct position *pos, uint32_t npos, const ev_t *orders,
                  uint32_t norders, int64_t now_ms);

/* The stamp client ids carry (base 36 after the 'H'), instead of the first
 * exchange time seen: a live run gives its start on the wall clock, so that
 * a restart never makes the ids of the run before it, whatever its first
 * event. Call before the first event. */
void engine_set_id_stamp(engine_t *e, int64_t ms);

/* The role an order of the engine's has, read from its client id; 0 for
 * an id the engine does not make (someone else's order, never touched). */
order_role_t engine_id_role(const char *client_id);

/* New settings for a running engine (a live run reloading its file): the
 * same symbols and position mode, anything else may change and applies to
 * the decisions from now on; what is open stays as it is. NULL, or why
 * the settings cannot be taken (nothing changed then). */
const char *engine_apply_settings(engine_t *e, const struct settings *s);

/* Opens nothing new from now on: every signal is skipped with `reason`
 * (a static string, e.g. "stopping", "ip_banned"). Positions stay
 * protected and managed; NULL allows entries again. */
void engine_stop_entries(engine_t *e, const char *reason);

/* Closes every open tranche at market, in chunks within the exchange's
 * maximum, as a tranche left unprotected too long is closed: its take-profit
 * and stop-loss are cancelled and none is placed while it closes (what
 * `hunter live --close-all` asks). Entries are the caller's to stop. */
void engine_close_all(engine_t *e, const char *reason);

/* Time passes without an event: expires entries past their TTL and closes
 * tranches left unprotected too long. */
void engine_on_time(engine_t *e, int64_t now_ms);

/* The engine's next deadline (an entry's TTL, a protection timeout), which
 * engine_on_time should be given when it comes; INT64_MAX when none. */
int64_t engine_next_due(const engine_t *e);

/* What the engine holds, for a dashboard (view.c). */
struct engine_tranche {
	const char *symbol;
	bool is_long;
	uint32_t id;      /* its opening order among the symbol's tranches */
	dec_t qty, entry; /* entry: the average price of its fills */
	dec_t tp, sl;     /* the working take-profit and stop-loss prices; 0 none */
	dec_t mark;       /* the last mark price, else the last trade */
	bool protected_;  /* not waiting for its protection */
};
struct engine_order {
	const order_req *req;
	order_role_t role;
	dec_t filled;
	bool accepted;
};
typedef void (*engine_tranche_fn)(void *ctx, const struct engine_tranche *t);
typedef void (*engine_order_fn)(void *ctx, const struct engine_order *o);
void engine_each_tranche(const engine_t *e, engine_tranche_fn fn, void *ctx);
/* Its orders not yet ended (placed, working, partly filled). */
void engine_each_order(const engine_t *e, engine_order_fn fn, void *ctx);

/* Read-only view for reports and tests. */
struct engine_stats {
	uint64_t signals, fired, skipped;
	uint64_t orders, fills;
	dec_t margin_in_use; /* positions plus entries in flight */
};
void engine_stats(const engine_t *e, struct engine_stats *out);

#endif
