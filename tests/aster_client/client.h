/*
 * client.h - hunter's Aster client against `hunter serve` on loopback: a
 * scripted market, a client made with the test accounts' V1 or V3
 * credentials, a sink that keeps every order and account update and
 * refusal it hears, and a loop that runs until a condition holds.
 */
#ifndef HUNTER_TEST_ASTER_CLIENT_H
#define HUNTER_TEST_ASTER_CLIENT_H

#include "backtest/market.h"
#include "exchange_aster.h"
#include "serve_trading/signed.h"

#define HEARD_MAX 512

struct heard {
	struct ev_order orders[HEARD_MAX];
	int norders, naccount, nrejects;
	int reject_code[HEARD_MAX];
	char reject_id[HEARD_MAX][CLIENT_ID_MAX];
};

static void heard_event(void *ctx, const ev_t *ev)
{
	struct heard *h = ctx;
	if (ev->type == EV_ORDER_UPDATE && h->norders < HEARD_MAX)
		h->orders[h->norders++] = ev->u.order;
	h->naccount += ev->type == EV_ACCOUNT_UPDATE;
}

static void heard_reject(void *ctx, const char *symbol, const char *client_id, int code,
                         const char *msg, int64_t ms)
{
	(void)symbol, (void)msg, (void)ms;
	struct heard *h = ctx;
	if (h->nrejects < HEARD_MAX) {
		h->reject_code[h->nrejects] = code;
		snprintf(h->reject_id[h->nrejects], CLIENT_ID_MAX, "%s", client_id);
		h->nrejects++;
	}
}

/* Updates of client id `cid` with status `st`. */
static inline int heard_count(const struct heard *h, const char *cid, order_status_t st)
{
	int n = 0;
	for (int i = 0; i < h->norders; i++)
		n += !strcmp(h->orders[i].client_id, cid) && h->orders[i].status == st;
	return n;
}

/* A market whose book stays at 49999/50001 for `seconds`, with one trade
 * through 49990 at `through_s` (never when negative). */
static inline const char *client_market(const char *dir, int seconds, int through_s)
{
	struct market m;
	market_open(&m, dir);
	for (int64_t ms = 0; ms <= seconds * 1000LL; ms += 1000) {
		bool after = through_s >= 0 && ms >= through_s * 1000LL;
		market_book(&m, ms, after ? "49980" : "49999", after ? "49990" : "50001");
		if (through_s >= 0 && ms == through_s * 1000LL)
			market_trade(&m, ms, "49990", "2", true);
	}
	return market_import(&m);
}

struct client_run {
	net_loop *loop;
	xa_client *c;
	exchange_t x;
	struct heard heard;
	char rest[64], ws[64];
};

/* A client of the serve on `port`, started; `v3` picks the scheme. */
static inline void client_start(struct client_run *r, int port, bool v3,
                                struct xa_client_opts *o)
{
	char err[256];
	struct xa_creds cr = {.scheme = v3 ? XA_AUTH_V3 : XA_AUTH_V1};
	snprintf(cr.api_key, sizeof cr.api_key, V1_KEY);
	snprintf(cr.api_secret, sizeof cr.api_secret, V1_SECRET);
	snprintf(cr.user, sizeof cr.user, V3_USER);
	snprintf(cr.signer, sizeof cr.signer, V3_SIGNER);
	snprintf(cr.signer_key, sizeof cr.signer_key, V3_KEY);
	snprintf(r->rest, sizeof r->rest, "http://127.0.0.1:%d", port);
	snprintf(r->ws, sizeof r->ws, "ws://127.0.0.1:%d", port);
	memset(&r->heard, 0, sizeof r->heard);
	cr_assert_not_null(r->loop = net_loop_new(NULL, err), "%s", err);
	o->rest_url = r->rest;
	o->ws_url = r->ws;
	o->creds = &cr;
	struct exchange_sink sink = {&r->heard, heard_event, heard_reject};
	r->c = xa_client_new(r->loop, o, sink, err, sizeof err);
	cr_assert_not_null(r->c, "%s", err);
	r->x = xa_client_exchange(r->c);
	cr_assert_eq(xa_client_start(r->c, err, sizeof err), 0, "%s", err);
}

/* Runs the loop until cond(r) or `ms` pass; returns cond(r). */
static inline bool client_until(struct client_run *r, bool (*cond)(const struct client_run *),
                                int ms)
{
	int64_t end = test_now_ms() + ms;
	while (!cond(r) && test_now_ms() < end)
		net_loop_run(r->loop, 20);
	return cond(r);
}

static inline void client_idle(struct client_run *r, int ms)
{
	int64_t end = test_now_ms() + ms;
	while (test_now_ms() < end)
		net_loop_run(r->loop, 20);
}

static inline void client_stop(struct client_run *r)
{
	exchange_destroy(&r->x);
	net_loop_free(r->loop);
}

/* A LIMIT order of 0.01 BTCUSDT at `price`, under client id `cid`. */
static inline order_req client_limit(const char *cid, side_t side, const char *price)
{
	order_req o = {.symbol = "BTCUSDT", .side = side, .pos_side = PS_BOTH, .type = OT_LIMIT,
	               .tif = TIF_GTC, .qty = DEC(1) / 100};
	const char *why;
	snprintf(o.client_id, sizeof o.client_id, "%s", cid);
	cr_assert_eq(dec_parse(price, strlen(price), &o.price, &why), 0);
	return o;
}

#endif
