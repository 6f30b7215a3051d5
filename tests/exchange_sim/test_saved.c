/* The account put back when a simulate run starts again on its run
 * database: positions rebuilt from the fills, the wallet as given, the
 * open orders resting again with what was filled of them, a funding time
 * already charged not charged again. */
#include "harness.h"

static struct rec RA, RB;

/* What a run database would tell of A: the wallet, every fill, the open
 * orders as placed. */
struct told {
	struct sim_saved_fill fills[16];
	order_req orders[16];
	struct sim_saved saved;
};

static void tell(sim_t *a, const struct rec *r, struct told *t)
{
	memset(t, 0, sizeof *t);
	struct exchange_account acc;
	sim_account(a, &acc);
	t->saved.wallet = acc.wallet;
	t->saved.fees_paid = acc.fees_paid;
	uint32_t nf = 0, no = 0;
	for (int i = 0; i < r->n; i++) {
		const struct ev_order *u = &r->ev[i].u.order;
		if (r->ev[i].type != EV_ORDER_UPDATE || u->exec != EXEC_TRADE)
			continue;
		struct sim_saved_fill *f = &t->fills[nf++];
		*f = (struct sim_saved_fill){.pos_side = u->pos_side, .side = u->side,
		                             .price = u->last_price, .qty = u->last_qty};
		memcpy(f->symbol, r->ev[i].symbol, SYMBOL_MAX);
		memcpy(f->client_id, u->client_id, CLIENT_ID_MAX);
	}
	struct exchange_open open;
	sim_open_state(a, &open);
	for (uint32_t i = 0; i < open.norders; i++) {
		const struct ev_order *u = &open.orders[i].u.order;
		order_req *q = &t->orders[no++];
		*q = (order_req){.side = u->side, .pos_side = u->pos_side, .type = u->orig_type,
		                 .tif = u->tif, .working_type = u->working_type, .price = u->price,
		                 .qty = u->qty, .stop_price = u->stop_price,
		                 .reduce_only = u->reduce_only, .close_position = u->close_position};
		memcpy(q->symbol, open.orders[i].symbol, SYMBOL_MAX);
		memcpy(q->client_id, u->client_id, CLIENT_ID_MAX);
	}
	t->saved.fills = t->fills;
	t->saved.nfills = nf;
	t->saved.orders = t->orders;
	t->saved.norders = no;
}

static struct sim_params fees_params(void)
{
	struct sim_params p = quiet_params();
	p.maker_fee = D("0.0001");
	p.taker_fee = D("0.00035");
	return p;
}

/* A long of 3 BTC bought in two fills, an entry resting half filled, a
 * stop-loss and a take-profit. */
static sim_t *trading(struct rec *r, const struct sim_params *p)
{
	sim_t *s = new_sim(r, p);
	ticker(s, 1000, "100.0", "50", "100.1", "50");
	order_req o = market_req("H1-1E", SIDE_BUY, "1");
	place(s, r, &o, 1000);
	ticker(s, 1001, "101.0", "50", "101.3", "50");
	o = market_req("H1-2E", SIDE_BUY, "2");
	place(s, r, &o, 1001);
	o = limit_req("H1-3E", SIDE_BUY, "99.5", "2", TIF_GTC);
	place(s, r, &o, 1002);
	trade(s, 1003, "99.4", "1", true); /* through it: fills 1 */
	o = stop_req("H1-4S", OT_STOP_MARKET, SIDE_SELL, "95", NULL, WT_CONTRACT_PRICE);
	o.close_position = true;
	place(s, r, &o, 1004);
	o = limit_req("H1-5T", SIDE_SELL, "110", "3", TIF_GTC);
	o.reduce_only = true;
	place(s, r, &o, 1004);
	sim_advance(s, 1005);
	return s;
}

static void same_account(sim_t *a, sim_t *b)
{
	struct exchange_account x, y;
	sim_account(a, &x);
	sim_account(b, &y);
	cr_assert_eq(y.wallet, x.wallet);
	cr_assert_eq(y.margin_used, x.margin_used);
	cr_assert_eq(y.open_positions, x.open_positions);
}

