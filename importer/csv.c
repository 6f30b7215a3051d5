/*
 * csv.c - reads the liquidation logger's CSV files (no header row):
 *
 *   liq-csv     symbol,side,order_type,tif,q,p,ap,status,l,z,T_ms,usd_size[,tier]
 *               (the logger strips "USDT" from every symbol, so it is put
 *               back unless the symbol ends in another quote such as USDC)
 *   trades-csv  E_ms, SYMBOL, a, p, q, T_ms, True|False[, usd_size, tier]
 *               (large aggTrades)
 *
 * Loggers of different versions write what these tolerate: a trailing
 * `tier` (and `usd_size` on trades), an average price of None, null or
 * nothing (the order price stands in, strategy.md §2), spaces around
 * fields, symbols with letters beyond ASCII. A time written as a date
 * instead of epoch milliseconds is never guessed at: such rows are refused
 * and counted, for one summary line. Every other field is checked; a bad
 * row is reported with its line, field number and name, and skipped.
 *
 * A liquidation row has only its trade time T. Its event time is T plus
 * the configured arrival delay (importer.h), the moment a live stream,
 * throttled to one liquidation per symbol per second, would have shown it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "importer_int.h"

#define MAX_FIELDS 14 /* one more than any row has, to see extra fields */

struct field {
	const char *s;
	size_t n;
};

struct row {
	struct imp_ctx *c;
	const char *const *names;
	struct field f[MAX_FIELDS];
	size_t n;
};

