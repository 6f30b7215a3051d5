/*
 * summary.c - the result of a backtest as text for people and as JSON for
 * scripts and the golden tests. One table of fields drives both, so the two
 * always say the same thing. Money is printed exactly (decimal strings in
 * JSON); percentages are statistics and rounded to 1e-6.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

#include "backtest_int.h"

enum kind { K_U64, K_TIME, K_DEC, K_PCT, K_STR }; /* K_TIME: exchange ms */

struct field {
	const char *key;   /* JSON key */
	const char *label; /* text label */
	enum kind kind;
	size_t off;        /* in struct backtest_summary */
};

#define T(m) offsetof(struct backtest_summary, t.m)
#define S(m) offsetof(struct backtest_summary, m)

/* Deterministic figures only: the same inputs give the same values. */
static const struct field fields[] = {
	{"events", "events", K_U64, S(events)},
	{"out_of_order", "out of order", K_U64, S(out_of_order)},
	{"first_ms", "first event", K_TIME, T(first_ms)},
	{"last_ms", "last event", K_TIME, T(last_ms)},
	{"signals", "signals", K_U64, T(signals)},
	{"signals_fired", "signals fired", K_U64, T(signals_fired)},
	{"orders", "orders", K_U64, T(orders)},
	{"fills", "fills", K_U64, T(fills)},
	{"round_trips", "round trips", K_U64, T(round_trips)},
	{"wins", "won", K_U64, T(wins)},
	{"win_rate_pct", "win rate %", K_PCT, S(win_rate_pct)},
	{"gross_pnl", "gross PnL", K_DEC, T(gross_pnl)},
	{"fees", "fees", K_DEC, T(fees)},
	{"funding", "funding", K_DEC, T(funding)},
	{"net_pnl", "net PnL", K_DEC, T(net_pnl)},
	{"unrealized_pnl", "unrealized", K_DEC, T(unrealized)},
	{"start_equity", "start equity", K_DEC, T(start_equity)},
	{"end_equity", "end equity", K_DEC, T(end_equity)},
	{"max_drawdown", "max drawdown", K_DEC, T(max_drawdown)},
	{"max_drawdown_pct", "max drawdown %", K_PCT, S(max_drawdown_pct)},
	{"time_in_market_pct", "time in market %", K_PCT, S(time_in_market_pct)},
	{"trade_log_sha256", "trade log sha256", K_STR, T(trade_log_sha256)},
};

static const void *at(const struct backtest_summary *s, const struct field *f)
{
	return (const char *)s + f->off;
}

static double round6(double v)
{
	return round(v * 1e6) / 1e6;
}

static void text_value(FILE *f, const struct backtest_summary *s, const struct field *fd)
{
	char buf[UTC_FMT_MAX];
	switch (fd->kind) {
	case K_U64:
		fprintf(f, "%llu", (unsigned long long)*(const uint64_t *)at(s, fd));
		break;
	case K_TIME:
		utc_format(*(const int64_t *)at(s, fd), buf);
		fputs(buf, f);
		break;
	case K_DEC:
		dec_format(*(const dec_t *)at(s, fd), buf);
		fputs(buf, f);
		break;
	case K_PCT:
		fprintf(f, "%.2f", *(const double *)at(s, fd));
		break;
	case K_STR:
		fputs((const char *)at(s, fd), f);
		break;
	}
}

/* How the simulated exchange priced each symbol's taker fills, from the run
 * database's symbol_fills: a result that leans on liquidity the data did
 * not show says so next to its PnL. Calls `row` once per symbol. */
typedef void (*fill_mode_fn)(void *ctx, const char *symbol, const dec_t q[4], int64_t on_last);

