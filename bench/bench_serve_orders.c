/*
 * bench_serve_orders.c - how many orders `hunter serve`'s trading side
 * takes from one client: V1-signed LIMIT orders placed and cancelled in
 * turn over one keep-alive HTTP connection on loopback, each call waiting
 * for its answer, as a careful bot does.
 *
 *   bench_serve_orders [RECORDING [ORDERS]]   default: a 20000-event
 *                                              `hunter synth` recording,
 *                                              5000 orders
 *
 * The orders rest far under the market, so each is accepted and then
 * cancelled by the account's simulation. The server runs with its rate
 * limits raised out of the way: this measures the server, not Aster's
 * budget. Printed: orders per second (each placed and cancelled), calls
 * per second, the p50 and p99 round trip of a place and of a cancel
 * (from the request's first byte written to its answer's last read; the
 * HMAC is computed before), and the server's CPU time per order.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "bench.h"
#include "serve_proc.h"
#include "sign.h"

#define KEY "bench-key"
#define SECRET "bench-secret"
#define RESPONSE_MAX 16384

static struct sign_v1_key key; /* the account's secret, keyed once in main */

struct conn {
	int fd;
	char buf[RESPONSE_MAX];
	size_t len; /* bytes read past the last answer */
};

static int dial(struct conn *c, int port)
{
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	c->len = 0;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return connect(c->fd, (struct sockaddr *)&sa, sizeof sa);
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* The Content-Length of the headers in [s, end), in any case; 0 without. */
static size_t content_length(const char *s, const char *end)
{
	for (const char *p = s; p && p < end;) {
		if (!strncasecmp(p, "content-length:", 15))
			return strtoul(p + 15, NULL, 10);
		p = strstr(p, "\r\n");
		p = p ? p + 2 : NULL;
	}
	return 0;
}

/* Reads one answer (headers and its Content-Length of body); its status,
 * or -1 when the connection failed. */
static int read_answer(struct conn *c)
{
	for (;;) {
		c->buf[c->len] = '\0';
		char *end = strstr(c->buf, "\r\n\r\n");
		size_t total = end ? (size_t)(end + 4 - c->buf) + content_length(c->buf, end) : 0;
		int status;
		if (end && c->len >= total && sscanf(c->buf, "HTTP/1.1 %d", &status) == 1) {
			memmove(c->buf, c->buf + total, c->len - total);
			c->len -= total;
			return status;
		}
		ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
		if (r <= 0)
			return -1;
		c->len += (size_t)r;
	}
}

/* One V1-signed call; its round trip in seconds, or -1 (said why). */
static double call(struct conn *c, const char *method, const char *path, const char *params)
{
	char *signed_params, req[2048];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (sign_v1_append(&key, params, now, 0, &signed_params))
		return -1;
	bool body = !strcmp(method, "POST");
	int n = snprintf(req, sizeof req, "%s %s%s%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                 "X-MBX-APIKEY: " KEY "\r\nContent-Type: application/x-www-form-urlencoded"
	                 "\r\nContent-Length: %zu\r\n\r\n%s", method, path, body ? "" : "?",
	                 body ? "" : signed_params, body ? strlen(signed_params) : 0,
	                 body ? signed_params : "");
	free(signed_params);
	double t0 = bench_now();
	int status = n > 0 && (size_t)n < sizeof req && write_all(c->fd, req, (size_t)n)
	             ? read_answer(c) : -1;
	if (status != 200) {
		fprintf(stderr, "bench_serve_orders: %s %s answered %d: %.200s\n", method, path, status,
		        c->buf);
		return -1;
	}
	return bench_now() - t0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, by_value);
	return v[(size_t)(q * (double)(n - 1))];
}

/* The server's CPU time so far, in seconds (utime and stime of /proc). */
static double cpu_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long long ut = 0, st = 0;
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Places and cancels `orders` orders; 0, or 1 when a call failed. */
static int measure(struct conn *c, pid_t server, long orders)
{
	double *place = malloc((size_t)orders * sizeof *place);
	double *cancel = malloc((size_t)orders * sizeof *cancel);
	char params[256];
	double cpu0 = cpu_of(server), t0 = bench_now();
	long i = 0;
	for (; place && cancel && i < orders; i++) {
		snprintf(params, sizeof params, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
		         "&quantity=0.01&price=1000&newClientOrderId=b%ld", i);
		place[i] = call(c, "POST", "/fapi/v1/order", params);
		snprintf(params, sizeof params, "symbol=BTCUSDT&origClientOrderId=b%ld", i);
		cancel[i] = place[i] < 0 ? -1 : call(c, "DELETE", "/fapi/v1/order", params);
		if (cancel[i] < 0)
			break;
	}
	double elapsed = bench_now() - t0, cpu = cpu_of(server) - cpu0;
	if (i == orders) {
		printf("%ld orders placed and cancelled in %.2f s over one keep-alive connection:"
		       " %.0f orders/s, %.0f calls/s\n", orders, elapsed, (double)orders / elapsed,
		       2.0 * (double)orders / elapsed);
		printf("round trip: place p50 %.3f ms p99 %.3f ms, cancel p50 %.3f ms p99 %.3f ms\n",
		       1e3 * quantile(place, (size_t)orders, 0.5),
		       1e3 * quantile(place, (size_t)orders, 0.99),
		       1e3 * quantile(cancel, (size_t)orders, 0.5),
		       1e3 * quantile(cancel, (size_t)orders, 0.99));
		printf("server CPU: %.1f us per order (place and cancel)\n", 1e6 * cpu / (double)orders);
	}
	free(place);
	free(cancel);
	return i == orders ? 0 : 1;
}

static int run(const char *rec, const char *work, long orders)
{
	char accounts[PATH_MAX];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", work);
	FILE *f = fopen(accounts, "w");
	if (!f)
		return 1;
	fprintf(f, "[{\"api_key\":\"" KEY "\",\"api_secret\":\"" SECRET "\"}]\n");
	fclose(f);
	const char *args[] = {rec, "--accounts", accounts, "--weight-limit", "4000000000",
	                      "--order-limit-1m", "4000000000", "--order-limit-10s", "4000000000",
	                      NULL};
	int port;
	pid_t server = start_server(args, work, &port);
	if (server < 0)
		return 1;
	struct conn *c = malloc(sizeof *c);
	int rc = c && !dial(c, port) ? measure(c, server, orders) : 1;
	if (c)
		close(c->fd);
	free(c);
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	return rc;
}

int main(int argc, char **argv)
{
	if (find_hunter()) {
		fprintf(stderr, "bench_serve_orders: no hunter binary beside %s\n", argv[0]);
		return 1;
	}
	long orders = argc > 2 ? strtol(argv[2], NULL, 10) : 5000;
	char work[] = "/tmp/bench-serve-orders-XXXXXX";
	if (orders < 1 || !mkdtemp(work)) {
		fprintf(stderr, "usage: bench_serve_orders [RECORDING [ORDERS]]\n");
		return 1;
	}
	char rec[PATH_MAX];
	int rc = sign_v1_key_init(&key, SECRET) ||
	         bench_recording(argc > 1 ? argv[1] : NULL, work, 20000, rec) ? 1
	         : run(rec, work, orders);
	sign_v1_key_clear(&key);
	remove_work(work);
	return rc;
}
