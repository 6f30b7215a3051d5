/*
 * cmd_record.c - `hunter record`: parses the options, prints the status
 * line or JSON status, and leaves the recording itself to the record module.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "record.h"

#define MAX_SYMBOLS 1000

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter record --symbols SYM[,SYM...] --out DIR [options]\n"
	        "\n"
	        "Records Aster's market streams into DIR/aster-<UTC start>.hrec.gz. Every file\n"
	        "starts with the exchange info (REST); depth gets a REST snapshot per symbol at\n"
	        "start, after every break and at the start of every file. Interruptions are\n"
	        "written as gap events. See docs/record.md.\n"
	        "\n"
	        "Options:\n"
	        "  -s, --symbols LIST        symbols, comma-separated (BTCUSDT,ETHUSDT)\n"
	        "  -o, --out DIR             folder of the recordings (created if missing)\n"
	        "      --streams LIST        aggTrade,bookTicker,depth,markPrice,forceOrder\n"
	        "                            (default: all five)\n"
	        "      --all-liquidations    also every symbol's liquidations (!forceOrder@arr,\n"
	        "                            replacing the per-symbol forceOrder streams)\n"
	        "      --duration D          stop after D (25s, 2h, 1d); default: until stopped\n"
	        "      --rotate D            a new file every D, aligned to UTC (e.g. 1h)\n"
	        "      --flush-interval D    hand data to the OS at least every D (default 1s):\n"
	        "                            a killed recorder loses at most that much\n"
	        "      --status-interval D   status every D (default 5s)\n"
	        "      --json-status         status as one JSON object per line on stdout\n"
	        "      --rest-url URL        REST base (env ASTER_REST_URL; default %s)\n"
	        "      --ws-url URL          stream base (env ASTER_WS_URL; default %s)\n"
	        "      --ca-file FILE        also trust the CAs in FILE (PEM), e.g. a private CA\n"
	        "      --reconnect-after D   reconnect each stream at this age (default 23h;\n"
	        "                            Aster closes connections at 24h)\n"
	        "      --read-timeout D      drop a connection silent this long, pings\n"
	        "                            unanswered (default 60s, at least 3s; a ping\n"
	        "                            goes out after a third of it)\n"
	        "  -h, --help                this text\n"
	        "\n"
	        "http:// and ws:// are accepted for loopback hosts only. Exit status: 0 the\n"
	        "duration is over, 1 recording failed (unwritable output, full disk, no\n"
	        "exchange info), 2 bad usage, 130 stopped by Ctrl-C or SIGTERM; files are\n"
	        "closed cleanly in every case.\n",
	        NET_DEFAULT_REST, NET_DEFAULT_WS);
}

struct args {
	struct record_opts o;
	int64_t read_timeout_ms;
	char *symbols_text;
	const char *symbols[MAX_SYMBOLS];
	const char *rest, *ws;
	bool json;
};

static bool valid_symbol(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	return n > 0 && n < SYMBOL_MAX && s[n] == '\0';
}

/* Splits the --symbols list in place. Returns 0, or -1 after saying why. */
static int parse_symbols(struct args *a, const char *text)
{
	free(a->symbols_text);
	a->symbols_text = strdup(text);
	a->o.nsymbols = 0;
	for (char *save, *s = strtok_r(a->symbols_text, ",", &save); s;
	     s = strtok_r(NULL, ",", &save)) {
		if (!valid_symbol(s) || a->o.nsymbols == MAX_SYMBOLS) {
			fprintf(stderr, "hunter record: --symbols: '%s' is not an exchange symbol "
			                "(upper-case letters and digits), or more than %d symbols\n", s,
			        MAX_SYMBOLS);
			return -1;
		}
		a->symbols[a->o.nsymbols++] = s;
	}
	return 0;
}

static int parse_duration_opt(const char *name, const char *text, int64_t *ms)
{
	if (cli_parse_duration(text, ms) == 0)
		return 0;
	fprintf(stderr, "hunter record: --%s: '%s' is not a duration (500ms, 25s, 30m, 2h, 1d)\n",
	        name, text);
	return -1;
}

enum {
	OPT_STREAMS = 256, OPT_ALL_LIQ, OPT_DURATION, OPT_ROTATE, OPT_FLUSH, OPT_STATUS,
	OPT_JSON, OPT_REST, OPT_WS, OPT_CA, OPT_RECONNECT, OPT_READ_TIMEOUT,
};

