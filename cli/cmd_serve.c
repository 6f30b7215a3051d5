/*
 * cmd_serve.c - `hunter serve`: parses the options of the local Aster and
 * hands them to the serve module, which does the serving.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

#define DEFAULT_PORT 8900

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter serve [options] RECORDING...\n"
	        "\n"
	        "Serves the recordings on 127.0.0.1 as Aster does: WebSocket market streams at\n"
	        "/ws/<stream> and /stream?streams=a/b, public REST at /fapi/v1/... and\n"
	        "/fapi/v3/..., and signed trading endpoints (orders, fills, account, settings) on\n"
	        "simulated accounts (docs/serve.md). The first line on stdout is\n"
	        "  hunter serve: listening on http://127.0.0.1:PORT\n"
	        "The replay starts when the first client subscribes to a stream or opens a\n"
	        "user data stream.\n"
	        "\n"
	        "  --port N                  port to listen on (default %d; 0: any free port)\n"
	        "  --speed X                 play X times real time, by exchange time (default 1)\n"
	        "  --as-fast                 play as fast as the clients read\n"
	        "  --loop                    start again at the end (times go back)\n"
	        "  --max-connection-age D    close a connection this old, with a close frame\n"
	        "                            (default 24h; D as 500ms, 5s, 30m, 6h, 1d)\n"
	        "  --ping-interval D         ping each connection this often (default 5m)\n"
	        "  --accounts FILE           trading accounts: a JSON list of {\"api_key\",\n"
	        "                            \"api_secret\"} (V1) or {\"user\",\"signer\"} (V3), each\n"
	        "                            with \"balance_usdt\"; without it a V3 signer gets a\n"
	        "                            fresh account with 10000 USDT (V1 needs the file)\n"
	        "  --listen-key-ttl D        a listenKey not kept alive expires (default 60m)\n"
	        "  --weight-limit N          request weight per minute (default %d, Aster's);\n"
	        "                            over it: 429, then 418 until Retry-After is over\n"
	        "  --order-limit-1m N        orders per minute per account (default %d)\n"
	        "  --order-limit-10s N       orders per 10 seconds per account (default %d)\n"
	        "  --help                    this text\n"
	        "\n"
	        "Faults, for tests (all off by default; random ones are repeatable by seed):\n"
	        "  --drop-after N            drop each connection after N data messages\n"
	        "  --stall-after N           send a connection nothing after N data messages,\n"
	        "                            keeping it open\n"
	        "  --fault-seed S            seed of the random faults (default 0)\n"
	        "  --drop-rate P             drop a connection instead of a data message with\n"
	        "                            probability P (0..1)\n"
	        "  --rest-fail-rate P        answer this share of REST calls 503\n"
	        "  --rest-429-rate P         answer this share of REST calls 429, Retry-After: 1\n"
	        "  --rest-delay-ms N         answer every REST call N ms late\n"
	        "  --signed-fail-rate P      answer this share of signed calls 503, without\n"
	        "                            carrying them out\n"
	        "  --signed-429-rate P       answer this share of signed calls 429 with\n"
	        "                            Retry-After: 1, without carrying them out\n"
	        "  --signed-late-rate P      carry out this share of signed calls at once but\n"
	        "  --signed-late-ms N        answer them N ms late (default 0)\n"
	        "  --user-stream-drop-after N\n"
	        "                            drop each user data stream after N events\n"
	        "\n"
	        "Without --loop the server exits 0 once the recordings are played out and every\n"
	        "client was sent everything and closed (status 1000). Ctrl-C or SIGTERM stops it.\n"
	        "\n"
	        "Exit codes: 0 played out, 1 a recording or the accounts file is unreadable or\n"
	        "the port cannot be bound, 2 bad options, 130 interrupted.\n",
	        DEFAULT_PORT, SERVE_WEIGHT_1M, SERVE_ORDERS_1M, SERVE_ORDERS_10S);
}

static int bad(const char *opt, const char *what, const char *got)
{
	fprintf(stderr, "hunter serve: --%s: expected %s, got '%s'\n", opt, what, got);
	return -1;
}

static int parse_count(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] < '0' || s[0] > '9' || v > max)
		return bad(opt, "a whole number", s);
	*out = v;
	return 0;
}

static int parse_real(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return bad(opt, lo == 0 && hi == 1 ? "a probability from 0 to 1" : "a positive number",
		           s);
	*out = v;
	return 0;
}

static int parse_age(const char *opt, const char *s, int64_t *out)
{
	return cli_parse_duration(s, out) ? bad(opt, "a duration such as 5s or 24h", s) : 0;
}

static int parse_ms(const char *opt, const char *s, int64_t *out)
{
	uint64_t n;
	if (parse_count(opt, s, 3600000, &n))
		return -1;
	*out = (int64_t)n;
	return 0;
}

/* A limit: at least 1, since 0 would refuse everything. */
static int parse_limit(const char *opt, const char *s, uint64_t *out)
{
	if (parse_count(opt, s, UINT32_MAX, out))
		return -1;
	return *out ? 0 : bad(opt, "a whole number above 0", s);
}

/* The options of the trading side: limits and signed faults; 1 when c is
 * not one of them. */