Test(saved, the_restored_account_goes_on_as_it_was)
{
	struct sim_params p = fees_params();
	sim_t *a = trading(&RA, &p);
	struct told t;
	tell(a, &RA, &t);
	cr_assert_eq(t.saved.nfills, 3, "%u fills", t.saved.nfills);
	cr_assert_eq(t.saved.norders, 3, "the half-filled entry, the stop-loss, the take-profit");
	sim_t *b = new_sim(&RB, &p);
	sim_restore(b, &t.saved);
	same_account(a, b);
	struct exchange_open oa, ob;
	sim_open_state(a, &oa);
	struct position pa = oa.positions[0];
	sim_open_state(b, &ob);
	cr_assert_eq(ob.npositions, 1);
	cr_assert_eq(ob.positions[0].amount, pa.amount);
	cr_assert_eq(ob.positions[0].entry_price, pa.entry_price);
	cr_assert_eq(ob.norders, 3);
	cr_assert_str_eq(ob.orders[0].u.order.client_id, "H1-3E");
	cr_assert_eq(ob.orders[0].u.order.filled_qty, D("1"));
	cr_assert_eq(ob.orders[0].u.order.status, OS_PARTIALLY_FILLED);
	cr_assert_str_eq(ob.orders[1].u.order.client_id, "H1-4S");
	cr_assert_str_eq(ob.orders[2].u.order.client_id, "H1-5T");
	/* the same market from here on: the same fills, to the last unit */
	sim_t *both[] = {a, b};
	for (int i = 0; i < 2; i++) {
		ticker(both[i], 2000, "94.0", "50", "94.1", "50");
		trade(both[i], 2001, "94.0", "5", true);
		sim_advance(both[i], 2002);
	}
	same_account(a, b);
	cr_assert_eq(last_update(&RB, "H1-4S")->status, OS_FILLED, "the stop-loss fired");
	cr_assert_eq(last_update(&RB, "H1-3E")->status, OS_FILLED, "the entry filled at 99.5");
	sim_free(a);
	sim_free(b);
}

Test(saved, an_order_the_database_saw_filled_does_not_rest_again)
{
	struct sim_params p = fees_params();
	sim_t *a = trading(&RA, &p);
	struct told t;
	tell(a, &RA, &t);
	t.fills[t.saved.nfills++] = (struct sim_saved_fill){"BTCUSDT", "H1-3E", PS_BOTH, SIDE_BUY,
	                                                    D("99.5"), D("1")};
	sim_t *b = new_sim(&RB, &p);
	sim_restore(b, &t.saved);
	struct exchange_open ob;
	sim_open_state(b, &ob);
	cr_assert_eq(ob.norders, 2);
	cr_assert_eq(ob.positions[0].amount, D("5"));
	sim_free(a);
	sim_free(b);
}

static int funding_events(const struct rec *r)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->ev[i].type == EV_ACCOUNT_UPDATE &&
		     !strcmp(r->ev[i].u.account.reason, "FUNDING_FEE");
	return n;
}

Test(saved, a_funding_time_charged_is_not_charged_again)
{
	struct sim_params p = quiet_params();
	struct sim_saved_fill f = {"BTCUSDT", "H1-1E", PS_BOTH, SIDE_BUY, D("100"), D("1")};
	struct sim_saved_funding paid = {"BTCUSDT", 28800000};
	struct sim_saved sv = {.wallet = D("10000"), .fills = &f, .nfills = 1};
	for (int charged = 0; charged < 2; charged++) {
		sv.funded = charged ? &paid : NULL;
		sv.nfunded = (uint32_t)charged;
		sim_t *s = new_sim(&RB, &p);
		sim_restore(s, &sv);
		mark(s, 28799000, "100", "0.0001", 28800000);
		sim_advance(s, 28800001);
		cr_assert_eq(funding_events(&RB), !charged, "charged before: %d", charged);
		sim_free(s);
	}
}
