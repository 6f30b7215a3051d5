/*
 * match.c - lines the signals of two runs up and names what differs.
 *
 * Signals of one symbol and liquidated side are matched in time order: each
 * signal of A takes the nearest unmatched signal of B within the tolerance.
 * A live run stamps signals when the liquidation arrived and a backtest
 * when its recording says it did, so equal signals are rarely at the same
 * millisecond; the tolerance (default 2 s) absorbs that, not more.
 */
#include <stdlib.h>
#include <string.h>

#include "parity_int.h"

static bool same_key(const struct pty_entry *a, const struct pty_entry *b)
{
	return !strcmp(a->symbol, b->symbol) && !strcmp(a->liq_side, b->liq_side);
}

static int64_t distance(int64_t x, int64_t y)
{
	return x > y ? x - y : y - x;
}

/* The nearest unmatched signal of B for `a`; both runs are in time order,
 * so the search starts where the previous one could no longer reach. */
static int64_t nearest(const struct pty_run *b, size_t *from, const struct pty_entry *a,
                       int64_t tol)
{
	while (*from < b->n && b->e[*from].ms < a->ms - tol)
		(*from)++;
	int64_t best = -1;
	for (size_t j = *from; j < b->n && b->e[j].ms <= a->ms + tol; j++) {
		const struct pty_entry *c = &b->e[j];
		if (c->peer >= 0 || !same_key(a, c))
			continue;
		if (best < 0 || distance(c->ms, a->ms) < distance(b->e[best].ms, a->ms))
			best = (int64_t)j;
	}
	return best;
}

/* Cross-multiplied, so no division rounds: the average prices differ. */
static bool prices_differ(const struct pty_entry *a, const struct pty_entry *b)
{
	return a->cost * b->filled != b->cost * a->filled;
}

/* What B's entry cost against A's, with the same quantity filled: paying
 * more for a buy (or getting less for a sell) and higher fees cost. */
static void entry_cost(struct pty_entry *a, const struct pty_entry *b)
{
	__int128 extra = (b->cost - a->cost) / DEC_SCALE;
	a->cost_to_b = (dec_t)(a->dir > 0 ? extra : -extra) + (b->fee - a->fee);
	a->cost_known = true;
}

static enum pty_cause classify(struct pty_entry *a, const struct pty_entry *b)
{
	if (a->fired != b->fired)
		return PTY_DECISION;
	if (!a->fired)
		return PTY_SAME; /* skipped by both, whatever the reasons */
	if (a->filled != b->filled)
		return PTY_QUEUE;
	entry_cost(a, b);
	if (a->filled && a->first_fill_ms != b->first_fill_ms)
		return PTY_LATENCY;
	if (prices_differ(a, b))
		return PTY_PRICE;
	return a->fee != b->fee ? PTY_FEES : PTY_SAME;
}

void pty_match(struct pty_run *a, struct pty_run *b, int64_t match_ms)
{
	size_t from = 0;
	for (size_t i = 0; i < a->n; i++) {
		struct pty_entry *x = &a->e[i];
		int64_t j = nearest(b, &from, x, match_ms);
		if (j < 0) {
			x->cause = PTY_SIGNAL;
			continue;
		}
		x->peer = j;
		b->e[j].peer = (int64_t)i;
		x->cause = classify(x, &b->e[j]);
	}
	for (size_t j = 0; j < b->n; j++)
		if (b->e[j].peer < 0)
			b->e[j].cause = PTY_SIGNAL;
}

const char *pty_cause_str(enum pty_cause c)
{
	static const char *const names[PTY__COUNT] = {"same", "decision", "signal", "queue",
	                                               "latency", "price", "fees"};
	return c < PTY__COUNT ? names[c] : "?";
}

static void count(const struct pty_run *a, const struct pty_run *b, struct pty_result *res)
{
	memset(res, 0, sizeof *res);
	res->signals[0] = a->n;
	res->signals[1] = b->n;
	res->net[0] = a->net;
	res->net[1] = b->net;
	for (size_t i = 0; i < a->n; i++) {
		res->matched += a->e[i].peer >= 0;
		res->by_cause[a->e[i].cause]++;
	}
	for (size_t j = 0; j < b->n; j++)
		res->by_cause[PTY_SIGNAL] += b->e[j].peer < 0;
}

bool pty_differs(const struct pty_result *r)
{
	for (int c = PTY_SAME + 1; c < PTY__COUNT; c++)
		if (r->by_cause[c])
			return true;
	return r->net[0] != r->net[1];
}

int pty_compare(const struct pty_opts *o, FILE *out, struct pty_result *res, char *err,
                size_t cap)
{
	struct pty_run a = {.path = o->a}, b = {.path = o->b};
	int rc = pty_load(&a, err, cap);
	if (!rc)
		rc = pty_load(&b, err, cap);
	if (!rc) {
		pty_match(&a, &b, o->match_ms);
		count(&a, &b, res);
		(o->json ? pty_print_json : pty_print_text)(out, &a, &b, res);
	}
	pty_run_free(&a);
	pty_run_free(&b);
	return rc;
}
