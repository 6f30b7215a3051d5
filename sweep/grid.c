/*
 * grid.c - a sweep's grid: settings key paths, each with its list of
 * values, and the settings text of any combination of them.
 *
 *   {"symbols.BTCUSDT.volume_threshold_long": [20000, 50000],
 *    "symbols.*.take_profit_pct": {"from": 0.3, "to": 1.5, "step": 0.3}}
 *
 * Combinations are numbered in the cartesian product with the last key
 * varying fastest, so a number names the same settings on every machine.
 * Ranges are counted in exact decimals (0.3 + 0.3 + 0.3 is 0.9, not
 * 0.8999...), and every value enters the settings text as the grid wrote
 * it, so the settings loader reads it as exactly as it reads a file.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_int.h"

#define RANGE_MAX 10000 /* values in one range: more is surely a typo */

static int fail(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* The decimal a JSON number was written as. */
static int number_dec(const cJSON *n, dec_t *out)
{
	char buf[64];
	if (!cJSON_IsNumber(n) || !cJSON_PrintPreallocated((cJSON *)n, buf, sizeof buf, 0))
		return -1;
	return dec_parse(buf, strlen(buf), out, NULL);
}

static int add_value(struct grid_key *k, cJSON *v)
{
	cJSON **a = grow_array(k->values, &k->cap, k->nvalues + 1, sizeof *a);
	if (!a)
		return -1;
	k->values = a;
	k->values[k->nvalues++] = v;
	return 0;
}

static int expand_range(struct grid_key *k, const cJSON *spec, char *err, size_t cap)
{
	dec_t from, to, step;
	if (number_dec(cJSON_GetObjectItemCaseSensitive(spec, "from"), &from) ||
	    number_dec(cJSON_GetObjectItemCaseSensitive(spec, "to"), &to) ||
	    number_dec(cJSON_GetObjectItemCaseSensitive(spec, "step"), &step))
		return fail(err, cap, "grid: %s: %s", k->path,
		            "a range needs numbers \"from\", \"to\" and \"step\"");
	if (step <= 0 || to < from)
		return fail(err, cap, "grid: %s: %s", k->path, "a range needs step > 0 and to >= from");
	if ((to - from) / step >= RANGE_MAX)
		return fail(err, cap, "grid: %s: %s", k->path, "the range has more than 10000 values");
	for (dec_t v = from; v <= to; v += step) {
		char text[DEC_FMT_MAX];
		dec_format(v, text);
		cJSON *raw = cJSON_CreateRaw(text);
		if (!raw || add_value(k, raw)) {
			cJSON_Delete(raw);
			return fail(err, cap, "grid: %s: %s", k->path, "out of memory");
		}
	}
	return 0;
}

static int parse_key(struct grid_key *k, const cJSON *spec, char *err, size_t cap)
{
	if (cJSON_IsObject(spec))
		return expand_range(k, spec, err, cap);
	if (!cJSON_IsArray(spec) || cJSON_GetArraySize(spec) == 0)
		return fail(err, cap, "grid: %s: %s", k->path,
		            "expected a non-empty array of values or a {from, to, step} range");
	const cJSON *v;
	cJSON_ArrayForEach(v, spec) {
		if (cJSON_IsArray(v) || cJSON_IsObject(v) || cJSON_IsNull(v))
			return fail(err, cap, "grid: %s: %s", k->path,
			            "values must be numbers, strings or booleans");
		cJSON *copy = cJSON_Duplicate(v, 0);
		if (!copy || add_value(k, copy)) {
			cJSON_Delete(copy);
			return fail(err, cap, "grid: %s: %s", k->path, "out of memory");
		}
	}
	return 0;
}

/* Paths are "globals.KEY", "simulation.KEY", "symbols.SYMBOL.KEY" or
 * "symbols.*.KEY" (every symbol of the base settings). */
static int check_path(const char *path, char *err, size_t cap)
{
	const char *dot = strchr(path, '.');
	size_t head = dot ? (size_t)(dot - path) : 0;
	bool sym = head == 7 && !strncmp(path, "symbols", 7);
	bool flat = (head == 7 && !strncmp(path, "globals", 7)) ||
	            (head == 10 && !strncmp(path, "simulation", 10));
	const char *rest = dot ? dot + 1 : "";
	const char *dot2 = strchr(rest, '.');
	if ((flat && rest[0] && !dot2) || (sym && dot2 && dot2 > rest && dot2[1] && !strchr(dot2 + 1, '.')))
		return 0;
	return fail(err, cap, "grid: %s: %s", path,
	            "expected globals.KEY, simulation.KEY, symbols.SYMBOL.KEY or symbols.*.KEY");
}

int sw_grid_parse(struct grid *g, const char *text, size_t len, char *err, size_t cap)
{
	memset(g, 0, sizeof *g);
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(root) || !root->child) {
		cJSON_Delete(root);
		return fail(err, cap, "grid: %s", "expected a JSON object of settings key paths"
		                                        " to value lists");
	}
	g->n = (uint32_t)cJSON_GetArraySize(root);
	g->keys = calloc(g->n, sizeof *g->keys);
	int rc = g->keys ? 0 : fail(err, cap, "grid: %s", "out of memory");
	uint32_t i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, root) {
		if (rc)
			break;
		struct grid_key *k = &g->keys[i++];
		k->path = strdup(item->string);
		rc = !k->path ? fail(err, cap, "grid: %s", "out of memory")
		              : check_path(k->path, err, cap) || parse_key(k, item, err, cap);
	}
	cJSON_Delete(root);
	g->total = 1;
	for (uint32_t k = 0; !rc && k < g->n; k++) {
		if (g->total > UINT64_MAX / g->keys[k].nvalues)
			rc = fail(err, cap, "grid: %s", "too many combinations");
		else
			g->total *= g->keys[k].nvalues;
	}
	if (rc)
		sw_grid_free(g);
	return rc;
}

