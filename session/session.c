/*
 * session.c - one run: the per-event order of session.h, the engine's
 * intents passed to the exchange, the exchange's answers passed to the
 * engine, and everything that happens on the way written to the journal
 * and the trade log.
 *
 * Deadlines are run in time order before any later market event, whatever
 * owns them: on sparse data a 30 s entry TTL must cancel the order 30 s
 * after it was placed, not at the next trade a minute later, and the cancel
 * must reach the exchange before that trade is matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_int.h"

#define MINUTE_MS 60000
#define SECOND_MS 1000

struct session {
	const struct settings *settings;
	engine_t *engine;
	exchange_t x;
	journal_t *journal;
	struct tradelog log;
	int64_t now;         /* exchange time reached */
	bool started;
	int64_t next_minute; /* when the next minute's equity sample is due */
	int64_t last_second; /* second of the last market event */
	int64_t acting_ms;   /* exchange time of the answer being delivered; 0 none */
	bool market_tables;
	char (*refused)[SYMBOL_MAX]; /* symbols the exchange would not set up: not traded */
	uint32_t nrefused;
};

/* ---- the account, sampled ---------------------------------------------- */

/* Price samples are taken only while a position is open: without one,
 * equity cannot move between fills. */
static void sample(struct session *s, int64_t ms, journal_eq_reason_t why)
{
	struct exchange_account a;
	exchange_account(&s->x, &a);
	if (why == EQ_PRICE && !a.open_positions)
		return;
	struct journal_equity eq = {a.wallet, a.unrealized, a.margin_used, a.notional,
	                            a.open_positions};
	journal_equity(s->journal, ms, why, &eq);
}

/* Between minute samples, equity is sampled on each new second of market
 * data, so that the drawdown is exact at every price the run saw. */
static void sample_price(struct session *s, int64_t ms)
{
	int64_t sec = ms / SECOND_MS;
	if (sec <= s->last_second)
		return;
	s->last_second = sec;
	sample(s, ms, EQ_PRICE);
}

/* ---- the exchange answers ---------------------------------------------- */

static bool is_fill(const ev_t *ev)
{
	return ev->type == EV_ORDER_UPDATE &&
	       (ev->u.order.exec == EXEC_TRADE || ev->u.order.exec == EXEC_CALCULATED) &&
	       ev->u.order.last_qty > 0;
}

/* When the exchange acted: a fill's trade time, else the event time. */
static int64_t acted_ms(const ev_t *ev)
{
	if (ev->type == EV_ORDER_UPDATE && ev->u.order.trade_ms)
		return ev->u.order.trade_ms;
	return ev->exch_ms;
}

static void on_answer(void *ctx, const ev_t *ev)
{
	struct session *s = ctx;
	bool fill = is_fill(ev);
	if (fill)
		ss_tradelog_fill(&s->log, ev);
	if (ev->type == EV_ACCOUNT_UPDATE)
		journal_account(s->journal, ev);
	if (ev->exch_ms > s->now)
		s->now = ev->exch_ms;
	/* The engine learns of it now, which is later than the exchange's
	 * stamp by the answer's latency: its clock must say so. */
	engine_on_time(s->engine, s->now);
	s->acting_ms = acted_ms(ev);
	engine_on_event(s->engine, ev);
	s->acting_ms = 0;
	if (fill)
		sample(s, ev->exch_ms, EQ_FILL);
}

static void on_refusal(void *ctx, const char *symbol, const char *client_id, int code,
                       const char *msg, int64_t ms)
{
	struct session *s = ctx;
	if (ms > s->now)
		s->now = ms;
	engine_on_time(s->engine, s->now);
	s->acting_ms = ms;
	engine_on_reject(s->engine, symbol, client_id, code, msg, ms);
	s->acting_ms = 0;
}

struct exchange_sink session_sink(session_t *s)
{
	return (struct exchange_sink){s, on_answer, on_refusal};
}

/* ---- the engine's intents ---------------------------------------------- */

