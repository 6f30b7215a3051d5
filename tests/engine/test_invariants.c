/*
 * test_invariants.c - long seeded random sessions against the scripted
 * exchange: books that wander, liquidations, partial fills, refusals,
 * expiries, mark prices and time. Whatever happens, the caps hold, every
 * order sits on the tick and step (checked by the harness on every place),
 * the pending entries stay within their cap, and nothing crashes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const char *fmt(dec_t v, char buf[DEC_FMT_MAX])
{
	dec_format(v, buf);
	return buf;
}

/* A random open order, or NULL. */
static struct fx_order *pick_open(struct fx *f, uint32_t *s, bool accepted)
{
	int n = 0, idx[FX_MAX];
	for (int i = 0; i < f->nord; i++)
		if (f->ord[i].open && f->ord[i].accepted == accepted)
			idx[n++] = i;
	return n ? &f->ord[idx[rnd(s) % (uint32_t)n]] : NULL;
}

static void random_fill(struct fx *f, uint32_t *s, dec_t mid)
{
	struct fx_order *o = pick_open(f, s, rnd(s) % 4 != 0);
	if (!o)
		return;
	dec_t step = f->rules.step, rest = o->req.qty - o->filled;
	dec_t qty = step * (dec_t)(1 + rnd(s) % (uint32_t)(rest / step));
	dec_t px = o->req.type == OT_LIMIT ? o->req.price : o->req.stop_price ? o->req.stop_price : mid;
	char q[DEC_FMT_MAX], p[DEC_FMT_MAX];
	fx_fill(f, o->req.client_id, fmt(qty, q), fmt(px, p));
}

static void random_session(bool hedge, uint32_t seed)
{
	static const int codes[] = {-2021, -2022, -4164, -2019, -4142};
	struct fx *f = fx_new();
	f->s.hedge_mode = hedge;
	f->s.max_total_exposure_usdt = DEC(50);
	f->s.max_open_orders_per_symbol = 3;
	f->s.order_ttl_ms = 4000;
	f->s.unprotected_timeout_ms = 2000;
	f->s.merge_profit_pct = D("0.2");
	f->sym[0].max_position_usdt = DEC(40);
	f->sym[0].price_offset_pct = D("0.05");
	f->sym[0].take_profit_pct = D("0.5");
	f->sym[0].stop_loss_pct = D("0.8");
	fx_start(f);
	uint32_t s = seed;
	dec_t mid = DEC(50000), tick = f->rules.tick;
	int64_t t = 1000;
	for (int step = 0; step < 6000 && f->nord < FX_MAX - 16 && f->nj < 4 * FX_MAX - 64; step++) {
		char a[DEC_FMT_MAX], b[DEC_FMT_MAX];
		struct fx_order *o;
		t += rnd(&s) % 400;
		switch (rnd(&s) % 9) {
		case 0:
			mid += tick * (dec_t)((int)(rnd(&s) % 201) - 100);
			fx_book(f, fmt(mid - tick, a), fmt(mid, b), t);
			break;
		case 1:
			fx_liq(f, rnd(&s) % 2 ? SIDE_SELL : SIDE_BUY,
			       fmt(D("0.001") * (dec_t)(1 + rnd(&s) % 30), a), fmt(mid, b), t);
			break;
		case 2:
			random_fill(f, &s, mid);
			break;
		case 3:
			fx_sync(f);
			break;
		case 4:
			if ((o = pick_open(f, &s, false)))
				fx_reject(f, o->req.client_id, codes[rnd(&s) % 5]);
			break;
		case 5:
			if ((o = pick_open(f, &s, true)))
				fx_cancel_done(f, o->req.client_id, EXEC_EXPIRED);
			break;
		case 6:
			fx_mark(f, fmt(mid, a), t);
			break;
		default:
			fx_time(f, t);
			break;
		}
		struct engine_stats st;
		engine_stats(f->e, &st);
		cr_assert_leq(st.margin_in_use, DEC(40), "margin %lld over the caps at step %d",
		              (long long)st.margin_in_use, step);
		cr_assert_geq(st.margin_in_use, 0);
		int entries = 0;
		for (int i = 0; i < f->nord; i++)
			entries += f->ord[i].open && f->ord[i].req.client_id[strlen(f->ord[i].req.client_id) - 1] == 'E';
		cr_assert_leq(entries, 3, "%d entries pending", entries);
	}
	struct engine_stats st;
	engine_stats(f->e, &st);
	cr_assert_gt(st.fired, 20, "the session should trade (%llu entries)",
	             (unsigned long long)st.fired);
	cr_assert_gt(st.fills, 50);
	fx_free(f);
}

Test(invariants, hedge_mode_sessions)
{
	for (uint32_t seed = 1; seed <= 4; seed++)
		random_session(true, seed * 2654435761u);
}

Test(invariants, one_way_sessions)
{
	for (uint32_t seed = 1; seed <= 4; seed++)
		random_session(false, seed * 40503u + 7);
}
