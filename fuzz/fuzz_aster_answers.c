/*
 * fuzz_aster_answers.c - any bytes as the exchange's REST answers, read by
 * hunter's Aster client: an order (as the ORDER_TRADE_UPDATE it becomes),
 * a [order, userTrades row] pair (as a catch-up fill), positionRisk rows
 * and a balance answer. Each must be read or refused, never crash; an
 * order read must carry the fields the stream's parser requires.
 */
#include <stdint.h>
#include <stdlib.h>

#include "client_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static aster_parser_t *p;
	if (!p && !(p = aster_parser_new()))
		abort();
	cJSON *j = cJSON_ParseWithLength((const char *)data, size);
	if (!j)
		return 0;
	ev_t ev;
	if (xa_answer_order(p, j, &ev) == 0 && (ev.type != EV_ORDER_UPDATE || !ev.u.order.status))
		abort();
	if (cJSON_GetArraySize(j) == 2)
		xa_answer_fill(p, cJSON_GetArrayItem(j, 0), cJSON_GetArrayItem(j, 1), 0, &ev);
	struct position *pos = NULL;
	uint32_t n;
	size_t cap = 0;
	xa_answer_positions(j, &pos, &n, &cap);
	free(pos);
	dec_t wallet;
	xa_answer_wallet(j, &wallet);
	cJSON_Delete(j);
	return 0;
}