void sw_grid_free(struct grid *g)
{
	for (uint32_t i = 0; g->keys && i < g->n; i++) {
		for (uint32_t v = 0; v < g->keys[i].nvalues; v++)
			cJSON_Delete(g->keys[i].values[v]);
		free(g->keys[i].values);
		free(g->keys[i].path);
	}
	free(g->keys);
	memset(g, 0, sizeof *g);
}

/* The value index of key k in combination `combo`. */
uint32_t sw_grid_pick(const struct grid *g, uint64_t combo, uint32_t k)
{
	for (uint32_t i = g->n; i-- > k + 1;)
		combo /= g->keys[i].nvalues;
	return (uint32_t)(combo % g->keys[k].nvalues);
}

/* Sets `key` of object `obj` to a copy of `v`, replacing any value. */
static int set_item(cJSON *obj, const char *key, const cJSON *v)
{
	cJSON *copy = cJSON_Duplicate(v, 1);
	if (!copy)
		return -1;
	/* settings keys are case-sensitive (cJSON_HasObjectItem is not) */
	bool ok = cJSON_GetObjectItemCaseSensitive(obj, key)
	                  ? cJSON_ReplaceItemInObjectCaseSensitive(obj, key, copy)
	                  : cJSON_AddItemToObject(obj, key, copy);
	if (!ok)
		cJSON_Delete(copy);
	return ok ? 0 : -1;
}

static cJSON *section(cJSON *root, const char *name)
{
	cJSON *s = cJSON_GetObjectItemCaseSensitive(root, name);
	if (!s)
		s = cJSON_AddObjectToObject(root, name);
	return cJSON_IsObject(s) ? s : NULL;
}

static int apply(cJSON *root, const char *path, const cJSON *v, char *err, size_t cap)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	char *name = buf, *rest = strchr(buf, '.');
	*rest++ = '\0';
	cJSON *sec = section(root, name);
	if (!sec)
		return fail(err, cap, "grid: %s: %s", path, "the base settings' section is not an object");
	if (strcmp(name, "symbols"))
		return set_item(sec, rest, v);
	char *key = strchr(rest, '.');
	*key++ = '\0';
	if (strcmp(rest, "*")) {
		cJSON *sym = cJSON_GetObjectItemCaseSensitive(sec, rest);
		if (!cJSON_IsObject(sym))
			return fail(err, cap, "grid: %s: %s", path, "the base settings have no such symbol");
		return set_item(sym, key, v);
	}
	cJSON *sym;
	cJSON_ArrayForEach(sym, sec)
		if (cJSON_IsObject(sym) && set_item(sym, key, v))
			return -1;
	return 0;
}

char *sw_grid_settings(const struct grid *g, const char *base, size_t base_len, uint64_t combo,
		       char *err, size_t cap)
{
	cJSON *root = cJSON_ParseWithLength(base, base_len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		fail(err, cap, "base settings: not a JSON object");
		return NULL;
	}
	for (uint32_t k = 0; k < g->n; k++)
		if (apply(root, g->keys[k].path, g->keys[k].values[sw_grid_pick(g, combo, k)], err, cap)) {
			cJSON_Delete(root);
			return NULL;
		}
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		fail(err, cap, "grid: %s", "out of memory");
	return text;
}

char *sw_grid_params_json(const struct grid *g, uint64_t combo)
{
	cJSON *o = cJSON_CreateObject();
	for (uint32_t k = 0; o && k < g->n; k++) {
		cJSON *v = cJSON_Duplicate(g->keys[k].values[sw_grid_pick(g, combo, k)], 1);
		if (!v || !cJSON_AddItemToObject(o, g->keys[k].path, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return text;
}
