/*
 * config.h - loads settings.json into the engine's `struct settings` and the
 * simulated exchange's `struct sim_params`, and writes the effective settings
 * back out with every default filled in.
 *
 * A settings file has a `globals` object, a `symbols` object keyed by symbol
 * and an optional `simulation` object; docs/settings.md lists every key. A
 * file written for the original Python bot (aster_lick_hunter) loads
 * unchanged: its keys that mean nothing here are accepted with one warning
 * each. Any other key, a wrong type or an out-of-range value is an error
 * naming the key's path and line, and every error is collected, not only the
 * first. Numbers become exact decimals from their source text, never through
 * a binary double.
 *
 * Depends on core.h, engine.h (struct settings), exchange.h (struct
 * sim_params) and cJSON.
 */
#ifndef HUNTER_CONFIG_H
#define HUNTER_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "core.h"
#include "engine.h"
#include "exchange_sim.h"

/* Diagnostics: warnings and errors, each "path: message" plus the line of
 * the value it is about (0 when it concerns no single value). The first
 * CONFIG_DIAG_MAX are kept; the counts include those that were not. */
#define CONFIG_DIAG_MAX 100
#define CONFIG_MSG_MAX 256

enum config_level { CONFIG_WARNING = 1, CONFIG_ERROR };

struct config_msg {
	enum config_level level;
	uint32_t line;
	char text[CONFIG_MSG_MAX];
};

struct config_diag {
	uint32_t nerrors, nwarnings;
	uint32_t n; /* messages kept in msgs[], in the order they were found */
	struct config_msg msgs[CONFIG_DIAG_MAX];
};

/* Global settings only a live run uses (how it sets the account up and
 * paces its requests): kept out of the engine's `struct settings`, which
 * holds what decides trades. */
struct live_settings {
	bool simulate_only;     /* live market data, simulated exchange, no signed request */
	bool multi_assets_mode;
	bool set_leverage;      /* set each symbol's leverage at start where it differs */
	bool set_margin_type;
	int rate_limit_buffer_pct; /* of each rate limit, kept in reserve */
};

/* Settings files larger than this are refused (real ones are a few KiB). */
#define CONFIG_TEXT_MAX (4u << 20)

/*
 * Loads settings from a file or from text (`len` bytes, need not be
 * NUL-terminated). Always fills *s, *live and *sim (defaults where the file
 * says nothing) and *d; `live` may be NULL when the caller trades no
 * account (a backtest reads and checks those keys all the same). Returns 0
 * on success, perhaps with warnings; -1 when there was at least one error,
 * in which case *s owns nothing and must not be used.
 * On success release *s with config_free().
 */
int config_load_file(const char *path, struct settings *s, struct live_settings *live,
                     struct sim_params *sim, struct config_diag *d);
int config_load_text(const char *json, size_t len, struct settings *s,
                     struct live_settings *live, struct sim_params *sim, struct config_diag *d);
void config_free(struct settings *s);

/* The settings of a symbol (symbols are sorted by name), or NULL. */
const struct symbol_settings *config_find_symbol(const struct settings *s,
                                                 const char *symbol);

/*
 * Writes the effective settings as a settings.json that loads back to the
 * same values: every key with its value, defaults included, keys in the
 * order of docs/settings.md, symbols sorted, numbers exact. Returns 0, or -1
 * on a write error.
 */
int config_write_effective(FILE *out, const struct settings *s, const struct live_settings *live,
                           const struct sim_params *sim);

/* The `simulation` object alone, as in the effective settings: the model
 * line of a simulated run. Returns 0, or -1 on a write error. */
int config_write_simulation(FILE *out, const struct sim_params *sim);

/* The same two as text in memory (malloc'd, NUL-terminated, length in
 * *len), for the run database; NULL when out of memory. */
char *config_effective_text(const struct settings *s, const struct live_settings *live,
                            const struct sim_params *sim, size_t *len);
char *config_simulation_text(const struct sim_params *sim, size_t *len);

/* Diagnostics for people: "FILE:LINE: error: path: message", one a line. */
void config_diag_print(FILE *out, const char *file, const struct config_diag *d);

/* Diagnostics for programs: {"errors":[{"line":N,"message":"..."}],
 * "warnings":[...],"errors_total":N,"warnings_total":N}. Returns 0 or -1. */
int config_diag_write_json(FILE *out, const struct config_diag *d);

#endif
