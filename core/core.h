/*
 * core.h - the vocabulary every hunter module shares: exact decimals, the
 * exchange's enumerations, typed market and account events, and order
 * requests.
 *
 * Everything here depends on the C library alone, so the engine (which must
 * stay free of I/O and third-party code) can include it. Data flows through
 * the program as `struct ev` values: a source (live stream, recording,
 * importer, synthesizer) fills them, the engine and the simulated exchange
 * consume them, the recording writer stores them.
 */
#ifndef HUNTER_CORE_H
#define HUNTER_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUNTER_VERSION "0.1.0"

/* ------------------------------------------------------------------------ */
/* Exact decimals                                                            */
/* ------------------------------------------------------------------------ */

/*
 * A decimal is a signed fixed-point integer in units of 1e-8, the precision
 * Binance-style exchanges use for every price, quantity and balance. The
 * range is about +/-92 billion, enough for any price, quantity or USDT
 * notional hunter handles; arithmetic that would leave it reports overflow
 * instead of wrapping.
 */
typedef int64_t dec_t;

#define DEC_SCALE 100000000LL
#define DEC_DIGITS 8
#define DEC_MAX INT64_MAX
#define DEC_MIN (-INT64_MAX)
#define DEC_ONE DEC_SCALE
#define DEC_FMT_MAX 32 /* buffer size that always fits dec_format() */

/* Whole units to a decimal, for constants in code and tests: DEC(5) == 5.0 */
#define DEC(n) ((dec_t)(n) * DEC_SCALE)

/*
 * Parses an exchange decimal string ("0.00012300", "-5", "61234.5") of `n`
 * bytes. Strict: optional '-', digits, optional '.' and digits; no exponent,
 * no '+', no spaces, no empty parts (".5" and "5." are errors), at most 8
 * significant fractional digits (trailing zeros beyond 8 are accepted).
 * Returns 0, or -1 with a static reason in *why (which may be NULL).
 */
int dec_parse(const char *s, size_t n, dec_t *out, const char **why);

/* Shortest exact text ("0.000123", "5", "-1.5"); returns the length. */
size_t dec_format(dec_t v, char buf[DEC_FMT_MAX]);

/* Text with exactly `decimals` fractional digits (0..8), e.g. for a tick of
 * 0.10 and a price of 61234.5: "61234.5" with decimals 1. The value must be
 * a multiple of 10^-decimals; returns the length, or 0 if it is not. */
size_t dec_format_fixed(dec_t v, int decimals, char buf[DEC_FMT_MAX]);

/* Number of fractional digits a step needs: 0.001 -> 3, 0.5 -> 1, 10 -> 0. */
int dec_decimals(dec_t step);

/* Rounding to a multiple of a positive step. Down and up are toward -inf and
 * +inf; `away` rounds away from `ref` (up when v >= ref, else down), which is
 * how entry, take-profit and stop-loss prices move away from the market. */
dec_t dec_round_down(dec_t v, dec_t step);
dec_t dec_round_up(dec_t v, dec_t step);
dec_t dec_round_away(dec_t v, dec_t step, dec_t ref);

/* a*b and a/b with 128-bit intermediates, truncated toward zero. Return 0, or
 * -1 on overflow or division by zero (then *out is untouched). */
int dec_mul(dec_t a, dec_t b, dec_t *out);
int dec_div(dec_t a, dec_t b, dec_t *out);
/* a*b/c in one step (notional / leverage, pro-rata shares), toward zero. */
int dec_muldiv(dec_t a, dec_t b, dec_t c, dec_t *out);

/* For statistics and charts only; never for anything sent to an exchange. */
double dec_to_double(dec_t v);

/* ------------------------------------------------------------------------ */
/* Exchange enumerations (Binance/Aster spelling in comments)                */
/* ------------------------------------------------------------------------ */

