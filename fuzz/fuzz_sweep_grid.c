/*
 * fuzz_sweep_grid.c - any bytes as a sweep grid. The grid reader must
 * answer with a grid or a message, never crash, hang or leak; for a grid it
 * accepts, every value index it picks must be in range, and the settings it
 * writes for a combination must be JSON that the settings loader reads
 * (accepting or refusing it with diagnostics).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sweep_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
	"{\"globals\": {\"volume_window_sec\": 60},"
	" \"symbols\": {\"BTCUSDT\": {\"volume_threshold\": 1000},"
	"  \"ETHUSDT\": {\"volume_threshold\": 500}}}";

static void try_combination(const struct grid *g, uint64_t combo)
{
	for (uint32_t k = 0; k < g->n; k++)
		if (sw_grid_pick(g, combo, k) >= g->keys[k].nvalues)
			abort();
	char err[512];
	char *text = sw_grid_settings(g, base, strlen(base), combo, err, sizeof err);
	char *params = sw_grid_params_json(g, combo);
	if (!params)
		abort();
	if (text) {
		struct settings s;
		struct sim_params sim;
		struct config_diag d;
		if (config_load_text(text, strlen(text), &s, NULL, &sim, &d) == 0)
			config_free(&s);
	}
	free(text);
	free(params);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grid g;
	char err[512];
	if (sw_grid_parse(&g, (const char *)data, size, err, sizeof err))
		return 0;
	if (g.total == 0)
		abort();
	try_combination(&g, 0);
	try_combination(&g, g.total - 1);
	try_combination(&g, g.total / 2);
	sw_grid_free(&g);
	return 0;
}
