/*
 * market.c - the market context of a run in the run database: every
 * liquidation, one price sample per symbol per second of exchange time,
 * event counts per stream and symbol, and the holes in the data. The report
 * draws its price charts, liquidation windows, event study and data-quality
 * section from these tables (docs/run-database.md, "Market context").
 *
 * The backtest calls journal_market() for every replayed event, so the
 * common path must cost a few ns: a small per-symbol table remembers the
 * latest prices and counts, and SQL runs only when a symbol enters a new
 * second, on a liquidation, on a gap, and once per stream at the end.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"

/* A symbol silent for longer than this, while its other streams had been
 * flowing, is reported as a hole in the data. */
#define HOLE_MS 5000

/* A stream of one symbol quiet for longer than this while the run went on
 * (a book ticker that stopped while trades continued) is a silence. */
#define SILENCE_MS 60000

/* Price samples are inserted this many at a time: one statement for many
 * rows costs much less than a statement per row. */
#define PRICE_BATCH 64

enum { MS_LIQ, MS_PRICE, MS_PRICES, MS_STREAM, MS_GAP, MS_SILENCE, MS__COUNT };

/* IF NOT EXISTS: a live run continuing its database finds them made. */
static const char market_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS market_liquidations ("
	" id INTEGER PRIMARY KEY,"
	" ms INTEGER NOT NULL,"
	" symbol TEXT NOT NULL,"
	" liq_side TEXT NOT NULL,"
	" qty_e8 INTEGER NOT NULL,"
	" price_e8 INTEGER NOT NULL,"
	" avg_price_e8 INTEGER NOT NULL,"
	" filled_qty_e8 INTEGER NOT NULL,"
	" notional_e8 INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS market_prices ("
	" id INTEGER PRIMARY KEY,"
	" ms INTEGER NOT NULL,"
	" symbol TEXT NOT NULL,"
	" last_e8 INTEGER NOT NULL,"
	" bid_e8 INTEGER NOT NULL,"
	" ask_e8 INTEGER NOT NULL,"
	" mark_e8 INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS market_streams ("
	" id INTEGER PRIMARY KEY,"
	" symbol TEXT NOT NULL,"
	" stream TEXT NOT NULL,"
	" events INTEGER NOT NULL,"
	" first_ms INTEGER NOT NULL,"
	" last_ms INTEGER NOT NULL,"
	" longest_silence_ms INTEGER);"
	"CREATE TABLE IF NOT EXISTS market_gaps ("
	" id INTEGER PRIMARY KEY,"
	" ms INTEGER NOT NULL,"
	" symbol TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" from_ms INTEGER NOT NULL,"
	" reason TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS market_silences ("
	" id INTEGER PRIMARY KEY,"
	" symbol TEXT NOT NULL,"
	" stream TEXT NOT NULL,"
	" from_ms INTEGER NOT NULL,"
	" to_ms INTEGER NOT NULL,"
	" stopped INTEGER NOT NULL);";

static const char *const market_stmt_sql[MS__COUNT] = {
	[MS_LIQ] = "INSERT INTO market_liquidations (ms, symbol, liq_side, qty_e8, price_e8,"
	           " avg_price_e8, filled_qty_e8, notional_e8) VALUES (?,?,?,?,?,?,?,?)",
	[MS_PRICE] = "INSERT INTO market_prices (ms, symbol, last_e8, bid_e8, ask_e8, mark_e8)"
	             " VALUES (?,?,?,?,?,?)",
	[MS_STREAM] = "INSERT INTO market_streams (symbol, stream, events, first_ms, last_ms,"
	              " longest_silence_ms) VALUES (?,?,?,?,?,?)",
	[MS_GAP] = "INSERT INTO market_gaps (ms, symbol, kind, from_ms, reason) VALUES (?,?,?,?,?)",
	[MS_SILENCE] = "INSERT INTO market_silences (symbol, stream, from_ms, to_ms, stopped)"
	               " VALUES (?,?,?,?,?)",
};

struct stream_count {
	uint64_t events;
	int64_t first_ms, last_ms;
	int64_t longest_ms; /* longest time between two events, or to the end */
};

/* What the run has seen of one symbol ("" for events of no symbol). */
struct msym {
	char symbol[SYMBOL_MAX];
	int64_t sec;       /* second of exchange time the prices below belong to */
	bool pending;      /* a price changed in `sec` and is not written yet */
	dec_t last, bid, ask, mark;
	int64_t flow_ms;   /* latest non-liquidation event, for holes; 0 before one */
	struct stream_count count[EV__COUNT];
};

struct price_row {
	int64_t ms;
	size_t sym; /* index in market.sym, which may move */
	dec_t last, bid, ask, mark;
};

struct market {
	sqlite3 *db;
	struct price_row batch[PRICE_BATCH];
	size_t nbatch;
	sqlite3_stmt *st[MS__COUNT];
	char *err; /* the journal's sticky error buffer */
	size_t errlen;
	struct msym *sym;
	size_t n, cap, hit; /* hit: the last symbol looked up, as events come in runs */
	int64_t last_ms;    /* the latest market event */
};

static void market_fail(struct market *m, const char *what)
{
	if (!m->err[0])
		snprintf(m->err, m->errlen, "run database: %s: %s", what, sqlite3_errmsg(m->db));
}

static void step_stmt(struct market *m, int s)
{
	if (sqlite3_step(m->st[s]) != SQLITE_DONE)
		market_fail(m, sqlite3_sql(m->st[s]));
	sqlite3_reset(m->st[s]);
}

struct market *jn_market_open(struct sqlite3 *db, char *err, size_t errlen)
{
	struct market *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "run database: out of memory");
		return NULL;
	}
	m->db = db;
	m->err = err;
	m->errlen = errlen;
	if (sqlite3_exec(db, market_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		market_fail(m, "market tables");
		jn_market_free(m);
		return NULL;
	}
	/* MS_PRICES is MS_PRICE with PRICE_BATCH rows of values */
	char many[PRICE_BATCH * 16 + 128];
	size_t len = (size_t)snprintf(many, sizeof many, "INSERT INTO market_prices (ms, symbol,"
	                              " last_e8, bid_e8, ask_e8, mark_e8) VALUES (?,?,?,?,?,?)");
	for (int i = 1; i < PRICE_BATCH; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, ",(?,?,?,?,?,?)");
	for (int s = 0; s < MS__COUNT; s++)
		if (sqlite3_prepare_v3(db, s == MS_PRICES ? many : market_stmt_sql[s], -1,
		                       SQLITE_PREPARE_PERSISTENT, &m->st[s], NULL) != SQLITE_OK) {
			market_fail(m, s == MS_PRICES ? "market_prices" : market_stmt_sql[s]);
			jn_market_free(m);
			return NULL;
		}
	return m;
}

