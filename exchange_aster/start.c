/*
 * start.c - making the client and the calls it makes before trading: the
 * server's clock (V1 timestamps are checked against it), the rate limits
 * exchangeInfo states, the wallet (which also proves the credentials),
 * and the user data stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

static void defaults(struct xa_client_opts *o)
{
	if (o->recv_window_ms <= 0)
		o->recv_window_ms = 5000;
	if (o->v3_window_ms <= 0)
		o->v3_window_ms = 60000;
	if (o->timeout_ms <= 0)
		o->timeout_ms = 5000;
	if (o->keepalive_ms <= 0)
		o->keepalive_ms = 30 * 60000;
	if (o->max_resends <= 0)
		o->max_resends = 3;
}

static int take_creds(struct xa_client *c, const struct xa_creds *cr, char *err, size_t cap)
{
	c->scheme = cr ? cr->scheme : XA_AUTH_NONE;
	if (c->scheme == XA_AUTH_NONE) {
		snprintf(err, cap, "no Aster credentials: set ASTER_API_KEY and ASTER_API_SECRET (V1)"
		         " or ASTER_USER, ASTER_SIGNER and ASTER_SIGNER_KEY (V3)");
		return -1;
	}
	c->creds = *cr;
	const char *why;
	if (c->scheme == XA_AUTH_V1) {
		why = sign_v1_key_init(&c->v1, cr->api_secret);
		explicit_bzero(c->creds.api_secret, sizeof c->creds.api_secret);
	} else {
		why = sign_v3_creds_init(&c->v3, cr->user, cr->signer, cr->signer_key,
		                         SIGN_CHAIN_MAINNET);
		xa_creds_clear(&c->creds); /* V3 keeps the parsed key only */
	}
	if (why)
		snprintf(err, cap, "%s credentials: %s", c->scheme == XA_AUTH_V1 ? "V1" : "V3", why);
	return why ? -1 : 0;
}

xa_client *xa_client_new(net_loop *l, const struct xa_client_opts *o,
                         struct exchange_sink sink, char *err, size_t cap)
{
	struct xa_client *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	c->loop = l;
	c->o = *o;
	c->o.creds = NULL;
	defaults(&c->o);
	c->sink = sink;
	xa_rl_init(&c->rl, o->rate_limit_buffer_pct);
	bool ok = take_creds(c, o->creds, err, cap) == 0;
	if (ok && (copy_str(c->rest, sizeof c->rest, o->rest_url, strlen(o->rest_url)) < 0 ||
	           copy_str(c->ws, sizeof c->ws, o->ws_url, strlen(o->ws_url)) < 0)) {
		snprintf(err, cap, "URL too long");
		ok = false;
	}
	char why[NET_ERR_MAX];
	if (ok && (net_http_expect_urgent(l, c->rest, why) < 0 || xa_order_target(c, why) < 0)) {
		snprintf(err, cap, "REST URL: %s", why);
		ok = false;
	}
	if (ok && (!(c->parser = aster_parser_new()) ||
	           !(c->release = net_timer_new(l, xa_client_release, c)))) {
		snprintf(err, cap, "out of memory");
		ok = false;
	}
	if (!ok) {
		exchange_t x = xa_client_exchange(c);
		exchange_destroy(&x);
		return NULL;
	}
	return c;
}

/* A public or signed call at start: its JSON, or NULL with the reason. */
static cJSON *start_call(struct xa_client *c, const char *path, enum xa_auth auth, int weight,
                         int64_t *sent, char *err, size_t cap)
{
	struct xa_answer a;
	xa_request(c, "GET", path, auth, weight, "", &a);
	if (a.outcome != XA_OK)
		snprintf(err, cap, "GET %s: %s%s", path, a.msg,
		         a.code == -2015 || a.code == -1022 ? " (check the API credentials)" : "");
	if (sent)
		*sent = a.sent_wall_ms;
	return a.outcome == XA_OK ? a.json : NULL;
}

int64_t xa_server_ms(const struct xa_client *c)
{
	return xa_wall_ms() + c->clock_offset_ms;
}

/* The offset of the server's clock: it stamped the answer halfway. It
 * dates refusals in exchange time and is reported (stats) so that a
 * caller can warn about a local clock that V1 timestamps would betray. */
static int learn_clock(struct xa_client *c, char *err, size_t cap)
{
	int64_t sent;
	cJSON *j = start_call(c, "time", XA_PUBLIC, 1, &sent, err, cap);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "serverTime");
	bool ok = cJSON_IsNumber(t);
	if (ok)
		c->clock_offset_ms = (int64_t)t->valuedouble - (sent + xa_wall_ms()) / 2;
	else if (j)
		snprintf(err, cap, "GET time: no serverTime in the answer");
	cJSON_Delete(j);
	return ok ? 0 : -1;
}

/* rateLimits of exchangeInfo: the budget the client keeps to. */
static int learn_limits(struct xa_client *c, char *err, size_t cap)
{
	cJSON *j = start_call(c, "exchangeInfo", XA_PUBLIC, 1, NULL, err, cap);
	const cJSON *l;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(j, "rateLimits")) {
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(l, "rateLimitType"));
		const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(l, "interval"));
		const cJSON *num = cJSON_GetObjectItem(l, "intervalNum");
		const cJSON *limit = cJSON_GetObjectItem(l, "limit");
		if (!type || !unit || !cJSON_IsNumber(num) || !cJSON_IsNumber(limit))
			continue;
		bool minute = !strcmp(unit, "MINUTE") && num->valueint == 1;
		bool ten_s = !strcmp(unit, "SECOND") && num->valueint == 10;
		if (!strcmp(type, "REQUEST_WEIGHT") && minute)
			xa_rl_set_limit(&c->rl, XA_WEIGHT_1M, (int64_t)limit->valuedouble);
		else if (!strcmp(type, "ORDERS") && (minute || ten_s))
			xa_rl_set_limit(&c->rl, minute ? XA_ORDERS_1M : XA_ORDERS_10S,
			                (int64_t)limit->valuedouble);
	}
	bool ok = j != NULL;
	cJSON_Delete(j);
	return ok ? 0 : -1;
}

static int learn_wallet(struct xa_client *c, char *err, size_t cap)
{
	cJSON *j = start_call(c, "balance", XA_SIGNED, 5, NULL, err, cap);
	bool ok = j && xa_answer_wallet(j, &c->account.wallet) == 0;
	if (j && !ok)
		snprintf(err, cap, "GET balance: no USDT balance in the answer");
	cJSON_Delete(j);
	return ok ? 0 : -1;
}

int xa_client_start(xa_client *c, char *err, size_t cap)
{
	if (learn_clock(c, err, cap) < 0 || learn_limits(c, err, cap) < 0 ||
	    learn_wallet(c, err, cap) < 0)
		return -1;
	return xa_stream_start(c, err, cap);
}

void xa_client_get_stats(const xa_client *c, struct xa_client_stats *s)
{
	*s = c->stats;
	s->clock_offset_ms = c->clock_offset_ms;
	s->stream_up = c->stream.up;
	s->weight_used = c->rl.used[XA_WEIGHT_1M];
	s->weight_limit = c->rl.limit[XA_WEIGHT_1M];
}

size_t xa_client_pending(const xa_client *c)
{
	size_t n = 0;
	for (const struct xa_job *j = c->jobs; j; j = j->next)
		n++;
	return n;
}

const char *xa_client_last_error(const xa_client *c)
{
	return c->last_error;
}

bool xa_client_banned(const xa_client *c)
{
	return c->rl.banned && c->rl.blocked_until > xa_wall_ms();
}
