/*
 * serve_int.h - the parts of `hunter serve` and how they meet: text
 * buffers (text.c), stream names and subscriptions (streams.c), the
 * client's control messages (control.c), query strings (query.c), the
 * market state REST answers from (market.c, klines.c), the REST endpoints
 * (rest.c), replay pacing (clock.c), faults (faults.c), the recordings
 * (feed.c) and per-connection send queues (queue.c). The trading side
 * (accounts, authentication, signed endpoints) is in trading_int.h.
 * server.c, conn.c and http.c tie them to libwebsockets (server_int.h).
 *
 * Only queue.c of these needs libwebsockets (for LWS_PRE), so the parsers
 * of client input can be fuzzed on their own.
 */
#ifndef HUNTER_SERVE_INT_H
#define HUNTER_SERVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "replay.h"
#include "serve.h"

/* ------------------------------------------------------------------ */
/* Growable text (text.c)                                              */
/* ------------------------------------------------------------------ */

/* A NUL-terminated string that grows; after an allocation failure `oom`
 * is set and further writes are ignored, so callers check once at the end. */
struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

void serve_text_put(struct text *t, const char *s, size_t n);
void serve_text_puts(struct text *t, const char *s);
void serve_text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void serve_text_json_string(struct text *t, const char *s, size_t n); /* quoted, escaped */
void serve_text_dec(struct text *t, dec_t v);                         /* as "1.5" */
void serve_text_number(struct text *t, dec_t v); /* as 1.5: where Aster sends a JSON number */
void serve_text_event(struct text *t, const ev_t *ev);                /* aster_format */
void serve_text_clear(struct text *t);                                /* len 0, keeps memory */
void serve_text_free(struct text *t);

/* ------------------------------------------------------------------ */
/* Stream names and subscriptions (streams.c)                          */
/* ------------------------------------------------------------------ */

#define SERVE_STREAMS_MAX 200    /* streams per connection, as on Aster */
#define SERVE_STREAM_NAME_MAX 48 /* bytes of a name, NUL included */

enum stream_kind {
	SK_AGG_TRADE = 1,   /* <sym>@aggTrade */
	SK_TRADE,           /* <sym>@trade */
	SK_BOOK_TICKER,     /* <sym>@bookTicker, !bookTicker */
	SK_DEPTH,           /* <sym>@depth, @depth@100ms, @depth@500ms */
	SK_MARK_PRICE,      /* <sym>@markPrice, @markPrice@1s */
	SK_FORCE_ORDER,     /* <sym>@forceOrder, !forceOrder@arr */
};

struct stream {
	enum stream_kind kind;
	char symbol[SYMBOL_MAX]; /* upper case; "" for an all-market stream */
	char name[SERVE_STREAM_NAME_MAX];
};

struct subs {
	size_t n;
	struct stream s[SERVE_STREAMS_MAX];
};

/* Whether a symbol is listed; NULL accepts any symbol. */
struct market;

/* Parses one stream name of `n` bytes. Returns 0, or -1 with a message in
 * err[SERVE_ERR_MAX] naming the stream. */
#define SERVE_ERR_MAX 160
int serve_stream_parse(const struct market *m, const char *name, size_t n, struct stream *out,
                       char *err);
bool serve_stream_matches(const struct stream *s, const ev_t *ev);

/* Adds the named streams, all or none: -1 with err when a name is bad or
 * the total would pass SERVE_STREAMS_MAX. Names already there are kept once. */
int serve_subs_add(struct subs *subs, const struct market *m, const char *const *names,
                   const size_t *lens, size_t n, char *err);
void serve_subs_remove(struct subs *subs, const char *name, size_t n);

/* The streams a connection asks for in its URL: "/ws", "/ws/<stream>",
 * "/stream" or "/stream?streams=a/b/c" (query without '?'). Returns 0 with
 * *combined set, or -1 with err. */
int serve_streams_from_url(const struct market *m, const char *path, const char *query,
                           struct subs *subs, bool *combined, char *err);

/* ------------------------------------------------------------------ */
/* Control messages (control.c)                                        */
/* ------------------------------------------------------------------ */

/* Answers one client message (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
 * SET_PROPERTY, GET_PROPERTY) by updating `subs` and `*combined` and
 * writing the reply JSON into `reply`. Never fails: bad input gets an
 * error reply. */
void serve_control(const struct market *m, struct subs *subs, bool *combined, const char *msg,
                   size_t len, struct text *reply);

/* ------------------------------------------------------------------ */
/* Query strings (query.c)                                             */
/* ------------------------------------------------------------------ */

/* The value of `key` in "a=1&b=2" into out[cap]. Returns 1 found, 0
 * absent, -1 present but longer than cap-1 bytes. */
