/*
 * info.c - the exchangeInfo `hunter serve` answers. A recording keeps the
 * trading rules of each symbol (what aster_format writes), not everything
 * Aster's answer holds; clients read more of it (ccxt lists a market from
 * baseAsset, quoteAsset, marginAsset and contractType, and a careful
 * client sizes its budget from rateLimits). So the recorded answer is
 * completed here: Aster's top-level keys, with rateLimits stating the
 * limits this server enforces (limits.c), and each symbol's pair, assets
 * and contract type, derived from its name when the recording lacks them.
 * The spot exchangeInfo that ccxt also asks for is answered with no
 * symbols: the server replays futures only.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"

/* Quote assets by which Aster's symbols end, longest first where one is
 * the end of another. */
static const char *const quotes[] = {"USDT", "USDC", "USD1", "FDUSD", "BUSD", "USD"};

static void rate_limits(struct text *t, const struct serve_limits *l)
{
	serve_text_printf(t, "[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\","
	                  "\"intervalNum\":1,\"limit\":%llu},{\"rateLimitType\":\"ORDERS\","
	                  "\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":%llu},"
	                  "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\","
	                  "\"intervalNum\":10,\"limit\":%llu}]", (unsigned long long)l->weight_1m,
	                  (unsigned long long)l->orders_1m, (unsigned long long)l->orders_10s);
}

/* Adds key = value (JSON text) to o unless o has the key. */
static void add_json(cJSON *o, const char *key, const char *json)
{
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		return;
	cJSON *v = cJSON_Parse(json);
	if (v)
		cJSON_AddItemToObject(o, key, v);
}

static void add_string(cJSON *o, const char *key, const char *value)
{
	if (!cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_AddStringToObject(o, key, value);
}

/* The quote asset at the end of `symbol`; NULL when none is. */
static const char *quote_of(const char *symbol)
{
	size_t n = strlen(symbol);
	for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
		size_t q = strlen(quotes[i]);
		if (n > q && !strcmp(symbol + n - q, quotes[i]))
			return quotes[i];
	}
	return NULL;
}

static void complete_symbol(cJSON *s)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "symbol");
	const char *quote = cJSON_IsString(name) ? quote_of(name->valuestring) : NULL;
	if (!quote)
		return;
	char base[SYMBOL_MAX];
	size_t n = strlen(name->valuestring) - strlen(quote);
	if (n >= sizeof base)
		return;
	memcpy(base, name->valuestring, n);
	base[n] = '\0';
	add_string(s, "pair", name->valuestring);
	add_string(s, "contractType", "PERPETUAL");
	add_string(s, "baseAsset", base);
	add_string(s, "quoteAsset", quote);
	add_string(s, "marginAsset", quote);
}

/* The recorded answer's JSON completed; false when it cannot be read or
 * memory runs out. */
static bool complete(cJSON *root, const struct serve_limits *l)
{
	struct text limits = {0};
	rate_limits(&limits, l);
	bool ok = !limits.oom;
	if (ok) {
		add_string(root, "timezone", "UTC");
		add_string(root, "futuresType", "U_MARGINED");
		add_json(root, "rateLimits", limits.s);
		add_json(root, "exchangeFilters", "[]");
		add_json(root, "assets", "[{\"asset\":\"USDT\",\"marginAvailable\":true,"
		                         "\"autoAssetExchange\":\"0\"}]");
	}
	serve_text_free(&limits);
	const cJSON *syms = cJSON_GetObjectItemCaseSensitive(root, "symbols");
	for (cJSON *s = cJSON_IsArray(syms) ? syms->child : NULL; s; s = s->next)
		complete_symbol(s);
	return ok;
}

void serve_info_write(struct text *out, const ev_t *ev, const struct serve_limits *l)
{
	struct text recorded = {0};
	ev_t wire = *ev; /* what the exchange sends: no local receive time */
	wire.recv_ns = 0;
	wire.raw = NULL;
	wire.raw_len = 0;
	serve_text_event(&recorded, &wire);
	cJSON *root = recorded.oom ? NULL : cJSON_ParseWithLength(recorded.s, recorded.len);
	char *json = root && complete(root, l) ? cJSON_PrintUnformatted(root) : NULL;
	serve_text_clear(out);
	if (json)
		serve_text_puts(out, json);
	else
		serve_text_put(out, recorded.s ? recorded.s : "", recorded.len); /* as recorded */
	free(json);
	cJSON_Delete(root);
	serve_text_free(&recorded);
}

void serve_info_spot(struct text *out, int64_t now_ms, const struct serve_limits *l)
{
	serve_text_printf(out, "{\"timezone\":\"UTC\",\"serverTime\":%lld,\"rateLimits\":",
	                  (long long)now_ms);
	rate_limits(out, l);
	serve_text_puts(out, ",\"exchangeFilters\":[],\"assets\":[],\"symbols\":[]}");
}
