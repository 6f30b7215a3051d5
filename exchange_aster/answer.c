/*
 * answer.c - Aster's REST answers as hunter's own shapes.
 *
 * An order answer (new, cancel, query, open orders) is rewritten as the
 * ORDER_TRADE_UPDATE the user stream carries for the same state and read
 * by the one parser every exchange message goes through (aster/), so both
 * paths give the engine identical events and apply the same checks. The
 * REST answer says nothing of single fills, so the event it gives carries
 * none (last quantity 0): fills come from the user stream alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

/* REST field -> the user stream's key for it. */
static const char *const order_keys[][2] = {
	{"symbol", "s"},        {"status", "X"},         {"clientOrderId", "c"},
	{"price", "p"},         {"avgPrice", "ap"},      {"origQty", "q"},
	{"executedQty", "z"},   {"timeInForce", "f"},    {"type", "o"},
	{"reduceOnly", "R"},    {"closePosition", "cp"}, {"side", "S"},
	{"positionSide", "ps"}, {"stopPrice", "sp"},     {"workingType", "wt"},
	{"origType", "ot"},     {"orderId", "i"},
};

/* The execution type a state is reported with on the stream. */
static const char *exec_of(const char *status)
{
	static const char *const same[] = {"NEW", "CANCELED", "EXPIRED"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (!strcmp(status, same[i]))
			return same[i];
	return "TRADE";
}

static int take_event(void *ctx, const ev_t *ev)
{
	if (ev->type == EV_ORDER_UPDATE)
		*(ev_t *)ctx = *ev;
	return 0;
}

/* The stream's shape of a REST order; NULL when it is not one. */
static cJSON *as_stream(const cJSON *o)
{
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(o, "status");
	const cJSON *time = cJSON_GetObjectItemCaseSensitive(o, "updateTime");
	if (!cJSON_IsString(status) || !cJSON_IsNumber(time))
		return NULL;
	cJSON *root = cJSON_CreateObject(), *in = cJSON_CreateObject();
	cJSON_AddItemToObject(root, "o", in);
	cJSON_AddStringToObject(root, "e", "ORDER_TRADE_UPDATE");
	cJSON_AddNumberToObject(root, "E", time->valuedouble);
	cJSON_AddNumberToObject(root, "T", time->valuedouble);
	for (size_t i = 0; i < sizeof order_keys / sizeof order_keys[0]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, order_keys[i][0]);
		if (v)
			cJSON_AddItemToObject(in, order_keys[i][1], cJSON_Duplicate(v, true));
	}
	cJSON_AddStringToObject(in, "x", exec_of(status->valuestring));
	cJSON_AddStringToObject(in, "l", "0");
	cJSON_AddStringToObject(in, "L", "0");
	cJSON_AddNumberToObject(in, "T", time->valuedouble);
	cJSON_AddNumberToObject(in, "t", 0);
	cJSON_AddBoolToObject(in, "m", false);
	return root;
}

/* Reads the stream-shaped object (and frees it). */
static int parse_stream(aster_parser_t *p, cJSON *stream, ev_t *ev)
{
	char *text = stream ? cJSON_PrintUnformatted(stream) : NULL;
	cJSON_Delete(stream);
	if (!text)
		return -1;
	struct aster_result res;
	memset(ev, 0, sizeof *ev);
	int n = aster_parse(p, text, strlen(text), NULL, take_event, ev, &res);
	free(text);
	return n == 1 && ev->type == EV_ORDER_UPDATE ? 0 : -1;
}

int xa_answer_order(aster_parser_t *p, const cJSON *o, ev_t *ev)
{
	return parse_stream(p, as_stream(o), ev);
}

/* Sets in->key to a copy of `v` (a string or number). */
static void put(cJSON *in, const char *key, cJSON *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(in, key);
	cJSON_AddItemToObject(in, key, v);
}

