/*
 * journal.c - writes the run database: creates it with its schema and run
 * row, then appends rows through prepared statements inside long
 * transactions, and closes the run with its trade-log hash and span.
 *
 * The wall clock is read here and only here (run_clock), so everything
 * else in the file depends on the inputs alone.
 */
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal_int.h"

/* Rows per transaction: large enough that commits cost nothing next to the
 * inserts, small enough that a crashed live run loses little. */
#define JOURNAL_BATCH 4096

void jn_fail(journal_t *j, const char *what)
{
	if (!j->err[0])
		snprintf(j->err, sizeof j->err, "run database: %s: %s", what, sqlite3_errmsg(j->db));
}

int jn_exec(journal_t *j, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(j->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	if (!j->err[0])
		snprintf(j->err, sizeof j->err, "run database: %s", msg ? msg : "error");
	sqlite3_free(msg);
	return -1;
}

/*
 * Binds the arguments described by `fmt` to statement `s` and runs it:
 * 'I' int64_t, 'i' int, 's' text (NULL is stored as ""), 'z' int64_t
 * stored as NULL when 0. Commits every JOURNAL_BATCH rows.
 */
void jn_row(journal_t *j, enum journal_stmt s, const char *fmt, ...)
{
	jn_catch_up(j);
	if (j->err[0])
		return;
	sqlite3_stmt *st = j->st[s];
	if ((int)strlen(fmt) != sqlite3_bind_parameter_count(st)) {
		snprintf(j->err, sizeof j->err, "run database: %d values for: %s", (int)strlen(fmt),
		         jn_journal_stmt_sql[s]);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	for (int k = 1; *fmt; fmt++, k++) {
		switch (*fmt) {
		case 'I':
			sqlite3_bind_int64(st, k, va_arg(ap, int64_t));
			break;
		case 'i':
			sqlite3_bind_int(st, k, va_arg(ap, int));
			break;
		case 'z': {
			int64_t v = va_arg(ap, int64_t);
			if (v)
				sqlite3_bind_int64(st, k, v);
			else
				sqlite3_bind_null(st, k);
			break;
		}
		default: {
			const char *t = va_arg(ap, const char *);
			sqlite3_bind_text(st, k, t ? t : "", -1, SQLITE_TRANSIENT);
		}
		}
	}
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		jn_fail(j, jn_journal_stmt_sql[s]);
	sqlite3_reset(st);
	/* not between a record's rows: a commit holds whole records */
	if (++j->pending >= JOURNAL_BATCH && !jn_ahead_applying(j))
		jn_commit(j);
}

int jn_commit(journal_t *j)
{
	if (jn_ahead_mark(j) || jn_exec(j, "COMMIT; BEGIN"))
		return -1;
	j->pending = 0;
	jn_ahead_committed(j);
	return 0;
}

int journal_commit(journal_t *j)
{
	jn_catch_up(j);
	if (j->pending && !j->err[0])
		jn_commit(j);
	return journal_error(j) ? -1 : 0;
}

void journal_checkpoint(journal_t *j)
{
	/* PASSIVE: what readers (the dashboard) still use stays in the WAL
	 * for a later one; nothing waits */
	sqlite3_wal_checkpoint_v2(j->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static void utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	hex_encode(md, 32, out);
}

/* This start of the run, in run_starts (its time is its first equity
 * sample's: the wall clock stays in run_clock). */
static int write_start(journal_t *j, const struct journal_run *run)
{
	char digest[65];
	sha256_hex(run->settings_text, run->settings_len, digest);
	char *text = strndup(run->settings_text, run->settings_len);
	if (!text) {
		snprintf(j->err, sizeof j->err, "run database: out of memory");
		return -1;
	}
	jn_row(j, JS_START, "sss", HUNTER_VERSION, text, digest);
	free(text);
	return j->err[0] ? -1 : 0;
}

static int write_run(journal_t *j, const struct journal_run *run)
{
	char stamp[32], digest[65], seed[24];
	sha256_hex(run->settings_text, run->settings_len, digest);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)run->seed);
	utc_now(stamp);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
	                       "INSERT INTO run (id, mode, hunter_version, schema_version,"
	                       " settings_json, settings_sha256, model_json, seed,"
	                       " liq_arrival_delay_ms) VALUES (1,?,?,?,?,?,?,?,?)", -1, &st,
	                       NULL) != SQLITE_OK) {
		jn_fail(j, "run");
		return -1;
	}
	sqlite3_bind_text(st, 1, run->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, HUNTER_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, JOURNAL_SCHEMA_VERSION);
	sqlite3_bind_text(st, 4, run->settings_text, (int)run->settings_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, digest, -1, SQLITE_STATIC);
	if (run->model_json)
		sqlite3_bind_text(st, 6, run->model_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, seed, -1, SQLITE_STATIC);
	if (run->liq_arrival_delay_ms > 0)
		sqlite3_bind_int64(st, 8, run->liq_arrival_delay_ms);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		jn_fail(j, "run");
		return -1;
	}
	char sql[96];
	snprintf(sql, sizeof sql, "INSERT INTO run_clock (id, started_utc) VALUES (1, '%s')", stamp);
	return jn_exec(j, sql);
}

