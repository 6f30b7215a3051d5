/*
 * run.c - the backtest loop: recordings merged by replay, fed to the
 * simulated exchange and the engine in a fixed order, with every decision
 * and account change written to the run database.
 *
 * Per event, in this order (docs/backtest.md says why):
 *   1. sim_advance to the event time: orders reach the matching engine,
 *      fills, acknowledgements and funding due by then go to the engine;
 *   2. engine_on_time, so entry TTLs and protection timeouts fire before
 *      the engine looks at new data;
 *   3. an equity sample when a new minute of exchange time has begun;
 *   4. sim_on_market: the book moves and resting orders may fill;
 *   5. engine_on_event: the engine sees the event and may place orders.
 * The engine's intents go straight to the simulated exchange, stamped with
 * the engine's time; their effects arrive later, through the callbacks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "internal.h"
#include "replay.h"

#define MINUTE_MS 60000
#define PROGRESS_EVERY (1u << 18)

/* What the run learns about each symbol of the settings. */
struct sym_seen {
	const char *symbol;
	bool seen;   /* has had an event */
	bool rules;  /* has trading rules */
	bool warned; /* already said to be absent from the recordings */
};

/* Exchange-time span of each recording. */
struct span {
	int64_t first, last;
	bool any;
};

struct bt {
	const struct backtest_opts *o;
	FILE *diag;
	struct settings settings;
	struct sim_params params;
	bool settings_loaded;
	sim_t *sim;
	engine_t *engine;
	journal_t *journal;
	replay *rp;
	char rp_err[REC_ERR_MAX];
	struct tradelog log;
	struct digests digests;
	struct sym_seen *syms;
	struct span *spans;
	double t0;           /* wall clock at the start, for the timing figures */
	int64_t now;         /* latest exchange time: the clock of the run */
	int64_t first_ms;
	int64_t next_sample; /* when the next minute's equity sample is due */
	uint64_t events, liquidations, user_events;
	uint32_t unseen;     /* settings symbols without an event so far */
	char last_symbol[SYMBOL_MAX]; /* the last symbol looked up for that */
};

static void diag(struct bt *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diag(struct bt *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hunter backtest: ", b->diag);
	vfprintf(b->diag, fmt, ap);
	va_end(ap);
	fputc('\n', b->diag);
}

static double mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the account, sampled ---------------------------------------------- */

static void sample(struct bt *b, int64_t ms, journal_eq_reason_t why)
{
	struct exchange_account a;
	sim_account(b->sim, &a);
	struct journal_equity eq = {a.wallet, a.unrealized, a.margin_used, a.notional,
	                            a.open_positions};
	journal_equity(b->journal, ms, why, &eq);
}

/* ---- the simulated exchange talks to the engine ------------------------ */

static void sim_event(void *ctx, const ev_t *ev)
{
	struct bt *b = ctx;
	bool fill = ev->type == EV_ORDER_UPDATE && ev->u.order.exec == EXEC_TRADE;
	if (fill)
		tradelog_fill(&b->log, ev);
	if (ev->type == EV_ACCOUNT_UPDATE)
		journal_account(b->journal, ev);
	if (ev->exch_ms > b->now)
		b->now = ev->exch_ms;
	engine_on_event(b->engine, ev);
	if (fill)
		sample(b, ev->exch_ms, EQ_FILL);
}

static void sim_reject(void *ctx, const char *symbol, const char *client_id, int code,
                       const char *msg, int64_t ms)
{
	struct bt *b = ctx;
	if (ms > b->now)
		b->now = ms;
	engine_on_reject(b->engine, symbol, client_id, code, msg, ms);
}

/* ---- the engine talks to the exchange and the journal ------------------ */

static void io_place(void *ctx, const order_req *o)
{
	struct bt *b = ctx;
	tradelog_place(&b->log, b->now, o);
	sim_place(b->sim, o, b->now);
}

static void io_cancel(void *ctx, const char *symbol, const char *client_id)
{
	struct bt *b = ctx;
	tradelog_cancel(&b->log, b->now, symbol, client_id);
	sim_cancel(b->sim, symbol, client_id, b->now);
}

static void io_replace(void *ctx, const char *old_client_id, const order_req *o)
{
	struct bt *b = ctx;
	tradelog_replace(&b->log, b->now, old_client_id, o);
	sim_replace(b->sim, old_client_id, o, b->now);
}

static void io_journal(void *ctx, const struct journal_rec *r)
{
	struct bt *b = ctx;
	journal_record(b->journal, r);
}

/* ---- what the data holds ------------------------------------------------ */

static struct sym_seen *sym_find(struct bt *b, const char *symbol)
{
	for (uint32_t i = 0; i < b->settings.nsymbols; i++)
		if (!strcmp(b->syms[i].symbol, symbol))
			return &b->syms[i];
	return NULL;
}

static void rules_seen(struct bt *b, const struct symbol_rules *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct sym_seen *s = sym_find(b, r[i].symbol);
		if (s)
			s->rules = true;
	}
}

