/*
 * imp_test.h - what the importer's tests share: loading inputs with the bad
 * reports collected, and small lookups over the loaded set.
 */
#ifndef HUNTER_TEST_IMP_TEST_H
#define HUNTER_TEST_IMP_TEST_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "importer.h"
#include "support.h"

#define REAL(p) HUNTER_REAL_DATA "/" p
#define HFT(p) REAL("hftbacktest__examples_usdm/" p)
#define CF(p) REAL("cryptofeed__sample_data/" p)
#define LIQ(p) REAL("liq_loggers/PauliusMinialga__data_streams_for_crypto/" p)
#define ASTER_INFO REAL("asterdex__api-demo-node/exchangeInfo-response.json")

#define BAD_KEPT 64

struct loaded {
	imp_status_t rc;
	imp_set_t *set;
	struct imp_stats st;
	char err[512];
	size_t nbad;
	uint64_t bad_line[BAD_KEPT];
	char bad_msg[BAD_KEPT][256];
};

static inline void keep_bad(void *ctx, const char *file, uint64_t line, const char *msg)
{
	struct loaded *l = ctx;
	if (l->nbad < BAD_KEPT) {
		l->bad_line[l->nbad] = line;
		snprintf(l->bad_msg[l->nbad], sizeof l->bad_msg[0], "%s", msg);
	}
	l->nbad++;
}

/* Loads with options `o` (its on_bad is replaced); free with unload(). */
static inline struct loaded *load_with(struct imp_options o, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(paths[i], HUNTER_REAL_DATA, strlen(HUNTER_REAL_DATA)))
			test_need_real_data();
	struct loaded *l = calloc(1, sizeof *l);
	cr_assert(l);
	o.on_bad = keep_bad;
	o.bad_ctx = l;
	l->rc = imp_load(&o, paths, n, &l->set, &l->st, l->err, sizeof l->err);
	return l;
}

static inline struct loaded *load1(const char *path)
{
	return load_with((struct imp_options){0}, &path, 1);
}

static inline void unload(struct loaded *l)
{
	imp_set_free(l->set);
	free(l);
}

/* The first event of `type` (and `symbol`, if not NULL) matching `pred`. */
static inline const ev_t *find_ev(const imp_set_t *s, ev_type_t type, const char *symbol,
                                  bool (*pred)(const ev_t *))
{
	for (size_t i = 0; i < imp_set_count(s); i++) {
		const ev_t *e = imp_set_event(s, i);
		if (e->type == type && (!symbol || !strcmp(e->symbol, symbol)) && (!pred || pred(e)))
			return e;
	}
	return NULL;
}

static inline dec_t D(const char *s)
{
	dec_t v = 0;
	cr_assert_eq(dec_parse(s, strlen(s), &v, NULL), 0, "bad decimal %s in test", s);
	return v;
}

/* Writes `text` to a fresh temporary file; returns its malloc'd path. */
static inline char *temp_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/hunter_imp_test.XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static inline void assert_sorted(const imp_set_t *s)
{
	for (size_t i = 1; i < imp_set_count(s); i++)
		cr_assert_geq(imp_set_event(s, i)->exch_ms, imp_set_event(s, i - 1)->exch_ms,
		              "event %zu goes back in time", i);
}

static inline uint64_t kind_count(const struct imp_stats *st, const char *what)
{
	for (size_t i = 0; i < st->nkinds; i++)
		if (!strcmp(st->kinds[i].what, what))
			return st->kinds[i].n;
	return 0;
}

#endif
