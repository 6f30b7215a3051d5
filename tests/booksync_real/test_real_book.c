/*
 * test_real_book.c - booksync on real Binance USD-M captures (the exchange
 * whose wire format Aster copies), parsed by aster_parse as a live client
 * would: the cryptofeed capture (four symbols, the diff stream at 100 ms and
 * one REST snapshot each) and the two hftbacktest files (one symbol each,
 * the diff stream at 0 ms and one REST snapshot).
 *
 * What is compared. Each capture holds a single snapshot per symbol, taken
 * a moment after its diffs start, so a book rebuilt from it cannot be held
 * against a later snapshot. The reference is the bookTicker stream instead,
 * which numbers its updates with the same update ids as the depth stream:
 * a bookTicker with id X shows the best bid and ask after every update up
 * to X. Two chained diffs k and k+1 (pu of k+1 = u of k) leave no update of
 * the symbol with an id in (u_k, U_{k+1}), so every bookTicker with an id in
 * [u_k, U_{k+1}) shows the book exactly as it is after diff k: best price
 * and quantity on both sides must be equal. A bookTicker inside a diff's
 * range shows a moment within that diff, which the diff stream does not
 * give, so it is not compared. The book is also compared with the snapshot
 * itself while it waits for its overlapping diff (every level of the 1000
 * must come through), which exercises booksync_compare on real depth.
 */
#include <criterion/criterion.h>

#include "aster.h"
#include "booksync.h"
#include "frames.h"

struct tick {
	int64_t id;
	level_t bid, ask;
};

/* The book after each diff of the stream, in stream order. */
struct point {
	int64_t first, last;
	level_t bid, ask;
	bool live; /* the book is in sync at this diff's u */
};

struct sym {
	char name[SYMBOL_MAX];
	booksync_t *book;
	struct point *pts;
	size_t npts, pcap;
	struct tick *ticks;
	size_t nticks, tcap;
	unsigned needs;     /* NEED_SNAPSHOT results */
	unsigned snap_same; /* snapshots the waiting book was equal to */
	size_t diffs;
};

struct run {
	struct sym sym[8];
	size_t nsym;
	const char *drop_sym; /* leave out this symbol's diff number drop_at (from 1) */
	size_t drop_at;
};

static struct sym *sym_of(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->nsym; i++)
		if (!strcmp(r->sym[i].name, name))
			return &r->sym[i];
	cr_assert_lt(r->nsym, 8, "too many symbols");
	struct sym *s = &r->sym[r->nsym++];
	strcpy(s->name, name);
	s->book = booksync_new(name);
	cr_assert_not_null(s->book);
	return s;
}

static void on_diff(struct run *r, struct sym *s, const ev_t *ev)
{
	const struct ev_depth *d = &ev->u.depth;
	s->pts = grow_array(s->pts, &s->pcap, s->npts + 1, sizeof *s->pts);
	cr_assert_not_null(s->pts);
	struct point *p = &s->pts[s->npts++];
	*p = (struct point){.first = d->first_id, .last = d->last_id};
	s->diffs++;
	if (r->drop_sym && !strcmp(r->drop_sym, s->name) && s->diffs == r->drop_at)
		return;
	enum booksync_state st = booksync_diff(s->book, ev);
	s->needs += st == BOOKSYNC_NEED_SNAPSHOT;
	p->live = st == BOOKSYNC_LIVE && booksync_last_id(s->book) == d->last_id;
	booksync_best(s->book, SIDE_BUY, &p->bid);
	booksync_best(s->book, SIDE_SELL, &p->ask);
}

static void on_snapshot(struct sym *s, const ev_t *ev)
{
	enum booksync_state st = booksync_snapshot(s->book, ev);
	s->needs += st == BOOKSYNC_NEED_SNAPSHOT;
	if (st != BOOKSYNC_WAITING || booksync_last_id(s->book) != ev->u.depth.last_id)
		return;
	struct booksync_cmp c;
	cr_expect_eq(booksync_compare(s->book, ev, &c), 0, "%s: %u levels differ", s->name,
	             c.differ);
	cr_expect_eq(c.compared, ev->u.depth.nbids + ev->u.depth.nasks);
	s->snap_same++;
}

static void on_tick(struct sym *s, const ev_t *ev)
{
	s->ticks = grow_array(s->ticks, &s->tcap, s->nticks + 1, sizeof *s->ticks);
	cr_assert_not_null(s->ticks);
	const struct ev_book_ticker *t = &ev->u.book;
	s->ticks[s->nticks++] = (struct tick){t->update_id, {t->bid, t->bid_qty},
	                                      {t->ask, t->ask_qty}};
}

static int sink(void *ctx, const ev_t *ev)
{
	struct run *r = ctx;
	if (ev->type == EV_DEPTH_UPDATE)
		on_diff(r, sym_of(r, ev->symbol), ev);
	else if (ev->type == EV_DEPTH_SNAPSHOT)
		on_snapshot(sym_of(r, ev->symbol), ev);
	else if (ev->type == EV_BOOK_TICKER)
		on_tick(sym_of(r, ev->symbol), ev);
	return 0;
}

static void parse_frame(aster_parser_t *p, const struct frame *fr, ev_sink_fn fn, void *ctx)
{
	struct aster_ctx actx = {.recv_ns = fr->ns, .symbol = fr->symbol[0] ? fr->symbol : NULL};
	struct aster_result res;
	aster_parse(p, fr->json, fr->len, &actx, fn, ctx, &res);
	cr_assert_neq(res.status, ASTER_ERROR, "%s", res.err);
}

static void run_frames(struct run *r, const struct frames *f)
{
	aster_parser_t *p = aster_parser_new();
	cr_assert_not_null(p);
	for (size_t i = 0; i < f->n; i++)
		parse_frame(p, &f->v[i], sink, r);
	aster_parser_free(p);
}

