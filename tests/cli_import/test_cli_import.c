/*
 * `hunter import` and `hunter inspect` run as a user runs them, on every real
 * data set; and the proof that import -> recording -> inspect --dump keeps
 * every field of every event: each dumped line, parsed back with
 * aster_parse, equals the event read from the recording, field by field.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "aster.h"
#include "importer/ev_equal.h"
#include "recording.h"

#define REAL(p) HUNTER_REAL_DATA "/" p
#define NAUTILUS REAL("nautilus_trader__binance_fixtures/")
#define LIQ(p) REAL("liq_loggers/PauliusMinialga__data_streams_for_crypto/" p)
#define INFO REAL("asterdex__api-demo-node/exchangeInfo-response.json")

static char dir[] = "/tmp/hunter_cli_import.XXXXXX";

static void setup(void)
{
	test_dir_make(dir);
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Runs `hunter <args>` with stdout and stderr to files; the exit code. */
static int hunter(const char *args)
{
	if (strstr(args, HUNTER_REAL_DATA))
		test_need_real_data();
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", dir, HUNTER_BIN, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "%s", cmd);
	return WEXITSTATUS(st);
}

static char *slurp(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return test_read_file(path, NULL);
}

static void assert_output(const char *name, const char *part)
{
	char *s = slurp(name);
	cr_assert(strstr(s, part), "%s lacks \"%s\":\n%s", name, part, s);
	free(s);
}

struct compare {
	const ev_t *want;
	size_t line;
	int got;
};

static int compare_sink(void *ctx, const ev_t *ev)
{
	struct compare *c = ctx;
	char why[256];
	cr_assert(ev_equal(c->want, ev, why, sizeof why), "dump line %zu (%s): %s", c->line,
	          ev_type_name(ev->type), why);
	c->got++;
	return 0;
}

/* Every line of out.txt (the dump) against the recording's events. */
static size_t check_dump(const char *recording)
{
	char path[256], err[REC_ERR_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, recording);
	rec_reader *r = rec_reader_open(path, err);
	cr_assert(r, "%s", err);
	char *dump = slurp("out.txt");
	aster_parser_t *p = aster_parser_new();
	ev_t want;
	size_t n = 0;
	char *save = NULL;
	for (char *line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_assert_eq(rec_reader_next(r, &want), 1, "dump has more lines than %s", path);
		struct compare c = {&want, ++n, 0};
		struct aster_result res;
		aster_parse(p, line, strlen(line), NULL, compare_sink, &c, &res);
		cr_assert_eq(res.status, ASTER_EVENTS, "dump line %zu: %s", n, res.err);
		cr_assert_eq(c.got, 1, "dump line %zu gave %d events", n, c.got);
	}
	cr_assert_eq(rec_reader_next(r, &want), 0, "the dump lacks events of %s", path);
	aster_parser_free(p);
	rec_reader_close(r);
	free(dump);
	return n;
}

struct dataset {
	const char *name;
	const char *inputs;
	size_t events;
};

static const struct dataset sets[] = {
	{"btc", "-x " INFO " " REAL("hftbacktest__examples_usdm/btcusdt_20240808.gz"), 93955},
	{"eth", REAL("hftbacktest__examples_usdm/ethusdt_20240808.gz"), 74655},
	{"cf", REAL("cryptofeed__sample_data/BINANCE_FUTURES.ws.1.0") " "
	       REAL("cryptofeed__sample_data/BINANCE_FUTURES.http.0.0") " "
	       REAL("cryptofeed__sample_data/BINANCE_FUTURES.0"), 1473},
	{"cfz", REAL("cryptofeed__sample_data/BINANCE_FUTURES.jsonl.zst"), 1473},
	{"nautilus", NAUTILUS "crates/adapters/binance/test_data/futures/market_data_json/*.json "
	             NAUTILUS "crates/adapters/binance/test_data/futures/user_data_json/*.json", 17},
	{"liq", "-x " INFO " --from 2025-01-27T16:55:00Z --to 2025-01-27T17:20:00Z "
	        LIQ("binance.csv") " " LIQ("binance_trades.csv"), 1668 + 11728 + 1},
};

