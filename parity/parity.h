/*
 * parity.h - what two runs of the same market did differently, and why.
 *
 * `hunter parity A.db B.db` reads two run databases (a live session and the
 * backtest of its own recording, or two backtests with different simulation
 * settings) and lines their decisions up: each signal of A is matched with
 * the signal of B for the same symbol and liquidated side nearest in time
 * (within a tolerance, in time order). Each difference gets a cause:
 *
 *   decision  one run fired, the other skipped (with both reasons)
 *   signal    a signal only one run saw (its data or window differed)
 *   queue     both fired, but the entries filled different quantities
 *   latency   same quantity, filled at another time and price
 *   price     same quantity and time, another price
 *   fees      same fills, other fees (maker in one, taker in the other)
 *
 * and, where it can be known at the entry, what it cost B against A in
 * USDT: the price difference times the quantity, plus the fee difference.
 * Net PnL (realized, less fees and funding) of both runs closes the report.
 */
#ifndef HUNTER_PARITY_H
#define HUNTER_PARITY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core.h"

enum pty_cause { PTY_SAME, PTY_DECISION, PTY_SIGNAL, PTY_QUEUE, PTY_LATENCY, PTY_PRICE,
                 PTY_FEES, PTY__COUNT };
const char *pty_cause_str(enum pty_cause c);

struct pty_opts {
	const char *a, *b;  /* run databases */
	int64_t match_ms;   /* signals further apart than this are not the same one */
	bool json;
};

/* Counts of a comparison; rows go to `out` as text or JSON. */
struct pty_result {
	uint64_t signals[2];          /* of A and B */
	uint64_t matched;
	uint64_t by_cause[PTY__COUNT];
	dec_t net[2];                 /* net PnL of A and B */
};

/*
 * Compares the runs and writes the report to `out`. Returns 0, or -1 with
 * the reason in err (a file that is not a hunter run database, say).
 * Differences are not errors: pty_differs() tells whether there were any.
 */
int pty_compare(const struct pty_opts *o, FILE *out, struct pty_result *res, char *err,
                size_t cap);
bool pty_differs(const struct pty_result *r);

#endif
