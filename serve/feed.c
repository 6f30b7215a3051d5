/*
 * feed.c - the recordings as the server reads them: a first pass that
 * checks every file and learns the symbols and the trading rules (so REST
 * can answer before the replay starts), then the replay proper, one event
 * looked at ahead so the pacing can wait until it is due.
 */
#include <stdio.h>
#include <string.h>

#include "serve_int.h"

static int learn_symbols(const replay *rp, struct market *m)
{
	for (size_t i = 0; i < replay_nfiles(rp); i++) {
		const struct rec_header *h = rec_reader_header(replay_reader(rp, i));
		for (uint32_t j = 0; j < h->nsymbols; j++)
			if (!serve_market_add(m, h->symbols[j]))
				return -1;
	}
	return 0;
}

/* The whole first pass; the market gets the first exchangeInfo. */
static int check_all(struct feed *f, struct market *m)
{
	ev_t ev;
	int rc;
	bool info = false;
	f->events = 0;
	while ((rc = replay_next(f->rp, &ev)) == 1) {
		if (!f->events++)
			f->first_ms = ev.exch_ms;
		if (ev.type == EV_EXCHANGE_INFO && !info) {
			info = true;
			if (serve_market_apply(m, &ev))
				rc = -2;
		}
		if (ev.type != EV_EXCHANGE_INFO && ev.symbol[0] && !serve_market_add(m, ev.symbol))
			rc = -2;
		if (rc == -2)
			break;
	}
	if (rc == -2)
		snprintf(f->err, sizeof f->err, "out of memory");
	return rc;
}

int serve_feed_open(struct feed *f, const char *const *paths, size_t n, struct market *m)
{
	*f = (struct feed){.paths = paths, .npaths = n};
	if (!(f->rp = replay_open(paths, n, f->err)))
		return -1;
	if (learn_symbols(f->rp, m)) {
		snprintf(f->err, sizeof f->err, "out of memory");
		return -1;
	}
	if (check_all(f, m) < 0)
		return -1;
	if (!f->events) {
		snprintf(f->err, sizeof f->err, "%s: no events to serve", paths[0]);
		return -1;
	}
	return serve_feed_rewind(f);
}

int serve_feed_peek(struct feed *f, const ev_t **ev)
{
	if (!f->has_next) {
		int rc = replay_next(f->rp, &f->next);
		if (rc <= 0)
			return rc;
		f->has_next = true;
	}
	*ev = &f->next;
	return 1;
}

void serve_feed_take(struct feed *f)
{
	f->has_next = false;
}

int serve_feed_rewind(struct feed *f)
{
	replay_close(f->rp);
	f->has_next = false;
	f->rp = replay_open(f->paths, f->npaths, f->err);
	return f->rp ? 0 : -1;
}

void serve_feed_close(struct feed *f)
{
	replay_close(f->rp);
	f->rp = NULL;
}
