/*
 * rng.c - the synthesizer's random numbers: xoshiro256** (Blackman and
 * Vigna), seeded through splitmix64, and the few distributions the market
 * model draws from. An own generator, not rand(), is what makes a seed
 * reproduce the same file run after run: rand() differs between C libraries
 * and shares its state with any other caller.
 */
#include <math.h>

#include "synth_int.h"

/* splitmix64's output function */
static uint64_t hash64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void syn_rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
	/* splitmix64 over seed and stream: never yields the all-zero state that
	 * xoshiro cannot leave. */
	uint64_t x = seed ^ hash64(stream + 0x9e3779b97f4a7c15ULL);
	for (int i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = hash64(x);
	}
}

uint64_t syn_rng_below(rng_t *r, uint64_t n)
{
	/* Lemire's multiply-shift; the bias for the small n used here is far
	 * below anything a market model could notice. */
	return (uint64_t)(((unsigned __int128)rng_u64(r) * n) >> 64);
}

double syn_rng_normal(rng_t *r)
{
	/* Marsaglia's polar method: no sine or cosine, whose last bits vary
	 * between C libraries. One value per call, so no hidden second one. */
	for (;;) {
		double u = 2 * rng_unit(r) - 1, v = 2 * rng_unit(r) - 1, s = u * u + v * v;
		if (s < 1 && s > 0)
			return u * sqrt(-2 * syn_det_log(s) / s);
	}
}

double syn_rng_exp(rng_t *r)
{
	return -syn_det_log(rng_unit(r));
}

double syn_rng_pareto(rng_t *r, double alpha)
{
	return syn_det_exp(-syn_det_log(rng_unit(r)) / alpha);
}
