/*
 * replay.h - several recordings merged into one stream of events in
 * exchange-time order, the event source of backtests and inspections.
 *
 * The merge is stable: events with equal exchange times come in the order
 * the files were given, and within a file in file order. A file's own order
 * is never changed, even where its time goes back (the reader counts such
 * events). Memory depends on the number of files, not on their length: each
 * file is streamed by a recording reader and only its next event is held.
 */
#ifndef HUNTER_REPLAY_H
#define HUNTER_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "recording.h"

typedef struct replay replay;

/*
 * Opens `n` recordings (n >= 1). Returns NULL with the reason in `err`
 * (REC_ERR_MAX bytes, may be NULL, kept for later errors as in recording.h)
 * if one of them cannot be opened.
 */
replay *replay_open(const char *const *paths, size_t n, char *err);

/*
 * The next event of the merged stream. Returns 1, 0 when every file is done,
 * or -1 with the reason in `err` (the message starts with the file name and
 * gives the byte offset). The event stays valid until the next call.
 */
int replay_next(replay *rp, ev_t *ev);

void replay_close(replay *rp);

/* The files, in the order given, for their headers, counts and warnings
 * (rec_reader_warning: a file that was cut short). */
size_t replay_nfiles(const replay *rp);
const rec_reader *replay_reader(const replay *rp, size_t i);

/* Which file the last event returned came from. */
size_t replay_source(const replay *rp);

/* Events returned so far, and those that went back in time within their
 * own file, summed over the files. */
uint64_t replay_events(const replay *rp);
uint64_t replay_out_of_order(const replay *rp);

#endif
