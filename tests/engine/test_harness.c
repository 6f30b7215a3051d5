/*
 * test_harness.c - the scripted exchange and event builders of harness.h
 * (no tests of its own; it is linked into the engine's test executable).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

dec_t D(const char *s)
{
	dec_t v = 0;
	const char *why = NULL;
	cr_assert_eq(dec_parse(s, strlen(s), &v, &why), 0, "bad decimal %s: %s", s, why);
	return v;
}

/* Every order the engine sends must sit exactly on the tick and the step. */
static void check_grid(const struct fx *f, const order_req *o)
{
	cr_assert_eq(o->price % f->rules.tick, 0, "price %lld off the tick", (long long)o->price);
	cr_assert_eq(o->stop_price % f->rules.tick, 0, "stop %lld off the tick",
	             (long long)o->stop_price);
	cr_assert_eq(o->qty % f->rules.step, 0, "qty %lld off the step", (long long)o->qty);
	cr_assert_gt(o->qty, 0, "order without quantity");
}

static void on_place(void *ctx, const order_req *o)
{
	struct fx *f = ctx;
	check_grid(f, o);
	cr_assert_lt(f->nin, FX_MAX);
	cr_assert_lt(f->nord, FX_MAX);
	f->in[f->nin++] = (struct fx_intent){.kind = FX_PLACE, .req = *o};
	memcpy(f->in[f->nin - 1].client_id, o->client_id, CLIENT_ID_MAX);
	f->ord[f->nord++] = (struct fx_order){.req = *o, .open = true};
}

static void on_cancel(void *ctx, const char *symbol, const char *client_id)
{
	struct fx *f = ctx;
	cr_assert_lt(f->nin, FX_MAX);
	struct fx_intent *in = &f->in[f->nin++];
	*in = (struct fx_intent){.kind = FX_CANCEL};
	strcpy(in->client_id, client_id);
	struct fx_order *o = fx_find(f, client_id);
	cr_assert(o, "cancel of an order never placed: %s", client_id);
	cr_assert_str_eq(symbol, o->req.symbol);
	o->cancel_asked = true;
}

static void on_replace(void *ctx, const char *old_client_id, const order_req *o)
{
	struct fx *f = ctx;
	cr_assert_lt(f->nin, FX_MAX);
	f->in[f->nin++] = (struct fx_intent){.kind = FX_REPLACE, .req = *o};
	strcpy(f->in[f->nin - 1].client_id, old_client_id);
}

static void on_journal(void *ctx, const struct journal_rec *r)
{
	struct fx *f = ctx;
	cr_assert(r->kind != J_ORDER || r->u.order.reason, "order record without a reason");
	cr_assert(r->kind != J_SIGNAL || r->u.signal.reason, "signal record without a reason");
	cr_assert(r->kind != J_NOTE || r->u.note, "note without text");
	cr_assert_lt(f->nj, 4 * FX_MAX);
	f->j[f->nj] = *r;
	if (r->kind == J_NOTE) {
		snprintf(f->note[f->nj], sizeof f->note[0], "%s", r->u.note);
		f->j[f->nj].u.note = f->note[f->nj];
	}
	f->nj++;
}

struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));
	cr_assert(f);
	f->s = (struct settings){
		.volume_window_ms = 60000, .hedge_mode = true, .order_ttl_ms = 30000,
		.max_open_orders_per_symbol = 5, .max_total_exposure_usdt = DEC(1000),
		.tranche_pnl_increment_pct = DEC(5), .max_tranches_per_symbol_side = 5,
		.use_usdt_volume = true, .time_in_force = TIF_GTC, .window_mode = WINDOW_PER_SIDE,
		.merge_profit_pct = DEC(1), .unprotected_timeout_ms = 5000};
	f->sym[0] = (struct symbol_settings){
		.symbol = "BTCUSDT", .threshold_long = DEC(1000), .threshold_short = DEC(1000),
		.leverage = 10, .margin_type = MARGIN_CROSSED, .trade_side = TRADE_OPPOSITE,
		.trade_value_usdt = DEC(10), .max_position_usdt = DEC(100),
		.take_profit_enabled = true, .take_profit_pct = DEC(1), .stop_loss_enabled = true,
		.stop_loss_pct = DEC(2), .working_type = WT_MARK_PRICE, .entry_mode = ENTRY_LIMIT,
		.tp_mode = TP_LIMIT};
	f->rules = (struct symbol_rules){
		.symbol = "BTCUSDT", .trading = true, .tick = D("0.1"), .step = D("0.001"),
		.min_qty = D("0.001"), .max_qty = DEC(1000), .min_notional = DEC(5)};
	return f;
}

