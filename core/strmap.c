/*
 * strmap.c - a string-to-index hash table with linear probing: the engine
 * finds a symbol by name on every market event and an order by client id on
 * every order update through it, the simulated exchange and the recording
 * summary their symbols.
 *
 * The table stores only the hash and the index; the key string lives in the
 * caller's array and is read back through `key`, so entries never own memory
 * and the caller's array may be reallocated freely. Deletion shifts the
 * following run back instead of leaving tombstones, so a long run of orders
 * never degrades lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

int strmap_init(struct strmap *m, strmap_key_fn key, const void *ctx)
{
	m->cap = 16;
	m->count = 0;
	m->key = key;
	m->ctx = ctx;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	return m->slots ? 0 : -1;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
}

/* Slot holding `s`, or the empty slot where it would go. */
static uint32_t find_slot(const struct strmap *m, const char *s, uint32_t h)
{
	uint32_t mask = m->cap - 1, i = h & mask;
	for (;;) {
		const struct strmap_slot *sl = &m->slots[i];
		if (!sl->idx1 || (sl->hash == h && !strcmp(m->key(m->ctx, sl->idx1 - 1), s)))
			return i;
		i = (i + 1) & mask;
	}
}

int64_t strmap_get(const struct strmap *m, const char *s)
{
	const struct strmap_slot *sl = &m->slots[find_slot(m, s, hash_str(s))];
	return sl->idx1 ? (int64_t)sl->idx1 - 1 : -1;
}

static int grow(struct strmap *m)
{
	struct strmap_slot *old = m->slots;
	uint32_t oldcap = m->cap;
	struct strmap_slot *slots = calloc((size_t)oldcap * 2, sizeof(*slots));
	if (!slots)
		return -1;
	m->slots = slots;
	m->cap = oldcap * 2;
	for (uint32_t i = 0; i < oldcap; i++) {
		if (!old[i].idx1)
			continue;
		uint32_t j = old[i].hash & (m->cap - 1);
		while (slots[j].idx1)
			j = (j + 1) & (m->cap - 1);
		slots[j] = old[i];
	}
	free(old);
	return 0;
}

int strmap_put(struct strmap *m, const char *s, uint32_t idx)
{
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m))
		return -1;
	uint32_t h = hash_str(s), i = find_slot(m, s, h);
	if (!m->slots[i].idx1)
		m->count++;
	m->slots[i] = (struct strmap_slot){h, idx + 1};
	return 0;
}

void strmap_del(struct strmap *m, const char *s)
{
	uint32_t mask = m->cap - 1, i = find_slot(m, s, hash_str(s));
	if (!m->slots[i].idx1)
		return;
	m->count--;
	/* Move back every later entry of the run that may sit at `i`. */
	for (uint32_t j = (i + 1) & mask; m->slots[j].idx1; j = (j + 1) & mask) {
		uint32_t home = m->slots[j].hash & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i] = (struct strmap_slot){0, 0};
}
