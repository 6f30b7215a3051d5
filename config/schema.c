/*
 * schema.c - every key settings.json may hold: its type, range and default,
 * and the member of the engine's or the simulator's struct it fills. The
 * loader and the effective-settings writer both work from these tables, so
 * a key added here is read, checked and written back in one place; its line
 * in docs/settings.md is the only other thing to write.
 *
 * Defaults follow docs/strategy.md and, where that is silent, what the
 * original bot did when a key was missing.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"

/* Enums are stored through an int; these make that assumption loud. */
_Static_assert(sizeof(margin_type_t) == sizeof(int), "enum size");
_Static_assert(sizeof(trade_side_t) == sizeof(int), "enum size");
_Static_assert(sizeof(working_type_t) == sizeof(int), "enum size");
_Static_assert(sizeof(tif_t) == sizeof(int), "enum size");
_Static_assert(sizeof(entry_mode_t) == sizeof(int), "enum size");
_Static_assert(sizeof(tp_mode_t) == sizeof(int), "enum size");
_Static_assert(sizeof(window_mode_t) == sizeof(int), "enum size");

/* The original bot's fallback when a symbol names no threshold at all. */
#define DEFAULT_THRESHOLD DEC(10000)

static const struct spelling window_modes[] = {
	{"PER_SIDE", WINDOW_PER_SIDE}, {"COMBINED", WINDOW_COMBINED}, {NULL, 0}};
/* HIDDEN is Aster's; RPI and GTD are left out: listed by exchangeInfo but
 * undocumented, and GTD needs an expiry hunter does not send. */
static const struct spelling tifs[] = {
	{"GTC", TIF_GTC}, {"IOC", TIF_IOC}, {"FOK", TIF_FOK}, {"GTX", TIF_GTX},
	{"HIDDEN", TIF_HIDDEN}, {NULL, 0}};
static const struct spelling margin_types[] = {
	{"CROSSED", MARGIN_CROSSED}, {"ISOLATED", MARGIN_ISOLATED}, {NULL, 0}};
static const struct spelling trade_sides[] = {
	{"OPPOSITE", TRADE_OPPOSITE}, {"SAME", TRADE_SAME}, {NULL, 0}};
static const struct spelling entry_modes[] = {
	{"LIMIT", ENTRY_LIMIT}, {"MARKET", ENTRY_MARKET}, {NULL, 0}};
static const struct spelling tp_modes[] = {
	{"LIMIT", TP_LIMIT}, {"TAKE_PROFIT_MARKET", TP_MARKET}, {NULL, 0}};
static const struct spelling working_types[] = {
	{"CONTRACT_PRICE", WT_CONTRACT_PRICE}, {"MARK_PRICE", WT_MARK_PRICE}, {NULL, 0}};

#define BOOL(key, T, m) {key, F_BOOL, offsetof(T, m), 0, 0, 0, NULL}
#define LIVE_BOOL(key, m) {key, F_BOOL, offsetof(struct live_settings, m), 0, 0, LIVE, NULL}
#define ENUM(key, T, m, names) {key, F_ENUM, offsetof(T, m), 0, 0, 0, names}
#define NUM(key, kind, T, m, lo, hi, flags) {key, kind, offsetof(T, m), lo, hi, flags, NULL}
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define G struct settings
static const struct field global_fields[] = {
	NUM("volume_window_sec", F_SECONDS, G, volume_window_ms, 0, DEC(86400), LO_OPEN),
	ENUM("volume_window_mode", G, window_mode, window_modes),
	LIVE_BOOL("simulate_only", simulate_only),
	LIVE_BOOL("multi_assets_mode", multi_assets_mode),
	BOOL("hedge_mode", G, hedge_mode),
	NUM("order_ttl_seconds", F_SECONDS, G, order_ttl_ms, 0, DEC(86400), LO_OPEN),
	NUM("max_open_orders_per_symbol", F_INT, G, max_open_orders_per_symbol, DEC(1), DEC(200), 0),
	NUM("max_total_exposure_usdt", F_DEC, G, max_total_exposure_usdt, 0, NO_LIMIT, LO_OPEN),
	NUM("tranche_pnl_increment_pct", F_DEC, G, tranche_pnl_increment_pct, 0, DEC(100),
	    LO_OPEN | HI_OPEN),
	NUM("max_tranches_per_symbol_side", F_INT, G, max_tranches_per_symbol_side, DEC(1), DEC(100), 0),
	NUM("tranche_merge_profit_pct", F_DEC, G, merge_profit_pct, 0, DEC(100), HI_OPEN),
	NUM("unprotected_close_seconds", F_SECONDS, G, unprotected_timeout_ms, 0, DEC(3600), LO_OPEN),
	NUM("max_quote_age_sec", F_SECONDS, G, max_quote_age_ms, 0, DEC(86400), 0),
	NUM("daily_loss_limit_usdt", F_DEC, G, daily_loss_limit_usdt, 0, NO_LIMIT, 0),
	NUM("min_free_margin_usdt", F_DEC, G, min_free_margin_usdt, 0, NO_LIMIT, 0),
	BOOL("use_usdt_volume", G, use_usdt_volume),
	ENUM("time_in_force", G, time_in_force, tifs),
	LIVE_BOOL("set_leverage", set_leverage),
	LIVE_BOOL("set_margin_type", set_margin_type),
	NUM("rate_limit_buffer_pct", F_INT, struct live_settings, rate_limit_buffer_pct, 0, DEC(99),
	    ROUND_UP | LIVE),
};
#undef G

