/*
 * bench_replay.c - how fast recordings are decoded and merged, and how much
 * memory that takes.
 *
 *   bench_replay FILE...             replay the files, print events/s and peak RSS
 *   bench_replay --write N FILE      first write N events of a typical mix
 *                                    (book tickers and trades mostly, some mark
 *                                    prices, depth updates and liquidations)
 *   bench_replay --write-small N FILE  the same with book tickers and trades only
 *
 * The mix is deterministic so runs compare; `hunter synth` makes more
 * realistic recordings for the same purpose.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "recording.h"
#include "replay.h"

/* Event i of the mix: 55% book ticker, 30% agg trade, 10% depth update of
 * 10 levels a side, 4% mark price, 1% liquidation. */
static void mix_event(uint64_t i, bool small, ev_t *ev, level_t levels[20])
{
	static const char *const symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
	uint64_t r = (i * 0x9e3779b97f4a7c15ULL) >> 40;
	unsigned kind = (unsigned)(r % (small ? 85 : 100));
	dec_t mid = DEC(60000) + (dec_t)(r % 5000) * DEC_ONE / 10;
	memset(ev, 0, sizeof *ev);
	strcpy(ev->symbol, symbols[i % 3]);
	ev->exch_ms = 1722470400000LL + (int64_t)(i / 20);
	ev->recv_ns = ev->exch_ms * 1000000 + 1500000;
	if (kind < 55) {
		ev->type = EV_BOOK_TICKER;
		ev->u.book = (struct ev_book_ticker){(int64_t)i, ev->exch_ms, mid, DEC(3),
		                                     mid + DEC_ONE / 10, DEC(2)};
	} else if (kind < 85) {
		ev->type = EV_AGG_TRADE;
		ev->u.trade = (struct ev_trade){(int64_t)i, (int64_t)i * 2, (int64_t)i * 2 + 1, mid,
		                                DEC_ONE / 1000 * (dec_t)(1 + r % 900), ev->exch_ms,
		                                r & 1};
	} else if (kind < 95) {
		ev->type = EV_DEPTH_UPDATE;
		for (int k = 0; k < 20; k++)
			levels[k] = (level_t){mid + (k < 10 ? -k : k - 9) * DEC_ONE / 10,
			                      DEC(k % 4)};
		ev->u.depth = (struct ev_depth){ev->exch_ms, (int64_t)i, (int64_t)i + 3,
		                                (int64_t)i - 1, 10, 10, levels, levels + 10};
	} else if (kind < 99) {
		ev->type = EV_MARK_PRICE;
		ev->u.mark = (struct ev_mark_price){mid, mid - DEC(1), 0, 10000,
		                                    1722484800000LL};
	} else {
		ev->type = EV_LIQUIDATION;
		ev->u.liq = (struct ev_liquidation){SIDE_SELL, OT_LIMIT, TIF_IOC, OS_FILLED, DEC(1),
		                                    mid - DEC(50), mid - DEC(40), DEC(1), DEC(1),
		                                    ev->exch_ms};
	}
}

static int write_mix(uint64_t n, bool small, const char *path)
{
	char err[REC_ERR_MAX];
	static const char *const syms[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT"};
	struct rec_header h = {.source = "bench_replay", .command = "bench_replay --write",
	                       .nsymbols = 3, .symbols = syms};
	level_t levels[20];
	ev_t ev;
	double t0 = bench_now();
	rec_writer *w = rec_writer_open(path, &h, NULL, err);
	if (!w) {
		fprintf(stderr, "bench_replay: %s\n", err);
		return 1;
	}
	for (uint64_t i = 0; i < n; i++) {
		mix_event(i, small, &ev, levels);
		if (rec_writer_write(w, &ev) < 0)
			break;
	}
	if (rec_writer_close(w) < 0) {
		fprintf(stderr, "bench_replay: %s\n", err);
		return 1;
	}
	double s = bench_now() - t0;
	printf("replay write: %llu events in %.3f s = %.0f events/s\n", (unsigned long long)n, s,
	       (double)n / s);
	return 0;
}

static int replay_files(const char *const *paths, size_t n)
{
	char err[REC_ERR_MAX];
	ev_t ev;
	uint64_t events = 0;
	int64_t checksum = 0; /* keeps the loop from being optimised away */
	for (size_t i = 0; i < n; i++)
		if (bench_warm_cache(paths[i]))
			return 1;
	double t0 = bench_now(), c0 = bench_cpu_seconds();
	replay *rp = replay_open(paths, n, err);
	if (!rp) {
		fprintf(stderr, "bench_replay: %s\n", err);
		return 1;
	}
	int rc;
	while ((rc = replay_next(rp, &ev)) > 0) {
		events++;
		checksum += ev.exch_ms;
	}
	double s = bench_now() - t0, cpu = bench_cpu_seconds() - c0;
	if (rc < 0)
		fprintf(stderr, "bench_replay: %s\n", err);
	for (size_t i = 0; i < n; i++) {
		const char *warning = rec_reader_warning(replay_reader(rp, i));
		if (warning[0])
			fprintf(stderr, "bench_replay: %s\n", warning);
	}
	replay_close(rp);
	printf("replay decode: %llu events in %.3f s = %.0f events/s\n",
	       (unsigned long long)events, s, (double)events / s);
	printf("replay decode cpu: %.3f s = %.0f events per cpu-second\n", cpu,
	       (double)events / cpu);
	printf("replay peak RSS: %.1f MB (checksum %lld)\n", bench_peak_rss_mb(), (long long)checksum);
	return rc < 0;
}

int main(int argc, char **argv)
{
	bool small = argc >= 2 && !strcmp(argv[1], "--write-small");
	if (argc >= 4 && (small || !strcmp(argv[1], "--write"))) {
		char *end;
		unsigned long long n = strtoull(argv[2], &end, 10);
		if (*end || !n) {
			fprintf(stderr, "bench_replay: %s wants a positive count, not '%s'\n",
			        argv[1], argv[2]);
			return 2;
		}
		if (write_mix(n, small, argv[3]))
			return 1;
		return replay_files((const char *const *)argv + 3, (size_t)argc - 3);
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: bench_replay [--write|--write-small N FILE] FILE...\n");
		return 2;
	}
	return replay_files((const char *const *)argv + 1, (size_t)argc - 1);
}
