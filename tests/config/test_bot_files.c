/*
 * Settings files written for the original Python bot load unchanged: the
 * example shipped with its last version and a settings.json from the
 * bot's early history (see README.md in this folder for their sources).
 */
#include "helpers.h"

static struct loaded *load_file(const char *rel)
{
	char *text = read_source_file(rel);
	struct loaded *L = load(text);
	free(text);
	return L;
}

Test(bot_files, last_example_loads_with_one_warning_per_ignored_key)
{
	struct loaded *L = load_file("tests/config/bot_example_settings.json");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->d.nerrors, 0);
	cr_assert_eq(L->s.nsymbols, 11);
	static const char *const ignored[] = {
		"globals.use_position_monitor", "globals.batch_orders",
		"globals.order_cleanup_interval_seconds", "globals.stale_limit_order_minutes",
		"globals.max_stop_orders_per_symbol", "globals.enable_order_consolidation"};
	cr_assert_eq(L->d.nwarnings, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(count_msgs(&L->d, CONFIG_WARNING, 0, ignored[i]), 1, "%s", ignored[i]);
	cr_assert_eq(count_msgs(&L->d, CONFIG_WARNING, 16, "globals.batch_orders: ignored: "), 1);
}

Test(bot_files, last_example_values)
{
	struct loaded *L = load_file("tests/config/bot_example_settings.json");
	const struct settings *s = &L->s;

	cr_assert_eq(s->volume_window_ms, 60000);
	cr_assert_eq(L->live.multi_assets_mode, true);
	cr_assert_eq(s->hedge_mode, true);
	cr_assert_eq(L->sim.hedge_mode, true);
	cr_assert_eq(s->order_ttl_ms, 30000);
	cr_assert_eq(s->max_open_orders_per_symbol, 20);
	cr_assert_eq(s->max_total_exposure_usdt, DEC(600));
	cr_assert_eq(s->tranche_pnl_increment_pct, DEC(5));
	cr_assert_eq(s->time_in_force, TIF_GTC);

	const struct symbol_settings *btc = config_find_symbol(s, "BTCUSDT");
	cr_assert_not_null(btc);
	cr_assert_str_eq(btc->symbol, "BTCUSDT");
	cr_assert_eq(btc->threshold_long, DEC(100000));
	cr_assert_eq(btc->threshold_short, DEC(250000));
	cr_assert_eq(btc->threshold, 0, "no legacy volume_threshold in this file");
	cr_assert_eq(btc->leverage, 10);
	cr_assert_eq(btc->margin_type, MARGIN_CROSSED);
	cr_assert_eq(btc->trade_side, TRADE_OPPOSITE);
	cr_assert_eq(btc->trade_value_usdt, 55000000, "0.55 exactly");
	cr_assert_eq(btc->price_offset_pct, 10000000, "0.1 exactly");
	cr_assert_eq(btc->max_position_usdt, DEC(200));
	cr_assert_eq(btc->take_profit_pct, DEC(1));
	cr_assert_eq(btc->stop_loss_pct, DEC(50));
	cr_assert_eq(btc->working_type, WT_CONTRACT_PRICE);
	cr_assert_eq(btc->price_protect, false);

	const struct symbol_settings *aster = config_find_symbol(s, "ASTERUSDT");
	cr_assert_not_null(aster);
	cr_assert_eq(aster->price_offset_pct, 1000000, "0.01 exactly");
	cr_assert_null(config_find_symbol(s, "DOGEUSDT"));
}

Test(bot_files, symbols_come_out_sorted)
{
	struct loaded *L = load_file("tests/config/bot_settings_2025-09-21.json");

	cr_assert_eq(L->rc, 0);
	for (uint32_t i = 1; i < L->s.nsymbols; i++)
		cr_assert_lt(strcmp(L->s.symbols[i - 1].symbol, L->s.symbols[i].symbol), 0);
}

Test(bot_files, early_file_uses_the_legacy_threshold_for_both_sides)
{
	struct loaded *L = load_file("tests/config/bot_settings_2025-09-21.json");

	cr_assert_eq(L->rc, 0);
	const struct symbol_settings *sol = config_find_symbol(&L->s, "SOLUSDT");
	cr_assert_not_null(sol);
	cr_assert_eq(sol->threshold, DEC(10000), "written 10000.0");
	cr_assert_eq(sol->threshold_long, DEC(10000));
	cr_assert_eq(sol->threshold_short, DEC(10000));
	cr_assert_eq(sol->max_position_usdt, DEC(30));
}

Test(bot_files, early_file_warnings_are_said_once)
{
	struct loaded *L = load_file("tests/config/bot_settings_2025-09-21.json");
	const struct config_diag *d = &L->d;

	cr_assert_eq(L->rc, 0);
	/* 0.4 % cannot be a whole percent: rounded up, which only adds headroom */
	cr_assert_eq(L->live.rate_limit_buffer_pct, 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 14,
	                        "globals.rate_limit_buffer_pct: 0.4 is not a whole number; "
	                        "rounded up to 1"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 5, "globals.db_path: ignored"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 15, "globals.order_status_check_interval"), 1);
	/* per-symbol keys: one warning naming the first symbol and the others' count */
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 0, "trailing_callback_rate"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 33,
	                        "symbols.BTCUSDT.trailing_callback_rate: ignored: trailing stops "
	                        "are not modelled yet; the fixed stop is used (also in 8 other "
	                        "symbols)"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 0, "trailing_activation_pct"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 31,
	                        "symbols.BTCUSDT.use_trailing_stop: trailing stops are not "
	                        "modelled yet"), 1);
	cr_assert_eq(count_msgs(d, CONFIG_WARNING, 62, "symbols.SOLUSDT.hedge_position_side"), 1);
	cr_assert_eq(d->nwarnings, 7);
	cr_assert(config_find_symbol(&L->s, "BTCUSDT")->use_trailing_stop);
}

Test(bot_files, warnings_come_in_file_order)
{
	struct loaded *L = load_file("tests/config/bot_settings_2025-09-21.json");

	for (uint32_t i = 1; i < L->d.n; i++)
		if (!strncmp(L->d.msgs[i].text, "symbols.", 8) &&
		    !strncmp(L->d.msgs[i - 1].text, "symbols.", 8))
			cr_assert_leq(L->d.msgs[i - 1].line, L->d.msgs[i].line);
}
