/*
 * Defaults (docs/settings.md) and the keys that fall back on others.
 */
#include "helpers.h"

Test(defaults, globals)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}}");
	const struct settings *s = &L->s;

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->d.n, 0, "no message for a plain file");
	cr_assert_eq(s->volume_window_ms, 60000);
	cr_assert_eq(s->window_mode, WINDOW_PER_SIDE);
	cr_assert_eq(L->live.simulate_only, false);
	cr_assert_eq(L->live.multi_assets_mode, false);
	cr_assert_eq(s->hedge_mode, true);
	cr_assert_eq(s->order_ttl_ms, 30000);
	cr_assert_eq(s->max_open_orders_per_symbol, 5);
	cr_assert_eq(s->max_total_exposure_usdt, DEC(1000));
	cr_assert_eq(s->tranche_pnl_increment_pct, DEC(5));
	cr_assert_eq(s->max_tranches_per_symbol_side, 5);
	cr_assert_eq(s->merge_profit_pct, 10000000, "0.1 %%");
	cr_assert_eq(s->unprotected_timeout_ms, 10000);
	cr_assert_eq(s->use_usdt_volume, true);
	cr_assert_eq(s->time_in_force, TIF_GTC);
	cr_assert_eq(L->live.set_leverage, true);
	cr_assert_eq(L->live.set_margin_type, true);
	cr_assert_eq(L->live.rate_limit_buffer_pct, 10);
}

Test(defaults, symbol)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}}");
	const struct symbol_settings *b = &L->s.symbols[0];

	cr_assert_eq(L->s.nsymbols, 1);
	cr_assert_eq(b->threshold_long, DEC(10000));
	cr_assert_eq(b->threshold_short, DEC(10000));
	cr_assert_eq(b->leverage, 10);
	cr_assert_eq(b->margin_type, MARGIN_CROSSED);
	cr_assert_eq(b->trade_side, TRADE_OPPOSITE);
	cr_assert_eq(b->trade_value_usdt, DEC(1));
	cr_assert_eq(b->price_offset_pct, 10000000);
	cr_assert_eq(b->max_position_usdt, DEC(1000), "the total cap binds alone");
	cr_assert_eq(b->take_profit_enabled, true);
	cr_assert_eq(b->take_profit_pct, DEC(1));
	cr_assert_eq(b->stop_loss_enabled, true);
	cr_assert_eq(b->stop_loss_pct, DEC(5));
	cr_assert_eq(b->working_type, WT_CONTRACT_PRICE);
	cr_assert_eq(b->price_protect, false);
	cr_assert_eq(b->use_trailing_stop, false);
	cr_assert_eq(b->cooldown_ms, 0);
	cr_assert_eq(b->entry_mode, ENTRY_LIMIT);
	cr_assert_eq(b->tp_mode, TP_LIMIT);
}

Test(defaults, simulation_matches_the_simulator)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}}");
	struct sim_params p;

	sim_params_default(&p);
	cr_assert_eq(L->sim.maker_fee, p.maker_fee);
	cr_assert_eq(L->sim.taker_fee, p.taker_fee);
	cr_assert_eq(L->sim.order_latency_ms, p.order_latency_ms);
	cr_assert_eq(L->sim.cancel_latency_ms, p.cancel_latency_ms);
	cr_assert_eq(L->sim.ack_latency_ms, p.ack_latency_ms);
	cr_assert_eq(L->sim.maint_margin_rate, p.maint_margin_rate);
	cr_assert_eq(L->sim.starting_balance, p.starting_balance);
	cr_assert_eq(L->sim.queue_position, p.queue_position);
	cr_assert_eq(L->sim.funding, p.funding);
	cr_assert_eq(L->sim.seed, p.seed);
	/* the brief's numbers, so a drift on either side shows */
	cr_assert_eq(L->sim.maker_fee, 10000, "0.01 %% = 0.0001");
	cr_assert_eq(L->sim.taker_fee, 35000, "0.035 %% = 0.00035");
	cr_assert_eq(L->sim.starting_balance, DEC(10000));
}

