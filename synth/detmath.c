/*
 * detmath.c - exp() and log() computed from IEEE-754 additions and
 * multiplications alone, which every machine rounds the same way.
 *
 * The C library's versions differ in their last bit between libm releases
 * and between the code paths a CPU selects at run time (with or without
 * FMA), and one bit in a log price can move a rounded price by a tick: the
 * same seed would then give a different file on another machine. With these
 * two functions, sqrt() (exactly rounded by IEEE) and -ffp-contract=off (set
 * in CMakeLists.txt, so no compiler fuses a multiply-add), the synthesizer's
 * output depends on its inputs only. Accuracy is a few units in the last
 * place, far finer than the model needs.
 */
#include <math.h>
#include <string.h>

#include "synth_int.h"

/* ln 2 split so that k * LN2_HI is exact for any exponent k (Cody and
 * Waite; the values are fdlibm's). */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LN2 (LN2_HI + LN2_LO)

/* 2^k for the exponents syn_det_exp can reach, built from its bits: exact. */
static double pow2(int k)
{
	uint64_t bits = (uint64_t)(k + 1023) << 52;
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

/* The polynomials below are evaluated by Estrin's scheme (pairs, then pairs
 * of pairs) rather than Horner's: the multiplications run side by side
 * instead of in one long chain, which halves the time. The order of the
 * operations is written out, hence so are the bits. */

double syn_det_exp(double x)
{
	if (x < -700)
		return 0;
	if (x > 700)
		x = 700;
	/* exp(x) = 2^k * exp(r) with |r| <= ln2/2; exp(r) by its Taylor series
	 * to r^13/13!, the first term left out being below 1e-17. */
	double k = floor(x * (1 / LN2) + 0.5);
	double r = (x - k * LN2_HI) - k * LN2_LO, r2 = r * r, r4 = r2 * r2;
	double p0 = (1 + r) + (1.0 / 2 + r * (1.0 / 6)) * r2;
	double p1 = (1.0 / 24 + r * (1.0 / 120)) + (1.0 / 720 + r * (1.0 / 5040)) * r2;
	double p2 = (1.0 / 40320 + r * (1.0 / 362880)) + (1.0 / 3628800 + r * (1.0 / 39916800)) * r2;
	double p3 = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
	return ((p0 + p1 * r4) + (p2 + p3 * r4) * (r4 * r4)) * pow2((int)k);
}

double syn_det_log(double x)
{
	if (!(x > 0))
		return -HUGE_VAL;
	/* x = m * 2^e with m in [sqrt(1/2), sqrt(2)); log(m) = 2 atanh(s) for
	 * s = (m - 1) / (m + 1), |s| < 0.172: 2 (s + s^3/3 + ... + s^21/21),
	 * the first term left out being below 1e-17. frexp is exact. */
	int e;
	double m = frexp(x, &e);
	if (m < 0.7071067811865476) {
		m *= 2;
		e--;
	}
	double s = (m - 1) / (m + 1), z = s * s, z2 = z * z, z4 = z2 * z2;
	double p0 = (1 + z * (1.0 / 3)) + (1.0 / 5 + z * (1.0 / 7)) * z2;
	double p1 = (1.0 / 9 + z * (1.0 / 11)) + (1.0 / 13 + z * (1.0 / 15)) * z2;
	double p2 = (1.0 / 17 + z * (1.0 / 19)) + (1.0 / 21) * z2;
	double sum = (p0 + p1 * z4) + p2 * (z4 * z4);
	return e * LN2_HI + (e * LN2_LO + 2 * s * sum);
}
