/*
 * importer.h - turns third-party market captures into hunter events, and
 * summarises recordings.
 *
 * Importing is two steps. imp_load() reads every input (plain, gzip or zstd),
 * turns each line, row or JSON value into events through the aster parser,
 * and keeps them all in memory, sorted by exchange time (stable, so events of
 * equal time keep their input order). imp_set_write() then stores the set as
 * one recording. Keeping the set in memory is what allows sorting captures
 * written by several asynchronous writers; the captures hunter imports are a
 * few hundred thousand events at most.
 *
 * Bad input never stops an import: each bad line, row or value is counted and
 * handed to the caller's `on_bad` callback with its file and line number, and
 * the rest is imported.
 *
 * The summary half (imp_summary_*) is what `hunter inspect` prints: it
 * consumes events from any source and reports spans, counts, gaps and holes.
 */
#ifndef HUNTER_IMPORTER_H
#define HUNTER_IMPORTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core.h"

struct rec_header;

/* Input formats. Their spellings for --format are imp_format_name(). */
typedef enum {
	IMP_AUTO = 0,
	IMP_HFTBACKTEST, /* gzip lines "<recv_ns> <frame>" */
	IMP_CRYPTOFEED,  /* cryptofeed text captures: ws, http and the .0 file */
	IMP_FRAMES,      /* JSON values: raw frames or wrappers carrying one */
	IMP_LIQ_CSV,     /* liquidation-logger rows, 12 columns */
	IMP_TRADES_CSV,  /* liquidation-logger large aggTrades, 7 columns */
	IMP__COUNT
} imp_format_t;

const char *imp_format_name(imp_format_t f);
imp_format_t imp_format_from(const char *name); /* IMP_AUTO if unknown */

/*
 * Guesses the format of one file from its first lines. Returns the format,
 * or IMP_AUTO with a reason in err when the content fits none.
 */
imp_format_t imp_detect(const char *path, char *err, size_t cap);

/* Called once per bad line, row or value, in input order. */
typedef void (*imp_bad_fn)(void *ctx, const char *file, uint64_t line, const char *msg);
/* Called every few thousand lines with the lines read so far. */
typedef void (*imp_progress_fn)(void *ctx, uint64_t lines);

struct imp_options {
	imp_format_t format;       /* IMP_AUTO: detect per file */
	const char *symbol;        /* for depth snapshots that carry none */
	const char *exchange_info; /* exchangeInfo JSON file put first, or NULL */
	bool keep_raw;             /* store each event's frame text */
	int64_t from_ms, to_ms;    /* keep events with from <= E < to; 0 = open */
	/* Added to the event time of liquidations that carry only their trade
	 * time (the liquidation logger's CSV): live code sees a liquidation
	 * when the throttled stream delivers it, up to a second after it
	 * traded. 0 adds nothing. */
	int64_t liq_arrival_delay_ms;
	imp_bad_fn on_bad;
	void *bad_ctx;
	imp_progress_fn on_progress;
	void *progress_ctx;
};

/* Why frames that produce no event were skipped: "kline", "ws connect"... */
#define IMP_KINDS_MAX 32
struct imp_kind_count {
	char what[48];
	uint64_t n;
};

struct imp_stats {
	imp_format_t format;        /* the format read (detected or given) */
	unsigned formats;           /* 1 << f for every format read (CSVs mix) */
	uint64_t units;             /* lines, rows or JSON values read */
	uint64_t events;            /* events kept */
	uint64_t bad;               /* bad units (each reported to on_bad) */
	uint64_t outside;           /* events outside [from, to) */
	uint64_t by_type[EV__COUNT];
	uint64_t ignored;           /* units that are valid but not market data */
	struct imp_kind_count kinds[IMP_KINDS_MAX]; /* ignored, per kind */
	size_t nkinds;              /* the last slot collects "other" when full */
	uint64_t liq_delayed;       /* liquidations given the arrival delay */
	uint64_t wallclock;         /* rows refused for a wall-clock time, not epoch ms */
	char wallclock_file[256];   /* where the first of them is */
	uint64_t wallclock_line;
	uint32_t info_symbols;      /* --exchange-info: symbols kept */
	uint32_t info_missing;      /* recorded symbols it does not list */
};

/* Result of imp_load(); imp_set_write() maps it to hunter's exit codes. */
typedef enum {
	IMP_OK = 0,
	IMP_ERR_USAGE, /* unknown format, mixed formats: nothing was read */
	IMP_ERR_IO,    /* an input could not be opened or read */
	IMP_ERR_EMPTY  /* the inputs held no valid event */
} imp_status_t;

typedef struct imp_set imp_set_t;

/*
 * Reads `n` inputs of one format into a sorted set. On IMP_OK *out holds the
 * set (free it with imp_set_free); otherwise err says why. `st` is filled in
 * either case.
 */
imp_status_t imp_load(const struct imp_options *o, const char *const *paths, size_t n,
                      imp_set_t **out, struct imp_stats *st, char *err, size_t cap);

/* The events in recording order: the exchange info first if one was given,
 * then by exchange time. Pointers inside live as long as the set. */
size_t imp_set_count(const imp_set_t *s);
const ev_t *imp_set_event(const imp_set_t *s, size_t i);

/* Distinct symbols of the set's market events, sorted. */
size_t imp_set_nsymbols(const imp_set_t *s);
const char *imp_set_symbol(const imp_set_t *s, size_t i);

/* Writes the set as one recording whose header names `source`, the
 * creating `command` and the arrival delay its liquidations were given (0:
 * none). Returns 0, or -1 with err. */
int imp_set_write(const imp_set_t *s, const char *path, const char *source,
                  const char *command, int64_t liq_arrival_delay_ms, char *err, size_t cap);

void imp_set_free(imp_set_t *s);


/* ------------------------------------------------------------------------ */
/* Summaries for `hunter inspect`                                            */
/* ------------------------------------------------------------------------ */

typedef struct imp_summary imp_summary_t;

/* hole_ms: a stretch longer than this between two events of one symbol and
 * type counts as a hole. */
imp_summary_t *imp_summary_new(const char *name, int64_t hole_ms);
void imp_summary_free(imp_summary_t *s);

/* Feeds one event, in the order of its file. */
void imp_summary_add(imp_summary_t *s, const ev_t *ev);
/* The recording ended: streams that stopped before it count their hole. */
void imp_summary_end(imp_summary_t *s);
/* Facts from outside the event stream. */
void imp_summary_set_header(imp_summary_t *s, const struct rec_header *h);
void imp_summary_set_size(imp_summary_t *s, uint64_t bytes);
void imp_summary_set_warning(imp_summary_t *s, const char *warning);
void imp_summary_set_error(imp_summary_t *s, const char *error);
/* Adds every count of `part` into `total` (for the all-files line). */
void imp_summary_merge(imp_summary_t *total, const imp_summary_t *part);

uint64_t imp_summary_events(const imp_summary_t *s);
uint64_t imp_summary_out_of_order(const imp_summary_t *s);
uint64_t imp_summary_holes(const imp_summary_t *s);
uint64_t imp_summary_gaps(const imp_summary_t *s);

/* Human text, or one JSON object (cJSON-built, so names are escaped). */
void imp_summary_print(const imp_summary_t *s, FILE *out);
char *imp_summary_json(const imp_summary_t *s); /* malloc'd, or NULL */

#endif
