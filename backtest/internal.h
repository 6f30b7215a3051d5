/*
 * internal.h - what the backtest's files share; not part of its public
 * header. run.c drives the replay into a session, inputs.c reads and
 * checks the input files, digests.c hashes the recordings alongside the
 * loop, summary.c prints the result.
 */
#ifndef HUNTER_BACKTEST_INTERNAL_H
#define HUNTER_BACKTEST_INTERNAL_H

#include <pthread.h>

#include "backtest.h"
#include "core.h"
#include "exchange_sim.h"

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

/* mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *path);

#endif
