/*
 * conn.c - the WebSocket connections of `hunter serve`: the streams each
 * holds (from its URL and its control messages), its send queue, the
 * faults and limits applied to it, and the lws callbacks that write its
 * messages one per writeable call. A connection to /ws/<listenKey> is an
 * account's user data stream instead: it gets that account's order and
 * account updates and, when the key expires, listenKeyExpired.
 */
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

static void drop(struct server *sv, struct conn *c, const char *why)
{
	if (c->state != C_OPEN)
		return;
	serve_say(sv, "connection %llu dropped after %llu messages: %s",
	          (unsigned long long)c->serial, (unsigned long long)c->sent, why);
	c->state = C_DROP;
	c->why = why;
	serve_queue_clear(&c->q);
	lws_callback_on_writable(c->wsi);
}

static void close_conn(struct conn *c, enum lws_close_status status, const char *why)
{
	if (c->state != C_OPEN)
		return;
	c->state = C_CLOSE;
	c->close_status = status;
	c->why = why;
	serve_queue_clear(&c->q);
	lws_callback_on_writable(c->wsi);
}

static void push(struct server *sv, struct conn *c, const struct text *t, bool data)
{
	if (t->oom || serve_queue_push(&c->q, t->s, t->len, data)) {
		drop(sv, c, "out of memory");
		return;
	}
	if (c->q.bytes > SERVE_QUEUE_MAX_BYTES)
		drop(sv, c, "send queue over 8 MiB: the client reads too slowly");
	else
		lws_callback_on_writable(c->wsi);
}

static void enqueue_event(struct server *sv, struct conn *c, const struct stream *s,
                          const struct text *ev)
{
	switch (serve_fault_data(&sv->o->faults, &c->rng, c->queued)) {
	case DF_SKIP: return;
	case DF_DROP: drop(sv, c, "fault: --drop-rate"); return;
	case DF_SEND: break;
	}
	c->queued++;
	if (!c->combined) {
		push(sv, c, ev, true);
		return;
	}
	serve_text_clear(&sv->msg_text);
	serve_text_printf(&sv->msg_text, "{\"stream\":\"%s\",\"data\":", s->name);
	serve_text_put(&sv->msg_text, ev->s, ev->len);
	serve_text_puts(&sv->msg_text, "}");
	push(sv, c, &sv->msg_text, true);
}

void serve_conns_send(struct server *sv, const ev_t *ev)
{
	bool formatted = false;
	for (struct conn *c = sv->conns; c; c = c->next) {
		for (size_t i = 0; c->state == C_OPEN && i < c->subs->n; i++) {
			if (!serve_stream_matches(&c->subs->s[i], ev))
				continue;
			if (!formatted) {
				/* what the exchange sends: no local receive time */
				ev_t wire = *ev;
				wire.recv_ns = 0;
				wire.raw = NULL;
				wire.raw_len = 0;
				serve_text_clear(&sv->ev_text);
				serve_text_event(&sv->ev_text, &wire);
				formatted = true;
			}
			enqueue_event(sv, c, &c->subs->s[i], &sv->ev_text);
		}
	}
}

/* Each user stream of the account gets the message. */
static void to_user(struct server *sv, const struct account *ac, const struct text *t)
{
	for (struct conn *c = sv->conns; c; c = c->next)
		if (c->state == C_OPEN && c->user == ac)
			push(sv, c, t, true);
}

void serve_conns_user_event(void *ctx, const struct account *ac, const ev_t *ev)
{
	struct server *sv = ctx;
	serve_text_clear(&sv->ev_text);
	serve_text_event(&sv->ev_text, ev);
	to_user(sv, ac, &sv->ev_text);
}

/* The streams of the expired key end: nothing more comes on them. */
void serve_conns_key_expired(void *ctx, const struct account *ac, int64_t wall_ms)
{
	struct server *sv = ctx;
	serve_text_clear(&sv->ev_text);
	serve_text_printf(&sv->ev_text, "{\"e\":\"listenKeyExpired\",\"E\":%lld}",
	                  (long long)wall_ms);
	to_user(sv, ac, &sv->ev_text);
	for (struct conn *c = sv->conns; c; c = c->next)
		if (c->user == ac)
			c->user = NULL;
}

bool serve_conns_full(const struct server *sv)
{
	for (const struct conn *c = sv->conns; c; c = c->next)
		if (c->state == C_OPEN && c->q.bytes > SERVE_QUEUE_LOW_BYTES)
			return true;
	return false;
}

void serve_conns_watch(struct server *sv, int64_t now)
{
	const struct serve_opts *o = sv->o;
	for (struct conn *c = sv->conns; c; c = c->next) {
		if (c->state != C_OPEN)
			continue;
		if (o->max_age_ms && (now - c->opened_ns) / 1000000 >= o->max_age_ms) {
			close_conn(c, LWS_CLOSE_STATUS_GOINGAWAY, "connection older than the limit");
		} else if (sv->played_out && !c->q.head) {
			close_conn(c, LWS_CLOSE_STATUS_NORMAL, "replay finished");
		} else if (o->ping_ms && (now - c->pinged_ns) / 1000000 >= o->ping_ms) {
			c->pinged_ns = now;
			c->ping_due = true;
			lws_callback_on_writable(c->wsi);
		}
	}
}

