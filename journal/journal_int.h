/*
 * journal_int.h - what the journal's files share; not part of its public
 * header. schema.c holds the SQL, roundtrip.c turns fills into round trips,
 * journal.c writes rows, restart.c continues a database a run left and
 * keeps the simulated account in it, and totals.c reads the figures back.
 */
#ifndef HUNTER_JOURNAL_INTERNAL_H
#define HUNTER_JOURNAL_INTERNAL_H

#include "journal.h"

/* ---- schema.c ---------------------------------------------------------- */

enum journal_stmt {
	JS_RECORDING, JS_SIGNAL, JS_ORDER, JS_FILL, JS_TRANCHE, JS_NOTE, JS_POSITION,
	JS_FUNDING, JS_EQUITY, JS_TRIP, JS_SYMBOL_FILLS, JS_START, JS__COUNT
};

extern const char jn_journal_schema_sql[];
extern const char *const jn_journal_stmt_sql[JS__COUNT];

/* ---- roundtrip.c ------------------------------------------------------- */

/*
 * A round trip: a position of one symbol and position side from flat to
 * flat. Entries are fills that grow the position, exits fills that shrink
 * it; a fill that crosses zero (one-way mode) closes the trip and opens the
 * next one with the remainder, its fee split pro rata.
 */
struct trip {
	char symbol[SYMBOL_MAX];
	pos_side_t pos_side;
	int dir;          /* +1 long, -1 short, 0 while the slot is flat */
	dec_t open_qty;   /* still open, >= 0 */
	int64_t open_ms;
	uint32_t fills;
	dec_t qty_in, value_in;   /* entries: quantity and sum of price * qty */
	dec_t qty_out, value_out; /* exits */
	dec_t fees, funding;      /* paid, positive */
};

/* Computed figures of a trip, for its row. */
struct jn_trip_result {
	dec_t entry_avg, exit_avg, gross, net;
};

/* Called when a trip closes (close_ms > 0) or, from jn_trips_flush, for a trip
 * still open at the end (close_ms 0). */
typedef void (*trip_done_fn)(void *ctx, const struct trip *t, int64_t close_ms);

struct trips {
	struct trip *slot; /* one per symbol and position side seen */
	size_t n, cap;
	trip_done_fn done;
	void *ctx;
};

/* Applies a fill; returns 0, or -1 when a value overflows or memory runs out. */
int jn_trips_fill(struct trips *ts, int64_t ms, const char *symbol, pos_side_t ps, side_t side,
               dec_t price, dec_t qty, dec_t fee);
/* Charges funding to the open trip of the symbol (and side, when known). */
void jn_trips_funding(struct trips *ts, const char *symbol, pos_side_t ps, dec_t paid);
void jn_trips_flush(struct trips *ts);
void jn_trips_free(struct trips *ts);
/* Returns 0, or -1 when a figure overflows. */
int jn_trip_result(const struct trip *t, struct jn_trip_result *r);

/* ---- journal.c ---------------------------------------------------------- */

struct journal {
	struct sqlite3 *db;
	struct sqlite3_stmt *st[JS__COUNT];
	unsigned pending;  /* rows in the open transaction */
	char err[256];     /* first error, "" while none */
	struct trips trips;
	struct market *market;
	struct ahead *ahead; /* a live run's write-ahead log (ahead.c); NULL off-line */
	bool finished;       /* journal_finish committed everything */
};

/* Writes an engine record's rows now (journal_record_at minus the log). */
void jn_record(journal_t *j, const struct journal_rec *r, int64_t exchange_ms);

/* COMMIT; BEGIN, with the log's mark in the transaction. 0 or -1. */
int jn_commit(journal_t *j);

/* ---- ahead.c ------------------------------------------------------------ */

/* Opens (resume: continues) the log beside the database at `db_path` and
 * finds the records a killed run left that the database lacks; the next
 * jn_catch_up applies them. 0, or -1 with j->err set. */
int jn_ahead_open(journal_t *j, const char *db_path, bool resume);
/* Puts a record in the log; false when there is none (write it directly). */
bool jn_ahead_put(journal_t *j, const struct journal_rec *r, int64_t exchange_ms);
/* Writes the logged records SQLite lacks, in order; every other writer
 * calls it first, so the rows keep the order they were made in. */
void jn_catch_up(journal_t *j);
/* True while jn_catch_up writes a record's rows. */
bool jn_ahead_applying(const journal_t *j);
/* Puts the last applied record's number in the open transaction. */
int jn_ahead_mark(journal_t *j);
/* After a commit: the log starts over when SQLite holds all of it. */
void jn_ahead_committed(journal_t *j);
/* Unmaps the log; removes it when the run ended cleanly. */
void jn_ahead_close(journal_t *j, bool finished);

/* The first error, with SQLite's message. */
void jn_fail(journal_t *j, const char *what);
/* Runs SQL without results: 0, or -1 with the error kept. */
int jn_exec(journal_t *j, const char *sql);
/* Binds the arguments `fmt` describes (journal.c) to statement `s`, runs it. */
void jn_row(journal_t *j, enum journal_stmt s, const char *fmt, ...);

/* ---- restart.c --------------------------------------------------------- */

/* A run continuing its database: the round trips still open are taken up
 * again from the fills and funding, and the run's first time is kept.
 * 0, or -1 with the error kept. */
int jn_resume(journal_t *j);

/* The journal's own hooks into market.c, called by journal.c alone:
 * jn_market_open creates the tables when the database is created (errors go
 * to `err`, the journal's sticky error), jn_market_finish writes the last
 * samples and the stream counts, jn_market_free releases it. */
struct market;
struct sqlite3;
struct market *jn_market_open(struct sqlite3 *db, char *err, size_t errlen);
void jn_market_event(struct market *m, const ev_t *ev);
void jn_market_finish(struct market *m);
void jn_market_free(struct market *m);

#endif
