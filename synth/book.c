/*
 * book.c - the few ticks of order book each synthetic symbol keeps: moving
 * the touch, and turning the book into exchange levels for depth snapshots
 * and diffs. Prices and quantities are integers of ticks and steps here; they
 * become decimals only on the way out, by exact multiplication.
 */
#include "synth_int.h"

void syn_book_move(struct book_side *s, int dir, int64_t best, level_qty_fn fresh, void *ctx)
{
	int64_t old[BOOK_LEVELS];
	int64_t shift = (s->best - best) * dir; /* old index of new level 0 */
	for (int i = 0; i < BOOK_LEVELS; i++)
		old[i] = s->qty[i];
	for (int i = 0; i < BOOK_LEVELS; i++) {
		int64_t j = shift + i;
		s->qty[i] = j >= 0 && j < BOOK_LEVELS ? old[j] : fresh(ctx, i == 0);
	}
	s->best = best;
	if (s->qty[0] == 0)
		s->qty[0] = fresh(ctx, true);
}

static level_t level(int64_t price, int64_t qty, dec_t tick, dec_t step)
{
	return (level_t){.price = price * tick, .qty = qty * step};
}

uint32_t syn_book_diff(const struct book_side *old, const struct book_side *cur, int dir,
		       dec_t tick, dec_t step, level_t *out)
{
	/* Merge the two windows best price first; a price in one window only
	 * was added (or removed) as a whole. */
	uint32_t n = 0;
	int i = 0, j = 0;
	while (i < BOOK_LEVELS || j < BOOK_LEVELS) {
		int64_t pc = cur->best - dir * i, po = old->best - dir * j;
		int64_t qc = 0, qo = 0, price;
		if (j == BOOK_LEVELS || (i < BOOK_LEVELS && (pc - po) * dir > 0)) {
			price = pc;
			qc = cur->qty[i++];
		} else if (i == BOOK_LEVELS || pc != po) {
			price = po;
			qo = old->qty[j++];
		} else {
			price = pc;
			qc = cur->qty[i++];
			qo = old->qty[j++];
		}
		if (qc != qo)
			out[n++] = level(price, qc, tick, step);
	}
	return n;
}

uint32_t syn_book_levels(const struct book_side *s, int dir, dec_t tick, dec_t step, level_t *out)
{
	uint32_t n = 0;
	for (int i = 0; i < BOOK_LEVELS; i++)
		if (s->qty[i])
			out[n++] = level(s->best - dir * i, s->qty[i], tick, step);
	return n;
}