/* Symbols of interleaved streams usually differ in their first bytes, so
 * an inline loop settles most comparisons before a strcmp call would
 * have started. */
static inline bool same_symbol(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static struct msym *find_symbol(struct market *m, const char *symbol)
{
	if (m->n && same_symbol(m->sym[m->hit].symbol, symbol))
		return &m->sym[m->hit];
	for (size_t i = 0; i < m->n; i++)
		if (same_symbol(m->sym[i].symbol, symbol)) {
			m->hit = i;
			return &m->sym[i];
		}
	struct msym *v = grow_array(m->sym, &m->cap, m->n + 1, sizeof *v);
	if (!v)
		return NULL;
	m->sym = v;
	struct msym *s = &m->sym[m->n];
	memset(s, 0, sizeof *s);
	copy_str(s->symbol, sizeof s->symbol, symbol, strlen(symbol));
	m->hit = m->n++;
	return s;
}

static void bind_row(struct market *m, sqlite3_stmt *st, int k, const struct price_row *r)
{
	sqlite3_bind_int64(st, k + 1, r->ms);
	sqlite3_bind_text(st, k + 2, m->sym[r->sym].symbol, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 3, r->last);
	sqlite3_bind_int64(st, k + 4, r->bid);
	sqlite3_bind_int64(st, k + 5, r->ask);
	sqlite3_bind_int64(st, k + 6, r->mark);
}

static void flush_samples(struct market *m)
{
	int s = m->nbatch == PRICE_BATCH ? MS_PRICES : MS_PRICE;
	for (size_t i = 0; i < m->nbatch; i++) {
		bind_row(m, m->st[s], s == MS_PRICES ? (int)i * 6 : 0, &m->batch[i]);
		if (s == MS_PRICE)
			step_stmt(m, s);
	}
	if (s == MS_PRICES)
		step_stmt(m, s);
	m->nbatch = 0;
}

static void write_sample(struct market *m, struct msym *s)
{
	m->batch[m->nbatch++] = (struct price_row){s->sec * 1000, (size_t)(s - m->sym), s->last,
	                                           s->bid, s->ask, s->mark};
	if (m->nbatch == PRICE_BATCH)
		flush_samples(m);
	s->pending = false;
}

static void write_gap(struct market *m, int64_t ms, const char *symbol, const char *kind,
                      int64_t from_ms, const char *reason)
{
	sqlite3_stmt *st = m->st[MS_GAP];
	sqlite3_bind_int64(st, 1, ms);
	sqlite3_bind_text(st, 2, symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, from_ms);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_TRANSIENT);
	step_stmt(m, MS_GAP);
}

