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

/* A key as the table compares it: its FNV-1a hash and its first 8 bytes
 * (the terminating NUL included when it is shorter). Two keys of under 8
 * characters are equal exactly when their prefixes are, so the symbols
 * looked up on every market event ("BTCUSDT") never reach strcmp. */
struct probe {
	uint32_t hash;
	uint64_t prefix;
	bool whole; /* the prefix holds the whole key */
};

static struct probe probe_of(const char *s)
{
	struct probe p = {2166136261u, 0, false};
	size_t n = 0;
	for (; s[n]; n++) {
		p.hash = (p.hash ^ (uint8_t)s[n]) * 16777619u;
		if (n < 8)
			p.prefix |= (uint64_t)(uint8_t)s[n] << (8 * n);
	}
	p.whole = n < 8;
	return p;
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

static bool same(const struct strmap *m, const struct strmap_slot *sl, const char *s,
                 const struct probe *p)
{
	return sl->hash == p->hash && sl->prefix == p->prefix &&
	       (p->whole || !strcmp(m->key(m->ctx, sl->idx1 - 1), s));
}

/* Slot holding `s`, or the empty slot where it would go. */
static uint32_t find_slot(const struct strmap *m, const char *s, const struct probe *p)
{
	uint32_t mask = m->cap - 1, i = p->hash & mask;
	while (m->slots[i].idx1 && !same(m, &m->slots[i], s, p))
		i = (i + 1) & mask;
	return i;
}

int64_t strmap_get(const struct strmap *m, const char *s)
{
	struct probe p = probe_of(s);
	const struct strmap_slot *sl = &m->slots[find_slot(m, s, &p)];
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
	struct probe p = probe_of(s);
	uint32_t i = find_slot(m, s, &p);
	if (!m->slots[i].idx1)
		m->count++;
	m->slots[i] = (struct strmap_slot){p.hash, idx + 1, p.prefix};
	return 0;
}

void strmap_del(struct strmap *m, const char *s)
{
	struct probe p = probe_of(s);
	uint32_t mask = m->cap - 1, i = find_slot(m, s, &p);
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
	m->slots[i] = (struct strmap_slot){0, 0, 0};
}
