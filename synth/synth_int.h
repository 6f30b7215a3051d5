/*
 * synth_int.h - what the synth module's files share and nothing outside it
 * sees: the random number generator and the exp/log it builds on, the symbol
 * presets, and the small order book each symbol keeps. The generator itself
 * (synth.c) ties them together.
 */
#ifndef HUNTER_SYNTH_INTERNAL_H
#define HUNTER_SYNTH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "synth.h"

/* ---- options.c ------------------------------------------------------------ */

/* Checks the symbols of options filled by hand as synth_opts_symbols() checks
 * a list: known, each once, 1 to SYNTH_MAX_SYMBOLS of them. */
int syn_symbols_check(const struct synth_opts *o, char *err);

/* ---- rng.c: xoshiro256** seeded through splitmix64 ---------------------- */

typedef struct rng {
	uint64_t s[4];
} rng_t;

/* Seeds from a seed and a stream number, so independent parts of the model
 * draw from independent sequences. */
void syn_rng_seed(rng_t *r, uint64_t seed, uint64_t stream);

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The generator itself, inline because every event draws a dozen numbers. */
static inline uint64_t rng_u64(rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

/* Uniform in (0, 1): 53 random bits, shifted by half a unit so neither 0 nor
 * 1 comes out and log() of the result is always finite. */
static inline double rng_unit(rng_t *r)
{
	return ((double)(rng_u64(r) >> 11) + 0.5) * 0x1p-53;
}

uint64_t syn_rng_below(rng_t *r, uint64_t n); /* uniform in [0, n), n > 0 */
double syn_rng_normal(rng_t *r);            /* standard normal */
double syn_rng_exp(rng_t *r);               /* exponential with mean 1 */
double syn_rng_pareto(rng_t *r, double alpha); /* >= 1, tail P(X > x) = x^-alpha */

/* ---- detmath.c: exp and log that give the same bits on every machine ---- */

double syn_det_exp(double x);
double syn_det_log(double x); /* -HUGE_VAL for x <= 0 */

/* ---- preset.c: the symbols the synthesizer knows ------------------------ */

/* Trading rules as the exchange prints them, plus the parameters of the
 * market model. Rates are per second, notionals in USDT. */
struct preset {
	const char *symbol;
	const char *price, *tick, *min_price, *max_price, *step, *min_qty, *max_qty,
	    *market_max_qty, *percent, *maint_margin, *trigger_protect;
	int price_precision, qty_precision;
	double annual_vol;     /* of the random walk, at the long-run level */
	double book_rate;      /* top-of-book changes per second, calm market */
	double trade_rate;     /* aggTrades per second, calm market */
	double trade_usdt;     /* scale of a trade's notional (Pareto minimum) */
	double level_usdt;     /* scale of the quantity resting at one tick */
	double liq_rate;       /* background liquidations per second and side */
	double liq_usdt;       /* scale of a liquidation's notional (Pareto
	                        * minimum; the median is 2.7 times it) */
	double impact_bps;     /* price impact of a 100k USDT liquidation */
};

const struct preset *syn_preset_at(size_t i);
const struct preset *syn_preset_find(const char *symbol, size_t n);

/* Fills the exchange-info rules and the starting price; -1 (with err) only if
 * the table itself holds a malformed decimal. */
int syn_preset_rules(const struct preset *p, struct symbol_rules *r, dec_t *price, char *err);

/* ---- book.c: the order book a symbol keeps ------------------------------- */

/*
 * The book is a window of BOOK_LEVELS ticks on each side of the touch:
 * level i is the price best - i ticks for bids, best + i for asks, and a
 * quantity of 0 is an empty tick. The simulated market has nothing beyond
 * the window, so a level that leaves it is removed; this keeps a book rebuilt
 * from the depth diffs identical to the model, which the tests check.
 */
#define BOOK_LEVELS 20

struct book_side {
	int64_t best; /* in ticks */
	int64_t qty[BOOK_LEVELS]; /* in steps */
};

struct book {
	struct book_side bid, ask;
};

/* A fresh quantity in steps for a level; never 0 at the touch. */
typedef int64_t (*level_qty_fn)(void *ctx, bool touch);

/* Moves a side's touch to `best`, keeping the levels that stay in the window,
 * drawing fresh ones for the ticks that enter it, and never leaving the touch
 * empty. `dir` is +1 for bids (prices fall with depth), -1 for asks. */
void syn_book_move(struct book_side *s, int dir, int64_t best, level_qty_fn fresh, void *ctx);

/* The levels whose quantity differs between `old` and `cur` (0 for a level
 * that left), best first, in exchange units. Returns how many were written
 * to out, at most 2 * BOOK_LEVELS. */
uint32_t syn_book_diff(const struct book_side *old, const struct book_side *cur, int dir,
                   dec_t tick, dec_t step, level_t *out);

/* The non-empty levels of a side, best first; returns how many. */
uint32_t syn_book_levels(const struct book_side *s, int dir, dec_t tick, dec_t step, level_t *out);

#endif
