/*
 * run.c - a backtest: recordings merged by replay and fed, one event at a
 * time, to a session (session.h) over the simulated exchange. The session
 * fixes the order in which the exchange, the engine and the journal see
 * each event; this file checks that the data can be traded at all, keeps
 * the run database safe (written beside the old one, renamed on success),
 * and stops cleanly when the user asks.
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
#include "session.h"

#define PROGRESS_EVERY (1u << 18)
#define RECORDING_GAP_MS 60000 /* a hole between recordings worth a warning */

/* What the run learns about each symbol of the settings. */
struct sym_seen {
	const char *symbol;
	bool seen;    /* has had an event */
	bool rules;   /* has trading rules */
	bool trading; /* ... saying it trades, with a tick and a step */
	bool warned;  /* already said to be absent from the recordings */
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
	sim_t *sim;          /* owned by the session once attached */
	session_t *session;
	journal_t *journal;
	replay *rp;
	char rp_err[REC_ERR_MAX];
	struct digests digests;
	struct sym_seen *syms;
	struct span *spans;
	double t0;           /* wall clock at the start, for the timing figures */
	int64_t first_ms;
	bool interrupted;
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
		if (s) {
			s->rules = true;
			s->trading = r[i].trading && r[i].tick > 0 && r[i].step > 0;
		}
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
	if (b->events++ == 0)
		b->first_ms = ev->exch_ms;
	/* Order and account updates in a recording come from some live account,
	 * not from this run: the backtest's own come from the simulation. */
	if (ev->type == EV_ORDER_UPDATE || ev->type == EV_ACCOUNT_UPDATE) {
		b->user_events++;
		return;
	}
	session_on_market(b->session, ev);
}

static int loop(struct bt *b)
{
	ev_t ev;
	int rc;
	while ((rc = replay_next(b->rp, &ev)) == 1) {
		if (b->o->stop && *b->o->stop) {
			b->interrupted = true;
			return 0;
		}
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

/* Symbols of the settings that can never trade, named with the reason:
 * their signals were all skipped, which a summary alone would hide. */
static void check_tradable(struct bt *b)
{
	for (uint32_t i = 0; i < b->settings.nsymbols; i++) {
		const struct sym_seen *s = &b->syms[i];
		if (!s->seen)
			continue;
		if (!s->rules)
			diag(b, "warning: %s cannot trade: no trading rules (give --exchange-info FILE)",
			     s->symbol);
		else if (!s->trading)
			diag(b, "warning: %s cannot trade: its rules say it is not TRADING, or give"
			        " no tick or step size", s->symbol);
	}
}

static int span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *c = y;
	return (a->first > c->first) - (a->first < c->first);
}

/* Recordings merged with a hole between them: nothing is known there, and
 * a quote from before the hole must not price orders after it. */
static void check_recording_gaps(struct bt *b)
{
	size_t n = 0;
	struct span *v = malloc(b->o->nrecordings * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < b->o->nrecordings; i++)
		if (b->spans[i].any)
			v[n++] = b->spans[i];
	qsort(v, n, sizeof *v, span_cmp);
	int64_t last = n ? v[0].last : 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i].first - last > RECORDING_GAP_MS) {
			char from[UTC_FMT_MAX], to[UTC_FMT_MAX];
			utc_format(last, from);
			utc_format(v[i].first, to);
			diag(b, "warning: the recordings hold nothing from %s to %s; quotes older than"
			        " max_quote_age_sec are not used across the hole", from, to);
		}
		if (v[i].last > last)
			last = v[i].last;
	}
	free(v);
}

/* After the loop: the data must have held something to trade on. */
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
	check_tradable(b);
	check_recording_gaps(b);
	if (b->interrupted)
		return 0;
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
	for (uint32_t i = 0; i < rl.n; i++)
		session_set_rules(b->session, &rl.v[i]);
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

/* A stream's text in memory (malloc'd), or NULL. */
static char *print_to_string(int (*print)(FILE *, const void *), const void *arg, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (!f)
		return NULL;
	int rc = print(f, arg);
	if (fclose(f) || rc) {
		free(text);
		return NULL;
	}
	return text;
}

static int print_settings(FILE *f, const void *b)
{
	const struct bt *bt = b;
	return config_write_effective(f, &bt->settings, &bt->params);
}

static int print_model(FILE *f, const void *p)
{
	return config_write_simulation(f, p);
}

/* The run database records the settings as the run used them (defaults
 * filled in) and the model from the same writer, never the file's text. */
