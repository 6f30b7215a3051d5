/*
 * record.h - `hunter record`: Aster's market streams captured into
 * recordings, with the exchange info and depth snapshots taken over REST,
 * every interruption marked by a gap event, and files flushed on a short
 * interval and rotated on the hour (or any period).
 *
 * The recorder runs on the net module's loop; it is the only user of the
 * writer, the parser and the counters, so nothing here needs a lock. The
 * command line (cli/cmd_record.c) only parses options and prints status.
 * docs/record.md describes the behaviour in full.
 */
#ifndef HUNTER_RECORD_H
#define HUNTER_RECORD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "net.h"

#define RECORD_ERR_MAX 600

/* The per-symbol streams a recorder can take; one bit each. */
enum record_stream {
	RECORD_AGG_TRADE = 1 << 0,   /* <symbol>@aggTrade */
	RECORD_BOOK_TICKER = 1 << 1, /* <symbol>@bookTicker */
	RECORD_DEPTH = 1 << 2,       /* <symbol>@depth, plus REST snapshots */
	RECORD_MARK_PRICE = 1 << 3,  /* <symbol>@markPrice */
	RECORD_FORCE_ORDER = 1 << 4, /* <symbol>@forceOrder */
	RECORD_ALL_STREAMS = (1 << 5) - 1,
};

/* "aggTrade,depth" into a mask. Returns 0, or -1 naming the unknown name. */
int record_streams_parse(const char *list, unsigned *mask, char *err, size_t cap);

/*
 * The stream names for `symbols` (upper case, as the exchange lists them):
 * for each symbol its streams in the order of enum record_stream, symbol in
 * lower case; with `all_liquidations`, "!forceOrder@arr" first and no
 * per-symbol forceOrder. Returns a malloc'd array of malloc'd names (free
 * with record_names_free) and its length in *n, or NULL when out of memory.
 */
char **record_stream_names(const char *const *symbols, size_t nsymbols, unsigned mask,
                           bool all_liquidations, size_t *n);
void record_names_free(char **names, size_t n);

/*
 * A gap event: `kind` for `symbol` ("" for a whole connection), the hole
 * from `from_ms` (the last exchange time before it, 0 if none) to `end_ms`
 * (the first exchange time after it), stamped `recv_ns`, with `reason`
 * (cut to fit).
 */
void record_gap_event(ev_t *ev, gap_kind_t kind, const char *symbol, int64_t from_ms,
                      int64_t end_ms, int64_t recv_ns, const char *reason);

/* The recording file started at `start_ms`: DIR/aster-YYYYMMDDTHHMMSSZ.hrec.gz,
 * or with `seq` > 0 ...Z-<seq>.hrec.gz (a second file in the same second
 * must not replace the first). Returns 0, or -1 if it does not fit. */
int record_file_name(char *buf, size_t cap, const char *dir, int64_t start_ms, unsigned seq);

struct record_opts {
	const char *const *symbols;
	size_t nsymbols;
	unsigned streams;           /* enum record_stream bits */
	bool all_liquidations;
	const char *out_dir;
	int64_t duration_ms;        /* stop after this; 0 runs until stopped */
	int64_t rotate_ms;          /* new file each period (aligned to UTC); 0 one file */
	int64_t flush_ms;           /* hand data to the OS at least this often */
	int64_t status_ms;          /* status callback period */
	struct net_bases bases;
	const char *ca_file;
	struct net_ws_opts ws;
	const char *command;        /* for the recordings' header */
};

/* What the recorder did during the last status period and in total. */
struct record_status {
	int64_t period_ms;
	uint64_t msgs[EV__COUNT];   /* events of each type in the period */
	uint64_t events;            /* events written in total */
	uint64_t reconnects, gaps, bad_frames, ignored_frames, snapshots;
	uint32_t conns, conns_up;
	uint32_t books, books_live; /* depth books, and those in sync (booksync LIVE) */
	double lag_ms_avg;          /* receive time minus exchange time, in the period */
	int64_t lag_ms_max;
	const char *file;           /* being written */
};

typedef void (*record_status_fn)(void *ctx, const struct record_status *st);

/* One human line, no newline: "aggTrade 10.0/s depth 4.0/s | up 1/1 ...". */
void record_status_line(const struct record_status *st, char *buf, size_t cap);
/* One JSON object, no newline. */
void record_status_json(const struct record_status *st, int64_t now_ms, char *buf,
                        size_t cap);

enum record_end { RECORD_DONE, RECORD_STOPPED, RECORD_FAILED };

/* Who hears what the recorder does; any member may be NULL. */
struct record_hooks {
	void *ctx;
	/* every event recorded, in order, just before it is written: the
	 * exchange info at the start of each file, market events, gaps, depth
	 * snapshots (a live session trades on them as they are recorded) */
	void (*on_event)(void *ctx, const ev_t *ev);
	void (*status)(void *ctx, const struct record_status *st); /* each status_ms */
	/* a problem that loses no data: a bad frame (the first few), a failed
	 * depth snapshot */
	void (*warn)(void *ctx, const char *msg);
};

typedef struct recorder recorder_t;

/*
 * A recorder on `loop` (NULL: its own, made with o->ca_file): opens the
 * first file and asks for the exchange info; the streams open once it is
 * in. `o` and `err` (RECORD_ERR_MAX bytes) must outlive the recorder.
 * NULL only when out of memory; a failure to start shows at the first
 * record_tick, with the reason in err.
 */
recorder_t *record_start(const struct record_opts *o, net_loop *loop,
                         const struct record_hooks *hooks, char *err);
/* Flushes, rotates, reports status and fetches depth snapshots as they
 * fall due; call it after each turn of the loop. Returns 0 to go on, 1
 * when the duration is over, -1 when the recording failed (err says why:
 * the output cannot be written, the exchange info cannot be fetched). */
int record_tick(recorder_t *r);

/* Parses a liquidation frame into nothing, so that the parser's code and
 * tables are in the CPU's caches for the next real one (xa_client_warm
 * says why); records nothing, counts nothing. */
void record_warm(recorder_t *r);
/* An event from elsewhere (the user data stream of a live session) into
 * the recording, not passed to on_event. 0, or -1 when writing failed. */
int record_add(recorder_t *r, const ev_t *ev);
/* Closes the files and frees the recorder. */
enum record_end record_finish(recorder_t *r, bool stopped);

/*
 * `hunter record`: records until the duration is over (RECORD_DONE), *stop
 * becomes non-zero (RECORD_STOPPED), or something fails that would lose
 * data (RECORD_FAILED, the reason in err). Files are closed cleanly in
 * every case. Frames that do not parse are counted, the first few
 * reported through hooks->warn.
 */
enum record_end record_run(const struct record_opts *o, volatile sig_atomic_t *stop,
                           const struct record_hooks *hooks, char *err);

#endif
