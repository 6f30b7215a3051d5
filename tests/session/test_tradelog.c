/*
 * Known-answer tests of the trade-log hash: the lines of docs/backtest.md,
 * written out by hand here, must hash to what the backtest computes. The
 * format is a contract (golden files and users compare hashes), so a change
 * to it must fail here first.
 */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* An internal piece of the session module, tested on its own. */
#include "session_int.h"

static void sha256_hex(const char *text, char out[65])
{
	unsigned char md[32];
	unsigned int n;
	EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static order_req entry(void)
{
	order_req o = {.symbol = "BTCUSDT", .client_id = "e1", .side = SIDE_BUY,
	               .pos_side = PS_LONG, .type = OT_LIMIT, .tif = TIF_GTC,
	               .price = 6123450000000, .qty = 200000};
	return o;
}

Test(tradelog, empty_log_is_the_hash_of_nothing)
{
	struct tradelog t;
	char got[65];
	cr_assert_eq(ss_tradelog_init(&t), 0);
	ss_tradelog_final(&t, got);
	cr_assert_str_eq(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(tradelog, lines_are_the_documented_ones)
{
	struct tradelog t;
	cr_assert_eq(ss_tradelog_init(&t), 0);
	order_req o = entry();
	ss_tradelog_place(&t, 1000, &o);

	ev_t fill = {.type = EV_ORDER_UPDATE, .symbol = "BTCUSDT", .exch_ms = 1100};
	snprintf(fill.u.order.client_id, CLIENT_ID_MAX, "e1");
	fill.u.order.side = SIDE_BUY;
	fill.u.order.pos_side = PS_LONG;
	fill.u.order.exec = EXEC_TRADE;
	fill.u.order.last_price = 6123450000000;
	fill.u.order.last_qty = 200000;
	fill.u.order.commission = 1224690;
	fill.u.order.maker = true;
	fill.u.order.trade_id = 7;
	ss_tradelog_fill(&t, &fill);

	order_req tp = {.symbol = "BTCUSDT", .client_id = "t1", .side = SIDE_SELL,
	                .pos_side = PS_LONG, .type = OT_STOP_MARKET, .stop_price = 6000000000000,
	                .qty = 200000, .working_type = WT_MARK_PRICE, .price_protect = true};
	ss_tradelog_replace(&t, 1200, "t0", &tp);
	ss_tradelog_cancel(&t, 1300, "BTCUSDT", "t1");
	cr_assert_eq(t.lines, 4);

	char got[65], want[65];
	ss_tradelog_final(&t, got);
	sha256_hex("place 1000 BTCUSDT e1 BUY LONG LIMIT GTC 61234.5 0.002 0 - 0 0 0\n"
	           "fill 1100 BTCUSDT e1 BUY LONG 61234.5 0.002 0.0122469 maker 7\n"
	           "replace 1200 t0 BTCUSDT t1 SELL LONG STOP_MARKET - 0 0.002 60000 MARK_PRICE 0 0 1\n"
	           "cancel 1300 BTCUSDT t1\n",
	           want);
	cr_assert_str_eq(got, want);
}

/* Place lines are hashed late (after the order's request is on its way),
 * yet in their place: before a fill that follows them, and however many
 * are waiting. */
Test(tradelog, held_place_lines_keep_their_order)
{
	struct tradelog t;
	cr_assert_eq(ss_tradelog_init(&t), 0);
	char want_text[4096] = "", line[128], got[65], want[65];
	for (int i = 1; i <= 3 * TRADELOG_HELD; i++) {
		order_req o = entry();
		snprintf(o.client_id, CLIENT_ID_MAX, "e%d", i);
		ss_tradelog_place(&t, 1000 + i, &o);
		snprintf(line, sizeof line,
		         "place %d BTCUSDT e%d BUY LONG LIMIT GTC 61234.5 0.002 0 - 0 0 0\n", 1000 + i, i);
		strcat(want_text, line);
		if (i == 3) {
			ss_tradelog_cancel(&t, 2000, "BTCUSDT", "e1");
			strcat(want_text, "cancel 2000 BTCUSDT e1\n");
		}
	}
	ss_tradelog_final(&t, got);
	cr_assert_eq(t.lines, 3 * TRADELOG_HELD + 1);
	sha256_hex(want_text, want);
	cr_assert_str_eq(got, want);
}