static int open_journal(struct bt *b, const char *db_path)
{
	char err[512];
	size_t len, mlen;
	char *text = print_to_string(print_settings, b, &len);
	char *model = print_to_string(print_model, &b->params, &mlen);
	if (!text || !model) {
		free(text);
		free(model);
		diag(b, "out of memory");
		return -1;
	}
	struct journal_run run = {"backtest", text, len, model, b->params.seed, true, -1};
	b->journal = journal_create(db_path, &run, err, sizeof err);
	free(text);
	free(model);
	if (!b->journal)
		diag(b, "%s", err);
	return b->journal ? 0 : -1;
}

static int open_inputs(struct bt *b)
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
	if (!b->spans) {
		diag(b, "out of memory");
		return -1;
	}
	check_headers(b);
	return 0;
}

/* The session over a simulated exchange answering to it. */
static int open_session(struct bt *b)
{
	b->session = session_new(&b->settings, b->journal);
	if (!b->session) {
		diag(b, "out of memory");
		return -1;
	}
	struct exchange_sink sink = session_sink(b->session);
	b->sim = sim_new(&b->params, &sink);
	if (!b->sim) {
		diag(b, "out of memory");
		return -1;
	}
	exchange_t x;
	sim_exchange(b->sim, &x);
	session_attach(b->session, &x);
	return load_rules_file(b);
}

static int finish(struct bt *b, struct backtest_summary *out)
{
	char err[512], hex[65];
	int64_t last_ms = session_now(b->session);
	session_finish(b->session, hex);
	if (add_recordings(b))
		return -1;
	out->wall_seconds = mono_seconds() - b->t0;
	struct journal_end end = {b->first_ms, last_ms, b->events, hex, out->wall_seconds,
	                          b->interrupted};
	if (journal_finish(b->journal, &end)) {
		diag(b, "%s", journal_error(b->journal));
		return -1;
	}
	journal_close(b->journal);
	b->journal = NULL;
	if (rename(out->tmp_path, out->db_path)) {
		diag(b, "%s: cannot rename to %s: %s", out->tmp_path, out->db_path, strerror(errno));
		return -1;
	}
	if (journal_totals_read(out->db_path, &out->t, err, sizeof err)) {
		diag(b, "%s", err);
		return -1;
	}
	const struct journal_totals *t = &out->t;
	int64_t span = t->last_ms - t->first_ms;
	out->interrupted = b->interrupted;
	out->win_rate_pct = t->round_trips ? 100.0 * (double)t->wins / (double)t->round_trips : 0;
	out->max_drawdown_pct = 100.0 * t->max_drawdown_frac;
	out->time_in_market_pct = span > 0 ? 100.0 * (double)t->in_market_ms / (double)span : 0;
	return 0;
}

static void teardown(struct bt *b)
{
	session_free(b->session); /* and the simulation with it */
	journal_close(b->journal);
	replay_close(b->rp);
	digests_free(&b->digests);
	if (b->settings_loaded)
		config_free(&b->settings);
	free(b->syms);
	free(b->spans);
}

/* run.db is written as run.db.partial beside it and renamed at the end, so
 * a run that fails never destroys the database of the run before it. */
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
	if (snprintf(out->db_path, sizeof out->db_path, "%s/run.db", dir) >= (int)sizeof out->db_path ||
	    snprintf(out->tmp_path, sizeof out->tmp_path, "%s/run.db.partial", dir) >=
	        (int)sizeof out->tmp_path) {
		out->db_path[0] = out->tmp_path[0] = '\0';
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
	if (open_inputs(&b) || prepare_out(&b, out))
		goto done;
	if (open_journal(&b, out->tmp_path)) {
		out->tmp_path[0] = '\0';
		goto done;
	}
	if (open_session(&b))
		goto done;
	double t1 = mono_seconds();
	if (loop(&b) || check_coverage(&b))
		goto done;
	out->loop_seconds = mono_seconds() - t1;
	out->events = b.events;
	out->out_of_order = replay_out_of_order(b.rp);
	out->events_per_sec = out->loop_seconds > 0 ? (double)b.events / out->loop_seconds : 0;
	if (finish(&b, out) == 0)
		rc = b.interrupted ? BT_EINTR : BT_OK;
done:
	teardown(&b);
	/* A run that failed part way leaves no database that looks complete,
	 * and the previous run's database as it was. */
	if (rc != BT_OK && rc != BT_EINTR && out->tmp_path[0])
		unlink(out->tmp_path);
	return rc;
}