Test(defaults, simulation_keys)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}}, \"globals\": {\"hedge_mode\": false},"
	                        " \"simulation\": {\"maker_fee_pct\": -0.005, \"taker_fee_pct\": 0.05,"
	                        " \"order_latency_ms\": 120, \"cancel_latency_ms\": 0,"
	                        " \"ack_latency_ms\": 7, \"maint_margin_pct\": 0.4,"
	                        " \"starting_balance_usdt\": 250.5, \"queue_position\": false,"
	                        " \"funding\": false, \"seed\": 18446744073709551615}}");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->sim.maker_fee, -5000);
	cr_assert_eq(L->sim.taker_fee, 50000);
	cr_assert_eq(L->sim.order_latency_ms, 120);
	cr_assert_eq(L->sim.cancel_latency_ms, 0);
	cr_assert_eq(L->sim.ack_latency_ms, 7);
	cr_assert_eq(L->sim.maint_margin_rate, 400000, "0.4 %% = 0.004");
	cr_assert_eq(L->sim.starting_balance, 25050000000);
	cr_assert_eq(L->sim.queue_position, false);
	cr_assert_eq(L->sim.funding, false);
	cr_assert_eq(L->sim.seed, UINT64_MAX);
	cr_assert_eq(L->sim.hedge_mode, false, "follows globals.hedge_mode");
}

Test(defaults, legacy_threshold_is_the_fallback_for_each_side)
{
	struct loaded *L = load("{\"symbols\": {"
	                        "\"A1\": {\"volume_threshold\": 500},"
	                        "\"A2\": {\"volume_threshold\": 500, \"volume_threshold_long\": 70},"
	                        "\"A3\": {\"volume_threshold_short\": 9, \"volume_threshold\": 500},"
	                        "\"A4\": {\"volume_threshold_short\": 9}}}");

	cr_assert_eq(L->rc, 0);
	const struct symbol_settings *a = L->s.symbols;
	cr_assert_eq(a[0].threshold_long, DEC(500));
	cr_assert_eq(a[0].threshold_short, DEC(500));
	cr_assert_eq(a[1].threshold_long, DEC(70));
	cr_assert_eq(a[1].threshold_short, DEC(500));
	cr_assert_eq(a[2].threshold_long, DEC(500), "order of keys does not matter");
	cr_assert_eq(a[2].threshold_short, DEC(9));
	cr_assert_eq(a[3].threshold_long, DEC(10000), "the old bot's default");
	cr_assert_eq(a[3].threshold_short, DEC(9));
}

Test(defaults, new_keys)
{
	struct loaded *L = load("{\"globals\": {\"volume_window_mode\": \"COMBINED\","
	                        " \"tranche_merge_profit_pct\": 0, \"unprotected_close_seconds\": 2.5},"
	                        " \"symbols\": {\"ETHUSDT\": {\"cooldown_seconds\": 90,"
	                        " \"entry_order_type\": \"MARKET\","
	                        " \"take_profit_type\": \"TAKE_PROFIT_MARKET\"}}}");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->s.window_mode, WINDOW_COMBINED);
	cr_assert_eq(L->s.merge_profit_pct, 0);
	cr_assert_eq(L->s.unprotected_timeout_ms, 2500);
	cr_assert_eq(L->s.symbols[0].cooldown_ms, 90000);
	cr_assert_eq(L->s.symbols[0].entry_mode, ENTRY_MARKET);
	cr_assert_eq(L->s.symbols[0].tp_mode, TP_MARKET);
}

Test(defaults, trailing_stop_is_accepted_with_a_warning)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {\"use_trailing_stop\": true},"
	                        " \"ETHUSDT\": {\"use_trailing_stop\": false}}}");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->d.nwarnings, 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_WARNING, 1,
	                        "symbols.BTCUSDT.use_trailing_stop: trailing stops are not "
	                        "modelled yet; the fixed stop (stop_loss_pct) is used"), 1);
	cr_assert(config_find_symbol(&L->s, "BTCUSDT")->use_trailing_stop);
}

Test(defaults, entry_above_the_caps_is_a_warning)
{
	struct loaded *L = load("{\"globals\": {\"max_total_exposure_usdt\": 40},\n"
	                        "\"symbols\": {\n\"BTCUSDT\": {\"trade_value_usdt\": 50,"
	                        " \"max_position_usdt\": 100}}}");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(count_msgs(&L->d, CONFIG_WARNING, 3,
	                        "symbols.BTCUSDT.trade_value_usdt: 50 is above the margin cap "
	                        "of 40"), 1);
}

Test(defaults, failed_load_owns_nothing)
{
	struct loaded *L = load("{\"symbols\": {\"BTCUSDT\": {}, \"ETHUSDT\": {\"leverage\": 0}}}");

	cr_assert_eq(L->rc, -1);
	cr_assert_null(L->s.symbols);
	cr_assert_eq(L->s.nsymbols, 0);
}