/* A run database describes one run: an old one at the same path goes,
 * with any journal it left, which SQLite would otherwise replay into the
 * new file. */
static void remove_old(const char *path)
{
	static const char *const leftovers[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++) {
		char p[4096];
		if (snprintf(p, sizeof p, "%s%s", path, leftovers[i]) < (int)sizeof p)
			unlink(p);
	}
}

static int open_db(journal_t *j, const char *path, bool exclusive)
{
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		jn_fail(j, path);
		return -1;
	}
	/* Off-line runs can be redone, so they trade durability for speed; a
	 * live run keeps a WAL so a crash loses at most the open batch. Its
	 * WAL is copied back into the database when the run says so
	 * (journal_checkpoint), not at whichever commit fills it: that commit
	 * may be the one an order waits for, and a checkpoint syncs the disk. */
	const char *pragmas = exclusive ? "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY;"
	                                  " PRAGMA synchronous=OFF;"
	                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                                  " PRAGMA wal_autocheckpoint=0;";
	char ver[48];
	snprintf(ver, sizeof ver, "PRAGMA user_version=%d;", JOURNAL_SCHEMA_VERSION);
	return jn_exec(j, pragmas) || jn_exec(j, ver) ? -1 : 0;
}

static int prepare_all(journal_t *j)
{
	for (int s = 0; s < JS__COUNT; s++)
		if (sqlite3_prepare_v3(j->db, jn_journal_stmt_sql[s], -1, SQLITE_PREPARE_PERSISTENT,
				       &j->st[s], NULL) != SQLITE_OK) {
			jn_fail(j, jn_journal_stmt_sql[s]);
			return -1;
		}
	return 0;
}

static void trip_done(void *ctx, const struct trip *t, int64_t close_ms);

journal_t *journal_create(const char *path, const struct journal_run *run, char *err,
                          size_t errlen)
{
	journal_t *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errlen, "run database: out of memory");
		return NULL;
	}
	j->trips.done = trip_done;
	j->trips.ctx = j;
	if (!run->resume)
		remove_old(path);
	if (open_db(j, path, run->exclusive) || jn_exec(j, "BEGIN") ||
	    (!run->resume && (jn_exec(j, jn_journal_schema_sql) || write_run(j, run))) ||
	    prepare_all(j) || write_start(j, run) || (run->resume && jn_resume(j)) ||
	    !(j->market = jn_market_open(j->db, j->err, sizeof j->err)) ||
	    (!run->exclusive && jn_ahead_open(j, path, run->resume))) {
		snprintf(err, errlen, "%s", j->err[0] ? j->err : "run database: cannot open");
		journal_close(j);
		return NULL;
	}
	j->pending = !run->exclusive; /* a live run's readers see the tables at its first commit */
	jn_catch_up(j); /* what a killed run logged and never committed */
	return j;
}

void journal_add_recording(journal_t *j, const struct journal_recording *r)
{
	jn_row(j, JS_RECORDING, "sIsIII", r->path, (int64_t)r->bytes, r->sha256, (int64_t)r->events,
	    r->first_ms, r->last_ms);
}

static void record_signal(journal_t *j, const struct journal_rec *r)
{
	const struct j_signal *s = &r->u.signal;
	jn_row(j, JS_SIGNAL, "IssIIssissII", r->ms, r->symbol, side_str(s->liq_side),
	    s->window_volume, s->threshold, side_str(s->side), pos_side_str(s->pos_side),
	    (int)s->fired, s->reason, s->client_id, s->price, s->qty);
}

