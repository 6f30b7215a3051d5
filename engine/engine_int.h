/*
 * engine_int.h - the engine's private state, shared by the files of the
 * engine module and by nothing else (other modules include engine.h).
 *
 * The engine is one `struct engine` holding a table of symbols (found by a
 * small hash), a pool of orders it has sent (found by client id through a
 * second hash) and, per symbol and direction, the tranches of the position.
 * Orders and tranches refer to each other by index, never by pointer, so the
 * pools may grow.
 *
 * Files: engine.c (lifecycle, event dispatch, time, journal), window.c
 * (liquidation windows), market.c (best prices), price.c (exact price and
 * size arithmetic), signal.c (trigger to entry), orders.c (order pool, ids, exchange answers), tranche.c (tranches),
 * protect.c (take-profit, stop-loss, closing), adopt.c (what a restarted
 * run finds open on the exchange), names.c (enum spellings).
 */
#ifndef HUNTER_ENGINE_INT_H
#define HUNTER_ENGINE_INT_H

#include "engine.h"

#define NONE (-1)
#define FOREIGN_SEEN_MAX 64 /* foreign fills remembered to tell a repeat */
#define TRANCHE_MAX 64 /* tranches per symbol and side, whatever the settings say */
#define CHUNK_MAX 8 /* orders of one leg, or of one close at market */

/* Directions of a position: index 0 is long, 1 is short, in both modes. */
enum { DIR_LONG = 0, DIR_SHORT = 1 };

/* ---- window.c: liquidations of one symbol and side over the window ---- */

struct liq_rec {
	int64_t t; /* trade time T */
	dec_t q, p, ap, z, size;
	side_t side;
	bool consumed; /* counted by a trigger already; kept only to spot duplicates */
};

struct liq_window {
	struct liq_rec *r; /* ring, ordered by t */
	uint32_t head, n, cap;
	dec_t sum; /* sizes of the records not yet consumed */
};

enum window_add_result { WIN_ADDED, WIN_DUPLICATE, WIN_STALE, WIN_NOMEM };
enum window_add_result eng_window_add(struct liq_window *w, const struct liq_rec *rec,
				      int64_t window_ms);
void eng_window_consume(struct liq_window *w);
void eng_window_free(struct liq_window *w);

/* ---- orders and tranches ---- */

struct eng_order {
	order_req req;     /* as sent; req.client_id is the key */
	uint32_t sym;
	order_role_t role;
	int dir;           /* DIR_LONG or DIR_SHORT */
	int tranche;       /* NONE until an entry's first fill picks one */
	bool used;         /* slot holds an order not yet terminal */
	bool accepted;     /* the exchange acknowledged it */
	bool cancel_sent;
	dec_t filled;
	dec_t ref_price;   /* price the margin is counted at (limit or reference) */
	dec_t margin;      /* entries: margin still held by the unfilled rest */
	int64_t deadline;  /* entries: when the TTL cancels it; 0 = none */
	int32_t next_free;
};

/* The orders that together do one thing for a tranche (take its profit,
 * stop its loss, close it at market): one order, or several when the
 * tranche is larger than the exchange's maximum for their type. */
struct chunks {
	int32_t idx[CHUNK_MAX];
	int n;
};

/* A protective order slot: the working orders and their replacement in
 * flight. `firing`: a chunk of its working stop orders has filled, so the
 * other chunks, on the same trigger, are filling too. */
struct leg {
	struct chunks live, pend;
	bool firing;
};

struct tranche {
	bool open;
	bool unprotected;
	bool was_protected;  /* its `protect` row is written (an adopted one may never be unprotected) */
	uint32_t seq;       /* opening order: the newest tranche has the highest */
	dec_t qty, cost;    /* cost = sum of qty * price of the fills it holds */
	dec_t margin;       /* cost / leverage, as counted in the caps */
	struct leg tp, sl;
	struct chunks close; /* market orders closing it; none while n is 0 */
	int64_t unprot_since;
};

struct side_book {
	struct tranche tr[TRANCHE_MAX];
	int ntr;            /* open tranches */
	uint32_t next_seq;
	int pending_entries;
};

enum book_src { SRC_NONE, SRC_TRADE, SRC_DEPTH, SRC_TICKER };

/* The best few levels of one side of a depth book, best first: enough to
 * know the next best price when the best level is removed. */
#define TOP_LEVELS 16
struct top {
	level_t lv[TOP_LEVELS];
	int n;
};

struct sym {
	struct symbol_settings cfg;
	struct symbol_rules rules;
	bool has_rules;
	enum book_src src;
	dec_t bid, ask, mark;
	int64_t quote_ms;         /* when bid and ask were last set */
	dec_t last_trade;         /* the last traded price, whatever the source */
	int64_t trade_ms;
	struct top bids, asks;    /* depth sources only */
	struct liq_window win[2]; /* by liquidated side: 0 = longs (SELL), 1 = shorts */
	int64_t cooldown_until[2];
	struct side_book pos[2];  /* by direction */
	dec_t margin;             /* positions plus entries in flight */
	int pending_entries;
};

