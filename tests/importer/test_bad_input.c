/*
 * Bad input: every bad line, row or value is reported with its line and a
 * reason naming the field, the good ones around it are kept, and files that
 * cannot be read or hold nothing valid fail with the right status.
 */
#include <zlib.h>

#include "imp_test.h"

static struct loaded *load_text(const char *text, imp_format_t f, char **path)
{
	*path = temp_file(text, strlen(text));
	return load_with((struct imp_options){.format = f}, (const char *const *)path, 1);
}

static void done(struct loaded *l, char *path)
{
	unlink(path);
	free(path);
	unload(l);
}

static void assert_bad(const struct loaded *l, size_t i, uint64_t line, const char *part)
{
	cr_assert_gt(l->nbad, i);
	cr_assert_eq(l->bad_line[i], line, "report %zu: line %llu, not %llu (%s)", i,
	             (unsigned long long)l->bad_line[i], (unsigned long long)line, l->bad_msg[i]);
	cr_assert(strstr(l->bad_msg[i], part), "report %zu: \"%s\" lacks \"%s\"", i, l->bad_msg[i],
	          part);
}

Test(bad, liq_csv_rows)
{
	char *path;
	struct loaded *l = load_text(
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000\n"
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829\n"
		"BTC,SELL,LIMIT,IOC,0.5,1e5,100000.2,FILLED,0.5,0.5,1737908829829,50000\n"
		"BTC,SIDEWAYS,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000\n"
		"\n"
		"eth,BUY,LIMIT,IOC,1,3000,3000,FILLED,1,1,1737908829830,3000\n"
		"ETH,BUY,LIMIT,IOC,1,3000,3000,FILLED,1,1,17379088298xx,3000\n"
		"ETH,BUY,LIMIT,IOC,-1,3000,3000,FILLED,1,1,1737908829830,3000\n"
		"SOLUSDC , BUY , LIMIT , IOC , 2 , 200 , 200 , FILLED , 2 , 2 , 1737908829831 , 400\n",
		IMP_LIQ_CSV, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.units, 8);
	cr_assert_eq(l->st.events, 2);
	cr_assert_eq(l->st.bad, 6);
	assert_bad(l, 0, 2, "expected 12 or 13 fields, found 11");
	assert_bad(l, 1, 3, "field 6 (p)");
	assert_bad(l, 2, 4, "field 2 (side)");
	assert_bad(l, 3, 6, "field 1 (symbol)");
	assert_bad(l, 4, 7, "field 11 (T)");
	assert_bad(l, 5, 8, "field 5 (q): negative");
	cr_assert_str_eq(imp_set_event(l->set, 1)->symbol, "SOLUSDC");
	done(l, path);
}

Test(bad, trades_csv_rows)
{
	char *path;
	struct loaded *l = load_text(
		"1737897220002, BTCUSDT, 2541757614, 104943.5, 0.15, 1737897219873, False\n"
		"1737897220002, BTCUSDT, 2541757615, 104943.5, 0.15, 1737897219873, maybe\n"
		"1737897220002, BTCUSDT, x, 104943.5, 0.15, 1737897219873, True\n"
		"1737897220003, BTCUSDT, 2541757616, 104943.5, 0.123456789, 1737897219873, True\n",
		IMP_TRADES_CSV, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.events, 1);
	assert_bad(l, 0, 2, "field 7 (is_buyer_maker)");
	assert_bad(l, 1, 3, "field 3 (a)");
	assert_bad(l, 2, 4, "field 5 (q)");
	done(l, path);
}

Test(bad, hftbacktest_lines)
{
	char *path;
	struct loaded *l = load_text(
		"1723161255088169167 {\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\","
		"\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1.0\",\"B\":\"2\",\"a\":\"1.1\",\"A\":\"3\","
		"\"T\":1723161256313,\"E\":1723161256313}}\n"
		"{\"stream\":\"btcusdt@bookTicker\"}\n"
		"1723161255088169168 {\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTi\n",
		IMP_HFTBACKTEST, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.events, 1);
	assert_bad(l, 0, 2, "receive time");
	assert_bad(l, 1, 3, "JSON");
	done(l, path);
}

Test(bad, hftbacktest_snapshot_without_any_symbol)
{
	char *path;
	struct loaded *l = load_text(
		"1723161255319702566 {\"lastUpdateId\":5,\"E\":1723161256501,\"T\":1723161256493,"
		"\"bids\":[[\"1.0\",\"2\"]],\"asks\":[]}\n",
		IMP_HFTBACKTEST, &path);
	cr_assert_eq(l->rc, IMP_ERR_EMPTY);
	assert_bad(l, 0, 1, "give --symbol");
	done(l, path);
}

Test(bad, cryptofeed_lines)
{
	char *path;
	struct loaded *l = load_text(
		"wss://fstream.binance.com/stream?streams=x <-> 1626992740.179554\n"
		"16269927x1.06217: {\"e\":\"bookTicker\"}\n"
		"1626992741.06217 {\"e\":\"bookTicker\"}\n"
		"1626992741.06217: {\"e\":\"kline\",\"E\":1,\"s\":\"X\",\"k\":{}}\n",
		IMP_CRYPTOFEED, &path);
	cr_assert_eq(l->rc, IMP_ERR_EMPTY);
	cr_assert_eq(l->st.ignored, 2);
	assert_bad(l, 0, 2, "<seconds>: <json>");
	assert_bad(l, 1, 3, "<seconds>: <json>");
	done(l, path);
}

