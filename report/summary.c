/*
 * summary.c - the figures of the run, each computed from the database with
 * the definitions of docs/report.md, and each marked with data-key (its
 * name) and data-value (its unrounded value: the exact _e8 integer for
 * money, a plain number otherwise) so that anyone can check the page
 * against the database.
 */
#include <math.h>
#include <stdlib.h>

#include "report_int.h"

/* Sharpe and Sortino take returns over this period, from the equity
 * table's `minute` samples: fills and price samples come at any rate and
 * would weigh busy minutes more than quiet ones. */
#define RATIO_PERIOD_MS 60000
/* Annualising returns from less than a day of them flatters or damns at
 * random: below this the ratios are not shown. */
#define RATIO_MIN_SPAN_MS 86400000LL

struct money {
	int64_t gross, fees, funding, net, peak_margin, start_equity, end_equity, unrealized;
};

static void figure(FILE *f, const char *key, const char *label, const char *value,
                   const char *shown, int sign)
{
	rp_html_printf(f, "<div class=\"fig\"><div class=\"k\">%s</div><div class=\"v%s\""
	               " data-key=\"%s\" data-value=\"%s\">%s</div></div>\n",
	            label, sign > 0 ? " pos" : sign < 0 ? " neg" : "", key, value, shown);
}

static void fig_e8(FILE *f, const char *key, const char *label, int64_t v, bool colour)
{
	char value[32], shown[FMT_MAX + 8];
	snprintf(value, sizeof value, "%lld", (long long)v);
	rp_fmt_e8(shown, v);
	figure(f, key, label, value, shown, colour ? (v > 0) - (v < 0) : 0);
}

static void fig_count(FILE *f, const char *key, const char *label, int64_t v)
{
	char value[32];
	snprintf(value, sizeof value, "%lld", (long long)v);
	figure(f, key, label, value, value, 0);
}

/* A ratio shown as a percentage; NAN (undefined) shows as "n/a". */
static void fig_pct(FILE *f, const char *key, const char *label, double frac)
{
	char value[40], shown[40];
	if (isnan(frac)) {
		figure(f, key, label, "", "n/a", 0);
		return;
	}
	snprintf(value, sizeof value, "%.10g", frac);
	snprintf(shown, sizeof shown, "%.2f %%", 100.0 * frac);
	figure(f, key, label, value, shown, 0);
}

static void fig_num(FILE *f, const char *key, const char *label, double v, int decimals)
{
	char value[40], shown[40];
	if (isnan(v)) {
		figure(f, key, label, "", "n/a", 0);
		return;
	}
	snprintf(value, sizeof value, "%.10g", v);
	if (isinf(v))
		snprintf(shown, sizeof shown, "&#8734;");
	else
		snprintf(shown, sizeof shown, "%.*f", decimals, v);
	figure(f, key, label, value, shown, 0);
}

/* A figure that cannot be given, and why. */
static void fig_na(FILE *f, const char *key, const char *label, const char *why)
{
	char shown[256];
	snprintf(shown, sizeof shown, "n/a <small>(%s)</small>", why);
	figure(f, key, label, "", shown, 0);
}

static void fig_dur(FILE *f, const char *key, const char *label, int64_t ms)
{
	char value[32], shown[FMT_MAX];
	snprintf(value, sizeof value, "%lld", (long long)ms);
	figure(f, key, label, value, rp_fmt_dur(shown, ms), 0);
}

static void read_money(struct report *r, struct money *m)
{
	m->gross = rp_db_int(r, "SELECT coalesce(sum(realized_pnl_e8), 0) FROM fills");
	m->fees = rp_db_int(r, "SELECT coalesce(sum(fee_e8), 0) FROM fills");
	m->funding = rp_db_int(r, "SELECT coalesce(sum(paid_e8), 0) FROM funding");
	m->net = m->gross - m->fees - m->funding;
	m->peak_margin = rp_db_int(r, "SELECT coalesce(max(margin_used_e8), 0) FROM equity");
	m->start_equity = rp_db_int(r, "SELECT equity_e8 FROM equity ORDER BY id LIMIT 1");
	m->end_equity = rp_db_int(r, "SELECT equity_e8 FROM equity ORDER BY id DESC LIMIT 1");
	m->unrealized = rp_db_int(r, "SELECT unrealized_e8 FROM equity ORDER BY id DESC LIMIT 1");
}

/* The equity samples `where` selects, in time order; NULL with *n = 0
 * when there are none. */
