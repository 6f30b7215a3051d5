/*
 * journal.h - the run database: one SQLite file per run holding what the
 * run was (settings, recordings, model parameters, seed, version), every
 * decision the engine journals, the exchange's account updates, equity
 * samples and the round trips derived from the fills.
 *
 * The report and users' own SQL read this file alone, so its schema is a
 * contract: docs/run-database.md describes every table and column. Money,
 * prices and quantities are stored exactly, as INTEGER columns in 1e-8
 * units (names ending in _e8).
 *
 * Rows are buffered in transactions of a few thousand, so journaling costs
 * little next to the event loop. Write errors are sticky: the first one is
 * kept, later writes are skipped, and journal_error() reports it; callers
 * check it at the end (the engine's journal callback cannot fail).
 */
#ifndef HUNTER_JOURNAL_H
#define HUNTER_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "engine.h"
#include "exchange_sim.h"

#define JOURNAL_SCHEMA_VERSION 3

typedef struct journal journal_t;

/* What a run is; written once, when the database is created, and each
 * start of it in run_starts. */
struct journal_run {
	const char *mode;          /* "backtest", "simulate" or "live" */
	const char *settings_text; /* the settings file exactly as read */
	size_t settings_len;
	const char *model_json;    /* simulated-exchange parameters; NULL when live */
	uint64_t seed;
	bool exclusive;            /* off-line run: lock the file, skip fsyncs */
	int64_t liq_arrival_delay_ms; /* delay the recordings put on liquidations; 0 none */
	bool resume;               /* continue the database at the path (journal_probe) */
};

/* One input recording of a backtest. */
struct journal_recording {
	const char *path;
	const char *sha256; /* hex digest of the file's bytes */
	uint64_t bytes;
	uint64_t events;
	int64_t first_ms, last_ms; /* exchange time span; 0 when empty */
};

/* The account as an equity sample sees it. */
struct journal_equity {
	dec_t wallet;     /* after realized PnL, fees and funding */
	dec_t unrealized; /* at the mark price */
	dec_t margin_used;
	dec_t notional;
	uint32_t open_positions;
};

/* Why an equity sample was taken. */
typedef enum { EQ_START = 1, EQ_MINUTE, EQ_FILL, EQ_PRICE, EQ_END } journal_eq_reason_t;

/* How the run ended. The wall-clock figures go to the run_clock table, kept
 * apart so that determinism checks can leave them out. */
struct journal_end {
	int64_t first_ms, last_ms; /* exchange time span of the run */
	uint64_t events;
	const char *trade_log_sha256;
	double wall_seconds;
	bool interrupted; /* stopped by the user before the inputs ended */
};

/* Creates `path` (replacing a previous file) with the schema and the run
 * row; with run->resume, opens the database there instead and appends to
 * it (the run row stays the first start's; the start is added to
 * run_starts). Returns NULL with a message in err on failure. */
journal_t *journal_create(const char *path, const struct journal_run *run, char *err,
                          size_t errlen);

/* What is at `path` for a run of `mode` that would continue it. */
enum journal_probe {
	JOURNAL_NONE,     /* nothing: create it */
	JOURNAL_SAME,     /* a database of this schema and mode: continue it */
	JOURNAL_FOREIGN,  /* anything else (err says what it is): leave it alone */
};
enum journal_probe journal_probe(const char *path, const char *mode, char *err, size_t errlen);

/* The simulated account a simulate run left, as its rows tell it
 * (exchange_sim.h, struct sim_saved): the first equity sample's wallet plus
 * the fills' realized PnL less their fees and the funding paid; every fill;
 * each symbol's latest funding time; and the orders whose last state is
 * not an end, as they were placed. All of it comes from the rows, so a
 * killed run leaves an account that agrees with its database. Arrays malloc'd (journal_sim_free): 1, 0 when
 * the run never sampled its account, -1 with the error in journal_error(). */
