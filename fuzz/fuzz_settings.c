/*
 * fuzz_settings.c - any bytes as a settings file. The loader must answer
 * with settings or with diagnostics, never crash, hang or leak; settings it
 * accepts must write out as effective settings that load back and write out
 * the same; and the map from parsed values to their text must never fail.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config_diag diag;

static char *effective(const struct settings *s, const struct live_settings *live,
                       const struct sim_params *sim, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f || config_write_effective(f, s, live, sim) != 0 || fclose(f) != 0)
		abort();
	return buf;
}

/* The loader's one message that means a bug rather than bad input. */
static void never_internal(const struct config_diag *d)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (!strcmp(d->msgs[i].text,
		            "internal error: the parsed values do not match the text"))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s, again;
	struct live_settings live, live_again;
	struct sim_params sim, sim_again;
	size_t n1, n2;

	if (config_load_text((const char *)data, size, &s, &live, &sim, &diag) != 0) {
		never_internal(&diag);
		return 0;
	}
	char *first = effective(&s, &live, &sim, &n1);
	if (config_load_text(first, n1, &again, &live_again, &sim_again, &diag) != 0)
		abort();
	char *second = effective(&again, &live_again, &sim_again, &n2);
	if (n1 != n2 || memcmp(first, second, n1))
		abort();
	free(first);
	free(second);
	config_free(&s);
	config_free(&again);
	return 0;
}