static void fill_modes(const struct backtest_summary *s, fill_mode_fn row, void *ctx)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(s->db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT symbol, qty_depth_e8, qty_top_e8, qty_trades_e8,"
	                           " qty_assumed_e8, stop_triggers_on_last FROM symbol_fills"
	                           " ORDER BY symbol", -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			dec_t q[4];
			for (int k = 0; k < 4; k++)
				q[k] = sqlite3_column_int64(st, k + 1);
			row(ctx, (const char *)sqlite3_column_text(st, 0), q,
			    sqlite3_column_int64(st, 5));
		}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void text_mode(void *ctx, const char *symbol, const dec_t q[4], int64_t on_last)
{
	char d[DEC_FMT_MAX], t[DEC_FMT_MAX], tr[DEC_FMT_MAX], a[DEC_FMT_MAX];
	dec_format(q[0], d);
	dec_format(q[1], t);
	dec_format(q[2], tr);
	dec_format(q[3], a);
	fprintf(ctx, "%-18s %s: taker qty by book depth %s, top %s, trades only %s; beyond"
	             " the liquidity seen %s; MARK_PRICE stops on the last trade %lld\n",
	        "fills priced", symbol, d, t, tr, a, (long long)on_last);
}

void backtest_print_text(FILE *f, const struct backtest_summary *s)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		fprintf(f, "%-18s ", fields[i].label);
		text_value(f, s, &fields[i]);
		fputc('\n', f);
	}
	fill_modes(s, text_mode, f);
	if (s->interrupted)
		fprintf(f, "%-18s %s\n", "interrupted", "yes: the figures cover the run up to the stop");
	fprintf(f, "%-18s %.0f events/s (%.3f s in the loop, %.3f s in all)\n", "speed",
	        s->events_per_sec, s->loop_seconds, s->wall_seconds);
	fprintf(f, "%-18s %s\n", "run database", s->db_path);
}

static void json_value(cJSON *o, const struct backtest_summary *s, const struct field *fd)
{
	char buf[DEC_FMT_MAX];
	switch (fd->kind) {
	case K_U64:
		cJSON_AddNumberToObject(o, fd->key, (double)*(const uint64_t *)at(s, fd));
		break;
	case K_TIME:
		cJSON_AddNumberToObject(o, fd->key, (double)*(const int64_t *)at(s, fd));
		break;
	case K_DEC:
		dec_format(*(const dec_t *)at(s, fd), buf);
		cJSON_AddStringToObject(o, fd->key, buf);
		break;
	case K_PCT:
		cJSON_AddNumberToObject(o, fd->key, round6(*(const double *)at(s, fd)));
		break;
	case K_STR:
		cJSON_AddStringToObject(o, fd->key, (const char *)at(s, fd));
		break;
	}
}

static void json_mode(void *ctx, const char *symbol, const dec_t q[4], int64_t on_last)
{
	static const char *const keys[4] = {"qty_depth", "qty_top", "qty_trades", "qty_assumed"};
	cJSON *o = cJSON_AddObjectToObject(ctx, symbol);
	char buf[DEC_FMT_MAX];
	for (int k = 0; o && k < 4; k++) {
		dec_format(q[k], buf);
		cJSON_AddStringToObject(o, keys[k], buf);
	}
	if (o)
		cJSON_AddNumberToObject(o, "stop_triggers_on_last", (double)on_last);
}

int backtest_print_json(FILE *f, const struct backtest_summary *s)
{
	cJSON *o = cJSON_CreateObject();
	/* What varies from run to run comes first, the wall-clock figures in an
	 * object of their own, so that scripts comparing summaries can drop
	 * both in one go (scripts/regen-golden does it with awk). */
	cJSON_AddStringToObject(o, "run_db", s->db_path);
	cJSON *t = cJSON_AddObjectToObject(o, "timing");
	cJSON_AddNumberToObject(t, "wall_seconds", round6(s->wall_seconds));
	cJSON_AddNumberToObject(t, "loop_seconds", round6(s->loop_seconds));
	cJSON_AddNumberToObject(t, "events_per_sec", round(s->events_per_sec));
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		json_value(o, s, &fields[i]);
	cJSON_AddBoolToObject(o, "interrupted", s->interrupted);
	fill_modes(s, json_mode, cJSON_AddObjectToObject(o, "fill_modes"));
	char *text = cJSON_Print(o);
	cJSON_Delete(o);
	if (!text)
		return -1;
	fprintf(f, "%s\n", text);
	cJSON_free(text);
	return 0;
}
