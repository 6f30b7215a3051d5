/*
 * roundtrip.c - turns the stream of fills into round trips (a position of
 * one symbol and position side from flat to flat) with their exact gross,
 * fees, funding and net. The journal writes one row per trip; reports count
 * wins and losses over them.
 *
 * Gross is computed from the fills' own prices, not from the exchange's
 * realized PnL, so a trip row can be checked against the fills table alone.
 * Every closing fill counts, whoever sent it: the exchange's liquidation,
 * ADL or settlement is a trip's exit leg at its own (bankruptcy) price, so
 * the trip's gross carries the lost margin and its fees the fill's fee.
 */
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"

static struct trip *slot_find(struct trips *ts, const char *symbol, pos_side_t ps)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->slot[i].pos_side == ps && !strcmp(ts->slot[i].symbol, symbol))
			return &ts->slot[i];
	return NULL;
}

static struct trip *slot_get(struct trips *ts, const char *symbol, pos_side_t ps)
{
	struct trip *t = slot_find(ts, symbol, ps);
	if (t)
		return t;
	struct trip *v = grow_array(ts->slot, &ts->cap, ts->n + 1, sizeof *v);
	if (!v)
		return NULL;
	ts->slot = v;
	t = &ts->slot[ts->n++];
	memset(t, 0, sizeof *t);
	copy_str(t->symbol, sizeof t->symbol, symbol, strlen(symbol));
	t->pos_side = ps;
	return t;
}

/* Adds price * qty to a running sum; -1 on overflow. */
static int add_value(dec_t *sum, dec_t price, dec_t qty)
{
	dec_t v;
	if (dec_mul(price, qty, &v) || __builtin_add_overflow(*sum, v, sum))
		return -1;
	return 0;
}

static void trip_open(struct trip *t, int64_t ms, int dir)
{
	pos_side_t ps = t->pos_side;
	char symbol[SYMBOL_MAX];
	memcpy(symbol, t->symbol, sizeof symbol);
	memset(t, 0, sizeof *t);
	memcpy(t->symbol, symbol, sizeof symbol);
	t->pos_side = ps;
	t->dir = dir;
	t->open_ms = ms;
}

/* The part of a fill in the trip's direction (or opening it). */
static int trip_enter(struct trip *t, dec_t price, dec_t qty, dec_t fee)
{
	t->fills++;
	t->open_qty += qty;
	t->qty_in += qty;
	t->fees += fee;
	return add_value(&t->value_in, price, qty);
}

/* The part of a fill against it: qty <= open_qty. */
static int trip_exit(struct trip *t, dec_t price, dec_t qty, dec_t fee)
{
	t->fills++;
	t->open_qty -= qty;
	t->qty_out += qty;
	t->fees += fee;
	return add_value(&t->value_out, price, qty);
}

int jn_trips_fill(struct trips *ts, int64_t ms, const char *symbol, pos_side_t ps, side_t side,
		  dec_t price, dec_t qty, dec_t fee)
{
	struct trip *t = slot_get(ts, symbol, ps);
	if (!t)
		return -1;
	int dir = side == SIDE_BUY ? 1 : -1;
	/* In hedge mode the position side fixes the direction: a fill against
	 * it on a flat slot closes a position held before the run (adopted at a
	 * restart), which has no entry leg here to make a trip with. */
	int hedged = ps == PS_LONG ? 1 : ps == PS_SHORT ? -1 : 0;
	if (t->dir == 0 && hedged && dir != hedged)
		return 0;
	if (t->dir == 0)
		trip_open(t, ms, dir);
	if (t->dir == dir)
		return trip_enter(t, price, qty, fee);

	dec_t closing = qty < t->open_qty ? qty : t->open_qty;
	dec_t fee_close = fee;
	if (closing < qty && dec_muldiv(fee, closing, qty, &fee_close))
		return -1;
	if (trip_exit(t, price, closing, fee_close))
		return -1;
	if (t->open_qty > 0)
		return 0;
	ts->done(ts->ctx, t, ms);
	t->dir = 0;
	if (closing == qty)
		return 0;
	/* One-way mode: the fill went through zero and opened the other way. */
	trip_open(t, ms, dir);
	return trip_enter(t, price, qty - closing, fee - fee_close);
}

void jn_trips_funding(struct trips *ts, const char *symbol, pos_side_t ps, dec_t paid)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct trip *t = &ts->slot[i];
		if (t->dir && !strcmp(t->symbol, symbol) && (!ps || t->pos_side == ps)) {
			t->funding += paid;
			return;
		}
	}
}

void jn_trips_flush(struct trips *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->slot[i].dir)
			ts->done(ts->ctx, &ts->slot[i], 0);
}

void jn_trips_free(struct trips *ts)
{
	free(ts->slot);
	ts->slot = NULL;
	ts->n = ts->cap = 0;
}

int jn_trip_result(const struct trip *t, struct jn_trip_result *r)
{
	memset(r, 0, sizeof *r);
	if (t->qty_in && dec_div(t->value_in, t->qty_in, &r->entry_avg))
		return -1;
	if (t->qty_out && dec_div(t->value_out, t->qty_out, &r->exit_avg))
		return -1;
	/* Entry value of the quantity closed so far: all of it once flat. */
	dec_t closed_in = 0;
	if (t->qty_in && dec_muldiv(t->value_in, t->qty_out, t->qty_in, &closed_in))
		return -1;
	r->gross = t->dir * (t->value_out - closed_in);
	r->net = r->gross - t->fees - t->funding;
	return 0;
}
