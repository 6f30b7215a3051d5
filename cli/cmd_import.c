/*
 * cmd_import.c - `hunter import`: builds one recording from third-party
 * captures (hftbacktest, cryptofeed, JSON frames, liquidation-logger CSVs)
 * through the importer module, and says what it read, skipped and rejected.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "importer.h"

#define BAD_SHOWN 20 /* bad lines printed one by one; the rest are counted */
/* The liquidation stream sends at most one liquidation per symbol per
 * second, so a liquidation known only by its trade time reached a live
 * reader up to a second later: the conservative default. */
#define LIQ_ARRIVAL_DELAY_MS 1000

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter import [options] -o OUT INPUT...\n"
	        "\n"
	        "Builds ONE recording from inputs of one format, sorted by exchange time\n"
	        "(stable). Inputs may be plain, gzip or zstd compressed.\n"
	        "\n"
	        "Formats (detected from the content when --format is absent):\n"
	        "  hftbacktest  lines \"<recv_ns> <json>\": combined-stream depthUpdate, trade,\n"
	        "               bookTicker, and REST depth snapshots (symbol from --symbol,\n"
	        "               else from the file's stream lines)\n"
	        "  cryptofeed   the ws capture (\"<url> <-> <ts>\", then \"<ts>: <json>\") plus,\n"
	        "               as further inputs, its http files (\"<url> -> <ts>: <json>\",\n"
	        "               depth snapshots named by the URL) and the .0 file (exchangeInfo)\n"
	        "  frames       JSON lines or a sequence of JSON values (// comments allowed):\n"
	        "               raw frames, cryptofeed v3 rows {\"t\":\"recv\",\"data\":\"...\"}\n"
	        "               (e.g. BINANCE_FUTURES.jsonl.zst) or Aster docs rows\n"
	        "               {\"source_path\":..,\"text\":\"<code block>\"}\n"
	        "  liq-csv      liquidation logger rows: symbol(USDT stripped),side,order_type,\n"
	        "               tif,q,p,ap,status,l,z,T_ms,usd_size[,tier]\n"
	        "  trades-csv   large aggTrades: E_ms, SYMBOL, a, p, q, T_ms, True|False\n"
	        "               [, usd_size, tier]\n"
	        "  (liq-csv and trades-csv files may be imported together)\n"
	        "\n"
	        "Options:\n"
	        "  -o, --output OUT          recording to write (.hrec; .hrec.gz compresses)\n"
	        "  -f, --format F            input format (see above)\n"
	        "  -s, --symbol SYM          symbol of depth snapshots that carry none\n"
	        "  -x, --exchange-info FILE  an exchangeInfo JSON: its rules for the recorded\n"
	        "                            symbols go first in the recording\n"
	        "  -r, --keep-raw            store each event's frame text as well\n"
	        "      --from T              keep events with exchange time >= T\n"
	        "      --to T                keep events with exchange time < T\n"
	        "                            (T: ms since the epoch or UTC ISO time such as\n"
	        "                            2025-01-27T16:55:00Z or \"2025-01-27 16:55\")\n"
	        "      --liq-arrival-delay MS  liq-csv rows carry only their trade time T; their\n"
	        "                            event time becomes T + MS, when a live stream\n"
	        "                            (one liquidation per symbol per second) would\n"
	        "                            have shown them (default 1000; 0 adds nothing).\n"
	        "                            The recording's header records it\n"
	        "  -h, --help                this text\n"
	        "\n"
	        "Bad lines or rows are reported with file and line (the first %d, then the\n"
	        "total) and skipped; frames that are not market data (acks, klines) are\n"
	        "counted per kind. Exit status: 0 the recording was written (even with bad\n"
	        "rows), 1 an input could not be read or held no valid event, or the output\n"
	        "could not be written, 2 bad usage.\n",
	        BAD_SHOWN);
}

struct reporter {
	uint64_t nbad;
	progress_t progress;
};

static void report_bad(void *ctx, const char *file, uint64_t line, const char *msg)
{
	struct reporter *r = ctx;
	if (r->nbad++ >= BAD_SHOWN)
		return;
	if (r->progress.active && r->progress.last_ns)
		fputs("\r\033[K", stderr); /* the message replaces the progress line */
	fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)line, msg);
}

static void report_progress(void *ctx, uint64_t lines)
{
	progress_update(&((struct reporter *)ctx)->progress, lines);
}

static void print_stats(const struct imp_stats *st, const imp_set_t *set, const char *out)
{
	printf("wrote %s: %zu events, %zu symbols\n", out, imp_set_count(set),
	       imp_set_nsymbols(set));
	printf("  read %llu records (lines, rows or JSON values)", (unsigned long long)st->units);
	if (st->outside)
		printf(", %llu events outside --from/--to", (unsigned long long)st->outside);
	printf("\n");
	for (int k = 1; k < EV__COUNT; k++)
		if (st->by_type[k])
			printf("  %-16s %llu\n", ev_type_name(k), (unsigned long long)st->by_type[k]);
	if (st->ignored) {
		printf("  not market data: %llu (", (unsigned long long)st->ignored);
		for (size_t i = 0; i < st->nkinds; i++)
			printf("%s%s %llu", i ? ", " : "", st->kinds[i].what,
			       (unsigned long long)st->kinds[i].n);
		printf(")\n");
	}
}

static void print_info(const struct imp_stats *st, const imp_set_t *set)
{
	printf("  exchange info: rules for %u of %zu symbols", st->info_symbols,
	       imp_set_nsymbols(set));
	if (st->info_missing)
		printf(" (%u not listed by the exchange info)", st->info_missing);
	printf("\n");
}