int serve_query_get(const char *query, const char *key, char *out, size_t cap);

/* Percent-decodes a form-encoded value in place ('+' is a space); a '%'
 * not followed by two hex digits is kept as it is. */
void serve_query_decode(char *s);

/* An optional integer parameter: 0 absent (out untouched), 1 parsed, -1
 * malformed or outside [min, max]. */
int serve_query_int(const char *query, const char *key, int64_t min, int64_t max, int64_t *out);

/* ------------------------------------------------------------------ */
/* Market state (market.c, klines.c)                                   */
/* ------------------------------------------------------------------ */

#define SERVE_TRADES_KEPT 1000 /* aggTrades kept per symbol for REST */

struct kline {
	int64_t open_ms;
	dec_t open, high, low, close, volume, quote, taker_base, taker_quote;
	int64_t trades;
};

struct book_side {
	level_t *lv; /* bids best (highest) first, asks best (lowest) first */
	uint32_t n;
	size_t cap;
};

struct sym_state {
	char name[SYMBOL_MAX];
	struct book_side bids, asks;
	bool has_depth;
	int64_t book_id, book_exch_ms, book_tx_ms;
	ev_t ticker, mark, last_trade; /* type EV_NONE until seen */
	dec_t maint_margin_pct;        /* maintMarginPercent of the last exchangeInfo */
	struct ev_trade *aggs;         /* ring of SERVE_TRADES_KEPT, NULL until the first */
	uint32_t naggs, agg_head;
	struct kline *klines; /* one per minute with trades, in time order */
	size_t nklines, klines_cap;
};

struct market {
	struct sym_state *syms;
	size_t n, cap;
	struct strmap idx;
	struct text info; /* the last exchangeInfo, as the exchange's JSON */
	struct serve_limits limits; /* the server's, which exchangeInfo states */
};

int serve_market_init(struct market *m);
void serve_market_free(struct market *m);
/* The state of a symbol, added when new; NULL when out of memory or the
 * name does not fit. */
struct sym_state *serve_market_add(struct market *m, const char *symbol);
struct sym_state *serve_market_find(const struct market *m, const char *symbol);
/* Takes an event into the state; 0, or -1 when out of memory. */
int serve_market_apply(struct market *m, const ev_t *ev);

/* info.c: the exchangeInfo served for an exchangeInfo event: the recorded
 * JSON completed with Aster's keys that recordings lack (rateLimits as
 * `l`, each symbol's assets and contract type); and the spot one, which
 * lists no symbols. */
void serve_info_write(struct text *out, const ev_t *ev, const struct serve_limits *l);
void serve_info_spot(struct text *out, int64_t now_ms, const struct serve_limits *l);

/* klines.c: the 1-minute bar of a trade; 0 or -1 out of memory. */
int serve_klines_add(struct sym_state *s, const struct ev_trade *t);
/* Bars of `interval_ms` (a whole number of minutes) built from the minute
 * bars, as Binance's kline rows: bars overlapping [from, to], at most
 * `limit` of them, the first ones when `from` is given (> INT64_MIN), else
 * the latest. */
void serve_klines_write(const struct sym_state *s, int64_t interval_ms, int64_t from, int64_t to,
                        int64_t limit, struct text *out);
/* "1m".."1d" to ms; -1 when not supported. */
int64_t serve_kline_interval(const char *text);

/* ------------------------------------------------------------------ */
/* REST (rest.c)                                                       */
/* ------------------------------------------------------------------ */

struct rest_reply {
	int status;          /* HTTP status */
	int retry_after;     /* seconds for a Retry-After header, 0 none */
	uint64_t weight;     /* for an X-MBX-USED-WEIGHT-1M header, 0 none */
	bool order_counts;   /* an order answer: X-MBX-ORDER-COUNT-10S and -1M */
	uint64_t orders_10s, orders_1m;
	struct text body;    /* JSON */
};

/* Answers GET `path` with `query` (without '?') from the market as of
 * exchange time `now_ms`. */
void serve_rest_answer(const struct market *m, int64_t now_ms, const char *path,
                       const char *query, struct rest_reply *r);
/* The faults' answers: 503 and 429. */
void serve_rest_fault(struct rest_reply *r, int status);

/* ------------------------------------------------------------------ */
/* Pacing (clock.c)                                                    */
/* ------------------------------------------------------------------ */

struct pace {
	bool started, as_fast;
	double speed;
	int64_t start_ns; /* monotonic time the replay started */
	int64_t first_ms; /* exchange time of the first event */
	int64_t last_ms;  /* exchange time of the last event sent */
};

