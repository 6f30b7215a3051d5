/*
 * serve.h - a local Aster on 127.0.0.1: replays recordings over the
 * exchange's own wire protocol, so that clients written for Aster (hunter's
 * recorder, the live session, third-party bots) can be tested against a
 * known market without the network.
 *
 * One port serves both the public WebSocket market streams (/ws/<stream>
 * and /stream?streams=...) and the public REST market endpoints
 * (/fapi/v1/... and /fapi/v3/...), and the trading side: signed order
 * and account endpoints and user data streams (/ws/<listenKey>) on
 * simulated accounts. Events are read from the recordings in
 * exchange-time order (replay module) and written back with aster_format,
 * so a client that parses them with aster_parse gets the recorded events
 * again. docs/serve.md describes what is served and how it differs from
 * the real exchange.
 */
#ifndef HUNTER_SERVE_H
#define HUNTER_SERVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Faults a test can ask for; all of them are off when zero. Random faults
 * draw from generators seeded with `seed`, so a run is repeatable for a
 * client that does the same things in the same order. */
struct serve_faults {
	uint64_t drop_after;  /* close each connection after this many data messages */
	uint64_t stall_after; /* send a connection nothing after this many data messages */
	uint64_t seed;
	double drop_rate;      /* chance, per data message, that the connection drops instead */
	double rest_fail_rate; /* share of REST calls answered 503 */
	double rest_429_rate;  /* share of REST calls answered 429 with Retry-After */
	int64_t rest_delay_ms; /* every REST answer waits this long */
	/* signed calls (the trading endpoints) only */
	double signed_fail_rate; /* share answered 503 without being carried out */
	double signed_429_rate;  /* share answered 429, Retry-After: 1, not carried out */
	double signed_late_rate; /* share carried out at once but answered late */
	int64_t signed_late_ms;  /* how late */
	uint64_t user_stream_drop_after; /* drop a user data stream after this many events */
};

/* Aster's rate limits (aster-api.md 5.3), the defaults of the options. */
#define SERVE_WEIGHT_1M 2400 /* request weight per minute, per IP */
#define SERVE_ORDERS_1M 1200 /* orders per minute, per account */
#define SERVE_ORDERS_10S 300 /* orders per 10 seconds, per account */

/* The limits the server enforces and states in exchangeInfo's rateLimits. */
struct serve_limits {
	uint64_t weight_1m;
	uint64_t orders_1m;
	uint64_t orders_10s;
};

struct serve_opts {
	const char *const *recordings;
	size_t nrecordings;
	int port;           /* 0: a free port chosen by the kernel */
	double speed;       /* exchange time runs this many times faster than real time */
	bool as_fast;       /* as fast as the clients read, ignoring `speed` */
	bool loop;          /* start the recordings again when they end */
	int64_t max_age_ms; /* a connection older than this is closed (Aster: 24 h) */
	int64_t ping_ms;    /* a ping frame to each connection this often (Aster: 5 min) */
	const char *accounts;   /* --accounts FILE; NULL: a fresh account per V3 signer */
	int64_t listen_key_ttl_ms; /* a listenKey without keepalive expires (Aster: 60 min) */
	struct serve_faults faults;
	struct serve_limits limits;
	volatile sig_atomic_t *stop; /* set by a signal handler: stop now */
	FILE *out;                   /* gets the "listening on" line, flushed */
	FILE *diag;                  /* errors and dropped connections */
};

enum serve_status {
	SERVE_OK,      /* played out and every client was sent everything */
	SERVE_EINTR,   /* *stop was set */
	SERVE_EFAIL,   /* a recording could not be read, or the port not bound */
};

/* Serves until the replay is over (without `loop`) or *stop is set.
 * Returns an enum serve_status; errors are explained on o->diag. */
int serve_run(const struct serve_opts *o);

#endif
