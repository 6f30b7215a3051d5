/*
 * events.c - the user-stream events of the simulated exchange, shaped as
 * Aster's ORDER_TRADE_UPDATE and ACCOUNT_UPDATE, and its rejections. Each is
 * made at the matching engine's time `now` and queued for delivery
 * ack_latency_ms later, so the user learns of a fill after it happened.
 */
#include <string.h>

#include "exchange_sim_int.h"

static struct job *queue_event(sim_t *s, struct job *j, ev_type_t type, const char *symbol)
{
	memset(j, 0, sizeof(*j));
	j->at = s->now + s->p.ack_latency_ms;
	j->kind = JOB_EVENT;
	j->ev.type = type;
	j->ev.exch_ms = s->now;
	copy_str(j->ev.symbol, sizeof(j->ev.symbol), symbol, strlen(symbol));
	return j;
}

static void order_fields(const sim_t *s, const struct order *o, struct ev_order *e)
{
	const order_req *r = &o->req;
	memcpy(e->client_id, r->client_id, sizeof(e->client_id));
	e->side = r->side;
	e->type = o->type;
	e->orig_type = r->type;
	e->tif = r->tif ? r->tif : TIF_GTC;
	e->working_type = r->working_type ? r->working_type : WT_CONTRACT_PRICE;
	e->pos_side = r->pos_side ? r->pos_side : PS_BOTH;
	e->order_id = o->id;
	e->trade_ms = e->tx_ms = s->now;
	e->qty = r->qty;
	e->price = r->price;
	e->stop_price = r->stop_price;
	e->filled_qty = o->filled;
	e->avg_price = o->filled ? sim_dmuldiv(o->filled_cost, DEC_ONE, o->filled) : 0;
	e->reduce_only = r->reduce_only;
	e->close_position = r->close_position;
}

void sim_emit_order(sim_t *s, const struct sym *y, const struct order *o, exec_type_t exec,
		    order_status_t status, const struct fill *f)
{
	struct job j;
	struct ev_order *e = &queue_event(s, &j, EV_ORDER_UPDATE, y->name)->ev.u.order;
	order_fields(s, o, e);
	e->exec = exec;
	e->status = status;
	if (f) {
		e->trade_id = f->trade_id;
		e->last_qty = f->qty;
		e->last_price = f->price;
		e->commission = f->fee;
		e->has_commission = f->fee != 0;
		if (e->has_commission)
			memcpy(e->commission_asset, SIM_ASSET, sizeof(SIM_ASSET));
		e->realized_pnl = f->rp;
		e->maker = f->maker;
	}
	sim_job_push(&s->jobs, &j);
}

/* ACCOUNT_UPDATE with the USDT balance and the one position that changed;
 * `change` is the balance change other than PnL and commission (bc). */
void sim_emit_account(sim_t *s, const struct sym *y, const char *reason, pos_side_t ps,
		      dec_t change)
{
	struct job j;
	queue_event(s, &j, EV_ACCOUNT_UPDATE, "");
	struct ev_account *a = &j.ev.u.account;
	copy_str(a->reason, sizeof(a->reason), reason, strlen(reason));
	a->tx_ms = s->now;
	a->nbalances = 1;
	a->npositions = 1;
	memcpy(j.bal.asset, SIM_ASSET, sizeof(SIM_ASSET));
	j.bal.wallet = j.bal.cross_wallet = s->wallet;
	j.bal.change = change;
	const struct pos *p = &y->pos[ps];
	struct position *q = &j.position;
	memcpy(q->symbol, y->name, sizeof(q->symbol));
	q->amount = p->amount;
	q->entry_price = dabs(sim_pos_entry(p));
	q->realized = p->realized;
	q->unrealized = sim_pos_unrealized(y, p);
	q->margin = MARGIN_ISOLATED;
	q->isolated_wallet = p->margin;
	q->pos_side = ps;
	sim_job_push(&s->jobs, &j);
}

void sim_emit_reject(sim_t *s, const char *symbol, const char *client_id, int code,
		     const char *msg)
{
	struct job j;
	memset(&j, 0, sizeof(j));
	j.at = s->now + s->p.ack_latency_ms;
	j.kind = JOB_REJECT;
	j.ev.exch_ms = s->now;
	copy_str(j.symbol, sizeof(j.symbol), symbol, strlen(symbol));
	copy_str(j.client_id, sizeof(j.client_id), client_id, strlen(client_id));
	j.code = code;
	copy_str(j.msg, sizeof(j.msg), msg, strlen(msg));
	sim_job_push(&s->jobs, &j);
}
