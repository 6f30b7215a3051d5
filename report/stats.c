/*
 * stats.c - the performance figures of a run: drawdown, Sharpe and Sortino
 * of the equity curve, and per round trip win rate, expectancy and profit
 * factor. The drawdown is exact, in 1e-8 units like the equity it comes
 * from; the ratios use doubles, being statistics, not money that moves.
 */
#include <math.h>

#include "report_int.h"

void rp_stats_drawdown(const struct equity_point *p, size_t n, struct drawdown *out)
{
	*out = (struct drawdown){0};
	if (n == 0)
		return;
	int64_t peak = p[0].equity_e8;
	int64_t peak_ms = p[0].ms, below_since = -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i].equity_e8 >= peak) {
			if (below_since >= 0 && p[i].ms - below_since > out->max_duration_ms)
				out->max_duration_ms = p[i].ms - below_since;
			below_since = -1;
			peak = p[i].equity_e8;
			peak_ms = p[i].ms;
			continue;
		}
		if (below_since < 0)
			below_since = peak_ms;
		int64_t dd = peak - p[i].equity_e8;
		if (dd > out->max_amount) {
			out->max_amount = dd;
			out->max_frac = peak > 0 ? (double)dd / (double)peak : 0;
			out->peak_ms = peak_ms;
			out->trough_ms = p[i].ms;
		}
	}
	/* still under water at the end: that time counts too */
	if (below_since >= 0 && p[n - 1].ms - below_since > out->max_duration_ms)
		out->max_duration_ms = p[n - 1].ms - below_since;
}

bool rp_stats_ratios(const struct equity_point *p, size_t n, int64_t period_ms, struct ratios *out)
{
	*out = (struct ratios){0};
	if (n < 2 || period_ms <= 0)
		return false;
	/* The value of a period is its last sample; a period without samples
	 * keeps the previous value (the account did not change). The first
	 * period gives the starting value, each later one a return. */
	double sum = 0, sumsq = 0, downsq = 0, prev = 0;
	size_t k = 0, i = 0;
	int64_t end = p[0].ms + period_ms;
	while (i < n && p[i].ms < end)
		prev = dec_to_double(p[i++].equity_e8);
	for (end += period_ms; i < n; end += period_ms) {
		double last = prev;
		while (i < n && p[i].ms < end)
			last = dec_to_double(p[i++].equity_e8);
		if (prev != 0) {
			double r = (last - prev) / fabs(prev);
			sum += r;
			sumsq += r * r;
			if (r < 0)
				downsq += r * r;
			k++;
		}
		prev = last;
	}
	out->periods = k;
	if (k < 2)
		return false;
	double mean = sum / (double)k;
	double var = (sumsq - sum * mean) / (double)(k - 1);
	double per_year = sqrt(365.25 * 86400000.0 / (double)period_ms);
	double down = sqrt(downsq / (double)k);
	out->sharpe = var > 0 ? mean / sqrt(var) * per_year : 0;
	out->sortino = down > 0 ? mean / down * per_year : 0;
	return true;
}

void rp_stats_trips(const double *net, size_t n, struct trip_stats *out)
{
	*out = (struct trip_stats){.n = n};
	double won = 0, lost = 0, sum = 0;
	size_t losses = 0;
	for (size_t i = 0; i < n; i++) {
		sum += net[i];
		if (net[i] > 0) {
			out->wins++;
			won += net[i];
		} else if (net[i] < 0) {
			losses++;
			lost -= net[i];
		}
	}
	if (n == 0)
		return;
	out->win_rate = (double)out->wins / (double)n;
	out->expectancy = sum / (double)n;
	out->avg_win = out->wins ? won / (double)out->wins : 0;
	out->avg_loss = losses ? -lost / (double)losses : 0;
	out->profit_factor = lost > 0 ? won / lost : (won > 0 ? INFINITY : 0);
}
