/*
 * restart.c - a live or simulate run started again on the run database it
 * left (after a stop, a crash or kill -9): whether the file at the path
 * can be continued, the round trips it had open taken up again, and the
 * simulated account of a simulate run kept in the database, so that a
 * restart finds it as it was at the last commit.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal_int.h"

/* ---- whether the file can be continued ----------------------------------- */

static enum journal_probe probe_db(sqlite3 *db, const char *path, const char *mode, char *err,
                                   size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version <= 0) { /* 0: SQLite, but not written by hunter */
		snprintf(err, errlen, "%s is not a run database%s%s", path, version < 0 ? ": " : "",
		         version < 0 ? sqlite3_errmsg(db) : "");
		return JOURNAL_FOREIGN;
	}
	if (version != JOURNAL_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s is a run database of schema version %d; this hunter writes"
		         " version %d", path, version, JOURNAL_SCHEMA_VERSION);
		return JOURNAL_FOREIGN;
	}
	char have[32] = "";
	if (sqlite3_prepare_v2(db, "SELECT mode FROM run WHERE id = 1", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(have, sizeof have, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (strcmp(have, mode)) {
		snprintf(err, errlen, "%s holds a %s run; a %s run does not continue it", path,
		         have[0] ? have : "damaged", mode);
		return JOURNAL_FOREIGN;
	}
	return JOURNAL_SAME;
}

enum journal_probe journal_probe(const char *path, const char *mode, char *err, size_t errlen)
{
	if (access(path, F_OK) < 0)
		return JOURNAL_NONE;
	sqlite3 *db;
	enum journal_probe p = JOURNAL_FOREIGN;
	/* read-write: a database left by a killed run has a WAL to take in */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	else
		p = probe_db(db, path, mode, err, errlen);
	sqlite3_close(db);
	return p;
}

/* ---- the round trips left open -------------------------------------------- */

static void trip_ignored(void *ctx, const struct trip *t, int64_t close_ms)
{
}

static const char *text_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

static pos_side_t pos_side_col(sqlite3_stmt *st, int col)
{
	const char *t = text_col(st, col);
	return (pos_side_t)pos_side_from(t, strlen(t));
}

/* The fills and funding so far, in the order they happened, through the
 * round trips without writing them again: those that closed have their
 * rows, and those still open are written when they close or at the end. */
static int replay_trips(journal_t *j)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
	                       "SELECT 0 AS k, id, ms, symbol, pos_side, side, price_e8, qty_e8,"
	                       " fee_e8 FROM fills UNION ALL SELECT 1, id, ms, symbol, pos_side, '',"
	                       " paid_e8, 0, 0 FROM funding ORDER BY ms, k, id", -1, &st,
	                       NULL) != SQLITE_OK) {
		jn_fail(j, "round trips");
		return -1;
	}
	j->trips.done = trip_ignored;
	int rc, bad = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !bad) {
		const char *symbol = text_col(st, 3), *side = text_col(st, 5);
		pos_side_t ps = pos_side_col(st, 4);
		if (sqlite3_column_int(st, 0))
			jn_trips_funding(&j->trips, symbol, ps, sqlite3_column_int64(st, 6));
		else
			bad = jn_trips_fill(&j->trips, sqlite3_column_int64(st, 2), symbol, ps,
			                    (side_t)side_from(side, strlen(side)),
			                    sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
			                    sqlite3_column_int64(st, 8));
	}
	sqlite3_finalize(st);
	if (bad)
		snprintf(j->err, sizeof j->err, "run database: the round trips overflow");
	else if (rc != SQLITE_DONE)
		jn_fail(j, "round trips");
	return j->err[0] ? -1 : 0;
}

int jn_resume(journal_t *j)
{
	trip_done_fn done = j->trips.done;
	int rc = replay_trips(j);
	j->trips.done = done;
	/* A start that was killed never wrote its first time: its first
	 * equity sample has it. Rows of trips still open at a clean end are
	 * written again when they close. */
	return rc || jn_exec(j, "UPDATE run SET first_ms = (SELECT min(ms) FROM equity)"
	                        " WHERE id = 1 AND first_ms IS NULL;"
	                        " DELETE FROM round_trips WHERE close_ms IS NULL;") ? -1 : 0;
}

/* ---- the simulated account ------------------------------------------------- */

/* Runs `sql` and hands each row to `take`; the count of rows, or -1. */
static int64_t each_row(journal_t *j, const char *sql, void (*take)(sqlite3_stmt *, void *),
                        void *ctx)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK) {
		jn_fail(j, sql);
		return -1;
	}
	int64_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (take)
			take(st, ctx);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		jn_fail(j, sql);
		return -1;
	}
	return n;
}

/* A malloc'd array of rows, `size` bytes each, each filled by `take`. */
struct rows {
	void *arr;
	uint32_t n;
	size_t size;
	void (*take)(sqlite3_stmt *st, void *elem);
};

static void take_into(sqlite3_stmt *st, void *ctx)
{
	struct rows *r = ctx;
	void *elem = (char *)r->arr + r->n++ * r->size;
	memset(elem, 0, r->size);
	r->take(st, elem);
}

