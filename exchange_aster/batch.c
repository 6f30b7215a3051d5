/*
 * batch.c - several new orders in one request (POST batchOrders, at most
 * five, weight 5): one signature and one round trip for what belongs
 * together, a tranche's take-profit and stop-loss for instance.
 *
 * Each order is still a job of its own (client.c): an element of the
 * answer that is an order hands that order on, one that is {code,msg}
 * refuses that order alone, and when the whole answer never comes every
 * order is looked up by its client id, as a single order would be. So a
 * batch places nothing twice either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

/* Form-encodes s onto out (what is not plain becomes %XX). */
static void form_encode(char *out, size_t *len, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-_.~", *p)) {
			out[(*len)++] = (char)*p;
		} else {
			out[(*len)++] = '%';
			out[(*len)++] = hex[*p >> 4];
			out[(*len)++] = hex[*p & 15];
		}
	}
	out[*len] = '\0';
}

/* One order's parameters "k=v&k=v" as a JSON object of strings, the way
 * batchOrders takes them. Values are plain (digits, enums, client ids of
 * [.A-Z:/a-z0-9_-]), so they need no JSON escapes. */
static cJSON *as_object(const char *params)
{
	cJSON *o = cJSON_CreateObject();
	char buf[XA_PARAMS_MAX];
	snprintf(buf, sizeof buf, "%s", params);
	for (char *save, *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq) {
			*eq = '\0';
			cJSON_AddStringToObject(o, kv, eq + 1);
		}
	}
	return o;
}

struct batch {
	struct xa_job *jobs[XA_BATCH_MAX];
	size_t n;
};

static void batch_answered(struct xa_call *call, const struct xa_answer *a)
{
	struct batch *b = call->owner;
	for (size_t i = 0; i < b->n; i++) {
		const cJSON *el = a->outcome == XA_OK ? cJSON_GetArrayItem(a->json, (int)i) : NULL;
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(el, "code");
		if (a->outcome == XA_OK && cJSON_IsNumber(code)) {
			const cJSON *msg = cJSON_GetObjectItemCaseSensitive(el, "msg");
			struct xa_answer one = {.outcome = XA_REFUSED, .code = (int)code->valuedouble,
			                        .sent_wall_ms = a->sent_wall_ms};
			snprintf(one.msg, sizeof one.msg, "%s",
			         cJSON_IsString(msg) ? msg->valuestring : "refused");
			xa_job_answered(b->jobs[i], &one);
		} else if (el) {
			struct xa_answer one = {.outcome = XA_OK, .json = (cJSON *)el,
			                        .sent_wall_ms = a->sent_wall_ms};
			xa_job_answered(b->jobs[i], &one);
		} else {
			xa_job_answered(b->jobs[i], a); /* the whole request: unknown or refused */
		}
	}
	free(b);
}

void xa_client_place_batch(xa_client *c, const order_req *orders, size_t n)
{
	struct batch *b = calloc(1, sizeof *b);
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; b && list && i < n && i < XA_BATCH_MAX; i++) {
		char one[XA_PARAMS_MAX];
		const char *why;
		struct xa_job *j = xa_job_place(c, &orders[i]);
		if (!j)
			continue;
		if (!xa_order_encode(&orders[i], one, &why)) {
			xa_job_fail(j, -1102, why);
			continue;
		}
		cJSON_AddItemToArray(list, as_object(one));
		b->jobs[b->n++] = j;
	}
	char *json = b && b->n ? cJSON_PrintUnformatted(list) : NULL;
	cJSON_Delete(list);
	char *params = json ? malloc(strlen(json) * 3 + 16) : NULL; /* each byte at most %XX */
	struct xa_call *call = NULL;
	if (params) {
		size_t len = 12;
		memcpy(params, "batchOrders=", len);
		form_encode(params, &len, json);
		call = xa_call_new(c, "POST", "batchOrders", XA_SIGNED, 5, params);
	}
	free(json);
	free(params);
	if (!call) {
		for (size_t i = 0; b && i < b->n; i++)
			xa_job_fail(b->jobs[i], -1000, "out of memory");
		free(b);
		return;
	}
	call->done = batch_answered;
	call->owner = b;
	xa_call_send(call);
}
