/*
 * run.c - a live run from start to end: start.c makes everything, then the
 * loop turns the network, the recorder and the session's clock, publishes
 * the dashboard's snapshot, reloads settings when asked, and the end stops
 * entries, cancels the resting ones and closes the files.
 *
 * What the account already holds (positions, hunter's own open orders) is
 * adopted as soon as the first exchange info has given the trading rules,
 * before the first signal can fire. A stop (SIGTERM, Ctrl-C) stops new
 * entries first: take-profits and stop-losses are exchange orders and stay.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "live_int.h"

#define TURN_MS 5          /* the loop's longest sleep */
#define CHECKPOINT_MS 1000 /* how often the run database's WAL is copied back */

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

/* ---- the loop ----------------------------------------------------------- */

/* Once the rules are in: what the account already holds is adopted. */
static void adopt(struct live *l, int64_t now)
{
	if (l->adopted || !l->have_rules || now == INT64_MIN)
		return;
	l->adopted = true;
	if (!l->simulate || l->resumed) /* a new simulated account holds nothing */
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
	if (mono - l->last_checkpoint_ms >= CHECKPOINT_MS) {
		journal_checkpoint(l->journal);
		l->last_checkpoint_ms = mono;
	}
	status(l, mono);
	publish(l, mono, now);
	if (l->client && mono != l->last_warm_ms) {
		xa_client_warm(l->client); /* last: nearest the next frame */
		if (l->rec)
			record_warm(l->rec);
		l->last_warm_ms = mono;
	}
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
	const struct live_latency *t = &l->tick_to_order;
	char steps[160];
	live_latency_steps(l, steps, sizeof steps);
	if (t->n)
		live_say(l, "tick to order: %llu orders, p50 %lld us, p99 %lld us, worst %lld us%s%s%s",
		         (unsigned long long)t->n, (long long)live_latency_pct(t, 50),
		         (long long)live_latency_pct(t, 99), (long long)t->max_us,
		         steps[0] ? " (p50/p99 of its steps: " : "", steps, steps[0] ? ")" : "");
	dashboard_stop(l->dash);
	session_free(l->session);
	journal_close(l->journal);
	net_loop_free(l->loop);
	free(l->symbols);
	if (l->settings_loaded)
		config_free(&l->s);
	if (l->lock_fd >= 0)
		close(l->lock_fd);
	return rc;
}

int live_run(const struct live_opts *o)
{
	struct live l = {.o = o, .lock_fd = -1};
	int rc = live_start(&l);
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