/* A liquidation of a traded symbol is what the settings act on: without
 * trading rules the engine could only skip it, so the run stops here. */
static int check_liquidation(struct bt *b, const ev_t *ev)
{
	b->liquidations++;
	const struct sym_seen *s = sym_find(b, ev->symbol);
	if (!s || s->rules)
		return 0;
	const rec_reader *r = replay_reader(b->rp, replay_source(b->rp));
	diag(b, "%s: liquidation at %lld ms (%s, near byte %llu) but no trading rules for %s yet: the"
	        " recordings hold no exchange info for it before this point; give"
	        " --exchange-info FILE", ev->symbol, (long long)ev->exch_ms, rec_reader_path(r),
	     (unsigned long long)rec_reader_offset(r), ev->symbol);
	return -1;
}

/* Marks the symbol of an event as seen. Once every settings symbol has
 * been seen this costs nothing, which is the common case; until then the
 * last symbol looked up is remembered, as events often come in runs. */
static void symbol_seen(struct bt *b, const char *symbol)
{
	if (!strcmp(symbol, b->last_symbol))
		return;
	memcpy(b->last_symbol, symbol, SYMBOL_MAX);
	struct sym_seen *s = sym_find(b, symbol);
	if (s && !s->seen) {
		s->seen = true;
		b->unseen--;
	}
}

/* Bookkeeping on each event from the recordings; -1 stops the run. */
static int note_event(struct bt *b, const ev_t *ev)
{
	struct span *sp = &b->spans[replay_source(b->rp)];
	if (!sp->any || ev->exch_ms < sp->first)
		sp->first = ev->exch_ms;
	if (!sp->any || ev->exch_ms > sp->last)
		sp->last = ev->exch_ms;
	sp->any = true;
	if (b->unseen)
		symbol_seen(b, ev->symbol);
	if (ev->type == EV_EXCHANGE_INFO)
		rules_seen(b, ev->u.info.symbols, ev->u.info.nsymbols);
	if (ev->type == EV_LIQUIDATION)
		return check_liquidation(b, ev);
	return 0;
}

/* ---- the loop ----------------------------------------------------------- */

static void step(struct bt *b, const ev_t *ev)
{
	if (b->events == 0) {
		b->first_ms = b->now = ev->exch_ms;
		sample(b, ev->exch_ms, EQ_START);
		b->next_sample = (ev->exch_ms / MINUTE_MS + 1) * MINUTE_MS;
	}
	b->events++;
	/* Order and account updates in a recording come from some live account,
	 * not from this run: the backtest's own come from the simulation. */
	if (ev->type == EV_ORDER_UPDATE || ev->type == EV_ACCOUNT_UPDATE) {
		b->user_events++;
		return;
	}
	journal_market(b->journal, ev);
	if (ev->exch_ms > b->now)
		b->now = ev->exch_ms;
	sim_advance(b->sim, b->now);
	engine_on_time(b->engine, b->now);
	if (b->now >= b->next_sample) {
		sample(b, b->now, EQ_MINUTE);
		b->next_sample = (b->now / MINUTE_MS + 1) * MINUTE_MS;
	}
	sim_on_market(b->sim, ev);
	engine_on_event(b->engine, ev);
}

static int loop(struct bt *b)
{
	ev_t ev;
	int rc;
	while ((rc = replay_next(b->rp, &ev)) == 1) {
		if (note_event(b, &ev))
			return -1;
		step(b, &ev);
		if (b->o->progress && b->events % PROGRESS_EVERY == 0)
			b->o->progress(b->o->progress_ctx, b->events);
		if (journal_error(b->journal)) {
			diag(b, "%s", journal_error(b->journal));
			return -1;
		}
	}
	if (rc < 0)
		diag(b, "%s", b->rp_err);
	return rc;
}

/* ---- before and after --------------------------------------------------- */

/* Warns about settings symbols that no recording header lists (headers
 * without a symbol list say nothing either way). */