static int tick_cmp(const void *a, const void *b)
{
	const struct tick *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static bool same(level_t a, level_t b)
{
	return a.price == b.price && a.qty == b.qty;
}

/* Checks every bookTicker that falls between two diffs against the book as
 * it was after the first of them (see the top of the file); returns how
 * many were compared. */
static size_t check_ticks(struct sym *s)
{
	qsort(s->ticks, s->nticks, sizeof *s->ticks, tick_cmp);
	size_t compared = 0, t = 0;
	for (size_t k = 0; k + 1 < s->npts; k++) {
		const struct point *p = &s->pts[k];
		while (t < s->nticks && s->ticks[t].id < p->last)
			t++;
		for (; t < s->nticks && s->ticks[t].id < s->pts[k + 1].first; t++) {
			if (!p->live)
				continue;
			const struct tick *tk = &s->ticks[t];
			cr_expect(same(tk->bid, p->bid) && same(tk->ask, p->ask),
			          "%s: bookTicker %lld differs from the book after diff u=%lld",
			          s->name, (long long)tk->id, (long long)p->last);
			compared++;
		}
	}
	return compared;
}

/* A symbol that synced once and stayed in sync to the end. */
static void expect_clean(const struct sym *s)
{
	struct booksync_stats st;
	booksync_stats(s->book, &st);
	cr_expect_eq(booksync_state(s->book), BOOKSYNC_LIVE, "%s is live", s->name);
	cr_expect_eq(s->needs, 1, "%s asked for one snapshot", s->name);
	cr_expect_eq(booksync_resyncs(s->book), 0, "%s: no break", s->name);
	cr_expect_eq(st.too_old + st.rejected + st.overflows + st.trimmed, 0, "%s", s->name);
	cr_expect_eq(st.applied + st.stale, s->diffs, "%s: every diff applied or stale",
	             s->name);
	cr_expect_gt(st.applied, s->diffs / 2, "%s", s->name);
	cr_expect_eq(booksync_last_id(s->book), s->pts[s->npts - 1].last);
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nsym; i++) {
		booksync_free(r->sym[i].book);
		free(r->sym[i].pts);
		free(r->sym[i].ticks);
	}
}

Test(real_book, cryptofeed)
{
	test_need_real_data();
	struct frames f = {0};
	frames_cryptofeed(&f);
	struct run r = {0};
	run_frames(&r, &f);
	cr_assert_eq(r.nsym, 4);
	size_t compared = 0;
	for (size_t i = 0; i < r.nsym; i++) {
		expect_clean(&r.sym[i]);
		cr_expect_eq(r.sym[i].snap_same, 1, "%s: the waiting book is its snapshot",
		             r.sym[i].name);
		compared += check_ticks(&r.sym[i]);
	}
	cr_expect_eq(compared, 50, "%zu bookTickers fell between diffs", compared);
	run_free(&r);
	frames_free(&f);
}

static int resnapshot(void *ctx, const ev_t *ev)
{
	cr_expect_eq(booksync_snapshot(ctx, ev), BOOKSYNC_NEED_SNAPSHOT);
	return 0;
}

/* SUSHIUSDT's 100th diff is lost: the next one breaks the pu chain, the book
 * is dropped and a snapshot asked for; no second snapshot comes, so it waits
 * to the end. Its only snapshot, fed again, is older than every diff
 * buffered since the break. The other symbols are not affected. */
Test(real_book, cryptofeed_forced_break)
{
	test_need_real_data();
	struct frames f = {0};
	frames_cryptofeed(&f);
	struct run r = {.drop_sym = "SUSHIUSDT", .drop_at = 100};
	run_frames(&r, &f);
	struct sym *sushi = sym_of(&r, "SUSHIUSDT");
	cr_expect_eq(booksync_resyncs(sushi->book), 1);
	cr_expect_eq(sushi->needs, 2);
	cr_expect_eq(booksync_state(sushi->book), BOOKSYNC_WAITING);
	cr_expect(sushi->pts[98].live, "live before the loss");
	for (size_t k = 99; k < sushi->npts; k++)
		cr_expect_not(sushi->pts[k].live, "diff %zu after the break", k + 1);
	for (size_t i = 0; i < r.nsym; i++)
		if (&r.sym[i] != sushi)
			expect_clean(&r.sym[i]);
	check_ticks(sushi);

	aster_parser_t *p = aster_parser_new();
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].symbol, "SUSHIUSDT"))
			parse_frame(p, &f.v[i], resnapshot, sushi->book);
	aster_parser_free(p);
	struct booksync_stats st;
	booksync_stats(sushi->book, &st);
	cr_expect_eq(st.too_old, 1);
	run_free(&r);
	frames_free(&f);
}

/* `want_compared`: how many bookTickers fall between two diffs in that file. */
static void hftbacktest(const char *file, const char *symbol, size_t want_compared)
{
	test_need_real_data();
	struct frames f = {0};
	frames_hftbacktest(&f, file, symbol);
	struct run r = {0};
	run_frames(&r, &f);
	cr_assert_eq(r.nsym, 1);
	expect_clean(&r.sym[0]);
	size_t compared = check_ticks(&r.sym[0]);
	cr_expect_eq(compared, want_compared, "%zu bookTickers fell between diffs", compared);
	run_free(&r);
	frames_free(&f);
}

Test(real_book, hftbacktest_btcusdt)
{
	hftbacktest("btcusdt_20240808.gz", "BTCUSDT", 629);
}

Test(real_book, hftbacktest_ethusdt)
{
	hftbacktest("ethusdt_20240808.gz", "ETHUSDT", 551);
}