/* The old bot read these globals; hunter has no use for them. */
static const struct legacy global_legacy[] = {
	{"batch_orders", "hunter sends each order when the engine decides it; there is no batching"},
	{"order_batch_window_ms", "hunter does not batch orders"},
	{"enable_order_consolidation",
	 "positions are split into tranches that merge by tranche_merge_profit_pct"},
	{"use_position_monitor", "every tranche always gets its own take-profit and stop-loss"},
	{"instant_tp_enabled", "take-profits rest on the exchange; nothing closes from the client"},
	{"tp_sl_batch_enabled", "take-profit and stop-loss are sent as soon as a tranche changes"},
	{"price_monitor_reconnect_delay", "hunter has no separate price monitor connection"},
	{"stale_limit_order_minutes", "entries are cancelled after order_ttl_seconds"},
	{"order_cleanup_interval_seconds",
	 "hunter tracks every order it sends; there is no periodic cleanup"},
	{"order_status_check_interval", "order states come from the user data stream, not polling"},
	{"open_orders_warning_threshold", "open entries are capped by max_open_orders_per_symbol"},
	{"max_stop_orders_per_symbol",
	 "each tranche has one stop, so max_tranches_per_symbol_side bounds them"},
	{"buffer_liquidations", "liquidations are counted one by one in exchange-time order"},
	{"liquidation_buffer_ms", "liquidations are counted one by one in exchange-time order"},
	{"db_path", "each run writes the database named on the command line"},
};

#define S struct symbol_settings
static const struct field symbol_fields[] = {
	NUM("volume_threshold", F_DEC, S, threshold, 0, NO_LIMIT, LO_OPEN | INPUT_ONLY),
	NUM("volume_threshold_long", F_DEC, S, threshold_long, 0, NO_LIMIT, LO_OPEN),
	NUM("volume_threshold_short", F_DEC, S, threshold_short, 0, NO_LIMIT, LO_OPEN),
	NUM("leverage", F_INT, S, leverage, DEC(1), DEC(125), 0),
	ENUM("margin_type", S, margin_type, margin_types),
	ENUM("trade_side", S, trade_side, trade_sides),
	NUM("trade_value_usdt", F_DEC, S, trade_value_usdt, 0, NO_LIMIT, LO_OPEN),
	NUM("max_position_usdt", F_DEC, S, max_position_usdt, 0, NO_LIMIT, LO_OPEN),
	ENUM("entry_order_type", S, entry_mode, entry_modes),
	NUM("price_offset_pct", F_DEC, S, price_offset_pct, 0, DEC(100), HI_OPEN),
	BOOL("take_profit_enabled", S, take_profit_enabled),
	NUM("take_profit_pct", F_DEC, S, take_profit_pct, 0, DEC(100), LO_OPEN | HI_OPEN),
	ENUM("take_profit_type", S, tp_mode, tp_modes),
	BOOL("stop_loss_enabled", S, stop_loss_enabled),
	NUM("stop_loss_pct", F_DEC, S, stop_loss_pct, 0, DEC(100), LO_OPEN),
	ENUM("working_type", S, working_type, working_types),
	BOOL("price_protect", S, price_protect),
	BOOL("use_trailing_stop", S, use_trailing_stop),
	NUM("cooldown_seconds", F_SECONDS, S, cooldown_ms, 0, DEC(86400), 0),
};
#undef S

static const struct legacy symbol_legacy[] = {
	{"trailing_callback_rate", "trailing stops are not modelled yet; the fixed stop is used"},
	{"trailing_activation_pct", "trailing stops are not modelled yet; the fixed stop is used"},
	{"hedge_position_side",
	 "the position side follows the signal (LONG for buys, SHORT for sells in hedge mode)"},
	{"position_side", "the position side follows hedge_mode and the signal"},
	{"trade_qty", "entries are sized by trade_value_usdt (margin in USDT)"},
};

