/*
 * faults.c - the faults a test asks `hunter serve` for, decided from
 * seeded generators so that a run can be repeated: each connection and the
 * REST side draw from their own sequence (splitmix64 of the seed and a
 * stream number), so one client's traffic does not change another's faults.
 * Signed calls draw from a sequence of their own, so adding a signed fault
 * does not move the REST faults of the same run.
 */
#include "serve_int.h"

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void serve_rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t s = seed ^ (stream * 0xd1342543de82ef95ULL);
	r->s = splitmix(&s);
}

double serve_rng_unit(struct rng *r)
{
	return (double)(splitmix(&r->s) >> 11) * (1.0 / 9007199254740992.0);
}

enum data_fault serve_fault_data(const struct serve_faults *f, struct rng *r, uint64_t queued)
{
	if (f->stall_after && queued >= f->stall_after)
		return DF_SKIP;
	if (f->drop_rate > 0 && serve_rng_unit(r) < f->drop_rate)
		return DF_DROP;
	return DF_SEND;
}

int serve_fault_rest(const struct serve_faults *f, struct rng *r)
{
	if (f->rest_fail_rate <= 0 && f->rest_429_rate <= 0)
		return 0;
	double u = serve_rng_unit(r);
	if (u < f->rest_fail_rate)
		return 503;
	return u < f->rest_fail_rate + f->rest_429_rate ? 429 : 0;
}

enum signed_fault serve_fault_signed(const struct serve_faults *f, struct rng *r)
{
	if (f->signed_fail_rate > 0 || f->signed_429_rate > 0) {
		double u = serve_rng_unit(r);
		if (u < f->signed_fail_rate)
			return SF_FAIL;
		if (u < f->signed_fail_rate + f->signed_429_rate)
			return SF_429;
	}
	/* a draw of its own: the late share is of the calls carried out */
	return f->signed_late_rate > 0 && serve_rng_unit(r) < f->signed_late_rate ? SF_LATE
	                                                                            : SF_NONE;
}