static const char *const liq_names[] = {
	"symbol", "side", "order_type", "time_in_force", "q", "p", "ap", "status",
	"l", "z", "T", "usd_size", "tier",
};
static const char *const trade_names[] = {
	"E", "symbol", "a", "p", "q", "T", "is_buyer_maker", "usd_size", "tier",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Quotes other than USDT that the logger leaves on a symbol. */
static const char *const other_quotes[] = {"USDC", "BUSD", "FDUSD"};

static size_t split(char *line, size_t len, struct field *f)
{
	size_t n = 0;
	const char *p = line, *end = line + len;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end, *a = p;
		while (a < stop && (*a == ' ' || *a == '\t'))
			a++;
		while (stop > a && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
			stop--;
		if (n < MAX_FIELDS)
			f[n] = (struct field){a, (size_t)(stop - a)};
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

static int bad_field(struct row *r, size_t i, const char *what)
{
	imp_bad(r->c, "field %zu (%s): %s: \"%.*s\"", i + 1, r->names[i], what,
	        (int)(r->f[i].n > 40 ? 40 : r->f[i].n), r->f[i].s);
	return -1;
}

static int get_dec(struct row *r, size_t i, dec_t *out)
{
	const char *why = "not a decimal";
	if (dec_parse(r->f[i].s, r->f[i].n, out, &why))
		return bad_field(r, i, why);
	return *out < 0 ? bad_field(r, i, "negative") : 0;
}

/* "2025-01-27 16:55:47": a date, which the row's time zone would have to
 * be guessed to read. */
static bool wall_clock(const struct field *f)
{
	return f->n >= 8 && memchr(f->s, '-', f->n) && memchr(f->s, ':', f->n);
}

static int get_ms(struct row *r, size_t i, int64_t *out)
{
	uint64_t v;
	if (wall_clock(&r->f[i])) {
		struct imp_stats *st = r->c->st;
		if (st->wallclock++ == 0) {
			snprintf(st->wallclock_file, sizeof st->wallclock_file, "%s", r->c->file);
			st->wallclock_line = r->c->line;
		}
		return -1;
	}
	if (imp_parse_u64(r->f[i].s, r->f[i].n, &v) || v == 0 || v > INT64_MAX / 1000000)
		return bad_field(r, i, "expected a time in ms since the epoch");
	*out = (int64_t)v;
	return 0;
}

/* An average price the logger could not give: None, null or nothing. */
static bool no_value(const struct field *f)
{
	return f->n == 0 || (f->n == 4 && (!memcmp(f->s, "None", 4) || !memcmp(f->s, "null", 4)));
}

static int get_enum(struct row *r, size_t i, int (*from)(const char *, size_t), int *out)
{
	*out = from(r->f[i].s, r->f[i].n);
	return *out ? 0 : bad_field(r, i, "unknown value");
}

/* The logger's own notional: checked as a plain decimal number, not kept
 * (it is not exchange data, and float printing gives it any length). */
static int check_number(struct row *r, size_t i)
{
	const char *s = r->f[i].s;
	size_t n = r->f[i].n, digits = strspn(s, "0123456789");
	if (digits > 0 && digits < n && s[digits] == '.')
		digits += 1 + strspn(s + digits + 1, "0123456789");
	return digits == n && n > 0 && s[n - 1] != '.' ? 0 : bad_field(r, i, "not a number");
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && !memcmp(s + n - k, suffix, k);
}

/* The length of the UTF-8 character at s (at most n bytes), 0 if invalid. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (s[0] >= 0xf8 || len == 0 || len > n)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Upper-case ASCII letters and digits, and letters of other scripts, which
 * Binance lists in a few symbols. */
static bool symbol_chars(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t k = 0; k < n;) {
		size_t len = u[k] < 0x80 ? (isupper(u[k]) || isdigit(u[k])) : utf8_char(u + k, n - k);
		if (!len)
			return false;
		k += len;
	}
	return true;
}

static int get_symbol(struct row *r, size_t i, bool add_usdt, char out[SYMBOL_MAX])
{
	const struct field *f = &r->f[i];
	size_t n = f->n;
	if (!symbol_chars(f->s, n))
		return bad_field(r, i, "expected upper-case letters, digits or UTF-8 letters");
	for (size_t q = 0; add_usdt && q < COUNT(other_quotes); q++)
		add_usdt = !ends_with(f->s, n, other_quotes[q]);
	if (n == 0 || n + (add_usdt ? 4 : 0) >= SYMBOL_MAX)
		return bad_field(r, i, "empty or too long");
	memcpy(out, f->s, n);
	memcpy(out + n, "USDT", add_usdt ? 5 : 1);
	out[n + (add_usdt ? 4 : 0)] = '\0';
	return 0;
}

static int liq_row(struct row *r, ev_t *ev)
{
	struct ev_liquidation *l = &ev->u.liq;
	int side, type, tif, status;
	ev->type = EV_LIQUIDATION;
	if (get_symbol(r, 0, true, ev->symbol) || get_enum(r, 1, side_from, &side) ||
	    get_enum(r, 2, order_type_from, &type) || get_enum(r, 3, tif_from, &tif) ||
	    get_dec(r, 4, &l->qty) || get_dec(r, 5, &l->price) ||
	    (!no_value(&r->f[6]) && get_dec(r, 6, &l->avg_price)) ||
	    get_enum(r, 7, order_status_from, &status) || get_dec(r, 8, &l->last_qty) ||
	    get_dec(r, 9, &l->filled_qty) || get_ms(r, 10, &l->trade_ms) || check_number(r, 11) ||
	    (r->n > 12 && check_number(r, 12)))
		return -1;
	if (no_value(&r->f[6]))
		l->avg_price = l->price;
	l->side = (side_t)side;
	l->type = (order_type_t)type;
	l->tif = (tif_t)tif;
	l->status = (order_status_t)status;
	/* the logger keeps T, not the frame's E */
	ev->exch_ms = l->trade_ms + r->c->o->liq_arrival_delay_ms;
	return 0;
}

static int trade_row(struct row *r, ev_t *ev)
{
	struct ev_trade *t = &ev->u.trade;
	uint64_t id;
	ev->type = EV_AGG_TRADE;
	if (get_ms(r, 0, &ev->exch_ms) || get_symbol(r, 1, false, ev->symbol))
		return -1;
	if (imp_parse_u64(r->f[2].s, r->f[2].n, &id) || id > INT64_MAX)
		return bad_field(r, 2, "expected an aggregate trade id");
	if (get_dec(r, 3, &t->price) || get_dec(r, 4, &t->qty) || get_ms(r, 5, &t->trade_ms))
		return -1;
	t->id = (int64_t)id;
	const struct field *m = &r->f[6];
	if (m->n == 4 && !memcmp(m->s, "True", 4))
		t->buyer_maker = true;
	else if (!(m->n == 5 && !memcmp(m->s, "False", 5)))
		return bad_field(r, 6, "expected True or False");
	if (r->n > 7 && (check_number(r, 7) || check_number(r, 8)))
		return -1;
	return 0;
}

/* A row has the fields of the first logger version, or those of a later
 * one that appended some. */
struct layout {
	const char *const *names;
	size_t nfields, nfields_later;
	int (*build)(struct row *r, ev_t *ev);
};

static int read_row(struct imp_ctx *c, void *arg, char *line, size_t len)
{
	const struct layout *l = arg;
	struct row r = {.c = c, .names = l->names};
	ev_t ev;
	memset(&ev, 0, sizeof ev);
	c->st->units++;
	r.n = split(line, len, r.f);
	if (r.n != l->nfields && r.n != l->nfields_later)
		imp_bad(c, "expected %zu or %zu fields, found %zu", l->nfields, l->nfields_later, r.n);
	else if (l->build(&r, &ev) == 0) {
		uint64_t kept = c->st->events;
		if (imp_keep(c, &ev))
			return -1;
		/* counted once kept: a row the window drops was not delayed into the recording */
		if (ev.type == EV_LIQUIDATION && c->st->events > kept)
			c->st->liq_delayed += c->o->liq_arrival_delay_ms > 0;
	}
	return 0;
}

int imp_read_csv(struct imp_ctx *c, linereader_t *lr, imp_format_t f, char *err, size_t cap)
{
	static const struct layout liq = {liq_names, 12, COUNT(liq_names), liq_row};
	static const struct layout trades = {trade_names, 7, COUNT(trade_names), trade_row};
	return imp_each_line(c, lr, read_row, (void *)(f == IMP_LIQ_CSV ? &liq : &trades), err,
	                     cap);
}
