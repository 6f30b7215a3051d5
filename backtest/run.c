/*
 * run.c - a backtest pass: the recordings merged by replay and read once,
 * each event handed to every job (job.c: one settings, its session over a
 * simulated exchange, its run database). The pass also checks what holds
 * for every job alike: that the data has events and liquidations, that
 * recordings merged together do not leave holes unsaid, and it stops
 * cleanly when the user asks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backtest_int.h"
#include "replay.h"

#define PROGRESS_EVERY (1u << 18)
#define RECORDING_GAP_MS 60000 /* a hole between recordings worth a warning */

/* Exchange-time span of each recording. */
struct span {
	int64_t first, last;
	bool any;
};

struct pass {
	const struct backtest_opts *o;
	FILE *diag;
	const char *prefix;
	struct job *jobs;
	size_t njobs, live;  /* jobs, and those still being fed */
	replay *rp;
	char rp_err[REC_ERR_MAX];
	struct digests digests;
	struct span *spans;
	struct rules_list rules;
	double t0, t1;       /* wall clock at the start and when the loop began */
	bool interrupted;
	uint64_t events, liquidations, user_events;
};

static void diag(struct pass *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diag(struct pass *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bt_diag_line(p->diag, p->prefix, fmt, ap);
	va_end(ap);
}

static double mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the loop ----------------------------------------------------------- */

static void note_span(struct pass *p, const ev_t *ev)
{
	struct span *sp = &p->spans[replay_source(p->rp)];
	if (!sp->any || ev->exch_ms < sp->first)
		sp->first = ev->exch_ms;
	if (!sp->any || ev->exch_ms > sp->last)
		sp->last = ev->exch_ms;
	sp->any = true;
}

/* Where the current event is, for messages: file and byte. */
static void where(struct pass *p, char *buf, size_t cap)
{
	const rec_reader *r = replay_reader(p->rp, replay_source(p->rp));
	snprintf(buf, cap, "%s, near byte %llu", rec_reader_path(r),
	         (unsigned long long)rec_reader_offset(r));
}

static void feed(struct pass *p, const ev_t *ev)
{
	char at[4200];
	at[0] = '\0'; /* an initializer would clear all of it on every event */
	if (ev->type == EV_LIQUIDATION) {
		p->liquidations++;
		where(p, at, sizeof at);
	}
	for (size_t i = 0; i < p->njobs; i++) {
		struct job *j = &p->jobs[i];
		if (j->live && bt_job_feed(j, ev, at)) {
			j->live = false;
			p->live--;
		}
	}
}

static void step(struct pass *p, const ev_t *ev)
{
	p->events++;
	note_span(p, ev);
	if (ev->type == EV_ORDER_UPDATE || ev->type == EV_ACCOUNT_UPDATE)
		p->user_events++;
	feed(p, ev);
}

static int loop(struct pass *p)
{
	ev_t ev;
	int rc = 0;
	while (p->live && (rc = replay_next(p->rp, &ev)) == 1) {
		if (p->o->stop && *p->o->stop) {
			p->interrupted = true;
			return 0;
		}
		step(p, &ev);
		if (p->o->progress && p->events % PROGRESS_EVERY == 0)
			p->o->progress(p->o->progress_ctx, p->events);
	}
	if (!p->live)
		return 0;
	if (rc < 0)
		diag(p, "%s", p->rp_err);
	return rc;
}

/* ---- before and after --------------------------------------------------- */

static int span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *c = y;
	return (a->first > c->first) - (a->first < c->first);
}

/* Recordings merged with a hole between them: nothing is known there, and
 * a quote from before the hole must not price orders after it. */
static void check_recording_gaps(struct pass *p)
{
	size_t n = 0;
	struct span *v = malloc(p->o->nrecordings * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < p->o->nrecordings; i++)
		if (p->spans[i].any)
			v[n++] = p->spans[i];
	qsort(v, n, sizeof *v, span_cmp);
	int64_t last = n ? v[0].last : 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i].first - last > RECORDING_GAP_MS) {
			char from[UTC_FMT_MAX], to[UTC_FMT_MAX];
			utc_format(last, from);
			utc_format(v[i].first, to);
			diag(p, "warning: the recordings hold nothing from %s to %s; quotes older than"
			        " max_quote_age_sec are not used across the hole", from, to);
		}
		if (v[i].last > last)
			last = v[i].last;
	}
	free(v);
}

/* After the loop: the data must have held something to trade on. */
static int check_coverage(struct pass *p)
{
	if (p->user_events)
		diag(p, "warning: %llu order/account updates in the recordings were ignored (a"
		        " backtest trades its own simulated account)",
		     (unsigned long long)p->user_events);
	uint64_t ooo = replay_out_of_order(p->rp);
	if (ooo)
		diag(p, "warning: %llu events went back in time within their recording; they were"
		        " replayed in file order", (unsigned long long)ooo);
	check_recording_gaps(p);
	if (p->interrupted)
		return 0;
	if (p->events == 0) {
		diag(p, "the recordings hold no events");
		return -1;
	}
	if (p->liquidations == 0) {
		diag(p, "the recordings hold no liquidation events: the strategy has nothing to act on");
		return -1;
	}
	return 0;
}

/* The delay the recordings' importer put on liquidations; 0 when none of
 * them needed one. */
static int64_t liq_arrival_delay(struct pass *p)
{
	int64_t d = 0;
	for (size_t i = 0; i < replay_nfiles(p->rp); i++) {
		int64_t v = rec_reader_header(replay_reader(p->rp, i))->liq_arrival_delay_ms;
		if (v > d)
			d = v;
	}
	return d;
}