static void record_order(journal_t *j, const struct journal_rec *r, int64_t exchange_ms)
{
	const struct j_order *o = &r->u.order;
	const order_req *q = &o->req;
	jn_row(j, JS_ORDER, "IssssisssssIIIiiisz", r->ms, r->symbol, q->client_id,
	    j_order_state_str(o->state), order_role_str(o->role), o->tranche, side_str(q->side),
	    pos_side_str(q->pos_side), order_type_str(q->type), tif_str(q->tif),
	    working_type_str(q->working_type), q->price, q->qty, q->stop_price,
	    (int)q->reduce_only, (int)q->close_position, o->code, o->reason, exchange_ms);
}

static void record_fill(journal_t *j, const struct journal_rec *r, int64_t exchange_ms)
{
	const struct j_fill *f = &r->u.fill;
	jn_row(j, JS_FILL, "IsssissIIIiIIz", r->ms, r->symbol, f->client_id, order_role_str(f->role),
	    f->tranche, side_str(f->side), pos_side_str(f->pos_side), f->price, f->qty, f->fee,
	    (int)f->maker, f->realized_pnl, f->trade_id, exchange_ms);
	if (!j->err[0] && jn_trips_fill(&j->trips, r->ms, r->symbol, f->pos_side, f->side, f->price,
					f->qty, f->fee))
		snprintf(j->err, sizeof j->err, "run database: round trip of %s overflows at fill %s",
		         r->symbol, f->client_id);
}

static void record_tranche(journal_t *j, const struct journal_rec *r)
{
	const struct j_tranche *t = &r->u.tranche;
	jn_row(j, JS_TRANCHE, "IssisiIIII", r->ms, r->symbol, pos_side_str(t->pos_side), t->tranche,
	    j_tranche_action_str(t->action), t->merged_from, t->qty, t->avg_entry, t->tp_price,
	    t->sl_price);
}

void journal_record(journal_t *j, const struct journal_rec *r)
{
	journal_record_at(j, r, 0);
}

void journal_record_at(journal_t *j, const struct journal_rec *r, int64_t exchange_ms)
{
	if (!jn_ahead_put(j, r, exchange_ms))
		jn_record(j, r, exchange_ms);
}

void jn_record(journal_t *j, const struct journal_rec *r, int64_t exchange_ms)
{
	switch (r->kind) {
	case J_SIGNAL:
		record_signal(j, r);
		break;
	case J_ORDER:
		record_order(j, r, exchange_ms);
		break;
	case J_FILL:
		record_fill(j, r, exchange_ms);
		break;
	case J_TRANCHE:
		record_tranche(j, r);
		break;
	case J_NOTE:
		jn_row(j, JS_NOTE, "Iss", r->ms, r->symbol, r->u.note);
		break;
	}
}

/* FUNDING_FEE: the balance change is what was received, so paid is its
 * negation. The position listed, if exactly one, names the side charged. */
static void account_funding(journal_t *j, const struct ev_account *a, int64_t ms)
{
	const struct position *p = a->npositions == 1 ? &a->positions[0] : NULL;
	const char *symbol = p ? p->symbol : a->npositions ? a->positions[0].symbol : "";
	pos_side_t ps = p ? p->pos_side : 0;
	for (uint32_t i = 0; i < a->nbalances; i++) {
		const struct balance *b = &a->balances[i];
		jn_row(j, JS_FUNDING, "IsssI", ms, symbol, pos_side_str(ps), b->asset, -b->change);
		jn_trips_funding(&j->trips, symbol, ps, -b->change);
	}
}

void journal_account(journal_t *j, const ev_t *ev)
{
	const struct ev_account *a = &ev->u.account;
	for (uint32_t i = 0; i < a->npositions; i++) {
		const struct position *p = &a->positions[i];
		jn_row(j, JS_POSITION, "IsssIII", ev->exch_ms, a->reason, p->symbol,
		    pos_side_str(p->pos_side), p->amount, p->entry_price, p->unrealized);
	}
	if (!strcmp(a->reason, "FUNDING_FEE"))
		account_funding(j, a, ev->exch_ms);
}

