/*
 * stream.c - the recorder's side of the WebSockets: every frame goes
 * through aster_parse and into the recording with its receive time; an
 * interruption becomes a gap event written before the first event after
 * it; each depth stream feeds a booksync book, whose pu breaks become
 * "sequence" gaps and whose requests for a snapshot are REST fetches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

#define SNAPSHOT_TIMEOUT_MS 15000
#define SNAPSHOT_RETRY_MS 5000
#define SUB_BATCH 50 /* streams per SUBSCRIBE: a few KiB, and few messages (10/s allowed) */

/* The gap of a connection that went down, written before its next event. */
static int put_disconnect_gap(struct recorder *r, struct rconn *c, const ev_t *next)
{
	ev_t gap;
	record_gap_event(&gap, GAP_DISCONNECT, "", c->last_exch_ms, next->exch_ms,
	                 next->recv_ns, c->why);
	c->gap_pending = false;
	r->st.gaps++;
	return record_put(r, &gap);
}

static struct rbook *find_book(struct recorder *r, const char *symbol)
{
	for (size_t i = 0; i < r->nbooks; i++)
		if (!strcmp(r->books[i].symbol, symbol))
			return &r->books[i];
	return NULL;
}

/* A diff goes to the symbol's booksync book: a break in the pu chain is a
 * sequence gap (written before the diff), and the book says when a REST
 * snapshot is needed (at the first diff, after a break, ...). */
static int feed_diff(struct recorder *r, const ev_t *ev)
{
	struct rbook *b = find_book(r, ev->symbol);
	if (!b)
		return 0;
	uint64_t breaks = booksync_resyncs(b->bs);
	if (booksync_diff(b->bs, ev) == BOOKSYNC_NEED_SNAPSHOT)
		b->want_snapshot = true;
	int rc = 0;
	if (booksync_resyncs(b->bs) > breaks) {
		char why[64];
		ev_t gap;
		snprintf(why, sizeof why, "depth pu %lld after u %lld",
		         (long long)ev->u.depth.prev_id, (long long)b->last_u);
		record_gap_event(&gap, GAP_SEQUENCE, ev->symbol, b->last_ms, ev->exch_ms,
		                 ev->recv_ns, why);
		r->st.gaps++;
		rc = record_put(r, &gap);
	}
	b->last_u = ev->u.depth.last_id;
	b->last_ms = ev->exch_ms;
	return rc;
}

static void count(struct recorder *r, const ev_t *ev)
{
	r->st.msgs[ev->type]++;
	if (ev->exch_ms > 0 && ev->recv_ns > 0) {
		int64_t lag = ev->recv_ns / 1000000 - ev->exch_ms;
		r->lag_sum += (double)lag;
		r->lag_n++;
		if (lag > r->st.lag_ms_max)
			r->st.lag_ms_max = lag;
	}
}

static int on_event(void *ctx, const ev_t *ev)
{
	struct recorder *r = ctx;
	struct rconn *c = r->cur;
	if (c->gap_pending && put_disconnect_gap(r, c, ev) < 0)
		return -1;
	if (ev->type == EV_DEPTH_UPDATE && feed_diff(r, ev) < 0)
		return -1;
	if (record_put(r, ev) < 0)
		return -1;
	c->last_exch_ms = ev->exch_ms;
	if (ev->recv_ns)
		c->last_lag_ms = ev->recv_ns / 1000000 - ev->exch_ms;
	count(r, ev);
	return 0;
}

static void on_message(void *ctx, net_ws *ws, const char *data, size_t len, int64_t recv_ns)
{
	struct rconn *c = ctx;
	struct recorder *r = c->r;
	struct aster_ctx actx = {.recv_ns = recv_ns};
	struct aster_result res;
	if (r->failed)
		return;
	r->cur = c;
	aster_parse(r->parser, data, len, &actx, on_event, r, &res);
	if (res.status == ASTER_IGNORED && res.err[0])
		record_warn(r, "the exchange answered: %s", res.err);
	if (res.status == ASTER_IGNORED)
		r->st.ignored_frames++;
	else if (res.status == ASTER_ERROR && ++r->st.bad_frames <= RECORD_WARN_MAX)
		record_warn(r, "bad frame skipped (%s): %s%s", res.what[0] ? res.what : "?",
		            res.err, r->st.bad_frames == RECORD_WARN_MAX ? " (further ones counted)"
		                                                       : "");
}

