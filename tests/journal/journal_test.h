/*
 * journal_test.h - shared by the run database's tests: a database in /tmp
 * per test process, opened as a backtest (exclusive) or a live run would,
 * rows written through the journal's calls and read back with SQL.
 */
#ifndef HUNTER_TEST_JOURNAL_H
#define HUNTER_TEST_JOURNAL_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"

static char db_path[64];
static journal_t *J;

static const char settings_text[] = "{}";

/* A run of `mode` on db_path: new, or continuing the database there. */
static inline journal_t *open_run(const char *mode, bool exclusive, bool resume)
{
	struct journal_run run = {mode, settings_text, 2, "{\"maker_fee\":\"0.0001\"}", 42,
	                          exclusive, 0, resume};
	char err[256] = "";
	journal_t *j = journal_create(db_path, &run, err, sizeof err);
	cr_assert(j, "journal_create: %s", err);
	return j;
}

static inline void setup(void)
{
	snprintf(db_path, sizeof db_path, "/tmp/hunter-journal-%d.db", (int)getpid());
	J = open_run("backtest", true, false);
}

static inline void teardown(void)
{
	journal_close(J);
	/* Reading a WAL database leaves its side files behind. */
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal", "-pending"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
	}
}

static inline dec_t D(const char *s)
{
	dec_t v;
	cr_assert_eq(dec_parse(s, strlen(s), &v, NULL), 0, "bad decimal %s", s);
	return v;
}

/* The first column of the first row of `sql`, as text ("" for NULL). */
static inline char *q(const char *sql)
{
	static char out[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static inline void fill(int64_t ms, const char *sym, pos_side_t ps, side_t side,
                        const char *price, const char *qty, const char *fee, const char *rpnl)
{
	struct journal_rec r = {.kind = J_FILL, .ms = ms};
	snprintf(r.symbol, sizeof r.symbol, "%s", sym);
	struct j_fill *f = &r.u.fill;
	snprintf(f->client_id, sizeof f->client_id, "c%lld", (long long)ms);
	f->role = side == SIDE_BUY ? ROLE_ENTRY : ROLE_TP;
	f->side = side;
	f->pos_side = ps;
	f->price = D(price);
	f->qty = D(qty);
	f->fee = D(fee);
	f->realized_pnl = D(rpnl);
	f->trade_id = ms;
	journal_record(J, &r);
}

static inline void equity(int64_t ms, const char *wallet, const char *unrealized)
{
	struct journal_equity eq = {D(wallet), D(unrealized), 0, 0, 0};
	journal_equity(J, ms, EQ_MINUTE, &eq);
}

static inline void finish(int64_t first, int64_t last)
{
	struct journal_end end = {first, last, 1000, "ab12", 0.5, false};
	cr_assert_eq(journal_finish(J, &end), 0, "%s", journal_error(J));
	/* An off-line run locks its file until closed. */
	journal_close(J);
	J = NULL;
}

static inline void funding(int64_t ms, const char *sym, pos_side_t ps, const char *change)
{
	struct balance bal = {"USDT", 0, 0, D(change)};
	struct position pos = {.amount = DEC(1), .pos_side = ps};
	snprintf(pos.symbol, sizeof pos.symbol, "%s", sym);
	ev_t ev = {.type = EV_ACCOUNT_UPDATE, .exch_ms = ms};
	snprintf(ev.u.account.reason, sizeof ev.u.account.reason, "FUNDING_FEE");
	ev.u.account.nbalances = 1;
	ev.u.account.balances = &bal;
	ev.u.account.npositions = 1;
	ev.u.account.positions = &pos;
	journal_account(J, &ev);
}

#endif