/* Size as strategy.md §2 defines it: z * ap when both are known, else q * p. */
static int liq_notional(const struct ev_liquidation *l, dec_t *out)
{
	if (l->filled_qty > 0 && l->avg_price > 0)
		return dec_mul(l->filled_qty, l->avg_price, out);
	return dec_mul(l->qty, l->price, out);
}

static void write_liquidation(struct market *m, const ev_t *ev)
{
	const struct ev_liquidation *l = &ev->u.liq;
	dec_t notional;
	if (liq_notional(l, &notional)) {
		if (!m->err[0])
			snprintf(m->err, m->errlen, "run database: the size of the %s liquidation at %lld ms"
			         " overflows", ev->symbol, (long long)ev->exch_ms);
		return;
	}
	sqlite3_stmt *st = m->st[MS_LIQ];
	sqlite3_bind_int64(st, 1, ev->exch_ms);
	sqlite3_bind_text(st, 2, ev->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, side_str(l->side), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, l->qty);
	sqlite3_bind_int64(st, 5, l->price);
	sqlite3_bind_int64(st, 6, l->avg_price);
	sqlite3_bind_int64(st, 7, l->filled_qty);
	sqlite3_bind_int64(st, 8, notional);
	step_stmt(m, MS_LIQ);
}

static void on_gap(struct market *m, const ev_t *ev)
{
	const struct ev_gap *g = &ev->u.gap;
	const char *kind = *gap_kind_str(g->kind) ? gap_kind_str(g->kind) : "unknown";
	write_gap(m, ev->exch_ms, ev->symbol, kind, g->from_ms, g->reason);
}

/* Tracks the latest prices; returns false for events that carry none. */
static bool take_price(struct msym *s, const ev_t *ev)
{
	switch (ev->type) {
	case EV_TRADE:
	case EV_AGG_TRADE:
		s->last = ev->u.trade.price;
		return true;
	case EV_BOOK_TICKER:
		s->bid = ev->u.book.bid;
		s->ask = ev->u.book.ask;
		return true;
	case EV_MARK_PRICE:
		s->mark = ev->u.mark.mark;
		return true;
	default:
		return false;
	}
}

/* A recording may step back in time a little; such an event counts in the
 * current second rather than reopening a written one. */
static void on_price(struct market *m, struct msym *s, const ev_t *ev)
{
	int64_t sec = ev->exch_ms / 1000;
	if (sec > s->sec && s->pending)
		write_sample(m, s);
	if (sec > s->sec)
		s->sec = sec;
	if (take_price(s, ev))
		s->pending = true;
}

static void on_flow(struct market *m, struct msym *s, const ev_t *ev)
{
	if (s->flow_ms && ev->exch_ms - s->flow_ms > HOLE_MS)
		write_gap(m, ev->exch_ms, s->symbol, "silence", s->flow_ms,
		          "no market data for more than 5 s");
	if (ev->exch_ms > s->flow_ms)
		s->flow_ms = ev->exch_ms;
}

/* Streams that flow all the time; liquidations come only when someone is
 * liquidated, so their silence is the market's, not the data's. */
static bool continuous(int type)
{
	return type == EV_BOOK_TICKER || type == EV_DEPTH_UPDATE || type == EV_AGG_TRADE ||
	       type == EV_TRADE || type == EV_MARK_PRICE;
}