static void io_place(void *ctx, const order_req *o)
{
	struct session *s = ctx;
	ss_tradelog_place(&s->log, s->now, o);
	exchange_place(&s->x, o, s->now);
}

static void io_cancel(void *ctx, const char *symbol, const char *client_id)
{
	struct session *s = ctx;
	ss_tradelog_cancel(&s->log, s->now, symbol, client_id);
	exchange_cancel(&s->x, symbol, client_id, s->now);
}

static void io_replace(void *ctx, const char *old_client_id, const order_req *o)
{
	struct session *s = ctx;
	ss_tradelog_replace(&s->log, s->now, old_client_id, o);
	exchange_replace(&s->x, old_client_id, o, s->now);
}

static void io_journal(void *ctx, const struct journal_rec *r)
{
	struct session *s = ctx;
	journal_record_at(s->journal, r, s->acting_ms);
}

/* ---- life cycle --------------------------------------------------------- */

session_t *session_new(const struct settings *settings, journal_t *journal)
{
	struct session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->settings = settings;
	s->journal = journal;
	s->market_tables = true;
	struct engine_io io = {s, io_place, io_cancel, io_replace, io_journal};
	s->engine = engine_new(settings, &io);
	if (!s->engine || ss_tradelog_init(&s->log)) {
		session_free(s);
		return NULL;
	}
	return s;
}

/* A symbol's leverage and margin type on the exchange, as settings say. */
static int setup_symbol(struct session *s, const struct symbol_settings *y)
{
	struct symbol_setup u = {.leverage = y->leverage, .margin_type = y->margin_type};
	memcpy(u.symbol, y->symbol, SYMBOL_MAX);
	return exchange_setup_symbol(&s->x, &u);
}

/* Remembers a symbol the exchange refused to set up; false when out of
 * memory (the refusal then ends the set-up). */
static bool refuse(struct session *s, const char *symbol)
{
	void *v = realloc(s->refused, (s->nrefused + 1) * sizeof *s->refused);
	if (!v)
		return false;
	s->refused = v;
	snprintf(s->refused[s->nrefused++], SYMBOL_MAX, "%s", symbol);
	return true;
}

int session_attach(session_t *s, exchange_t *x, session_refused_fn refused, void *ctx)
{
	s->x = *x;
	struct exchange_account a;
	exchange_account(&s->x, &a);
	engine_set_wallet(s->engine, a.wallet);
	int rc = exchange_set_position_mode(&s->x, s->settings->hedge_mode);
	for (uint32_t i = 0; i < s->settings->nsymbols && !rc; i++) {
		const char *symbol = s->settings->symbols[i].symbol;
		int code = setup_symbol(s, &s->settings->symbols[i]);
		if (code && refused && refuse(s, symbol))
			refused(ctx, symbol, code);
		else
			rc = code;
	}
	return rc;
}

void session_free(session_t *s)
{
	if (!s)
		return;
	engine_free(s->engine);
	free(s->refused);
	if (s->x.ops)
		exchange_destroy(&s->x);
	if (s->log.md) {
		char hex[65];
		ss_tradelog_final(&s->log, hex);
	}
	free(s);
}

static const struct symbol_settings *find_symbol(const struct settings *s, const char *symbol)
{
	for (uint32_t i = 0; i < s->nsymbols; i++)
		if (!strcmp(s->symbols[i].symbol, symbol))
			return &s->symbols[i];
	return NULL;
}

int session_apply_settings(session_t *s, const struct settings *settings, const char **why)
{
	if ((*why = engine_apply_settings(s->engine, settings)))
		return -1;
	int rc = 0;
	for (uint32_t i = 0; i < settings->nsymbols; i++) {
		const struct symbol_settings *y = &settings->symbols[i];
		const struct symbol_settings *old = find_symbol(s->settings, y->symbol);
		if ((!old || old->leverage != y->leverage || old->margin_type != y->margin_type) &&
		    setup_symbol(s, y)) {
			*why = "the exchange refused a new leverage or margin type";
			rc = 1;
		}
	}
	return rc;
}

