/*
 * fuzz_order_params.c - any bytes as a new-order request's parameters, as
 * `hunter serve` receives them. The decoder must answer with an order or
 * with one of Aster's error codes and a message, never crash; an order it
 * accepts (with a client id) must encode to parameters that decode to the
 * same order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exchange_aster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	order_req r, back;
	char msg[160] = "", buf[XA_PARAMS_MAX];
	const char *why;
	int rc = xa_order_decode((const char *)data, size, &r, msg, sizeof msg);
	if (rc) {
		if (rc > 0 || !msg[0])
			abort(); /* every refusal is a negative code with a message */
		return 0;
	}
	if (!r.client_id[0])
		return 0; /* the exchange names such an order; the client never sends one */
	size_t n = xa_order_encode(&r, buf, &why);
	if (!n || xa_order_decode(buf, n, &back, msg, sizeof msg) || memcmp(&r, &back, sizeof r))
		abort();
	return 0;
}