/* Every enum starts at 1 so that 0 means "absent" in events and requests. */
typedef enum { SIDE_BUY = 1, SIDE_SELL } side_t;
typedef enum { PS_BOTH = 1, PS_LONG, PS_SHORT } pos_side_t;
typedef enum {
	OT_LIMIT = 1, OT_MARKET, OT_STOP, OT_STOP_MARKET, OT_TAKE_PROFIT,
	OT_TAKE_PROFIT_MARKET, OT_TRAILING_STOP_MARKET, OT_LIQUIDATION
} order_type_t;
typedef enum { TIF_GTC = 1, TIF_IOC, TIF_FOK, TIF_GTX, TIF_HIDDEN, TIF_RPI, TIF_GTD } tif_t;
typedef enum { WT_CONTRACT_PRICE = 1, WT_MARK_PRICE } working_type_t;
typedef enum {
	OS_NEW = 1, OS_PARTIALLY_FILLED, OS_FILLED, OS_CANCELED, OS_EXPIRED,
	OS_NEW_INSURANCE, OS_NEW_ADL, OS_REJECTED
} order_status_t;
typedef enum {
	EXEC_NEW = 1, EXEC_CANCELED, EXEC_CALCULATED, EXEC_EXPIRED, EXEC_TRADE,
	EXEC_AMENDMENT
} exec_type_t;
typedef enum { MARGIN_CROSSED = 1, MARGIN_ISOLATED } margin_type_t;

/* Text <-> enum. to_str returns "" for 0/unknown values; from_str returns 0
 * for an unknown spelling. Spellings are the exchange's (upper case, except
 * margin types, where "cross"/"isolated" are also accepted). */
const char *side_str(int v);
int side_from(const char *s, size_t n);
const char *pos_side_str(int v);
int pos_side_from(const char *s, size_t n);
const char *order_type_str(int v);
int order_type_from(const char *s, size_t n);
const char *tif_str(int v);
int tif_from(const char *s, size_t n);
const char *working_type_str(int v);
int working_type_from(const char *s, size_t n);
const char *order_status_str(int v);
int order_status_from(const char *s, size_t n);
const char *exec_type_str(int v);
int exec_type_from(const char *s, size_t n);
const char *margin_type_str(int v);
int margin_type_from(const char *s, size_t n);

/* ------------------------------------------------------------------------ */
/* Events                                                                    */
/* ------------------------------------------------------------------------ */

#define SYMBOL_MAX 24    /* "1000000MOGUSDT" and friends, NUL included */
#define CLIENT_ID_MAX 40 /* exchange allows 36 characters */
#define ASSET_MAX 12

typedef enum {
	EV_NONE = 0,
	EV_LIQUIDATION,    /* forceOrder */
	EV_AGG_TRADE,      /* aggTrade */
	EV_TRADE,          /* trade */
	EV_BOOK_TICKER,    /* bookTicker */
	EV_DEPTH_UPDATE,   /* depthUpdate (diff or partial book) */
	EV_DEPTH_SNAPSHOT, /* REST /fapi/v1/depth */
	EV_MARK_PRICE,     /* markPriceUpdate */
	EV_ORDER_UPDATE,   /* ORDER_TRADE_UPDATE */
	EV_ACCOUNT_UPDATE, /* ACCOUNT_UPDATE */
	EV_EXCHANGE_INFO,  /* REST /fapi/v1/exchangeInfo */
	EV_GAP,            /* the source lost data or reconnected */
	EV__COUNT
} ev_type_t;

/* Lowercase stable name ("liquidation", "agg_trade", ...), "" if unknown. */
const char *ev_type_name(int type);
int ev_type_from_name(const char *s);

typedef struct level {
	dec_t price;
	dec_t qty;
} level_t;