static void check_headers(struct bt *b)
{
	size_t nfiles = replay_nfiles(b->rp);
	for (size_t f = 0; f < nfiles; f++)
		if (rec_reader_header(replay_reader(b->rp, f))->nsymbols == 0)
			return;
	for (uint32_t i = 0; i < b->settings.nsymbols; i++) {
		const char *sym = b->syms[i].symbol;
		bool listed = false;
		for (size_t f = 0; f < nfiles && !listed; f++) {
			const struct rec_header *h = rec_reader_header(replay_reader(b->rp, f));
			for (uint32_t k = 0; k < h->nsymbols && !listed; k++)
				listed = !strcmp(h->symbols[k], sym);
		}
		if (!listed)
			diag(b, "warning: %s is in the settings but in none of the recordings: not traded",
			     sym);
		b->syms[i].warned = !listed;
	}
}

/* After the loop: the data must have held something to trade on. */
static int check_coverage(struct bt *b)
{
	uint32_t with_events = 0;
	for (uint32_t i = 0; i < b->settings.nsymbols; i++) {
		if (b->syms[i].seen)
			with_events++;
		else if (!b->syms[i].warned)
			diag(b, "warning: %s: no events in the recordings: not traded", b->syms[i].symbol);
	}
	if (b->user_events)
		diag(b, "warning: %llu order/account updates in the recordings were ignored (a"
		        " backtest trades its own simulated account)", (unsigned long long)b->user_events);
	uint64_t ooo = replay_out_of_order(b->rp);
	if (ooo)
		diag(b, "warning: %llu events went back in time within their recording; they were"
		        " replayed in file order", (unsigned long long)ooo);
	if (b->events == 0) {
		diag(b, "the recordings hold no events");
		return -1;
	}
	if (with_events == 0) {
		diag(b, "none of the settings' symbols has events in the recordings");
		return -1;
	}
	if (b->liquidations == 0) {
		diag(b, "the recordings hold no liquidation events: the strategy has nothing to act on");
		return -1;
	}
	return 0;
}

static int add_recordings(struct bt *b)
{
	if (digests_wait(&b->digests)) {
		diag(b, "%s", b->digests.err);
		return -1;
	}
	for (size_t i = 0; i < replay_nfiles(b->rp); i++) {
		const rec_reader *r = replay_reader(b->rp, i);
		if (rec_reader_warning(r)[0])
			diag(b, "warning: %s", rec_reader_warning(r));
		struct journal_recording jr = {rec_reader_path(r), b->digests.v[i].hex,
		                               b->digests.v[i].bytes, rec_reader_events(r),
		                               b->spans[i].first, b->spans[i].last};
		journal_add_recording(b->journal, &jr);
	}
	return 0;
}

static int load_rules_file(struct bt *b)
{
	if (!b->o->exchange_info_path)
		return 0;
	struct rules_list rl;
	char err[512];
	if (load_exchange_info(b->o->exchange_info_path, &rl, err, sizeof err)) {
		diag(b, "%s", err);
		return -1;
	}
	for (uint32_t i = 0; i < rl.n; i++) {
		sim_set_rules(b->sim, &rl.v[i]);
		engine_set_rules(b->engine, &rl.v[i]);
	}
	rules_seen(b, rl.v, rl.n);
	free(rl.v);
	return 0;
}

