/*
 * exchange_sim_int.h - private to the simulated exchange: the state of a simulation
 * and the functions its files share. Other modules include exchange.h only.
 *
 * The pieces:
 *   sim.c      lifecycle, symbol table, the public entry points
 *   jobs.c     the time-ordered queue of everything that happens later
 *              (intents reaching the matching engine, events reaching the user)
 *   book.c     each symbol's copy of the order book and the queue hooks
 *   filters.c  the checks an order passes at entry, with Aster's codes
 *   matching.c arrival, taker fills, resting fills, stop triggers
 *   account.c  positions, fees, funding, own liquidation
 *   events.c   the user-stream events the user receives
 *   saved.c    the account restored when a simulate run starts again
 */
#ifndef HUNTER_EXCHANGE_SIM_INT_H
#define HUNTER_EXCHANGE_SIM_INT_H

#include "exchange_sim.h"

#define SIM_ASSET "USDT"
#define SIM_DEFAULT_LEVERAGE 20
#define SIM_MAX_LEVERAGE 125
#define REJECT_MSG_MAX 112

/* Book sides, indexed by the side of the orders resting there. */
enum { BIDS = 0, ASKS = 1 };

static inline int side_book(side_t side) { return side == SIDE_BUY ? BIDS : ASKS; }
static inline side_t side_opposite(side_t side) { return side == SIDE_BUY ? SIDE_SELL : SIDE_BUY; }

static inline bool type_conditional(order_type_t t)
{
	return t == OT_STOP || t == OT_STOP_MARKET || t == OT_TAKE_PROFIT ||
	       t == OT_TAKE_PROFIT_MARKET;
}

/* True when price a is better than b for orders resting on `book` side. */
static inline bool price_better(int book, dec_t a, dec_t b) { return book == BIDS ? a > b : a < b; }

/* Products and quotients of money. The operands are prices, quantities and
 * notionals far inside dec_t's range; a result outside it saturates rather
 * than wraps, so a nonsensical input cannot turn a loss into a profit. */
dec_t sim_dmul(dec_t a, dec_t b);
dec_t sim_dmuldiv(dec_t a, dec_t b, dec_t c);
static inline dec_t dabs(dec_t v) { return v < 0 ? -v : v; }
static inline dec_t dmin(dec_t a, dec_t b) { return a < b ? a : b; }

/* Levels are stored worst first and best last, so the top of the book is the
 * last element and the frequent changes near it move little memory. */
struct book_side {
	level_t *lv;
	uint32_t n, cap;
};

/* Where our own taker fills left off on one side, beyond what the data
 * showed: `left` at `price`, then slices of `slice`. It stands until new
 * data (a book update, a trade) shows the side again, so that two orders
 * do not both take the same liquidity. price 0 = none. */
struct frontier {
	dec_t price, left, slice;
	dec_t *mode_qty; /* the stats counter of the book it continues */
	int64_t at;      /* when that book or trade arrived */
};

struct book {
	struct book_side side[2];
	struct frontier beyond[2];
	int64_t at;      /* when the last ticker or depth event was applied */
	int64_t tx;      /* and its transaction time (T) */
	int64_t last_id; /* u of the last depth event applied */
	bool synced;     /* a snapshot is applied and no update id was skipped */
	bool bridged;    /* a diff after the snapshot was applied */
};

/* A position of one symbol and position side. */
struct pos {
	dec_t amount;   /* signed; negative is short */
	dec_t cost;     /* signed sum of entry price x quantity, exact */
	dec_t margin;   /* isolated margin: opening notional / leverage */
	dec_t realized; /* cumulative realized PnL before fees */
};

