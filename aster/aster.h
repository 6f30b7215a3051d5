/*
 * aster.h - the Aster (Binance USD-M compatible) wire format: JSON frames in,
 * typed events out, and events back to the exchange's JSON.
 *
 * Every source of exchange data (live streams, REST snapshots, recordings of
 * either, imported captures) goes through aster_parse, so the rest of hunter
 * sees `ev_t` values only. aster_format writes an event back in the shape the
 * exchange uses; `hunter inspect --dump` prints with it and the simulated
 * exchange serves with it. For every event the parser produces,
 * parse(format(ev)) gives the same event again.
 *
 * Accepted frames:
 *   - raw event objects: forceOrder, aggTrade, trade, bookTicker, depthUpdate
 *     (diff and partial book), markPriceUpdate, ORDER_TRADE_UPDATE,
 *     ACCOUNT_UPDATE, and hunter's gap marker (below);
 *   - the combined-stream wrapper {"stream":...,"data":...}, unwrapped;
 *   - JSON arrays of event objects (!markPrice@arr, !miniTicker@arr, ...);
 *   - REST bodies: the depth snapshot (lastUpdateId, E, T, bids, asks; the
 *     symbol comes from an "s" or "symbol" key, else from ctx) and
 *     exchangeInfo (one struct symbol_rules per symbol).
 * Known shapes that hunter does not model (kline, 24hrTicker, 24hrMiniTicker,
 * listenKeyExpired, MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, TRADE_LITE,
 * ALGO_UPDATE, tradepro, announcement, subscription replies {"result","id"}
 * and {"code","msg"} replies) are ASTER_IGNORED with `what` naming them.
 * Unknown keys are skipped. A missing required key, a value of the wrong JSON
 * type (a price as a number, a time as a string), a malformed decimal, an
 * unknown enum spelling or an unknown event type is ASTER_ERROR with a reason
 * such as: aggTrade: field "p": expected a decimal string, got a number.
 *
 * Every event's exch_ms is its "E"; the depth snapshot falls back to "T"
 * and exchangeInfo to "serverTime". Optional keys absent or null leave their
 * field 0 (ORDER_TRADE_UPDATE: sp, b, a, wt, ot, ps, cp, rp, N/n, AP/cr;
 * ACCOUNT_UPDATE: B, P; exchangeInfo: any filter). A symbol whose status is
 * not TRADING is written back as "CLOSE".
 *
 * Keys hunter adds to the exchange's shapes:
 *   "recv_ns"  top level of any event object: the local receive time in ns.
 *              Written when non-zero; when present it overrides ctx.recv_ns.
 *   "s"        in the depth snapshot body, so it re-parses without a ctx.
 *   "E"        in the exchangeInfo body (the exchange sends serverTime only).
 * The gap marker, hunter's own event:
 *   {"e":"gap","E":<exch_ms>,"s":"<symbol or empty>","kind":"disconnect"|
 *    "sequence"|"restart"|"import","from":<from_ms>,"reason":"<text>"}
 *
 * Integers (ids, times) are read exactly over the whole int64 range, even
 * beyond the 2^53 a double holds; decimals are exact via dec_parse.
 *
 * cJSON allocates every node with malloc, about a fifth of the cost of a
 * small frame; aster therefore installs cJSON allocator hooks (once, at the
 * first aster_parser_new) that hand out memory from the parser's arena while
 * it parses and fall through to malloc/free otherwise. Other modules may use
 * cJSON freely but must not call cJSON_InitHooks themselves.
 */
#ifndef HUNTER_ASTER_H
#define HUNTER_ASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* Limits that keep a hostile or corrupt frame from exhausting memory. The
 * largest real body, Aster's exchangeInfo, is 0.6 MB; cJSON needs about 64
 * bytes per JSON value, so a frame costs at most a few hundred MB. */
#define ASTER_FRAME_MAX (16u << 20) /* bytes in one frame */
#define ASTER_LEVELS_MAX 10000      /* price levels per book side */
#define ASTER_LIST_MAX 10000        /* symbols, balances, positions, array items */

/* A parser owns the scratch memory of one frame: the JSON tree, the events
 * and their arrays. One parser per thread; it is not shared. */
typedef struct aster_parser aster_parser_t;

aster_parser_t *aster_parser_new(void); /* NULL when out of memory */
void aster_parser_free(aster_parser_t *p);

struct aster_ctx {
	int64_t recv_ns;    /* receive time stamped on every event, 0 if unknown */
	const char *symbol; /* for REST bodies that carry none (depth snapshot) */
	bool keep_raw;      /* point ev.raw/raw_len at the frame text */
};

enum aster_status { ASTER_EVENTS, ASTER_IGNORED, ASTER_ERROR };

struct aster_result {
	enum aster_status status;
	int nevents;   /* events handed to the sink */
	char what[48]; /* the frame's kind: "aggTrade", "kline", "exchangeInfo"... */
	char err[160]; /* ASTER_ERROR: the reason; a {"code","msg"} reply: its text */
};

/*
 * Parses one frame of `len` bytes (no NUL needed) and hands each event to
 * `sink`, in frame order. A frame is all or nothing: when any part of it is
 * bad, no event is delivered. Events and the arrays they point to are valid
 * during the sink call only. If the sink returns non-zero, delivery stops.
 * Returns the number of events delivered, or -1 on ASTER_ERROR; `res` is
 * always filled. ctx may be NULL.
 */
int aster_parse(aster_parser_t *p, const char *json, size_t len, const struct aster_ctx *ctx,
                ev_sink_fn sink, void *sink_ctx, struct aster_result *res);

/*
 * Writes `ev` as one line of exchange JSON (the wire's keys; decimals as
 * strings; no newline). Like snprintf: writes at most cap-1 bytes plus a NUL
 * and returns the full length, so a result >= cap means "call again with
 * result+1 bytes". Returns 0 for an event type with no JSON shape.
 */
size_t aster_format(const ev_t *ev, char *buf, size_t cap);

/* Blanks // comments outside strings, in place, keeping every newline (so
 * byte offsets in later error messages still point at the right place). The
 * Aster documentation's example payloads carry such comments. */
void aster_strip_comments(char *text, size_t len);

#endif
