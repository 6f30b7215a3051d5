/*
 * call.c - one REST call to Aster, from parameters to a classified answer.
 *
 * A call is signed when it leaves, not when it is made: a call held back by
 * the rate limit, or sent again after a 429, gets a fresh timestamp (V1) or
 * nonce (V3), so it is never refused as stale for having waited. Both come
 * from the local wall clock, as every Aster client's do: the machine's
 * clock must be kept right (NTP); start.c warns when it is not. Every
 * answer's weight and order-count headers correct the rate limiter before
 * anything else looks at the answer.
 *
 * The answer's classes are what the caller must decide on: carried out,
 * refused (not carried out: safe to act on the code), unknown (no answer or
 * a 5xx: the order may exist, look it up), banned (send nothing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_int.h"

#define WAIT_SLICE_MS 20      /* one turn of the loop while a start-up call waits */
#define WAIT_LIMIT_MS 120000  /* a start-up call answered neither way by then fails */
#define WAIT_TRIES 3          /* start-up calls are safe to repeat: tries after no answer */

int64_t xa_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The version of a path under V1 (V3 serves everything under /fapi/v3):
 * balance and positionRisk moved to v2, the account to v4. */
static int v1_version(const char *path)
{
	if (!strcmp(path, "balance") || !strcmp(path, "positionRisk"))
		return 2;
	return !strcmp(path, "account") ? 4 : 1;
}

struct xa_call *xa_call_new(struct xa_client *c, const char *method, const char *path,
                            enum xa_auth auth, int weight, const char *params)
{
	struct xa_call *call = calloc(1, sizeof *call);
	if (!call || !(call->params = strdup(params ? params : ""))) {
		free(call);
		return NULL;
	}
	*call = (struct xa_call){.c = c, .method = method, .path = path, .auth = auth, .weight = weight, .params = call->params,
	                         .order = !strcmp(path, "order") && !strcmp(method, "POST"),
	                         .next = c->calls};
	c->calls = call;
	return call;
}

static void call_free(struct xa_call *call)
{
	for (struct xa_call **p = &call->c->calls; *p; p = &(*p)->next)
		if (*p == call) {
			*p = call->next;
			break;
		}
	net_timer_free(call->wait);
	free(call->failed);
	free(call->params);
	free(call);
}

void xa_calls_free(struct xa_client *c)
{
	while (c->calls)
		call_free(c->calls);
}

/* The parameters as they go on the wire: signed for the scheme. NULL
 * with the reason in why. */
static char *signed_params(struct xa_call *call, const char **why)
{
	struct xa_client *c = call->c;
	char *out = NULL;
	if (call->auth == XA_PUBLIC || (call->auth == XA_KEY_ONLY && c->scheme == XA_AUTH_V1)) {
		if (!(out = strdup(call->params)))
			*why = "out of memory";
		return out;
	}
	if (c->scheme == XA_AUTH_V3)
		*why = sign_v3_request(&c->v3, call->params, sign_nonce_next(&c->nonce), &out);
	else
		*why = sign_v1_append(&c->v1, call->params, xa_wall_ms(),
		                      c->o.recv_window_ms, &out);
	return *why ? NULL : out;
}

static void on_reply(void *ctx, const struct net_reply *r);
static void wait_over(void *ctx);

/* The call cannot go out: its caller hears so from the loop. */
static void fail(struct xa_call *call, const char *why)
{
	struct xa_client *c = call->c;
	size_t cap = strlen(why) + 64;
	if ((call->failed = malloc(cap)))
		snprintf(call->failed, cap, "cannot send %s %s: %s", call->method, call->path, why);
	if (!call->wait)
		call->wait = net_timer_new(c->loop, wait_over, call);
	if (call->wait)
		net_timer_arm(call->wait, 0);
}

/* Reports a failure to send. */
static void report_failure(struct xa_call *call)
{
	struct xa_answer a = {.outcome = XA_REFUSED, .code = -1000};
	snprintf(a.msg, sizeof a.msg, "%s", call->failed ? call->failed : "out of memory");
	xa_client_error(call->c, "%s", a.msg);
	call->done(call, &a);
	call_free(call);
}

/* Orders, their cancels and look-ups go on the loop's kept-alive lanes
 * (net/lane.c): they are what a market event waits for. */
static bool urgent(const struct xa_call *call)
{
	return !strcmp(call->path, "order") || !strcmp(call->path, "batchOrders");
}

/* The URL of a call to `path`: the REST base, the path's version, the
 * path, and `query` when there is one. snprintf's count. */
static int format_url(const struct xa_client *c, const char *path, enum xa_auth auth,
                      const char *query, char *out, size_t cap)
{
	int version = c->scheme == XA_AUTH_V3 && auth != XA_PUBLIC ? 3 : v1_version(path);
	return snprintf(out, cap, "%s/fapi/v%d/%s%s%s", c->rest, version, path, *query ? "?" : "",
	                query);
}

