/*
 * format_int.h - the recording format as the module's code sees it (private to
 * recording/): the file preamble, the frame header, and one field table per
 * event payload that both the packer and the unpacker walk, so the two can
 * never disagree about the order or the type of a field.
 *
 * docs/recording-format.md is the same thing in prose.
 */
#ifndef HUNTER_RECORDING_FORMAT_H
#define HUNTER_RECORDING_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "recording.h"

/* The file starts with MAGIC then the format version (uint32, little
 * endian). The magic's non-ASCII first byte and CR LF / ^Z catch text-mode
 * transfers, as PNG's does. */
#define REC_MAGIC "\x89HREC\r\n\x1a"
#define REC_MAGIC_LEN 8
#define REC_PREAMBLE_LEN 12

/* Every frame: body length (uint32 LE), CRC-32C of the body (uint32 LE),
 * then the msgpack body. The first frame holds the header. */
#define REC_FRAME_HEAD 8

/* Leading elements of every event frame: type, exch_ms, recv_ns, symbol,
 * raw; the payload fields follow in table order. */
#define REC_EV_COMMON 5

enum field_kind {
	F_INT,   /* int64_t: msgpack integer */
	F_DEC,   /* dec_t: its int64 count of 1e-8, stored as F_INT */
	F_INT32, /* int32_t: msgpack integer in int32 range */
	F_ENUM,  /* an enum from 0 to `arg`: msgpack unsigned integer */
	F_BOOL,  /* bool: msgpack true/false */
	F_STR,   /* char[arg], NUL-terminated: msgpack str of at most arg-1 bytes */
	F_ARRAY  /* pointer at `off`, uint32 count at `arg`: array of arrays */
};

struct layout;

struct field {
	const char *name;
	uint8_t kind;
	uint16_t off;
	uint16_t arg;
	const struct layout *elem; /* F_ARRAY: what each element holds */
};

struct layout {
	size_t size;   /* of the struct holding the fields */
	uint8_t nfields;
	const struct field *fields;
};

/* The most F_ARRAY fields a payload has; elements of arrays have none. */
#define REC_ARRAYS_MAX 2

/* CRC-32C (Castagnoli) of n bytes; the portable version gives the same
 * value without the CPU instruction, for tests. */
uint32_t rec_crc32c(const void *data, size_t n);
uint32_t rec_crc32c_portable(const void *data, size_t n);

/* The payload layout of an event type, NULL for EV_NONE and unknown types. */
const struct layout *rec_layout(int type);

/* Packs the header map / an event array into `pk`. Event packing validates
 * the event; it returns 0, or -1 with a reason in `err`. */
void rec_pack_header(msgpack_packer *pk, const struct rec_header *h, uint32_t part);
int rec_pack_event(msgpack_packer *pk, const ev_t *ev, bool keep_raw, char *err, size_t cap);

/* Growable buffers the unpacker puts an event's arrays and raw text in; they
 * stay put until the next event. */
struct rec_scratch {
	void *p;
	size_t cap;
};

struct rec_unpacker {
	struct rec_scratch arrays[REC_ARRAYS_MAX];
	struct rec_scratch raw;
};

/*
 * Decodes one event frame body of `n` bytes into *ev. Returns 0, or -1 with
 * what was wrong and the offset of the offending value within the body in
 * `err` and *at.
 */
int rec_unpack_event(struct rec_unpacker *u, const uint8_t *body, size_t n, ev_t *ev,
                     char *err, size_t cap, size_t *at);

/* The strings and symbol list of a decoded header, freed by
 * rec_header_mem_free(). */
struct rec_header_mem {
	char *text;
	const char **symbols;
};

/* Decodes the header frame body into *h, its strings going to *mem. Returns
 * 0, or -1 as rec_unpack_event (mem is then empty). */
int rec_unpack_header(const uint8_t *body, size_t n, struct rec_header *h,
                      struct rec_header_mem *mem, char *err, size_t cap, size_t *at);
void rec_header_mem_free(struct rec_header_mem *mem);

void rec_unpacker_free(struct rec_unpacker *u);

#endif
