/*
 * The effective settings: every key with its value, in a stable order, and
 * a text that loads back to the same settings. Also checks that
 * docs/settings.md describes every key and every ignored legacy key.
 */
#include "helpers.h"

static char *effective(const struct loaded *L)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_not_null(f);
	cr_assert_eq(config_write_effective(f, &L->s, &L->live, &L->sim), 0);
	fclose(f);
	return buf;
}

/* Loads `text`, writes it back, loads that, and checks both writes agree. */
static char *round_trip(const char *text)
{
	struct loaded *L = load(text);
	cr_assert_eq(L->rc, 0, "%s", L->d.n ? L->d.msgs[0].text : "");
	char *first = effective(L);
	L = load(first);
	cr_assert_eq(L->rc, 0, "the effective settings must load: %s",
	             L->d.n ? L->d.msgs[0].text : "");
	cr_assert_eq(L->d.nwarnings, (uint32_t)count_msgs(&L->d, CONFIG_WARNING, 0, "use_trailing_stop"),
	             "and without a warning but the one a trailing stop always gets");
	char *second = effective(L);
	cr_assert_str_eq(first, second);
	free(second);
	return first;
}

Test(effective, defaults_in_documented_order)
{
	char *want = read_source_file("tests/config/effective_minimal.json");
	char *got = round_trip("{\"symbols\": {\"BTCUSDT\": {}}}");

	cr_assert_str_eq(got, want);
	free(got);
	free(want);
}

Test(effective, bot_files_round_trip)
{
	static const char *const files[] = {"tests/config/bot_example_settings.json",
	                                    "tests/config/bot_settings_2025-09-21.json",
	                                    "fixtures/settings/demo.json"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *text = read_source_file(files[i]);
		free(round_trip(text));
		free(text);
	}
}

Test(effective, numbers_print_exactly)
{
	char *got = round_trip("{\"symbols\": {\"BTCUSDT\": {\"trade_value_usdt\": 0.55,"
	                       " \"volume_threshold_long\": 1.5e4, \"price_offset_pct\": \"0.00000001\"}},"
	                       " \"simulation\": {\"taker_fee_pct\": 0.0425, \"seed\": 18446744073709551615}}");

	cr_assert(strstr(got, "\"trade_value_usdt\": 0.55,\n"));
	cr_assert(strstr(got, "\"volume_threshold_long\": 15000,\n"));
	cr_assert(strstr(got, "\"price_offset_pct\": 0.00000001,\n"));
	cr_assert(strstr(got, "\"taker_fee_pct\": 0.0425,\n"));
	cr_assert(strstr(got, "\"seed\": 18446744073709551615\n"));
	free(got);
}

/* The key of each "  \"key\": value" line of an effective settings text. */
static void each_key(const char *text, void (*fn)(const char *key, const char *doc),
                     const char *doc)
{
	for (const char *p = strstr(text, "\": "); p; p = strstr(p + 1, "\": ")) {
		const char *q = p;
		while (q > text && q[-1] != '"')
			q--;
		char key[64];
		snprintf(key, sizeof key, "`%.*s`", (int)(p - q), q);
		fn(key, doc);
	}
}

static void documented(const char *key, const char *doc)
{
	cr_assert(strstr(doc, key), "docs/settings.md does not mention %s", key);
}

Test(effective, docs_describe_every_key)
{
	char *doc = read_source_file("docs/settings.md");
	char *text = round_trip("{\"symbols\": {\"BTCUSDT\": {}}}");

	each_key(text, documented, doc);
	documented("`volume_threshold`", doc);
	free(text);
	free(doc);
}

Test(effective, docs_describe_every_ignored_key)
{
	char *doc = read_source_file("docs/settings.md");
	struct loaded *L = load(
		"{\"globals\": {\"batch_orders\": 1, \"order_batch_window_ms\": 1,"
		" \"enable_order_consolidation\": 1, \"use_position_monitor\": 1,"
		" \"instant_tp_enabled\": 1, \"tp_sl_batch_enabled\": 1,"
		" \"price_monitor_reconnect_delay\": 1, \"stale_limit_order_minutes\": 1,"
		" \"order_cleanup_interval_seconds\": 1, \"order_status_check_interval\": 1,"
		" \"open_orders_warning_threshold\": 1, \"max_stop_orders_per_symbol\": 1,"
		" \"buffer_liquidations\": 1, \"liquidation_buffer_ms\": 1, \"db_path\": 1},"
		" \"symbols\": {\"A\": {\"trailing_callback_rate\": 1, \"trailing_activation_pct\": 1,"
		" \"hedge_position_side\": 1, \"position_side\": 1, \"trade_qty\": 1}}}");

	cr_assert_eq(L->rc, 0);
	cr_assert_eq(L->d.nwarnings, 20, "one each");
	for (uint32_t i = 0; i < L->d.n; i++) {
		const char *text = L->d.msgs[i].text, *colon = strstr(text, ": ignored: ");
		cr_assert_not_null(colon, "%s", text);
		const char *dot = colon;
		while (dot[-1] != '.')
			dot--;
		char key[64];
		snprintf(key, sizeof key, "`%.*s`", (int)(colon - dot), dot);
		documented(key, doc);
	}
	free(doc);
}