static void import_inspect_dump(const struct dataset *d)
{
	char args[2048], want[64];
	snprintf(args, sizeof args, "import -o %s.hrec.gz %s", d->name, d->inputs);
	cr_assert_eq(hunter(args), 0, "%s", args);
	snprintf(want, sizeof want, "%zu events", d->events);
	assert_output("out.txt", want);
	assert_output("err.txt", "(detected)");

	snprintf(args, sizeof args, "inspect %s.hrec.gz", d->name);
	cr_assert_eq(hunter(args), 0);
	snprintf(want, sizeof want, "events: %zu", d->events);
	assert_output("out.txt", want);
	assert_output("out.txt", "source \"import ");

	snprintf(args, sizeof args, "inspect --dump %s.hrec.gz", d->name);
	cr_assert_eq(hunter(args), 0);
	snprintf(want, sizeof want, "%s.hrec.gz", d->name);
	cr_assert_eq(check_dump(want), d->events);
}

Test(cli, hftbacktest_btc) { import_inspect_dump(&sets[0]); }
Test(cli, hftbacktest_eth) { import_inspect_dump(&sets[1]); }
Test(cli, cryptofeed_text) { import_inspect_dump(&sets[2]); }
Test(cli, cryptofeed_zst) { import_inspect_dump(&sets[3]); }
Test(cli, nautilus) { import_inspect_dump(&sets[4]); }
Test(cli, liquidation_logger) { import_inspect_dump(&sets[5]); }

Test(cli, inspect_json_and_totals)
{
	cr_assert_eq(hunter("import -o a.hrec " LIQ("binance.csv")), 0);
	cr_assert_eq(hunter("import -o b.hrec " LIQ("binance_trades.csv")), 0);
	cr_assert_eq(hunter("inspect --json --gap-seconds 60 a.hrec b.hrec"), 0);
	char *out = slurp("out.txt");
	cJSON *j = cJSON_Parse(out);
	cr_assert(j, "%s", out);
	cJSON *total = cJSON_GetObjectItem(j, "total");
	cr_assert_eq(cJSON_GetObjectItem(total, "events")->valuedouble, 3510 + 16440);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "files")), 2);
	cr_assert_eq(cJSON_GetObjectItem(total, "hole_threshold_s")->valuedouble, 60);
	cJSON *types = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "files"), 0),
	                                   "types");
	cr_assert_eq(cJSON_GetObjectItem(types, "liquidation")->valuedouble, 3510);
	cJSON_Delete(j);
	free(out);

	/* --dump merges the files in time order: one line per event */
	cr_assert_eq(hunter("inspect --dump b.hrec a.hrec"), 0);
	out = slurp("out.txt");
	size_t lines = 0;
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		lines++;
	cr_assert_eq(lines, 3510 + 16440);
	free(out);
}

Test(cli, usage_and_failures)
{
	cr_assert_eq(hunter("import --help"), 0);
	assert_output("out.txt", "--exchange-info");
	cr_assert_eq(hunter("inspect --help"), 0);
	assert_output("out.txt", "--gap-seconds");
	cr_assert_eq(hunter("import"), 2);
	cr_assert_eq(hunter("import -o x.hrec"), 2);
	cr_assert_eq(hunter("import --format nope -o x.hrec " LIQ("binance.csv")), 2);
	cr_assert_eq(hunter("import --from yesterday -o x.hrec " LIQ("binance.csv")), 2);
	cr_assert_eq(hunter("import --symbol btcusdt -o x.hrec " LIQ("binance.csv")), 2);
	assert_output("err.txt", "--symbol");
	cr_assert_eq(hunter("import -o x.hrec /nonexistent.csv"), 1);
	assert_output("err.txt", "/nonexistent.csv");
	cr_assert_eq(hunter("inspect"), 2);
	cr_assert_eq(hunter("inspect --gap-seconds -1 x.hrec"), 2);
	cr_assert_eq(hunter("inspect /nonexistent.hrec"), 1);
}

/* 25 bad rows among good ones: the recording is written (exit 0), the
 * first 20 are named with file and line, then the total. */
