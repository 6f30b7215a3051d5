/*
 * run_db.h - a finished run read back from its run.db (docs/run-database.md)
 * into plain arrays, for the invariant checks of checks.h.
 *
 * Everything comes from the database: the settings and the simulated
 * exchange's parameters are parsed again from `run.settings_json` by the
 * config module, and the trading rules are the exchange-info events of the
 * recordings the `recordings` table names (the first one of each file, which
 * is where the importer and the synthesizer put it).
 */
#ifndef HUNTER_TEST_RUN_DB_H
#define HUNTER_TEST_RUN_DB_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core.h"
#include "exchange_sim.h"
#include "recording.h"

struct db_order {
	int64_t id, ms;
	char symbol[SYMBOL_MAX], client_id[40], state[24], role[16], side[8], pos_side[8],
		type[32], reason[64];
	int tranche, reduce_only;
	dec_t price, qty, stop_price;
};

struct db_fill {
	int64_t id, ms;
	char symbol[SYMBOL_MAX], client_id[40], role[16], side[8], pos_side[8];
	int tranche, maker;
	dec_t price, qty, fee, realized;
};

struct db_tranche {
	int64_t id, ms;
	char symbol[SYMBOL_MAX], pos_side[8], action[16];
	int tranche, merged_from;
	dec_t qty, avg_entry;
};

struct db_position {
	char symbol[SYMBOL_MAX], pos_side[8];
	dec_t amount; /* the exchange's last word on it */
};

struct run_db {
	sqlite3 *db;
	struct settings s;
	struct sim_params sim;
	int64_t first_ms, last_ms;
	struct db_order *orders;
	size_t norders;
	struct db_fill *fills;
	size_t nfills;
	struct db_tranche *tranches;
	size_t ntranches;
	struct db_position *positions;
	size_t npositions;
	int64_t *ticks; /* distinct seconds with market data, ascending */
	size_t nticks;
	struct symbol_rules *rules;
	size_t nrules;
	dec_t funding_paid, start_balance_row, end_wallet;
};

static inline void db_text(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* Runs `sql` and calls `row` once per result row with the growing array. */
static inline void *db_rows(sqlite3 *db, const char *sql, size_t size, size_t *n,
                            void (*row)(sqlite3_stmt *, void *))
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	char *arr = NULL;
	size_t cap = 0;
	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			arr = realloc(arr, cap * size);
			cr_assert_not_null(arr);
		}
		memset(arr + *n * size, 0, size);
		row(st, arr + *n * size);
		(*n)++;
	}
	sqlite3_finalize(st);
	return arr;
}

static inline void order_row(sqlite3_stmt *st, void *p)
{
	struct db_order *o = p;
	o->id = sqlite3_column_int64(st, 0);
	o->ms = sqlite3_column_int64(st, 1);
	db_text(st, 2, o->symbol, sizeof o->symbol);
	db_text(st, 3, o->client_id, sizeof o->client_id);
	db_text(st, 4, o->state, sizeof o->state);
	db_text(st, 5, o->role, sizeof o->role);
	o->tranche = sqlite3_column_int(st, 6);
	db_text(st, 7, o->side, sizeof o->side);
	db_text(st, 8, o->pos_side, sizeof o->pos_side);
	db_text(st, 9, o->type, sizeof o->type);
	o->price = sqlite3_column_int64(st, 10);
	o->qty = sqlite3_column_int64(st, 11);
	o->stop_price = sqlite3_column_int64(st, 12);
	o->reduce_only = sqlite3_column_int(st, 13);
	db_text(st, 14, o->reason, sizeof o->reason);
}

static inline void fill_row(sqlite3_stmt *st, void *p)
{
	struct db_fill *f = p;
	f->id = sqlite3_column_int64(st, 0);
	f->ms = sqlite3_column_int64(st, 1);
	db_text(st, 2, f->symbol, sizeof f->symbol);
	db_text(st, 3, f->client_id, sizeof f->client_id);
	db_text(st, 4, f->role, sizeof f->role);
	f->tranche = sqlite3_column_int(st, 5);
	db_text(st, 6, f->side, sizeof f->side);
	db_text(st, 7, f->pos_side, sizeof f->pos_side);
	f->price = sqlite3_column_int64(st, 8);
	f->qty = sqlite3_column_int64(st, 9);
	f->fee = sqlite3_column_int64(st, 10);
	f->maker = sqlite3_column_int(st, 11);
	f->realized = sqlite3_column_int64(st, 12);
}

static inline void tranche_row(sqlite3_stmt *st, void *p)
{
	struct db_tranche *t = p;
	t->id = sqlite3_column_int64(st, 0);
	t->ms = sqlite3_column_int64(st, 1);
	db_text(st, 2, t->symbol, sizeof t->symbol);
	db_text(st, 3, t->pos_side, sizeof t->pos_side);
	t->tranche = sqlite3_column_int(st, 4);
	db_text(st, 5, t->action, sizeof t->action);
	t->merged_from = sqlite3_column_int(st, 6);
	t->qty = sqlite3_column_int64(st, 7);
	t->avg_entry = sqlite3_column_int64(st, 8);
}

