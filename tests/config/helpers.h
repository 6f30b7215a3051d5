/*
 * helpers.h - what the config tests share: loading a settings text and
 * finding a diagnostic in the result.
 */
#ifndef HUNTER_TEST_CONFIG_HELPERS_H
#define HUNTER_TEST_CONFIG_HELPERS_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "config.h"

/* One load's outcome; the tests keep it static, as the diagnostics are big. */
struct loaded {
	int rc;
	struct settings s;
	struct live_settings live;
	struct sim_params sim;
	struct config_diag d;
};

static inline struct loaded *load(const char *json)
{
	static struct loaded L;
	config_free(&L.s);
	L.rc = config_load_text(json, strlen(json), &L.s, &L.live, &L.sim, &L.d);
	return &L;
}

/* Counts the messages of `level` whose text contains `part` (and that are
 * on `line`, unless line is 0). */
static inline int count_msgs(const struct config_diag *d, enum config_level level,
                             uint32_t line, const char *part)
{
	int n = 0;
	for (uint32_t i = 0; i < d->n; i++)
		if (d->msgs[i].level == level && (!line || d->msgs[i].line == line) &&
		    strstr(d->msgs[i].text, part))
			n++;
	return n;
}

/* Asserts that there is exactly one error with this exact text on `line`. */
static inline void expect_error(const struct loaded *L, uint32_t line, const char *text)
{
	cr_assert_eq(L->rc, -1, "the settings should not load");
	for (uint32_t i = 0; i < L->d.n; i++)
		if (L->d.msgs[i].level == CONFIG_ERROR && !strcmp(L->d.msgs[i].text, text)) {
			cr_assert_eq(L->d.msgs[i].line, line, "'%s' on line %u, not %u", text,
			             L->d.msgs[i].line, line);
			return;
		}
	for (uint32_t i = 0; i < L->d.n; i++)
		cr_log_error("have: %u: %s", L->d.msgs[i].line, L->d.msgs[i].text);
	cr_assert_fail("no error '%s'", text);
}

/* Reads a file of the source tree into a NUL-terminated buffer. */
static inline char *read_source_file(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", HUNTER_SOURCE_DIR, rel);
	return test_read_file(path, NULL);
}

#endif