struct engine {
	struct settings s; /* s.symbols is not kept */
	struct engine_io io;
	struct sym *syms;
	uint32_t nsyms;
	struct strmap symmap;
	struct sym_index bykey; /* event symbol keys -> index into syms */
	struct eng_order *orders;
	uint32_t norders, orders_cap;
	int32_t free_order;
	struct strmap ordmap;
	int64_t now;
	int64_t start_ms;   /* first time seen: makes client ids unique across runs */
	bool started;
	bool stamp_given;   /* start_ms came from engine_set_id_stamp */
	uint64_t next_id;
	int64_t next_due;   /* earliest TTL or protection deadline; INT64_MAX if none */
	dec_t margin;
	struct {
		int64_t day;      /* UTC day (days since the epoch) that `net` is of */
		dec_t net;        /* its fills' realized PnL less USDT fees */
		dec_t wallet;     /* USDT wallet balance last reported */
		bool wallet_known;
		const char *stopped; /* engine_stop_entries: why no entry opens */
	} risk;               /* risk.c: the kill switch */
	int64_t foreign_seen[FOREIGN_SEEN_MAX]; /* trade ids of recent foreign fills */
	uint32_t foreign_next;
	struct engine_stats st;
};

/* ---- engine.c ---- */
struct sym *eng_sym(struct engine *e, const char *name); /* NULL: not configured */
void eng_advance(struct engine *e, int64_t ms);
void eng_due(struct engine *e, int64_t deadline);
void eng_margin_set(struct engine *e, struct sym *s, dec_t *slot, dec_t v);
void eng_j_note(struct engine *e, const struct sym *s, const char *text);
void j_order(struct engine *e, const struct eng_order *o, j_order_state_t state, int code,
             const char *reason);
void j_tranche(struct engine *e, const struct sym *s, int dir, int id,
               j_tranche_action_t action, int merged_from);
pos_side_t eng_pos_side(const struct engine *e, int dir);
dec_t eng_margin(const struct sym *s, dec_t qty, dec_t price); /* notional / leverage */

/* ---- market.c ---- */
void eng_market_on_event(struct engine *e, struct sym *s, const ev_t *ev);

/* ---- price.c ---- */
dec_t eng_price_shift(dec_t p, dec_t pct, int dir, dec_t tick);
dec_t eng_pct_change(dec_t from, dec_t to);
dec_t eng_qty_for_value(dec_t value, dec_t price, dec_t step);
dec_t eng_qty_for_notional(dec_t notional, dec_t price, dec_t step);
dec_t eng_notional_of(dec_t qty, dec_t price);

/* What the exchange allows as the quantity of one order of a type: its
 * step, minimum and maximum (0: none known). */
struct lot {
	dec_t step, min, max;
};
struct lot eng_lot(const struct symbol_rules *r, order_type_t type);
int eng_split(dec_t qty, struct lot lot, dec_t *out, int cap);

/* ---- risk.c ---- */
void eng_risk_on_fill(struct engine *e, const struct ev_order *u);
void eng_risk_on_account(struct engine *e, const struct ev_account *a);
const char *eng_risk_check(struct engine *e, dec_t entry_margin); /* NULL or why not */

/* ---- signal.c ---- */
void eng_signal_on_liquidation(struct engine *e, struct sym *s, const ev_t *ev);

/* ---- orders.c ---- */
int32_t eng_order_create(struct engine *e, struct sym *s, const order_req *req, order_role_t role,
			 int dir, int tranche);
void eng_order_submit(struct engine *e, int32_t idx, const char *reason);
int32_t eng_order_send(struct engine *e, struct sym *s, const order_req *req, order_role_t role,
		       int dir, int tranche, const char *reason);
void eng_order_cancel(struct engine *e, int32_t idx, const char *reason);
void eng_orders_on_update(struct engine *e, const ev_t *ev);
bool eng_orders_on_reject(struct engine *e, const char *client_id, int code, const char *msg);
void eng_orders_sweep(struct engine *e);
void eng_orders_retarget(struct engine *e, uint32_t sym, int dir, int from, int to);
int32_t eng_order_adopt(struct engine *e, struct sym *s, const struct ev_order *u,
			order_role_t role, int dir);

/* ---- tranche.c ---- */
void eng_tranche_pick(struct engine *e, struct eng_order *o, dec_t price, bool *opened);
void eng_tranche_grow(struct engine *e, struct sym *s, int dir, int id, dec_t qty, dec_t price,
		      bool opened);
void eng_tranche_on_close_fill(struct engine *e, struct sym *s, int dir, int id, dec_t qty);
void eng_tranche_on_mark(struct engine *e, struct sym *s);
int eng_tranche_adopt(struct engine *e, struct sym *s, int dir, dec_t qty, dec_t price);
dec_t eng_tranche_avg(const struct tranche *t);
void eng_tranche_targets(const struct sym *s, int dir, const struct tranche *t, dec_t *tp,
			 dec_t *sl);

/* ---- protect.c ---- */
void eng_protect_sync(struct engine *e, struct sym *s, int dir, int id);
void eng_protect_drop(struct engine *e, struct sym *s, int dir, int id, const char *reason);
void eng_protect_on_accepted(struct engine *e, int32_t idx);
void eng_protect_on_gone(struct engine *e, int32_t idx, int code);
void eng_protect_on_fill(struct engine *e, int32_t idx, bool done);
void eng_protect_close(struct engine *e, struct sym *s, int dir, int id, const char *reason);
void eng_protect_sweep(struct engine *e);
void eng_protect_adopt(struct engine *e, int32_t idx);
void eng_protect_all(struct engine *e, struct sym *s);

#endif
