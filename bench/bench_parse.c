/*
 * bench_parse.c - the cost of aster_parse (JSON text to a filled ev_t) and
 * of aster_format, per message type, on real frames.
 *
 * The frames are copied verbatim from the real data under ../shared/data/real
 * (named per frame below). Each is parsed in BATCHES loops of `rounds`
 * messages; the line shows the best batch's mean per message. Time is the
 * thread's CPU time, so other work on a shared machine disturbs it less.
 * Usage: bench_parse [rounds]   (default 100000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aster.h"

struct frame {
	const char *type;
	const char *json;
};

static const struct frame frames[] = {
	/* cryptofeed__sample_data/BINANCE_FUTURES.ws.1.0 (combined stream) */
	{"aggTrade",
	 "{\"stream\":\"ctkusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1626992741575,"
	 "\"a\":16599292,\"s\":\"CTKUSDT\",\"p\":\"1.01100\",\"q\":\"10\",\"f\":23961322,"
	 "\"l\":23961322,\"T\":1626992741421,\"m\":false}}"},
	{"bookTicker",
	 "{\"stream\":\"sushiusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":600859600576,"
	 "\"s\":\"SUSHIUSDT\",\"b\":\"7.6110\",\"B\":\"2\",\"a\":\"7.6120\",\"A\":\"297\","
	 "\"T\":1626992741012,\"E\":1626992741017}}"},
	{"depthUpdate",
	 "{\"stream\":\"sushiusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1626992741037,"
	 "\"T\":1626992741024,\"s\":\"SUSHIUSDT\",\"U\":600859599090,\"u\":600859600917,"
	 "\"pu\":600859598061,\"b\":[[\"7.5040\",\"813\"],[\"7.6090\",\"0\"],[\"7.6110\",\"2\"]],"
	 "\"a\":[[\"7.6150\",\"1563\"],[\"7.6220\",\"3284\"]]}}"},
	/* hftbacktest__examples_usdm/btcusdt_20240808.gz */
	{"trade",
	 "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161256322,"
	 "\"T\":1723161256322,\"s\":\"BTCUSDT\",\"t\":5266583935,\"p\":\"61800.30\","
	 "\"q\":\"0.006\",\"X\":\"MARKET\",\"m\":false}}"},
	/* live Aster capture quoted in docs/aster-api.md section 8.1 */
	{"forceOrder",
	 "{\"stream\":\"!forceOrder@arr\",\"data\":{\"e\":\"forceOrder\",\"E\":1789672621589,"
	 "\"o\":{\"s\":\"PAIRUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"28448\","
	 "\"p\":\"0.0040681\",\"ap\":\"0.0044461\",\"X\":\"FILLED\",\"l\":\"12417\","
	 "\"z\":\"28448\",\"T\":1789672621550}}}"},
	/* nautilus_trader__binance_fixtures/.../market_data_json/mark_price_stream.json */
	{"markPriceUpdate",
	 "{\"e\":\"markPriceUpdate\",\"E\":1562305380000,\"s\":\"BTCUSDT\",\"p\":\"11794.15000000\","
	 "\"i\":\"11784.62659091\",\"P\":\"11784.25641265\",\"r\":\"0.00038167\","
	 "\"T\":1562306400000,\"st\":1}"},
	/* nautilus_trader__binance_fixtures/.../user_data_json/order_update_trade.json */
	{"ORDER_TRADE_UPDATE",
	 "{\"e\":\"ORDER_TRADE_UPDATE\",\"T\":1568879465651,\"E\":1568879465651,\"o\":{"
	 "\"s\":\"BTCUSDT\",\"c\":\"TEST\",\"S\":\"BUY\",\"o\":\"LIMIT\",\"f\":\"GTC\","
	 "\"q\":\"0.001\",\"p\":\"7100.50\",\"ap\":\"7100.50\",\"sp\":\"0\",\"x\":\"TRADE\","
	 "\"X\":\"PARTIALLY_FILLED\",\"i\":8886774,\"l\":\"0.001\",\"z\":\"0.001\","
	 "\"L\":\"7100.50\",\"N\":\"USDT\",\"n\":\"0.01000000\",\"T\":1568879465651,"
	 "\"t\":12345678,\"b\":\"0\",\"a\":\"0\",\"m\":true,\"R\":false,\"wt\":\"CONTRACT_PRICE\","
	 "\"ot\":\"LIMIT\",\"ps\":\"LONG\",\"cp\":false,\"AP\":\"0\",\"cr\":\"0\",\"pP\":false,"
	 "\"si\":0,\"ss\":0,\"rp\":\"12.34\",\"V\":\"EXPIRE_TAKER\"}}"},
	/* nautilus_trader__binance_fixtures/.../user_data_json/account_update_bnfcr.json */
	{"ACCOUNT_UPDATE",
	 "{\"e\":\"ACCOUNT_UPDATE\",\"T\":1781606859764,\"E\":1781606859764,\"a\":{\"m\":\"ORDER\","
	 "\"B\":[{\"a\":\"BNFCR\",\"wb\":\"5001.28983031\",\"cw\":\"5001.28983031\",\"bc\":\"0\"}],"
	 "\"P\":[]}}"},
};

#define BATCHES 5

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int keep(void *ctx, const ev_t *ev)
{
	*(ev_t *)ctx = *ev;
	return 0;
}

/* Best mean ns per parse of `f` over BATCHES batches; *ev gets the event. */
static double time_parse(aster_parser_t *p, const struct frame *f, long rounds, ev_t *ev)
{
	size_t len = strlen(f->json);
	struct aster_ctx ctx = {.recv_ns = 1};
	struct aster_result res;
	double best = 0;
	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns();
		for (long r = 0; r < rounds; r++)
			aster_parse(p, f->json, len, &ctx, keep, ev, &res);
		double per = (now_ns() - t0) / (double)rounds;
		if (res.status != ASTER_EVENTS) {
			fprintf(stderr, "%s: %s\n", f->type, res.err);
			exit(1);
		}
		if (b == 0 || per < best)
			best = per;
	}
	return best;
}

/* Best mean ns per aster_format of `ev`; *len gets the output length. */
static double time_format(const ev_t *ev, long rounds, size_t *len)
{
	char out[4096];
	double best = 0;
	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns();
		for (long r = 0; r < rounds; r++)
			*len = aster_format(ev, out, sizeof out);
		double per = (now_ns() - t0) / (double)rounds;
		if (b == 0 || per < best)
			best = per;
	}
	return best;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	if (rounds <= 0) {
		fprintf(stderr, "usage: bench_parse [rounds]\n");
		return 2;
	}
	aster_parser_t *p = aster_parser_new();
	if (!p)
		return 1;
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		ev_t ev;
		size_t out_len;
		double parse = time_parse(p, &frames[i], rounds, &ev);
		/* the event's depth arrays live in the parser until its next parse */
		double format = time_format(&ev, rounds, &out_len);
		printf("parse %s: %.0f ns/msg (%zu bytes)\n", frames[i].type, parse,
		       strlen(frames[i].json));
		printf("format %s: %.0f ns/msg (%zu bytes)\n", frames[i].type, format, out_len);
	}
	aster_parser_free(p);
	return 0;
}