static bool valid_symbol(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return n > 0 && n < SYMBOL_MAX && s[n] == '\0';
}

struct args {
	struct imp_options o;
	const char *out;
};

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
	enum { OPT_FROM = 256, OPT_TO, OPT_DELAY };
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"symbol", required_argument, NULL, 's'},
		{"exchange-info", required_argument, NULL, 'x'},
		{"keep-raw", no_argument, NULL, 'r'},
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{"liq-arrival-delay", required_argument, NULL, OPT_DELAY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "o:f:s:x:rh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 's':
			if (!valid_symbol(optarg)) {
				fprintf(stderr, "hunter import: --symbol: '%s' is not an exchange "
				                "symbol (upper-case letters and digits)\n", optarg);
				return EXIT_USAGE;
			}
			a->o.symbol = optarg;
			break;
		case 'x': a->o.exchange_info = optarg; break;
		case 'r': a->o.keep_raw = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'f':
			if ((a->o.format = imp_format_from(optarg)) == IMP_AUTO) {
				fprintf(stderr, "hunter import: unknown format '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_FROM:
		case OPT_TO:
			if (utc_parse(optarg, c == OPT_FROM ? &a->o.from_ms : &a->o.to_ms)) {
				fprintf(stderr, "hunter import: --%s: '%s' is not a time (ms or "
				                "UTC ISO such as 2025-01-27T16:55:00Z)\n",
				        c == OPT_FROM ? "from" : "to", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_DELAY: {
			char *end;
			long long ms = strtoll(optarg, &end, 10);
			if (end == optarg || *end || ms < 0 || ms > 60000) {
				fprintf(stderr, "hunter import: --liq-arrival-delay: expected 0 to 60000 ms,"
				                " got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			a->o.liq_arrival_delay_ms = ms;
			break;
		}
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!a->out || optind >= argc) {
		fprintf(stderr, "hunter import: %s (see --help)\n",
		        a->out ? "no input files" : "-o OUT is required");
		return EXIT_USAGE;
	}
	if (a->o.to_ms && a->o.from_ms >= a->o.to_ms) {
		fprintf(stderr, "hunter import: --from must be before --to\n");
		return EXIT_USAGE;
	}
	return -1;
}

/* "liq-csv+trades-csv": the formats read, for messages and the header. */
static void format_names(const struct imp_stats *st, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int f = IMP_AUTO + 1; f < IMP__COUNT; f++)
		if (st->formats & (1u << f))
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
			                        len ? "+" : "", imp_format_name((imp_format_t)f));
}

static int write_set(const imp_set_t *set, const struct args *a, const struct imp_stats *st,
                     int argc, char **argv)
{
	char source[64], names[48], err[512];
	char *cmd = cli_command_line(argc, argv);
	format_names(st, names, sizeof names);
	snprintf(source, sizeof source, "import %s", names);
	int64_t delay = st->liq_delayed ? a->o.liq_arrival_delay_ms : 0;
	int rc = imp_set_write(set, a->out, source, cmd ? cmd : "hunter import", delay, err,
	                       sizeof err);
	free(cmd);
	if (rc) {
		fprintf(stderr, "hunter import: %s\n", err);
		unlink(a->out);
		return EXIT_FAIL;
	}
	print_stats(st, set, a->out);
	if (a->o.exchange_info)
		print_info(st, set);
	return EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
	struct args a = {.o.liq_arrival_delay_ms = LIQ_ARRIVAL_DELAY_MS};
	struct reporter rep = {0};
	struct imp_stats st;
	imp_set_t *set;
	char err[512];
	optind = 1;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	a.o.on_bad = report_bad;
	a.o.bad_ctx = &rep;
	a.o.on_progress = report_progress;
	a.o.progress_ctx = &rep;
	progress_start(&rep.progress, "import: lines read", 0);
	imp_status_t s = imp_load(&a.o, (const char *const *)argv + optind,
	                          (size_t)(argc - optind), &set, &st, err, sizeof err);
	progress_end(&rep.progress);
	if (st.formats) {
		char names[48];
		format_names(&st, names, sizeof names);
		fprintf(stderr, "hunter import: format %s (%s)\n", names,
		        a.o.format ? "given" : "detected");
	}
	if (rep.nbad)
		fprintf(stderr, "hunter import: %llu bad lines or rows skipped (%llu shown above)\n",
		        (unsigned long long)rep.nbad,
		        (unsigned long long)(rep.nbad > BAD_SHOWN ? BAD_SHOWN : rep.nbad));
	if (st.wallclock)
		fprintf(stderr, "hunter import: %llu rows give their time as a date, not in ms since"
		                " the epoch (the first at %s:%llu): refused, since their time zone"
		                " would be a guess; convert them to epoch ms\n",
		        (unsigned long long)st.wallclock, st.wallclock_file,
		        (unsigned long long)st.wallclock_line);
	if (st.liq_delayed)
		fprintf(stderr, "hunter import: %llu liquidations known only by their trade time"
		                " were stamped %lld ms later, when a live stream would have shown"
		                " them (--liq-arrival-delay)\n", (unsigned long long)st.liq_delayed,
		        (long long)a.o.liq_arrival_delay_ms);
	if (s != IMP_OK) {
		fprintf(stderr, "hunter import: %s\n", err);
		return s == IMP_ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
	}
	rc = write_set(set, &a, &st, argc, argv);
	imp_set_free(set);
	return rc;
}
