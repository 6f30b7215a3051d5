/*
 * Times as typed on the command line, and the inspect summary: spans,
 * holes per symbol and type, gaps, out-of-order events, merging files.
 */
#include "imp_test.h"

Test(time, parse_and_format)
{
	int64_t ms;
	char buf[UTC_FMT_MAX];
	cr_assert_eq(utc_parse("1737996947000", &ms), 0);
	cr_assert_eq(ms, 1737996947000);
	cr_assert_eq(utc_parse("2025-01-27T16:55:47Z", &ms), 0);
	cr_assert_eq(ms, 1737996947000);
	cr_assert_eq(utc_parse("2025-01-27 16:55:47.250", &ms), 0);
	cr_assert_eq(ms, 1737996947250);
	cr_assert_eq(utc_parse("2025-01-27T16:55", &ms), 0);
	cr_assert_eq(ms, 1737996900000);
	cr_assert_eq(utc_parse("2025-01-27", &ms), 0);
	cr_assert_eq(ms, 1737936000000);
	const char *bad[] = {"", "2025-13-01", "2025-01-27T25:00", "2025-01-27x",
	                     "27/01/2025", "2025-01-27T16:55:47.5", "-1737996947000"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(utc_parse(bad[i], &ms), -1, "'%s' should be refused", bad[i]);
	utc_format(1737996947250, buf);
	cr_assert_str_eq(buf, "2025-01-27T16:55:47.250Z");
	utc_format(0, buf);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
}

static ev_t trade(const char *symbol, int64_t ms)
{
	ev_t e;
	memset(&e, 0, sizeof e);
	e.type = EV_AGG_TRADE;
	e.exch_ms = ms;
	copy_str(e.symbol, sizeof e.symbol, symbol, strlen(symbol));
	return e;
}

Test(summary, holes_gaps_and_order)
{
	imp_summary_t *s = imp_summary_new("a.hrec", 5000);
	ev_t evs[] = {
		trade("BTCUSDT", 1000), trade("ETHUSDT", 1500), trade("BTCUSDT", 7000), /* hole 6 s */
		trade("ETHUSDT", 6000), trade("BTCUSDT", 6500),                         /* back */
		trade("BTCUSDT", 11000),                                                /* 4 s: none */
	};
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		imp_summary_add(s, &evs[i]);
	ev_t gap;
	memset(&gap, 0, sizeof gap);
	gap.type = EV_GAP;
	gap.exch_ms = 12000;
	gap.u.gap.kind = GAP_DISCONNECT;
	gap.u.gap.from_ms = 11000;
	imp_summary_add(s, &gap);
	cr_assert_eq(imp_summary_events(s), 7);
	cr_assert_eq(imp_summary_holes(s), 1);
	cr_assert_eq(imp_summary_gaps(s), 1);
	cr_assert_eq(imp_summary_out_of_order(s), 1);

	char *json = imp_summary_json(s);
	cr_assert(json);
	cr_assert(strstr(json, "\"events\":7"), "%s", json);
	cr_assert(strstr(json, "\"BTCUSDT\":{\"agg_trade\":4}"), "%s", json);
	cr_assert(strstr(json, "\"duration_s\":11"), "%s", json);
	cr_assert(strstr(json, "\"holes_by_symbol\":{\"BTCUSDT\":{\"agg_trade\":1}}"), "%s", json);
	free(json);

	imp_summary_t *total = imp_summary_new("total", 5000);
	imp_summary_merge(total, s);
	imp_summary_merge(total, s);
	cr_assert_eq(imp_summary_events(total), 14);
	cr_assert_eq(imp_summary_holes(total), 2);
	imp_summary_free(total);
	imp_summary_free(s);
}

Test(summary, many_symbols)
{
	imp_summary_t *s = imp_summary_new(NULL, 5000);
	char sym[SYMBOL_MAX];
	for (int i = 0; i < 1000; i++) {
		snprintf(sym, sizeof sym, "S%dUSDT", i % 300);
		ev_t e = trade(sym, 1000 + i);
		imp_summary_add(s, &e);
	}
	char *json = imp_summary_json(s);
	cr_assert(strstr(json, "\"S299USDT\":{\"agg_trade\":3}"), "%s", json);
	cr_assert(strstr(json, "\"S0USDT\":{\"agg_trade\":4}"), "%s", json);
	free(json);
	imp_summary_free(s);
}

/* A recorder's start gap has no beginning (from 0): no date of 1970, no
 * length of fifty years. */
Test(summary, a_gap_without_a_start_is_printed_as_such)
{
	imp_summary_t *s = imp_summary_new("r.hrec", 5000);
	ev_t gap;
	memset(&gap, 0, sizeof gap);
	gap.type = EV_GAP;
	gap.exch_ms = 1737996900000;
	gap.u.gap.kind = GAP_RESTART;
	strcpy(gap.u.gap.reason, "recorder started");
	imp_summary_add(s, &gap);
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	imp_summary_print(s, f);
	fclose(f);
	cr_assert(strstr(text, "restart      (unknown) .. 2025-01-27T16:55:00.000Z: recorder started"),
	          "%s", text);
	cr_assert_null(strstr(text, "1970"), "%s", text);
	free(text);
	imp_summary_free(s);
}
