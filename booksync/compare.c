/*
 * compare.c - the book against a depth snapshot (booksync_compare), for the
 * tests and for a recorder's self-check. It reads the book through the
 * public accessors only and allocates nothing, so it may run on a live book
 * at any time.
 */
#include <string.h>

#include "book_int.h"
#include "booksync.h"

/* Whether the snapshot's side is strictly sorted best first. */
static bool sorted(bool asks, const level_t *lv, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		if (!booksync_better(asks, lv[i - 1].price, lv[i].price))
			return false;
	return true;
}

static void differs(struct booksync_cmp *out, side_t side, dec_t price)
{
	if (!out->differ++) {
		out->first_side = side;
		out->first_price = price;
	}
}

/* Book levels down to the snapshot's worst price (all of them when the
 * snapshot's side is empty: the exchange's side is then empty). */
static uint32_t in_range(bool asks, const level_t *book, uint32_t nb, const level_t *snap,
                         uint32_t ns)
{
	if (!ns)
		return nb;
	uint32_t i = 0;
	while (i < nb && !booksync_better(asks, snap[ns - 1].price, book[i].price))
		i++;
	return i;
}

/* Merges the two sorted sides; a snapshot level of quantity 0 stands for an
 * absent one. */
static void compare_side(const booksync_t *b, side_t side, const level_t *snap, uint32_t ns,
                         struct booksync_cmp *out)
{
	bool asks = side == SIDE_SELL;
	uint32_t nb, i = 0, j = 0;
	const level_t *book = booksync_levels(b, side, &nb);
	nb = in_range(asks, book, nb, snap, ns);
	while (i < nb || j < ns) {
		out->compared++;
		if (j == ns || (i < nb && booksync_better(asks, book[i].price, snap[j].price))) {
			differs(out, side, book[i++].price);
		} else if (i == nb || booksync_better(asks, snap[j].price, book[i].price)) {
			if (snap[j].qty)
				differs(out, side, snap[j].price);
			j++;
		} else {
			if (book[i].qty != snap[j].qty)
				differs(out, side, book[i].price);
			i++;
			j++;
		}
	}
}

int booksync_compare(const booksync_t *b, const ev_t *snap, struct booksync_cmp *out)
{
	memset(out, 0, sizeof *out);
	if (!snap || snap->type != EV_DEPTH_SNAPSHOT ||
	    strncmp(snap->symbol, booksync_symbol(b), sizeof snap->symbol))
		return -1;
	const struct ev_depth *d = &snap->u.depth;
	if (!booksync_levels_valid(d->bids, d->nbids) ||
	    !booksync_levels_valid(d->asks, d->nasks) || !sorted(false, d->bids, d->nbids) ||
	    !sorted(true, d->asks, d->nasks))
		return -1;
	compare_side(b, SIDE_BUY, d->bids, d->nbids, out);
	compare_side(b, SIDE_SELL, d->asks, d->nasks, out);
	return out->differ ? 1 : 0;
}
