/*
 * klines.c - candlesticks for GET /fapi/v1/klines, built from the
 * recording's trades: one bar per minute is kept as trades arrive, and
 * longer intervals are summed from them when asked. Sums that would
 * overflow a decimal stay at their last value (no real market gets near).
 */
#include <string.h>

#include "serve_int.h"

#define MINUTE_MS 60000LL

static const struct interval {
	const char *text;
	int64_t ms;
} intervals[] = {
	{"1m", MINUTE_MS},         {"3m", 3 * MINUTE_MS},     {"5m", 5 * MINUTE_MS},
	{"15m", 15 * MINUTE_MS},   {"30m", 30 * MINUTE_MS},   {"1h", 60 * MINUTE_MS},
	{"2h", 120 * MINUTE_MS},   {"4h", 240 * MINUTE_MS},   {"6h", 360 * MINUTE_MS},
	{"8h", 480 * MINUTE_MS},   {"12h", 720 * MINUTE_MS},  {"1d", 1440 * MINUTE_MS},
};

int64_t serve_kline_interval(const char *text)
{
	for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++)
		if (!strcmp(intervals[i].text, text))
			return intervals[i].ms;
	return -1;
}

static void add_to(dec_t *sum, dec_t v)
{
	if ((v > 0 && *sum <= DEC_MAX - v) || (v <= 0 && *sum >= DEC_MIN - v))
		*sum += v;
}

/* Folds bar `b` (later in time) into `into`. */
static void merge(struct kline *into, const struct kline *b)
{
	if (b->high > into->high)
		into->high = b->high;
	if (b->low < into->low)
		into->low = b->low;
	into->close = b->close;
	add_to(&into->volume, b->volume);
	add_to(&into->quote, b->quote);
	add_to(&into->taker_base, b->taker_base);
	add_to(&into->taker_quote, b->taker_quote);
	into->trades += b->trades;
}

static int64_t floor_to(int64_t t, int64_t step)
{
	int64_t r = t % step;
	return t - (r < 0 ? r + step : r);
}

int serve_klines_add(struct sym_state *s, const struct ev_trade *t)
{
	dec_t quote = 0;
	dec_mul(t->price, t->qty, &quote);
	struct kline one = {
		.open_ms = floor_to(t->trade_ms, MINUTE_MS),
		.open = t->price, .high = t->price, .low = t->price, .close = t->price,
		.volume = t->qty, .quote = quote,
		.taker_base = t->buyer_maker ? 0 : t->qty, .taker_quote = t->buyer_maker ? 0 : quote,
		.trades = 1,
	};
	struct kline *last = s->nklines ? &s->klines[s->nklines - 1] : NULL;
	if (last && one.open_ms <= last->open_ms) {
		/* a trade that came late counts in the current bar */
		merge(last, &one);
		return 0;
	}
	struct kline *v = grow_array(s->klines, &s->klines_cap, s->nklines + 1, sizeof *v);
	if (!v)
		return -1;
	s->klines = v;
	s->klines[s->nklines++] = one;
	return 0;
}

static void write_row(struct text *out, const struct kline *k, int64_t interval_ms)
{
	serve_text_printf(out, "[%lld,", (long long)k->open_ms);
	const dec_t prices[] = {k->open, k->high, k->low, k->close, k->volume};
	for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
		serve_text_dec(out, prices[i]);
		serve_text_puts(out, ",");
	}
	serve_text_printf(out, "%lld,", (long long)(k->open_ms + interval_ms - 1));
	serve_text_dec(out, k->quote);
	serve_text_printf(out, ",%lld,", (long long)k->trades);
	serve_text_dec(out, k->taker_base);
	serve_text_puts(out, ",");
	serve_text_dec(out, k->taker_quote);
	serve_text_puts(out, ",\"0\"]");
}

/* The bars of the interval, oldest first, into bars[]; returns how many. */
static size_t build(const struct sym_state *s, int64_t interval_ms, int64_t from, int64_t to,
                    struct kline *bars, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nklines; i++) {
		struct kline k = s->klines[i];
		k.open_ms = floor_to(k.open_ms, interval_ms);
		if (k.open_ms + interval_ms - 1 < from || k.open_ms > to)
			continue;
		if (n && bars[(n - 1) % cap].open_ms == k.open_ms)
			merge(&bars[(n - 1) % cap], &k);
		else
			bars[n++ % cap] = k;
	}
	return n;
}

void serve_klines_write(const struct sym_state *s, int64_t interval_ms, int64_t from, int64_t to,
                        int64_t limit, struct text *out)
{
	struct kline bars[1500];
	size_t cap = limit > 0 && limit < 1500 ? (size_t)limit : 1500;
	size_t n = build(s, interval_ms, from, to, bars, cap);
	size_t first = n > cap ? n - cap : 0;
	serve_text_puts(out, "[");
	for (size_t i = first; i < n; i++) {
		if (i > first)
			serve_text_puts(out, ",");
		write_row(out, &bars[i % cap], interval_ms);
	}
	serve_text_puts(out, "]");
}