/* The connection's streams that its URL had no room for. */
static void subscribe_rest(struct recorder *r, struct rconn *c)
{
	for (size_t k = c->in_url; k < c->count; k += SUB_BATCH) {
		char msg[SUB_BATCH * (SYMBOL_MAX + 24)];
		size_t n = c->count - k < SUB_BATCH ? c->count - k : SUB_BATCH;
		if (net_sub_message(msg, sizeof msg, true, (const char *const *)r->names + c->first + k,
		                    n, ++r->sub_id) < 0 || net_ws_send(c->ws, msg) < 0)
			record_warn(r, "could not subscribe to %zu streams from %s", n,
			            r->names[c->first + k]);
	}
}

static void on_open(void *ctx, net_ws *ws)
{
	struct rconn *c = ctx;
	subscribe_rest(c->r, c);
	c->up = true;
	if (c->opened)
		c->r->st.reconnects++;
	c->opened = true;
}

static void on_down(void *ctx, net_ws *ws, const char *why, int64_t retry_ms)
{
	struct rconn *c = ctx;
	c->up = false;
	for (size_t i = 0; i < c->r->nbooks; i++)
		if (c->r->books[i].conn == c)
			booksync_reset(c->r->books[i].bs); /* the disconnect gap covers the break */
	if (c->opened && !c->gap_pending) {
		c->gap_pending = true;
		snprintf(c->why, sizeof c->why, "%s", why);
	}
}

/* Which connection carries symbol `s`'s depth stream. */
static struct rconn *depth_conn(struct recorder *r, const char *symbol)
{
	char want[SYMBOL_MAX + 8];
	size_t n = strlen(symbol);
	for (size_t i = 0; i < n && i < SYMBOL_MAX; i++)
		want[i] = (char)(symbol[i] >= 'A' && symbol[i] <= 'Z' ? symbol[i] + 32 : symbol[i]);
	snprintf(want + n, sizeof want - n, "@depth");
	for (size_t i = 0; i < r->nnames; i++)
		if (!strcmp(r->names[i], want))
			return &r->conns[i / NET_STREAMS_PER_CONN];
	return NULL;
}

static int setup_books(struct recorder *r)
{
	if (!(r->o->streams & RECORD_DEPTH) || !r->o->nsymbols)
		return 0;
	r->books = calloc(r->o->nsymbols, sizeof *r->books);
	if (!r->books)
		return record_fail(r, "out of memory");
	for (size_t i = 0; i < r->o->nsymbols; i++) {
		struct rbook *b = &r->books[r->nbooks++];
		snprintf(b->symbol, sizeof b->symbol, "%s", r->o->symbols[i]);
		b->conn = depth_conn(r, b->symbol);
		if (!(b->bs = booksync_new(b->symbol)))
			return record_fail(r, "out of memory");
	}
	return 0;
}

void record_free_books(struct recorder *r)
{
	for (size_t i = 0; i < r->nbooks; i++)
		booksync_free(r->books[i].bs);
	free(r->books);
}

uint32_t record_books_live(const struct recorder *r)
{
	uint32_t n = 0;
	for (size_t i = 0; i < r->nbooks; i++)
		n += booksync_state(r->books[i].bs) == BOOKSYNC_LIVE;
	return n;
}

int record_open_streams(struct recorder *r)
{
	static const struct net_ws_handlers h = {on_open, on_message, on_down};
	r->nconns = net_stream_conns(r->nnames);
	r->conns = calloc(r->nconns ? r->nconns : 1, sizeof *r->conns);
	if (!r->conns)
		return record_fail(r, "out of memory");
	if (setup_books(r) < 0)
		return -1;
	for (size_t i = 0; i < r->nconns; i++) {
		char url[NET_STREAM_URL_MAX], why[NET_ERR_MAX];
		struct rconn *c = &r->conns[i];
		c->r = r;
		c->first = i * NET_STREAMS_PER_CONN;
		c->count = r->nnames - c->first < NET_STREAMS_PER_CONN ? r->nnames - c->first
		                                                      : NET_STREAMS_PER_CONN;
		c->in_url = net_stream_url(url, sizeof url, r->o->bases.ws,
		                           (const char *const *)r->names + c->first, c->count);
		if (!c->in_url)
			return record_fail(r, "stream URL too long");
		if (!(c->ws = net_ws_open(r->loop, url, &r->o->ws, &h, c, why)))
			return record_fail(r, "%s", why);
	}
	r->streaming = true;
	return 0;
}