int xa_order_target(struct xa_client *c, char *why)
{
	snprintf(c->key_header, sizeof c->key_header, "X-MBX-APIKEY: %s", c->creds.api_key);
	int n = format_url(c, "order", XA_SIGNED, "", c->order_url, sizeof c->order_url);
	if (n < 0 || (size_t)n >= sizeof c->order_url) {
		snprintf(why, NET_ERR_MAX, "URL too long");
		return -1;
	}
	return net_url_parse(c->order_url, &c->order_at, why);
}

/* The request of a call whose parameters are signed, into *rq: a new
 * order goes to the client's order URL, parsed once; any other call's URL
 * is made into *made, which the caller frees. false without memory. */
static bool request_of(const struct xa_call *call, const char *params, struct net_request *rq,
                       char **made)
{
	struct xa_client *c = call->c;
	bool in_body = !strcmp(call->method, "POST") || !strcmp(call->method, "PUT");
	*made = NULL;
	*rq = (struct net_request){call->method, c->order_url, in_body ? params : NULL,
	                           c->scheme == XA_AUTH_V1 && call->auth != XA_PUBLIC ? c->key_header
	                                                                              : NULL,
	                           c->o.timeout_ms, urgent(call), &c->order_at};
	if (call->order)
		return true;
	size_t cap = strlen(c->rest) + strlen(call->path) + strlen(params) + 32;
	if (!(*made = malloc(cap)))
		return false;
	format_url(c, call->path, call->auth, in_body ? "" : params, *made, cap);
	rq->url = *made;
	rq->at = NULL;
	return true;
}

/* Signs and sends the call now. */
static void put_on_wire(struct xa_call *call)
{
	struct xa_client *c = call->c;
	const char *why = NULL;
	char *params = signed_params(call, &why), *url = NULL, err[NET_ERR_MAX];
	struct net_request rq;
	bool ready = params && request_of(call, params, &rq, &url);
	if (ready) {
		call->sent_wall_ms = xa_wall_ms();
		if (net_http(c->loop, &rq, on_reply, call, err) < 0)
			why = err;
		else
			c->stats.calls++, c->stats.orders_sent += call->order;
	}
	free(url);
	free(params);
	if (why || !ready)
		fail(call, why ? why : "out of memory");
}

/* An order that is never sent: what xa_client_warm goes through. */
static const order_req rehearsed = {
	.symbol = "BTCUSDT", .client_id = "Hwarm-1E", .side = SIDE_BUY, .pos_side = PS_BOTH,
	.type = OT_LIMIT, .tif = TIF_GTC, .price = DEC(50000), .qty = DEC(1) / 1000,
};

void xa_client_warm(struct xa_client *c)
{
	char order[XA_PARAMS_MAX], *out = NULL, *url = NULL;
	const char *why = NULL;
	if (!xa_order_encode(&rehearsed, order, &why))
		return;
	if (c->scheme == XA_AUTH_V3) {
		/* a nonce of its own: the client's is not used up; a full pool
		 * gives the sample one presignature and gets a new one */
		if (c->v3.npresig == SIGN_PRESIGS)
			sign_v3_request(&c->v3, order, 1, &out);
		sign_v3_presign(&c->v3);
	} else {
		sign_v1_append(&c->v1, order, xa_wall_ms(), c->o.recv_window_ms, &out);
	}
	struct xa_call call = {.c = c, .method = "POST", .path = "order", .auth = XA_SIGNED,
	                       .order = true};
	struct net_request rq;
	if (out && request_of(&call, out, &rq, &url))
		net_http_rehearse(c->loop, &rq);
	free(url);
	free(out);
}

static void wait_over(void *ctx)
{
	struct xa_call *call = ctx;
	if (call->failed)
		report_failure(call);
	else
		xa_call_send(call);
}

void xa_call_send(struct xa_call *call)
{
	struct xa_client *c = call->c;
	int64_t wait = xa_rl_wait(&c->rl, xa_wall_ms(), call->weight, call->order);
	if (wait <= 0) {
		put_on_wire(call);
		return;
	}
	if (!call->wait && !(call->wait = net_timer_new(c->loop, wait_over, call))) {
		put_on_wire(call); /* no memory for a timer: the exchange's limit decides */
		return;
	}
	c->stats.held_ms += (uint64_t)wait;
	net_timer_arm(call->wait, wait);
}

/* The rate-limit headers of a reply, each line "Name: value". */
static void read_headers(struct xa_client *c, const struct net_reply *r, int64_t now)
{
	for (const char *p = r->headers; *p;) {
		const char *eol = strchr(p, '\n'), *colon = strchr(p, ':');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char name[64], value[64];
		if (colon && colon < p + len && (size_t)(colon - p) < sizeof name) {
			copy_str(name, sizeof name, p, (size_t)(colon - p));
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			size_t vlen = (size_t)(p + len - v);
			while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
				vlen--;
			if (copy_str(value, sizeof value, v, vlen) == 0)
				xa_rl_on_header(&c->rl, now, name, value);
		}
		p += len + (eol != NULL);
	}
	char retry[32];
	int64_t after = net_reply_header(r, "Retry-After", retry, sizeof retry) ? atoll(retry) : -1;
	xa_rl_on_status(&c->rl, now, (int)r->status, after);
}

