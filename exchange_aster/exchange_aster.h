/*
 * exchange_aster.h - the pieces of hunter's Aster client that need no
 * network: an order as Aster's request parameters and back, and the budget
 * of requests the exchange allows.
 *
 * Orders (POST /fapi/v1/order, V3 /fapi/v3/order): xa_order_encode writes
 * an order_req as the exact form-encoded parameter string that is signed and
 * sent; every price and quantity is printed from its exact decimal, never
 * from a double. xa_order_decode reads such a string back, as a server
 * (`hunter serve`) must, and answers a bad one with Aster's error code and
 * message. For every order the encoder accepts, decode(encode(r)) == r.
 *
 * Rate limits (aster-api.md section 6): the exchange's minute weight and
 * order counts, learnt from exchangeInfo's rateLimits and corrected by the
 * X-MBX-USED-WEIGHT-* / X-MBX-ORDER-COUNT-* headers of every reply. A
 * request asks xa_rl_wait how long to wait before it may go; a share of
 * every limit (rate_limit_buffer_pct) is never used. A 429 blocks every
 * request until its Retry-After (or an exponential back-off without one);
 * a 418 (an IP ban) blocks every request and is reported as a ban, so the
 * caller stops new entries and says so.
 *
 * The client (section below): the exchange interface over Aster's signed
 * REST API and user data stream, on the net loop. docs/exchange-aster.md
 * says how it never places an order twice.
 */
#ifndef HUNTER_EXCHANGE_ASTER_H
#define HUNTER_EXCHANGE_ASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "exchange.h"
#include "net.h"

/* ---- orders ------------------------------------------------------------ */

#define XA_PARAMS_MAX 512 /* an encoded order always fits */

/*
 * Writes the order's parameters, `symbol=...&side=...`, in a fixed order,
 * NUL-terminated. `reduceOnly` is sent only when set (hedge mode rejects it
 * with -1106), `newOrderRespType` never (ACK is the default). Returns the
 * length, or 0 for an order that cannot be sent as it is (a bad client id,
 * a LIMIT without price, a non-positive quantity...), with the reason in
 * `why`.
 */
size_t xa_order_encode(const order_req *r, char buf[XA_PARAMS_MAX], const char **why);

/*
 * Reads a new-order parameter string (`len` bytes, form-encoded). Returns
 * 0 and fills *r, or Aster's error code (-1102 missing or malformed
 * parameter, -1106 parameter not allowed, -1116 bad order type, -1117 bad
 * side, -1115 bad time in force, -1121 bad symbol, -4061 bad position
 * side...) with its message in msg.
 */
int xa_order_decode(const char *params, size_t len, order_req *r, char *msg, size_t cap);

/* ---- rate limits ------------------------------------------------------- */

enum xa_limit { XA_WEIGHT_1M, XA_ORDERS_10S, XA_ORDERS_1M, XA__LIMITS };

struct xa_rl {
	int64_t limit[XA__LIMITS];  /* per window; 0 = unknown, not enforced */
	int64_t used[XA__LIMITS];   /* in the current window */
	int64_t window_start[XA__LIMITS];
	int buffer_pct;             /* share of each limit kept in reserve */
	int64_t blocked_until;      /* after a 429 or 418: no request before */
	bool banned;                /* the block is a 418 ban */
	int backoffs;               /* 429s in a row without Retry-After */
};

void xa_rl_init(struct xa_rl *rl, int buffer_pct);
/* exchangeInfo's limits: REQUEST_WEIGHT / ORDERS with interval and number. */
void xa_rl_set_limit(struct xa_rl *rl, enum xa_limit which, int64_t limit);
/* Milliseconds to wait before a request of `weight` (and one order when
 * `order`) may be sent at `now`; 0 = now, and the budget is taken. */
int64_t xa_rl_wait(struct xa_rl *rl, int64_t now, int weight, bool order);
/* One header of a reply (any case): X-MBX-USED-WEIGHT-1M and
 * X-MBX-ORDER-COUNT-10S / -1M replace the local counts with the exchange's. */
void xa_rl_on_header(struct xa_rl *rl, int64_t now, const char *name, const char *value);
/* A reply's HTTP status: 429 blocks for Retry-After seconds (-1 when the
 * header is absent: 1, 2, 4 ... 60 s for 429s in a row), 418 blocks as a
 * ban; any other status ends the run of 429s. */
void xa_rl_on_status(struct xa_rl *rl, int64_t now, int status, int64_t retry_after_s);

/* ---- credentials -------------------------------------------------------- */

enum xa_scheme { XA_AUTH_NONE, XA_AUTH_V1, XA_AUTH_V3 };

#define XA_SECRET_MAX 160

struct xa_creds {
	enum xa_scheme scheme;
	char api_key[XA_SECRET_MAX], api_secret[XA_SECRET_MAX]; /* V1 */
	char user[XA_SECRET_MAX], signer[XA_SECRET_MAX];        /* V3 addresses */
	char signer_key[XA_SECRET_MAX];                         /* V3 private key, hex */
};