void fx_start(struct fx *f)
{
	f->s.nsymbols = f->sym[1].symbol[0] ? 2 : 1;
	f->s.symbols = f->sym;
	struct engine_io io = {f, on_place, on_cancel, on_replace, on_journal};
	f->e = engine_new(&f->s, &io);
	cr_assert(f->e);
	engine_set_rules(f->e, &f->rules);
}

void fx_free(struct fx *f)
{
	engine_free(f->e);
	free(f);
}

static ev_t market_ev(struct fx *f, ev_type_t type, int64_t ms)
{
	ev_t ev = {.type = type, .exch_ms = ms};
	strcpy(ev.symbol, "BTCUSDT");
	f->now = ms > f->now ? ms : f->now;
	return ev;
}

void fx_event(struct fx *f, const ev_t *ev)
{
	f->last = *ev;
	engine_on_event(f->e, ev);
}

void fx_liq(struct fx *f, side_t side, const char *qty, const char *price, int64_t ms)
{
	ev_t ev = market_ev(f, EV_LIQUIDATION, ms);
	ev.u.liq = (struct ev_liquidation){.side = side, .type = OT_LIMIT, .tif = TIF_IOC,
	                                   .status = OS_FILLED, .qty = D(qty), .price = D(price),
	                                   .avg_price = D(price), .last_qty = D(qty),
	                                   .filled_qty = D(qty), .trade_ms = ms};
	fx_event(f, &ev);
}

void fx_book(struct fx *f, const char *bid, const char *ask, int64_t ms)
{
	ev_t ev = market_ev(f, EV_BOOK_TICKER, ms);
	ev.u.book = (struct ev_book_ticker){.tx_ms = ms, .bid = D(bid), .bid_qty = DEC(1),
	                                    .ask = D(ask), .ask_qty = DEC(1)};
	fx_event(f, &ev);
}

void fx_mark(struct fx *f, const char *mark, int64_t ms)
{
	ev_t ev = market_ev(f, EV_MARK_PRICE, ms);
	ev.u.mark.mark = D(mark);
	fx_event(f, &ev);
}

void fx_trade(struct fx *f, const char *price, int64_t ms)
{
	ev_t ev = market_ev(f, EV_AGG_TRADE, ms);
	ev.u.trade = (struct ev_trade){.id = ++f->trade_id, .price = D(price), .qty = DEC(1),
	                               .trade_ms = ms};
	fx_event(f, &ev);
}

void fx_time(struct fx *f, int64_t ms)
{
	f->now = ms;
	engine_on_time(f->e, ms);
}

struct fx_order *fx_find(struct fx *f, const char *client_id)
{
	for (int i = f->nord - 1; i >= 0; i--)
		if (!strcmp(f->ord[i].req.client_id, client_id))
			return &f->ord[i];
	return NULL;
}

static ev_t update_ev(struct fx *f, const struct fx_order *o, exec_type_t exec,
                      order_status_t status)
{
	ev_t ev = {.type = EV_ORDER_UPDATE, .exch_ms = f->now};
	strcpy(ev.symbol, o->req.symbol);
	struct ev_order *u = &ev.u.order;
	memcpy(u->client_id, o->req.client_id, CLIENT_ID_MAX);
	u->side = o->req.side;
	u->type = u->orig_type = o->req.type;
	u->exec = exec;
	u->status = status;
	u->pos_side = o->req.pos_side;
	u->qty = o->req.qty;
	u->price = o->req.price;
	u->stop_price = o->req.stop_price;
	u->filled_qty = o->filled;
	u->reduce_only = o->req.reduce_only;
	u->tx_ms = u->trade_ms = f->now;
	return ev;
}

void fx_ack(struct fx *f, const char *client_id)
{
	struct fx_order *o = fx_find(f, client_id);
	cr_assert(o && o->open && !o->accepted, "ack of %s", client_id);
	o->accepted = true;
	ev_t ev = update_ev(f, o, EXEC_NEW, OS_NEW);
	fx_event(f, &ev);
}