int64_t serve_mono_ns(void);
int64_t serve_wall_ms(void); /* CLOCK_REALTIME: what signed requests are checked on */
void serve_pace_start(struct pace *p, int64_t first_ms, int64_t now_ns);
/* Nanoseconds until an event of exchange time `exch_ms` is due (<= 0: now). */
int64_t serve_pace_wait_ns(const struct pace *p, int64_t exch_ms, int64_t now_ns);
/* The exchange time now, for REST answers. */
int64_t serve_pace_now_ms(const struct pace *p, int64_t now_ns);

/* ------------------------------------------------------------------ */
/* Faults (faults.c)                                                   */
/* ------------------------------------------------------------------ */

struct rng {
	uint64_t s;
};

void serve_rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
double serve_rng_unit(struct rng *r); /* [0, 1) */

enum data_fault { DF_SEND, DF_SKIP, DF_DROP };
/* What to do with a connection's next data message, given how many were
 * queued before it: send it, skip it (--stall-after) or drop the
 * connection (--drop-rate). --drop-after is applied after sending. */
enum data_fault serve_fault_data(const struct serve_faults *f, struct rng *r, uint64_t queued);
/* The HTTP status a REST call gets instead of its answer, 0 for none. */
int serve_fault_rest(const struct serve_faults *f, struct rng *r);
/* What happens to a signed call: nothing, 503 or 429 instead of it being
 * carried out, or carried out and answered --signed-late-ms late. */
enum signed_fault { SF_NONE, SF_FAIL, SF_429, SF_LATE };
enum signed_fault serve_fault_signed(const struct serve_faults *f, struct rng *r);

/* ------------------------------------------------------------------ */
/* Rate limits (limits.c)                                              */
/* ------------------------------------------------------------------ */

#define SERVE_MINUTE_MS 60000
#define SERVE_10S_MS 10000

/* Aster's weight of a call to /fapi/vN/`name` with these parameters (1
 * for a path it does not list). */
unsigned serve_weight(const char *method, const char *name, const char *query, const char *body);

/* A count in fixed windows of a length, aligned to the wall clock. */
struct window {
	int64_t start_ms;
	uint64_t used;
};

/* Adds n to the window now_ms is in; false, adding nothing, when that
 * would pass `limit`. */
bool serve_window_take(struct window *w, int64_t len_ms, uint64_t limit, uint64_t n,
                       int64_t now_ms);
uint64_t serve_window_used(struct window *w, int64_t len_ms, int64_t now_ms);
/* Whole seconds from now_ms to the end of its window, rounded up. */
int serve_window_retry_s(int64_t len_ms, int64_t now_ms);

/* ------------------------------------------------------------------ */
/* The recordings (feed.c)                                             */
/* ------------------------------------------------------------------ */

/* The recordings as one stream of events, one event looked at before it is
 * taken, so pacing can wait for it. */
struct feed {
	const char *const *paths;
	size_t npaths;
	replay *rp;
	ev_t next;
	bool has_next;
	int64_t first_ms; /* exchange time of the first event */
	uint64_t events;  /* events in one pass */
	char err[REC_ERR_MAX];
};

/* Reads the recordings once through, so that a bad file is reported before
 * anything is served, and gives the market their symbols and their first
 * exchangeInfo. Returns 0, or -1 with the reason (naming the file) in err. */
int serve_feed_open(struct feed *f, const char *const *paths, size_t n, struct market *m);
/* The next event: 1, 0 at the end of the pass, -1 with err. */
int serve_feed_peek(struct feed *f, const ev_t **ev);
void serve_feed_take(struct feed *f);
/* Back to the first event (--loop); 0 or -1 with err. */
int serve_feed_rewind(struct feed *f);
void serve_feed_close(struct feed *f);

/* ------------------------------------------------------------------ */
/* Send queues (queue.c)                                               */
/* ------------------------------------------------------------------ */

/* The most a connection may have waiting before it is dropped as too slow,
 * and the level above which --as-fast waits for it. */
#define SERVE_QUEUE_MAX_BYTES (8u << 20)
#define SERVE_QUEUE_LOW_BYTES (256u << 10)

struct msg {
	struct msg *next;
	size_t len;
	bool data;             /* a market event, as opposed to a reply */
	unsigned char buf[];   /* LWS_PRE bytes of room, then the text */
};

struct queue {
	struct msg *head, *tail;
	size_t bytes;
};

/* Copies `n` bytes into a new message at the tail; 0, or -1 out of memory. */
int serve_queue_push(struct queue *q, const char *s, size_t n, bool data);
struct msg *serve_queue_pop(struct queue *q); /* NULL when empty; caller frees */
unsigned char *serve_msg_text(struct msg *m);
void serve_queue_clear(struct queue *q);

#endif
