/* Unit tests for the synthesizer's own exp/log and random distributions:
 * close to the C library's, and shaped as the market model assumes. */
#include <criterion/criterion.h>
#include <math.h>

#include "synth_int.h"

static void close_to(double got, double want, const char *what, double x)
{
	double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
	cr_assert_lt(rel, 1e-14, "%s(%.17g) = %.17g, libm says %.17g", what, x, got, want);
}

Test(detmath, exp_and_log_agree_with_libm)
{
	for (double x = -700; x <= 700; x += 0.37)
		close_to(syn_det_exp(x), exp(x), "exp", x);
	for (double x = 1e-300; x < 1e300; x *= 1.9)
		close_to(syn_det_log(x), log(x), "log", x);
	for (double x = 0.5; x < 2; x += 0.001)
		cr_assert_lt(fabs(syn_det_log(x) - log(x)), 1e-15, "log(%.17g)", x);
	cr_assert_eq(syn_det_exp(0), 1);
	cr_assert_eq(syn_det_log(1), 0);
	cr_assert_eq(syn_det_exp(-1000), 0);
	cr_assert(isinf(syn_det_log(0)) && syn_det_log(0) < 0);
	cr_assert(isinf(syn_det_log(-1)) && syn_det_log(-1) < 0);
}

#define N 200000

Test(detmath, distributions_have_their_moments)
{
	rng_t r;
	double sn = 0, sn2 = 0, se = 0, su = 0, tail = 0;
	syn_rng_seed(&r, 42, 1);
	for (int i = 0; i < N; i++) {
		double z = syn_rng_normal(&r), u = rng_unit(&r);
		sn += z;
		sn2 += z * z;
		se += syn_rng_exp(&r);
		su += u;
		cr_assert(u > 0 && u < 1);
		tail += syn_rng_pareto(&r, 1.5) > 10;
		cr_assert_lt(syn_rng_below(&r, 7), 7);
	}
	cr_assert_lt(fabs(sn / N), 0.01, "normal mean %g", sn / N);
	cr_assert_lt(fabs(sn2 / N - 1), 0.02, "normal variance %g", sn2 / N);
	cr_assert_lt(fabs(se / N - 1), 0.01, "exponential mean %g", se / N);
	cr_assert_lt(fabs(su / N - 0.5), 0.005, "uniform mean %g", su / N);
	/* P(X > 10) = 10^-1.5 for a Pareto with tail index 1.5. */
	cr_assert_lt(fabs(tail / N - 0.0316), 0.003, "Pareto tail %g", tail / N);
}

Test(detmath, streams_are_reproducible_and_distinct)
{
	rng_t a, b, c;
	syn_rng_seed(&a, 7, 3);
	syn_rng_seed(&b, 7, 3);
	syn_rng_seed(&c, 7, 4);
	int same_c = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_u64(&a);
		cr_assert_eq(x, rng_u64(&b));
		same_c += x == rng_u64(&c);
	}
	cr_assert_eq(same_c, 0, "streams 3 and 4 overlap");
}
