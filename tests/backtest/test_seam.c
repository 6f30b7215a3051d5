/*
 * The session does not care which exchange it talks to. The bundled
 * synthetic fixture is run twice through the same session code: once over
 * the simulated exchange, with every answer it gives taped on the way, and
 * once over a scripted exchange that knows nothing of markets and only
 * plays that tape back at the recorded times. The engine must make the same
 * decisions in both: the same trade log, the same signals, orders and
 * fills. The scripted exchange is also the model of a second exchange
 * implementation: what a live adapter must provide.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "support.h"
#include "config.h"
#include "exchange_sim.h"
#include "replay.h"
#include "session.h"

#define FIXTURE HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz"
#define SETTINGS HUNTER_SOURCE_DIR "/fixtures/settings/synth.json"

/* One answer of the exchange, as delivered: when, and what. */
struct answer {
	int64_t at;
	bool refusal;
	ev_t ev;
	struct balance bal[4];
	struct position pos[8];
	char symbol[SYMBOL_MAX], client_id[CLIENT_ID_MAX], msg[128];
	int code;
};

struct tape {
	struct answer *v;
	size_t n, cap, next;
	int64_t now;               /* the time the exchange was last advanced to */
	struct exchange_sink to;   /* where answers go */
	exchange_t inner;          /* the simulated exchange (recording run only) */
	uint64_t intents;
};

static struct answer *tape_add(struct tape *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
		cr_assert_not_null(t->v);
	}
	struct answer *a = &t->v[t->n++];
	memset(a, 0, sizeof *a);
	a->at = t->now;
	return a;
}

/* ---- recording: the simulated exchange, with its answers taped ---------- */

static void taped_event(void *ctx, const ev_t *ev)
{
	struct tape *t = ctx;
	struct answer *a = tape_add(t);
	a->ev = *ev;
	if (ev->type == EV_ACCOUNT_UPDATE) {
		const struct ev_account *acc = &ev->u.account;
		cr_assert_leq(acc->nbalances, 4);
		cr_assert_leq(acc->npositions, 8);
		memcpy(a->bal, acc->balances, acc->nbalances * sizeof *a->bal);
		memcpy(a->pos, acc->positions, acc->npositions * sizeof *a->pos);
	}
	t->to.on_event(t->to.ctx, ev);
}

static void taped_refusal(void *ctx, const char *symbol, const char *client_id, int code,
                          const char *msg, int64_t ms)
{
	struct tape *t = ctx;
	struct answer *a = tape_add(t);
	a->refusal = true;
	a->ev.exch_ms = ms;
	a->code = code;
	snprintf(a->symbol, sizeof a->symbol, "%s", symbol);
	snprintf(a->client_id, sizeof a->client_id, "%s", client_id);
	snprintf(a->msg, sizeof a->msg, "%s", msg);
	t->to.on_reject(t->to.ctx, symbol, client_id, code, msg, ms);
}

/* The simulated exchange's own operations, with the time of each advance
 * noted: answers are delivered only from inside an advance. */
static void rec_advance(void *impl, int64_t now)
{
	struct tape *t = impl;
	t->now = now;
	exchange_advance(&t->inner, now);
}

static void rec_on_market(void *impl, const ev_t *ev)
{
	struct tape *t = impl;
	exchange_on_market(&t->inner, ev);
}

static int64_t rec_next_due(const void *impl)
{
	const struct tape *t = impl;
	return exchange_next_due(&t->inner);
}

static void rec_place(void *impl, const order_req *o, int64_t now)
{
	exchange_place(&((struct tape *)impl)->inner, o, now);
}

static void rec_cancel(void *impl, const char *symbol, const char *client_id, int64_t now)
{
	exchange_cancel(&((struct tape *)impl)->inner, symbol, client_id, now);
}

static void rec_replace(void *impl, const char *old_id, const order_req *o, int64_t now)
{
	exchange_replace(&((struct tape *)impl)->inner, old_id, o, now);
}

static int rec_setup(void *impl, const struct symbol_setup *u)
{
	return exchange_setup_symbol(&((struct tape *)impl)->inner, u);
}

static int rec_mode(void *impl, bool hedge)
{
	return exchange_set_position_mode(&((struct tape *)impl)->inner, hedge);
}

static void rec_rules(void *impl, const struct symbol_rules *r)
{
	exchange_set_rules(&((struct tape *)impl)->inner, r);
}

static void rec_account(void *impl, struct exchange_account *out)
{
	exchange_account(&((struct tape *)impl)->inner, out);
}

static void rec_destroy(void *impl)
{
	exchange_destroy(&((struct tape *)impl)->inner);
}

static const struct exchange_ops recording_ops = {
	.name = "taped sim", .place = rec_place, .cancel = rec_cancel, .replace = rec_replace,
	.setup_symbol = rec_setup, .set_position_mode = rec_mode, .set_rules = rec_rules,
	.account = rec_account, .on_market = rec_on_market, .advance = rec_advance,
	.next_due = rec_next_due, .destroy = rec_destroy,
};

