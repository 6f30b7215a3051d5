/*
 * cmd_live.c - `hunter live`: parses the options, turns SIGHUP into a
 * reload request, prints the status line and messages, and leaves the run
 * itself to the live module.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "live.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter live --settings FILE --out DIR [options]\n"
	        "\n"
	        "Trades the settings on Aster: the settings' symbols' market streams and every\n"
	        "liquidation, the engine, orders through Aster's signed API and user data\n"
	        "stream. With --simulate (or simulate_only in the settings) the live market goes\n"
	        "to the simulated exchange instead: no key needed, no signed request sent.\n"
	        "DIR gets run.db (the run database; run.db-pending beside it holds its newest\n"
	        "records while it runs) and recordings/ (every market and account event seen,\n"
	        "replayable with hunter backtest). See docs/live.md.\n"
	        "\n"
	        "Options:\n"
	        "  -s, --settings FILE       the settings (as hunter check-config reads them)\n"
	        "  -o, --out DIR             the run's folder (created if missing); a run.db an\n"
	        "                            earlier start of the same kind left there goes on\n"
	        "      --simulate            the simulated exchange on live data\n"
	        "      --close-all           cancel hunter's entries, close the positions at\n"
	        "                            market, cancel hunter's other orders, then exit\n"
	        "      --env-file FILE       credentials file (default ./.env; the environment\n"
	        "                            wins): ASTER_API_KEY and ASTER_API_SECRET (V1) or\n"
	        "                            ASTER_USER, ASTER_SIGNER, ASTER_SIGNER_KEY (V3)\n"
	        "      --status-interval D   status line every D (default 5s)\n"
	        "      --request-timeout D   give up on a REST answer after D (default 5s); an\n"
	        "                            order without an answer is looked up, never resent\n"
	        "                            blindly\n"
	        "      --dashboard-port PORT serve the dashboard on PORT (0: any free port, said\n"
	        "                            at start); see docs/dashboard.md\n"
	        "      --dashboard-bind ADDR listen on ADDR (default 127.0.0.1; elsewhere needs a\n"
	        "                            token)\n"
	        "      --dashboard-token T   token the dashboard asks for (env\n"
	        "                            HUNTER_DASHBOARD_TOKEN); needed to change settings\n"
	        "      --rest-url URL        REST base (env ASTER_REST_URL; default %s)\n"
	        "      --ws-url URL          stream base (env ASTER_WS_URL; default %s)\n"
	        "      --ca-file FILE        also trust the CAs in FILE (PEM)\n"
	        "  -h, --help                this text\n"
	        "\n"
	        "Signals: Ctrl-C or SIGTERM stop new entries and end the run cleanly; take-profit\n"
	        "and stop-loss orders stay on the exchange. SIGHUP reloads the settings file: it\n"
	        "is checked first, and a bad file changes nothing. Exit status: 0 --close-all\n"
	        "done, 1 the exchange, network or disk failed, 2 bad settings or credentials,\n"
	        "or a folder another run holds (nothing was sent), 130 stopped by a signal.\n",
	        NET_DEFAULT_REST, NET_DEFAULT_WS);
}

static volatile sig_atomic_t reload_requested;

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	if (isatty(STDERR_FILENO)) {
		fprintf(stderr, "\r\033[K%s", line);
		fflush(stderr);
	} else {
		fprintf(stdout, "%s\n", line);
		fflush(stdout);
	}
}

static void say(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%shunter live: %s\n", isatty(STDERR_FILENO) ? "\r\033[K" : "", line);
}

enum {
	OPT_SIMULATE = 256, OPT_CLOSE_ALL, OPT_ENV, OPT_STATUS, OPT_TIMEOUT, OPT_REST, OPT_WS, OPT_CA,
	OPT_DASH_PORT, OPT_DASH_BIND, OPT_DASH_TOKEN
};

static const struct option longopts[] = {
	{"settings", required_argument, NULL, 's'},
	{"out", required_argument, NULL, 'o'},
	{"simulate", no_argument, NULL, OPT_SIMULATE},
	{"close-all", no_argument, NULL, OPT_CLOSE_ALL},
	{"env-file", required_argument, NULL, OPT_ENV},
	{"status-interval", required_argument, NULL, OPT_STATUS},
	{"request-timeout", required_argument, NULL, OPT_TIMEOUT},
	{"rest-url", required_argument, NULL, OPT_REST},
	{"ws-url", required_argument, NULL, OPT_WS},
	{"ca-file", required_argument, NULL, OPT_CA},
	{"dashboard-port", required_argument, NULL, OPT_DASH_PORT},
	{"dashboard-bind", required_argument, NULL, OPT_DASH_BIND},
	{"dashboard-token", required_argument, NULL, OPT_DASH_TOKEN},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct args {
	struct live_opts o;
	const char *rest, *ws;
};

/* One option; -1 to go on, else the exit code. */
static int parse_one(struct args *a, int c)
{
	switch (c) {
	case 's': a->o.settings_path = optarg; return -1;
	case 'o': a->o.out_dir = optarg; return -1;
	case OPT_SIMULATE: a->o.simulate = true; return -1;
	case OPT_CLOSE_ALL: a->o.close_all = true; return -1;
	case OPT_ENV: a->o.env_file = optarg; return -1;
	case OPT_REST: a->rest = optarg; return -1;
	case OPT_WS: a->ws = optarg; return -1;
	case OPT_CA: a->o.ca_file = optarg; return -1;
	case OPT_DASH_BIND: a->o.dashboard_bind = optarg; return -1;
	case OPT_DASH_TOKEN: a->o.dashboard_token = optarg; return -1;
	case OPT_DASH_PORT: {
		char *end;
		long port = strtol(optarg, &end, 10);
		if (*optarg && !*end && port >= 0 && port <= 65535) {
			a->o.dashboard_port = (int)port;
			return -1;
		}
		fprintf(stderr, "hunter live: --dashboard-port: '%s' is not a port (0-65535)\n", optarg);
		return EXIT_USAGE;
	}
	case 'h': usage(stdout); return EXIT_OK;
	case OPT_STATUS:
	case OPT_TIMEOUT:
		if (cli_parse_duration(optarg, c == OPT_STATUS ? &a->o.status_ms
		                                               : &a->o.request_timeout_ms) == 0)
			return -1;
		fprintf(stderr, "hunter live: --%s: '%s' is not a duration\n",
		        c == OPT_STATUS ? "status-interval" : "request-timeout", optarg);
		return EXIT_USAGE;
	default: usage(stderr); return EXIT_USAGE;
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int c;
	while ((c = getopt_long(argc, argv, "s:o:h", longopts, NULL)) != -1) {
		int rc = parse_one(a, c);
		if (rc >= 0)
			return rc;
	}
	if (optind < argc || !a->o.settings_path || !a->o.out_dir) {
		fprintf(stderr, "hunter live: %s (see --help)\n",
		        optind < argc ? "unexpected argument"
		        : !a->o.settings_path ? "--settings FILE is required"
		                              : "--out DIR is required");
		return EXIT_USAGE;
	}
	char err[NET_ERR_MAX];
	if (net_bases_resolve(a->rest, a->ws, &a->o.bases, err) < 0) {
		fprintf(stderr, "hunter live: %s\n", err);
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_live(int argc, char **argv)
{
	struct args a = {.o = {.status_ms = 5000, .dashboard_port = -1,
	                       .dashboard_token = getenv("HUNTER_DASHBOARD_TOKEN"),
	                       .status = print_line, .say = say}};
	optind = 1;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct sigaction sa = {.sa_handler = on_hup};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	char *cmd = cli_command_line(argc, argv);
	a.o.command = cmd;
	a.o.stop = cli_stop_on_signals();
	a.o.reload = &reload_requested;
	int end = live_run(&a.o);
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	free(cmd);
	switch (end) {
	case LIVE_DONE: return EXIT_OK;
	case LIVE_STOPPED: return EXIT_INTERRUPTED;
	case LIVE_EUSAGE: return EXIT_USAGE;
	default: return EXIT_FAIL;
	}
}