static inline void position_row(sqlite3_stmt *st, void *p)
{
	struct db_position *pos = p;
	db_text(st, 0, pos->symbol, sizeof pos->symbol);
	db_text(st, 1, pos->pos_side, sizeof pos->pos_side);
	pos->amount = sqlite3_column_int64(st, 2);
}

static inline void tick_row(sqlite3_stmt *st, void *p)
{
	*(int64_t *)p = sqlite3_column_int64(st, 0);
}

static inline int64_t db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: no row", sql);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first exchange-info event of each recording the run read. */
static inline void run_db_rules(struct run_db *r)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(r->db, "SELECT path FROM recordings ORDER BY seq", -1,
	                                &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char err[REC_ERR_MAX];
		const char *path = (const char *)sqlite3_column_text(st, 0);
		rec_reader *rd = rec_reader_open(path, err);
		cr_assert_not_null(rd, "%s", err);
		ev_t ev;
		while (rec_reader_next(rd, &ev) == 1) {
			if (ev.type != EV_EXCHANGE_INFO)
				continue;
			size_t n = ev.u.info.nsymbols;
			r->rules = realloc(r->rules, (r->nrules + n) * sizeof *r->rules);
			cr_assert_not_null(r->rules);
			memcpy(r->rules + r->nrules, ev.u.info.symbols, n * sizeof *r->rules);
			r->nrules += n;
			break;
		}
		rec_reader_close(rd);
	}
	sqlite3_finalize(st);
}

static inline const struct symbol_rules *run_db_rules_of(const struct run_db *r,
                                                         const char *symbol)
{
	for (size_t i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i].symbol, symbol))
			return &r->rules[i];
	return NULL;
}

static inline void run_db_settings(struct run_db *r)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(r->db, "SELECT settings_json, first_ms, last_ms FROM run",
	                                -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "no run row");
	struct config_diag *d = calloc(1, sizeof *d);
	cr_assert_not_null(d);
	const char *json = (const char *)sqlite3_column_text(st, 0);
	cr_assert_eq(config_load_text(json, (size_t)sqlite3_column_bytes(st, 0), &r->s, NULL, &r->sim, d),
	             0, "run.settings_json does not load");
	free(d);
	r->first_ms = sqlite3_column_int64(st, 1);
	r->last_ms = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
}

static inline void run_db_open(struct run_db *r, const char *path)
{
	memset(r, 0, sizeof *r);
	cr_assert_eq(sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK,
	             "cannot open %s", path);
	run_db_settings(r);
	run_db_rules(r);
	r->orders = db_rows(r->db,
		"SELECT id, ms, symbol, client_id, state, role, tranche, side, pos_side, type,"
		" price_e8, qty_e8, stop_price_e8, reduce_only, reason FROM orders ORDER BY id",
		sizeof *r->orders, &r->norders, order_row);
	r->fills = db_rows(r->db,
		"SELECT id, ms, symbol, client_id, role, tranche, side, pos_side, price_e8, qty_e8,"
		" fee_e8, maker, realized_pnl_e8 FROM fills ORDER BY id",
		sizeof *r->fills, &r->nfills, fill_row);
	r->tranches = db_rows(r->db,
		"SELECT id, ms, symbol, pos_side, tranche, action, merged_from, qty_e8,"
		" avg_entry_e8 FROM tranches ORDER BY id",
		sizeof *r->tranches, &r->ntranches, tranche_row);
	r->positions = db_rows(r->db,
		"SELECT symbol, pos_side, amount_e8 FROM positions WHERE id IN"
		" (SELECT max(id) FROM positions GROUP BY symbol, pos_side)",
		sizeof *r->positions, &r->npositions, position_row);
	r->ticks = db_rows(r->db, "SELECT DISTINCT ms FROM market_prices ORDER BY ms",
	                   sizeof *r->ticks, &r->nticks, tick_row);
	r->funding_paid = db_int(r->db, "SELECT coalesce(sum(paid_e8), 0) FROM funding");
	r->end_wallet = db_int(r->db,
		"SELECT wallet_e8 FROM equity WHERE reason = 'end' ORDER BY id DESC LIMIT 1");
}

static inline void run_db_close(struct run_db *r)
{
	sqlite3_close(r->db);
	config_free(&r->s);
	free(r->orders);
	free(r->fills);
	free(r->tranches);
	free(r->positions);
	free(r->ticks);
	free(r->rules);
}

/*
 * The engine sees time only through events, so a deadline at `t` is acted
 * on at the first event at or after `t`. Returns the latest time by which
 * that must have happened: the end of the first whole second with market
 * data starting at or after `t`, or INT64_MAX when the data ends before.
 */
static inline int64_t run_db_acted_by(const struct run_db *r, int64_t t)
{
	size_t lo = 0, hi = r->nticks;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->ticks[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nticks ? r->ticks[lo] + 999 : INT64_MAX;
}

#endif
