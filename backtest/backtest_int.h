/*
 * backtest_int.h - what the backtest's files share; not part of its public
 * header. run.c replays the recordings once and feeds every job, job.c is
 * one settings' session and run database, inputs.c reads and checks the
 * input files, digests.c hashes the recordings alongside the loop,
 * summary.c prints the result.
 */
#ifndef HUNTER_BACKTEST_INT_H
#define HUNTER_BACKTEST_INT_H

#include <pthread.h>
#include <stdarg.h>

#include "backtest.h"
#include "config.h"
#include "core.h"
#include "exchange_sim.h"
#include "recording.h"
#include "session.h"

/* ---- digests.c --------------------------------------------------------- */

struct digests {
	const char *const *paths;
	size_t n;
	struct digest {
		char hex[65];
		uint64_t bytes;
	} *v;
	pthread_t thread;
	bool started;
	int rc;        /* 0, or -1 with err set */
	char err[512];
};

/* Starts hashing `paths` (which must outlive the wait). Returns 0, or -1
 * when out of memory or when hashing in place failed. */
int bt_digests_start(struct digests *d, const char *const *paths, size_t n);
/* Waits for the digests; returns 0, or -1 with d->err set. */
int bt_digests_wait(struct digests *d);
void bt_digests_free(struct digests *d);

/* ---- inputs.c ---------------------------------------------------------- */

/* A whole file in memory, NUL-terminated. Returns 0, or -1 with err set. */
int bt_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* The trading rules of an exchangeInfo file. Returns 0, or -1 with err set. */
struct rules_list {
	struct symbol_rules *v;
	uint32_t n;
};
int bt_load_exchange_info(const char *path, struct rules_list *out, char *err, size_t errlen);

/* mkdir -p. Returns 0, or -1 with errno set. */
int bt_make_dirs(const char *path);

/* ---- job.c ------------------------------------------------------------- */

/* What a job learns about each symbol of its settings. */
struct sym_seen {
	const char *symbol;
	bool seen;    /* has had an event */
	bool rules;   /* has trading rules */
	bool trading; /* ... saying it trades, with a tick and a step */
	bool warned;  /* already said to be absent from the recordings */
};

struct job {
	struct backtest_job *spec;
	FILE *diag;
	char prefix[160];      /* "hunter backtest", "hunter sweep: combination 7" */
	bool live;             /* opened and not failed: fed every event */
	struct settings settings;
	struct live_settings live_settings; /* kept only to record the settings whole */
	struct sim_params params;
	bool settings_loaded;
	sim_t *sim;            /* owned by the session once attached */
	session_t *session;
	journal_t *journal;
	struct sym_seen *syms;
	uint32_t unseen;       /* settings symbols without an event so far */
	uint64_t events;       /* events fed to the session */
	int64_t first_ms;
	char last_symbol[SYMBOL_MAX]; /* the last symbol looked up for that */
};

/* What the pass tells each job at the end. */
struct pass_end {
	struct journal_recording *recordings;
	size_t nrecordings;
	uint64_t out_of_order;
	bool interrupted;
	double wall_seconds;
};

/* "prefix: message" on a line of its own. */
void bt_diag_line(FILE *f, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void bt_job_diag(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads the settings: 0, or -1 with spec->rc = BT_EUSAGE and every
 * problem said. Settings are checked before any input is opened. */
int bt_job_load(struct job *j, const struct backtest_opts *o);
/* Opens the run database and the session: 0, or -1 with the reason said. */
int bt_job_open(struct job *j, const struct rules_list *rules, int64_t liq_delay_ms);
void bt_job_rules_seen(struct job *j, const struct symbol_rules *r, uint32_t n);
void bt_job_check_headers(struct job *j, const struct rec_header *const *h, size_t nfiles);
/* One event; `where` names its place in the recordings for messages. */
int bt_job_feed(struct job *j, const ev_t *ev, const char *where);
int bt_job_check_coverage(struct job *j, bool interrupted);
int bt_job_finish(struct job *j, const struct pass_end *pe);
void bt_job_close(struct job *j);

#endif