/*
 * Credentials from the environment, then from the `.env` file at `path`
 * (NULL: ./.env; a missing file is no error), the environment winning:
 *   V1  ASTER_API_KEY, ASTER_API_SECRET (or the old bot's API_KEY, API_SECRET)
 *   V3  ASTER_USER, ASTER_SIGNER, ASTER_SIGNER_KEY
 * V3 is used when any of its names is given, else V1, else none (a
 * simulated run needs none). Returns 0, or -1 with the reason in err: a malformed line of
 * the file (by line number), or a scheme given in part (by the names that
 * are missing). A file that others may read gives a warning in warn. No
 * message ever holds a value. xa_creds_clear wipes what was read.
 */
int xa_creds_load(struct xa_creds *c, const char *path, char *warn, size_t wcap, char *err,
                  size_t ecap);
void xa_creds_clear(struct xa_creds *c);

/* ---- the client ------------------------------------------------------- */

struct xa_client_opts {
	const char *rest_url, *ws_url; /* bases, as net_bases_resolve gives them */
	const struct xa_creds *creds;  /* V1 or V3; copied */
	int rate_limit_buffer_pct;
	int recv_window_ms;        /* V1 requests: valid this long (default 5000) */
	int64_t v3_window_ms;      /* V3 requests: their nonce is accepted this long
	                            * (default 60000, Aster's widest) */
	int64_t timeout_ms;        /* one REST call (default 5000) */
	int64_t keepalive_ms;      /* listenKey keepalive period (default 30 min) */
	int max_resends;           /* of one order after unknown outcomes (default 3) */
};

/* What the client did, for status lines, logs and tests. */
struct xa_client_stats {
	uint64_t calls;            /* REST requests put on the wire */
	uint64_t orders_sent;      /* new-order requests put on the wire */
	uint64_t unknown;          /* answers that never came (timeouts, 5xx) */
	uint64_t lookups;          /* orders looked up by client id */
	uint64_t found;            /* ... and found placed */
	uint64_t resends;          /* orders sent again after a lookup said absent */
	uint64_t throttled;        /* 429 answers */
	uint64_t held_ms;          /* time requests waited for budget */
	uint64_t banned;           /* 418 answers */
	uint64_t stream_events;    /* user-stream order and account updates */
	uint64_t repeats;          /* updates dropped as already seen */
	uint64_t stream_renewals;  /* listenKeys obtained after the first */
	uint64_t stream_drops;     /* user-stream connections lost */
	uint64_t resyncs;          /* catch-ups after the stream was down or its key gone */
	bool stream_up;            /* the user data stream is connected now */
	int64_t weight_used, weight_limit; /* request weight of this minute, and the limit */
	int64_t clock_offset_ms;   /* the exchange's clock minus ours, at start; requests
	                            * carry our clock, so beyond about 1 s V1 ones fail */
};

typedef struct xa_client xa_client;

/*
 * A client on loop `l` whose order and account updates go to `sink`.
 * Nothing is sent yet. Returns NULL with the reason in err (bad
 * credentials or URLs, no memory).
 */
xa_client *xa_client_new(net_loop *l, const struct xa_client_opts *o,
                         struct exchange_sink sink, char *err, size_t cap);
/*
 * Before trading, running the loop until each answer is in: the server's
 * clock, the rate limits of exchangeInfo, a listenKey and the user data
 * stream. Returns 0, or -1 with the reason.
 */
int xa_client_start(xa_client *c, char *err, size_t cap);
/* The exchange interface over the client: the exchange owns the client
 * from then on (exchange_destroy frees it). */
exchange_t xa_client_exchange(xa_client *c);
/* Multi-assets margin on or off, set only when it differs: 0, or Aster's
 * code (the exchange interface has no such mode: a simulation has none). */
int xa_client_set_multi_assets(xa_client *c, bool on);
/* Up to XA_BATCH_MAX new orders in one request (POST batchOrders); each
 * is answered, refused or looked up on its own, as exchange_place's are. */
#define XA_BATCH_MAX 5
void xa_client_place_batch(xa_client *c, const order_req *orders, size_t n);
/* Cancels every open order of `symbol` (DELETE allOpenOrders), from the
 * loop; the cancellations arrive as order updates. */
void xa_client_cancel_all(xa_client *c, const char *symbol);
void xa_client_get_stats(const xa_client *c, struct xa_client_stats *s);
/* Orders, cancels and replaces whose outcome is not known yet. */
size_t xa_client_pending(const xa_client *c);
/* Takes a sample order through everything placing one does short of the
 * write (encoding, signing, the URL, the request's text, the choice of a
 * kept-alive lane) and sends nothing: that code and its tables stay in
 * the CPU's caches for the next order (a live run calls it about once a
 * millisecond). Between frames they are otherwise evicted, and an order
 * pays to bring them back. With V3 it also makes a presignature
 * (sign_v3_presign), so that an order's signature is a few scalar
 * operations rather than a scalar multiplication. */
void xa_client_warm(xa_client *c);
/* The last error the exchange answered or the network gave, "" none. */
const char *xa_client_last_error(const xa_client *c);
/* Whether a 418 ban holds: new entries must stop. */
bool xa_client_banned(const xa_client *c);

#endif