struct order {
	order_req req;
	order_type_t type;     /* what it is now: STOP_MARKET becomes MARKET on trigger */
	int64_t id;
	dec_t filled;
	dec_t filled_cost;     /* sum of price x qty of its fills, for the average */
	dec_t queue_ahead;     /* quantity ahead at its price, when known */
	dec_t traded_at_level; /* trades at its price since the level last changed */
	/* A shrink of its level not explained by the trades seen so far: taken
	 * as cancels at once, but a trade made no later than the update that
	 * showed it and reported within shrink_match_ms is matched against it,
	 * since the book often shows a trade before the trade stream does. */
	dec_t unexplained;      /* size of the shrink still unmatched */
	dec_t unexplained_cut;  /* what it took off queue_ahead */
	int64_t unexplained_at; /* when the shrink was seen */
	int64_t unexplained_tx; /* transaction time of the update that showed it */
	bool queue_known;
	bool done;             /* terminal; dropped at the next compaction */
};

struct sym {
	char name[SYMBOL_MAX];
	struct symbol_rules rules;
	bool has_rules;
	int leverage;
	struct book book;
	dec_t last_price;       /* last trade; 0 before the first */
	dec_t last_qty;         /* its size: the liquidity seen at that price */
	side_t last_taker;      /* aggressor side of that trade */
	int64_t last_at;        /* when it arrived, by the simulation clock */
	dec_t mark;             /* 0 before the first mark price */
	int64_t mark_at;        /* when it arrived */
	dec_t funding_rate;
	int64_t funding_at;     /* next funding time announced by the mark price */
	int64_t funding_queued; /* the latest funding time put in the job queue */
	struct order *orders;   /* resting and untriggered, in arrival order */
	uint32_t norders;
	size_t cap;
	struct pos pos[PS_SHORT + 1]; /* indexed by pos_side_t */
	struct sim_symbol_stats stats; /* what sim_symbol_stats reports */
};

/* A traded price, as the matching engine learns of it. */
struct print {
	dec_t price;
	dec_t qty;     /* what it offers our resting orders (0 for a liquidation,
	                * whose volume the trades report) */
	dec_t seen;    /* the size that traded there: sizes the trades-only book */
	side_t taker;  /* aggressor side */
	int64_t tx_ms; /* transaction time (T), to order it against book updates */
};

/* One execution of an order, as its ORDER_TRADE_UPDATE reports it. */
struct fill {
	dec_t qty, price;
	dec_t fee; /* commission, in USDT */
	dec_t rp;  /* realized PnL of the part that closed a position */
	int64_t trade_id;
	bool maker;
};

enum job_kind { JOB_PLACE = 1, JOB_CANCEL, JOB_REPLACE, JOB_EVENT, JOB_REJECT, JOB_FUNDING };

/* Something due at `at`. An ACCOUNT_UPDATE's arrays travel inside the job,
 * because the event is delivered after the code that made it has returned. */
struct job {
	int64_t at;
	uint64_t seq; /* jobs due at the same ms run in the order they were made */
	enum job_kind kind;
	char symbol[SYMBOL_MAX];
	char client_id[CLIENT_ID_MAX]; /* cancel target, replaced or rejected order */
	order_req req;                 /* place, replace */
	ev_t ev;                       /* event */
	struct balance bal;
	struct position position;
	int code;                      /* reject */
	char msg[REJECT_MSG_MAX];
};

struct job_queue {
	struct job *heap;
	uint32_t n;
	size_t cap;
	uint64_t seq;
};

struct sim {
	struct sim_params p;
	struct exchange_sink cb;
	int64_t now;
	int64_t next_order_id, next_trade_id;
	struct sym **syms;     /* by creation order, for deterministic sweeps */
	uint32_t nsyms;
	size_t capsyms;
	struct strmap symmap;  /* name -> index into syms */
	struct sym_index bykey; /* event symbol keys -> index into syms */
	struct job_queue jobs;
	/* account */
	dec_t wallet, fees_paid, funding_paid;
	/* sim_open_state's answer */
	struct position *open_pos;
	ev_t *open_ord;
	size_t open_pos_cap, open_ord_cap;
};

/* Whether data stamped `at` may still price an order (max_quote_age_ms). */
static inline bool sim_fresh(const sim_t *s, int64_t at)
{
	return !s->p.max_quote_age_ms || s->now - at <= s->p.max_quote_age_ms;
}

