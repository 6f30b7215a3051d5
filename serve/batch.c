/*
 * batch.c - POST and DELETE batchOrders on `hunter serve`: up to 5 orders
 * placed, or up to 10 cancelled, in one signed call. Each order goes
 * through the same path as a single one (orders.c), in the order given;
 * the answer is an array in that order whose elements are each an order
 * or {code,msg}, with HTTP 200 however many failed, as on Aster. The
 * batch parameters are parsed here, apart from any account, so the fuzz
 * target reaches the parsers.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "trading_int.h"

#define ID_EXACT_MAX 9007199254740992.0 /* 2^53: an id a JSON number holds exactly */

static int invalid(char *msg, size_t cap, const char *param)
{
	snprintf(msg, cap, "Data sent for parameter '%s' is not valid.", param);
	return -1130;
}

/* ---------------------------------------------------------------- */
/* Parsing                                                          */
/* ---------------------------------------------------------------- */

/* s form-encoded onto t: what is not plain is %XX, so a value holding
 * '&' or '=' stays one value for xa_order_decode. */
static void form_encode(struct text *t, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9') || strchr("-_.~", *p);
		if (plain)
			serve_text_put(t, (const char *)p, 1);
		else
			serve_text_printf(t, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* One order object as "k=v&k=v"; NULL when a value is not a string or
 * memory runs out. */
static char *order_params(const cJSON *o)
{
	struct text t = {0};
	if (!cJSON_IsObject(o))
		return NULL;
	for (const cJSON *kv = o->child; kv; kv = kv->next) {
		if (!cJSON_IsString(kv) || !kv->string)
			break; /* numbers would pass through a double: prices must be strings */
		if (t.len)
			serve_text_puts(&t, "&");
		form_encode(&t, kv->string);
		serve_text_puts(&t, "=");
		form_encode(&t, kv->valuestring);
		if (!kv->next && !t.oom)
			return t.s;
	}
	serve_text_free(&t);
	return NULL;
}

static void free_params(char *params[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(params[i]);
}

int serve_batch_orders_parse(const char *json, char *params[BATCH_PLACE_MAX], size_t *n,
                             char *msg, size_t cap)
{
	cJSON *root = cJSON_Parse(json);
	int size = cJSON_IsArray(root) ? cJSON_GetArraySize(root) : -1;
	int code = 0;
	*n = 0;
	if (size < 0) {
		code = invalid(msg, cap, "batchOrders");
	} else if (size == 0 || size > BATCH_PLACE_MAX) {
		snprintf(msg, cap, "Invalid number of batch place orders: %d", size);
		code = -4082;
	}
	for (const cJSON *o = code ? NULL : root->child; o; o = o->next) {
		if (!(params[*n] = order_params(o))) {
			code = invalid(msg, cap, "batchOrders");
			break;
		}
		(*n)++;
	}
	if (code) {
		free_params(params, *n);
		*n = 0;
	}
	cJSON_Delete(root);
	return code;
}

static bool ref_of(const cJSON *v, bool client_ids, struct batch_ref *out)
{
	*out = (struct batch_ref){0};
	if (client_ids) {
		size_t len = cJSON_IsString(v) ? strlen(v->valuestring) : 0;
		if (!len || len >= sizeof out->client_id)
			return false;
		memcpy(out->client_id, v->valuestring, len + 1);
		return true;
	}
	double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
	if (d < 0 || d > ID_EXACT_MAX || d != (double)(int64_t)d)
		return false;
	out->order_id = (int64_t)d;
	return true;
}

int serve_batch_refs_parse(const char *json, bool client_ids, struct batch_ref *out, size_t *n,
                           char *msg, size_t cap)
{
	const char *param = client_ids ? "origClientOrderIdList" : "orderIdList";
	cJSON *root = cJSON_Parse(json);
	int size = cJSON_IsArray(root) ? cJSON_GetArraySize(root) : 0;
	int code = size < 1 || size > BATCH_CANCEL_MAX ? invalid(msg, cap, param) : 0;
	*n = 0;
	for (const cJSON *v = code ? NULL : root->child; v; v = v->next) {
		if (!ref_of(v, client_ids, &out[*n])) {
			code = invalid(msg, cap, param);
			break;
		}
		(*n)++;
	}
	cJSON_Delete(root);
	return code;
}

/* ---------------------------------------------------------------- */
/* The endpoints                                                    */
/* ---------------------------------------------------------------- */

/* A list parameter, percent-decoded: 1 read, 0 absent, -1 no memory
 * (answered). *out is the caller's to free. */
static int list_param(struct tcall *c, const char *key, char **out)
{
	size_t cap = strlen(c->q->query) + strlen(c->q->body) + 1;
	*out = malloc(cap);
	if (!*out) {
		serve_rest_error(c->r, 500, -1000, "Out of memory.");
		return -1;
	}
	if (serve_signed_param(c->q, key, *out, cap) != 1) {
		free(*out);
		*out = NULL;
		return 0;
	}
	serve_query_decode(*out);
	return 1;
}

/* The array of the elements' answers, each written by `one`. */
static void answer_each(struct tcall *c, size_t n, void (*one)(struct tcall *c, size_t i,
                                                               const void *arg),
                        const void *arg)
{
	serve_text_puts(&c->r->body, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			serve_text_puts(&c->r->body, ",");
		one(c, i, arg);
	}
	serve_text_puts(&c->r->body, "]");
}

static void place_one(struct tcall *c, size_t i, const void *arg)
{
	char *const *params = arg;
	serve_place(c, params[i], strlen(params[i]), &c->r->body);
}

void serve_ep_batch_place(struct tcall *c)
{
	char *json, *params[BATCH_PLACE_MAX], msg[ACCT_REJECT_MAX];
	size_t n;
	int got = list_param(c, "batchOrders", &json);
	if (got <= 0) {
		if (got == 0)
			serve_rest_error(c->r, 400, -1102, "Mandatory parameter 'batchOrders' was not"
			                 " sent, was empty/null, or malformed.");
		return;
	}
	int code = serve_batch_orders_parse(json, params, &n, msg, sizeof msg);
	free(json);
	if (code) {
		serve_rest_error(c->r, 400, code, msg);
		return;
	}
	if (serve_orders_admit(c, n))
		answer_each(c, n, place_one, params);
	free_params(params, n);
}

struct cancels {
	const char *symbol;
	const struct batch_ref *refs;
};

static void cancel_one(struct tcall *c, size_t i, const void *arg)
{
	const struct cancels *x = arg;
	serve_cancel(c, x->symbol, x->refs[i].client_id, x->refs[i].order_id, &c->r->body);
}

void serve_ep_batch_cancel(struct tcall *c)
{
	char symbol[SYMBOL_MAX], *json, msg[ACCT_REJECT_MAX];
	struct batch_ref refs[BATCH_CANCEL_MAX];
	size_t n;
	if (!serve_required(c, "symbol", symbol, sizeof symbol) || !serve_known_symbol(c, symbol))
		return;
	bool by_cid = false;
	int got = list_param(c, "orderIdList", &json);
	if (got == 0) {
		by_cid = true;
		got = list_param(c, "origClientOrderIdList", &json);
	}
	if (got <= 0) {
		if (got == 0)
			serve_rest_error(c->r, 400, -1102, "Param 'orderIdList' or"
			                 " 'origClientOrderIdList' must be sent, but both were empty/null!");
		return;
	}
	int code = serve_batch_refs_parse(json, by_cid, refs, &n, msg, sizeof msg);
	free(json);
	if (code)
		serve_rest_error(c->r, 400, code, msg);
	else
		answer_each(c, n, cancel_one, &(struct cancels){symbol, refs});
}