static const struct option longopts[] = {
	{"symbols", required_argument, NULL, 's'},
	{"out", required_argument, NULL, 'o'},
	{"streams", required_argument, NULL, OPT_STREAMS},
	{"all-liquidations", no_argument, NULL, OPT_ALL_LIQ},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"rotate", required_argument, NULL, OPT_ROTATE},
	{"flush-interval", required_argument, NULL, OPT_FLUSH},
	{"status-interval", required_argument, NULL, OPT_STATUS},
	{"json-status", no_argument, NULL, OPT_JSON},
	{"rest-url", required_argument, NULL, OPT_REST},
	{"ws-url", required_argument, NULL, OPT_WS},
	{"ca-file", required_argument, NULL, OPT_CA},
	{"reconnect-after", required_argument, NULL, OPT_RECONNECT},
	{"read-timeout", required_argument, NULL, OPT_READ_TIMEOUT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* The option's duration field, or NULL for an option that is not one. */
static int64_t *duration_field(struct args *a, int c)
{
	switch (c) {
	case OPT_DURATION: return &a->o.duration_ms;
	case OPT_ROTATE: return &a->o.rotate_ms;
	case OPT_FLUSH: return &a->o.flush_ms;
	case OPT_STATUS: return &a->o.status_ms;
	case OPT_RECONNECT: return &a->o.ws.reconnect_after_ms;
	case OPT_READ_TIMEOUT: return &a->read_timeout_ms;
	default: return NULL;
	}
}

/* One option; returns -1 to go on, or the exit code. */
static int parse_one(struct args *a, int c, int index)
{
	char err[200];
	int64_t *ms = duration_field(a, c);
	if (ms)
		return parse_duration_opt(longopts[index].name, optarg, ms) ? EXIT_USAGE : -1;
	switch (c) {
	case 's': return parse_symbols(a, optarg) ? EXIT_USAGE : -1;
	case 'o': a->o.out_dir = optarg; return -1;
	case OPT_ALL_LIQ: a->o.all_liquidations = true; return -1;
	case OPT_JSON: a->json = true; return -1;
	case OPT_REST: a->rest = optarg; return -1;
	case OPT_WS: a->ws = optarg; return -1;
	case OPT_CA: a->o.ca_file = optarg; return -1;
	case 'h': usage(stdout); return EXIT_OK;
	case OPT_STREAMS:
		if (record_streams_parse(optarg, &a->o.streams, err, sizeof err) == 0)
			return -1;
		fprintf(stderr, "hunter record: --streams: %s\n", err);
		return EXIT_USAGE;
	default: usage(stderr); return EXIT_USAGE;
	}
}

/* lws counts silence in whole seconds, up to a uint16's worth. */
static int set_read_timeout(struct net_ws_opts *o, int64_t ms)
{
	if (ms < 3000 || ms > 65535000) {
		fprintf(stderr, "hunter record: --read-timeout: between 3s and 18h\n");
		return -1;
	}
	o->idle_hangup_s = (int)(ms / 1000);
	o->idle_ping_s = o->idle_hangup_s / 3;
	return 0;
}

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int c, index = 0;
	while ((c = getopt_long(argc, argv, "s:o:h", longopts, &index)) != -1) {
		int rc = parse_one(a, c, index);
		if (rc >= 0)
			return rc;
	}
	char err[NET_ERR_MAX];
	if (a->read_timeout_ms && set_read_timeout(&a->o.ws, a->read_timeout_ms) < 0)
		return EXIT_USAGE;
	if (optind < argc || !a->o.out_dir || (!a->o.nsymbols && !a->o.all_liquidations)) {
		fprintf(stderr, "hunter record: %s (see --help)\n",
		        optind < argc ? "unexpected argument"
		        : !a->o.out_dir ? "--out DIR is required"
		                        : "--symbols (or --all-liquidations) is required");
		return EXIT_USAGE;
	}
	if (net_bases_resolve(a->rest, a->ws, &a->o.bases, err) < 0) {
		fprintf(stderr, "hunter record: %s\n", err);
		return EXIT_USAGE;
	}
	return -1;
}

static void on_status(void *ctx, const struct record_status *st)
{
	const struct args *a = ctx;
	char line[2048];
	if (a->json) {
		record_status_json(st, net_now_ns() / 1000000, line, sizeof line);
		printf("%s\n", line);
		fflush(stdout);
	} else if (isatty(STDERR_FILENO)) {
		record_status_line(st, line, sizeof line);
		fprintf(stderr, "\r\033[K%s", line);
		fflush(stderr);
	}
}

static void on_warn(void *ctx, const char *msg)
{
	const struct args *a = ctx;
	fprintf(stderr, "%shunter record: %s\n", !a->json && isatty(STDERR_FILENO) ? "\r\033[K" : "",
	        msg);
}

int cmd_record(int argc, char **argv)
{
	struct args a = {
		.o = {.streams = RECORD_ALL_STREAMS, .flush_ms = 1000, .status_ms = 5000},
	};
	net_ws_opts_default(&a.o.ws);
	optind = 1;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0) {
		free(a.symbols_text);
		return rc;
	}
	a.o.symbols = a.symbols;
	char *cmd = cli_command_line(argc, argv);
	a.o.command = cmd ? cmd : "hunter record";
	char err[RECORD_ERR_MAX];
	struct record_hooks hooks = {.ctx = &a, .status = on_status, .warn = on_warn};
	enum record_end end = record_run(&a.o, cli_stop_on_signals(), &hooks, err);
	if (!a.json && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	free(cmd);
	free(a.symbols_text);
	if (end == RECORD_FAILED) {
		fprintf(stderr, "hunter record: %s\n", err);
		return EXIT_FAIL;
	}
	return end == RECORD_STOPPED ? EXIT_INTERRUPTED : EXIT_OK;
}
