/*
 * recording.h - hunter's recording files: typed events (core.h `ev_t`) stored
 * as length-prefixed, CRC-checked msgpack frames behind a small header.
 *
 * The writer turns a stream of events into one file, or a numbered set of
 * files when rotation is asked for. The reader streams one file back (plain or
 * gzip-compressed, detected from the content) with memory bounded by the
 * largest frame, stops cleanly at the last complete frame of a file that was
 * cut short, and refuses anything corrupt or foreign with the byte offset of
 * the problem. docs/recording-format.md describes the bytes on disk.
 *
 * Errors: every object takes a caller buffer `err` of REC_ERR_MAX bytes (or
 * NULL) at open and keeps it: whenever open, write, next or close fails, the
 * reason goes there, starting with the file name. This is how a close that
 * fails (a full disk is often noticed only when the last buffer is flushed)
 * can still say why after the object is gone.
 */
#ifndef HUNTER_RECORDING_H
#define HUNTER_RECORDING_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

#define REC_FORMAT 1                /* format version this code writes and reads */
#define REC_FRAME_MAX (16u << 20)   /* largest frame body accepted, in bytes */
#define REC_ERR_MAX 512             /* size of an error buffer */

/*
 * What a recording says about itself. The writer copies everything it is
 * given; `format` and `hunter_version` are filled in by the writer itself
 * (the values passed are ignored) and reported by the reader. Strings are
 * NUL-terminated; NULL means empty.
 */
struct rec_header {
	uint32_t format;            /* REC_FORMAT of the file */
	const char *source;         /* what produced it: "import hftbacktest", "synth", ... */
	const char *command;        /* the command line that created it */
	const char *hunter_version; /* HUNTER_VERSION of the writer */
	int64_t start_ns;           /* start of the capture, ns since the epoch; 0 if unknown */
	bool keep_raw;              /* frames carry the raw exchange text of their event */
	uint32_t part;              /* index in a rotated set, from 1; 0 when not rotated */
	uint32_t nsymbols;          /* symbols the recording covers */
	const char *const *symbols;
	/* Milliseconds the importer added to liquidations that carried only
	 * their trade time, to stand for when a stream would have delivered
	 * them (docs/recording-format.md); 0 when none was added. */
	int64_t liq_arrival_delay_ms; /* 0 .. REC_LIQ_DELAY_MAX_MS */
};

#define REC_LIQ_DELAY_MAX_MS 86400000 /* a day: more is a mistake, not a stream's lag */

/*
 * When to move on to the next file; 0 disables a limit, both 0 means one
 * file. A new file starts before an event that would take the current one
 * past `max_bytes` (counted before compression; a file always takes at least
 * one event), or whose exchange time enters a new period of `every_ms`
 * (periods are aligned to the epoch, so every_ms = 3600000 gives files that
 * each hold one UTC hour; an event going back in time never rotates).
 * Rotated files are named by rec_part_path().
 */
struct rec_rotation {
	uint64_t max_bytes;
	int64_t every_ms;
};

/*
 * The name of part `part` (from 1) of a rotated recording `path`: the part
 * number, 4 digits or more, goes before a ".hrec" or ".hrec.gz" suffix
 * ("cap.hrec" -> "cap.0001.hrec") or is appended ("cap" -> "cap.0001").
 * Returns 0, or -1 if it does not fit in `cap` bytes.
 */
int rec_part_path(char *buf, size_t cap, const char *path, uint32_t part);

/* ------------------------------------------------------------------------ */
/* Writer                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct rec_writer rec_writer;

/*
 * Creates (or truncates) `path`, or with rotation its first part, and writes
 * the header. A path ending in ".gz" is written gzip-compressed. `rotation`
 * may be NULL. Returns NULL with the reason in `err` on failure.
 */
rec_writer *rec_writer_open(const char *path, const struct rec_header *header,
                            const struct rec_rotation *rotation, char *err);

/*
 * Appends one event (raw text only if the header has keep_raw). Writes are
 * buffered. Returns 0, or -1 if the event is invalid (unknown type, enum out
 * of range, unterminated string, array without data, frame too large) or the
 * file could not be written; after an I/O failure every later call fails.
 */
int rec_writer_write(rec_writer *w, const ev_t *ev);

/*
 * Hands everything written so far to the operating system, so a process
 * killed afterwards leaves a file that reads back up to this point (a gzip
 * file gets a sync point, which readers need nothing new for). Costs some
 * compression when called often; a recorder calls it about once a second.
 * Returns 0, or -1 with the reason (a full disk) as for a write.
 */
int rec_writer_flush(rec_writer *w);

/* Flushes and closes the current file and frees the writer. Returns 0, or -1
 * if anything written since open could not be stored. */
int rec_writer_close(rec_writer *w);

/* The file being written now, the number of files so far (1 without
 * rotation), and the events written in all of them. */
const char *rec_writer_path(const rec_writer *w);
uint32_t rec_writer_parts(const rec_writer *w);
uint64_t rec_writer_events(const rec_writer *w);

/* ------------------------------------------------------------------------ */
/* Reader                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct rec_reader rec_reader;

/*
 * Opens a recording (gzip or not) and reads its header. Returns NULL with the
 * reason in `err` if it cannot be opened or is not a hunter recording of a
 * known format version. A file cut short inside its header opens, has an
 * empty header and a warning, and yields no event.
 */
rec_reader *rec_reader_open(const char *path, char *err);

/*
 * Reads the next event into *ev. Returns 1, 0 at the end (check
 * rec_reader_warning() for a file cut short), or -1 with the reason and byte
 * offset in `err` (bad CRC, invalid frame, I/O or gzip error); errors are
 * final. The event's arrays and raw text stay valid until the next call.
 */
int rec_reader_next(rec_reader *r, ev_t *ev);

void rec_reader_close(rec_reader *r);

/* The header; its strings live as long as the reader. */
const struct rec_header *rec_reader_header(const rec_reader *r);
const char *rec_reader_path(const rec_reader *r);
/* Bytes consumed so far, in the uncompressed recording. */
uint64_t rec_reader_offset(const rec_reader *r);
/* Events returned so far, and how many of them had an exchange time earlier
 * than the event before them in the file. */
uint64_t rec_reader_events(const rec_reader *r);
uint64_t rec_reader_out_of_order(const rec_reader *r);
/* "" or why the file ended early (it names the byte offset and the number of
 * events read); set once rec_reader_next() has returned 0. */
const char *rec_reader_warning(const rec_reader *r);

#endif