#define BOOK(u) "{\"e\":\"bookTicker\",\"u\":" #u ",\"s\":\"X\",\"b\":\"1\",\"B\":\"1\"," \
	"\"a\":\"2\",\"A\":\"1\",\"T\":5,\"E\":" #u "}"

/* In a JSON-lines file a cut line is bad alone; the lines after it stay. */
Test(bad, frames_json_lines)
{
	char *path;
	struct loaded *l = load_text(BOOK(10) "\n"
	                             "{\"e\":\"bookTicker\",\"u\":11,\n"
	                             BOOK(12) "\n"
	                             "junk\n"
	                             BOOK(13) " " BOOK(14) "\n",
	                             IMP_FRAMES, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.events, 4);
	assert_bad(l, 0, 2, "unterminated");
	assert_bad(l, 1, 4, "byte 1: expected a JSON object or array");
	cr_assert_eq(l->nbad, 2);
	done(l, path);
}

/* Pretty-printed values with comments, and one cut short at the end. */
Test(bad, frames_multi_line)
{
	char *path;
	struct loaded *l = load_text("// a payload file\n"
	                             "{\n  \"e\": \"bookTicker\", // the kind\n  \"u\": 3,\n"
	                             "  \"s\": \"X\", \"b\": \"1\", \"B\": \"1\", \"a\": \"2\", \"x\": \"//\",\n"
	                             "  \"A\": \"1\", \"T\": 5, \"E\": 7\n}\n"
	                             "{\n  \"e\": \"bookTicker\",\n",
	                             IMP_FRAMES, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.events, 1);
	cr_assert_eq(imp_set_event(l->set, 0)->exch_ms, 7);
	assert_bad(l, 0, 8, "not terminated");
	done(l, path);
}

Test(bad, cryptofeed_v3_rows)
{
	char *path;
	struct loaded *l = load_text(
		"{\"t\":\"header\",\"format\":2}\n"
		"{\"t\":\"recv\",\"ts\":\"soon\",\"data\":\"{}\"}\n"
		"{\"t\":\"recv\",\"ts\":1626992741.3105128,\"data\":\"" "{\\\"e\\\":\\\"bookTicker\\\","
		"\\\"u\\\":1,\\\"s\\\":\\\"X\\\",\\\"b\\\":\\\"1\\\",\\\"B\\\":\\\"1\\\",\\\"a\\\":\\\"2\\\","
		"\\\"A\\\":\\\"1\\\",\\\"T\\\":5,\\\"E\\\":6}\"}\n",
		IMP_AUTO, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.format, IMP_FRAMES);
	cr_assert_eq(kind_count(&l->st, "cryptofeed header"), 1);
	assert_bad(l, 0, 2, "\"ts\"");
	cr_assert_eq(imp_set_event(l->set, 0)->recv_ns, 1626992741310512800);
	done(l, path);
}

Test(bad, truncated_gzip_is_an_io_error)
{
	test_need_real_data();
	const char *src = LIQ("binance.csv");
	char *path = strdup("/tmp/hunter_imp_gz.XXXXXX");
	int fd = mkstemp(path);
	gzFile gz = gzdopen(fd, "wb");
	FILE *in = fopen(src, "rb");
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		gzwrite(gz, buf, (unsigned)n);
	fclose(in);
	gzclose(gz);
	cr_assert_eq(truncate(path, 20000), 0);
	struct loaded *l = load_with((struct imp_options){0}, (const char *const *)&path, 1);
	cr_assert_eq(l->rc, IMP_ERR_IO);
	cr_assert(strstr(l->err, "gzip"), "%s", l->err);
	cr_assert_gt(l->st.events, 0); /* it got as far as the cut */
	done(l, path);
}

Test(bad, missing_empty_and_mixed_inputs)
{
	test_need_real_data();
	struct loaded *l = load1("/nonexistent/capture.gz");
	cr_assert_eq(l->rc, IMP_ERR_IO);
	cr_assert(strstr(l->err, "/nonexistent/capture.gz"), "%s", l->err);
	unload(l);

	char *path;
	l = load_text("", IMP_AUTO, &path);
	cr_assert_eq(l->rc, IMP_ERR_EMPTY);
	cr_assert(strstr(l->err, "empty"), "%s", l->err);
	done(l, path);

	const char *mixed[] = {LIQ("binance.csv"), HFT("btcusdt_20240808.gz")};
	l = load_with((struct imp_options){0}, mixed, 2);
	cr_assert_eq(l->rc, IMP_ERR_USAGE);
	cr_assert(strstr(l->err, "one format at a time"), "%s", l->err);
	unload(l);

	const char *info_bad[] = {LIQ("binance.csv")};
	l = load_with((struct imp_options){.exchange_info = LIQ("binance.csv")}, info_bad, 1);
	cr_assert_eq(l->rc, IMP_ERR_USAGE);
	cr_assert(strstr(l->err, "not an exchangeInfo"), "%s", l->err);
	unload(l);
}

/* Out-of-order input comes out sorted, equal times in input order. */
Test(bad, stable_sort)
{
	char *path;
	struct loaded *l = load_text(
		"1000, AUSDT, 3, 1, 1, 1, True\n"
		"900, AUSDT, 1, 1, 1, 1, True\n"
		"1000, AUSDT, 4, 1, 1, 1, True\n"
		"950, AUSDT, 2, 1, 1, 1, True\n"
		"1000, AUSDT, 5, 1, 1, 1, True\n",
		IMP_TRADES_CSV, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(imp_set_event(l->set, i)->u.trade.id, (int64_t)i + 1);
	done(l, path);
}