struct ev_liquidation {
	side_t side;           /* S: SELL = a long was liquidated */
	order_type_t type;     /* o */
	tif_t tif;             /* f */
	order_status_t status; /* X */
	dec_t qty;             /* q */
	dec_t price;           /* p */
	dec_t avg_price;       /* ap */
	dec_t last_qty;        /* l */
	dec_t filled_qty;      /* z */
	int64_t trade_ms;      /* T */
};

/* aggTrade and trade share a shape; a trade has id = t and no first/last. */
struct ev_trade {
	int64_t id;       /* a (agg) or t (trade) */
	int64_t first_id; /* f, agg only */
	int64_t last_id;  /* l, agg only */
	dec_t price;      /* p */
	dec_t qty;        /* q */
	int64_t trade_ms; /* T */
	bool buyer_maker; /* m: true means the taker sold */
};

struct ev_book_ticker {
	int64_t update_id; /* u */
	int64_t tx_ms;     /* T */
	dec_t bid, bid_qty, ask, ask_qty;
};

/* Depth update and snapshot. Levels are absolute quantities; 0 removes. For a
 * snapshot, last_id is lastUpdateId and first_id/prev_id are 0. The arrays
 * belong to whoever produced the event and live until its next event. */
struct ev_depth {
	int64_t tx_ms;    /* T */
	int64_t first_id; /* U */
	int64_t last_id;  /* u */
	int64_t prev_id;  /* pu */
	uint32_t nbids, nasks;
	const level_t *bids;
	const level_t *asks;
};

struct ev_mark_price {
	dec_t mark;              /* p */
	dec_t index;             /* i */
	dec_t settle;            /* P */
	dec_t funding_rate;      /* r */
	int64_t next_funding_ms; /* T */
};

/* ORDER_TRADE_UPDATE. Optional exchange fields absent from the frame are 0
 * (and has_commission tells whether N/n were present). */
struct ev_order {
	char client_id[CLIENT_ID_MAX]; /* c */
	side_t side;                   /* S */
	order_type_t type;             /* o */
	order_type_t orig_type;        /* ot */
	tif_t tif;                     /* f */
	exec_type_t exec;              /* x */
	order_status_t status;         /* X */
	working_type_t working_type;   /* wt */
	pos_side_t pos_side;           /* ps */
	int64_t order_id;              /* i */
	int64_t trade_id;              /* t */
	int64_t trade_ms;              /* T (inside o) */
	int64_t tx_ms;                 /* T (top level) */
	dec_t qty;                     /* q */
	dec_t price;                   /* p */
	dec_t avg_price;               /* ap */
	dec_t stop_price;              /* sp */
	dec_t last_qty;                /* l */
	dec_t filled_qty;              /* z */
	dec_t last_price;              /* L */
	dec_t commission;              /* n */
	dec_t bids_notional;           /* b */
	dec_t asks_notional;           /* a */
	dec_t realized_pnl;            /* rp */
	dec_t activation_price;        /* AP, trailing only */
	dec_t callback_rate;           /* cr, trailing only */
	char commission_asset[ASSET_MAX]; /* N */
	bool has_commission;
	bool maker;          /* m */
	bool reduce_only;    /* R */
	bool close_position; /* cp */
};

struct balance {
	char asset[ASSET_MAX]; /* a */
	dec_t wallet;          /* wb */
	dec_t cross_wallet;    /* cw */
	dec_t change;          /* bc */
};

struct position {
	char symbol[SYMBOL_MAX]; /* s */
	dec_t amount;            /* pa, signed */
	dec_t entry_price;       /* ep */
	dec_t realized;          /* cr */
	dec_t unrealized;        /* up */
	margin_type_t margin;    /* mt */
	dec_t isolated_wallet;   /* iw */
	pos_side_t pos_side;     /* ps */
};

/* ACCOUNT_UPDATE. Arrays as for depth: owned by the producer. */
struct ev_account {
	char reason[24]; /* m: ORDER, FUNDING_FEE, ... */
	int64_t tx_ms;   /* T */
	uint32_t nbalances, npositions;
	const struct balance *balances;
	const struct position *positions;
};

