/*
 * bench_client.c - the request path of hunter's Aster client: an order
 * from exchange_place() to its bytes on the socket (sign, format, send),
 * and to the answer heard back, against `hunter serve` on loopback, for V1
 * (HMAC) and V3 (EIP-712). Each order is cancelled before the next, so the
 * account never fills up; the server's rate limits are raised so that the
 * path, not the budget, is measured. Before each order the client warms
 * its signing as `hunter live` does once a millisecond (xa_client_warm:
 * with V3, a presignature made ahead).
 *
 *   bench_client [RECORDING [ORDERS]]   default: a 20000-event `hunter synth`
 *                                       recording, 2000 orders
 *
 * Prints p50/p99 in microseconds for each scheme.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench.h"
#include "bench_accounts.h"

/* ---- the client and what it hears ---- */

struct run {
	net_loop *loop;
	xa_client *c;
	exchange_t x;
	char want[CLIENT_ID_MAX];
	order_status_t want_status;
	bool heard;
	double heard_at;
	bool refused;
};

static void on_event(void *ctx, const ev_t *ev)
{
	struct run *r = ctx;
	if (ev->type == EV_ORDER_UPDATE && !strcmp(ev->u.order.client_id, r->want) &&
	    ev->u.order.status == r->want_status && !r->heard) {
		r->heard = true;
		r->heard_at = bench_now();
	}
}

static void on_reject(void *ctx, const char *symbol, const char *cid, int code, const char *msg,
                      int64_t ms)
{
	(void)symbol, (void)ms;
	struct run *r = ctx;
	if (!strcmp(cid, r->want)) {
		fprintf(stderr, "bench_client: %s refused: %d %s\n", cid, code, msg);
		r->refused = r->heard = true;
	}
}

static bool wait_heard(struct run *r, order_status_t st)
{
	r->want_status = st;
	for (double end = bench_now() + 5; !r->heard && bench_now() < end;)
		net_loop_run(r->loop, 5);
	bool ok = r->heard && !r->refused;
	r->heard = false;
	return ok;
}

struct bid {
	bool done;
	dec_t price;
};

static void on_book(void *ctx, const struct net_reply *a)
{
	struct bid *b = ctx;
	const char *p = a->status == 200 ? strstr(a->body, "\"bidPrice\":\"") : NULL;
	const char *why;
	if (p) {
		p += strlen("\"bidPrice\":\"");
		const char *q = strchr(p, '"');
		if (!q || dec_parse(p, (size_t)(q - p), &b->price, &why) < 0)
			b->price = 0;
	}
	b->done = true;
}

/* 2 % under the best bid, in whole dollars: an order that rests and that
 * the price filter takes. 0 when the book is not known. */
static dec_t resting_price(net_loop *l, const char *rest)
{
	char url[128], err[NET_ERR_MAX];
	struct bid b = {0};
	snprintf(url, sizeof url, "%s/fapi/v1/ticker/bookTicker?symbol=BTCUSDT", rest);
	if (net_http_get(l, url, 5000, on_book, &b, err) < 0)
		return 0;
	while (!b.done)
		net_loop_run(l, 20);
	return b.price / 100 * 98 / DEC_ONE * DEC_ONE;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	return v[(int)fmin(n - 1, floor(p * n))];
}

static int bench_scheme(int port, bool v3, int n)
{
	char rest[64], ws[64], err[256];
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	struct xa_creds cr;
	bench_creds(&cr, v3);
	struct run r = {0};
	struct xa_client_opts o = {.rest_url = rest, .ws_url = ws, .creds = &cr};
	if (!(r.loop = net_loop_new(NULL, err)) ||
	    !(r.c = xa_client_new(r.loop, &o, (struct exchange_sink){&r, on_event, on_reject}, err,
	                          sizeof err)) ||
	    (r.x = xa_client_exchange(r.c), xa_client_start(r.c, err, sizeof err) < 0)) {
		fprintf(stderr, "bench_client: %s\n", err);
		return -1;
	}
	dec_t price = 0;
	for (int i = 0; i < 50 && !price; i++) /* the replay's first book may not be in yet */
		if (!(price = resting_price(r.loop, rest)))
			usleep(100000);
	double *send = malloc(sizeof *send * (size_t)n), *trip = malloc(sizeof *trip * (size_t)n);
	int done = 0;
	for (int i = 0; i < n && send && trip && price > 0; i++, done++) {
		order_req q = {.symbol = "BTCUSDT", .side = SIDE_BUY, .pos_side = PS_BOTH,
		               .type = OT_LIMIT, .tif = TIF_GTC, .qty = DEC(1) / 1000,
		               .price = price};
		snprintf(q.client_id, sizeof q.client_id, "b%s-%d", v3 ? "3" : "1", i);
		snprintf(r.want, sizeof r.want, "%s", q.client_id);
		xa_client_warm(r.c);
		double t0 = bench_now();
		exchange_place(&r.x, &q, 0);
		send[i] = (bench_now() - t0) * 1e6;
		if (!wait_heard(&r, OS_NEW))
			break;
		trip[i] = (r.heard_at - t0) * 1e6;
		exchange_cancel(&r.x, "BTCUSDT", q.client_id, 0);
		if (!wait_heard(&r, OS_CANCELED))
			break;
	}
	int rc = done == n ? 0 : -1;
	if (!rc) {
		qsort(send, (size_t)n, sizeof *send, cmp);
		qsort(trip, (size_t)n, sizeof *trip, cmp);
		printf("%s: %d orders; place -> on the socket (sign, format, send): p50 %.1f us, "
		       "p99 %.1f us; -> answer heard: p50 %.1f us, p99 %.1f us\n",
		       v3 ? "V3 (EIP-712)" : "V1 (HMAC)", n, pct(send, n, 0.5), pct(send, n, 0.99),
		       pct(trip, n, 0.5), pct(trip, n, 0.99));
	} else {
		fprintf(stderr, "bench_client: stopped after %d orders\n", done);
	}
	free(send);
	free(trip);
	exchange_destroy(&r.x);
	net_loop_free(r.loop);
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 2000;
	char work[] = "/tmp/bench-client-XXXXXX", rec[PATH_MAX];
	int port;
	if (find_hunter() < 0 || !mkdtemp(work) || n <= 0) {
		fprintf(stderr, "usage: bench_client [RECORDING [ORDERS]] (beside the hunter build)\n");
		return 2;
	}
	if (bench_recording(argc > 1 ? argv[1] : NULL, work, 20000, rec) < 0) {
		remove_work(work);
		return 1;
	}
	pid_t server = bench_trading_server(rec, work, "1", &port);
	int rc = server < 0 ? -1 : bench_scheme(port, false, n) | bench_scheme(port, true, n);
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	remove_work(work);
	return rc ? 1 : 0;
}
