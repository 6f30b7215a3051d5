/*
 * test_record.c - the recorder's pure parts: the --streams list, the stream
 * names it asks for (and how they split across connections), the gap
 * events it writes, its file names and its status output.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

Test(record_streams, parses_a_list)
{
	unsigned mask;
	char err[200];
	cr_assert_eq(record_streams_parse("aggTrade,depth", &mask, err, sizeof err), 0);
	cr_assert_eq(mask, RECORD_AGG_TRADE | RECORD_DEPTH);
	cr_assert_eq(record_streams_parse("aggTrade,bookTicker,depth,markPrice,forceOrder", &mask,
	                                  err, sizeof err), 0);
	cr_assert_eq(mask, RECORD_ALL_STREAMS);
	cr_assert_eq(record_streams_parse("aggTrade,kline", &mask, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "'kline'"), "%s", err);
	cr_assert_eq(record_streams_parse("aggtrade", &mask, err, sizeof err), -1,
	             "names are Aster's spelling");
	cr_assert_eq(record_streams_parse("", &mask, err, sizeof err), -1);
}

Test(record_streams, names_per_symbol_in_lower_case)
{
	const char *const syms[] = {"BTCUSDT", "1000PEPEUSDT"};
	size_t n;
	char **v = record_stream_names(syms, 2, RECORD_AGG_TRADE | RECORD_DEPTH | RECORD_FORCE_ORDER,
	                               false, &n);
	cr_assert_eq(n, 6);
	const char *want[] = {"btcusdt@aggTrade", "btcusdt@depth", "btcusdt@forceOrder",
	                      "1000pepeusdt@aggTrade", "1000pepeusdt@depth",
	                      "1000pepeusdt@forceOrder"};
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(v[i], want[i]);
	record_names_free(v, n);
}

Test(record_streams, all_liquidations_replaces_per_symbol_force_orders)
{
	const char *const syms[] = {"ETHUSDT"};
	size_t n;
	char **v = record_stream_names(syms, 1, RECORD_ALL_STREAMS, true, &n);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(v[0], "!forceOrder@arr");
	cr_assert_str_eq(v[1], "ethusdt@aggTrade");
	cr_assert_str_eq(v[2], "ethusdt@bookTicker");
	cr_assert_str_eq(v[3], "ethusdt@depth");
	cr_assert_str_eq(v[4], "ethusdt@markPrice");
	record_names_free(v, n);
	v = record_stream_names(NULL, 0, RECORD_ALL_STREAMS, true, &n);
	cr_assert_eq(n, 1, "liquidations alone need no symbol");
	record_names_free(v, n);
}

Test(record_streams, many_symbols_need_several_connections)
{
	enum { NSYM = 50 };
	char buf[NSYM][16];
	const char *syms[NSYM];
	for (int i = 0; i < NSYM; i++) {
		snprintf(buf[i], sizeof buf[i], "S%dUSDT", i);
		syms[i] = buf[i];
	}
	size_t n;
	char **v = record_stream_names(syms, NSYM, RECORD_ALL_STREAMS, true, &n);
	cr_assert_eq(n, 1 + NSYM * 4);
	cr_assert_eq(net_stream_conns(n), 2, "201 streams take two connections");
	record_names_free(v, n);
}

Test(record_gap, carries_kind_times_and_reason)
{
	ev_t ev;
	record_gap_event(&ev, GAP_DISCONNECT, "", 1000, 5000, 5001000000, "closed by the server");
	cr_assert_eq(ev.type, EV_GAP);
	cr_assert_str_empty(ev.symbol);
	cr_assert_eq(ev.exch_ms, 5000, "a gap is stamped with its end");
	cr_assert_eq(ev.recv_ns, 5001000000);
	cr_assert_eq(ev.u.gap.kind, GAP_DISCONNECT);
	cr_assert_eq(ev.u.gap.from_ms, 1000);
	cr_assert_str_eq(ev.u.gap.reason, "closed by the server");
	char longer[200];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	record_gap_event(&ev, GAP_SEQUENCE, "BTCUSDT", 1, 2, 3, longer);
	cr_assert_eq(strlen(ev.u.gap.reason), sizeof ev.u.gap.reason - 1, "cut to fit");
	cr_assert_str_eq(ev.symbol, "BTCUSDT");
}

Test(record_files, named_by_utc_start)
{
	char buf[100];
	cr_assert_eq(record_file_name(buf, sizeof buf, "rec", 1737996947250, 0), 0);
	cr_assert_str_eq(buf, "rec/aster-20250127T165547Z.hrec.gz");
	cr_assert_eq(record_file_name(buf, sizeof buf, "rec", 1737996947250, 2), 0);
	cr_assert_str_eq(buf, "rec/aster-20250127T165547Z-2.hrec.gz");
	cr_assert_eq(record_file_name(buf, 10, "rec", 0, 0), -1);
}

Test(record_status, json_and_line)
{
	struct record_status st = {.period_ms = 2000, .events = 42, .reconnects = 1, .gaps = 2,
	                           .bad_frames = 3, .conns = 2, .conns_up = 1, .lag_ms_avg = 12.5,
	                           .lag_ms_max = 40, .file = "rec/a\"b.hrec.gz"};
	st.msgs[EV_AGG_TRADE] = 20;
	char buf[1000];
	record_status_json(&st, 123, buf, sizeof buf);
	cr_assert_str_eq(buf, "{\"time_ms\":123,\"rates\":{\"agg_trade\":10.000},\"events\":42,"
	                      "\"reconnects\":1,\"gaps\":2,\"bad_frames\":3,\"ignored_frames\":0,"
	                      "\"snapshots\":0,\"conns\":2,\"conns_up\":1,\"books\":0,"
	                      "\"books_live\":0,\"lag_ms_avg\":12.5,"
	                      "\"lag_ms_max\":40,\"file\":\"rec/a\\\"b.hrec.gz\"}");
	record_status_line(&st, buf, sizeof buf);
	cr_assert_not_null(strstr(buf, "agg_trade 10.0/s"), "%s", buf);
	cr_assert_not_null(strstr(buf, "up 1/2"), "%s", buf);
	record_status_line(&st, buf, 10);
	cr_assert_eq(strlen(buf), 9, "cut, never overrun");
}
