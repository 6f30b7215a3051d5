/*
 * record_int.h - the recorder's state, shared by recorder.c (the loop, the
 * files, the exchange info) and stream.c (frames, gaps, depth snapshots).
 */
#ifndef HUNTER_RECORD_INT_H
#define HUNTER_RECORD_INT_H

#include "aster.h"
#include "booksync.h"
#include "record.h"
#include "recording.h"

#define RECORD_WARN_MAX 10 /* bad frames reported one by one; the rest counted */

struct recorder;

/* One WebSocket connection and what its interruption needs remembered. */
struct rconn {
	struct recorder *r;
	net_ws *ws;
	bool up, opened;
	size_t first, count; /* its slice of the recorder's stream names */
	size_t in_url;       /* how many of them its URL holds; SUBSCRIBE sends the rest */
	bool gap_pending;    /* down since the last event: a gap goes before the next */
	char why[64];        /* the cause of that interruption */
	int64_t last_exch_ms;
	int64_t last_lag_ms; /* receive time minus exchange time of that last event */
};

/* The depth stream of one symbol, checked by a booksync book. */
struct rbook {
	char symbol[SYMBOL_MAX];
	struct rconn *conn;
	booksync_t *bs;
	int64_t last_u;      /* u of the last diff, for the text of a sequence gap */
	int64_t last_ms;
	bool want_snapshot, fetching;
	int64_t retry_ms;    /* no snapshot request before this wall time */
};

struct record_deadlines {
	int64_t end, flush, rotate, status, last_status;
};

struct recorder {
	const struct record_opts *o;
	net_loop *loop;
	net_loop *own_loop;  /* the loop when the recorder made it (record_run) */
	struct record_hooks hooks;
	struct record_deadlines due;
	aster_parser_t *parser;
	rec_writer *w;
	char **names;
	size_t nnames;
	struct rconn *conns;
	size_t nconns;
	struct rbook *books;
	size_t nbooks;
	char *info;          /* the exchangeInfo body, repeated at the start of every file */
	size_t info_len;
	int64_t info_recv_ns;
	int64_t info_ms;     /* the exchange's time in it */
	bool streaming;
	bool failed;
	char *err;
	struct rconn *cur;   /* the connection whose frame is being parsed */
	uint32_t sub_id;     /* id of the last SUBSCRIBE sent */
	struct record_status st;
	double lag_sum;
	uint64_t lag_n;
};

int64_t record_now_ms(void);
/* Stops the recording with a reason; returns -1 for the caller to pass on. */
int record_fail(struct recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes one event; on failure the recorder fails with the writer's reason. */
int record_put(struct recorder *r, const ev_t *ev);
/* Reports a problem that loses no data (a bad frame, a failed snapshot). */
void record_warn(struct recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* stream.c: connections, frames, gaps and depth snapshots. */
int record_open_streams(struct recorder *r);
void record_fetch_snapshots(struct recorder *r);
void record_want_snapshots(struct recorder *r);
uint32_t record_books_live(const struct recorder *r);
void record_free_books(struct recorder *r);
void record_close_gaps(struct recorder *r);

#endif