#define P struct sim_params
static const struct field sim_fields[] = {
	NUM("maker_fee_pct", F_PCT, P, maker_fee, DEC(-1), DEC(1), 0),
	NUM("taker_fee_pct", F_PCT, P, taker_fee, 0, DEC(1), 0),
	NUM("order_latency_ms", F_MILLIS, P, order_latency_ms, 0, DEC(60000), 0),
	NUM("cancel_latency_ms", F_MILLIS, P, cancel_latency_ms, 0, DEC(60000), 0),
	NUM("ack_latency_ms", F_MILLIS, P, ack_latency_ms, 0, DEC(60000), 0),
	NUM("maint_margin_pct", F_PCT, P, maint_margin_rate, 0, DEC(100), HI_OPEN),
	NUM("starting_balance_usdt", F_DEC, P, starting_balance, 0, NO_LIMIT, LO_OPEN),
	BOOL("queue_position", P, queue_position),
	BOOL("funding", P, funding),
	NUM("max_quote_age_sec", F_SECONDS, P, max_quote_age_ms, 0, DEC(86400), 0),
	NUM("shrink_match_ms", F_MILLIS, P, shrink_match_ms, 0, DEC(60000), 0),
	NUM("impact_ticks", F_INT, P, impact_ticks, 0, DEC(10000), 0),
	{"seed", F_U64, offsetof(P, seed), 0, 0, 0, NULL},
};
#undef P

_Static_assert(ARRAY_LEN(global_fields) + ARRAY_LEN(global_legacy) <= SECTION_KEYS_MAX, "keys");
_Static_assert(ARRAY_LEN(symbol_fields) + ARRAY_LEN(symbol_legacy) <= SECTION_KEYS_MAX, "keys");
_Static_assert(ARRAY_LEN(sim_fields) <= SECTION_KEYS_MAX, "keys");

const struct section cf_schema_globals = {"globals", global_fields, ARRAY_LEN(global_fields),
                                       global_legacy, ARRAY_LEN(global_legacy)};
const struct section cf_schema_symbol = {"symbols", symbol_fields, ARRAY_LEN(symbol_fields),
                                      symbol_legacy, ARRAY_LEN(symbol_legacy)};
const struct section cf_schema_simulation = {"simulation", sim_fields, ARRAY_LEN(sim_fields),
                                          NULL, 0};

void cf_schema_global_defaults(struct settings *s)
{
	*s = (struct settings){
		.volume_window_ms = 60000,
		.window_mode = WINDOW_PER_SIDE,
		.hedge_mode = true,
		.order_ttl_ms = 30000,
		.max_open_orders_per_symbol = 5,
		.max_total_exposure_usdt = DEC(1000),
		.tranche_pnl_increment_pct = DEC(5),
		.max_tranches_per_symbol_side = 5,
		.merge_profit_pct = DEC_ONE / 10,
		.unprotected_timeout_ms = 10000,
		.max_quote_age_ms = 5000,
		.use_usdt_volume = true,
		.time_in_force = TIF_GTC,
	};
}

void cf_schema_live_defaults(struct live_settings *live)
{
	*live = (struct live_settings){
		.simulate_only = false,
		.multi_assets_mode = false,
		.set_leverage = true,
		.set_margin_type = true,
		.rate_limit_buffer_pct = 10,
	};
}

/* TP 1 % and SL 5 % are the old bot's position-monitor defaults. */
void cf_schema_symbol_defaults(struct symbol_settings *sym)
{
	*sym = (struct symbol_settings){
		.leverage = 10,
		.margin_type = MARGIN_CROSSED,
		.trade_side = TRADE_OPPOSITE,
		.trade_value_usdt = DEC(1),
		.entry_mode = ENTRY_LIMIT,
		.price_offset_pct = DEC_ONE / 10,
		.take_profit_enabled = true,
		.take_profit_pct = DEC(1),
		.tp_mode = TP_LIMIT,
		.stop_loss_enabled = true,
		.stop_loss_pct = DEC(5),
		.working_type = WT_CONTRACT_PRICE,
	};
}

/*
 * A side's threshold is its own key, else the legacy volume_threshold, else
 * the old bot's 10000. Without max_position_usdt the old bot had no cap per
 * symbol; here the total cap then binds alone.
 */
void cf_schema_symbol_resolve(struct symbol_settings *sym, const struct settings *s)
{
	dec_t both = sym->threshold ? sym->threshold : DEFAULT_THRESHOLD;
	if (!sym->threshold_long)
		sym->threshold_long = both;
	if (!sym->threshold_short)
		sym->threshold_short = both;
	if (!sym->max_position_usdt)
		sym->max_position_usdt = s->max_total_exposure_usdt;
}

const struct field *cf_schema_field(const struct section *sec, const char *key)
{
	for (size_t i = 0; i < sec->nfields; i++)
		if (!strcmp(sec->fields[i].key, key))
			return &sec->fields[i];
	return NULL;
}