/* A mark or last trade too old to be watched gives way to the other. */
static inline bool sym_mark_fresh(const sim_t *s, const struct sym *y)
{
	return y->mark && sim_fresh(s, y->mark_at);
}

static inline bool sym_last_fresh(const sim_t *s, const struct sym *y)
{
	return y->last_price && sim_fresh(s, y->last_at);
}

/* sim.c: the symbol of that name, made if new */
struct sym *sim_sym_get(sim_t *s, const char *name);

/* jobs.c */
void sim_job_push(struct job_queue *q, const struct job *j);
void sim_job_pop(struct job_queue *q, struct job *out);
void sim_jobs_free(struct job_queue *q);

/* Asked twice per market event: inline. */
static inline bool sim_job_due(const struct job_queue *q, int64_t now)
{
	return q->n > 0 && q->heap[0].at <= now;
}

/* book.c */
void sim_book_free(struct book *b);
void sim_book_on_ticker(sim_t *s, struct sym *y, const struct ev_book_ticker *t);
void sim_book_on_depth(sim_t *s, struct sym *y, const struct ev_depth *d, bool snapshot);
void sim_book_mark_stale(struct sym *y);
const level_t *sim_book_best(const struct sym *y, int book);
const level_t *sim_book_level(const struct sym *y, int book, dec_t price);
bool sim_book_covers(const struct sym *y, int book, dec_t price);
void sim_book_consume(struct sym *y, int book, dec_t price, dec_t qty);

/* filters.c: 0, or an Aster error code with its message in msg */
int sim_filter_order(const sim_t *s, const struct sym *y, const order_req *o,
		     char msg[REJECT_MSG_MAX]);
bool sim_stop_triggered(const struct order *o, dec_t price);
/* The lot step an order's quantity is counted in (MARKET_LOT_SIZE for
 * MARKET orders); 0 when the rules give none. */
dec_t sim_lot_step(const struct symbol_rules *r, order_type_t type);

/* matching.c */
void sim_match_arrive(sim_t *s, struct sym *y, const order_req *o);
void sim_match_cancel(sim_t *s, struct sym *y, const char *symbol, const char *client_id);
void sim_match_replace(sim_t *s, struct sym *y, const char *old_id, const order_req *o);
void sim_match_trade(sim_t *s, struct sym *y, const struct print *p);
void sim_match_book_changed(sim_t *s, struct sym *y);
void sim_match_mark(sim_t *s, struct sym *y);
void sim_match_level_changed(const sim_t *s, struct sym *y, int book, dec_t price, dec_t before,
			     dec_t after);
void sim_order_finish(sim_t *s, struct sym *y, struct order *o, exec_type_t exec,
		      order_status_t status);
void sim_orders_compact(struct sym *y);
/* A new order slot at the end of the symbol's orders, zeroed. */
struct order *sim_order_push(struct sym *y);

/* account.c */
bool sim_order_closes_only(const sim_t *s, const order_req *o);
struct pos *sim_pos_for(sim_t *s, struct sym *y, const order_req *o);
dec_t sim_pos_closable(const sim_t *s, const struct sym *y, const order_req *o);
dec_t sim_pos_apply(struct sym *y, struct pos *p, side_t side, dec_t qty, dec_t price);
dec_t sim_margin_available(const sim_t *s);
dec_t sim_sym_mark(const struct sym *y);
dec_t sim_pos_unrealized(const struct sym *y, const struct pos *p);
dec_t sim_pos_entry(const struct pos *p);
void sim_account_funding(sim_t *s, struct sym *y);
void sim_account_check_liquidation(sim_t *s, struct sym *y);

/* events.c: each is delivered to the user ack_latency_ms after now */
void sim_emit_order(sim_t *s, const struct sym *y, const struct order *o, exec_type_t exec,
		    order_status_t status, const struct fill *f);
void sim_emit_account(sim_t *s, const struct sym *y, const char *reason, pos_side_t ps,
		      dec_t change);
void sim_emit_reject(sim_t *s, const char *symbol, const char *client_id, int code,
		     const char *msg);

#endif