static int trading_option(int c, const char *arg, struct serve_opts *o)
{
	struct serve_faults *f = &o->faults;
	switch (c) {
	case 'W': return parse_limit("weight-limit", arg, &o->limits.weight_1m);
	case 'M': return parse_limit("order-limit-1m", arg, &o->limits.orders_1m);
	case 'N': return parse_limit("order-limit-10s", arg, &o->limits.orders_10s);
	case 'x': return parse_real("signed-fail-rate", arg, 0, 1, &f->signed_fail_rate);
	case 'y': return parse_real("signed-429-rate", arg, 0, 1, &f->signed_429_rate);
	case 'z': return parse_real("signed-late-rate", arg, 0, 1, &f->signed_late_rate);
	case 'Z': return parse_ms("signed-late-ms", arg, &f->signed_late_ms);
	case 'U': return parse_count("user-stream-drop-after", arg, UINT64_MAX,
	                             &f->user_stream_drop_after);
	default: return 1;
	}
}

/* One option into o; -1 after saying what is wrong. */
static int option(int c, const char *arg, struct serve_opts *o)
{
	struct serve_faults *f = &o->faults;
	uint64_t n;
	int rc = trading_option(c, arg, o);
	if (rc <= 0)
		return rc;
	switch (c) {
	case 'p':
		if (parse_count("port", arg, 65535, &n))
			return -1;
		o->port = (int)n;
		return 0;
	case 's': return parse_real("speed", arg, 1e-6, 1e9, &o->speed);
	case 'f': o->as_fast = true; return 0;
	case 'l': o->loop = true; return 0;
	case 'A': return parse_age("max-connection-age", arg, &o->max_age_ms);
	case 'P': return parse_age("ping-interval", arg, &o->ping_ms);
	case 'a': o->accounts = arg; return 0;
	case 'K': return parse_age("listen-key-ttl", arg, &o->listen_key_ttl_ms);
	case 'D': return parse_count("drop-after", arg, UINT64_MAX, &f->drop_after);
	case 'S': return parse_count("stall-after", arg, UINT64_MAX, &f->stall_after);
	case 'E': return parse_count("fault-seed", arg, UINT64_MAX, &f->seed);
	case 'r': return parse_real("drop-rate", arg, 0, 1, &f->drop_rate);
	case 'F': return parse_real("rest-fail-rate", arg, 0, 1, &f->rest_fail_rate);
	case 'T': return parse_real("rest-429-rate", arg, 0, 1, &f->rest_429_rate);
	case 'd': return parse_ms("rest-delay-ms", arg, &f->rest_delay_ms);
	default: return -1;
	}
}

int cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"speed", required_argument, NULL, 's'},
		{"as-fast", no_argument, NULL, 'f'},
		{"loop", no_argument, NULL, 'l'},
		{"max-connection-age", required_argument, NULL, 'A'},
		{"ping-interval", required_argument, NULL, 'P'},
		{"accounts", required_argument, NULL, 'a'},
		{"listen-key-ttl", required_argument, NULL, 'K'},
		{"drop-after", required_argument, NULL, 'D'},
		{"stall-after", required_argument, NULL, 'S'},
		{"fault-seed", required_argument, NULL, 'E'},
		{"drop-rate", required_argument, NULL, 'r'},
		{"rest-fail-rate", required_argument, NULL, 'F'},
		{"rest-429-rate", required_argument, NULL, 'T'},
		{"rest-delay-ms", required_argument, NULL, 'd'},
		{"weight-limit", required_argument, NULL, 'W'},
		{"order-limit-1m", required_argument, NULL, 'M'},
		{"order-limit-10s", required_argument, NULL, 'N'},
		{"signed-fail-rate", required_argument, NULL, 'x'},
		{"signed-429-rate", required_argument, NULL, 'y'},
		{"signed-late-rate", required_argument, NULL, 'z'},
		{"signed-late-ms", required_argument, NULL, 'Z'},
		{"user-stream-drop-after", required_argument, NULL, 'U'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct serve_opts o = {.port = DEFAULT_PORT, .speed = 1, .max_age_ms = 86400000,
	                       .ping_ms = 300000,
	                       .listen_key_ttl_ms = 3600000, .out = stdout, .diag = stderr,
	                       .limits = {SERVE_WEIGHT_1M, SERVE_ORDERS_1M, SERVE_ORDERS_10S}};
	bool speed_given = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (c == '?' || option(c, optarg, &o)) {
			usage(stderr);
			return EXIT_USAGE;
		}
		speed_given |= c == 's';
	}
	if (speed_given && o.as_fast) {
		fprintf(stderr, "hunter serve: --speed and --as-fast exclude each other\n");
		return EXIT_USAGE;
	}
	if (o.faults.rest_fail_rate + o.faults.rest_429_rate > 1) {
		fprintf(stderr, "hunter serve: --rest-fail-rate and --rest-429-rate add up to more"
		                " than 1\n");
		return EXIT_USAGE;
	}
	if (o.faults.signed_fail_rate + o.faults.signed_429_rate > 1) {
		fprintf(stderr, "hunter serve: --signed-fail-rate and --signed-429-rate add up to more"
		                " than 1\n");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr, "hunter serve: no recording given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	o.recordings = (const char *const *)argv + optind;
	o.nrecordings = (size_t)(argc - optind);
	o.stop = cli_stop_on_signals();
	int rc = serve_run(&o);
	return rc == SERVE_OK ? EXIT_OK : rc == SERVE_EINTR ? EXIT_INTERRUPTED : EXIT_FAIL;
}
