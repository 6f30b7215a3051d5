/*
 * fuzz_dashboard_snapshot.c - any bytes as the snapshot the live process
 * publishes to the dashboard: it is either refused or kept, and a kept
 * one is shown on the page and answered by the JSON endpoints. Nothing
 * may crash or leak; the page must hold no markup from the data (its one
 * script is the dashboard's own) and every JSON answer must parse.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (; (s = strstr(s, what)); s++)
		n++;
	return n;
}

static void answer(struct dashboard *d, void (*endpoint)(struct dashboard *, struct conn *),
                   bool json)
{
	struct conn c = {0};
	endpoint(d, &c);
	if (!c.ready || !c.reply.s)
		abort();
	if (json) {
		cJSON *j = cJSON_Parse(c.reply.s);
		if (!j)
			abort();
		cJSON_Delete(j);
	} else if (count(c.reply.s, "<script") != 1 ||
	           count(c.reply.s, "<table") != count(c.reply.s, "</table>")) {
		abort();
	}
	dash_text_free(&c.reply);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[64];
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct dashboard d = {.db_path = "/nonexistent/run.db", .refresh_s = 3};
	pthread_mutex_init(&d.mu, NULL);
	d.snapshot = dash_snapshot_normalize(text, err, sizeof err);
	free(text);
	answer(&d, dash_page, false);
	answer(&d, dash_api_stats, true);
	if (d.snapshot) {
		answer(&d, dash_api_account, true);
		answer(&d, dash_api_positions, true);
	}
	free(d.snapshot);
	pthread_mutex_destroy(&d.mu);
	return 0;
}
