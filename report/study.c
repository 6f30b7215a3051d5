/*
 * study.c - the event study: how the price moved after each trigger, at
 * +1 s, +5 s, +30 s and +5 min, averaged by size of the liquidation window
 * that fired. It reads only signals and market_prices, so it says whether
 * fading cascades works on this data whatever the take-profit, stop-loss
 * or fill model: the move is signed in the fade's direction (up after long
 * liquidations, down after short ones), positive meaning a fade gained
 * before costs.
 *
 * Prices are the run database's one-second samples: p(t) is the price known
 * at t, the last value seen up to the start of t's second (the sample of the
 * last whole second before it), never a value from after t: a study that
 * peeked past the trigger would flatter the first horizon. The move uses the
 * mid when both sides of the book are known at both ends of the interval,
 * else the last trade, else the mark price.
 *
 * Each figure carries data-key (study_BUCKET_HORIZON, or study_BUCKET_triggers
 * for the count), data-value (the unrounded average as a fraction, empty
 * when no trigger had a price) and data-n (the triggers it averages), like
 * the summary's figures, so that the page can be checked against the data.
 */
#include <string.h>

#include "report_int.h"

#define NHORIZONS 4
#define NBUCKETS 5 /* four volume ranges and "all" */

static const int64_t horizon_ms[NHORIZONS] = {1000, 5000, 30000, 300000};
static const char *const horizon_name[NHORIZONS] = {"+1 s", "+5 s", "+30 s", "+5 min"};
static const char *const horizon_key[NHORIZONS] = {"1s", "5s", "30s", "5min"};
/* Window volume ranges, in the settings' unit (USDT by default). */
static const int64_t bucket_edge[NBUCKETS - 2] = {DEC(10000), DEC(100000), DEC(1000000)};
static const char *const bucket_name[NBUCKETS] = {
	"below 10k", "10k to 100k", "100k to 1M", "1M and above", "all triggers"};
static const char *const bucket_key[NBUCKETS] = {"lt10k", "10k_100k", "100k_1m", "ge1m", "all"};

struct sample {
	int64_t bid, ask, last, mark;
};

struct cell {
	double sum; /* of fractional moves */
	size_t n;
};

struct study {
	sqlite3_stmt *price; /* the sample at or before a time */
	size_t triggers[NBUCKETS];
	struct cell cell[NBUCKETS][NHORIZONS];
};

static bool sample_at(struct report *r, struct study *s, const char *symbol, int64_t ms,
                      struct sample *out)
{
	sqlite3_reset(s->price);
	sqlite3_bind_text(s->price, 1, symbol, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s->price, 2, ms / 1000 * 1000 - 1000);
	if (!rp_db_row(r, s->price))
		return false;
	*out = (struct sample){sqlite3_column_int64(s->price, 0), sqlite3_column_int64(s->price, 1),
	                       sqlite3_column_int64(s->price, 2), sqlite3_column_int64(s->price, 3)};
	return true;
}

/* The fractional move from a to b with the best price both have. */
static bool move(const struct sample *a, const struct sample *b, double *out)
{
	double pa, pb;
	if (a->bid > 0 && a->ask > 0 && b->bid > 0 && b->ask > 0) {
		pa = (double)(a->bid + a->ask) / 2;
		pb = (double)(b->bid + b->ask) / 2;
	} else if (a->last > 0 && b->last > 0) {
		pa = (double)a->last;
		pb = (double)b->last;
	} else if (a->mark > 0 && b->mark > 0) {
		pa = (double)a->mark;
		pb = (double)b->mark;
	} else {
		return false;
	}
	*out = (pb - pa) / pa;
	return true;
}

static int bucket_of(int64_t volume)
{
	int b = 0;
	while (b < NBUCKETS - 2 && volume >= bucket_edge[b])
		b++;
	return b;
}

