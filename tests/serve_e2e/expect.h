/*
 * expect.h - what a client subscribed to some streams must receive, worked
 * out from the recording itself: the test walks the recording with the
 * replay module and, for every event, every subscribed stream that carries
 * it (in subscription order) must have sent the next message, which must
 * parse (aster_parse) to the recorded event, field by field. The receive
 * time is not compared: the exchange sends none.
 */
#ifndef HUNTER_TEST_SERVE_EXPECT_H
#define HUNTER_TEST_SERVE_EXPECT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "aster.h"
#include "replay.h"

#define SYNTH HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz"
#define LIQ HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"

/* A stream as the test understands it, independently of the server. */
struct want {
	const char *name;
	ev_type_t type;
	const char *symbol; /* NULL: every symbol */
};

static inline bool want_matches(const struct want *w, const ev_t *ev)
{
	return ev->type == w->type && (!w->symbol || !strcmp(w->symbol, ev->symbol));
}

#define SAME(f) cr_assert_eq(got->u.f, rec->u.f, "event %zu: " #f " differs", k)

static inline void same_event(const ev_t *got, const ev_t *rec, size_t k)
{
	cr_assert_eq(got->type, rec->type, "event %zu: type %d, recorded %d", k, got->type,
	             rec->type);
	cr_assert_str_eq(got->symbol, rec->symbol, "event %zu", k);
	cr_assert_eq(got->exch_ms, rec->exch_ms, "event %zu", k);
	switch (rec->type) {
	case EV_LIQUIDATION:
		SAME(liq.side); SAME(liq.type); SAME(liq.tif); SAME(liq.status); SAME(liq.qty);
		SAME(liq.price); SAME(liq.avg_price); SAME(liq.last_qty); SAME(liq.filled_qty);
		SAME(liq.trade_ms);
		break;
	case EV_AGG_TRADE:
	case EV_TRADE:
		SAME(trade.id); SAME(trade.first_id); SAME(trade.last_id); SAME(trade.price);
		SAME(trade.qty); SAME(trade.trade_ms); SAME(trade.buyer_maker);
		break;
	case EV_BOOK_TICKER:
		SAME(book.update_id); SAME(book.tx_ms); SAME(book.bid); SAME(book.bid_qty);
		SAME(book.ask); SAME(book.ask_qty);
		break;
	case EV_DEPTH_UPDATE:
		SAME(depth.tx_ms); SAME(depth.first_id); SAME(depth.last_id); SAME(depth.prev_id);
		SAME(depth.nbids); SAME(depth.nasks);
		/* level_t is two int64s: no padding, so memcmp is exact */
		cr_assert_eq(memcmp(got->u.depth.bids, rec->u.depth.bids,
		                    rec->u.depth.nbids * sizeof(level_t)), 0, "event %zu: bids", k);
		cr_assert_eq(memcmp(got->u.depth.asks, rec->u.depth.asks,
		                    rec->u.depth.nasks * sizeof(level_t)), 0, "event %zu: asks", k);
		break;
	case EV_MARK_PRICE:
		SAME(mark.mark); SAME(mark.index); SAME(mark.settle); SAME(mark.funding_rate);
		SAME(mark.next_funding_ms);
		break;
	default: cr_assert_fail("event %zu: type %d is not streamed", k, rec->type);
	}
}

struct check {
	const ev_t *rec;
	size_t k;
	int seen;
};

static inline int check_sink(void *ctx, const ev_t *ev)
{
	struct check *c = ctx;
	same_event(ev, c->rec, c->k);
	c->seen++;
	return 0;
}

/* The message's event: for a combined stream, the wrapper must name the
 * stream; aster_parse unwraps it. */
static inline void check_message(const char *msg, const char *stream, const ev_t *rec, size_t k)
{
	if (stream) {
		char head[96];
		snprintf(head, sizeof head, "{\"stream\":\"%s\",\"data\":{", stream);
		cr_assert_eq(strncmp(msg, head, strlen(head)), 0, "message %zu: %.80s, expected %s",
		             k, msg, head);
	}
	static aster_parser_t *p;
	if (!p)
		p = aster_parser_new();
	struct check c = {rec, k, 0};
	struct aster_result res;
	aster_parse(p, msg, strlen(msg), NULL, check_sink, &c, &res);
	cr_assert_eq(res.status, ASTER_EVENTS, "message %zu: %s: %.120s", k, res.err, msg);
	cr_assert_eq(c.seen, 1, "message %zu", k);
}

/* Checks msgs[] against the recording for the wanted streams; returns how
 * many messages the recording called for. */
static inline size_t check_against(const char *path, const struct want *w, size_t nw,
                                   bool combined, char *const *msgs, size_t nmsgs)
{
	char err[REC_ERR_MAX];
	const char *paths[] = {path};
	replay *rp = replay_open(paths, 1, err);
	cr_assert_not_null(rp, "%s", err);
	ev_t ev;
	size_t k = 0;
	int rc;
	while ((rc = replay_next(rp, &ev)) == 1) {
		for (size_t i = 0; i < nw; i++) {
			if (!want_matches(&w[i], &ev))
				continue;
			cr_assert_lt(k, nmsgs, "only %zu messages came; the recording has more"
			             " (next: %s at %lld)", nmsgs, w[i].name, (long long)ev.exch_ms);
			check_message(msgs[k], combined ? w[i].name : NULL, &ev, k);
			k++;
		}
	}
	cr_assert_eq(rc, 0, "%s", err);
	replay_close(rp);
	cr_assert_eq(k, nmsgs, "%zu messages came, the recording has %zu", nmsgs, k);
	return k;
}

#endif