const struct legacy *cf_schema_legacy(const struct section *sec, const char *key)
{
	for (size_t i = 0; i < sec->nlegacy; i++)
		if (!strcmp(sec->legacy[i].key, key))
			return &sec->legacy[i];
	return NULL;
}

const char *cf_schema_spelling(const struct spelling *names, int value)
{
	for (; names->name; names++)
		if (names->value == value)
			return names->name;
	return NULL;
}

/* Units of 1e-8 in one millisecond, when a value is in seconds. */
#define MS_UNITS (DEC_SCALE / 1000)

void cf_field_get(const struct field *f, const void *base, struct fval *v)
{
	const char *p = (const char *)base + f->off;
	int i;
	int64_t ms;
	bool b;

	*v = (struct fval){0, 0};
	switch (f->kind) {
	case F_BOOL:
		memcpy(&b, p, sizeof b);
		v->d = b;
		break;
	case F_INT:
	case F_ENUM:
		memcpy(&i, p, sizeof i);
		v->d = f->kind == F_INT ? DEC(i) : i;
		break;
	case F_DEC:
		memcpy(&v->d, p, sizeof v->d);
		break;
	case F_PCT:
		memcpy(&v->d, p, sizeof v->d);
		v->d *= 100;
		break;
	case F_SECONDS:
	case F_MILLIS:
		memcpy(&ms, p, sizeof ms);
		v->d = f->kind == F_SECONDS ? ms * MS_UNITS : DEC(ms);
		break;
	case F_U64:
		memcpy(&v->u, p, sizeof v->u);
		break;
	}
}

void cf_field_put(const struct field *f, void *base, const struct fval *v)
{
	char *p = (char *)base + f->off;
	int i;
	int64_t ms;
	dec_t d;
	bool b;

	switch (f->kind) {
	case F_BOOL:
		b = v->d != 0;
		memcpy(p, &b, sizeof b);
		break;
	case F_INT:
	case F_ENUM:
		i = (int)(f->kind == F_INT ? v->d / DEC_SCALE : v->d);
		memcpy(p, &i, sizeof i);
		break;
	case F_DEC:
		memcpy(p, &v->d, sizeof v->d);
		break;
	case F_PCT:
		d = v->d / 100;
		memcpy(p, &d, sizeof d);
		break;
	case F_SECONDS:
	case F_MILLIS:
		ms = f->kind == F_SECONDS ? v->d / MS_UNITS : v->d / DEC_SCALE;
		memcpy(p, &ms, sizeof ms);
		break;
	case F_U64:
		memcpy(p, &v->u, sizeof v->u);
		break;
	}
}

dec_t cf_field_grain(const struct field *f, const char **finer)
{
	switch (f->kind) {
	case F_INT:
	case F_MILLIS:
	case F_U64:
		*finer = "not a whole number";
		return DEC_ONE;
	case F_SECONDS:
		*finer = "finer than a millisecond";
		return MS_UNITS;
	case F_PCT:
		*finer = "finer than 0.000001 %";
		return 100;
	default:
		*finer = "";
		return 1;
	}
}

static void range_text(const struct field *f, char *buf, size_t cap)
{
	char lo[DEC_FMT_MAX], hi[DEC_FMT_MAX];
	const char *lo_op = (f->flags & LO_OPEN) ? ">" : ">=";

	dec_format(f->lo, lo);
	dec_format(f->hi, hi);
	if (f->hi == NO_LIMIT)
		snprintf(buf, cap, "%s %s", lo_op, lo);
	else if (!(f->flags & (LO_OPEN | HI_OPEN)))
		snprintf(buf, cap, "%s..%s", lo, hi);
	else
		snprintf(buf, cap, "%s %s and %s %s", lo_op, lo,
		         (f->flags & HI_OPEN) ? "<" : "<=", hi);
}

static void names_text(const struct spelling *names, char *buf, size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, "one of");
	for (const struct spelling *n = names; n->name && len < cap; n++)
		len += (size_t)snprintf(buf + len, cap - len, "%s \"%s\"",
		                        n == names ? "" : ",", n->name);
}

void cf_field_expected(const struct field *f, char *buf, size_t cap)
{
	static const char *const nouns[] = {
		[F_INT] = "an integer", [F_DEC] = "a decimal number",
		[F_PCT] = "a percentage", [F_SECONDS] = "a number of seconds",
		[F_MILLIS] = "a whole number of milliseconds"};
	char range[96];

	switch (f->kind) {
	case F_BOOL:
		snprintf(buf, cap, "true or false");
		break;
	case F_ENUM:
		names_text(f->names, buf, cap);
		break;
	case F_U64:
		snprintf(buf, cap, "an integer 0..%ju", (uintmax_t)UINT64_MAX);
		break;
	default:
		range_text(f, range, sizeof range);
		snprintf(buf, cap, "%s %s", nouns[f->kind], range);
		break;
	}
}
