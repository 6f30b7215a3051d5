/*
 * run.c - a live run from start to end: settings, credentials, the run
 * database, the exchange (Aster or the simulation), the session, the
 * market streams through the recorder, and the loop that turns them all.
 *
 * Start-up order matters: the session is attached (position mode,
 * leverage, margin type) before any market event, and what is already on
 * the account (positions, hunter's own open orders) is adopted as soon as
 * the first exchange info has given the trading rules, before the first
 * signal can fire. A stop (SIGTERM, Ctrl-C) stops new entries first, then
 * ends the run: take-profits and stop-losses are exchange orders and stay.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "live_int.h"

#define TURN_MS 5          /* the loop's longest sleep */

int64_t live_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void live_say(struct live *l, const char *fmt, ...)
{
	char msg[LIVE_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (l->o->say)
		l->o->say(l->o->ctx, msg);
}

/* ---- events on their way ------------------------------------------------ */

/* The first exchange info: the settings' symbols it does not list as
 * trading are named (the engine skips their signals as "no_rules"). */
static void name_untradable(struct live *l, const struct ev_exchange_info *info)
{
	for (uint32_t k = 0; k < l->s.nsymbols; k++) {
		const char *sym = l->s.symbols[k].symbol;
		const struct symbol_rules *r = NULL;
		for (uint32_t i = 0; i < info->nsymbols && !r; i++)
			if (!strcmp(info->symbols[i].symbol, sym))
				r = &info->symbols[i];
		if (!r || !r->trading || !r->tick || !r->step)
			live_say(l, "%s cannot trade: %s; it is skipped", sym,
			         !r ? "the exchange does not list it" : "its status is not TRADING");
	}
}

/* Market events as the recorder writes them: rules, the clock, the session. */
static void on_market(void *ctx, const ev_t *ev)
{
	struct live *l = ctx;
	if (ev->type == EV_EXCHANGE_INFO) {
		for (uint32_t i = 0; i < ev->u.info.nsymbols; i++)
			if (config_find_symbol(&l->s, ev->u.info.symbols[i].symbol))
				session_set_rules(l->session, &ev->u.info.symbols[i]);
		if (!l->have_rules)
			name_untradable(l, &ev->u.info);
		l->have_rules = true;
	}
	if (ev->exch_ms > 0 && ev->recv_ns > 0)
		session_clock_event(&l->clock, live_mono_ms() - (net_now_ns() - ev->recv_ns) / 1000000,
		                    ev->exch_ms);
	if (!l->first_ms)
		l->first_ms = ev->exch_ms;
	if (ev->exch_ms > l->last_ms)
		l->last_ms = ev->exch_ms;
	l->events++;
	l->liquidations += ev->type == EV_LIQUIDATION;
	session_on_market(l->session, ev);
}

/* Order and account updates: into the recording, then to the session. */
static void on_answer(void *ctx, const ev_t *ev)
{
	struct live *l = ctx;
	l->user_events++;
	if (l->rec)
		record_add(l->rec, ev);
	l->sink.on_event(l->sink.ctx, ev);
}

static void on_refusal(void *ctx, const char *symbol, const char *client_id, int code,
                       const char *msg, int64_t ms)
{
	struct live *l = ctx;
	live_say(l, "%s %s refused: %d %s", symbol, client_id, code, msg);
	l->sink.on_reject(l->sink.ctx, symbol, client_id, code, msg, ms);
}

static void on_record_status(void *ctx, const struct record_status *st)
{
	((struct live *)ctx)->rs = *st;
}

static void on_record_warn(void *ctx, const char *msg)
{
	live_say(ctx, "market streams: %s", msg);
}

/* ---- start -------------------------------------------------------------- */

static int load_settings(struct live *l)
{
	struct config_diag d;
	int rc = config_load_file(l->o->settings_path, &l->s, &l->ls, &l->sim, &d);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		config_diag_print(f, l->o->settings_path, &d);
		fclose(f);
	}
	if (text && len)
		live_say(l, "%.*s", (int)(len && text[len - 1] == '\n' ? len - 1 : len), text);
	free(text);
	if (rc)
		return -1;
	l->settings_loaded = true;
	l->simulate = l->o->simulate || l->ls.simulate_only;
	l->sim.hedge_mode = l->s.hedge_mode;
	return 0;
}

