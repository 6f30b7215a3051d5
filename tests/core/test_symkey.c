/* Unit tests for symbol keys: one key per name in every thread, and the
 * per-consumer index that remembers what a key stands for. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

Test(symkey, same_name_same_key_and_empty_has_none)
{
	uint32_t a = symkey_of("SYMKEYAUSDT"), b = symkey_of("SYMKEYBUSDT");
	cr_assert(a && b && a != b);
	cr_assert_eq(symkey_of("SYMKEYAUSDT"), a);
	cr_assert_eq(symkey_of(""), 0);
}

#define THREADS 4
#define NAMES 200

static void *key_names(void *out)
{
	uint32_t *keys = out;
	char name[SYMBOL_MAX];
	for (int i = 0; i < NAMES; i++) {
		snprintf(name, sizeof name, "T%dUSDT", i);
		keys[i] = symkey_of(name);
	}
	return NULL;
}

Test(symkey, threads_agree_on_every_key)
{
	static uint32_t keys[THREADS][NAMES];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, key_names, keys[i]), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int n = 0; n < NAMES; n++) {
		cr_assert_neq(keys[0][n], 0);
		for (int i = 1; i < THREADS; i++)
			cr_assert_eq(keys[i][n], keys[0][n], "name %d", n);
		for (int m = 0; m < n; m++)
			cr_assert_neq(keys[0][m], keys[0][n]);
	}
}

Test(sym_index, remembers_indexes_and_absence)
{
	struct sym_index x = {0};
	uint32_t k = symkey_of("SYMKEYCUSDT"), far = 5000;
	cr_assert_eq(sym_index_get(&x, k), SYM_INDEX_UNKNOWN);
	sym_index_set(&x, k, 0);
	cr_assert_eq(sym_index_get(&x, k), 0);
	sym_index_set(&x, far, -1); /* the consumer has no such symbol */
	cr_assert_eq(sym_index_get(&x, far), -1);
	cr_assert_eq(sym_index_get(&x, far - 1), SYM_INDEX_UNKNOWN, "grown slots start unknown");
	sym_index_set(&x, 0, 7); /* key 0 is "no key": never recorded */
	cr_assert_eq(sym_index_get(&x, 0), SYM_INDEX_UNKNOWN);
	sym_index_free(&x);
}

Test(symkey_cache, gives_the_process_keys_whatever_follows_the_name)
{
	static struct symkey_cache c;
	char a[SYMBOL_MAX] = "ETHUSDT", b[SYMBOL_MAX];
	memset(b, 'x', sizeof b);
	strcpy(b, "BTC"); /* bytes after the NUL are left from something else */
	cr_assert_eq(symkey_cached(&c, a), symkey_of("ETHUSDT"));
	cr_assert_eq(symkey_cached(&c, b), symkey_of("BTC"));
	cr_assert_eq(symkey_cached(&c, b), symkey_of("BTC"), "and again, from the cache");
	for (int i = 0; i < 3 * SYMKEY_CACHE; i++) { /* more names than slots */
		char n[SYMBOL_MAX];
		snprintf(n, sizeof n, "C%dUSDT", i);
		cr_assert_eq(symkey_cached(&c, n), symkey_of(n), "%s", n);
	}
	cr_assert_eq(symkey_cached(&c, a), symkey_of("ETHUSDT"));
	cr_assert_eq(symkey_cached(&c, ""), 0);
}
