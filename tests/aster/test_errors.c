/* Unit tests for bad input: every malformed frame is ASTER_ERROR with a
 * reason naming the shape, the field and what was wrong, and delivers no
 * event at all. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static int count_sink(void *ctx, const ev_t *ev)
{
	(void)ev;
	++*(int *)ctx;
	return 0;
}

/* Parses `len` bytes expecting an error whose text contains `reason`. */
static void bad_n(const char *json, size_t len, const char *reason)
{
	aster_parser_t *p = aster_parser_new();
	struct aster_result r;
	int delivered = 0;
	int n = aster_parse(p, json, len, NULL, count_sink, &delivered, &r);
	cr_assert_eq(r.status, ASTER_ERROR, "%.80s: should fail (%s)", json, r.what);
	cr_assert_eq(n, -1);
	cr_assert_eq(delivered, 0, "a bad frame delivers nothing");
	cr_assert_eq(r.nevents, 0);
	cr_assert(strstr(r.err, reason), "%.80s:\n  reason \"%s\"\n  lacks \"%s\"", json, r.err,
	          reason);
	aster_parser_free(p);
}

static void bad(const char *json, const char *reason)
{
	bad_n(json, strlen(json), reason);
}

#define AGG(fields) "{\"e\":\"aggTrade\",\"E\":1,\"s\":\"BTCUSDT\",\"a\":1," fields "}"
#define AGG_OK_TAIL "\"f\":1,\"l\":1,\"T\":1,\"m\":true"

Test(errors, invalid_json_says_where)
{
	bad("{\"e\":\"aggTrade\",\"E\":1", "frame: invalid JSON at byte 20 of 21, near \"1\"");
	bad("{\"e\":\"gap\" \"E\":1}", "invalid JSON at byte 11 of 17, near \"\"E\":1}\"");
	bad("{\"e\":\"gap\",\"E\":1,\"kind\":\"import\",\"from\":0,\"reason\":\"\"} x",
	    "unexpected data at byte 55 after the value");
	bad("", "invalid JSON at byte 0 of 0");
	bad_n("{\"e\":\"ga\0p\"}", 12, "frame: invalid JSON: NUL byte at byte 8");
	bad("{\"a\":1,}", "invalid JSON");
}

Test(errors, wrong_json_types)
{
	bad(AGG("\"p\":61234.5,\"q\":\"1\"," AGG_OK_TAIL),
	    "aggTrade: field \"p\": expected a decimal string, got a number");
	bad(AGG("\"p\":1e-5,\"q\":\"1\"," AGG_OK_TAIL), "field \"p\": expected a decimal string");
	bad("{\"e\":\"aggTrade\",\"E\":\"1626992741575\",\"s\":\"X\",\"a\":1,\"p\":\"1\",\"q\":\"1\","
	    AGG_OK_TAIL "}",
	    "aggTrade: field \"E\": expected an integer, got a string");
	bad(AGG("\"p\":\"1\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1,\"m\":\"true\""),
	    "field \"m\": expected a boolean, got a string");
	bad(AGG("\"p\":null,\"q\":\"1\"," AGG_OK_TAIL), "field \"p\": expected a decimal string, got null");
	bad("{\"e\":5}", "field \"e\": expected a string, got a number");
	bad("{\"e\":\"forceOrder\",\"E\":1,\"o\":[]}", "forceOrder: field \"o\": expected an object, got an array");
}

Test(errors, malformed_numbers)
{
	bad(AGG("\"p\":\"1e-5\",\"q\":\"1\"," AGG_OK_TAIL),
	    "aggTrade: field \"p\": bad decimal \"1e-5\": exponent notation is not allowed");
	bad(AGG("\"p\":\"0.000000001\",\"q\":\"1\"," AGG_OK_TAIL), "more than 8 decimal places");
	bad(AGG("\"p\":\"\",\"q\":\"1\"," AGG_OK_TAIL), "bad decimal \"\": empty number");
	bad(AGG("\"p\":\" 1\",\"q\":\"1\"," AGG_OK_TAIL), "bad decimal");
	bad("{\"e\":\"aggTrade\",\"E\":1.5,\"s\":\"X\",\"a\":1,\"p\":\"1\",\"q\":\"1\"," AGG_OK_TAIL "}",
	    "field \"E\": expected an integer, got 1.5");
	bad("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"X\",\"a\":9223372036854775808,\"p\":\"1\",\"q\":\"1\","
	    AGG_OK_TAIL "}",
	    "field \"a\": integer out of range: 9223372036854775808");
	bad("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"X\",\"a\":1e300,\"p\":\"1\",\"q\":\"1\"," AGG_OK_TAIL "}",
	    "field \"a\": expected an integer, got 1e300");
}