int xa_answer_fill(aster_parser_t *p, const cJSON *o, const cJSON *trade, dec_t filled_before,
                   ev_t *ev)
{
	dec_t qty, total;
	const cJSON *time = cJSON_GetObjectItemCaseSensitive(trade, "time");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(trade, "id");
	cJSON *stream = as_stream(o);
	cJSON *in = cJSON_GetObjectItemCaseSensitive(stream, "o");
	if (!in || !cJSON_IsNumber(time) || !cJSON_IsNumber(id) ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(trade, "qty"), &qty) < 0 ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(o, "origQty"), &total) < 0) {
		cJSON_Delete(stream);
		return -1;
	}
	char z[DEC_FMT_MAX];
	dec_format(filled_before + qty, z);
	static const char *const copied[][2] = {{"price", "L"}, {"qty", "l"}, {"commission", "n"},
	                                        {"commissionAsset", "N"}, {"realizedPnl", "rp"},
	                                        {"maker", "m"}, {"time", "T"}, {"id", "t"}};
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(trade, copied[i][0]);
		if (v)
			put(in, copied[i][1], cJSON_Duplicate(v, true));
	}
	put(in, "x", cJSON_CreateString("TRADE"));
	put(in, "X", cJSON_CreateString(filled_before + qty >= total ? "FILLED" : "PARTIALLY_FILLED"));
	put(in, "z", cJSON_CreateString(z));
	put(stream, "E", cJSON_CreateNumber(time->valuedouble));
	put(stream, "T", cJSON_CreateNumber(time->valuedouble));
	return parse_stream(p, stream, ev);
}

int xa_json_dec(const cJSON *v, dec_t *out)
{
	const char *why;
	if (cJSON_IsString(v))
		return dec_parse(v->valuestring, strlen(v->valuestring), out, &why);
	return -1;
}

static int position_row(const cJSON *row, struct position *p)
{
	const cJSON *sym = cJSON_GetObjectItemCaseSensitive(row, "symbol");
	const cJSON *mt = cJSON_GetObjectItemCaseSensitive(row, "marginType");
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(row, "positionSide");
	memset(p, 0, sizeof *p);
	if (!cJSON_IsString(sym) || copy_str(p->symbol, sizeof p->symbol, sym->valuestring,
	                                     strlen(sym->valuestring)) < 0 ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(row, "positionAmt"), &p->amount) < 0 ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(row, "entryPrice"), &p->entry_price) < 0 ||
	    xa_json_dec(cJSON_GetObjectItemCaseSensitive(row, "unRealizedProfit"),
	                &p->unrealized) < 0)
		return -1;
	xa_json_dec(cJSON_GetObjectItemCaseSensitive(row, "isolatedMargin"), &p->isolated_wallet);
	p->margin = cJSON_IsString(mt) && !strcmp(mt->valuestring, "isolated") ? MARGIN_ISOLATED
	                                                                          : MARGIN_CROSSED;
	p->pos_side = cJSON_IsString(ps) ? pos_side_from(ps->valuestring, strlen(ps->valuestring))
	                                 : PS_BOTH;
	return p->pos_side ? 0 : -1;
}

int xa_answer_positions(const cJSON *rows, struct position **out, uint32_t *n, size_t *cap)
{
	*n = 0;
	if (!cJSON_IsArray(rows))
		return -1;
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		struct position p;
		if (position_row(row, &p) < 0)
			return -1;
		if (!p.amount)
			continue;
		struct position *v = grow_array(*out, cap, *n + 1, sizeof **out);
		if (!v)
			return -1;
		*out = v;
		v[(*n)++] = p;
	}
	return 0;
}

int xa_answer_wallet(const cJSON *rows, dec_t *wallet)
{
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		const cJSON *asset = cJSON_GetObjectItemCaseSensitive(row, "asset");
		if (cJSON_IsString(asset) && !strcmp(asset->valuestring, "USDT"))
			return xa_json_dec(cJSON_GetObjectItemCaseSensitive(row, "balance"), wallet);
	}
	return -1;
}
