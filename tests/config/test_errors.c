/*
 * Every kind of mistake is an error that names the key's path, the line and
 * what was expected; all of them are reported, and nothing loads.
 */
#include "helpers.h"

/* A settings text with one symbol holding `body` on line 3. */
static struct loaded *symbol_with(const char *body)
{
	static char text[1024];
	snprintf(text, sizeof text, "{\n\"symbols\": {\"BTCUSDT\": {\n%s\n}}}", body);
	return load(text);
}

static struct loaded *globals_with(const char *body)
{
	static char text[1024];
	snprintf(text, sizeof text, "{\"symbols\": {\"BTCUSDT\": {}},\n\"globals\": {\n%s\n}}", body);
	return load(text);
}

Test(errors, wrong_type)
{
	expect_error(symbol_with("\"leverage\": \"ten\""), 3,
	             "symbols.BTCUSDT.leverage: expected an integer 1..125, got \"ten\"");
	expect_error(symbol_with("\"price_protect\": \"false\""), 3,
	             "symbols.BTCUSDT.price_protect: expected true or false, got \"false\"");
	expect_error(symbol_with("\"price_protect\": 0"), 3,
	             "symbols.BTCUSDT.price_protect: expected true or false, got 0");
	expect_error(symbol_with("\"trade_value_usdt\": [1]"), 3,
	             "symbols.BTCUSDT.trade_value_usdt: expected a decimal number > 0, got an array");
	expect_error(symbol_with("\"stop_loss_pct\": null"), 3,
	             "symbols.BTCUSDT.stop_loss_pct: expected a decimal number > 0 and <= 100, "
	             "got null");
	expect_error(globals_with("\"simulate_only\": {}"), 3,
	             "globals.simulate_only: expected true or false, got an object");
}

Test(errors, out_of_range)
{
	expect_error(symbol_with("\"leverage\": 126"), 3,
	             "symbols.BTCUSDT.leverage: expected an integer 1..125, got 126");
	expect_error(symbol_with("\"leverage\": 0"), 3,
	             "symbols.BTCUSDT.leverage: expected an integer 1..125, got 0");
	expect_error(symbol_with("\"trade_value_usdt\": -5"), 3,
	             "symbols.BTCUSDT.trade_value_usdt: expected a decimal number > 0, got -5");
	expect_error(symbol_with("\"volume_threshold_long\": 0"), 3,
	             "symbols.BTCUSDT.volume_threshold_long: expected a decimal number > 0, got 0");
	expect_error(symbol_with("\"volume_threshold\": -1"), 3,
	             "symbols.BTCUSDT.volume_threshold: expected a decimal number > 0, got -1");
	expect_error(symbol_with("\"take_profit_pct\": 100"), 3,
	             "symbols.BTCUSDT.take_profit_pct: expected a decimal number > 0 and < 100, "
	             "got 100");
	expect_error(symbol_with("\"price_offset_pct\": -0.1"), 3,
	             "symbols.BTCUSDT.price_offset_pct: expected a decimal number >= 0 and < 100, "
	             "got -0.1");
	expect_error(symbol_with("\"cooldown_seconds\": -1"), 3,
	             "symbols.BTCUSDT.cooldown_seconds: expected a number of seconds 0..86400, got -1");
	expect_error(globals_with("\"volume_window_sec\": 0"), 3,
	             "globals.volume_window_sec: expected a number of seconds > 0 and <= 86400, "
	             "got 0");
	expect_error(globals_with("\"max_open_orders_per_symbol\": 0"), 3,
	             "globals.max_open_orders_per_symbol: expected an integer 1..200, got 0");
	expect_error(globals_with("\"rate_limit_buffer_pct\": 99.5"), 3,
	             "globals.rate_limit_buffer_pct: expected an integer 0..99, got 99.5");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"simulation\": {\"taker_fee_pct\": 2}}"), 2,
	             "simulation.taker_fee_pct: expected a percentage 0..1, got 2");
}

Test(errors, unknown_enum_spelling)
{
	expect_error(symbol_with("\"margin_type\": \"cross\""), 3,
	             "symbols.BTCUSDT.margin_type: expected one of \"CROSSED\", \"ISOLATED\", "
	             "got \"cross\"");
	expect_error(symbol_with("\"trade_side\": \"opposite\""), 3,
	             "symbols.BTCUSDT.trade_side: expected one of \"OPPOSITE\", \"SAME\", "
	             "got \"opposite\"");
	expect_error(symbol_with("\"working_type\": 1"), 3,
	             "symbols.BTCUSDT.working_type: expected one of \"CONTRACT_PRICE\", "
	             "\"MARK_PRICE\", got 1");
	expect_error(globals_with("\"time_in_force\": \"GTD\""), 3,
	             "globals.time_in_force: expected one of \"GTC\", \"IOC\", \"FOK\", \"GTX\", "
	             "\"HIDDEN\", got \"GTD\"");
	expect_error(globals_with("\"volume_window_mode\": \"BOTH\""), 3,
	             "globals.volume_window_mode: expected one of \"PER_SIDE\", \"COMBINED\", "
	             "got \"BOTH\"");
}