/* The rows of `sql` into r's array, counted first so that it is allocated
 * once. 0, or -1 with the error kept. */
static int load_rows(journal_t *j, const char *sql, struct rows *r)
{
	int64_t n = each_row(j, sql, NULL, NULL);
	if (n <= 0)
		return (int)n;
	if (!(r->arr = calloc((size_t)n, r->size))) {
		snprintf(j->err, sizeof j->err, "run database: out of memory");
		return -1;
	}
	return each_row(j, sql, take_into, r) < 0 ? -1 : 0;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const char *t = text_col(st, col);
	copy_str(dst, cap, t, strlen(t));
}

/* An enum column by its name. */
#define ENUM_COL(st, col, kind) \
	((kind##_t)kind##_from(text_col(st, col), strlen(text_col(st, col))))

static void take_money(sqlite3_stmt *st, void *ctx)
{
	struct sim_saved *s = ctx;
	s->fees_paid = sqlite3_column_int64(st, 1);
	s->funding_paid = sqlite3_column_int64(st, 2);
	s->wallet = sqlite3_column_int64(st, 0) + sqlite3_column_int64(st, 3) - s->fees_paid -
	            s->funding_paid;
	s->next_trade_id = sqlite3_column_int64(st, 4);
}

static void take_fill(sqlite3_stmt *st, void *elem)
{
	struct sim_saved_fill *f = elem;
	copy_col(st, 0, f->symbol, sizeof f->symbol);
	copy_col(st, 1, f->client_id, sizeof f->client_id);
	f->pos_side = ENUM_COL(st, 2, pos_side);
	f->side = ENUM_COL(st, 3, side);
	f->price = sqlite3_column_int64(st, 4);
	f->qty = sqlite3_column_int64(st, 5);
}

static void take_funded(sqlite3_stmt *st, void *elem)
{
	struct sim_saved_funding *f = elem;
	copy_col(st, 0, f->symbol, sizeof f->symbol);
	f->ms = sqlite3_column_int64(st, 1);
}

static void take_order(sqlite3_stmt *st, void *elem)
{
	order_req *q = elem;
	copy_col(st, 0, q->symbol, sizeof q->symbol);
	copy_col(st, 1, q->client_id, sizeof q->client_id);
	q->side = ENUM_COL(st, 2, side);
	q->pos_side = ENUM_COL(st, 3, pos_side);
	q->type = ENUM_COL(st, 4, order_type);
	q->tif = ENUM_COL(st, 5, tif);
	q->working_type = ENUM_COL(st, 6, working_type);
	q->price = sqlite3_column_int64(st, 7);
	q->qty = sqlite3_column_int64(st, 8);
	q->stop_price = sqlite3_column_int64(st, 9);
	q->reduce_only = sqlite3_column_int(st, 10) != 0;
	q->close_position = sqlite3_column_int(st, 11) != 0;
}

int journal_sim_load(journal_t *j, struct sim_saved *out)
{
	memset(out, 0, sizeof *out);
	int64_t n = each_row(j, "SELECT e.wallet_e8, coalesce(sum(f.fee_e8), 0),"
	                        " (SELECT coalesce(sum(paid_e8), 0) FROM funding),"
	                        " coalesce(sum(f.realized_pnl_e8), 0), coalesce(max(f.trade_id) + 1, 0)"
	                        " FROM (SELECT wallet_e8 FROM equity ORDER BY id LIMIT 1) e"
	                        " LEFT JOIN fills f GROUP BY e.wallet_e8", take_money, out);
	struct rows fills = {.size = sizeof *out->fills, .take = take_fill};
	struct rows funded = {.size = sizeof *out->funded, .take = take_funded};
	struct rows orders = {.size = sizeof *out->orders, .take = take_order};
	int rc = n <= 0 ? (int)n : load_rows(j, "SELECT symbol, client_id, pos_side, side, price_e8,"
	                                        " qty_e8 FROM fills ORDER BY id", &fills) ||
	                           load_rows(j, "SELECT symbol, max(ms) FROM funding GROUP BY symbol",
	                                     &funded) ||
	                           load_rows(j, "SELECT symbol, client_id, side, pos_side, type, tif,"
	                                        " working_type, price_e8, qty_e8, stop_price_e8,"
	                                        " reduce_only, close_position FROM orders WHERE id IN"
	                                        " (SELECT max(id) FROM orders GROUP BY client_id)"
	                                        " AND state NOT IN"
	                                        " ('rejected', 'filled', 'canceled', 'expired')"
	                                        " ORDER BY id", &orders)
	                         ? -1 : 1;
	out->fills = fills.arr;
	out->nfills = fills.n;
	out->funded = funded.arr;
	out->nfunded = funded.n;
	out->orders = orders.arr;
	out->norders = orders.n;
	if (rc < 0)
		journal_sim_free(out);
	return rc;
}

void journal_sim_free(struct sim_saved *s)
{
	free((void *)s->fills);
	free((void *)s->funded);
	free((void *)s->orders);
	memset(s, 0, sizeof *s);
}
