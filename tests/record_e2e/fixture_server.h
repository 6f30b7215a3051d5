/*
 * fixture_server.h - a small loopback Aster stand-in for the recorder's
 * end-to-end tests: GET /fapi/v1/exchangeInfo and /fapi/v1/depth, and a
 * combined-stream WebSocket that sends a deterministic sequence of frames
 * (message k is a function of k alone, so a test can check every recorded
 * field), optionally dropping connections or breaking the depth sequence.
 * It runs on its own thread with libwebsockets. Test code only.
 */
#ifndef FIXTURE_SERVER_H
#define FIXTURE_SERVER_H

#include <stdbool.h>
#include <stdint.h>

struct fixture_opts {
	int drop_after;     /* close each connection after this many frames; 0 never */
	int skip_depth;     /* every this-many depth updates, skip ids (pu breaks); 0 never */
	int bad_every;      /* every this-many frames, one malformed frame; 0 never */
	int interval_ms;    /* between frames (default 5) */
	const char *cert, *key; /* PEM files: serve TLS (https, wss) with them */
};

struct fixture;

/* Starts the server on a free loopback port. */
struct fixture *fixture_start(const struct fixture_opts *o);
int fixture_port(const struct fixture *f);
/* Frames sent so far, and how many connections were accepted. */
uint64_t fixture_sent(struct fixture *f);
uint64_t fixture_conns(struct fixture *f);
void fixture_stop(struct fixture *f);

/* What frame k (from 0) of the stream carries, for checking a recording. */
enum fixture_kind { FX_AGG, FX_BOOK, FX_DEPTH, FX_MARK, FX_LIQ, FX_KINDS };
enum fixture_kind fixture_kind_of(uint64_t k);
/* The aggTrade of frame k has id k, price 100 + (k % 1000) / 100 and qty
 * (k % 7 + 1) / 1000: as decimals in 1e-8 units. */
int64_t fixture_agg_price(uint64_t k);
int64_t fixture_agg_qty(uint64_t k);

#endif
