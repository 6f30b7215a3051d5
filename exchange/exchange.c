/*
 * exchange.c - the calls of exchange.h: each forwards to the
 * implementation, and an operation an implementation leaves NULL is a
 * no-op, so a session can drive a live and a simulated exchange alike.
 */
#include <stdint.h>
#include <string.h>

#include "exchange.h"

void exchange_place(exchange_t *x, const order_req *o, int64_t now_ms)
{
	x->ops->place(x->impl, o, now_ms);
}

void exchange_cancel(exchange_t *x, const char *symbol, const char *client_id, int64_t now_ms)
{
	x->ops->cancel(x->impl, symbol, client_id, now_ms);
}

void exchange_replace(exchange_t *x, const char *old_client_id, const order_req *o,
                      int64_t now_ms)
{
	x->ops->replace(x->impl, old_client_id, o, now_ms);
}

int exchange_setup_symbol(exchange_t *x, const struct symbol_setup *s)
{
	return x->ops->setup_symbol ? x->ops->setup_symbol(x->impl, s) : 0;
}

int exchange_set_position_mode(exchange_t *x, bool hedge)
{
	return x->ops->set_position_mode ? x->ops->set_position_mode(x->impl, hedge) : 0;
}

void exchange_set_rules(exchange_t *x, const struct symbol_rules *r)
{
	if (x->ops->set_rules)
		x->ops->set_rules(x->impl, r);
}

void exchange_account(exchange_t *x, struct exchange_account *out)
{
	memset(out, 0, sizeof *out);
	if (x->ops->account)
		x->ops->account(x->impl, out);
}

void exchange_open_state(exchange_t *x, struct exchange_open *out)
{
	memset(out, 0, sizeof *out);
	if (x->ops->open_state)
		x->ops->open_state(x->impl, out);
}

bool exchange_is_simulated(const exchange_t *x)
{
	return x->ops->on_market != NULL;
}

void exchange_on_market(exchange_t *x, const ev_t *ev)
{
	if (x->ops->on_market)
		x->ops->on_market(x->impl, ev);
}

void exchange_advance(exchange_t *x, int64_t now_ms)
{
	if (x->ops->advance)
		x->ops->advance(x->impl, now_ms);
}

int64_t exchange_next_due(const exchange_t *x)
{
	return x->ops->next_due ? x->ops->next_due(x->impl) : INT64_MAX;
}

void exchange_destroy(exchange_t *x)
{
	if (x->ops && x->ops->destroy)
		x->ops->destroy(x->impl);
	x->ops = NULL;
	x->impl = NULL;
}
