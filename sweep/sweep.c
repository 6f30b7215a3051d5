/*
 * sweep.c - `hunter sweep`: chooses the combinations (all, a seeded sample,
 * this process's shard), validates every one like a settings file, runs
 * them as jobs of backtest passes (one pass per thread, each thread a share
 * of the combinations), and writes one row per combination.
 *
 * Jobs are independent: a combination's run is the one `hunter backtest`
 * makes of its settings, so a thread count or a shard split changes where
 * a combination runs, never its result.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "sweep_int.h"

#define SWEEP_ENUM_MAX 1000000 /* combinations a sweep may run */

struct plan {
	const struct sweep_opts *o;
	FILE *diag;
	char *base, *grid_text;
	size_t base_len, grid_len;
	struct grid g;
	uint64_t *ids;        /* this shard's combinations, in order */
	uint64_t nids, selected;
	char **settings;      /* each combination's settings text */
	char **params;        /* and its parameters as JSON */
	struct fold *folds;   /* walk-forward; none without */
	uint32_t nfolds;
	uint32_t per_combo;   /* jobs per combination: the whole span, then each fold's two */
	uint64_t njobs;
	struct backtest_job *jobs; /* combination k's are jobs[k * per_combo ...] */
	struct place {
		char dir[4096];
		char name[64]; /* "combination 12", "combination 12, fold 3 test" */
	} *places;
};