/* ---- playback: an exchange that only knows the tape ---------------------- */

static void play_intent(void *impl, const order_req *o, int64_t now)
{
	((struct tape *)impl)->intents++;
}

static void play_cancel(void *impl, const char *symbol, const char *client_id, int64_t now)
{
	((struct tape *)impl)->intents++;
}

static void play_replace(void *impl, const char *old_id, const order_req *o, int64_t now)
{
	((struct tape *)impl)->intents++;
}

static void play_advance(void *impl, int64_t now)
{
	struct tape *t = impl;
	while (t->next < t->n && t->v[t->next].at <= now) {
		struct answer *a = &t->v[t->next++];
		if (a->refusal) {
			t->to.on_reject(t->to.ctx, a->symbol, a->client_id, a->code, a->msg,
			                a->ev.exch_ms);
			continue;
		}
		if (a->ev.type == EV_ACCOUNT_UPDATE) {
			a->ev.u.account.balances = a->bal;
			a->ev.u.account.positions = a->pos;
		}
		t->to.on_event(t->to.ctx, &a->ev);
	}
}

static int64_t play_next_due(const void *impl)
{
	const struct tape *t = impl;
	return t->next < t->n ? t->v[t->next].at : INT64_MAX;
}

/* A live exchange's shape: no market input, answers when time comes. */
static const struct exchange_ops playback_ops = {
	.name = "scripted", .place = play_intent, .cancel = play_cancel,
	.replace = play_replace, .advance = play_advance, .next_due = play_next_due,
};

/* ---- the two runs ------------------------------------------------------- */

TEST_SCRATCH_SUITE(seam, dir, "hunter-seam");

struct run {
	char db[256];
	char trade_log[65];
	uint64_t answers;
};

/* Replays the fixture into a session over the exchange `make` builds. */
static void replay_into(struct run *r, const char *name, struct tape *t, bool record)
{
	struct settings s;
	struct sim_params p;
	struct config_diag d;
	cr_assert_eq(config_load_file(SETTINGS, &s, NULL, &p, &d), 0);
	snprintf(r->db, sizeof r->db, "%s/%s.db", dir, name);
	char err[256];
	struct journal_run jr = {"backtest", "{}", 2, NULL, p.seed, true, 0, false};
	journal_t *j = journal_create(r->db, &jr, err, sizeof err);
	cr_assert_not_null(j, "%s", err);
	session_t *ss = session_new(&s, j);
	cr_assert_not_null(ss);
	t->to = session_sink(ss);
	exchange_t x = {record ? &recording_ops : &playback_ops, t};
	if (record) {
		p.hedge_mode = s.hedge_mode;
		struct exchange_sink taped = {t, taped_event, taped_refusal};
		sim_exchange(sim_new(&p, &taped), &t->inner);
	}
	cr_assert_eq(session_attach(ss, &x, NULL, NULL), 0);

	const char *paths[] = {FIXTURE};
	replay *rp = replay_open(paths, 1, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	while (replay_next(rp, &ev) == 1)
		session_on_market(ss, &ev);
	replay_close(rp);
	session_finish(ss, r->trade_log);
	struct journal_end end = {0, session_now(ss), 0, r->trade_log, 0, false};
	cr_assert_eq(journal_finish(j, &end), 0);
	journal_close(j);
	session_free(ss);
	config_free(&s);
	r->answers = t->n;
}

static void same_rows(const struct run *a, const struct run *b, const char *sql)
{
	char *x = test_db_rows(a->db, sql), *y = test_db_rows(b->db, sql);
	cr_assert_str_eq(x, y, "the runs differ on: %s", sql);
	free(x);
	free(y);
}

Test(seam, a_scripted_exchange_gets_the_same_decisions_as_the_simulation)
{
	struct tape t = {0};
	struct run sim, scripted;
	replay_into(&sim, "sim", &t, true);
	cr_assert_gt(t.n, 20, "the fixture must make the exchange answer (%zu answers)", t.n);
	t.now = 0;
	replay_into(&scripted, "scripted", &t, false);
	cr_assert_eq(t.next, t.n, "every taped answer is played back");
	cr_assert_gt(t.intents, 0);

	cr_assert_str_eq(sim.trade_log, scripted.trade_log);
	same_rows(&sim, &scripted, "SELECT * FROM signals ORDER BY id");
	same_rows(&sim, &scripted, "SELECT * FROM orders ORDER BY id");
	same_rows(&sim, &scripted, "SELECT * FROM fills ORDER BY id");
	same_rows(&sim, &scripted, "SELECT * FROM tranches ORDER BY id");
	char *fills = test_db_rows(sim.db, "SELECT count(*) FROM fills");
	cr_assert_str_neq(fills, "0|\n", "the fixture must trade");
	free(fills);
	free(t.v);
}
