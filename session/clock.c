/*
 * clock.c - exchange time for a session fed from the network. The engine
 * takes time from events alone, but a live run must also act when nothing
 * arrives (an entry's TTL, a protection timeout), so it needs to know what
 * time it is on the exchange between events. This maps the local monotonic
 * clock to exchange time with an offset learnt from two kinds of evidence:
 *
 *   - a server-time answer: the server stamped it somewhere between sending
 *     and receiving, so the midpoint estimate is wrong by at most half the
 *     round trip; the sample with the shortest round trip wins;
 *   - an event: it cannot have been stamped after it arrived, so exchange
 *     time at arrival is at least its timestamp. When events say the clock
 *     is behind, the offset moves up to them (never down: a late event
 *     says nothing about the present).
 *
 * The time handed out never goes back, even when a better server sample
 * lowers the offset; it then stands still until real time catches up.
 */
#include "session.h"

void session_clock_init(struct session_clock *c)
{
	*c = (struct session_clock){.rtt_ms = -1, .floor_ms = INT64_MIN, .last_ms = INT64_MIN};
}

static void settle(struct session_clock *c)
{
	int64_t best = c->rtt_ms >= 0 ? c->server_ms : INT64_MIN;
	c->offset_ms = best > c->floor_ms ? best : c->floor_ms;
}

void session_clock_server(struct session_clock *c, int64_t sent_ms, int64_t recv_ms,
                          int64_t server_ms)
{
	int64_t rtt = recv_ms - sent_ms;
	if (rtt < 0 || (c->rtt_ms >= 0 && rtt >= c->rtt_ms))
		return;
	c->rtt_ms = rtt;
	c->server_ms = server_ms - (sent_ms + rtt / 2);
	settle(c);
}

void session_clock_event(struct session_clock *c, int64_t recv_ms, int64_t event_ms)
{
	if (event_ms - recv_ms > c->floor_ms) {
		c->floor_ms = event_ms - recv_ms;
		settle(c);
	}
}

int64_t session_clock_now(struct session_clock *c, int64_t local_ms)
{
	if (c->rtt_ms < 0 && c->floor_ms == INT64_MIN)
		return INT64_MIN;
	int64_t t = local_ms + c->offset_ms;
	if (t > c->last_ms)
		c->last_ms = t;
	return c->last_ms;
}
