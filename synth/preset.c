/*
 * preset.c - the symbols the synthesizer can make, with the trading rules
 * Aster's exchangeInfo gave for them (January 2026) and the parameters of
 * their simulated market: price level, volatility, activity and liquidation
 * sizes of the same order as the real pairs (liquidation scales put the
 * median where Binance's throttled stream had it during the sell-off of
 * 2025-01-27). Rules are kept as the exchange
 * prints them and parsed exactly, so the table reads like the real payload.
 */
#include <stdio.h>
#include <string.h>

#include "synth_int.h"

/* Columns: symbol; price, tick, min and max price, step, min and max qty,
 * market max qty, PERCENT_PRICE band, maint margin %, trigger protect (as
 * exchangeInfo prints them); price and qty precision; then the model: annual
 * volatility, book changes/s, trades/s, trade USDT, level USDT,
 * liquidations/s per side, liquidation USDT, impact of 100k USDT in bps. */
static const struct preset presets[] = {
	{"BTCUSDT", "91000", "0.1", "1", "1000000", "0.001", "0.001", "1000", "120", "0.02",
	 "2.5", "0.02", 1, 3, 0.45, 25, 8, 200, 30000, 1.0 / 240, 700, 6.0},
	{"ETHUSDT", "3100", "0.10", "39.90", "1000000", "0.001", "0.001", "10000", "2000",
	 "0.02", "2.5", "0.02", 2, 3, 0.60, 20, 6, 150, 20000, 1.0 / 240, 370, 7.0},
	{"SOLUSDT", "140", "0.0100", "0.4200", "100000", "0.01", "0.01", "1000000", "5000",
	 "0.03", "2.5", "0.03", 4, 2, 0.80, 15, 5, 100, 10000, 1.0 / 300, 340, 9.0},
	{"BNBUSDT", "900", "0.100", "6.600", "100000", "0.01", "0.01", "100000", "2000", "0.02",
	 "2.5", "0.02", 3, 2, 0.50, 8, 2, 80, 8000, 1.0 / 600, 200, 10.0},
	{"XRPUSDT", "2.05", "0.0001", "0.0143", "100000", "0.1", "0.1", "1000000", "200000",
	 "0.03", "2.5", "0.03", 4, 1, 0.75, 12, 4, 80, 8000, 1.0 / 400, 250, 10.0},
	{"DOGEUSDT", "0.14", "0.000010", "0.002440", "2000", "1", "1", "10000000", "2000000",
	 "0.02", "2.5", "0.02", 6, 0, 0.90, 10, 4, 60, 6000, 1.0 / 400, 165, 12.0},
};

#define NPRESETS (sizeof presets / sizeof presets[0])

const struct preset *syn_preset_at(size_t i)
{
	return i < NPRESETS ? &presets[i] : NULL;
}

const struct preset *syn_preset_find(const char *symbol, size_t n)
{
	for (size_t i = 0; i < NPRESETS; i++)
		if (strlen(presets[i].symbol) == n && !memcmp(presets[i].symbol, symbol, n))
			return &presets[i];
	return NULL;
}

static int parse(const struct preset *p, const char *field, const char *text, dec_t *out,
                 char *err)
{
	const char *why;
	if (dec_parse(text, strlen(text), out, &why) == 0)
		return 0;
	snprintf(err, SYNTH_ERR_MAX, "preset %s: %s '%s': %s", p->symbol, field, text, why);
	return -1;
}

int syn_preset_rules(const struct preset *p, struct symbol_rules *r, dec_t *price, char *err)
{
	dec_t percent, maint;
	memset(r, 0, sizeof *r);
	copy_str(r->symbol, sizeof r->symbol, p->symbol, strlen(p->symbol));
	if (parse(p, "price", p->price, price, err) || parse(p, "tick", p->tick, &r->tick, err) ||
	    parse(p, "min price", p->min_price, &r->min_price, err) ||
	    parse(p, "max price", p->max_price, &r->max_price, err) ||
	    parse(p, "step", p->step, &r->step, err) ||
	    parse(p, "min qty", p->min_qty, &r->min_qty, err) ||
	    parse(p, "max qty", p->max_qty, &r->max_qty, err) ||
	    parse(p, "market max qty", p->market_max_qty, &r->market_max_qty, err) ||
	    parse(p, "percent", p->percent, &percent, err) ||
	    parse(p, "maint margin", p->maint_margin, &maint, err) ||
	    parse(p, "trigger protect", p->trigger_protect, &r->trigger_protect, err))
		return -1;
	r->trading = true;
	r->market_step = r->step;
	r->market_min_qty = r->min_qty;
	r->min_notional = DEC(5);
	r->max_orders = 200;
	r->max_algo_orders = 10;
	r->percent_up = DEC_ONE + percent;
	r->percent_down = DEC_ONE - percent;
	r->maint_margin_pct = maint;
	r->required_margin_pct = 2 * maint;
	r->liquidation_fee = DEC_ONE / 40; /* 0.025 on every Aster perpetual */
	r->market_take_bound = r->trigger_protect;
	r->price_precision = p->price_precision;
	r->qty_precision = p->qty_precision;
	return 0;
}
