/*
 * load.c - one run database read for parity: its signals in time order,
 * each with the fills of the entry it fired, and the run's net PnL.
 *
 * Read-only, and checked to be a hunter run database first, so that a
 * wrong file gets a message saying so rather than an SQL error.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "parity_int.h"

static int fail(char *err, size_t cap, const char *path, const char *what, sqlite3 *db)
{
	snprintf(err, cap, "%s: %s%s%s", path, what, db ? ": " : "", db ? sqlite3_errmsg(db) : "");
	return -1;
}

static void text(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static int read_signals(sqlite3 *db, struct pty_run *r, char *err, size_t cap)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
	                       "SELECT ms, symbol, liq_side, fired, reason, client_id, side"
	                       " FROM signals ORDER BY ms, id",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(err, cap, r->path, "not a hunter run database (no signals table)", db);
	size_t capn = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pty_entry *a = grow_array(r->e, &capn, r->n + 1, sizeof *a);
		if (!a) {
			sqlite3_finalize(st);
			return fail(err, cap, r->path, "out of memory", NULL);
		}
		r->e = a;
		struct pty_entry *e = &r->e[r->n++];
		memset(e, 0, sizeof *e);
		e->ms = sqlite3_column_int64(st, 0);
		text(st, 1, e->symbol, sizeof e->symbol);
		text(st, 2, e->liq_side, sizeof e->liq_side);
		e->fired = sqlite3_column_int(st, 3) != 0;
		text(st, 4, e->reason, sizeof e->reason);
		text(st, 5, e->client_id, sizeof e->client_id);
		const unsigned char *side = sqlite3_column_text(st, 6);
		e->dir = side && !strcmp((const char *)side, "BUY") ? 1 : -1;
		e->peer = -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(err, cap, r->path, "reading signals", db);
}

static const char *entry_id(const void *ctx, uint32_t i)
{
	const struct pty_run *r = ctx;
	return r->e[i].client_id;
}

static void add_fill(struct pty_entry *e, sqlite3_stmt *st)
{
	dec_t price = sqlite3_column_int64(st, 1), qty = sqlite3_column_int64(st, 2);
	int64_t ms = sqlite3_column_int64(st, 4);
	e->filled += qty;
	e->cost += (__int128)price * qty;
	e->fee += sqlite3_column_int64(st, 3);
	if (!e->first_fill_ms || ms < e->first_fill_ms)
		e->first_fill_ms = ms;
}

static int read_fills(sqlite3 *db, struct pty_run *r, char *err, size_t cap)
{
	struct strmap ids;
	if (strmap_init(&ids, entry_id, r))
		return fail(err, cap, r->path, "out of memory", NULL);
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].fired && strmap_put(&ids, r->e[i].client_id, (uint32_t)i)) {
			strmap_free(&ids);
			return fail(err, cap, r->path, "out of memory", NULL);
		}
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db,
	                            "SELECT client_id, price_e8, qty_e8, fee_e8, ms FROM fills"
	                            " WHERE role = 'entry' ORDER BY id",
	                            -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *id = sqlite3_column_text(st, 0);
		int64_t i = id ? strmap_get(&ids, (const char *)id) : -1;
		if (i >= 0)
			add_fill(&r->e[i], st);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	strmap_free(&ids);
	return rc == SQLITE_DONE ? 0 : fail(err, cap, r->path, "reading fills", db);
}

static int64_t one_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*rc = -1;
		return 0;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		*rc = -1;
	sqlite3_finalize(st);
	return v;
}

/* Realized PnL less fees and funding, as the run's summary counts it. */
static int read_net(sqlite3 *db, struct pty_run *r, char *err, size_t cap)
{
	int rc = 0;
	r->net = one_int(db, "SELECT coalesce(sum(realized_pnl_e8), 0) - coalesce(sum(fee_e8), 0)"
	                     " FROM fills", &rc) -
	         one_int(db, "SELECT coalesce(sum(paid_e8), 0) FROM funding", &rc);
	return rc ? fail(err, cap, r->path, "reading the PnL", db) : 0;
}

int pty_load(struct pty_run *r, char *err, size_t cap)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(r->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fail(err, cap, r->path, "cannot open", db);
		sqlite3_close(db);
		return -1;
	}
	int rc = read_signals(db, r, err, cap);
	if (!rc)
		rc = read_fills(db, r, err, cap);
	if (!rc)
		rc = read_net(db, r, err, cap);
	sqlite3_close(db);
	return rc;
}

void pty_run_free(struct pty_run *r)
{
	free(r->e);
	r->e = NULL;
	r->n = 0;
}
