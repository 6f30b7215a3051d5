/*
 * book_int.h - one side of a price-level book, sorted best first, for the
 * sync rules in booksync.c. Each side is a plain sorted array: books hold
 * at most a few thousand levels, almost every change is near the touch, and
 * a binary search plus a short memmove beats a tree at that size while
 * giving the readers a contiguous array for free.
 */
#ifndef HUNTER_BOOKSYNC_BOOK_INT_H
#define HUNTER_BOOKSYNC_BOOK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "booksync.h"

struct booksync_side {
	level_t *lv; /* best first: bids by falling price, asks by rising price */
	size_t n, cap;
	bool asks;
};

/* Sets the quantity at `price`; 0 removes the level (a removal of a level not
 * held is normal and does nothing). When the side already holds
 * BOOKSYNC_SIDE_MAX levels, the worst one is forgotten to make room, or the
 * new one if it would be the worst. Returns 1 when a level was forgotten, 0
 * otherwise, -1 when out of memory (the side is then unchanged). */
int booksync_side_set(struct booksync_side *s, dec_t price, dec_t qty);

void booksync_side_clear(struct booksync_side *s);
void booksync_side_free(struct booksync_side *s);

/* Whether price `a` is better than `b` (nearer the touch) on the ask side
 * (`asks`) or the bid side. */
bool booksync_better(bool asks, dec_t a, dec_t b);

/* Whether every level has a price > 0 and a quantity >= 0 (`lv` may be NULL
 * only when n is 0). Level order is not checked: a side sorts what it gets. */
bool booksync_levels_valid(const level_t *lv, uint32_t n);

#endif
