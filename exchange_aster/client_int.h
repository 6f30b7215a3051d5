/*
 * client_int.h - what the parts of hunter's Aster client share.
 *
 *   call.c        one REST call: signed (V1 or V3), held back by the rate
 *                 limit, its answer read (status, Aster code, JSON)
 *   answer.c      Aster's REST shapes as hunter's events and positions
 *   seen.c        which order updates were already handed on
 *   userstream.c  the listenKey and the user data stream
 *   client.c      the exchange interface: orders that are never placed
 *                 twice, account setup, the account's state
 *
 * Everything runs on the net loop's thread, from its callbacks.
 */
#ifndef HUNTER_EXCHANGE_ASTER_CLIENT_INT_H
#define HUNTER_EXCHANGE_ASTER_CLIENT_INT_H

#include <cjson/cJSON.h>

#include "aster.h"
#include "exchange_aster.h"
#include "net.h"
#include "sign.h"

#define XA_MSG_MAX 200

struct xa_client;
struct xa_job;

/* ---- calls (call.c) ---------------------------------------------------- */

/* How an answer came back. */
enum xa_outcome {
	XA_OK,       /* 2xx: json holds the answer */
	XA_REFUSED,  /* 4xx with Aster's code: the request was not carried out */
	XA_UNKNOWN,  /* no answer, a timeout or a 5xx: it may have been carried out */
	XA_BANNED,   /* 418: no request may be sent for now */
};

struct xa_answer {
	enum xa_outcome outcome;
	long status;
	int code;              /* Aster's code when refused, else 0 */
	char msg[XA_MSG_MAX];  /* its message, or why there was no answer */
	cJSON *json;           /* XA_OK: the parsed body, freed after the callback */
	int64_t sent_wall_ms;  /* when the call went out, by the local wall clock */
};

enum xa_auth { XA_PUBLIC, XA_KEY_ONLY, XA_SIGNED };

struct xa_call {
	struct xa_client *c;
	const char *method;    /* GET POST PUT DELETE */
	const char *path;      /* after /fapi/vN/: "order", "listenKey", ... */
	enum xa_auth auth;
	int weight;
	bool order;            /* counts against the order limits */
	char *params;          /* business parameters, form-encoded, owned */
	void (*done)(struct xa_call *call, const struct xa_answer *a);
	void *owner;
	int64_t sent_wall_ms;
	net_timer *wait;       /* held back by the rate limit, or a failure to report */
	char *failed;          /* it could not be sent: why, reported from the loop */
	struct xa_call *next;  /* the client's list of calls under way */
};

/* A call of `path` with a copy of `params`; NULL when out of memory. */
struct xa_call *xa_call_new(struct xa_client *c, const char *method, const char *path,
                            enum xa_auth auth, int weight, const char *params);
/* Sends it now, or when the rate limit allows. `done` runs from the loop,
 * never inside xa_call_send (also when the call cannot be sent at all),
 * and the call is freed after it. */
void xa_call_send(struct xa_call *call);
/* A call made, sent and waited for, running the loop (start-up calls,
 * before trading, which are all safe to repeat: one with no answer is
 * tried again, three times in all). The caller frees a->json. */
void xa_request(struct xa_client *c, const char *method, const char *path, enum xa_auth auth,
                int weight, const char *params, struct xa_answer *a);
/* Runs the loop until done(arg) or `ms` pass, holding back the updates
 * for the session meanwhile (a start-up wait happens inside a request). */
void xa_wait(struct xa_client *c, bool (*done)(const void *arg), const void *arg, int64_t ms);
/* Frees every call still under way, without callbacks. */
void xa_calls_free(struct xa_client *c);
/* Makes what every new order's request shares (c->order_url parsed into
 * c->order_at, c->key_header) once c->rest and the credentials are set.
 * 0, or -1 with the reason in why[NET_ERR_MAX]. */
int xa_order_target(struct xa_client *c, char *why);

/* ---- answers (answer.c) ------------------------------------------------ */

/* An order as the REST API answers it, as the ORDER_TRADE_UPDATE the user
 * stream would carry for its status (no fill: fills come from the stream).
 * Returns 0, or -1 when the object is not an order. */
int xa_answer_order(aster_parser_t *p, const cJSON *o, ev_t *ev);
/* One fill of a userTrades answer as the stream's TRADE update of `o` (a
 * REST order), the order having `filled_before` filled before it. */
int xa_answer_fill(aster_parser_t *p, const cJSON *o, const cJSON *trade, dec_t filled_before,
                   ev_t *ev);
/* positionRisk rows with a non-zero amount, into a grown array. */
int xa_answer_positions(const cJSON *rows, struct position **out, uint32_t *n, size_t *cap);
/* The wallet balance of the USDT row of a balance answer. */
int xa_answer_wallet(const cJSON *rows, dec_t *wallet);
/* A decimal given as a JSON string (or number text). */
int xa_json_dec(const cJSON *v, dec_t *out);

/* ---- updates already handed on (seen.c) -------------------------------- */

struct xa_seen_order {
	int64_t order_id; /* 0: free slot */
	char symbol[SYMBOL_MAX];
	int rank;         /* 1 new, 2 partly filled, 3 ended */
	dec_t filled;     /* cumulative quantity seen */
	int64_t trade_id; /* the last trade seen */
};

struct xa_seen {
	struct xa_seen_order *v;
	size_t cap, n;
};

/* Whether an order update brings something new (a later status, or a fill
 * not seen before), and if so remembers it. An update that only repeats
 * one seen (the REST answer and the stream both saying NEW, a trade sent
 * twice) is false. Out of memory: true (better twice than never; the
 * engine counts fills by cumulative quantity). */
