/*
 * parity_int.h - the parity module's own types: each run as its signals,
 * each signal with what its entry filled.
 */
#ifndef HUNTER_PARITY_INT_H
#define HUNTER_PARITY_INT_H

#include "parity.h"

struct pty_entry {
	int64_t ms;
	char symbol[SYMBOL_MAX];
	char liq_side[8];
	char reason[32];
	char client_id[CLIENT_ID_MAX];
	bool fired;
	int dir;               /* +1 for a buying entry, -1 selling */
	dec_t filled;          /* the entry's filled quantity */
	__int128 cost;         /* sum of price x quantity of its fills, scale 1e16 */
	dec_t fee;
	int64_t first_fill_ms; /* 0 when nothing filled */
	int64_t peer;          /* index of the matched signal of the other run, -1 */
	enum pty_cause cause;  /* of A's entries: what differs from the peer */
	dec_t cost_to_b;       /* B against A at the entry, when known */
	bool cost_known;
};

struct pty_run {
	const char *path;
	struct pty_entry *e;
	size_t n;
	dec_t net;
};

int pty_load(struct pty_run *r, char *err, size_t cap);
void pty_run_free(struct pty_run *r);
void pty_match(struct pty_run *a, struct pty_run *b, int64_t match_ms);
void pty_print_text(FILE *out, const struct pty_run *a, const struct pty_run *b,
                    const struct pty_result *res);
void pty_print_json(FILE *out, const struct pty_run *a, const struct pty_run *b,
                    const struct pty_result *res);

#endif
