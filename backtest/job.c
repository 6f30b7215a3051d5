/*
 * job.c - one settings of a backtest: its session over a simulated
 * exchange, its run database, and what it learns about its symbols on the
 * way. run.c replays the recordings once and hands every event to each job,
 * so `hunter backtest` is a pass with one job and `hunter sweep` a pass
 * with many; a job's result does not depend on the others beside it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backtest_int.h"

void bt_diag_line(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	fprintf(f, "%s: ", prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void bt_job_diag(struct job *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bt_diag_line(j->diag, j->prefix, fmt, ap);
	va_end(ap);
}

/* ---- settings ----------------------------------------------------------- */

/* Settings problems are usage errors: every one is listed, nothing runs. */
static int load_settings(struct job *j, const struct backtest_opts *o)
{
	struct config_diag d;
	const struct backtest_job *bj = j->spec;
	int rc = bj->settings_text
	             ? config_load_text(bj->settings_text, bj->settings_len, &j->settings,
	                                &j->live_settings, &j->params, &d)
	             : config_load_file(bj->name, &j->settings, &j->live_settings, &j->params, &d);
	config_diag_print(j->diag, bj->name, &d);
	if (rc)
		return -1;
	j->settings_loaded = true;
	if (o->has_seed)
		j->params.seed = o->seed;
	/* The account mode is the settings', so engine and exchange agree. */
	j->params.hedge_mode = j->settings.hedge_mode;
	j->syms = calloc(j->settings.nsymbols ? j->settings.nsymbols : 1, sizeof *j->syms);
	if (!j->syms) {
		bt_job_diag(j, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < j->settings.nsymbols; i++)
		j->syms[i].symbol = j->settings.symbols[i].symbol;
	j->unseen = j->settings.nsymbols;
	return 0;
}

/* ---- the run database --------------------------------------------------- */

/* run.db is written as run.db.partial beside it and renamed at the end, so
 * a run that fails never destroys the database of the run before it. */
static int prepare_out(struct job *j)
{
	struct backtest_summary *out = &j->spec->out;
	const char *dir = j->spec->out_dir;
	if (bt_make_dirs(dir)) {
		bt_job_diag(j, "%s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	if (snprintf(out->db_path, sizeof out->db_path, "%s/run.db", dir) >= (int)sizeof out->db_path ||
	    snprintf(out->tmp_path, sizeof out->tmp_path, "%s/run.db.partial", dir) >=
	        (int)sizeof out->tmp_path) {
		out->db_path[0] = out->tmp_path[0] = '\0';
		bt_job_diag(j, "%s: path too long", dir);
		return -1;
	}
	return 0;
}

/* The run database records the settings as the run used them (defaults
 * filled in) and the model from the same writer, never the file's text. */
static int open_journal(struct job *j, int64_t liq_delay_ms)
{
	char err[512];
	size_t len, mlen;
	char *text = config_effective_text(&j->settings, &j->live_settings, &j->params, &len);
	char *model = config_simulation_text(&j->params, &mlen);
	if (!text || !model) {
		free(text);
		free(model);
		bt_job_diag(j, "out of memory");
		return -1;
	}
	struct journal_run run = {"backtest", text, len, model, j->params.seed, true, liq_delay_ms, false};
	j->journal = journal_create(j->spec->out.tmp_path, &run, err, sizeof err);
	free(text);
	free(model);
	if (!j->journal) {
		j->spec->out.tmp_path[0] = '\0';
		bt_job_diag(j, "%s", err);
	}
	return j->journal ? 0 : -1;
}

/* The session over a simulated exchange answering to it. */
static int open_session(struct job *j, const struct rules_list *rules)
{
	j->session = session_new(&j->settings, j->journal);
	if (!j->session) {
		bt_job_diag(j, "out of memory");
		return -1;
	}
	session_journal_market(j->session, j->spec->market_tables);
	struct exchange_sink sink = session_sink(j->session);
	j->sim = sim_new(&j->params, &sink);
	if (!j->sim) {
		bt_job_diag(j, "out of memory");
		return -1;
	}
	exchange_t x;
	sim_exchange(j->sim, &x);
	session_attach(j->session, &x, NULL, NULL);
	for (uint32_t i = 0; i < rules->n; i++)
		session_set_rules(j->session, &rules->v[i]);
	bt_job_rules_seen(j, rules->v, rules->n);
	return 0;
}

int bt_job_load(struct job *j, const struct backtest_opts *o)
{
	j->spec->rc = BT_EUSAGE;
	if (load_settings(j, o))
		return -1;
	j->spec->rc = BT_EDATA;
	return 0;
}

int bt_job_open(struct job *j, const struct rules_list *rules, int64_t liq_delay_ms)
{
	if (prepare_out(j) || open_journal(j, liq_delay_ms) || open_session(j, rules))
		return -1;
	j->live = true;
	return 0;
}

/* ---- what the data holds ------------------------------------------------ */

static struct sym_seen *sym_find(struct job *j, const char *symbol)
{
	for (uint32_t i = 0; i < j->settings.nsymbols; i++)
		if (!strcmp(j->syms[i].symbol, symbol))
			return &j->syms[i];
	return NULL;
}

void bt_job_rules_seen(struct job *j, const struct symbol_rules *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct sym_seen *s = sym_find(j, r[i].symbol);
		if (s) {
			s->rules = true;
			s->trading = r[i].trading && r[i].tick > 0 && r[i].step > 0;
		}
	}
}

/* Marks the symbol of an event as seen. Once every settings symbol has
 * been seen this costs nothing, which is the common case; until then the
 * last symbol looked up is remembered, as events often come in runs. */
static void symbol_seen(struct job *j, const char *symbol)
{
	if (!strcmp(symbol, j->last_symbol))
		return;
	memcpy(j->last_symbol, symbol, SYMBOL_MAX);
	struct sym_seen *s = sym_find(j, symbol);
	if (s && !s->seen) {
		s->seen = true;
		j->unseen--;
	}
}

/* A liquidation of a traded symbol is what the settings act on: without
 * trading rules the engine could only skip it, so the job stops here. */
static int check_liquidation(struct job *j, const ev_t *ev, const char *where)
{
	const struct sym_seen *s = sym_find(j, ev->symbol);
	if (!s || s->rules)
		return 0;
	bt_job_diag(j, "%s: liquidation at %lld ms (%s) but no trading rules for %s yet: the"
	            " recordings hold no exchange info for it before this point; give"
	            " --exchange-info FILE", ev->symbol, (long long)ev->exch_ms, where, ev->symbol);
	return -1;
}

/* Before its window, a job takes trading rules and nothing else. */
static bool outside_window(struct job *j, const ev_t *ev)
{
	const struct backtest_job *b = j->spec;
	bool before = b->from_ms && ev->exch_ms < b->from_ms;
	if (before && ev->type == EV_EXCHANGE_INFO)
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			session_set_rules(j->session, &ev->u.info.symbols[i]);
	return before || (b->to_ms && ev->exch_ms >= b->to_ms);
}

/* One event of the recordings; -1 ends this job with an error. */
int bt_job_feed(struct job *j, const ev_t *ev, const char *where)
{
	if (ev->type == EV_EXCHANGE_INFO)
		bt_job_rules_seen(j, ev->u.info.symbols, ev->u.info.nsymbols);
	if (outside_window(j, ev))
		return 0;
	if (j->events++ == 0)
		j->first_ms = ev->exch_ms;
	/* Order and account updates in a recording come from some live account,
	 * not from this run: the backtest's own come from the simulation. */
	if (ev->type == EV_ORDER_UPDATE || ev->type == EV_ACCOUNT_UPDATE)
		return 0;
	if (j->unseen)
		symbol_seen(j, ev->symbol);
	if (ev->type == EV_LIQUIDATION && check_liquidation(j, ev, where))
		return -1;
	session_on_market(j->session, ev);
	if (journal_error(j->journal)) {
		bt_job_diag(j, "%s", journal_error(j->journal));
		return -1;
	}
	return 0;
}

/* ---- after the pass ----------------------------------------------------- */

/* Warns about settings symbols that no recording header lists (headers
 * without a symbol list say nothing either way). */
void bt_job_check_headers(struct job *j, const struct rec_header *const *h, size_t nfiles)
{
	for (size_t f = 0; f < nfiles; f++)
		if (h[f]->nsymbols == 0)
			return;
	for (uint32_t i = 0; i < j->settings.nsymbols; i++) {
		const char *sym = j->syms[i].symbol;
		bool listed = false;
		for (size_t f = 0; f < nfiles && !listed; f++)
			for (uint32_t k = 0; k < h[f]->nsymbols && !listed; k++)
				listed = !strcmp(h[f]->symbols[k], sym);
		if (!listed)
			bt_job_diag(j, "warning: %s is in the settings but in none of the recordings: not"
			            " traded", sym);
		j->syms[i].warned = !listed;
	}
}

/* Symbols of the settings that can never trade, named with the reason:
 * their signals were all skipped, which a summary alone would hide. */
static void check_tradable(struct job *j)
{
	for (uint32_t i = 0; i < j->settings.nsymbols; i++) {
		const struct sym_seen *s = &j->syms[i];
		if (!s->seen)
			continue;
		if (!s->rules)
			bt_job_diag(j, "warning: %s cannot trade: no trading rules (give --exchange-info FILE)",
				    s->symbol);
		else if (!s->trading)
			bt_job_diag(j, "warning: %s cannot trade: its rules say it is not TRADING, or give"
			            " no tick or step size", s->symbol);
	}
}

/* The settings' symbols must have had events to trade on. */
int bt_job_check_coverage(struct job *j, bool interrupted)
{
	uint32_t with_events = 0;
	for (uint32_t i = 0; i < j->settings.nsymbols; i++) {
		if (j->syms[i].seen)
			with_events++;
		else if (!j->syms[i].warned)
			bt_job_diag(j, "warning: %s: no events in the recordings: not traded",
				    j->syms[i].symbol);
	}
	check_tradable(j);
	if (j->events == 0 && !interrupted) {
		bt_job_diag(j, "no events in its time window");
		return -1;
	}
	if (with_events == 0 && !interrupted) {
		bt_job_diag(j, "none of the settings' symbols has events in the recordings");
		return -1;
	}
	return 0;
}

/* How the simulation priced each symbol's fills, for the run database. */
static void record_fill_modes(struct job *j)
{
	struct sim_symbol_stats st[64];
	uint32_t n = sim_symbol_stats(j->sim, st, 64);
	for (uint32_t i = 0; i < n && i < 64; i++) {
		struct journal_symbol_fills f = {st[i].symbol, st[i].qty_depth, st[i].qty_top,
		                                 st[i].qty_trades, st[i].qty_assumed,
		                                 st[i].stop_triggers, st[i].stop_triggers_on_last,
		                                 st[i].stop_triggers_on_mark};
		journal_symbol_fills(j->journal, &f);
	}
}

int bt_job_finish(struct job *j, const struct pass_end *pe)
{
	char err[512], hex[65];
	struct backtest_summary *out = &j->spec->out;
	int64_t last_ms = session_now(j->session);
	session_finish(j->session, hex);
	record_fill_modes(j);
	for (size_t i = 0; i < pe->nrecordings; i++)
		journal_add_recording(j->journal, &pe->recordings[i]);
	struct journal_end end = {j->first_ms, last_ms, j->events, hex, pe->wall_seconds,
	                          pe->interrupted};
	if (journal_finish(j->journal, &end)) {
		bt_job_diag(j, "%s", journal_error(j->journal));
		return -1;
	}
	journal_close(j->journal);
	j->journal = NULL;
	if (rename(out->tmp_path, out->db_path)) {
		bt_job_diag(j, "%s: cannot rename to %s: %s", out->tmp_path, out->db_path, strerror(errno));
		return -1;
	}
	out->tmp_path[0] = '\0';
	if (journal_totals_read(out->db_path, &out->t, err, sizeof err)) {
		bt_job_diag(j, "%s", err);
		return -1;
	}
	const struct journal_totals *t = &out->t;
	int64_t span = t->last_ms - t->first_ms;
	out->events = j->events;
	out->out_of_order = pe->out_of_order;
	out->interrupted = pe->interrupted;
	out->win_rate_pct = t->round_trips ? 100.0 * (double)t->wins / (double)t->round_trips : 0;
	out->max_drawdown_pct = 100.0 * t->max_drawdown_frac;
	out->time_in_market_pct = span > 0 ? 100.0 * (double)t->in_market_ms / (double)span : 0;
	j->spec->rc = pe->interrupted ? BT_EINTR : BT_OK;
	return 0;
}

/* Releases everything; a job that did not finish leaves no database that
 * looks complete, and the previous run's database as it was. */
void bt_job_close(struct job *j)
{
	session_free(j->session); /* and the simulation with it */
	journal_close(j->journal);
	if (j->spec->out.tmp_path[0])
		unlink(j->spec->out.tmp_path);
	if (j->settings_loaded)
		config_free(&j->settings);
	free(j->syms);
	memset(j, 0, sizeof *j);
}
