/*
 * bench_live.c - what `hunter live` costs per signal and in memory,
 * measured on `hunter live` itself against `hunter serve` on loopback.
 *
 * The server replays the liquidation fixture at 100x, over and over, to
 * two funded accounts (a V1 key and a V3 signer); `hunter live` trades
 * its ten busiest symbols with settings that fire on every liquidation,
 * once with each scheme, for RUN_S seconds. Tick to order is hunter's own
 * figure (live/latency.c): from a liquidation frame's arrival on the
 * socket, before parsing, to the order it fired written on the socket to
 * the server, through parse, engine, the write-ahead log of the run
 * database, encode, sign and the write on a kept-alive connection;
 * `hunter live` says p50, p99 and the worst when it stops, with where the
 * time went step by step. Memory is the peak resident set (VmHWM) of the
 * V1 run. On a virtual machine, the CPU time the hypervisor gave to other
 * guests during each run (steal, from /proc/stat) is printed beside it:
 * the tail follows it.
 *
 * With two CPUs or more, the server runs on the last and hunter on the
 * first, as a trading machine keeps its trading process on a core of its
 * own: on one shared core the server, woken by each order, takes the CPU
 * from hunter in the middle of its write, which measures the scheduler.
 *
 *   bench_live [LIQ_RECORDING]   default fixtures/liq-2025-01-27.hrec.gz
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench_accounts.h"

#define RUN_S 20

static const char *const symbols[] = {"ACHUSDT", "FARTCOINUSDT", "CFXUSDT",  "SOLUSDT",
                                      "ETHUSDT", "TRUMPUSDT",    "JUPUSDT",  "XRPUSDT",
                                      "BTCUSDT", "TAOUSDT"};

/* Every liquidation fires an entry of 6 USDT, 1% away, gone after 1 s. */
static int write_settings(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{\"globals\":{\"hedge_mode\":false,\"order_ttl_seconds\":1,"
	      "\"max_open_orders_per_symbol\":200,\"max_total_exposure_usdt\":1000000},"
	      "\"symbols\":{", f);
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
		fprintf(f, "%s\"%s\":{\"volume_threshold\":1,\"leverage\":1,\"trade_value_usdt\":6,"
		        "\"max_position_usdt\":1000000,\"price_offset_pct\":1}", i ? "," : "",
		        symbols[i]);
	fputs("}}\n", f);
	return fclose(f);
}

static long peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

/* The machine's CPU time so far, all of it and what the hypervisor took
 * for others (steal), in ticks of /proc/stat; false off Linux. */
static bool cpu_ticks(unsigned long long *total, unsigned long long *steal)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");
	int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	                   &v[3], &v[4], &v[5], &v[6], &v[7])
	          : 0;
	if (f)
		fclose(f);
	*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	*steal = v[7];
	return n == 8;
}

/* The credentials of one account, in the environment `hunter live` reads. */
static void set_creds(bool v3)
{
	static const char *const names[] = {"ASTER_API_KEY", "ASTER_API_SECRET", "ASTER_USER",
	                                    "ASTER_SIGNER", "ASTER_SIGNER_KEY"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unsetenv(names[i]);
	if (v3) {
		setenv("ASTER_USER", BENCH_V3_USER, 1);
		setenv("ASTER_SIGNER", BENCH_V3_SIGNER, 1);
		setenv("ASTER_SIGNER_KEY", BENCH_V3_KEY, 1);
	} else {
		setenv("ASTER_API_KEY", BENCH_V1_KEY, 1);
		setenv("ASTER_API_SECRET", BENCH_V1_SECRET, 1);
	}
}

/* The line `hunter live` ends with, from its output `log`. */
static bool tick_line(const char *log, char *out, size_t cap)
{
	char line[512];
	bool got = false;
	FILE *f = fopen(log, "r");
	while (f && fgets(line, sizeof line, f)) {
		const char *t = strstr(line, "tick to order: ");
		if (t) {
			snprintf(out, cap, "%s", t + 15);
			out[strcspn(out, "\n")] = '\0';
			got = true;
		}
	}
	if (f)
		fclose(f);
	return got;
}

/* One `hunter live` run of RUN_S seconds with the V1 or V3 account; its
 * peak RSS in *kb. 0, or -1 after saying why. */
static int live_run(int port, bool v3, const char *work, long *kb)
{
	char settings[PATH_MAX], out[PATH_MAX], log[PATH_MAX], rest[64], ws[64], line[256];
	const char *scheme = v3 ? "V3" : "V1";
	snprintf(settings, sizeof settings, "%s/ten.json", work);
	snprintf(out, sizeof out, "%s/live-%s", work, scheme);
	snprintf(log, sizeof log, "%s/live-%s.out", work, scheme);
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (write_settings(settings) < 0 || fd < 0) {
		fprintf(stderr, "bench_live: cannot write into %s\n", work);
		return -1;
	}
	set_creds(v3);
	char *argv[] = {hunter, "live", "--settings", settings, "--out", out, "--rest-url", rest,
	                "--ws-url", ws, NULL};
	unsigned long long total0, steal0, total1, steal1;
	bool ticks = cpu_ticks(&total0, &steal0);
	pid_t live = spawn(argv, fd);
	close(fd);
	sleep(RUN_S);
	*kb = peak_rss_kb(live);
	ticks = ticks && cpu_ticks(&total1, &steal1) && total1 > total0;
	kill(live, SIGTERM);
	int st;
	waitpid(live, &st, 0);
	if (!tick_line(log, line, sizeof line)) {
		fprintf(stderr, "bench_live: %s: hunter live placed no order (exit %d); see %s with"
		        " BENCH_KEEP=1\n", scheme, WIFEXITED(st) ? WEXITSTATUS(st) : -1, log);
		return -1;
	}
	printf("%s: hunter live, %d s on 10 symbols, liquidation frame -> order on the socket: %s\n",
	       scheme, RUN_S, line);
	if (ticks) /* a virtual machine's neighbours show here, and in the tail */
		printf("%s: CPU time stolen by the hypervisor during the run: %.1f%%\n", scheme,
		       100.0 * (double)(steal1 - steal0) / (double)(total1 - total0));
	return 0;
}

int main(int argc, char **argv)
{
	char work[] = "/tmp/bench-live-XXXXXX";
	const char *liq = argc > 1 ? argv[1] : "fixtures/liq-2025-01-27.hrec.gz";
	int port;
	if (find_hunter() < 0 || !mkdtemp(work) || access(liq, R_OK) < 0) {
		fprintf(stderr, "usage: bench_live [LIQ_RECORDING] (beside the hunter build)\n");
		return 2;
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	spawn_cpu = cpus > 1 ? (int)cpus - 1 : -1;
	pid_t server = bench_trading_server(liq, work, "100", &port);
	spawn_cpu = cpus > 1 ? 0 : -1;
	long kb = -1, kb3;
	int rc = server < 0 ? -1 : live_run(port, false, work, &kb) | live_run(port, true, work, &kb3);
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	if (kb > 0)
		printf("hunter live trading 10 symbols (and every liquidation): peak RSS %.1f MB\n",
		       (double)kb / 1024);
	if (!getenv("BENCH_KEEP"))
		remove_work(work);
	else
		fprintf(stderr, "kept %s\n", work);
	return rc ? 1 : 0;
}