Test(errors, unknown_keys_say_where_they_belong)
{
	expect_error(globals_with("\"volume_window_secs\": 60"), 3,
	             "globals.volume_window_secs: unknown key (did you mean \"volume_window_sec\"?)");
	expect_error(globals_with("\"leverage\": 10"), 3,
	             "globals.leverage: unknown key (it belongs in symbols.<SYMBOL>)");
	expect_error(symbol_with("\"hedge_mode\": true"), 3,
	             "symbols.BTCUSDT.hedge_mode: unknown key (it belongs in globals)");
	expect_error(symbol_with("\"batch_orders\": true"), 3,
	             "symbols.BTCUSDT.batch_orders: unknown key (it belongs in globals)");
	expect_error(symbol_with("\"colour\": \"red\""), 3, "symbols.BTCUSDT.colour: unknown key");
	expect_error(symbol_with("\"a b\\n\": 1"), 3, "symbols.BTCUSDT.\"a b\\n\": unknown key");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"ETHUSDT\": {}}"), 2,
	             "ETHUSDT: unknown key at the top level: expected \"globals\", \"symbols\" or "
	             "\"simulation\" (symbols go inside \"symbols\")");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"hedge_mode\": true}"), 2,
	             "hedge_mode: unknown key at the top level: expected \"globals\", \"symbols\" "
	             "or \"simulation\" (it belongs in globals)");
}

Test(errors, keys_given_twice)
{
	expect_error(symbol_with("\"leverage\": 5,\n\"leverage\": 6"), 4,
	             "symbols.BTCUSDT.leverage: given twice (first on line 3)");
	expect_error(load("{\"symbols\": {\n\"A\": {},\n\"B\": {},\n\"A\": {}}}"), 4,
	             "symbols.A: given twice (first on line 2)");
	expect_error(load("{\"symbols\": {\"A\": {}},\n\"globals\": {},\n\"globals\": {}}"), 3,
	             "globals: given twice (first on line 2)");
}

Test(errors, bad_symbols)
{
	expect_error(load("{\"symbols\": {\n\"btcusdt\": {}}}"), 2,
	             "symbols.btcusdt: not a symbol: expected upper-case letters and digits, "
	             "at most 23, such as \"BTCUSDT\"");
	expect_error(load("{\"symbols\": {\n\"BTC-USDT\": {}}}"), 2,
	             "symbols.\"BTC-USDT\": not a symbol: expected upper-case letters and digits, "
	             "at most 23, such as \"BTCUSDT\"");
	expect_error(load("{\"symbols\": {\n\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\": {}}}"), 2,
	             "symbols.ABCDEFGHIJKLMNOPQRSTUVWXYZ: not a symbol: expected upper-case letters "
	             "and digits, at most 23, such as \"BTCUSDT\"");
	expect_error(load("{\"symbols\": {\n\"BTCUSDT\": 10000}}"), 2,
	             "symbols.BTCUSDT: expected an object of symbol settings, got 10000");
	expect_error(load("{\"symbols\": {}}"), 1, "symbols: empty: name at least one symbol to trade");
	expect_error(load("{\"globals\": {}}"), 0,
	             "symbols: missing: name at least one symbol to trade, e.g. "
	             "\"symbols\": {\"BTCUSDT\": {}}");
	expect_error(load("{\"symbols\": [\"BTCUSDT\"]}"), 1,
	             "symbols: expected an object of symbols (\"BTCUSDT\": {...}), got an array");
	expect_error(load("{\"symbols\": {\"A\": {}}, \"globals\": 3}"), 1,
	             "globals: expected an object of global settings, got 3");
}

Test(errors, not_json)
{
	expect_error(load(""), 0, "empty: expected a JSON object");
	expect_error(load("[1, 2]"), 1,
	             "top level: expected an object with \"globals\" and \"symbols\", got an array");
	expect_error(load("{\n  \"symbols\": {\"A\": {},}\n}"), 2,
	             "byte 25 (column 24): invalid JSON near \"symbols\\\": {\\\"A\\\": {},}\"");
	expect_error(load("{\"symbols\": {\"A\": {}}} x"), 1,
	             "byte 23 (column 24): unexpected text after the settings object near "
	             "\"ymbols\\\": {\\\"A\\\": {}}} x\"");
	expect_error(load("{\"symbols\": {\"A\": {}}}\n\n{}"), 3,
	             "byte 24 (column 1): unexpected text after the settings object near \"{}\"");
	expect_error(load("{\"symbols\": {\"A\": {}}, /* note */ }"), 1,
	             "byte 24 (column 25): invalid JSON near "
	             "\"mbols\\\": {\\\"A\\\": {}}, /* note */ }\"");
}

