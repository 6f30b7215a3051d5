/*
 * internal.h - what the backtest's files share; not part of its public
 * header. run.c drives the event loop, tradelog.c hashes the trade log,
 * inputs.c reads and checks the input files, digests.c hashes the
 * recordings alongside the loop, summary.c prints the result.
 */
#ifndef HUNTER_BACKTEST_INTERNAL_H
#define HUNTER_BACKTEST_INTERNAL_H

#include <pthread.h>

#include "backtest.h"
#include "core.h"
#include "exchange_sim.h"

/* ---- tradelog.c -------------------------------------------------------- */

/* The sha256 of the canonical trade log (docs/backtest.md): one text line
 * per order intent and per fill, in the order they happened. */
struct tradelog {
	void *md; /* EVP_MD_CTX */
	uint64_t lines;
};

int tradelog_init(struct tradelog *t);
void tradelog_place(struct tradelog *t, int64_t ms, const order_req *o);
void tradelog_cancel(struct tradelog *t, int64_t ms, const char *symbol, const char *client_id);
void tradelog_replace(struct tradelog *t, int64_t ms, const char *old_client_id,
                      const order_req *o);
/* An EV_ORDER_UPDATE of execution type TRADE. */
void tradelog_fill(struct tradelog *t, const ev_t *ev);
/* Writes the hex digest and frees the context. */
void tradelog_final(struct tradelog *t, char hex[65]);

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
int digests_start(struct digests *d, const char *const *paths, size_t n);
/* Finishes a sha256 EVP_MD_CTX, writes its hex digest and frees it. */
void digest_final_hex(void *md, char hex[65]);
/* Waits for the digests; returns 0, or -1 with d->err set. */
int digests_wait(struct digests *d);
void digests_free(struct digests *d);

/* ---- inputs.c ---------------------------------------------------------- */

/* A whole file in memory, NUL-terminated. Returns 0, or -1 with err set. */
int read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* The trading rules of an exchangeInfo file. Returns 0, or -1 with err set. */
struct rules_list {
	struct symbol_rules *v;
	uint32_t n;
};
int load_exchange_info(const char *path, struct rules_list *out, char *err, size_t errlen);

/* The simulated exchange's parameters as a JSON object (malloc'd). */
char *sim_params_json(const struct sim_params *p);

/* mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *path);

#endif