Test(cli, bad_rows_reported)
{
	char path[256];
	snprintf(path, sizeof path, "%s/rows.csv", dir);
	FILE *f = fopen(path, "w");
	for (int i = 1; i <= 30; i++)
		fprintf(f, i <= 25 ? "%d, BTCUSDT, 1, x, 1, 1, True\n"
		                   : "%d000000000, BTCUSDT, 1, 1, 1, 1, True\n", i);
	fclose(f);
	cr_assert_eq(hunter("import -o r.hrec rows.csv"), 0);
	char *err = slurp("err.txt");
	cr_assert(strstr(err, "rows.csv:1: field 4 (p)"), "%s", err);
	cr_assert(strstr(err, "rows.csv:20: field 4 (p)"), "%s", err);
	cr_assert_null(strstr(err, "rows.csv:21:"), "%s", err);
	cr_assert(strstr(err, "25 bad lines or rows skipped"), "%s", err);
	free(err);
	assert_output("out.txt", "5 events");
}

Test(cli, inspect_corrupt_and_truncated)
{
	char path[256];
	snprintf(path, sizeof path, "%s/text.hrec", dir);
	FILE *f = fopen(path, "w");
	fputs("this is not a recording\n", f);
	fclose(f);
	cr_assert_eq(hunter("inspect text.hrec"), 1);

	cr_assert_eq(hunter("import -o t.hrec " LIQ("binance.csv")), 0);
	snprintf(path, sizeof path, "%s/t.hrec", dir);
	cr_assert_eq(truncate(path, 100000), 0);
	cr_assert_eq(hunter("inspect t.hrec"), 0);
	assert_output("out.txt", "warning:");

	/* a flipped byte in the middle: an error with its offset, exit 1 */
	f = fopen(path, "r+b");
	fseek(f, 50000, SEEK_SET);
	int c = fgetc(f);
	fseek(f, 50000, SEEK_SET);
	fputc(c ^ 0x55, f);
	fclose(f);
	cr_assert_eq(hunter("inspect t.hrec"), 1);
	assert_output("out.txt", "error:");
}

/* A book stream that stops while trades go on is a hole to the end of the
 * recording, which no later book event would reveal; and a liquidation
 * log's arrival delay is in the header for inspect to show. */
Test(cli, inspect_shows_a_stream_that_stopped)
{
	char path[256];
	snprintf(path, sizeof path, "%s/quiet.jsonl", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (int s = 0; s <= 120; s++) {
		long long t = 1700000000000LL + 1000LL * s;
		if (s <= 10)
			fprintf(f, "{\"e\":\"bookTicker\",\"u\":%d,\"s\":\"BTCUSDT\",\"b\":\"1\",\"B\":\"1\","
			           "\"a\":\"2\",\"A\":\"1\",\"T\":%lld,\"E\":%lld}\n", s + 1, t, t);
		fprintf(f, "{\"e\":\"aggTrade\",\"E\":%lld,\"a\":%d,\"s\":\"BTCUSDT\",\"p\":\"1.5\","
		           "\"q\":\"1\",\"f\":1,\"l\":1,\"T\":%lld,\"m\":true}\n", t, s + 1, t);
	}
	fclose(f);
	cr_assert_eq(hunter("import --format frames -o quiet.hrec quiet.jsonl"), 0);
	cr_assert_eq(hunter("inspect --gap-seconds 60 quiet.hrec"), 0);
	assert_output("out.txt", "book_ticker 11 (1 holes, longest 110.000 s)");
	assert_output("out.txt", "stopped before the recording ended");
	cr_assert_eq(hunter("inspect --json quiet.hrec"), 0);
	assert_output("out.txt", "\"liq_arrival_delay_ms\":0");

	snprintf(path, sizeof path, "%s/liq.csv", dir);
	f = fopen(path, "w");
	fputs("BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000\n", f);
	fclose(f);
	cr_assert_eq(hunter("import -o liq.hrec --liq-arrival-delay 750 liq.csv"), 0);
	assert_output("err.txt", "stamped 750 ms later");
	cr_assert_eq(hunter("inspect liq.hrec"), 0);
	assert_output("out.txt", "trade time + 750 ms");
	cr_assert_eq(hunter("inspect --dump liq.hrec"), 0);
	assert_output("out.txt", "\"E\":1737908830579");
	cr_assert_eq(hunter("import -o bad.hrec --liq-arrival-delay -5 liq.csv"), 2);
}