Test(errors, nul_byte_and_size)
{
	static const char text[] = "{\"symbols\":\n {\"A\": {}}\0}";
	struct settings s;
	struct sim_params sim;
	static struct config_diag d;

	cr_assert_eq(config_load_text(text, sizeof text - 1, &s, NULL, &sim, &d), -1);
	cr_assert_eq(d.msgs[0].line, 2);
	cr_assert_str_eq(d.msgs[0].text, "byte 22 (column 11): NUL byte: not a text file");

	size_t big = CONFIG_TEXT_MAX + 1;
	char *huge = malloc(big);
	cr_assert_not_null(huge);
	memset(huge, ' ', big);
	cr_assert_eq(config_load_text(huge, big, &s, NULL, &sim, &d), -1);
	cr_assert_str_eq(d.msgs[0].text, "too large: 4194305 bytes (at most 4194304)");
	free(huge);
}

Test(errors, missing_file)
{
	struct settings s;
	struct sim_params sim;
	static struct config_diag d;

	cr_assert_eq(config_load_file("/nonexistent/settings.json", &s, NULL, &sim, &d), -1);
	cr_assert_eq(d.nerrors, 1);
	cr_assert_str_eq(d.msgs[0].text, "cannot read: No such file or directory");
	cr_assert_eq(config_load_file(HUNTER_SOURCE_DIR, &s, NULL, &sim, &d), -1, "a folder");
	cr_assert_eq(d.nerrors, 1);
	cr_assert_str_eq(d.msgs[0].text, "cannot read: Is a directory");
}

Test(errors, all_are_collected)
{
	struct loaded *L = load("{\n"
	                        "\"globals\": {\"hedge_mode\": 1, \"order_ttl_seconds\": -1},\n"
	                        "\"symbols\": {\n"
	                        "  \"BTCUSDT\": {\"leverage\": 500, \"bogus\": 1},\n"
	                        "  \"ETHUSDT\": {\"trade_value_usdt\": \"x\"},\n"
	                        "  \"bad\": {}\n"
	                        "},\n"
	                        "\"simulation\": {\"seed\": 1.5}\n"
	                        "}");

	cr_assert_eq(L->rc, -1);
	cr_assert_eq(L->d.nerrors, 7);
	cr_assert_eq(L->d.n, 7);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 2, "globals.hedge_mode"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 2, "globals.order_ttl_seconds"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 4, "symbols.BTCUSDT.leverage"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 4, "symbols.BTCUSDT.bogus"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 5, "symbols.ETHUSDT.trade_value_usdt"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 6, "symbols.bad"), 1);
	cr_assert_eq(count_msgs(&L->d, CONFIG_ERROR, 8, "simulation.seed"), 1);
}

Test(errors, only_the_first_hundred_are_kept)
{
	size_t cap = 300 * 16 + 64, len = 0;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text + len, cap - len, "{\"symbols\": {\"A\": {}}, \"globals\": {");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\"k%d\": 1", i ? "," : "", i);
	snprintf(text + len, cap - len, "}}");
	struct loaded *L = load(text);
	free(text);

	cr_assert_eq(L->d.nerrors, 300);
	cr_assert_eq(L->d.n, CONFIG_DIAG_MAX);
}

Test(errors, printed_for_people_and_programs)
{
	struct loaded *L = load("{\"symbols\": {\"A\": {\"leverage\": \"ten\"}},\n"
	                        "\"globals\": {\"batch_orders\": true}}");
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	config_diag_print(f, "s.json", &L->d);
	fflush(f);
	cr_assert_str_eq(buf, "s.json:1: error: symbols.A.leverage: expected an integer 1..125, "
	                      "got \"ten\"\n"
	                      "s.json:2: warning: globals.batch_orders: ignored: hunter sends each "
	                      "order when the engine decides it; there is no batching\n");
	rewind(f);
	cr_assert_eq(config_diag_write_json(f, &L->d), 0);
	fputc('\0', f);
	fclose(f);
	cr_assert_str_eq(buf, "{\"errors\":[{\"line\":1,\"message\":\"symbols.A.leverage: expected "
	                      "an integer 1..125, got \\\"ten\\\"\"}],\"warnings\":[{\"line\":2,"
	                      "\"message\":\"globals.batch_orders: ignored: hunter sends each order "
	                      "when the engine decides it; there is no batching\"}],"
	                      "\"errors_total\":1,\"warnings_total\":1}");
	free(buf);
}
