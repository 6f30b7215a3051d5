/*
 * fuzz_serve_request.c - any bytes as what a client sends `hunter serve`:
 * control messages on a stream connection (one per line, applied in turn
 * to one connection's streams), a URL path and query for a stream
 * connection, a REST path and query (also weighed against the rate
 * limits), and the parameters of a signed batch call: a form value to
 * decode, then batchOrders and the cancel id lists. Nothing may crash,
 * hang or leak; every control reply and REST body must be JSON, a
 * connection never holds more than 200 streams, and a batch never
 * yields more than its maximum.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exchange_aster.h"
#include "trading_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_be_json(const struct text *t)
{
	cJSON *j = cJSON_ParseWithLength(t->s, t->len);
	if (!j)
		abort();
	cJSON_Delete(j);
}

static void control_lines(const struct market *m, const char *s, size_t n)
{
	static struct subs subs;
	bool combined = false;
	struct text reply = {0};
	subs.n = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
		serve_text_clear(&reply);
		serve_control(m, &subs, &combined, s + i, len, &reply);
		must_be_json(&reply);
		if (subs.n > SERVE_STREAMS_MAX)
			abort();
		i += len + 1;
	}
	serve_text_free(&reply);
}

/* The text as a path and a query: split at the first '?'. */
static void urls(const struct market *m, char *text)
{
	static struct subs subs;
	char err[SERVE_ERR_MAX];
	bool combined;
	char *q = strchr(text, '?');
	if (q)
		*q++ = '\0';
	serve_streams_from_url(m, text, q, &subs, &combined, err);
	struct rest_reply r = {0};
	serve_rest_answer(m, 1700000000000, text, q, &r);
	must_be_json(&r.body);
	serve_text_free(&r.body);
	if (serve_weight("GET", text, q ? q : "", "") < 1)
		abort();
}

/* The text as a batch parameter's value, decoded as a form value is. */
static void batches(char *text)
{
	char *params[BATCH_PLACE_MAX], msg[ACCT_REJECT_MAX];
	struct batch_ref refs[BATCH_CANCEL_MAX];
	size_t n;
	serve_query_decode(text);
	if (!serve_batch_orders_parse(text, params, &n, msg, sizeof msg)) {
		if (n < 1 || n > BATCH_PLACE_MAX)
			abort();
		for (size_t i = 0; i < n; i++) {
			order_req o; /* each element goes to the order decoder */
			xa_order_decode(params[i], strlen(params[i]), &o, msg, sizeof msg);
			free(params[i]);
		}
	}
	for (int cid = 0; cid < 2; cid++)
		if (!serve_batch_refs_parse(text, cid, refs, &n, msg, sizeof msg) &&
		    (n < 1 || n > BATCH_CANCEL_MAX))
			abort();
}

static struct market *market(void)
{
	static struct market m;
	static bool ready;
	if (!ready) {
		if (serve_market_init(&m) || !serve_market_add(&m, "BTCUSDT"))
			abort();
		ready = true;
	}
	return &m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct market *m = market();
	control_lines(m, (const char *)data, size);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct stream st;
	char err[SERVE_ERR_MAX];
	serve_stream_parse(m, text, strlen(text), &st, err);
	urls(m, text);
	memcpy(text, data, size); /* urls cut it at '?' */
	batches(text);
	free(text);
	return 0;
}
