/*
 * fuzz_recording.c - any bytes as a recording file (plain, or gzip when they
 * start with the gzip magic), read to the end by the reader and by a replay
 * merging the file with itself. The reader must end with an event count, a
 * warning or an error, never a crash, a hang or an allocation beyond its
 * documented bounds.
 *
 * Random bytes almost never carry a valid CRC, which would stop the fuzzer
 * at the CRC check; so each input is also read a second time with the CRC of
 * every frame it holds set right, which lets mutations reach the decoder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input_file.h"
#include "format_int.h" /* the frame layout and rec_crc32c */
#include "recording.h"
#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static void read_to_end(const char *path)
{
	char err[REC_ERR_MAX];
	ev_t ev;
	rec_reader *r = rec_reader_open(path, err);
	if (!r)
		return;
	/* what the reader promises about what it returns */
	const struct rec_header *h = rec_reader_header(r);
	for (uint32_t i = 0; i < h->nsymbols; i++)
		if (strlen(h->symbols[i]) >= SYMBOL_MAX)
			abort();
	while (rec_reader_next(r, &ev) > 0)
		if ((ev.raw && ev.raw[ev.raw_len] != '\0') || (ev.raw_len && !ev.raw) ||
		    ev.type <= EV_NONE || ev.type >= EV__COUNT)
			abort();
	rec_reader_close(r);
}

static void replay_twice(const char *path)
{
	char err[REC_ERR_MAX];
	const char *paths[] = {path, path};
	ev_t ev;
	replay *rp = replay_open(paths, 2, err);
	if (!rp)
		return;
	while (replay_next(rp, &ev) > 0)
		;
	replay_close(rp);
}


/* Walks the frames after the preamble and rewrites each one's CRC. */
static void fix_crcs(uint8_t *p, size_t size)
{
	size_t at = REC_PREAMBLE_LEN;
	while (at < size && size - at >= REC_FRAME_HEAD) {
		uint32_t len = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8 |
		               (uint32_t)p[at + 2] << 16 | (uint32_t)p[at + 3] << 24;
		if (len > size - at - REC_FRAME_HEAD)
			return;
		uint32_t crc = rec_crc32c(p + at + REC_FRAME_HEAD, len);
		for (int i = 0; i < 4; i++)
			p[at + 4 + i] = (uint8_t)(crc >> 8 * i);
		at += REC_FRAME_HEAD + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_file("fuzz_recording", data, size);
	read_to_end(path);
	replay_twice(path);
	if (size > REC_PREAMBLE_LEN) {
		uint8_t *copy = malloc(size);
		memcpy(copy, data, size);
		fix_crcs(copy, size);
		read_to_end(fuzz_input_file("fuzz_recording", copy, size));
		free(copy);
	}
	return 0;
}