bool xa_seen_new(struct xa_seen *s, const ev_t *ev);
/* What was seen of an order; NULL when never seen. */
const struct xa_seen_order *xa_seen_get(const struct xa_seen *s, int64_t order_id);
void xa_seen_free(struct xa_seen *s);

/* ---- the user data stream (userstream.c) ------------------------------- */

struct xa_stream {
	char key[80];          /* the listenKey in use, "" none */
	net_ws *ws;
	net_timer *keepalive;
	bool renewing;         /* a POST listenKey is under way */
	bool up;
	bool missed;           /* down or expired since it was last up: updates may be lost */
};

/* Gets a listenKey and opens the stream; waits for the key (at start). */
int xa_stream_start(struct xa_client *c, char *err, size_t cap);
/* The key expired or the stream dropped: asks for a key and moves the
 * stream to it when it is a new one. */
void xa_stream_renew(struct xa_client *c);
void xa_stream_free(struct xa_client *c);

/* ---- catching up after the stream was down (resync.c) ------------------ */

/* Asks the exchange what became of every order not known to have ended,
 * and hands on the fills and states the stream did not carry. */
void xa_resync(struct xa_client *c);
/* The same for the order a cancel job named, then the job's refusal
 * (j->code, j->msg) is reported. */
void xa_catch_up_then_refuse(struct xa_client *c, struct xa_job *job);
/* Reports the job's refusal to the session and frees the job (client.c). */
void xa_job_refuse(struct xa_job *j);
/* A job placing `o`, not sent yet (batch.c sends it); NULL: no memory. */
struct xa_job *xa_job_place(struct xa_client *c, const order_req *o);
/* The job's order cannot be sent: refused with `code` from the loop. */
void xa_job_fail(struct xa_job *j, int code, const char *msg);
/* The answer to the job's new-order request. */
void xa_job_answered(struct xa_job *j, const struct xa_answer *a);

/* ---- the client (client.c) --------------------------------------------- */

/* One order request under way until the exchange's answer is certain:
 * place, cancel, or cancel-then-place (replace). */
enum xa_job_kind { XA_JOB_PLACE, XA_JOB_CANCEL, XA_JOB_REPLACE };

struct xa_job {
	struct xa_client *c;
	enum xa_job_kind kind;
	order_req req;                /* the order to place */
	char symbol[SYMBOL_MAX];      /* the order to cancel (cancel, replace) */
	char cancel_id[CLIENT_ID_MAX];
	int64_t dead_wall_ms;         /* the last request sent cannot be accepted after this */
	int resends;
	bool cancel_wanted;           /* cancelled before the exchange was known to have it */
	int code;                     /* a refusal to report */
	char msg[XA_MSG_MAX];
	void (*step)(struct xa_job *j); /* what happens when the timer fires */
	net_timer *timer;
	struct xa_job *next;
};

/* An order or account update waiting for a start-up call to end. */
struct xa_held {
	ev_t ev;
	struct balance *balances; /* ACCOUNT_UPDATE: owned copies */
	struct position *positions;
};

struct xa_client {
	net_loop *loop;
	struct xa_client_opts o;
	char rest[NET_URL_MAX], ws[NET_URL_MAX];
	/* what every new order's request shares: its URL, parsed once, and
	 * the API-key header (V1) */
	char order_url[NET_URL_MAX];
	struct net_url order_at;
	char key_header[XA_SECRET_MAX + 16];
	enum xa_scheme scheme;
	struct xa_creds creds;    /* V1: the key in use (the secret lives keyed in v1 only) */
	struct sign_v1_key v1;    /* V1: the secret, keyed once */
	struct sign_v3_creds v3;  /* V3: parsed once */
	struct sign_nonce nonce;
	struct exchange_sink sink;
	struct xa_rl rl;
	int64_t clock_offset_ms;  /* server time - local wall time */
	struct xa_call *calls;
	struct xa_job *jobs;
	struct xa_seen seen;
	struct xa_stream stream;
	aster_parser_t *parser;
	int sync_depth;           /* > 0 while a start-up call waits */
	struct xa_held *held;     /* updates that came during a start-up call */
	size_t held_len, held_cap;
	net_timer *release;       /* hands the held updates on */
	struct exchange_account account;
	struct position *positions;
	uint32_t npositions;
	size_t positions_cap;
	ev_t *open_orders;
	uint32_t nopen;
	size_t open_cap;
	struct xa_client_stats stats;
	char last_error[XA_MSG_MAX];
};

/* The local wall clock in ms, and the exchange's estimate of it. */
int64_t xa_wall_ms(void);
int64_t xa_server_ms(const struct xa_client *c);

/* A user-stream message: its order and account updates go to the
 * session (deliver.c). */
void xa_client_stream_message(struct xa_client *c, const char *msg, size_t len,
                              int64_t recv_ns);
/* An order or account update in the stream's shape (from the stream, or
 * made from REST answers when catching up): each state and fill once. */
void xa_client_update(struct xa_client *c, const ev_t *ev);
/* An order's state from a REST answer: handed on when it tells something
 * the stream has not (accepted, or ended with no fill unseen). */
void xa_client_rest_order(struct xa_client *c, const cJSON *o);
/* Hands the held updates on; frees what is left at the end. */
void xa_client_release(void *ctx);
void xa_client_held_free(struct xa_client *c);
/* Remembers the last error for the status line and logs. */
void xa_client_error(struct xa_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