static struct equity_point *read_equity(struct report *r, const char *where, size_t *n)
{
	char count[160], rows[160];
	snprintf(count, sizeof count, "SELECT count(*) FROM equity %s", where);
	snprintf(rows, sizeof rows, "SELECT ms, equity_e8 FROM equity %s ORDER BY id", where);
	*n = 0;
	size_t total = (size_t)rp_db_int(r, count);
	struct equity_point *p = total ? malloc(total * sizeof *p) : NULL;
	if (total && !p) {
		rp_report_fail(r, "out of memory for %zu equity samples", total);
		return NULL;
	}
	sqlite3_stmt *st = rp_db_query(r, rows);
	while (*n < total && rp_db_row(r, st)) {
		p[*n].ms = sqlite3_column_int64(st, 0);
		p[*n].equity_e8 = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	return p;
}

/* Net PnL of the closed round trips, as statistics. */
static double *read_trip_nets(struct report *r, size_t *n)
{
	*n = 0;
	size_t total = (size_t)rp_db_int(r, "SELECT count(*) FROM round_trips"
	                                    " WHERE close_ms IS NOT NULL");
	double *v = malloc((total ? total : 1) * sizeof *v);
	if (!v) {
		rp_report_fail(r, "out of memory for %zu round trips", total);
		return NULL;
	}
	sqlite3_stmt *st = rp_db_query(r, "SELECT net_e8 FROM round_trips WHERE close_ms IS NOT NULL"
	                               " ORDER BY id");
	while (*n < total && rp_db_row(r, st))
		v[(*n)++] = dec_to_double(sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void money_figures(struct report *r, const struct money *m)
{
	FILE *f = r->f;
	fig_e8(f, "net_pnl", "Net PnL, realized (USDT)", m->net, true);
	fig_e8(f, "unrealized", "Unrealized at end (USDT)", m->unrealized, true);
	fig_e8(f, "equity_change", "Equity change = net + unrealized (USDT)",
	       m->end_equity - m->start_equity, true);
	fig_e8(f, "gross_pnl", "Gross PnL, realized (USDT)", m->gross, true);
	fig_e8(f, "fees", "Fees paid (USDT)", m->fees, false);
	fig_e8(f, "funding", "Funding paid (USDT)", m->funding, false);
	fig_e8(f, "start_equity", "Start equity (USDT)", m->start_equity, false);
	fig_e8(f, "end_equity", "End equity (USDT)", m->end_equity, false);
	fig_e8(f, "peak_margin", "Peak margin used (USDT)", m->peak_margin, false);
	fig_pct(f, "return_on_margin", "Return on peak margin (realized; excludes unrealized)",
	        m->peak_margin > 0 ? (double)m->net / (double)m->peak_margin : NAN);
}

/* Drawdown over every sample, whatever its reason: each fill and each
 * second of prices while a position is open can be the deepest point. */
static void risk_figures(struct report *r)
{
	size_t n;
	struct equity_point *p = read_equity(r, "", &n);
	struct drawdown dd;
	rp_stats_drawdown(p, n, &dd);
	int64_t span = n ? p[n - 1].ms - p[0].ms : 0;
	free(p);
	struct ratios ra;
	p = read_equity(r, "WHERE reason = 'minute'", &n);
	bool ok = rp_stats_ratios(p, n, RATIO_PERIOD_MS, &ra);
	free(p);
	FILE *f = r->f;
	fig_e8(f, "max_drawdown", "Max drawdown (USDT, at every fill and price sample)",
	       dd.max_amount, false);
	fig_pct(f, "max_drawdown_pct", "Max drawdown (of peak)", dd.max_frac);
	fig_dur(f, "max_drawdown_duration", "Longest time under water", dd.max_duration_ms);
	if (span < RATIO_MIN_SPAN_MS) {
		char why[160], d[FMT_MAX];
		snprintf(why, sizeof why, "an annualised ratio needs at least 1 day of 1-minute"
		                          " returns; this run has %s", rp_fmt_dur(d, span));
		fig_na(f, "sharpe", "Sharpe (1-min returns, annualised)", why);
		fig_na(f, "sortino", "Sortino (1-min returns, annualised)", why);
		return;
	}
	fig_num(f, "sharpe", "Sharpe (1-min returns, annualised)", ok ? ra.sharpe : NAN, 2);
	fig_num(f, "sortino", "Sortino (1-min returns, annualised)", ok ? ra.sortino : NAN, 2);
}

/* Union of the round trips' spans, an open trip lasting to the end. */
static int64_t time_in_market(struct report *r)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT open_ms, coalesce(close_ms, (SELECT last_ms FROM run))"
	                               " FROM round_trips ORDER BY open_ms");
	int64_t total = 0, from = 0, to = 0;
	bool open = false;
	while (rp_db_row(r, st)) {
		int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
		if (open && a <= to) {
			to = b > to ? b : to;
			continue;
		}
		if (open)
			total += to - from;
		from = a;
		to = b;
		open = true;
	}
	sqlite3_finalize(st);
	return open ? total + to - from : total;
}

static void trip_figures(struct report *r)
{
	size_t n;
	double *net = read_trip_nets(r, &n);
	if (!net)
		return;
	struct trip_stats ts;
	rp_stats_trips(net, n, &ts);
	free(net);
	FILE *f = r->f;
	fig_count(f, "round_trips", "Round trips (closed)", (int64_t)ts.n);
	fig_count(f, "wins", "Winning round trips", (int64_t)ts.wins);
	fig_pct(f, "win_rate", "Win rate", ts.n ? ts.win_rate : NAN);
	fig_num(f, "expectancy", "Expectancy per trip (USDT)", ts.n ? ts.expectancy : NAN, 4);
	fig_num(f, "profit_factor", "Profit factor", ts.n ? ts.profit_factor : NAN, 2);
	int64_t hold = rp_db_int(r, "SELECT coalesce(avg(close_ms - open_ms), 0) FROM round_trips"
	                         " WHERE close_ms IS NOT NULL");
	fig_dur(f, "avg_holding", "Average holding time", hold);
	int64_t span = r->last_ms - r->first_ms;
	fig_pct(f, "time_in_market", "Time in market",
	        span > 0 ? (double)time_in_market(r) / (double)span : NAN);
	fig_count(f, "signals", "Signals", rp_db_int(r, "SELECT count(*) FROM signals"));
	fig_count(f, "signals_fired", "Signals fired",
	          rp_db_int(r, "SELECT coalesce(sum(fired), 0) FROM signals"));
	fig_count(f, "orders", "Orders", rp_db_int(r, "SELECT count(DISTINCT client_id) FROM orders"));
	fig_count(f, "fills", "Fills", rp_db_int(r, "SELECT count(*) FROM fills"));
}

void rp_page_summary(struct report *r)
{
	struct money m;
	read_money(r, &m);
	rp_html_section(r->f, "summary", "Summary");
	fputs("<div class=\"figs\">\n", r->f);
	money_figures(r, &m);
	risk_figures(r);
	trip_figures(r);
	fputs("</div>\n", r->f);
}
