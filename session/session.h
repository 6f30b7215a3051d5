/*
 * session.h - one run of the strategy: the engine, an exchange behind the
 * exchange interface, the run database, the trade log, equity sampling and
 * the clock, with the order in which they see each event fixed in one place.
 *
 *   source -> session_on_market -> engine -> exchange -> journal -> report
 *
 * Every mode feeds a session the same way. `hunter backtest` replays
 * recordings into it with a simulated exchange; a live or simulate_only run
 * feeds it market events from the network and calls session_advance() as
 * its clock (session_clock below) says exchange time passes. Nothing here
 * reads a clock or does I/O besides the journal, so a backtest is as
 * deterministic as the engine and the simulation behind it.
 *
 * The order, per market event at exchange time t (docs/architecture.md):
 *   1. every deadline due by t, in time order: exchange jobs (orders
 *      reaching the matching engine, answers reaching us, funding), engine
 *      deadlines (entry TTL, unprotected timeout) and minute equity samples;
 *   2. the event itself, to the exchange (a simulated one matches resting
 *      orders against it), then to the engine;
 * and whatever the exchange answers reaches the engine through the sink,
 * as a user-stream event, in the exchange's time order.
 */
#ifndef HUNTER_SESSION_H
#define HUNTER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"
#include "engine.h"
#include "exchange.h"
#include "journal.h"

typedef struct session session_t;

/*
 * A session over an exchange made with session_sink() as its sink. The
 * session takes the exchange (destroyed with the session) and uses the
 * journal, which stays the caller's. Returns NULL when out of memory.
 */
session_t *session_new(const struct settings *s, journal_t *journal);
/* The sink an exchange must be made with to answer this session. */
struct exchange_sink session_sink(session_t *ss);
/* Hands the exchange to the session and sets up the position mode and the
 * settings' symbols (leverage, margin type) on it. A symbol the exchange
 * refuses is told to `refused` and not traded (its rules say it cannot
 * trade); with `refused` NULL the refusal ends the set-up. Returns 0, or
 * the first exchange error code that ended it. */
typedef void (*session_refused_fn)(void *ctx, const char *symbol, int code);
int session_attach(session_t *ss, exchange_t *x, session_refused_fn refused, void *ctx);
void session_free(session_t *ss);

/* Whether market events also go to the journal's market_* tables (on by
 * default; a sweep keeps them for none of its combinations but the ones
 * it keeps whole). */
void session_journal_market(session_t *ss, bool on);

/* Trading rules of a symbol, for the engine and the exchange alike. */
void session_set_rules(session_t *ss, const struct symbol_rules *r);

/* A market event: deadlines due before it, then the event. Order and
 * account updates belong on the sink, not here: they are ignored. */
void session_on_market(session_t *ss, const ev_t *ev);

/* Exchange time has reached `now_ms` with no market event: runs every
 * deadline due by then. */
void session_advance(session_t *ss, int64_t now_ms);

/* The session's clock: the latest exchange time it has reached. */
int64_t session_now(const session_t *ss);

/* A run that starts on an account already trading (a restart): the engine
 * adopts the positions and its own open orders the exchange reports, at
 * exchange time `ms`, and protects what is unprotected. */
void session_adopt(session_t *ss, int64_t ms);

/* New settings while running (engine_apply_settings), the symbols whose
 * leverage or margin type changed (against the settings the session runs
 * on) set up again on the exchange. Returns 0 when taken, 1 when taken but
 * the exchange refused a leverage or margin type, -1 when refused (nothing
 * changed); *why says what went wrong. The session keeps the address it
 * was made with: once they are taken, the caller puts the new settings
 * there. */
int session_apply_settings(session_t *ss, const struct settings *s, const char **why);

/* The engine, to look at (engine_each_tranche, engine_each_order). */
const engine_t *session_engine(const session_t *ss);

/* The stamp of the engine's client ids (engine_set_id_stamp). */
void session_set_id_stamp(session_t *ss, int64_t ms);

/* No new entries from now on (engine_stop_entries); NULL allows them. */
void session_stop_entries(session_t *ss, const char *reason);

/* Every open tranche closed at market (engine_close_all). */
void session_close_all(session_t *ss, const char *reason);

/* Ends the run: a last equity sample and the trade-log digest. */
void session_finish(session_t *ss, char trade_log_hex[65]);

/* ------------------------------------------------------------------------ */
/* Live time                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Maps the local monotonic clock to exchange time, for a session fed from
 * the network. The offset is learnt from the exchange's server time (a
 * request's round trip: the server stamped it somewhere in between, so the
 * midpoint is the estimate) and from event timestamps (an event cannot
 * have been stamped after it arrived, so exchange time is at least its E
 * at arrival). Time never goes back: exchange_now only grows.
 */
struct session_clock {
	int64_t offset_ms;   /* exchange time - local monotonic time, in use */
	int64_t server_ms;   /* the offset the best server-time sample gives */
	int64_t rtt_ms;      /* that sample's round trip; -1 none */
	int64_t floor_ms;    /* the least offset events allow; INT64_MIN none */
	int64_t last_ms;     /* the latest exchange time handed out */
};

void session_clock_init(struct session_clock *c);
/* A server-time answer `server_ms` to a request sent at local `sent_ms`
 * and answered at local `recv_ms`. A sample with a shorter round trip
 * replaces a worse one. */
void session_clock_server(struct session_clock *c, int64_t sent_ms, int64_t recv_ms,
                          int64_t server_ms);
/* An event stamped `event_ms` by the exchange arrived at local `recv_ms`. */
void session_clock_event(struct session_clock *c, int64_t recv_ms, int64_t event_ms);
/* Exchange time at local monotonic `local_ms`; INT64_MIN until known. */
int64_t session_clock_now(struct session_clock *c, int64_t local_ms);

#endif