/* Settings problems are usage errors: every one is listed, nothing runs. */
static int load_settings(struct bt *b)
{
	struct config_diag d;
	int rc = config_load_file(b->o->settings_path, &b->settings, &b->params, &d);
	config_diag_print(b->diag, b->o->settings_path, &d);
	if (rc)
		return -1;
	b->settings_loaded = true;
	if (b->o->has_seed)
		b->params.seed = b->o->seed;
	/* The account mode is the settings', so engine and exchange agree. */
	b->params.hedge_mode = b->settings.hedge_mode;
	b->syms = calloc(b->settings.nsymbols ? b->settings.nsymbols : 1, sizeof *b->syms);
	if (!b->syms) {
		diag(b, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < b->settings.nsymbols; i++)
		b->syms[i].symbol = b->settings.symbols[i].symbol;
	b->unseen = b->settings.nsymbols;
	return 0;
}

static int open_journal(struct bt *b, const char *db_path)
{
	char *text, *model, err[512];
	size_t len;
	if (read_file(b->o->settings_path, &text, &len, err, sizeof err)) {
		diag(b, "%s", err);
		return -1;
	}
	model = sim_params_json(&b->params);
	struct journal_run run = {"backtest", text, len, model, b->params.seed, true};
	b->journal = journal_create(db_path, &run, err, sizeof err);
	free(text);
	free(model);
	if (!b->journal)
		diag(b, "%s", err);
	return b->journal ? 0 : -1;
}

static int open_parts(struct bt *b)
{
	b->rp = replay_open(b->o->recordings, b->o->nrecordings, b->rp_err);
	if (!b->rp) {
		diag(b, "%s", b->rp_err);
		return -1;
	}
	b->spans = calloc(b->o->nrecordings, sizeof *b->spans);
	if (digests_start(&b->digests, b->o->recordings, b->o->nrecordings)) {
		diag(b, "%s", b->digests.err[0] ? b->digests.err : "out of memory");
		return -1;
	}
	struct exchange_sink cb = {b, sim_event, sim_reject};
	struct engine_io io = {b, io_place, io_cancel, io_replace, io_journal};
	b->sim = sim_new(&b->params, &cb);
	b->engine = engine_new(&b->settings, &io);
	if (!b->spans || !b->sim || !b->engine || tradelog_init(&b->log)) {
		diag(b, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < b->settings.nsymbols; i++)
		sim_set_leverage(b->sim, b->settings.symbols[i].symbol, b->settings.symbols[i].leverage);
	if (load_rules_file(b))
		return -1;
	check_headers(b);
	return 0;
}

static int finish(struct bt *b, struct backtest_summary *out)
{
	char err[512], hex[65];
	sample(b, b->now, EQ_END);
	tradelog_final(&b->log, hex);
	if (add_recordings(b))
		return -1;
	out->wall_seconds = mono_seconds() - b->t0;
	struct journal_end end = {b->first_ms, b->now, b->events, hex, out->wall_seconds};
	if (journal_finish(b->journal, &end)) {
		diag(b, "%s", journal_error(b->journal));
		return -1;
	}
	journal_close(b->journal);
	b->journal = NULL;
	if (journal_totals_read(out->db_path, &out->t, err, sizeof err)) {
		diag(b, "%s", err);
		return -1;
	}
	const struct journal_totals *t = &out->t;
	int64_t span = t->last_ms - t->first_ms;
	out->win_rate_pct = t->round_trips ? 100.0 * (double)t->wins / (double)t->round_trips : 0;
	out->max_drawdown_pct = 100.0 * t->max_drawdown_frac;
	out->time_in_market_pct = span > 0 ? 100.0 * (double)t->in_market_ms / (double)span : 0;
	return 0;
}

static void teardown(struct bt *b)
{
	journal_close(b->journal);
	engine_free(b->engine);
	sim_free(b->sim);
	replay_close(b->rp);
	digests_free(&b->digests);
	if (b->log.md) {
		char hex[65];
		tradelog_final(&b->log, hex);
	}
	if (b->settings_loaded)
		config_free(&b->settings);
	free(b->syms);
	free(b->spans);
}

static int prepare_out(struct bt *b, struct backtest_summary *out)
{
	char dir[4096];
	if (b->o->out_dir)
		snprintf(dir, sizeof dir, "%s", b->o->out_dir);
	else
		backtest_default_dir(b->o->settings_path, b->o->recordings[0], dir, sizeof dir);
	if (make_dirs(dir)) {
		diag(b, "%s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	if (snprintf(out->db_path, sizeof out->db_path, "%s/run.db", dir) >= (int)sizeof out->db_path) {
		out->db_path[0] = '\0';
		diag(b, "%s: path too long", dir);
		return -1;
	}
	return 0;
}

int backtest_run(const struct backtest_opts *o, struct backtest_summary *out)
{
	struct bt b = {.o = o, .diag = o->diag ? o->diag : stderr, .t0 = mono_seconds()};
	memset(out, 0, sizeof *out);
	if (load_settings(&b)) {
		teardown(&b);
		return BT_EUSAGE;
	}
	int rc = BT_EDATA;
	if (open_parts(&b) || prepare_out(&b, out))
		goto done;
	if (open_journal(&b, out->db_path)) {
		out->db_path[0] = '\0';
		goto done;
	}
	double t1 = mono_seconds();
	if (loop(&b) || check_coverage(&b))
		goto done;
	out->loop_seconds = mono_seconds() - t1;
	out->events = b.events;
	out->out_of_order = replay_out_of_order(b.rp);
	out->events_per_sec = out->loop_seconds > 0 ? (double)b.events / out->loop_seconds : 0;
	if (finish(&b, out) == 0)
		rc = BT_OK;
done:
	teardown(&b);
	/* A run that failed part way leaves no database that looks complete. */
	if (rc != BT_OK && out->db_path[0])
		unlink(out->db_path);
	return rc;
}
