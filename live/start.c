/*
 * start.c - a live run's start, in the order that matters: settings, the
 * run's folder and database, the loop, the dashboard, the exchange (Aster:
 * clock, limits, wallet, user stream; or a fresh simulated account), the
 * account's modes and each symbol's set-up, then the market streams.
 * Every failure is said, and tells how the run ends: bad settings or
 * credentials, a folder another run holds (nothing was sent) or a failure
 * of the exchange, network or disk.
 *
 * A start on a folder whose run database an earlier start of the same
 * kind left goes on in it: its rows stay, the new ones follow, and a
 * simulate run's account is what those rows say it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live_int.h"

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

/* One run at a time in a folder: a second one would write the same run
 * database and trade the same account. The lock goes with the process,
 * however it ends. 0, or the live_end to end with. */
static int lock_dir(struct live *l)
{
	const char *out = l->o->out_dir;
	l->lock_fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->lock_fd < 0) {
		live_say(l, "%s: %s", out, strerror(errno));
		return LIVE_EFAIL;
	}
	if (flock(l->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	bool held = errno == EWOULDBLOCK;
	live_say(l, "%s: %s", out, held
	         ? "another hunter live runs on this folder; stop it first, or give another --out"
	         : strerror(errno));
	return held ? LIVE_EUSAGE : LIVE_EFAIL;
}

/* A run database already in the folder: continued when an earlier start
 * of the same kind left it, else left alone. 0, or the live_end. */
static int probe_journal(struct live *l, const char *mode)
{
	char err[512];
	switch (journal_probe(l->db_path, mode, err, sizeof err)) {
	case JOURNAL_NONE:
		return 0;
	case JOURNAL_SAME:
		l->resumed = true;
		live_say(l, "%s: continuing the %s run of an earlier start", l->db_path, mode);
		return 0;
	default:
		live_say(l, "%s; move it away or give another --out", err);
		return LIVE_EUSAGE;
	}
}

static int open_journal(struct live *l)
{
	char err[512];
	size_t len, mlen = 0;
	const char *mode = l->simulate ? "simulate" : "live";
	int rc = probe_journal(l, mode);
	if (rc)
		return rc;
	char *text = config_effective_text(&l->s, &l->ls, &l->sim, &len);
	char *model = l->simulate ? config_simulation_text(&l->sim, &mlen) : NULL;
	struct journal_run run = {mode, text, len, model, l->sim.seed, false, 0, l->resumed};
	l->journal = text && (model || !l->simulate) ? journal_create(l->db_path, &run, err, sizeof err)
	                                             : NULL;
	if (!l->journal)
		live_say(l, "%s", text ? err : "out of memory");
	else
		journal_commit(l->journal); /* the dashboard reads it from the start */
	free(text);
	free(model);
	return l->journal ? 0 : LIVE_EFAIL;
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
	struct exchange_sink sink = {l, live_on_answer, live_on_refusal};
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

/* A symbol whose leverage or margin type the exchange refused (a leverage
 * above its brackets, a margin type it does not allow): not traded. */
static void symbol_refused(void *ctx, const char *symbol, int code)
{
	struct live *l = ctx;
	const struct symbol_settings *y = config_find_symbol(&l->s, symbol);
	live_say(l, "%s cannot be set up (leverage %d, %s): Aster code %d: %s; it is skipped",
	         symbol, y ? y->leverage : 0, y ? margin_type_str(y->margin_type) : "",
	         code, l->client ? xa_client_last_error(l->client) : "");
}

/* A simulate run continuing its database: the account its rows tell, put
 * in the simulation once its symbols' leverage is set. 0, or -1 (said). */
static int restore_sim(struct live *l, sim_t *sim)
{
	struct sim_saved sv;
	int rc = journal_sim_load(l->journal, &sv);
	if (rc < 0) {
		live_say(l, "%s", journal_error(l->journal));
		return -1;
	}
	if (rc) {
		sim_restore(sim, &sv);
		struct exchange_account a;
		sim_account(sim, &a);
		char wallet[DEC_FMT_MAX];
		dec_format(a.wallet, wallet);
		live_say(l, "simulated account restored: wallet %s USDT, %u position(s), %u order(s)"
		         " open", wallet, a.open_positions, sv.norders);
	}
	journal_sim_free(&sv);
	return 0;
}

/* 0, or the live_end to end with. */
static int open_exchange(struct live *l)
{
	exchange_t x;
	sim_t *sim = NULL;
	int rc;
	l->sink = session_sink(l->session);
	if (l->simulate) {
		struct exchange_sink sink = {l, live_on_answer, live_on_refusal};
		if (!(sim = sim_new(&l->sim, &sink))) {
			live_say(l, "out of memory");
			return LIVE_EFAIL;
		}
		sim_exchange(sim, &x);
	} else if ((rc = open_client(l, &x))) {
		return rc;
	}
	if (live_guard(&x, l) < 0) {
		exchange_destroy(&x);
		live_say(l, "out of memory");
		return LIVE_EFAIL;
	}
	l->x = x;
	rc = session_attach(l->session, &x, symbol_refused, l);
	if (rc)
		live_say(l, "setting up the account (position mode) failed with Aster code %d: %s", rc,
		         l->client ? xa_client_last_error(l->client) : "");
	if (!rc && l->client && (rc = xa_client_set_multi_assets(l->client, l->ls.multi_assets_mode)))
		live_say(l, "setting multi-assets mode failed with Aster code %d: %s", rc,
		         xa_client_last_error(l->client));
	if (!rc && sim && l->resumed && restore_sim(l, sim) < 0)
		rc = -1;
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
	struct record_hooks h = {l, live_on_market, live_on_record_status, live_on_record_warn};
	l->rec = record_start(&l->ro, l->loop, &h, l->rec_err);
	if (!l->rec)
		live_say(l, "out of memory");
	return l->rec ? 0 : -1;
}

int live_start(struct live *l)
{
	char err[NET_ERR_MAX];
	session_clock_init(&l->clock);
	if (load_settings(l) < 0)
		return LIVE_EUSAGE;
	if (make_dirs(l) < 0)
		return LIVE_EFAIL;
	int rc = lock_dir(l);
	if (rc || (rc = open_journal(l)))
		return rc;
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
	/* A new simulated account keeps the backtest's ids (parity); an account
	 * that goes on may hold the ids of an earlier start. */
	if (!l->simulate || l->resumed)
		session_set_id_stamp(l->session, net_now_ns() / 1000000);
	rc = open_exchange(l);
	if (rc)
		return rc;
	live_say(l, "%s on %u symbol(s); run database %s", l->simulate ? "simulating" : "trading",
	         l->s.nsymbols, l->db_path);
	return open_streams(l) < 0 ? LIVE_EFAIL : -1;
}

