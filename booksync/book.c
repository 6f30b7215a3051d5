/*
 * book.c - one side of the book as a sorted array of levels (see book_int.h
 * for why an array).
 */
#include <stdlib.h>
#include <string.h>

#include "book_int.h"

bool booksync_better(bool asks, dec_t a, dec_t b)
{
	return asks ? a < b : a > b;
}

bool booksync_levels_valid(const level_t *lv, uint32_t n)
{
	if (n && !lv)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (lv[i].price <= 0 || lv[i].qty < 0)
			return false;
	return true;
}

/* Index of the first level not better than `price`: where it is, or where it
 * would go. */
static size_t find(const struct booksync_side *s, dec_t price)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (booksync_better(s->asks, s->lv[mid].price, price))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void remove_at(struct booksync_side *s, size_t i)
{
	memmove(&s->lv[i], &s->lv[i + 1], (s->n - i - 1) * sizeof *s->lv);
	s->n--;
}

static int insert_at(struct booksync_side *s, size_t i, dec_t price, dec_t qty)
{
	level_t *lv = grow_array(s->lv, &s->cap, s->n + 1, sizeof *s->lv);
	if (!lv)
		return -1;
	s->lv = lv;
	memmove(&lv[i + 1], &lv[i], (s->n - i) * sizeof *lv);
	lv[i] = (level_t){price, qty};
	s->n++;
	return 0;
}

int booksync_side_set(struct booksync_side *s, dec_t price, dec_t qty)
{
	size_t i = find(s, price);
	if (i < s->n && s->lv[i].price == price) {
		if (qty)
			s->lv[i].qty = qty;
		else
			remove_at(s, i);
		return 0;
	}
	if (!qty)
		return 0;
	int forgot = 0;
	if (s->n >= BOOKSYNC_SIDE_MAX) {
		if (i == s->n)
			return 1; /* it would be the worst level: it is the one forgotten */
		s->n--;
		forgot = 1;
	}
	return insert_at(s, i, price, qty) ? -1 : forgot;
}

void booksync_side_clear(struct booksync_side *s)
{
	s->n = 0;
}

void booksync_side_free(struct booksync_side *s)
{
	free(s->lv);
	s->lv = NULL;
	s->n = s->cap = 0;
}