void fx_fill(struct fx *f, const char *client_id, const char *qty, const char *price)
{
	struct fx_order *o = fx_find(f, client_id);
	cr_assert(o && o->open, "fill of %s", client_id);
	o->accepted = true;
	o->filled += D(qty);
	cr_assert_leq(o->filled, o->req.qty, "overfill of %s", client_id);
	bool done = o->filled == o->req.qty;
	o->open = !done;
	ev_t ev = update_ev(f, o, EXEC_TRADE, done ? OS_FILLED : OS_PARTIALLY_FILLED);
	struct ev_order *u = &ev.u.order;
	u->last_qty = D(qty);
	u->last_price = D(price);
	u->avg_price = D(price);
	u->trade_id = ++f->trade_id;
	u->maker = o->req.type == OT_LIMIT;
	u->has_commission = true;
	dec_t notional = 0;
	cr_assert_eq(dec_mul(D(qty), D(price), &notional), 0);
	u->commission = notional / 2500; /* 0.04 % */
	strcpy(u->commission_asset, "USDT");
	fx_event(f, &ev);
}

void fx_cancel_done(struct fx *f, const char *client_id, exec_type_t how)
{
	struct fx_order *o = fx_find(f, client_id);
	cr_assert(o && o->open, "cancel of %s", client_id);
	o->open = false;
	ev_t ev = update_ev(f, o, how, how == EXEC_EXPIRED ? OS_EXPIRED : OS_CANCELED);
	fx_event(f, &ev);
}

ev_t fx_resting(struct fx *f, const order_req *req)
{
	cr_assert_lt(f->nord, FX_MAX);
	struct fx_order *o = &f->ord[f->nord++];
	*o = (struct fx_order){.req = *req, .open = true, .accepted = true};
	return update_ev(f, o, EXEC_NEW, OS_NEW);
}

void fx_reject(struct fx *f, const char *client_id, int code)
{
	struct fx_order *o = fx_find(f, client_id);
	cr_assert(o && o->open, "reject of %s", client_id);
	o->open = false;
	engine_on_reject(f->e, o->req.symbol, client_id, code, "rejected by the test", f->now);
}

void fx_foreign_fill(struct fx *f, const char *client_id, exec_type_t exec, side_t side,
                     pos_side_t ps, const char *qty, const char *price)
{
	struct fx_order o = {.req = {.symbol = "BTCUSDT", .side = side, .pos_side = ps,
	                             .type = exec == EXEC_CALCULATED ? OT_LIQUIDATION : OT_MARKET,
	                             .qty = D(qty)}};
	snprintf(o.req.client_id, sizeof o.req.client_id, "%s", client_id);
	o.filled = D(qty);
	ev_t ev = update_ev(f, &o, exec, OS_FILLED);
	ev.u.order.last_qty = D(qty);
	ev.u.order.last_price = D(price);
	fx_event(f, &ev);
}

void fx_sync(struct fx *f)
{
	bool again = true;
	while (again) {
		again = false;
		for (int i = 0; i < f->nord; i++) {
			struct fx_order *o = &f->ord[i];
			if (o->open && !o->accepted) {
				fx_ack(f, o->req.client_id);
				again = true;
			}
			if (o->open && o->cancel_asked) {
				fx_cancel_done(f, o->req.client_id, EXEC_CANCELED);
				again = true;
			}
		}
	}
}

static char role_of(const struct fx_order *o)
{
	size_t n = strlen(o->req.client_id);
	return n ? o->req.client_id[n - 1] : 0;
}

struct fx_order *fx_last(struct fx *f, char role)
{
	for (int i = f->nord - 1; i >= 0; i--)
		if (role_of(&f->ord[i]) == role)
			return &f->ord[i];
	return NULL;
}

int fx_open_count(struct fx *f, char role)
{
	int n = 0;
	for (int i = 0; i < f->nord; i++)
		n += f->ord[i].open && role_of(&f->ord[i]) == role;
	return n;
}

int fx_count(struct fx *f, journal_kind_t kind)
{
	int n = 0;
	for (int i = 0; i < f->nj; i++)
		n += f->j[i].kind == kind;
	return n;
}

const struct journal_rec *fx_nth(struct fx *f, journal_kind_t kind, int n)
{
	int total = fx_count(f, kind), want = n < 0 ? total + n : n;
	for (int i = 0, k = 0; i < f->nj; i++)
		if (f->j[i].kind == kind && k++ == want)
			return &f->j[i];
	cr_assert_fail("no journal record %d of kind %d (have %d)", n, kind, total);
	return NULL;
}

bool fx_has_note(struct fx *f, const char *part)
{
	for (int i = 0; i < f->nj; i++)
		if (f->j[i].kind == J_NOTE && strstr(f->j[i].u.note, part))
			return true;
	return false;
}

int fx_intents(struct fx *f, enum fx_kind kind)
{
	int n = 0;
	for (int i = 0; i < f->nin; i++)
		n += f->in[i].kind == kind;
	return n;
}
