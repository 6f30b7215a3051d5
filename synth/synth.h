/*
 * synth.h - a seeded generator of realistic Aster market data.
 *
 * The synthesizer is an event source like a recording reader: open it with
 * options, pull events one at a time with synth_next(), close it. It makes,
 * per symbol, a random-walk price with volatility clustering, book ticker
 * updates, aggTrades at the bid or ask, mark prices every second with
 * funding, optional depth diffs with consistent update ids, and liquidation
 * cascades (self-exciting bursts that push the price and then partly revert),
 * all preceded by one exchange-info event with the symbols' trading rules.
 *
 * Guarantees, which the tests check:
 *  - the same options give the same events, bit for bit, on any machine
 *    (its own PRNG and exp/log, no clock, nothing global);
 *  - exch_ms never decreases, and recv_ns (exch_ms plus a network delay)
 *    never decreases either, as a recorder would have written them;
 *  - every price is on the symbol's tick and every quantity on its step;
 *  - at most one liquidation per symbol per 1000 ms is reported, as the
 *    exchange throttles its forceOrder stream (the hidden ones still trade
 *    and move the price, and are counted in the stats);
 *  - memory is fixed at open: it does not grow with the number of events;
 *  - turning depth off removes the depth events and changes nothing else
 *    except receive times.
 */
#ifndef HUNTER_SYNTH_H
#define HUNTER_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

#define SYNTH_MAX_SYMBOLS 16
#define SYNTH_ERR_MAX 256 /* size of every err buffer below */

struct synth_opts {
	uint64_t seed;
	uint64_t max_events;  /* stop after this many events, 0 for no count limit */
	int64_t duration_ms;  /* stop before start_ms + duration_ms, 0 for no limit */
	int64_t start_ms;     /* exchange time of the first event */
	bool depth;           /* emit depth snapshots and diffs */
	size_t nsymbols;
	char symbols[SYNTH_MAX_SYMBOLS][SYMBOL_MAX];
};

/* Defaults: seed 1, BTCUSDT ETHUSDT SOLUSDT, depth on, 60 minutes from
 * 2026-01-12T00:00:00Z, no event limit. */
void synth_opts_init(struct synth_opts *o);

/* Replaces the symbols with a comma-separated list ("BTCUSDT,ETHUSDT").
 * Each must be a known symbol (see synth_symbol_name), listed once.
 * Returns 0, or -1 with a message in err and *o unchanged. */
int synth_opts_symbols(struct synth_opts *o, const char *list, char *err);

/* Parses a time given as Unix milliseconds ("1768176000000") or as UTC ISO
 * 8601 ("2026-01-12", "2026-01-12T08:30", "2026-01-12T08:30:15.250Z"),
 * from 1970 to 2262-04-11 (receive times are int64 nanoseconds).
 * Returns 0, or -1 with a message in err and *ms unchanged. */
int synth_parse_time(const char *text, int64_t *ms, char *err);

/* The symbols the synthesizer knows, in order; NULL past the end. */
const char *synth_symbol_name(size_t i);

typedef struct synth synth_t;

/* Validates the options and prepares the first event; NULL with a message in
 * err if the options are unusable (no symbols, no limit, unknown symbol, a
 * start time out of range). */
synth_t *synth_open(const struct synth_opts *o, char *err);

/* Fills *ev with the next event: 1, or 0 at the end (a limit was reached).
 * Arrays inside the event (exchange-info rules, depth levels) belong to the
 * generator and stay valid until the next call. */
int synth_next(synth_t *s, ev_t *ev);

struct synth_stats {
	uint64_t events;              /* returned by synth_next so far */
	uint64_t by_type[EV__COUNT];  /* of those, by ev_type_t */
	uint64_t liq_throttled;       /* liquidations that happened but were not
	                               * reported, as the exchange drops them */
	int64_t last_ms;              /* exch_ms of the last event returned */
};

const struct synth_stats *synth_stats(const synth_t *s);

void synth_close(synth_t *s);

#endif
