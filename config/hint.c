/*
 * hint.c - what an unknown key was probably meant to be, for the error that
 * reports it: a key of another section ("leverage" in globals belongs in
 * each symbol) or, within two typing mistakes, a key of the same section.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"

/* Edit distance, for keys of up to 40 characters. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[41];

	if (la > 40 || lb > 40)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void cf_key_hint(const struct section *sec, const char *key, char *buf, size_t cap)
{
	const struct section *all[] = {&cf_schema_globals, &cf_schema_symbol, &cf_schema_simulation};
	const char *best = NULL;
	size_t best_d = 3; /* further than two edits is no longer a typo */

	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		if (all[i] != sec && (cf_schema_field(all[i], key) || cf_schema_legacy(all[i], key))) {
			snprintf(buf, cap, " (it belongs in %s%s)", all[i]->name,
			         all[i] == &cf_schema_symbol ? ".<SYMBOL>" : "");
			return;
		}
	for (size_t i = 0; sec && i < sec->nfields; i++) {
		size_t d = distance(key, sec->fields[i].key);
		if (d < best_d)
			best = sec->fields[i].key, best_d = d;
	}
	if (best)
		snprintf(buf, cap, " (did you mean \"%s\"?)", best);
}