static const char *const eq_reason[] = {
	[EQ_START] = "start", [EQ_MINUTE] = "minute", [EQ_FILL] = "fill", [EQ_PRICE] = "price",
	[EQ_END] = "end",
};

void journal_equity(journal_t *j, int64_t ms, journal_eq_reason_t why,
                    const struct journal_equity *eq)
{
	jn_row(j, JS_EQUITY, "IsIIIIIi", ms, eq_reason[why], eq->wallet, eq->unrealized,
	    eq->wallet + eq->unrealized, eq->margin_used, eq->notional, (int)eq->open_positions);
}

void journal_symbol_fills(journal_t *j, const struct journal_symbol_fills *f)
{
	jn_row(j, JS_SYMBOL_FILLS, "sIIIIIII", f->symbol, f->qty_depth, f->qty_top, f->qty_trades,
	    f->qty_assumed, (int64_t)f->stop_triggers, (int64_t)f->stop_triggers_on_last,
	    (int64_t)f->stop_triggers_on_mark);
}

static void trip_done(void *ctx, const struct trip *t, int64_t close_ms)
{
	journal_t *j = ctx;
	struct jn_trip_result r;
	if (jn_trip_result(t, &r)) {
		if (!j->err[0])
			snprintf(j->err, sizeof j->err, "run database: round trip of %s overflows",
			         t->symbol);
		return;
	}
	jn_row(j, JS_TRIP, "sssIziIIIIIIII", t->symbol, pos_side_str(t->pos_side),
	    t->dir > 0 ? "LONG" : "SHORT", t->open_ms, close_ms, (int)t->fills, t->qty_in,
	    t->qty_out, r.entry_avg, r.exit_avg, r.gross, t->fees, t->funding, r.net);
}

const char *journal_error(const journal_t *j)
{
	return j->err[0] ? j->err : NULL;
}

static void write_end(journal_t *j, const struct journal_end *end)
{
	sqlite3_stmt *st;
	/* A run of several starts keeps its first time and counts every
	 * start's events (of the starts that ended: a killed one never got
	 * here); the trade log is the last start's. */
	if (sqlite3_prepare_v2(j->db, "UPDATE run SET first_ms=coalesce(first_ms, ?), last_ms=?,"
	                              " events=coalesce(events, 0) + ?, trade_log_sha256=?,"
	                              " interrupted=? WHERE id=1", -1, &st,
	                       NULL) != SQLITE_OK) {
		jn_fail(j, "run end");
		return;
	}
	sqlite3_bind_int64(st, 1, end->first_ms);
	sqlite3_bind_int64(st, 2, end->last_ms);
	sqlite3_bind_int64(st, 3, (int64_t)end->events);
	sqlite3_bind_text(st, 4, end->trade_log_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, end->interrupted);
	if (sqlite3_step(st) != SQLITE_DONE)
		jn_fail(j, "run end");
	sqlite3_finalize(st);

	char stamp[32], sql[160];
	utc_now(stamp);
	double rate = end->wall_seconds > 0 ? (double)end->events / end->wall_seconds : 0;
	snprintf(sql, sizeof sql, "UPDATE run_clock SET finished_utc='%s', wall_seconds=%.6f,"
	                          " events_per_sec=%.1f WHERE id=1", stamp, end->wall_seconds, rate);
	jn_exec(j, sql);
}

void journal_market(journal_t *j, const ev_t *ev)
{
	jn_catch_up(j);
	if (!j->err[0])
		jn_market_event(j->market, ev);
}

int journal_finish(journal_t *j, const struct journal_end *end)
{
	jn_catch_up(j);
	if (!j->err[0])
		jn_market_finish(j->market);
	jn_trips_flush(&j->trips);
	if (!j->err[0])
		write_end(j, end);
	if (!j->err[0] && !jn_ahead_mark(j) && !jn_exec(j, "COMMIT"))
		j->finished = true;
	return j->err[0] ? -1 : 0;
}

void journal_close(journal_t *j)
{
	if (!j)
		return;
	jn_ahead_close(j, j->finished);
	for (int s = 0; s < JS__COUNT; s++)
		sqlite3_finalize(j->st[s]);
	jn_market_free(j->market);
	sqlite3_close(j->db);
	jn_trips_free(&j->trips);
	free(j);
}