const engine_t *session_engine(const session_t *s)
{
	return s->engine;
}

void session_set_id_stamp(session_t *s, int64_t ms)
{
	engine_set_id_stamp(s->engine, ms);
}

void session_stop_entries(session_t *s, const char *reason)
{
	engine_stop_entries(s->engine, reason);
}

void session_close_all(session_t *s, const char *reason)
{
	engine_close_all(s->engine, reason);
}

void session_journal_market(session_t *s, bool on)
{
	s->market_tables = on;
}

void session_set_rules(session_t *s, const struct symbol_rules *r)
{
	struct symbol_rules own = *r;
	for (uint32_t i = 0; i < s->nrefused; i++)
		if (!strcmp(s->refused[i], r->symbol))
			own.trading = false; /* its signals are skipped as no_rules */
	exchange_set_rules(&s->x, &own);
	engine_set_rules(s->engine, &own);
}

int64_t session_now(const session_t *s)
{
	return s->now;
}

/* ---- time --------------------------------------------------------------- */

static void start(struct session *s, int64_t ms)
{
	s->started = true;
	s->now = ms;
	s->last_second = ms / SECOND_MS - 1;
	sample(s, ms, EQ_START);
	s->next_minute = (ms / MINUTE_MS + 1) * MINUTE_MS;
}

static int64_t next_deadline(const struct session *s)
{
	int64_t d = exchange_next_due(&s->x);
	int64_t e = engine_next_due(s->engine);
	if (e < d)
		d = e;
	return s->next_minute < d ? s->next_minute : d;
}

/* Time reaches `t`: the exchange delivers what is due, the engine's
 * deadlines fire, and a minute sample is taken when one is due. */
static void tick(struct session *s, int64_t t)
{
	if (t > s->now)
		s->now = t;
	exchange_advance(&s->x, s->now);
	engine_on_time(s->engine, s->now);
	if (s->now >= s->next_minute) {
		sample(s, s->now, EQ_MINUTE);
		s->next_minute = (s->now / MINUTE_MS + 1) * MINUTE_MS;
	}
}

/* Every deadline due by `t`, each at its own time; then the clock is at
 * `t`, with nothing left to do there (the common case costs three
 * comparisons). A deadline that does not move when its time has come (an
 * engine timer it cannot act on yet) is left for the next step rather than
 * spun on. */
static void run_until(struct session *s, int64_t t)
{
	int stuck = 0;
	for (int64_t d; (d = next_deadline(s)) <= t && stuck < 2;) {
		stuck = d <= s->now ? stuck + 1 : 0;
		tick(s, d);
	}
	if (t > s->now)
		s->now = t;
}

void session_advance(session_t *s, int64_t now_ms)
{
	if (!s->started)
		start(s, now_ms);
	run_until(s, now_ms);
}

void session_on_market(session_t *s, const ev_t *ev)
{
	if (ev->type == EV_ORDER_UPDATE || ev->type == EV_ACCOUNT_UPDATE)
		return;
	if (!s->started)
		start(s, ev->exch_ms);
	run_until(s, ev->exch_ms > s->now ? ev->exch_ms : s->now);
	exchange_on_market(&s->x, ev);
	engine_on_event(s->engine, ev);
	/* after the engine: an order the event fires does not wait for the
	 * event's own row */
	if (s->market_tables)
		journal_market(s->journal, ev);
	sample_price(s, s->now);
}

void session_adopt(session_t *s, int64_t ms)
{
	if (!s->started)
		start(s, ms);
	struct exchange_open o;
	exchange_open_state(&s->x, &o);
	engine_adopt(s->engine, o.positions, o.npositions, o.orders, o.norders, ms);
}

void session_finish(session_t *s, char hex[65])
{
	sample(s, s->now, EQ_END);
	ss_tradelog_final(&s->log, hex);
}