static int open_inputs(struct pass *p)
{
	p->rp = replay_open(p->o->recordings, p->o->nrecordings, p->rp_err);
	if (!p->rp) {
		diag(p, "%s", p->rp_err);
		return -1;
	}
	p->spans = calloc(p->o->nrecordings, sizeof *p->spans);
	if (bt_digests_start(&p->digests, p->o->recordings, p->o->nrecordings)) {
		diag(p, "%s", p->digests.err[0] ? p->digests.err : "out of memory");
		return -1;
	}
	if (!p->spans) {
		diag(p, "out of memory");
		return -1;
	}
	if (p->o->exchange_info_path) {
		char err[512];
		if (bt_load_exchange_info(p->o->exchange_info_path, &p->rules, err, sizeof err)) {
			diag(p, "%s", err);
			return -1;
		}
	}
	return 0;
}

static void open_jobs(struct pass *p)
{
	size_t nfiles = replay_nfiles(p->rp);
	const struct rec_header **h = calloc(nfiles ? nfiles : 1, sizeof *h);
	for (size_t f = 0; h && f < nfiles; f++)
		h[f] = rec_reader_header(replay_reader(p->rp, f));
	int64_t delay = liq_arrival_delay(p);
	for (size_t i = 0; i < p->njobs; i++) {
		struct job *j = &p->jobs[i];
		if (j->settings_loaded && bt_job_open(j, &p->rules, delay) == 0) {
			if (h)
				bt_job_check_headers(j, h, nfiles);
			p->live++;
		}
	}
	free(h);
}

/* What every job records of the pass at its end. */
static int pass_end(struct pass *p, struct pass_end *pe)
{
	if (bt_digests_wait(&p->digests)) {
		diag(p, "%s", p->digests.err);
		return -1;
	}
	for (size_t i = 0; i < replay_nfiles(p->rp); i++) {
		const rec_reader *r = replay_reader(p->rp, i);
		if (rec_reader_warning(r)[0])
			diag(p, "warning: %s", rec_reader_warning(r));
		pe->recordings[i] = (struct journal_recording){
			rec_reader_path(r), p->digests.v[i].hex, p->digests.v[i].bytes,
			rec_reader_events(r), p->spans[i].first, p->spans[i].last};
	}
	pe->nrecordings = replay_nfiles(p->rp);
	pe->out_of_order = replay_out_of_order(p->rp);
	pe->interrupted = p->interrupted;
	pe->wall_seconds = mono_seconds() - p->t0;
	return 0;
}

static void finish_jobs(struct pass *p)
{
	struct pass_end pe = {0};
	pe.recordings = calloc(p->o->nrecordings, sizeof *pe.recordings);
	if (!pe.recordings || pass_end(p, &pe)) {
		free(pe.recordings);
		return;
	}
	double loop_seconds = mono_seconds() - p->t1;
	for (size_t i = 0; i < p->njobs; i++) {
		struct job *j = &p->jobs[i];
		if (!j->live || bt_job_check_coverage(j, p->interrupted) || bt_job_finish(j, &pe))
			continue;
		j->spec->out.loop_seconds = loop_seconds;
		j->spec->out.wall_seconds = pe.wall_seconds;
		j->spec->out.events_per_sec = loop_seconds > 0 ? (double)p->events / loop_seconds : 0;
	}
	free(pe.recordings);
}

int backtest_run_jobs(const struct backtest_opts *o, struct backtest_job *jobs, size_t n,
                      const char *prefix)
{
	struct pass p = {.o = o, .diag = o->diag ? o->diag : stderr, .prefix = prefix,
	                 .njobs = n, .t0 = mono_seconds()};
	p.jobs = calloc(n ? n : 1, sizeof *p.jobs);
	if (!p.jobs) {
		diag(&p, "out of memory");
		return BT_EDATA;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&jobs[i].out, 0, sizeof jobs[i].out);
		jobs[i].rc = BT_EDATA;
		p.jobs[i] = (struct job){.spec = &jobs[i], .diag = p.diag};
		snprintf(p.jobs[i].prefix, sizeof p.jobs[i].prefix, "%s%s%s", prefix,
		         n > 1 ? ": " : "", n > 1 ? jobs[i].name : "");
	}
	size_t loaded = 0;
	for (size_t i = 0; i < n; i++)
		loaded += bt_job_load(&p.jobs[i], o) == 0;
	int rc = loaded ? BT_EDATA : BT_EUSAGE;
	if (loaded && open_inputs(&p) == 0) {
		open_jobs(&p);
		p.t1 = mono_seconds();
		if (p.live && loop(&p) == 0 && check_coverage(&p) == 0) {
			finish_jobs(&p);
			rc = p.interrupted ? BT_EINTR : BT_OK;
		}
	}
	for (size_t i = 0; i < n; i++)
		bt_job_close(&p.jobs[i]);
	replay_close(p.rp);
	bt_digests_free(&p.digests);
	free(p.rules.v);
	free(p.spans);
	free(p.jobs);
	return rc;
}

int backtest_run(const struct backtest_opts *o, struct backtest_summary *out)
{
	char dir[4096];
	if (o->out_dir)
		snprintf(dir, sizeof dir, "%s", o->out_dir);
	else
		backtest_default_dir(o->settings_path, o->recordings[0], dir, sizeof dir);
	struct backtest_job job = {.name = o->settings_path, .out_dir = dir, .market_tables = true,
	                           .from_ms = o->from_ms, .to_ms = o->to_ms};
	int rc = backtest_run_jobs(o, &job, 1, "hunter backtest");
	*out = job.out;
	/* settings errors are the job's; a pass that could not start is data */
	if (job.rc == BT_EUSAGE)
		return BT_EUSAGE;
	return rc == BT_OK ? job.rc : rc;
}