int journal_sim_load(journal_t *j, struct sim_saved *out);
void journal_sim_free(struct sim_saved *s);

void journal_add_recording(journal_t *j, const struct journal_recording *r);

/* An engine record (signal, order state, fill, tranche action, note). Fills
 * also feed the round-trip table. Matches engine_io.journal. */
void journal_record(journal_t *j, const struct journal_rec *r);
/* The same, for a record the engine made on an exchange answer: orders and
 * fills keep when the exchange acted (`exchange_ms`, 0 when it did not)
 * beside when the engine learnt of it. */
void journal_record_at(journal_t *j, const struct journal_rec *r, int64_t exchange_ms);

/* How a simulated exchange priced one symbol's fills (docs/simulation.md):
 * filled quantity by the book it had, and the part that relied on assumed
 * liquidity; stop triggers, and those that watched the last trade for a
 * missing mark price or the mark for a missing last trade. */
struct journal_symbol_fills {
	const char *symbol;
	dec_t qty_depth, qty_top, qty_trades, qty_assumed;
	uint64_t stop_triggers, stop_triggers_on_last, stop_triggers_on_mark;
};
void journal_symbol_fills(journal_t *j, const struct journal_symbol_fills *f);

/* An EV_ACCOUNT_UPDATE from the exchange: position rows, and a funding row
 * when its reason is FUNDING_FEE. */
void journal_account(journal_t *j, const ev_t *ev);

void journal_equity(journal_t *j, int64_t ms, journal_eq_reason_t why,
                    const struct journal_equity *eq);

/* Commits what was written so far. A live run's engine records are on
 * disk before that: each goes to the run's write-ahead log as it is made
 * (RUN.db-pending, journal/ahead.c), so an order's intent is written before
 * the order is sent without a commit on the way; they reach SQLite before
 * any other row and at each commit. 0, or -1 with the first error in
 * journal_error(). */
int journal_commit(journal_t *j);

/* Copies a live run's committed WAL back into the database, as far as
 * readers allow; a live run calls it between events, about once a second.
 * (Off-line runs keep no WAL.) */
void journal_checkpoint(journal_t *j);

/* The first write error, or NULL. */
const char *journal_error(const journal_t *j);

/* Writes the round trips still open and the run's end, commits. Returns 0,
 * or -1 with the first error in journal_error(). */
int journal_finish(journal_t *j, const struct journal_end *end);

/* Closes the database (after journal_finish, or to abandon it). */
void journal_close(journal_t *j);

/*
 * Figures of a finished run, computed from the database alone with the
 * queries documented in docs/run-database.md, so that anyone can check them.
 */
struct journal_totals {
	dec_t gross_pnl;   /* sum of fills' realized PnL, before fees */
	dec_t fees;        /* paid, positive */
	dec_t funding;     /* paid, positive; negative when received */
	dec_t net_pnl;     /* gross - fees - funding */
	dec_t unrealized;  /* at the last equity sample */
	dec_t start_equity, end_equity;
	dec_t max_drawdown; /* deepest fall of equity from a running peak */
	double max_drawdown_frac; /* that fall as a fraction of the peak */
	uint64_t signals, signals_fired, orders, fills;
	uint64_t round_trips, wins;     /* closed round trips; wins have net > 0 */
	int64_t first_ms, last_ms;
	int64_t in_market_ms;           /* time with at least one position open */
	char trade_log_sha256[65];
};

/* Reads the totals of the run in `path`. Returns 0, or -1 with err set. */
int journal_totals_read(const char *path, struct journal_totals *t, char *err, size_t errlen);

/*
 * Market context (journal/market.c): every liquidation, a price sample per
 * symbol per second, event counts per stream and the holes in the data, in
 * the market_* tables of docs/run-database.md. journal_market() takes every
 * market event a run replays or receives; it costs a few ns per event and
 * runs SQL only once a second per symbol, on liquidations and on gaps.
 */
void journal_market(journal_t *j, const ev_t *ev);

#endif
