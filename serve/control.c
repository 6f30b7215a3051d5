/*
 * control.c - the messages a client sends on a market stream connection
 * (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
 * GET_PROPERTY) and the exchange's replies: {"result":...,"id":N}, or
 * {"error":{"code":C,"msg":"..."},"id":N} with Binance's codes (0 unknown
 * property, 1 bad value type, 2 invalid request, 3 invalid JSON).
 *
 * Every message is client input: any bytes get a reply, never a crash.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "serve_int.h"

#define CTL_MSG_MAX 65536 /* bytes of one control message */

enum { E_PROPERTY = 0, E_VALUE = 1, E_REQUEST = 2, E_JSON = 3 };

struct request {
	const cJSON *params;
	bool has_id;
	int64_t id;
	struct text *reply;
};

static void put_id(struct request *rq)
{
	if (rq->has_id)
		serve_text_printf(rq->reply, ",\"id\":%lld}", (long long)rq->id);
	else
		serve_text_puts(rq->reply, ",\"id\":null}");
}

static void reply_error(struct request *rq, int code, const char *msg)
{
	serve_text_printf(rq->reply, "{\"error\":{\"code\":%d,\"msg\":", code);
	serve_text_json_string(rq->reply, msg, strlen(msg));
	serve_text_puts(rq->reply, "}");
	put_id(rq);
}

static void reply_result(struct request *rq, const char *json)
{
	serve_text_puts(rq->reply, "{\"result\":");
	serve_text_puts(rq->reply, json);
	put_id(rq);
}

/* The id: an unsigned integer that a double holds exactly. */
static bool read_id(const cJSON *id, int64_t *out)
{
	if (!cJSON_IsNumber(id))
		return false;
	double v = id->valuedouble;
	if (!(v >= 0 && v <= 9007199254740992.0) || floor(v) != v)
		return false;
	*out = (int64_t)v;
	return true;
}

/* params as stream names: every item a string. */
static int stream_params(struct request *rq, const char **names, size_t *lens, size_t *n)
{
	*n = 0;
	if (!cJSON_IsArray(rq->params)) {
		reply_error(rq, E_REQUEST, "Invalid request: params must be an array of stream names");
		return -1;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, rq->params) {
		if (*n == SERVE_STREAMS_MAX) {
			reply_error(rq, E_REQUEST, "Invalid request: too many parameters");
			return -1;
		}
		if (!cJSON_IsString(it)) {
			reply_error(rq, E_REQUEST, "Invalid request: stream names must be strings");
			return -1;
		}
		names[*n] = it->valuestring;
		lens[(*n)++] = strlen(it->valuestring);
	}
	return 0;
}

static void subscribe(struct request *rq, const struct market *m, struct subs *subs)
{
	const char *names[SERVE_STREAMS_MAX];
	size_t lens[SERVE_STREAMS_MAX], n;
	char err[SERVE_ERR_MAX];
	if (stream_params(rq, names, lens, &n))
		return;
	if (serve_subs_add(subs, m, names, lens, n, err))
		reply_error(rq, E_REQUEST, err);
	else
		reply_result(rq, "null");
}

static void unsubscribe(struct request *rq, struct subs *subs)
{
	const char *names[SERVE_STREAMS_MAX];
	size_t lens[SERVE_STREAMS_MAX], n;
	if (stream_params(rq, names, lens, &n))
		return;
	for (size_t i = 0; i < n; i++)
		serve_subs_remove(subs, names[i], lens[i]);
	reply_result(rq, "null");
}

static void list(struct request *rq, const struct subs *subs)
{
	serve_text_puts(rq->reply, "{\"result\":[");
	for (size_t i = 0; i < subs->n; i++) {
		if (i)
			serve_text_puts(rq->reply, ",");
		serve_text_json_string(rq->reply, subs->s[i].name, strlen(subs->s[i].name));
	}
	serve_text_puts(rq->reply, "]");
	put_id(rq);
}

/* SET_PROPERTY ["combined", bool] and GET_PROPERTY ["combined"]. */
static void property(struct request *rq, bool set, bool *combined)
{
	int want = set ? 2 : 1;
	const cJSON *name = cJSON_GetArrayItem(rq->params, 0);
	if (!cJSON_IsArray(rq->params) || cJSON_GetArraySize(rq->params) != want ||
	    !cJSON_IsString(name)) {
		reply_error(rq, E_REQUEST, "Invalid request: wrong params for the property");
		return;
	}
	if (strcmp(name->valuestring, "combined")) {
		reply_error(rq, E_PROPERTY, "Unknown property");
		return;
	}
	if (!set) {
		reply_result(rq, *combined ? "true" : "false");
		return;
	}
	const cJSON *value = cJSON_GetArrayItem(rq->params, 1);
	if (!cJSON_IsBool(value)) {
		reply_error(rq, E_VALUE, "Invalid value type: expected Boolean");
		return;
	}
	*combined = cJSON_IsTrue(value);
	reply_result(rq, "null");
}

static void dispatch(struct request *rq, const char *method, const struct market *m,
                     struct subs *subs, bool *combined)
{
	if (!strcmp(method, "SUBSCRIBE"))
		subscribe(rq, m, subs);
	else if (!strcmp(method, "UNSUBSCRIBE"))
		unsubscribe(rq, subs);
	else if (!strcmp(method, "LIST_SUBSCRIPTIONS"))
		list(rq, subs);
	else if (!strcmp(method, "SET_PROPERTY") || !strcmp(method, "GET_PROPERTY"))
		property(rq, method[0] == 'S', combined);
	else
		reply_error(rq, E_REQUEST, "Invalid request: unknown method, expected one of SUBSCRIBE,"
		            " UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY");
}

void serve_control(const struct market *m, struct subs *subs, bool *combined, const char *msg,
                   size_t len, struct text *reply)
{
	struct request rq = {.reply = reply};
	cJSON *root = len <= CTL_MSG_MAX ? cJSON_ParseWithLength(msg, len) : NULL;
	if (!root) {
		reply_error(&rq, E_JSON, len > CTL_MSG_MAX ? "Invalid JSON: message too long"
		                                           : "Invalid JSON: expected a JSON object");
		return;
	}
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(root, "method");
	rq.params = cJSON_GetObjectItemCaseSensitive(root, "params");
	rq.has_id = read_id(cJSON_GetObjectItemCaseSensitive(root, "id"), &rq.id);
	if (!cJSON_IsObject(root) || !cJSON_IsString(method))
		reply_error(&rq, E_REQUEST, "Invalid request: missing field `method`");
	else if (!rq.has_id)
		reply_error(&rq, E_REQUEST, "Invalid request: request ID must be an unsigned integer");
	else
		dispatch(&rq, method->valuestring, m, subs, combined);
	cJSON_Delete(root);
}
