/*
 * A restarted run, through the session: an exchange (scripted here, as a
 * live one would answer) reports an open long and whatever orders are
 * working; session_adopt hands them to the engine, which places only what
 * is missing and never touches orders that are not its own.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "session.h"

#define T0 1700000000000LL

TEST_SCRATCH_SUITE(adopt, dir, "hunter-adopt");

/* An exchange that holds a fixed account and counts what it is asked. */
struct account {
	struct position pos;
	ev_t orders[4];
	uint32_t norders;
	int placed, cancelled;
	order_req last;
};

static void place(void *impl, const order_req *o, int64_t now)
{
	struct account *a = impl;
	a->placed++;
	a->last = *o;
}

static void cancel(void *impl, const char *symbol, const char *client_id, int64_t now)
{
	((struct account *)impl)->cancelled++;
}

static void replace(void *impl, const char *old_id, const order_req *o, int64_t now)
{
	((struct account *)impl)->placed++;
}

static void open_state(void *impl, struct exchange_open *out)
{
	struct account *a = impl;
	*out = (struct exchange_open){&a->pos, 1, a->orders, a->norders};
}

static const struct exchange_ops scripted = {
	.name = "scripted", .place = place, .cancel = cancel, .replace = replace,
	.open_state = open_state,
};

static void working(struct account *a, const char *client_id, side_t side, order_type_t type,
                    const char *price_e8, const char *stop_e8)
{
	ev_t *ev = &a->orders[a->norders++];
	*ev = (ev_t){.type = EV_ORDER_UPDATE, .symbol = "BTCUSDT", .exch_ms = T0};
	struct ev_order *o = &ev->u.order;
	snprintf(o->client_id, sizeof o->client_id, "%s", client_id);
	o->side = side;
	o->type = o->orig_type = type;
	o->pos_side = PS_LONG;
	o->exec = EXEC_NEW;
	o->status = OS_NEW;
	o->tif = TIF_GTC;
	o->qty = 1000000; /* 0.01 */
	o->price = strtoll(price_e8, NULL, 10);
	o->stop_price = strtoll(stop_e8, NULL, 10);
	o->working_type = WT_MARK_PRICE;
}

/* Adopts `a` in a fresh session; returns what the session asked of it. */
static void restart(struct account *a)
{
	struct symbol_settings sym = {
		.symbol = "BTCUSDT", .threshold_long = DEC(1000), .threshold_short = DEC(1000),
		.leverage = 10, .margin_type = MARGIN_CROSSED, .trade_side = TRADE_OPPOSITE,
		.trade_value_usdt = DEC(10), .max_position_usdt = DEC(100),
		.take_profit_enabled = true, .take_profit_pct = DEC(1), .stop_loss_enabled = true,
		.stop_loss_pct = DEC(2), .working_type = WT_MARK_PRICE, .entry_mode = ENTRY_LIMIT,
		.tp_mode = TP_LIMIT};
	struct settings s = {
		.volume_window_ms = 60000, .hedge_mode = true, .order_ttl_ms = 30000,
		.max_open_orders_per_symbol = 5, .max_total_exposure_usdt = DEC(1000),
		.tranche_pnl_increment_pct = DEC(5), .max_tranches_per_symbol_side = 5,
		.use_usdt_volume = true, .time_in_force = TIF_GTC, .window_mode = WINDOW_PER_SIDE,
		.merge_profit_pct = DEC(1), .unprotected_timeout_ms = 5000, .nsymbols = 1,
		.symbols = &sym};
	struct symbol_rules rules = {
		.symbol = "BTCUSDT", .trading = true, .tick = 10000000, .step = 100000,
		.min_qty = 100000, .max_qty = DEC(1000), .min_notional = DEC(5)};
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/run.db", dir);
	struct journal_run run = {"live", "{}", 2, NULL, 0, true, 0, false};
	journal_t *j = journal_create(path, &run, err, sizeof err);
	cr_assert_not_null(j, "%s", err);
	session_t *ss = session_new(&s, j);
	cr_assert_not_null(ss);
	exchange_t x = {&scripted, a};
	cr_assert_eq(session_attach(ss, &x, NULL, NULL), 0);
	session_set_rules(ss, &rules);
	session_adopt(ss, T0 + 1000);
	session_free(ss);
	journal_close(j);
}

/* An open long of 0.01 at 60000: its TP is 60600 and its SL 58800. */
static struct account long_position(void)
{
	struct account a = {.pos = {.symbol = "BTCUSDT", .amount = 1000000,
	                            .entry_price = DEC(60000), .pos_side = PS_LONG}};
	return a;
}

Test(adopt, a_protected_position_needs_nothing)
{
	struct account a = long_position();
	working(&a, "Hlfj3k2-4T", SIDE_SELL, OT_LIMIT, "6060000000000", "0");
	working(&a, "Hlfj3k2-5S", SIDE_SELL, OT_STOP_MARKET, "0", "5880000000000");
	restart(&a);
	cr_assert_eq(a.placed, 0, "%d orders placed for a protected position", a.placed);
	cr_assert_eq(a.cancelled, 0);
}

Test(adopt, a_missing_stop_loss_is_placed)
{
	struct account a = long_position();
	working(&a, "Hlfj3k2-4T", SIDE_SELL, OT_LIMIT, "6060000000000", "0");
	restart(&a);
	cr_assert_eq(a.placed, 1);
	cr_assert_eq(a.last.type, OT_STOP_MARKET);
	cr_assert_eq(a.last.side, SIDE_SELL);
	cr_assert_eq(a.last.pos_side, PS_LONG);
	cr_assert_eq(a.last.stop_price, DEC(58800));
}

Test(adopt, orders_that_are_not_ours_are_never_touched)
{
	struct account a = long_position();
	working(&a, "Hlfj3k2-4T", SIDE_SELL, OT_LIMIT, "6060000000000", "0");
	working(&a, "Hlfj3k2-5S", SIDE_SELL, OT_STOP_MARKET, "0", "5880000000000");
	working(&a, "web_manual_7", SIDE_SELL, OT_LIMIT, "6100000000000", "0");
	restart(&a);
	cr_assert_eq(a.placed, 0);
	cr_assert_eq(a.cancelled, 0, "an order the engine did not send was cancelled");
}
