/*
 * symkey.c - small numbers for symbol names, the same in every thread for
 * the life of the process.
 *
 * The engine and the simulated exchange keep their per-symbol state in
 * arrays and used to find it by name on every market event; a sweep does
 * that once per event for every combination it runs. An event now carries
 * a key given once, where it is decoded (replay_next), and each consumer
 * remembers which of its own slots a key stands for (struct sym_index), so
 * the name is hashed once per event instead of twice per combination.
 *
 * Keys are never reused or freed: there are a few hundred symbols on an
 * exchange, and a stale key must never name another symbol. Past
 * SYMKEY_MAX names (a hostile recording), new names get no key (0) and
 * consumers fall back to the name.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define SYMKEY_MAX 65536u

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char (*names)[SYMBOL_MAX]; /* names[k - 1] is key k's name */
static uint32_t nnames;
static size_t capnames;
static struct strmap map;
static bool map_ready;

static const char *name_at(const void *ctx, uint32_t idx)
{
	return names[idx];
}

static uint32_t add(const char *name)
{
	if (nnames == SYMKEY_MAX || (!map_ready && strmap_init(&map, name_at, NULL)))
		return 0;
	map_ready = true;
	char(*a)[SYMBOL_MAX] = grow_array(names, &capnames, nnames + 1, sizeof *a);
	if (!a)
		return 0;
	names = a;
	copy_str(names[nnames], SYMBOL_MAX, name, strlen(name));
	if (strmap_put(&map, names[nnames], nnames))
		return 0;
	return ++nnames;
}

uint32_t symkey_of(const char *name)
{
	if (!name[0])
		return 0;
	pthread_mutex_lock(&lock);
	int64_t i = map_ready ? strmap_get(&map, name) : -1;
	uint32_t k = i >= 0 ? (uint32_t)i + 1 : add(name);
	pthread_mutex_unlock(&lock);
	return k;
}

/* Direct-mapped by the name's first 8 bytes: symbol names differ early. */
uint32_t symkey_cached(struct symkey_cache *c, const char *name)
{
	uint64_t head = 0; /* the bytes before the NUL only: what follows it is anything */
	for (int b = 0; b < 8 && name[b]; b++)
		head |= (uint64_t)(uint8_t)name[b] << (8 * b);
	size_t i = (size_t)((head * 0x9e3779b97f4a7c15ULL) >> 58) % SYMKEY_CACHE;
	if (c->e[i].key && !strcmp(c->e[i].name, name))
		return c->e[i].key;
	uint32_t k = symkey_of(name);
	if (k) {
		copy_str(c->e[i].name, SYMBOL_MAX, name, strlen(name));
		c->e[i].key = k;
	}
	return k;
}

/* A slot holds index + 2, so that 0 (what a new slot is cleared to) means
 * "never recorded" and 1 means "the consumer has no such symbol" (-1). */
void sym_index_set(struct sym_index *x, uint32_t key, int64_t idx)
{
	if (!key || idx < -1)
		return;
	if (key >= x->cap) {
		size_t old = x->cap;
		int64_t *a = grow_array(x->slot, &x->cap, (size_t)key + 1, sizeof *a);
		if (!a)
			return; /* the name lookup still works, only slower */
		memset(a + old, 0, (x->cap - old) * sizeof *a);
		x->slot = a;
	}
	x->slot[key] = idx + 2;
}

void sym_index_free(struct sym_index *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = 0;
}