/* One symbol of an exchangeInfo snapshot: the trading rules hunter uses. */
struct symbol_rules {
	char symbol[SYMBOL_MAX];
	bool trading;          /* status == TRADING */
	dec_t tick;            /* PRICE_FILTER tickSize */
	dec_t min_price, max_price;
	dec_t step;            /* LOT_SIZE stepSize */
	dec_t min_qty, max_qty;
	dec_t market_step;     /* MARKET_LOT_SIZE */
	dec_t market_min_qty, market_max_qty;
	dec_t min_notional;    /* MIN_NOTIONAL notional */
	int32_t max_orders;    /* MAX_NUM_ORDERS limit */
	int32_t max_algo_orders;
	dec_t percent_up;      /* PERCENT_PRICE multiplierUp */
	dec_t percent_down;    /* multiplierDown */
	dec_t maint_margin_pct;    /* maintMarginPercent */
	dec_t required_margin_pct; /* requiredMarginPercent */
	dec_t liquidation_fee;     /* liquidationFee */
	dec_t trigger_protect;     /* triggerProtect */
	dec_t market_take_bound;   /* marketTakeBound */
	int32_t price_precision, qty_precision;
};

struct ev_exchange_info {
	int64_t server_ms;
	uint32_t nsymbols;
	const struct symbol_rules *symbols;
};

/* Why a source has a hole. */
typedef enum {
	GAP_DISCONNECT = 1, /* the connection dropped; `from_ms` is the last event */
	GAP_SEQUENCE,       /* depth update ids skipped (pu != previous u) */
	GAP_RESTART,        /* a recorder started; nothing is known before */
	GAP_IMPORT          /* the imported capture had a hole */
} gap_kind_t;

const char *gap_kind_str(int v);
int gap_kind_from(const char *s, size_t n);

struct ev_gap {
	gap_kind_t kind;
	int64_t from_ms;  /* last exchange time known before the hole, 0 if none */
	char reason[64];  /* short human text */
};

/*
 * One event. `symbol` is empty for events that concern no single symbol
 * (exchange info, account update, a gap across the whole stream).
 * `exch_ms` is the exchange event time E (for REST snapshots, their E or the
 * server time); `recv_ns` the local receive time in ns since the epoch, 0
 * when unknown. `raw` optionally points at the frame text it came from.
 */
typedef struct ev {
	ev_type_t type;
	char symbol[SYMBOL_MAX];
	int64_t exch_ms;
	int64_t recv_ns;
	const char *raw;
	uint32_t raw_len;
	uint32_t sym_key; /* symkey_of(symbol) where the event was decoded; 0 = not given */
	union {
		struct ev_liquidation liq;
		struct ev_trade trade;
		struct ev_book_ticker book;
		struct ev_depth depth;
		struct ev_mark_price mark;
		struct ev_order order;
		struct ev_account account;
		struct ev_exchange_info info;
		struct ev_gap gap;
	} u;
} ev_t;

/*
 * Symbol keys: a small number per symbol name, the same in every thread
 * for the life of the process (0 for "" and past a bound). A decoder stamps
 * it on the event so that consumers find their per-symbol state through a
 * sym_index, an array indexed by key, instead of hashing the name again.
 */
uint32_t symkey_of(const char *name);

/* A decoder's memory of the keys it gave, so that the common case (a name
 * seen before) takes neither the process-wide table's lock nor its hash. */
#define SYMKEY_CACHE 64
struct symkey_cache {
	struct {
		char name[SYMBOL_MAX];
		uint32_t key;
	} e[SYMKEY_CACHE];
};
/* symkey_of(name), remembered in `c`. */
uint32_t symkey_cached(struct symkey_cache *c, const char *name);

#define SYM_INDEX_UNKNOWN (-2) /* the key was never recorded: look the name up */
struct sym_index {
	int64_t *slot;
	size_t cap;
};
/* The consumer's index recorded for `key` (-1 for "no such symbol"), or
 * SYM_INDEX_UNKNOWN. */