/* {"code":-1121,"msg":"Invalid symbol."}: the code and message. */
static void refusal(const cJSON *j, struct xa_answer *a)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "msg");
	a->code = cJSON_IsNumber(code) ? (int)code->valuedouble : -1000;
	if (cJSON_IsString(msg))
		snprintf(a->msg, sizeof a->msg, "%s", msg->valuestring);
	else
		snprintf(a->msg, sizeof a->msg, "HTTP %ld", a->status);
}

static void classify(const struct net_reply *r, struct xa_answer *a)
{
	a->status = r->status;
	if (!r->status) {
		a->outcome = XA_UNKNOWN;
		snprintf(a->msg, sizeof a->msg, "no answer: %s", r->err ? r->err : "lost");
		return;
	}
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);
	if (r->status >= 200 && r->status < 300 && j) {
		a->outcome = XA_OK;
		a->json = j;
		return;
	}
	refusal(j, a);
	cJSON_Delete(j);
	if (r->status >= 200 && r->status < 300)
		snprintf(a->msg, sizeof a->msg, "unreadable answer (HTTP %ld)", r->status);
	a->outcome = r->status == 418                      ? XA_BANNED
	             : r->status >= 400 && r->status < 500 ? XA_REFUSED
	                                                   : XA_UNKNOWN;
}

static void on_reply(void *ctx, const struct net_reply *r)
{
	struct xa_call *call = ctx;
	struct xa_client *c = call->c;
	int64_t now = xa_wall_ms();
	read_headers(c, r, now);
	if (r->status == 429) { /* refused before being carried out: send again when allowed */
		c->stats.throttled++;
		xa_call_send(call);
		return;
	}
	struct xa_answer a = {.sent_wall_ms = call->sent_wall_ms};
	classify(r, &a);
	c->stats.unknown += a.outcome == XA_UNKNOWN;
	c->stats.banned += a.outcome == XA_BANNED;
	if (a.outcome != XA_OK)
		xa_client_error(c, "%s %s: %s", call->method, call->path, a.msg);
	call->done(call, &a);
	cJSON_Delete(a.json);
	call_free(call);
}

/* ---- waiting for an answer at start ---- */

void xa_wait(struct xa_client *c, bool (*done)(const void *arg), const void *arg, int64_t ms)
{
	c->sync_depth++;
	for (int64_t end = xa_wall_ms() + ms; !done(arg) && xa_wall_ms() < end;)
		net_loop_run(c->loop, WAIT_SLICE_MS);
	if (--c->sync_depth == 0 && c->held_len)
		net_timer_arm(c->release, 0);
}

struct capture {
	struct xa_answer a;
	bool got;
};

static void capture(struct xa_call *call, const struct xa_answer *a)
{
	struct capture *cap = call->owner;
	if (!cap)
		return; /* the waiter gave up */
	cap->a = *a;
	cap->a.json = a->json ? cJSON_Duplicate(a->json, true) : NULL;
	cap->got = true;
}

static bool captured(const void *arg)
{
	return ((const struct capture *)arg)->got;
}

static void ignore(struct xa_call *call, const struct xa_answer *a)
{
	(void)call, (void)a;
}

/* One call, sent and waited for. */
static void call_wait(struct xa_call *call, struct xa_answer *a)
{
	struct xa_client *c = call->c;
	struct capture cap = {0};
	call->done = capture;
	call->owner = &cap;
	xa_call_send(call);
	xa_wait(c, captured, &cap, WAIT_LIMIT_MS);
	if (!cap.got) {
		for (struct xa_call *p = c->calls; p; p = p->next)
			if (p->owner == &cap)
				p->owner = NULL, p->done = ignore;
		cap.a = (struct xa_answer){.outcome = XA_UNKNOWN};
		snprintf(cap.a.msg, sizeof cap.a.msg, "no answer within %d s", WAIT_LIMIT_MS / 1000);
	}
	*a = cap.a;
}

void xa_request(struct xa_client *c, const char *method, const char *path, enum xa_auth auth,
                int weight, const char *params, struct xa_answer *a)
{
	for (int try = 0; try < WAIT_TRIES; try++) {
		struct xa_call *call = xa_call_new(c, method, path, auth, weight, params);
		if (!call) {
			*a = (struct xa_answer){.outcome = XA_REFUSED, .code = -1000};
			snprintf(a->msg, sizeof a->msg, "out of memory");
			return;
		}
		call_wait(call, a);
		if (a->outcome != XA_UNKNOWN)
			return;
	}
}