static void one_trigger(struct report *r, struct study *s, sqlite3_stmt *sig)
{
	int64_t ms = sqlite3_column_int64(sig, 0);
	char symbol[SYMBOL_MAX];
	copy_str(symbol, sizeof symbol, rp_db_text(sig, 1), strlen(rp_db_text(sig, 1)));
	double sign = !strcmp(rp_db_text(sig, 2), "SELL") ? 1.0 : -1.0;
	int b = bucket_of(sqlite3_column_int64(sig, 3));
	s->triggers[b]++;
	s->triggers[NBUCKETS - 1]++;
	struct sample p0, ph;
	if (!sample_at(r, s, symbol, ms, &p0))
		return;
	for (int h = 0; h < NHORIZONS; h++) {
		double m;
		if (ms + horizon_ms[h] > r->last_ms || !sample_at(r, s, symbol, ms + horizon_ms[h], &ph) ||
		    !move(&p0, &ph, &m))
			continue;
		int both[2] = {b, NBUCKETS - 1};
		for (int k = 0; k < 2; k++) {
			s->cell[both[k]][h].sum += sign * m;
			s->cell[both[k]][h].n++;
		}
	}
}

/* One average: its figure, and n where fewer triggers than the bucket's had a price. */
static void write_cell(FILE *f, const struct study *s, int b, int h)
{
	const struct cell *c = &s->cell[b][h];
	rp_html_printf(f, "<td class=\"n%s\" data-key=\"study_%s_%s\"",
		       !c->n ? "" : c->sum > 0 ? " pos" : " neg", bucket_key[b], horizon_key[h]);
	if (!c->n) {
		fputs(" data-value=\"\" data-n=\"0\">n/a</td>", f);
		return;
	}
	double avg = c->sum / (double)c->n;
	rp_html_printf(f, " data-value=\"%.17g\" data-n=\"%zu\">%+.3f %% (%+.1f bps)", avg, c->n,
		       100 * avg, 10000 * avg);
	if (c->n < s->triggers[b])
		rp_html_printf(f, " n=%zu", c->n);
	fputs("</td>", f);
}

static void write_table(struct report *r, const struct study *s)
{
	FILE *f = r->f;
	fputs("<div class=\"scroll\"><table>\n<thead><tr><th>window volume</th><th>triggers</th>", f);
	for (int h = 0; h < NHORIZONS; h++)
		rp_html_printf(f, "<th>%s</th>", horizon_name[h]);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (int b = 0; b < NBUCKETS; b++) {
		if (!s->triggers[b])
			continue;
		rp_html_printf(f, "<tr><td>%s</td><td class=\"n\" data-key=\"study_%s_triggers\""
		               " data-value=\"%zu\">%zu</td>",
		            bucket_name[b], bucket_key[b], s->triggers[b], s->triggers[b]);
		for (int h = 0; h < NHORIZONS; h++)
			write_cell(f, s, b, h);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

void rp_page_study(struct report *r)
{
	rp_html_section(r->f, "study", "Event study: the price after each trigger");
	if (!r->market) {
		rp_html_note(r->f, "This run database has no market_* tables, so the price after each"
		                " trigger is unknown: run the backtest again with this hunter.");
		return;
	}
	struct study s = {.price = rp_db_query(r, "SELECT bid_e8, ask_e8, last_e8, mark_e8 FROM"
	                                      " market_prices WHERE symbol = ?1 AND ms <= ?2"
	                                      " ORDER BY ms DESC LIMIT 1")};
	sqlite3_stmt *sig = rp_db_query(r, "SELECT ms, symbol, liq_side, window_volume_e8 FROM signals"
	                                " ORDER BY id");
	while (s.price && rp_db_row(r, sig))
		one_trigger(r, &s, sig);
	sqlite3_finalize(sig);
	sqlite3_finalize(s.price);
	rp_html_printf(r->f, "<p>Average price move after each trigger, signed in the fade's direction"
	                  " (a fade buys after long liquidations and sells after short ones):"
	                  " positive means fading gained before fees. Buckets are the rolling"
	                  " liquidation volume that fired the trigger, in the settings' volume unit."
	                  " Prices are 1-second samples (mid, else last trade, else mark), each the"
	                  " price known at that moment: the last whole second before it, never a"
	                  " later one. n is given where fewer triggers had a price at that horizon"
	                  " (the run ended first, or no price was seen).</p>\n");
	if (!s.triggers[NBUCKETS - 1]) {
		rp_html_note(r->f, "No triggers in this run.");
		return;
	}
	write_table(r, &s);
}