Test(errors, missing_fields)
{
	bad(AGG("\"p\":\"1\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":1"), "aggTrade: field \"m\": missing");
	bad("{\"e\":\"forceOrder\",\"E\":1,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\","
	    "\"f\":\"IOC\",\"q\":\"1\",\"p\":\"1\",\"X\":\"FILLED\",\"l\":\"1\",\"z\":\"1\",\"T\":1}}",
	    "forceOrder: field \"o.ap\": missing");
	bad("{\"e\":\"forceOrder\",\"E\":1}", "forceOrder: field \"o\": missing");
	bad("{\"stream\":\"btcusdt@aggTrade\"}", "stream wrapper: field \"data\": missing");
	bad("{\"lastUpdateId\":1,\"s\":\"X\",\"bids\":[]}", "depth snapshot: field \"asks\": missing");
	bad("{\"symbols\":[]}", "exchangeInfo: field \"serverTime\": missing");
}

Test(errors, unknown_spellings)
{
	bad("{\"e\":\"forceOrder\",\"E\":1,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SIDEWAYS\",\"o\":\"LIMIT\","
	    "\"f\":\"IOC\",\"q\":\"1\",\"p\":\"1\",\"ap\":\"1\",\"X\":\"FILLED\",\"l\":\"1\",\"z\":\"1\","
	    "\"T\":1}}",
	    "forceOrder: field \"o.S\": unknown value \"SIDEWAYS\"");
	bad("{\"e\":\"ACCOUNT_UPDATE\",\"E\":1,\"T\":1,\"a\":{\"m\":\"ORDER\",\"P\":[{\"s\":\"X\","
	    "\"pa\":\"1\",\"ep\":\"1\",\"cr\":\"0\",\"up\":\"0\",\"mt\":\"portfolio\",\"iw\":\"0\","
	    "\"ps\":\"BOTH\"}]}}",
	    "ACCOUNT_UPDATE: field \"a.P[0].mt\": unknown value \"portfolio\"");
	bad("{\"e\":\"depthUpdate5\",\"E\":1}", "event: unknown event type \"depthUpdate5\"");
	bad("{\"e\":\"gap\",\"E\":1,\"kind\":\"eclipse\",\"from\":0,\"reason\":\"\"}",
	    "gap: field \"kind\": unknown value \"eclipse\"");
}

Test(errors, shapes_that_are_not_frames)
{
	bad("42", "frame: expected an object or array, got a number");
	bad("{\"foo\":1}", "not an event");
	bad("[1]", "element 0: array: expected an object, got a number");
	bad("[[1499040000000,\"0.01634790\"]]", "element 0: array: expected an object, got an array");
	bad("{\"stream\":\"x\",\"data\":\"text\"}",
	    "stream wrapper: field \"data\": expected an object or array, got a string");
}

Test(errors, sizes_and_limits)
{
	bad(AGG("\"s\":\"BTCUSDTBTCUSDTBTCUSDTBTCUSDT\",\"p\":\"1\",\"q\":\"1\"," AGG_OK_TAIL),
	    "duplicate key");
	bad("{\"e\":\"aggTrade\",\"E\":1,\"s\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\",\"a\":1,\"p\":\"1\","
	    "\"q\":\"1\"," AGG_OK_TAIL "}",
	    "field \"s\": \"ABCDEFGHIJKLMNOPQRSTUVWXYZ\" is longer than 23 characters");
	bad("{\"e\":\"depthUpdate\",\"E\":1,\"T\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"pu\":0,"
	    "\"b\":[[\"1\"]],\"a\":[]}",
	    "depthUpdate: field \"b[0]\": expected [price, quantity]");
	bad("{\"e\":\"depthUpdate\",\"E\":1,\"T\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"pu\":0,"
	    "\"b\":[],\"a\":[[\"1\",2]]}",
	    "depthUpdate: field \"a[0][1]\": expected a decimal string, got a number");
}

/* Builds `[item,item,...]` with n items inside `head` ... `tail`. */
static char *repeat(const char *head, const char *item, size_t n, const char *tail)
{
	size_t hl = strlen(head), il = strlen(item), tl = strlen(tail);
	char *s = malloc(hl + n * (il + 1) + tl + 1);
	cr_assert(s);
	char *w = s;
	memcpy(w, head, hl);
	w += hl;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*w++ = ',';
		memcpy(w, item, il);
		w += il;
	}
	memcpy(w, tail, tl + 1);
	return s;
}

Test(errors, huge_arrays_are_refused)
{
	char *depth = repeat("{\"e\":\"depthUpdate\",\"E\":1,\"T\":1,\"s\":\"X\",\"U\":1,\"u\":2,"
	                     "\"pu\":0,\"a\":[],\"b\":[",
	                     "[\"1\",\"1\"]", ASTER_LEVELS_MAX + 1, "]}");
	bad(depth, "depthUpdate: field \"b\": more than 10000 items");
	free(depth);
	char *arr = repeat("[", "{\"e\":\"kline\"}", ASTER_LIST_MAX + 1, "]");
	bad(arr, "array: more than 10000 items");
	free(arr);
	char *deep = repeat("", "[", 5000, "");
	bad(deep, "invalid JSON");
	free(deep);
}

Test(errors, oversized_frame)
{
	size_t n = (size_t)ASTER_FRAME_MAX + 1;
	char *big = calloc(n, 1);
	cr_assert(big);
	bad_n(big, n, "over the 16777216-byte limit");
	free(big);
}

Test(errors, one_bad_element_spoils_the_array)
{
	bad("[{\"e\":\"gap\",\"E\":1,\"kind\":\"import\",\"from\":0,\"reason\":\"\"},"
	    "{\"e\":\"gap\",\"E\":1,\"kind\":\"import\",\"from\":0}]",
	    "element 1: gap: field \"reason\": missing");
}

Test(errors, exchange_info_paths)
{
	bad("{\"serverTime\":1,\"symbols\":[{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\","
	    "\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"1\",\"maxPrice\":\"2\","
	    "\"tickSize\":0.1}]}]}",
	    "exchangeInfo: field \"symbols[0].filters[0].tickSize\": expected a decimal string, got a number");
	bad("{\"serverTime\":1,\"symbols\":[{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\","
	    "\"filters\":[{\"minPrice\":\"1\"}]}]}",
	    "field \"symbols[0].filters[0]\": expected an object with a filterType string");
}
