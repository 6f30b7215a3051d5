/*
 * window.c - the rolling liquidation window of strategy.md §2, recomputed
 * from the liquidations for the report's charts: the sum rises when a
 * liquidation arrives and falls back `window` later, when it leaves
 * (t - window, t]. Exact: sizes are summed as 1e-8 integers.
 */
#include "report_int.h"

size_t rp_liq_window(const struct liq *v, size_t n, int64_t window_ms, struct liq *out)
{
	size_t in = 0, gone = 0, m = 0;
	int64_t sum = 0;
	while (gone < n) {
		int64_t t_in = in < n ? v[in].ms : INT64_MAX;
		int64_t t_out = v[gone].ms + window_ms;
		int64_t t = t_in < t_out ? t_in : t_out;
		while (gone < in && v[gone].ms + window_ms <= t)
			sum -= v[gone++].size;
		while (in < n && v[in].ms <= t)
			sum += v[in++].size;
		out[m++] = (struct liq){.ms = t, .size = sum};
	}
	return m;
}