static int make_dirs(struct live *l)
{
	const char *out = l->o->out_dir;
	if ((mkdir(out, 0777) < 0 && errno != EEXIST) ||
	    snprintf(l->rec_dir, sizeof l->rec_dir, "%s/recordings", out) >= (int)sizeof l->rec_dir ||
	    snprintf(l->db_path, sizeof l->db_path, "%s/run.db", out) >= (int)sizeof l->db_path ||
	    (mkdir(l->rec_dir, 0777) < 0 && errno != EEXIST)) {
		live_say(l, "%s: cannot create the folder: %s", out, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_journal(struct live *l)
{
	char err[512];
	size_t len, mlen = 0;
	char *text = config_effective_text(&l->s, &l->ls, &l->sim, &len);
	char *model = l->simulate ? config_simulation_text(&l->sim, &mlen) : NULL;
	struct journal_run run = {l->simulate ? "simulate" : "live", text, len, model,
	                          l->sim.seed, false, 0};
	l->journal = text && (model || !l->simulate) ? journal_create(l->db_path, &run, err, sizeof err)
	                                             : NULL;
	if (!l->journal)
		live_say(l, "%s", text ? err : "out of memory");
	free(text);
	free(model);
	return l->journal ? 0 : -1;
}

/* The Aster client, started: clock, limits, wallet, user stream. 0, or
 * LIVE_EUSAGE (credentials) or LIVE_EFAIL (the exchange). */
static int open_client(struct live *l, exchange_t *x)
{
	struct xa_creds cr;
	char warn[256] = "", err[512];
	if (xa_creds_load(&cr, l->o->env_file, warn, sizeof warn, err, sizeof err) < 0) {
		live_say(l, "credentials: %s", err);
		return LIVE_EUSAGE;
	}
	if (warn[0])
		live_say(l, "warning: %s", warn);
	struct xa_client_opts co = {.rest_url = l->o->bases.rest, .ws_url = l->o->bases.ws,
	                            .creds = &cr, .rate_limit_buffer_pct = l->ls.rate_limit_buffer_pct,
	                            .timeout_ms = l->o->request_timeout_ms};
	struct exchange_sink sink = {l, on_answer, on_refusal};
	l->client = xa_client_new(l->loop, &co, sink, err, sizeof err);
	xa_creds_clear(&cr);
	if (!l->client) {
		live_say(l, "%s", err);
		return LIVE_EUSAGE;
	}
	if (xa_client_start(l->client, err, sizeof err) < 0) {
		live_say(l, "Aster: %s", err);
		exchange_t dead = xa_client_exchange(l->client);
		exchange_destroy(&dead);
		l->client = NULL;
		return LIVE_EFAIL;
	}
	*x = xa_client_exchange(l->client);
	struct xa_client_stats st;
	xa_client_get_stats(l->client, &st);
	int64_t m = live_mono_ms();
	session_clock_server(&l->clock, m, m, net_now_ns() / 1000000 + st.clock_offset_ms);
	return 0;
}

/* 0, or the live_end to end with. */
static int open_exchange(struct live *l)
{
	exchange_t x;
	int rc;
	l->sink = session_sink(l->session);
	if (l->simulate) {
		struct exchange_sink sink = {l, on_answer, on_refusal};
		sim_t *sim = sim_new(&l->sim, &sink);
		if (!sim) {
			live_say(l, "out of memory");
			return LIVE_EFAIL;
		}
		sim_exchange(sim, &x);
	} else if ((rc = open_client(l, &x))) {
		return rc;
	}
	if (live_guard(&x, l->journal) < 0) {
		exchange_destroy(&x);
		live_say(l, "out of memory");
		return LIVE_EFAIL;
	}
	l->x = x;
	rc = session_attach(l->session, &x);
	if (rc)
		live_say(l, "setting up the account (position mode, leverage, margin type) failed with"
		            " Aster code %d: %s", rc, l->client ? xa_client_last_error(l->client) : "");
	if (!rc && l->client && (rc = xa_client_set_multi_assets(l->client, l->ls.multi_assets_mode)))
		live_say(l, "setting multi-assets mode failed with Aster code %d: %s", rc,
		         xa_client_last_error(l->client));
	return rc ? LIVE_EFAIL : 0;
}

static int open_dashboard(struct live *l)
{
	if (l->o->dashboard_port < 0)
		return 0;
	char err[300];
	struct dashboard_opts d = {l->o->dashboard_bind, l->o->dashboard_port, l->o->dashboard_token,
	                           l->db_path, l->o->settings_path, 0, stderr};
	if (!(l->dash = dashboard_start(&d, err, sizeof err))) {
		live_say(l, "dashboard: %s", err);
		return -1;
	}
	live_say(l, "dashboard on http://%s:%d/", l->o->dashboard_bind ? l->o->dashboard_bind
	                                                               : "127.0.0.1",
	         dashboard_port(l->dash));
	return 0;
}

static int open_streams(struct live *l)
{
	if (!(l->symbols = calloc(l->s.nsymbols + 1, sizeof *l->symbols)))
		return -1;
	for (uint32_t i = 0; i < l->s.nsymbols; i++)
		l->symbols[i] = l->s.symbols[i].symbol;
	l->ro = (struct record_opts){
		.symbols = l->symbols, .nsymbols = l->s.nsymbols, .streams = RECORD_ALL_STREAMS,
		.all_liquidations = true, .out_dir = l->rec_dir, .rotate_ms = 3600000,
		.flush_ms = 1000, .status_ms = 1000, .bases = l->o->bases, .ca_file = l->o->ca_file,
		.command = l->o->command ? l->o->command : "hunter live",
	};
	net_ws_opts_default(&l->ro.ws);
	struct record_hooks h = {l, on_market, on_record_status, on_record_warn};
	l->rec = record_start(&l->ro, l->loop, &h, l->rec_err);
	if (!l->rec)
		live_say(l, "out of memory");
	return l->rec ? 0 : -1;
}

static int start(struct live *l)
{
	char err[NET_ERR_MAX];
	session_clock_init(&l->clock);
	if (load_settings(l) < 0)
		return LIVE_EUSAGE;
	if (make_dirs(l) < 0 || open_journal(l) < 0)
		return LIVE_EFAIL;
	if (!(l->loop = net_loop_new(l->o->ca_file, err))) { /* also quiets libwebsockets */
		live_say(l, "%s", err);
		return LIVE_EFAIL;
	}
	if (open_dashboard(l) < 0)
		return LIVE_EUSAGE;
	if (!(l->session = session_new(&l->s, l->journal))) {
		live_say(l, "out of memory");
		return LIVE_EFAIL;
	}
	if (!l->simulate) /* a simulated account is new each run: its ids stay the backtest's */
		session_set_id_stamp(l->session, net_now_ns() / 1000000);
	int rc = open_exchange(l);
	if (rc)
		return rc;
	live_say(l, "%s on %u symbol(s); run database %s", l->simulate ? "simulating" : "trading",
	         l->s.nsymbols, l->db_path);
	return open_streams(l) < 0 ? LIVE_EFAIL : -1;
}

/* ---- the loop ----------------------------------------------------------- */

/* Once the rules are in: what the account already holds is adopted. */
static void adopt(struct live *l, int64_t now)
{
	if (l->adopted || !l->have_rules || now == INT64_MIN)
		return;
	l->adopted = true;
	if (!l->simulate)
		session_adopt(l->session, now);
}

/* The dashboard's view, once a second. */
static void publish(struct live *l, int64_t mono, int64_t now)
{
	if (!l->dash || mono - l->last_publish_ms < 1000)
		return;
	l->last_publish_ms = mono;
	char *snap = live_snapshot(l, now == INT64_MIN ? net_now_ns() / 1000000 : now);
	if (snap)
		dashboard_publish(l->dash, snap);
	free(snap);
}

static void status(struct live *l, int64_t mono)
{
	if (mono - l->last_status_ms < l->o->status_ms || !l->o->status)
		return;
	l->last_status_ms = mono;
	char line[512];
	live_status_line(l, line, sizeof line);
	l->o->status(l->o->ctx, line);
}

/* One turn: the network, then time passing for the session. -1 on failure. */
static int turn(struct live *l)
{
	net_loop_run(l->loop, TURN_MS);
	if (record_tick(l->rec) < 0) {
		live_say(l, "market streams: %s", l->rec_err);
		return -1;
	}
	int64_t mono = live_mono_ms();
	int64_t now = session_clock_now(&l->clock, mono);
	adopt(l, now);
	if (now != INT64_MIN)
		session_advance(l->session, now);
	if (l->client && xa_client_banned(l->client))
		session_stop_entries(l->session, "ip_banned");
	if (journal_commit(l->journal) < 0) {
		live_say(l, "%s", journal_error(l->journal));
		return -1;
	}
	status(l, mono);
	publish(l, mono, now);
	return 0;
}

/* Settings reloaded on SIGHUP: checked first; a bad file, or one that
 * changes what cannot change while trading, changes nothing. */
static void reload(struct live *l)
{
	if (l->o->reload)
		*l->o->reload = 0;
	struct settings s;
	struct live_settings ls;
	struct sim_params sim;
	struct config_diag d;
	if (config_load_file(l->o->settings_path, &s, &ls, &sim, &d) < 0) {
		live_say(l, "reload: %s is not valid (%s); the running settings stay",
		         l->o->settings_path, d.n ? d.msgs[0].text : "unreadable");
		return;
	}
	const char *why;
	int rc = session_apply_settings(l->session, &s, &why);
	if (rc < 0) {
		config_free(&s);
		live_say(l, "reload: %s: %s; the running settings stay", l->o->settings_path, why);
		return;
	}
	config_free(&l->s);
	l->s = s; /* where the session reads its settings */
	if (rc)
		live_say(l, "reload: applied, but %s: %s", why,
		         l->client ? xa_client_last_error(l->client) : "");
	else
		live_say(l, "reload: %s applied", l->o->settings_path);
}

static int finish(struct live *l, int rc)
{
	char hex[65] = "";
	l->stopping = true;
	if (l->session && l->x.ops) {
		session_stop_entries(l->session, "stopping");
		if (l->client && rc == LIVE_STOPPED && live_cancel_entries(l) < 0)
			rc = LIVE_EFAIL;
		session_finish(l->session, hex);
	}
	if (l->journal) {
		struct journal_end end = {l->first_ms, l->last_ms, l->events, hex, 0,
		                          rc == LIVE_STOPPED};
		if (journal_finish(l->journal, &end) < 0 && rc != LIVE_EFAIL) {
			live_say(l, "%s", journal_error(l->journal));
			rc = LIVE_EFAIL;
		}
	}
	if (l->rec && record_finish(l->rec, true) == RECORD_FAILED && rc != LIVE_EFAIL) {
		live_say(l, "recording: %s", l->rec_err);
		rc = LIVE_EFAIL;
	}
	dashboard_stop(l->dash);
	session_free(l->session);
	journal_close(l->journal);
	net_loop_free(l->loop);
	free(l->symbols);
	if (l->settings_loaded)
		config_free(&l->s);
	return rc;
}

int live_run(const struct live_opts *o)
{
	struct live l = {.o = o};
	int rc = start(&l);
	while (rc < 0 && !*o->stop) {
		if (turn(&l) < 0)
			rc = LIVE_EFAIL;
		if ((o->reload && *o->reload) || (l.dash && dashboard_take_reload(l.dash)))
			reload(&l);
		if (o->close_all && l.adopted && rc < 0)
			rc = live_close_all(&l);
	}
	return finish(&l, rc < 0 ? LIVE_STOPPED : rc);
}
