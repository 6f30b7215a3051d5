/*
 * Orders as Aster's request parameters: the exact text hunter signs, the
 * round trip through the decoder `hunter serve` uses, and the decoder's
 * answers to what Aster itself refuses, with Aster's codes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "exchange_aster.h"

static order_req limit_buy(void)
{
	order_req r = {.symbol = "BTCUSDT", .client_id = "Hm6fahase-6E", .side = SIDE_BUY,
	               .pos_side = PS_LONG, .type = OT_LIMIT, .tif = TIF_GTC,
	               .price = 5994000000000, .qty = 1600000};
	return r;
}

static void round_trip(const order_req *r, const char *want)
{
	char buf[XA_PARAMS_MAX], msg[160];
	const char *why = NULL;
	size_t n = xa_order_encode(r, buf, &why);
	cr_assert_gt(n, 0, "refused: %s", why);
	cr_assert_str_eq(buf, want);
	order_req back;
	cr_assert_eq(xa_order_decode(buf, n, &back, msg, sizeof msg), 0, "%s", msg);
	cr_assert_eq(memcmp(&back, r, sizeof back), 0, "decode(encode(r)) != r for %s", buf);
}

Test(order, exact_text_of_each_kind)
{
	order_req r = limit_buy();
	round_trip(&r, "symbol=BTCUSDT&side=BUY&positionSide=LONG&type=LIMIT&timeInForce=GTC"
	               "&quantity=0.016&price=59940&newClientOrderId=Hm6fahase-6E");
	order_req sl = {.symbol = "ETHUSDT", .client_id = "h:1/sl.2", .side = SIDE_SELL,
	                .pos_side = PS_BOTH, .type = OT_STOP_MARKET, .qty = 6500000,
	                .stop_price = 304500000000, .working_type = WT_MARK_PRICE,
	                .reduce_only = true, .price_protect = true};
	round_trip(&sl, "symbol=ETHUSDT&side=SELL&positionSide=BOTH&type=STOP_MARKET"
	                "&quantity=0.065&stopPrice=3045&workingType=MARK_PRICE&priceProtect=TRUE"
	                "&reduceOnly=true&newClientOrderId=h%3A1%2Fsl.2");
	order_req close = {.symbol = "SOLUSDT", .client_id = "c1", .side = SIDE_BUY,
	                   .pos_side = PS_SHORT, .type = OT_TAKE_PROFIT_MARKET,
	                   .stop_price = 22812000000, .working_type = WT_CONTRACT_PRICE,
	                   .close_position = true};
	round_trip(&close, "symbol=SOLUSDT&side=BUY&positionSide=SHORT&type=TAKE_PROFIT_MARKET"
	                   "&stopPrice=228.12&workingType=CONTRACT_PRICE&closePosition=true"
	                   "&newClientOrderId=c1");
	order_req mkt = {.symbol = "1000PEPEUSDT", .client_id = "m", .side = SIDE_SELL,
	                 .pos_side = PS_BOTH, .type = OT_MARKET, .qty = 1};
	round_trip(&mkt, "symbol=1000PEPEUSDT&side=SELL&positionSide=BOTH&type=MARKET"
	                 "&quantity=0.00000001&newClientOrderId=m");
}

static void unsendable(order_req r, const char *why_part)
{
	char buf[XA_PARAMS_MAX];
	const char *why = NULL;
	cr_assert_eq(xa_order_encode(&r, buf, &why), 0);
	cr_assert(why && strstr(why, why_part), "reason '%s' lacks '%s'", why, why_part);
}

Test(order, the_encoder_refuses_what_aster_would)
{
	order_req r = limit_buy();
	r.qty = 0;
	unsendable(r, "quantity");
	r = limit_buy();
	r.price = 0;
	unsendable(r, "price");
	r = limit_buy();
	strcpy(r.client_id, "has space");
	unsendable(r, "client order id");
	r = limit_buy();
	strcpy(r.client_id, "0123456789012345678901234567890123456"); /* 37 */
	unsendable(r, "client order id");
	r = limit_buy();
	strcpy(r.symbol, "btcusdt");
	unsendable(r, "symbol");
	r = limit_buy();
	r.close_position = true;
	unsendable(r, "closePosition");
	r = limit_buy();
	r.tif = 0;
	unsendable(r, "time in force");
}