static int say(struct plan *p, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int say(struct plan *p, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hunter sweep: ", p->diag);
	vfprintf(p->diag, fmt, ap);
	va_end(ap);
	fputc('\n', p->diag);
	return rc;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			char *b = realloc(buf, cap);
			if (!b)
				break;
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- which combinations --------------------------------------------------- */

static uint64_t mix(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ULL);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Every combination, or `sample` of them drawn with the seed (a partial
 * Fisher-Yates shuffle, then sorted so the order does not depend on the
 * draw); then every nshards-th from this shard's place. */
static int choose(struct plan *p)
{
	const struct sweep_opts *o = p->o;
	uint64_t total = p->g.total;
	if (total > SWEEP_ENUM_MAX)
		return say(p, -1, "the grid has more than %d combinations; use --sample K",
		           SWEEP_ENUM_MAX);
	uint64_t *all = malloc(total * sizeof *all);
	if (!all)
		return say(p, -1, "out of memory");
	for (uint64_t i = 0; i < total; i++)
		all[i] = i;
	uint64_t n = o->sample && o->sample < total ? o->sample : total;
	uint64_t state = o->sample_seed;
	for (uint64_t i = 0; n < total && i < n; i++) {
		uint64_t k = i + mix(&state) % (total - i);
		uint64_t t = all[i];
		all[i] = all[k];
		all[k] = t;
	}
	qsort(all, n, sizeof *all, cmp_u64);
	p->selected = n;
	p->ids = all;
	p->nids = 0;
	for (uint64_t i = 0; i < n; i++)
		if (i % o->nshards == o->shard - 1)
			p->ids[p->nids++] = all[i];
	return 0;
}

/* ---- settings of each ------------------------------------------------------ */

static int validate(struct plan *p, uint64_t k)
{
	char err[512] = "", name[64];
	uint64_t id = p->ids[k];
	p->settings[k] = sw_grid_settings(&p->g, p->base, p->base_len, id, err, sizeof err);
	p->params[k] = sw_grid_params_json(&p->g, id);
	if (!p->settings[k] || !p->params[k])
		return say(p, -1, "%s", err[0] ? err : "out of memory");
	struct settings s;
	struct sim_params sim;
	struct config_diag d;
	int rc = config_load_text(p->settings[k], strlen(p->settings[k]), &s, NULL, &sim, &d);
	if (rc || d.nwarnings) {
		snprintf(name, sizeof name, "combination %llu", (unsigned long long)id);
		if (rc)
			fprintf(p->diag, "hunter sweep: %s %s is not valid:\n", name, p->params[k]);
		config_diag_print(p->diag, name, &d);
	}
	if (!rc)
		config_free(&s);
	return rc;
}

/* Job w of combination k: w = 0 is the whole span; w = 1 + 2f and
 * 2 + 2f are fold f's training and test windows. */
static void make_job(struct plan *p, uint64_t k, uint32_t w)
{
	uint64_t i = k * p->per_combo + w;
	struct place *pl = &p->places[i];
	unsigned long long id = (unsigned long long)p->ids[k];
	struct backtest_job *j = &p->jobs[i];
	*j = (struct backtest_job){.name = pl->name, .settings_text = p->settings[k],
	                           .settings_len = strlen(p->settings[k]), .out_dir = pl->dir,
	                           .market_tables = p->o->keep_runs};
	const char *where = p->o->keep_runs ? "runs" : ".work";
	if (w == 0) {
		snprintf(pl->dir, sizeof pl->dir, "%s/%s/%llu", p->o->out_dir, where, id);
		snprintf(pl->name, sizeof pl->name, "combination %llu", id);
		return;
	}
	uint32_t f = (w - 1) / 2;
	bool test = w % 2 == 0;
	snprintf(pl->dir, sizeof pl->dir, "%s/%s/%llu-fold%u-%s", p->o->out_dir, where, id, f,
	         test ? "test" : "train");
	snprintf(pl->name, sizeof pl->name, "combination %llu, fold %u %s", id, f,
	         test ? "test" : "train");
	j->from_ms = test ? p->folds[f].test_from : p->folds[f].train_from;
	j->to_ms = test ? p->folds[f].test_to : p->folds[f].train_to;
}

static int prepare_jobs(struct plan *p)
{
	uint64_t n = p->nids;
	p->per_combo = 1 + 2 * p->nfolds;
	p->njobs = n * p->per_combo;
	p->settings = calloc(n ? n : 1, sizeof *p->settings);
	p->params = calloc(n ? n : 1, sizeof *p->params);
	p->jobs = calloc(p->njobs ? p->njobs : 1, sizeof *p->jobs);
	p->places = calloc(p->njobs ? p->njobs : 1, sizeof *p->places);
	if (!p->settings || !p->params || !p->jobs || !p->places)
		return say(p, -1, "out of memory");
	int bad = 0;
	for (uint64_t k = 0; k < n; k++)
		bad |= validate(p, k) != 0;
	if (bad)
		return say(p, -1, "nothing was run: fix the grid or the base settings");
	for (uint64_t k = 0; k < n; k++)
		for (uint32_t w = 0; w < p->per_combo; w++)
			make_job(p, k, w);
	return 0;
}

/* ---- running them ------------------------------------------------------- */

struct worker {
	struct backtest_opts bo;
	struct backtest_job *jobs;
	size_t n;
	int rc;
	pthread_t thread;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	w->rc = backtest_run_jobs(&w->bo, w->jobs, w->n, "hunter sweep");
	return NULL;
}

struct progress_relay {
	const struct sweep_opts *o;
	uint64_t total;
};

static void relay(void *ctx, uint64_t events)
{
	struct progress_relay *r = ctx;
	r->o->progress(r->o->progress_ctx, 0, r->total, events);
}

/* Threads take contiguous shares of the jobs; each replays the recordings
 * once for all of its share. */
static int run_jobs(struct plan *p)
{
	const struct sweep_opts *o = p->o;
	unsigned t = o->threads ? o->threads : 1;
	if (t > p->njobs)
		t = p->njobs ? (unsigned)p->njobs : 1;
	struct worker *w = calloc(t, sizeof *w);
	if (!w)
		return say(p, SWEEP_EDATA, "out of memory");
	struct progress_relay pr = {o, p->njobs};
	size_t at = 0;
	for (unsigned i = 0; i < t; i++) {
		w[i].bo = (struct backtest_opts){.exchange_info_path = o->exchange_info_path,
		                                 .recordings = o->recordings,
		                                 .nrecordings = o->nrecordings, .stop = o->stop,
		                                 .diag = p->diag};
		if (i == 0 && o->progress) {
			w[i].bo.progress = relay;
			w[i].bo.progress_ctx = &pr;
		}
		w[i].jobs = p->jobs + at;
		w[i].n = (p->njobs - at) / (t - i);
		at += w[i].n;
	}
	for (unsigned i = 1; i < t; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]))
			w[i].rc = say(p, SWEEP_EDATA, "cannot start a thread");
	work(&w[0]);
	int rc = w[0].rc;
	for (unsigned i = 1; i < t; i++) {
		if (w[i].thread)
			pthread_join(w[i].thread, NULL);
		if (w[i].rc != BT_OK)
			rc = w[i].rc;
	}
	free(w);
	return rc == BT_OK ? SWEEP_OK : rc == BT_EINTR ? SWEEP_EINTR : SWEEP_EDATA;
}

/* ---- the database ------------------------------------------------------- */

static char *recordings_json(const struct sweep_opts *o)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < o->nrecordings; i++) {
		const char *slash = strrchr(o->recordings[i], '/');
		cJSON_AddItemToArray(a, cJSON_CreateString(slash ? slash + 1 : o->recordings[i]));
	}
	char *text = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return text;
}

static double profit_factor(const struct backtest_job *j)
{
	return j->rc == BT_OK ? sw_results_profit_factor(j->out.db_path) : 0;
}