void record_want_snapshots(struct recorder *r)
{
	for (size_t i = 0; i < r->nbooks; i++)
		r->books[i].want_snapshot = true;
}

/* A snapshot is recorded, then joined to the book (which may find it too
 * old and ask for another). */
static int put_snapshot(void *ctx, const ev_t *ev)
{
	struct rbook *b = ctx;
	struct recorder *r = b->conn->r;
	if (record_put(r, ev) < 0)
		return -1;
	r->st.snapshots++;
	if (booksync_snapshot(b->bs, ev) == BOOKSYNC_NEED_SNAPSHOT)
		b->want_snapshot = true;
	return 0;
}

/* Asks again later, after saying why this one failed. */
static void snapshot_failed(struct recorder *r, struct rbook *b, const char *why)
{
	record_warn(r, "depth snapshot of %s failed (retrying in %d s): %s", b->symbol,
	            SNAPSHOT_RETRY_MS / 1000, why);
	booksync_reset(b->bs); /* its request is gone; the retry is the new one */
	b->want_snapshot = true;
	b->retry_ms = record_now_ms() + SNAPSHOT_RETRY_MS;
}

static void on_snapshot(void *ctx, const struct net_reply *a)
{
	struct rbook *b = ctx;
	struct recorder *r = b->conn->r;
	char why[200];
	b->fetching = false;
	if (r->failed)
		return;
	if (a->err || a->status != 200) {
		snprintf(why, sizeof why, "%s", a->err ? a->err : "");
		if (!a->err)
			snprintf(why, sizeof why, "HTTP %ld: %.120s", a->status, a->body);
		snapshot_failed(r, b, why);
		return;
	}
	struct aster_ctx actx = {.recv_ns = a->recv_ns, .symbol = b->symbol};
	struct aster_result res;
	if (aster_parse(r->parser, a->body, a->len, &actx, put_snapshot, b, &res) < 0 &&
	    !r->failed)
		snapshot_failed(r, b, res.err);
}

void record_fetch_snapshots(struct recorder *r)
{
	int64_t now = record_now_ms();
	for (size_t i = 0; i < r->nbooks; i++) {
		struct rbook *b = &r->books[i];
		if (!b->want_snapshot || b->fetching || !b->conn || !b->conn->up || now < b->retry_ms)
			continue;
		char url[NET_URL_MAX + 64], why[NET_ERR_MAX];
		snprintf(url, sizeof url, "%s/fapi/v1/depth?symbol=%s&limit=1000", r->o->bases.rest,
		         b->symbol);
		b->want_snapshot = false;
		b->fetching = net_http_get(r->loop, url, SNAPSHOT_TIMEOUT_MS, on_snapshot, b, why) == 0;
		if (!b->fetching)
			snapshot_failed(r, b, why);
	}
}

/* A gap still open at the stop ends now, in the exchange's clock: the local
 * clock less the lag last seen, so that it stays next to the data it
 * follows even when the source is a replay of another day (hunter serve). */
void record_close_gaps(struct recorder *r)
{
	int64_t now = record_now_ms();
	for (size_t i = 0; i < r->nconns && !r->failed; i++)
		if (r->conns[i].gap_pending) {
			struct rconn *c = &r->conns[i];
			int64_t at = now - c->last_lag_ms;
			ev_t end = {.exch_ms = at > c->last_exch_ms ? at : c->last_exch_ms,
			            .recv_ns = now * 1000000};
			size_t n = strlen(c->why);
			snprintf(c->why + n, sizeof c->why - n, "; stopped while down");
			put_disconnect_gap(r, c, &end);
		}
}
