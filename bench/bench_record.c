/*
 * bench_record.c - how fast `hunter record` takes Aster's streams, and what
 * it costs on disk, measured against `hunter serve --as-fast` on loopback.
 *
 *   bench_record [RECORDING]   default: a 1 M-event `hunter synth` recording
 *
 * The server plays the recording as fast as the recorder reads; the
 * recorder takes every market stream of every symbol in it. Printed: the
 * messages received against those served (loss), messages per second of
 * elapsed time and per second of the recorder's own CPU (its one core), and
 * bytes on disk per million messages against the messages' JSON. Both
 * programs are the real binaries, next to this one's folder.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aster.h"
#include "bench.h"
#include "replay.h"
#include "serve_proc.h"

struct counts {
	uint64_t market; /* stream messages: trades, tickers, diffs, marks, liquidations */
	uint64_t json_bytes;
	char symbols[256];
};

static bool streamed(const ev_t *ev)
{
	return ev->type == EV_AGG_TRADE || ev->type == EV_BOOK_TICKER ||
	       ev->type == EV_DEPTH_UPDATE || ev->type == EV_MARK_PRICE ||
	       ev->type == EV_LIQUIDATION;
}

static void add_symbol(struct counts *c, const char *s)
{
	char key[SYMBOL_MAX + 2];
	snprintf(key, sizeof key, ",%s,", s);
	char have[260];
	snprintf(have, sizeof have, ",%s,", c->symbols);
	if (strstr(have, key) || strlen(c->symbols) + strlen(s) + 2 >= sizeof c->symbols)
		return;
	if (c->symbols[0])
		strcat(c->symbols, ",");
	strcat(c->symbols, s);
}

static int count(const char *const *paths, size_t n, struct counts *c, bool json)
{
	char err[REC_ERR_MAX];
	replay *rp = replay_open(paths, n, err);
	if (!rp) {
		fprintf(stderr, "bench_record: %s\n", err);
		return -1;
	}
	static char buf[1 << 20];
	ev_t ev;
	int rc;
	while ((rc = replay_next(rp, &ev)) == 1) {
		if (!streamed(&ev))
			continue;
		c->market++;
		if (json) {
			c->json_bytes += aster_format(&ev, buf, sizeof buf);
			add_symbol(c, ev.symbol);
		}
	}
	replay_close(rp);
	return rc;
}

/* The recordings the recorder wrote, and their size. */
static size_t written(const char *dir, char paths[][PATH_MAX], size_t cap, uint64_t *bytes)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	*bytes = 0;
	for (struct dirent *e; d && (e = readdir(d)) && n < cap;) {
		if (!strstr(e->d_name, ".hrec"))
			continue;
		if (snprintf(paths[n], PATH_MAX, "%s/%s", dir, e->d_name) >= PATH_MAX)
			continue;
		struct stat st;
		if (!stat(paths[n], &st))
			*bytes += (uint64_t)st.st_size;
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* A process's CPU time so far, in clock ticks; -1 when it is gone. */
static long long ticks_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the name may hold spaces */
	unsigned long long ut, st;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
	                 &st) != 2)
		return -1;
	return (long long)(ut + st);
}

/* Waits until `pid` has used no CPU for half a second; returns when it
 * last did. */
static double wait_idle(pid_t pid)
{
	long long last = ticks_of(pid);
	double at = bench_now();
	for (int still = 0; still < 10 && last >= 0; still++) {
		usleep(50000);
		long long now = ticks_of(pid);
		if (now != last) {
			last = now;
			at = bench_now();
			still = -1;
		}
	}
	return at;
}

static double cpu_of(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
	       (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

static int run(const char *rec, const char *work)
{
	struct counts served = {0};
	if (count(&rec, 1, &served, true))
		return 1;
	int port;
	const char *args[] = {rec, "--as-fast", NULL};
	pid_t server = start_server(args, work, &port);
	if (server < 0)
		return 1;
	char out[PATH_MAX], rest[64], ws[64];
	snprintf(out, sizeof out, "%s/recorded", work);
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	char *argv[] = {hunter, "record", "--symbols", served.symbols, "--out", out,
	                "--rest-url", rest, "--ws-url", ws, NULL};
	double t0 = bench_now();
	pid_t recorder = spawn(argv, -1);
	int st;
	waitpid(server, &st, 0);
	/* The server is done once its messages are in the sockets; the recorder
	 * is done when it stops using CPU. */
	double t1 = wait_idle(recorder);
	kill(recorder, SIGINT);
	struct rusage ru;
	wait4(recorder, &st, 0, &ru);

	char paths[64][PATH_MAX];
	uint64_t disk;
	size_t n = written(out, paths, 64, &disk);
	const char *p[64];
	for (size_t i = 0; i < n; i++)
		p[i] = paths[i];
	struct counts got = {0};
	if (!n || count(p, n, &got, false))
		return 1;
	double cpu = cpu_of(&ru);
	printf("served %llu stream messages (%s), recorded %llu: %s\n",
	       (unsigned long long)served.market, served.symbols, (unsigned long long)got.market,
	       got.market == served.market ? "no loss" : "LOSS");
	printf("rate: %.0f messages/s elapsed (%.2f s), %.0f messages per CPU second of the"
	       " recorder (%.2f s CPU) (target >= 100000)\n",
	       (double)got.market / (t1 - t0), t1 - t0, (double)got.market / cpu, cpu);
	printf("disk: %.1f MB per million messages, against %.1f MB of their JSON (%.1f%%)\n",
	       (double)disk / (double)got.market, (double)served.json_bytes / (double)served.market,
	       100.0 * (double)disk / (double)served.json_bytes);
	return got.market == served.market ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (find_hunter()) {
		fprintf(stderr, "bench_record: no hunter binary beside %s\n", argv[0]);
		return 1;
	}
	char work[] = "/tmp/bench-record-XXXXXX";
	if (!mkdtemp(work)) {
		perror("mkdtemp");
		return 1;
	}
	char rec[PATH_MAX];
	if (bench_recording(argc > 1 ? argv[1] : NULL, work, 1000000, rec))
		return 1;
	int rc = run(rec, work);
	remove_work(work);
	return rc;
}
