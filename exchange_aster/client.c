/*
 * client.c - hunter's Aster client as an exchange: the second
 * implementation of the exchange interface (exchange.h), beside the
 * simulation.
 *
 * Nothing is ever placed twice. An order whose answer does not come (a
 * timeout, a dropped connection, a 5xx: "the outcome is unknown") is looked
 * up by its client order id. Found, it is the order; not found, it may
 * still be on its way to the matching engine, so the client waits until
 * the request can no longer be accepted (V1: its timestamp + recvWindow;
 * V3: its nonce's window) and looks again before sending it anew, under
 * the same client id (which the exchange refuses while an order with it is
 * open). A 429 was not carried out: the call goes again once the rate
 * limit allows (call.c).
 *
 * Start-up calls (leverage, margin type, position mode, what is open) wait
 * for their answer, running the loop; orders and cancels never wait.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

#define LOOKUP_RETRY_MS 1000 /* a lookup without an answer is tried again after */
#define CLOCK_MARGIN_MS 1000 /* the exchange's clock may run this far from ours */

void xa_client_error(struct xa_client *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->last_error, sizeof c->last_error, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------------ */
/* Jobs: an order request until its outcome is certain                       */
/* ------------------------------------------------------------------------ */

static void job_timer(void *ctx)
{
	struct xa_job *j = ctx;
	j->step(j);
}

static struct xa_job *job_new(struct xa_client *c, enum xa_job_kind kind)
{
	struct xa_job *j = calloc(1, sizeof *j);
	if (j && !(j->timer = net_timer_new(c->loop, job_timer, j))) {
		free(j);
		j = NULL;
	}
	if (!j)
		return NULL;
	j->c = c;
	j->kind = kind;
	j->next = c->jobs;
	c->jobs = j;
	return j;
}

static void job_free(struct xa_job *j)
{
	for (struct xa_job **p = &j->c->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	net_timer_free(j->timer);
	free(j);
}

static void job_later(struct xa_job *j, void (*step)(struct xa_job *), int64_t ms)
{
	j->step = step;
	net_timer_arm(j->timer, ms);
}

void xa_job_refuse(struct xa_job *j)
{
	struct xa_client *c = j->c;
	const char *symbol = j->kind == XA_JOB_CANCEL ? j->symbol : j->req.symbol;
	const char *cid = j->kind == XA_JOB_CANCEL ? j->cancel_id : j->req.client_id;
	if (c->sink.on_reject)
		c->sink.on_reject(c->sink.ctx, symbol, cid, j->code, j->msg, xa_server_ms(c));
	job_free(j);
}

static void refuse_with(struct xa_job *j, int code, const char *msg)
{
	j->code = code;
	snprintf(j->msg, sizeof j->msg, "%s", msg);
	xa_job_refuse(j);
}

/* A call for the job, with its answer going to `done`; false when out of
 * memory (the job is refused from the loop). */
static bool job_call(struct xa_job *j, const char *method, const char *params,
                     void (*done)(struct xa_call *, const struct xa_answer *))
{
	struct xa_call *call = xa_call_new(j->c, method, "order", XA_SIGNED, 1, params);
	if (!call) {
		j->code = -1000;
		snprintf(j->msg, sizeof j->msg, "out of memory");
		job_later(j, xa_job_refuse, 0);
		return false;
	}
	call->done = done;
	call->owner = j;
	xa_call_send(call);
	return true;
}

/* "symbol=X&origClientOrderId=Y" */
static void order_ref(char *buf, size_t cap, const char *symbol, const char *cid)
{
	snprintf(buf, cap, "symbol=%s&origClientOrderId=%s", symbol, cid);
}

static void send_order(struct xa_job *j);
static void look_up(struct xa_job *j);
static void send_cancel(struct xa_job *j);

/* The exchange has the order (its answer `o`): handed on, and cancelled
 * now if the engine asked for that meanwhile. */
static void known_placed(struct xa_job *j, const cJSON *o)
{
	xa_client_rest_order(j->c, o);
	if (!j->cancel_wanted) {
		job_free(j);
		return;
	}
	j->kind = XA_JOB_CANCEL;
	snprintf(j->symbol, sizeof j->symbol, "%s", j->req.symbol);
	snprintf(j->cancel_id, sizeof j->cancel_id, "%s", j->req.client_id);
	send_cancel(j);
}

static void looked_up(struct xa_call *call, const struct xa_answer *a)
{
	struct xa_job *j = call->owner;
	struct xa_client *c = j->c;
	if (a->outcome == XA_OK) {
		c->stats.found++;
		known_placed(j, a->json);
	} else if (a->outcome == XA_REFUSED && a->code == -2013) {
		int64_t left = j->dead_wall_ms - xa_wall_ms();
		if (left > 0)
			job_later(j, look_up, left); /* it may still arrive: ask again once it cannot */
		else if (j->cancel_wanted) /* it never reached the exchange, and is not wanted */
			refuse_with(j, -2011, "cancelled before it reached the exchange");
		else if (j->resends++ < c->o.max_resends)
			send_order(j), c->stats.resends++;
		else
			refuse_with(j, -1007, "no answer from the exchange; the order was not placed");
	} else if (a->outcome == XA_REFUSED) {
		j->code = a->code;
		snprintf(j->msg, sizeof j->msg, "%s", a->msg);
		xa_job_refuse(j);
	} else {
		job_later(j, look_up, LOOKUP_RETRY_MS);
	}
}

static void look_up(struct xa_job *j)
{
	char params[128];
	order_ref(params, sizeof params, j->req.symbol, j->req.client_id);
	j->c->stats.lookups++;
	job_call(j, "GET", params, looked_up);
}

static void placed(struct xa_call *call, const struct xa_answer *a)
{
	xa_job_answered(call->owner, a);
}

void xa_job_answered(struct xa_job *j, const struct xa_answer *a)
{
	struct xa_client *c = j->c;
	int64_t window = c->scheme == XA_AUTH_V3 ? c->o.v3_window_ms : c->o.recv_window_ms;
	j->dead_wall_ms = a->sent_wall_ms + window + CLOCK_MARGIN_MS;
	if (a->outcome == XA_OK) {
		known_placed(j, a->json);
	} else if (a->outcome == XA_UNKNOWN || (a->code == -4116 && j->resends)) {
		look_up(j); /* -4116 after a resend: the first one made it after all */
	} else {
		j->code = a->outcome == XA_BANNED ? -1003 : a->code;
		snprintf(j->msg, sizeof j->msg, "%s", a->msg);
		xa_job_refuse(j);
	}
}

void xa_job_fail(struct xa_job *j, int code, const char *msg)
{
	j->code = code;
	snprintf(j->msg, sizeof j->msg, "%s", msg ? msg : "the order cannot be sent");
	job_later(j, xa_job_refuse, 0);
}

static void send_order(struct xa_job *j)
{
	char params[XA_PARAMS_MAX];
	const char *why = NULL;
	if (!xa_order_encode(&j->req, params, &why))
		xa_job_fail(j, -1102, why);
	else
		job_call(j, "POST", params, placed);
}

static void cancel_sent(struct xa_call *call, const struct xa_answer *a);

static void send_cancel(struct xa_job *j)
{
	char params[128];
	order_ref(params, sizeof params, j->symbol, j->cancel_id);
	job_call(j, "DELETE", params, cancel_sent);
}

/* A cancel is safe to repeat: the second one is refused as unknown. */
static void cancel_sent(struct xa_call *call, const struct xa_answer *a)
{
	struct xa_job *j = call->owner;
	if (a->outcome == XA_OK) {
		xa_client_rest_order(j->c, a->json);
		if (j->kind == XA_JOB_REPLACE) {
			j->kind = XA_JOB_PLACE;
			send_order(j);
		} else {
			job_free(j);
		}
	} else if (a->outcome == XA_UNKNOWN) {
		job_later(j, send_cancel, LOOKUP_RETRY_MS);
	} else {
		/* a replace whose old order is gone places nothing, as the
		 * simulation does: the new order is refused with the same code */
		j->code = a->outcome == XA_BANNED ? -1003 : a->code;
		snprintf(j->msg, sizeof j->msg, "%s", a->msg);
		if (j->code == -2011 && j->kind == XA_JOB_CANCEL)
			xa_catch_up_then_refuse(j->c, j); /* gone, perhaps filled: fills first */
		else
			xa_job_refuse(j);
	}
}

/* ------------------------------------------------------------------------ */
/* The exchange interface                                                    */
/* ------------------------------------------------------------------------ */

struct xa_job *xa_job_place(struct xa_client *c, const order_req *o)
{
	struct xa_job *j = job_new(c, XA_JOB_PLACE);
	if (j)
		j->req = *o;
	return j;
}

static void x_place(void *impl, const order_req *o, int64_t now_ms)
{
	(void)now_ms;
	struct xa_job *j = xa_job_place(impl, o);
	if (j) /* without memory nothing goes: the engine's unprotected timeout acts */
		send_order(j);
}

/* The job still placing `client_id`, if any. */
static struct xa_job *placing(struct xa_client *c, const char *client_id)
{
	for (struct xa_job *j = c->jobs; j; j = j->next)
		if (j->kind == XA_JOB_PLACE && !strcmp(j->req.client_id, client_id))
			return j;
	return NULL;
}

static void x_cancel(void *impl, const char *symbol, const char *client_id, int64_t now_ms)
{
	(void)now_ms;
	struct xa_job *p = placing(impl, client_id);
	if (p) { /* a DELETE now could be refused, and the order placed after it */
		p->cancel_wanted = true;
		return;
	}
	struct xa_job *j = job_new(impl, XA_JOB_CANCEL);
	if (!j)
		return;
	snprintf(j->symbol, sizeof j->symbol, "%s", symbol);
	snprintf(j->cancel_id, sizeof j->cancel_id, "%s", client_id);
	send_cancel(j);
}

static void x_replace(void *impl, const char *old_client_id, const order_req *o, int64_t now_ms)
{
	(void)now_ms;
	struct xa_job *j = job_new(impl, XA_JOB_REPLACE);
	if (!j)
		return;
	j->req = *o;
	snprintf(j->symbol, sizeof j->symbol, "%s", o->symbol);
	snprintf(j->cancel_id, sizeof j->cancel_id, "%s", old_client_id);
	send_cancel(j);
}

/* A start-up call: its answer, or Aster's code (-1007 when none came). */
static int setup_call(struct xa_client *c, const char *method, const char *path, int weight,
                      const char *params, cJSON **json)
{
	struct xa_answer a;
	xa_request(c, method, path, XA_SIGNED, weight, params, &a);
	if (json)
		*json = a.json;
	else
		cJSON_Delete(a.json);
	return a.outcome == XA_OK ? 0 : a.outcome == XA_UNKNOWN ? -1007 : a.code ? a.code : -1000;
}

static int x_setup_symbol(void *impl, const struct symbol_setup *s)
{
	char params[96];
	snprintf(params, sizeof params, "symbol=%s&leverage=%d", s->symbol, s->leverage);
	int rc = setup_call(impl, "POST", "leverage", 1, params, NULL);
	if (rc)
		return rc;
	snprintf(params, sizeof params, "symbol=%s&marginType=%s", s->symbol,
	         s->margin_type == MARGIN_ISOLATED ? "ISOLATED" : "CROSSED");
	rc = setup_call(impl, "POST", "marginType", 1, params, NULL);
	if (rc == -4046) { /* already so: no error */
		((struct xa_client *)impl)->last_error[0] = '\0';
		rc = 0;
	}
	return rc;
}

/* A yes/no account mode (position mode, multi-assets mode): read, and set
 * only when it differs. */
static int set_mode(struct xa_client *c, const char *path, const char *key, bool on)
{
	cJSON *j = NULL;
	int rc = setup_call(c, "GET", path, 30, "", &j);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	bool same = !rc && cJSON_IsBool(v) && cJSON_IsTrue(v) == on;
	cJSON_Delete(j);
	if (rc || same)
		return rc;
	char params[64];
	snprintf(params, sizeof params, "%s=%s", key, on ? "true" : "false");
	return setup_call(c, "POST", path, 1, params, NULL);
}

static int x_set_position_mode(void *impl, bool hedge)
{
	return set_mode(impl, "positionSide/dual", "dualSidePosition", hedge);
}

int xa_client_set_multi_assets(xa_client *c, bool on)
{
	return set_mode(c, "multiAssetsMargin", "multiAssetsMargin", on);
}

static void x_account(void *impl, struct exchange_account *out)
{
	*out = ((struct xa_client *)impl)->account;
}

/* What is open, asked of the exchange now. */
static void x_open_state(void *impl, struct exchange_open *out)
{
	struct xa_client *c = impl;
	cJSON *rows = NULL;
	*out = (struct exchange_open){0};
	if (setup_call(c, "GET", "positionRisk", 5, "", &rows) == 0 &&
	    xa_answer_positions(rows, &c->positions, &c->npositions, &c->positions_cap) == 0) {
		out->positions = c->positions;
		out->npositions = c->npositions;
	}
	cJSON_Delete(rows);
	rows = NULL;
	c->nopen = 0;
	if (setup_call(c, "GET", "openOrders", 40, "", &rows) == 0) {
		const cJSON *o;
		cJSON_ArrayForEach(o, rows) {
			ev_t *v = grow_array(c->open_orders, &c->open_cap, c->nopen + 1, sizeof *v);
			if (v && xa_answer_order(c->parser, o, &v[c->nopen]) == 0)
				c->nopen++;
			if (v)
				c->open_orders = v;
		}
	}
	cJSON_Delete(rows);
	out->orders = c->open_orders;
	out->norders = c->nopen;
}

static void cancel_all_done(struct xa_call *call, const struct xa_answer *a)
{
	(void)call, (void)a; /* the cancellations come on the stream; a failure is logged */
}

void xa_client_cancel_all(xa_client *c, const char *symbol)
{
	char params[64];
	snprintf(params, sizeof params, "symbol=%s", symbol);
	struct xa_call *call = xa_call_new(c, "DELETE", "allOpenOrders", XA_SIGNED, 1, params);
	if (call) {
		call->done = cancel_all_done;
		xa_call_send(call);
	}
}

static void x_destroy(void *impl)
{
	struct xa_client *c = impl;
	while (c->jobs)
		job_free(c->jobs);
	xa_calls_free(c);
	xa_stream_free(c);
	xa_seen_free(&c->seen);
	xa_client_held_free(c);
	net_timer_free(c->release);
	aster_parser_free(c->parser);
	sign_v1_key_clear(&c->v1);
	sign_v3_creds_clear(&c->v3);
	xa_creds_clear(&c->creds);
	free(c->positions);
	free(c->open_orders);
	free(c);
}

static const struct exchange_ops ops = {
	.name = "aster",
	.place = x_place,
	.cancel = x_cancel,
	.replace = x_replace,
	.setup_symbol = x_setup_symbol,
	.set_position_mode = x_set_position_mode,
	.account = x_account,
	.open_state = x_open_state,
	.destroy = x_destroy,
};

exchange_t xa_client_exchange(xa_client *c)
{
	return (exchange_t){&ops, c};
}