static void refused(const char *params, int code, const char *msg_part)
{
	order_req r;
	char msg[160] = "";
	int rc = xa_order_decode(params, strlen(params), &r, msg, sizeof msg);
	cr_assert_eq(rc, code, "%s: code %d (%s), want %d", params, rc, msg, code);
	cr_assert(strstr(msg, msg_part), "%s: message '%s' lacks '%s'", params, msg, msg_part);
}

Test(order, the_decoder_answers_like_aster)
{
	refused("side=BUY&type=MARKET&quantity=1", -1102, "'symbol'");
	refused("symbol=BTCUSDT&side=UP&type=MARKET&quantity=1", -1117, "side");
	refused("symbol=BTCUSDT&side=BUY&type=ICEBERG&quantity=1", -1116, "orderType");
	refused("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=1", -1102, "'timeInForce'");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&price=5", -1106, "'price'");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0", -4003, "'quantity'");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1e3", -4003, "'quantity'");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&quantity=2", -1101, "Duplicate");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&colour=red", -1104, "colour");
	refused("symbol=btc&side=BUY&type=MARKET&quantity=1", -1121, "btc");
	refused("symbol=BTCUSDT&side=BUY&type=STOP_MARKET&quantity=1", -1102, "'stopPrice'");
	refused("symbol=BTCUSDT&side=BUY&type=STOP_MARKET&stopPrice=1&closePosition=true"
	        "&quantity=1", -4137, "closePosition");
	refused("symbol=BTCUSDT&side=BUY&positionSide=UP&type=MARKET&quantity=1", -4061,
	        "positionSide");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=a%20b", -1102,
	        "newClientOrderId");
	refused("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&reduceOnly=maybe", -1102,
	        "reduceOnly");
	refused("symbol=BTC%ZZ&side=BUY&type=MARKET&quantity=1", -1102, "symbol");
	refused("symbol=BTCUSDT&side=BUY&type=TRAILING_STOP_MARKET&callbackRate=1", -1104,
	        "callbackRate");
}

Test(order, signature_parameters_are_left_to_authentication)
{
	const char *p = "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.5&recvWindow=5000"
	                "&timestamp=1700000000000&signature=ab12";
	order_req r;
	char msg[160];
	cr_assert_eq(xa_order_decode(p, strlen(p), &r, msg, sizeof msg), 0, "%s", msg);
	cr_assert_eq(r.qty, 50000000);
	cr_assert_eq(r.pos_side, PS_BOTH, "positionSide defaults to BOTH");
	cr_assert_str_empty(r.client_id, "no id sent: the exchange makes one");
	const char *m = "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1&priceProtect=TRUE";
	cr_assert_eq(xa_order_decode(m, strlen(m), &r, msg, sizeof msg), 0, "%s", msg);
	cr_assert_not(r.price_protect, "priceProtect means something to conditional orders only");
}

/* timeInForce is checked on any order but kept for a LIMIT only: a
 * TAKE_PROFIT_MARKET sent with one (the fuzzer's find) must still come back
 * the same from its own encoding. */
Test(order, time_in_force_of_a_market_order_is_ignored)
{
	static const char p[] = "symbol=SOLUSDT&side=BUY&positionSide=SHORT&type=TAKE_PROFIT_MARKET"
	                        "&stopPrice=456.12&timeInForce=GTC&closePosition=true"
	                        "&newClientOrderId=c1";
	order_req r, back;
	char msg[160], buf[XA_PARAMS_MAX];
	const char *why;
	cr_assert_eq(xa_order_decode(p, strlen(p), &r, msg, sizeof msg), 0, "%s", msg);
	cr_assert_eq(r.tif, 0);
	size_t n = xa_order_encode(&r, buf, &why);
	cr_assert_gt(n, 0);
	cr_assert_eq(xa_order_decode(buf, n, &back, msg, sizeof msg), 0, "%s", msg);
	cr_assert_eq(memcmp(&r, &back, sizeof r), 0);
	refused("symbol=SOLUSDT&side=BUY&type=STOP_MARKET&stopPrice=1&timeInForce=XYZ"
	        "&quantity=1", -1115, "timeInForce");
}