/* The streams the URL asks for, or the account of a user stream; -1
 * (logged) when it asks for bad ones. */
static int url_streams(struct server *sv, struct lws *wsi, struct subs *subs, bool *combined,
                       const struct account **user)
{
	char path[256], query[QUERY_MAX], err[SERVE_ERR_MAX];
	if (lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) <= 0) {
		serve_say(sv, "connection refused: no path");
		return -1;
	}
	*user = !strncmp(path, "/ws/", 4) ? serve_accounts_by_listen_key(&sv->accounts, path + 4)
	                                  : NULL;
	if (*user) {
		subs->n = 0;
		*combined = false;
		return 0;
	}
	serve_http_query(wsi, query, sizeof query);
	if (serve_streams_from_url(&sv->market, path, query, subs, combined, err)) {
		serve_say(sv, "connection to %s refused: %s", path, err);
		return -1;
	}
	return 0;
}

int serve_conn_filter(struct server *sv, struct lws *wsi)
{
	struct subs *subs = malloc(sizeof *subs);
	bool combined;
	const struct account *user;
	int rc = subs ? url_streams(sv, wsi, subs, &combined, &user) : -1;
	free(subs);
	return rc ? 1 : 0;
}

int serve_conn_open(struct server *sv, struct conn *c, struct lws *wsi)
{
	int64_t now = serve_mono_ns();
	*c = (struct conn){.wsi = wsi, .serial = ++sv->serials, .opened_ns = now, .pinged_ns = now};
	if (!(c->subs = malloc(sizeof *c->subs)) ||
	    url_streams(sv, wsi, c->subs, &c->combined, &c->user)) {
		free(c->subs);
		c->subs = NULL;
		return -1;
	}
	serve_rng_seed(&c->rng, sv->o->faults.seed, c->serial);
	c->user_stream = c->user != NULL;
	c->next = sv->conns;
	if (sv->conns)
		sv->conns->prev = c;
	sv->conns = c;
	sv->nconns++;
	if (c->subs->n || c->user) /* a trader wants the market to move */
		serve_start_replay(sv);
	return 0;
}

void serve_conn_closed(struct server *sv, struct conn *c)
{
	if (!c->subs)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		sv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	sv->nconns--;
	free(c->subs);
	c->subs = NULL;
	serve_queue_clear(&c->q);
	serve_text_free(&c->rx);
}

void serve_conn_receive(struct server *sv, struct conn *c, const char *in, size_t len)
{
	/* one byte past the control limit is enough for the "too long" reply */
	size_t room = 65537 > c->rx.len ? 65537 - c->rx.len : 0;
	if (len && room)
		serve_text_put(&c->rx, in, len < room ? len : room);
	if (!lws_is_final_fragment(c->wsi) || lws_remaining_packet_payload(c->wsi))
		return;
	struct text reply = {0};
	serve_control(&sv->market, c->subs, &c->combined, c->rx.s ? c->rx.s : "", c->rx.len,
	              &reply);
	serve_text_clear(&c->rx);
	push(sv, c, &reply, false);
	serve_text_free(&reply);
	if (c->subs->n)
		serve_start_replay(sv);
}

/* --drop-after, and --user-stream-drop-after on a user data stream. */
static void count_sent(struct server *sv, struct conn *c)
{
	const struct serve_faults *f = &sv->o->faults;
	c->sent++;
	if (c->sent == f->drop_after)
		drop(sv, c, "fault: --drop-after");
	else if (c->user_stream && c->sent == f->user_stream_drop_after)
		drop(sv, c, "fault: --user-stream-drop-after");
}

static int ws_ping(struct conn *c)
{
	unsigned char buf[LWS_PRE + 1];
	c->ping_due = false;
	lws_callback_on_writable(c->wsi);
	return lws_write(c->wsi, buf + LWS_PRE, 0, LWS_WRITE_PING) < 0 ? -1 : 0;
}

int serve_conn_writeable(struct server *sv, struct conn *c)
{
	if (c->state == C_DROP)
		return -1;
	if (c->state == C_CLOSE) {
		lws_close_reason(c->wsi, c->close_status, (unsigned char *)c->why, strlen(c->why));
		return -1;
	}
	if (c->ping_due)
		return ws_ping(c);
	struct msg *m = serve_queue_pop(&c->q);
	if (!m)
		return 0;
	int n = lws_write(c->wsi, serve_msg_text(m), m->len, LWS_WRITE_TEXT);
	bool data = m->data;
	free(m);
	if (n < 0)
		return -1;
	if (data)
		count_sent(sv, c);
	if (c->q.head)
		lws_callback_on_writable(c->wsi);
	return 0;
}