/* A combination's row, and its windows when walking forward. */
static int write_combination(struct plan *p, results_t *r, uint64_t k)
{
	const struct backtest_job *j = &p->jobs[k * p->per_combo];
	if (sw_results_add(r, p->ids[k], p->params[k], p->settings[k], j, profit_factor(j)))
		return -1;
	for (uint32_t w = 1; w < p->per_combo; w++) {
		const struct backtest_job *wj = &j[w];
		double pf = profit_factor(wj);
		struct window_result wr = {(w - 1) / 2, w % 2 == 0, wj->from_ms, wj->to_ms,
		                           sw_walk_objective(p->o->objective, &wj->out, pf)};
		if (sw_results_add_window(r, p->ids[k], &wr, wj, pf))
			return -1;
	}
	return 0;
}

static int write_results(struct plan *p)
{
	const struct sweep_opts *o = p->o;
	char path[4200], err[512] = "";
	snprintf(path, sizeof path, "%s/sweep.db", o->out_dir);
	char *recs = recordings_json(o);
	struct sweep_meta m = {p->base, p->grid_text, recs ? recs : "[]", p->g.total, p->selected,
	                       o->sample_seed, o->sample && o->sample < p->g.total, o->shard,
	                       o->nshards, o->train_ms, o->test_ms, o->objective,
	                       o->min_round_trips};
	results_t *r = sw_results_create(path, &m, err, sizeof err);
	free(recs);
	if (!r)
		return say(p, -1, "%s", err);
	int rc = 0;
	for (uint64_t k = 0; k < p->nids && !rc; k++)
		rc = write_combination(p, r, k);
	if (rc)
		say(p, -1, "%s: cannot write the results", path);
	if (sw_results_close(r, err, sizeof err))
		rc = say(p, -1, "%s", err);
	return rc;
}

/* Work folders of combinations not kept. */
static void clean(struct plan *p)
{
	if (p->o->keep_runs || !p->places)
		return;
	char path[4200];
	for (uint64_t k = 0; k < p->njobs; k++) {
		snprintf(path, sizeof path, "%s/run.db", p->places[k].dir);
		unlink(path);
		rmdir(p->places[k].dir);
	}
	snprintf(path, sizeof path, "%s/.work", p->o->out_dir);
	rmdir(path);
}

static void plan_free(struct plan *p)
{
	for (uint64_t k = 0; k < p->nids && p->settings; k++) {
		free(p->settings[k]);
		free(p->params[k]);
	}
	free(p->settings);
	free(p->params);
	free(p->jobs);
	free(p->places);
	free(p->folds);
	free(p->ids);
	sw_grid_free(&p->g);
	free(p->base);
	free(p->grid_text);
}

static int load(struct plan *p)
{
	const struct sweep_opts *o = p->o;
	char err[512];
	if (!(p->base = slurp(o->settings_path, &p->base_len)))
		return say(p, -1, "%s: %s", o->settings_path, strerror(errno));
	if (!(p->grid_text = slurp(o->grid_path, &p->grid_len)))
		return say(p, -1, "%s: %s", o->grid_path, strerror(errno));
	if (sw_grid_parse(&p->g, p->grid_text, p->grid_len, err, sizeof err))
		return say(p, -1, "%s: %s", o->grid_path, err);
	if (o->nshards == 0 || o->shard < 1 || o->shard > o->nshards)
		return say(p, -1, "the shard must be I/N with 1 <= I <= N");
	if ((o->train_ms > 0) != (o->test_ms > 0))
		return say(p, -1, "walk-forward needs both a training and a test window");
	if (o->train_ms && !sw_walk_objective_known(o->objective ? o->objective : ""))
		return say(p, -1, "unknown objective '%s': net_pnl, profit_factor or"
		                  " drawdown_adjusted", o->objective ? o->objective : "");
	if (o->train_ms && sw_walk_folds(o, &p->folds, &p->nfolds, err, sizeof err))
		return say(p, -1, "%s", err);
	return choose(p) || prepare_jobs(p);
}

int sweep_run(const struct sweep_opts *o)
{
	struct plan p = {.o = o, .diag = o->diag ? o->diag : stderr};
	int rc = SWEEP_EUSAGE;
	if (load(&p) == 0) {
		rc = SWEEP_EDATA;
		if (mkdir(o->out_dir, 0777) && errno != EEXIST)
			say(&p, 0, "%s: cannot create the folder: %s", o->out_dir, strerror(errno));
		else if (p.nids == 0)
			rc = write_results(&p) ? SWEEP_EDATA : SWEEP_OK;
		else if ((rc = run_jobs(&p)) != SWEEP_EDATA && write_results(&p))
			rc = SWEEP_EDATA;
	}
	clean(&p);
	plan_free(&p);
	return rc;
}