/* Ends a quiet spell of one stream at `to_ms`: the longest is kept for
 * market_streams, and a long one of a flowing stream becomes a row. */
static void end_silence(struct market *m, struct msym *s, int type, int64_t to_ms, bool stopped)
{
	struct stream_count *c = &s->count[type];
	if (to_ms - c->last_ms > c->longest_ms)
		c->longest_ms = to_ms - c->last_ms;
	if (!s->symbol[0] || !continuous(type) || to_ms - c->last_ms <= SILENCE_MS)
		return;
	sqlite3_stmt *st = m->st[MS_SILENCE];
	sqlite3_bind_text(st, 1, s->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ev_type_name(type), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->last_ms);
	sqlite3_bind_int64(st, 4, to_ms);
	sqlite3_bind_int(st, 5, stopped);
	step_stmt(m, MS_SILENCE);
}

static void count_event(struct market *m, struct msym *s, const ev_t *ev)
{
	struct stream_count *c = &s->count[ev->type];
	if (c->events)
		end_silence(m, s, ev->type, ev->exch_ms, false);
	if (c->events++ == 0 || ev->exch_ms < c->first_ms)
		c->first_ms = ev->exch_ms;
	if (ev->exch_ms > c->last_ms)
		c->last_ms = ev->exch_ms;
	if (ev->exch_ms > m->last_ms)
		m->last_ms = ev->exch_ms;
}

void jn_market_event(struct market *m, const ev_t *ev)
{
	if ((unsigned)ev->type >= EV__COUNT)
		return;
	struct msym *s = find_symbol(m, ev->symbol);
	if (!s) {
		if (!m->err[0])
			snprintf(m->err, m->errlen, "run database: out of memory for market data");
		return;
	}
	count_event(m, s, ev);
	switch (ev->type) {
	case EV_LIQUIDATION:
		write_liquidation(m, ev);
		return;
	case EV_GAP:
		on_gap(m, ev);
		return;
	case EV_EXCHANGE_INFO:
	case EV_ORDER_UPDATE:
	case EV_ACCOUNT_UPDATE:
		return;
	default:
		break;
	}
	if (s->symbol[0])
		on_flow(m, s, ev);
	on_price(m, s, ev);
}

static void write_streams(struct market *m, const struct msym *s)
{
	sqlite3_stmt *st = m->st[MS_STREAM];
	for (int t = 1; t < EV__COUNT; t++) {
		const struct stream_count *c = &s->count[t];
		if (!c->events)
			continue;
		sqlite3_bind_text(st, 1, s->symbol, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ev_type_name(t), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (int64_t)c->events);
		sqlite3_bind_int64(st, 4, c->first_ms);
		sqlite3_bind_int64(st, 5, c->last_ms);
		if (continuous(t) || t == EV_LIQUIDATION)
			sqlite3_bind_int64(st, 6, c->longest_ms);
		else
			sqlite3_bind_null(st, 6); /* one-off events: no flow to break */
		step_stmt(m, MS_STREAM);
	}
}

/* The index readers use to find a symbol's price at a time is built once
 * at the end: sorting the finished table costs less than keeping an index
 * up to date through every insert of the run. */
void jn_market_finish(struct market *m)
{
	for (size_t i = 0; i < m->n && !m->err[0]; i++) {
		if (m->sym[i].pending)
			write_sample(m, &m->sym[i]);
		for (int t = 1; t < EV__COUNT; t++)
			if (m->sym[i].count[t].events)
				end_silence(m, &m->sym[i], t, m->last_ms, true);
		write_streams(m, &m->sym[i]);
	}
	flush_samples(m);
	if (!m->err[0] && sqlite3_exec(m->db, "CREATE INDEX IF NOT EXISTS market_prices_by_symbol"
	                                      " ON market_prices (symbol, ms)", NULL, NULL,
	                               NULL) != SQLITE_OK)
		market_fail(m, "market_prices index");
}

void jn_market_free(struct market *m)
{
	if (!m)
		return;
	for (int s = 0; s < MS__COUNT; s++)
		sqlite3_finalize(m->st[s]);
	free(m->sym);
	free(m);
}
