/*
 * test_ids.c - client ids (valid for the exchange, unique, deterministic),
 * the byte-for-byte determinism of a whole run, the journal enum spellings,
 * and the engine's id hash table against a plain array.
 */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "harness.h"

/* A busy session: entries, fills, growth, merges, closes and a timeout. */
static struct fx *busy_run(void)
{
	struct fx *f = fx_new();
	f->sym[0].max_position_usdt = DEC(1000);
	f->s.order_ttl_ms = 3000;
	fx_start(f);
	int64_t t = 1700000000000;
	for (int i = 0; i < 60; i++, t += 1000) {
		char bid[32];
		snprintf(bid, sizeof(bid), "%d", 50000 - (i % 12) * 400);
		fx_book(f, bid, "60000", t);
		fx_liq(f, i % 3 ? SIDE_SELL : SIDE_BUY, "0.02", "50000", t);
		struct fx_order *o = fx_last(f, 'E');
		if (o && o->open && !o->accepted && i % 4)
			fx_fill(f, o->req.client_id, "0.001", bid);
		if (i % 5)
			fx_sync(f);
		fx_mark(f, bid, t + 1);
		fx_time(f, t + 500);
	}
	fx_sync(f);
	return f;
}

Test(ids, client_ids_are_valid_and_unique)
{
	struct fx *f = busy_run();
	regex_t re;
	cr_assert_eq(regcomp(&re, "^[.A-Z:/a-z0-9_-]{1,36}$", REG_EXTENDED | REG_NOSUB), 0);
	cr_assert_gt(f->nord, 50, "the run should place many orders (%d)", f->nord);
	for (int i = 0; i < f->nord; i++) {
		const char *id = f->ord[i].req.client_id;
		cr_assert_eq(regexec(&re, id, 0, NULL, 0), 0, "invalid client id '%s'", id);
		for (int k = 0; k < i; k++)
			cr_assert_str_neq(id, f->ord[k].req.client_id, "id reused");
	}
	regfree(&re);
	fx_free(f);
}

static void same_req(const order_req *a, const order_req *b)
{
	cr_assert_str_eq(a->client_id, b->client_id);
	cr_assert(a->side == b->side && a->pos_side == b->pos_side && a->type == b->type);
	cr_assert(a->price == b->price && a->qty == b->qty && a->stop_price == b->stop_price);
	cr_assert(a->reduce_only == b->reduce_only);
}

static void same_rec(const struct journal_rec *a, const struct journal_rec *b)
{
	cr_assert(a->kind == b->kind && a->ms == b->ms);
	const struct j_tranche *ta = &a->u.tranche, *tb = &b->u.tranche;
	const struct j_fill *fa = &a->u.fill, *fb = &b->u.fill;
	switch (a->kind) {
	case J_ORDER:
		same_req(&a->u.order.req, &b->u.order.req);
		cr_assert_eq(a->u.order.state, b->u.order.state);
		break;
	case J_TRANCHE:
		cr_assert(ta->tranche == tb->tranche && ta->action == tb->action);
		cr_assert(ta->qty == tb->qty && ta->avg_entry == tb->avg_entry);
		cr_assert(ta->tp_price == tb->tp_price && ta->sl_price == tb->sl_price);
		break;
	case J_FILL:
		cr_assert_str_eq(fa->client_id, fb->client_id);
		cr_assert(fa->role == fb->role && fa->tranche == fb->tranche);
		cr_assert(fa->price == fb->price && fa->qty == fb->qty);
		break;
	case J_SIGNAL:
		cr_assert_str_eq(a->u.signal.reason, b->u.signal.reason);
		break;
	default:
		break;
	}
}

Test(ids, a_run_repeats_exactly)
{
	struct fx *a = busy_run(), *b = busy_run();
	cr_assert_eq(a->nin, b->nin);
	for (int i = 0; i < a->nin; i++) {
		cr_assert_eq(a->in[i].kind, b->in[i].kind);
		cr_assert_str_eq(a->in[i].client_id, b->in[i].client_id);
		if (a->in[i].kind == FX_PLACE)
			same_req(&a->in[i].req, &b->in[i].req);
	}
	cr_assert_eq(a->nj, b->nj);
	for (int i = 0; i < a->nj; i++)
		same_rec(&a->j[i], &b->j[i]);
	cr_assert_gt(fx_count(a, J_TRANCHE), 10);
	fx_free(a);
	fx_free(b);
}

Test(ids, ids_differ_between_runs_started_at_different_times)
{
	struct fx *a = fx_new(), *b = fx_new();
	fx_start(a);
	fx_start(b);
	fx_liq(a, SIDE_SELL, "0.02", "50000", 1000);
	fx_liq(b, SIDE_SELL, "0.02", "50000", 2000);
	cr_assert_str_neq(fx_last(a, 'E')->req.client_id, fx_last(b, 'E')->req.client_id);
	fx_free(a);
	fx_free(b);
}

Test(ids, journal_enums_have_stable_names)
{
	cr_assert_str_eq(order_role_str(ROLE_ENTRY), "entry");
	cr_assert_str_eq(order_role_str(ROLE_CLOSE), "close");
	cr_assert_str_eq(order_role_str(0), "");
	cr_assert_str_eq(order_role_str(99), "");
	cr_assert_str_eq(j_order_state_str(JO_PLACED), "placed");
	cr_assert_str_eq(j_order_state_str(JO_CANCEL_SENT), "cancel_sent");
	cr_assert_str_eq(j_order_state_str(JO_EXPIRED), "expired");
	cr_assert_str_eq(j_order_state_str(-1), "");
	cr_assert_str_eq(j_tranche_action_str(JT_OPEN), "open");
	cr_assert_str_eq(j_tranche_action_str(JT_PROTECT), "protect");
	cr_assert_str_eq(j_tranche_action_str(7), "");
}

static char keys[4096][16];

static const char *key_of(const void *ctx, uint32_t idx)
{
	(void)ctx;
	return keys[idx];
}

Test(ids, idmap_agrees_with_a_plain_array)
{
	struct strmap m;
	cr_assert_eq(strmap_init(&m, key_of, NULL), 0);
	bool in[4096] = {0};
	unsigned seed = 7;
	for (int i = 0; i < 4096; i++)
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
	for (int step = 0; step < 200000; step++) {
		seed = seed * 1103515245u + 12345u;
		int k = (int)((seed >> 8) % 4096);
		if ((seed >> 24) % 3) {
			cr_assert_eq(strmap_put(&m, keys[k], (uint32_t)k), 0);
			in[k] = true;
		} else {
			strmap_del(&m, keys[k]);
			in[k] = false;
		}
		if (step % 997 == 0)
			for (int j = 0; j < 4096; j++)
				cr_assert_eq(strmap_get(&m, keys[j]), in[j] ? j : NONE, "key %d", j);
	}
	strmap_free(&m);
}