static inline int64_t sym_index_get(const struct sym_index *x, uint32_t key)
{
	/* a slot holds index + 2: 0, a new slot, is "never recorded" */
	return key && key < x->cap && x->slot[key] ? x->slot[key] - 2 : SYM_INDEX_UNKNOWN;
}
void sym_index_set(struct sym_index *x, uint32_t key, int64_t idx);
void sym_index_free(struct sym_index *x);

/* A consumer of events; returns 0 to go on, non-zero to stop the producer. */
typedef int (*ev_sink_fn)(void *ctx, const ev_t *ev);

/* ------------------------------------------------------------------------ */
/* Tables                                                                    */
/* ------------------------------------------------------------------------ */

/* A NUL-terminated string -> uint32 index table. It stores hashes and
 * indexes only: the key of index i is read back through `key`, from the
 * caller's own array, which may therefore move. */
typedef const char *(*strmap_key_fn)(const void *ctx, uint32_t idx);

struct strmap {
	struct strmap_slot {
		uint32_t hash, idx1; /* idx1 = index + 1, 0 = empty */
		uint64_t prefix;     /* the key's first 8 bytes */
	} *slots;
	uint32_t cap, count;
	strmap_key_fn key;
	const void *ctx;
};

int strmap_init(struct strmap *m, strmap_key_fn key, const void *ctx); /* 0, -1 no memory */
void strmap_free(struct strmap *m);
int64_t strmap_get(const struct strmap *m, const char *s); /* -1 when absent */
int strmap_put(struct strmap *m, const char *s, uint32_t idx); /* 0, -1 no memory */
void strmap_del(struct strmap *m, const char *s);

/* Makes room for `need` elements of `size` bytes in the array `v` of
 * capacity *cap, doubling it (from 16): the array, moved or not, or NULL
 * when out of memory (then `v` is untouched). */
void *grow_array(void *v, size_t *cap, size_t need, size_t size);

/* Lower-case hex of `n` bytes into out[2n + 1], NUL-terminated. */
void hex_encode(const void *bytes, size_t n, char *out);

/* Copies `src` into *dst with symbol set; NUL-terminates, truncates safely.
 * Returns 0, or -1 if it did not fit. */
int copy_str(char *dst, size_t cap, const char *src, size_t n);

/* ------------------------------------------------------------------------ */
/* Times                                                                     */
/* ------------------------------------------------------------------------ */

#define UTC_FMT_MAX 40
#define UTC_LAST_MS (INT64_MAX / 1000000 - 1000) /* 2262-04-11, the ns limit */

/* Milliseconds since the epoch ("1737996947000") or UTC ISO 8601
 * ("2025-01-27", "2025-01-27T16:55", "2025-01-27 16:55:47.250Z"). Returns 0,
 * or -1 for anything else or a time outside 1970-01-01 .. 2262-04-11. */
int utc_parse(const char *text, int64_t *ms);
/* "2025-01-27T16:55:47.250Z" */
void utc_format(int64_t ms, char buf[UTC_FMT_MAX]);

/* ------------------------------------------------------------------------ */
/* Orders                                                                    */
/* ------------------------------------------------------------------------ */

/* What the engine asks an exchange to do. Prices and quantities are exact
 * decimals already on the symbol's tick and step; 0 means "not sent". */
typedef struct order_req {
	char symbol[SYMBOL_MAX];
	char client_id[CLIENT_ID_MAX];
	side_t side;
	pos_side_t pos_side;
	order_type_t type;
	tif_t tif;                   /* LIMIT only */
	working_type_t working_type; /* conditional orders only */
	dec_t price;
	dec_t qty;
	dec_t stop_price;
	bool reduce_only;
	bool close_position;
	bool price_protect;
} order_req;

#endif
