/*
 * live_int.h - what the parts of a live run share: its state (run.c), the
 * guard that commits the run database before each request (guard.c), and
 * the status line (status.c).
 */
#ifndef HUNTER_LIVE_INT_H
#define HUNTER_LIVE_INT_H

#include <limits.h>

#include "config.h"
#include "dashboard.h"
#include "exchange_aster.h"
#include "exchange_sim.h"
#include "journal.h"
#include "live.h"
#include "record.h"
#include "session.h"

#define LIVE_MSG_MAX 600
#define LIVE_LAT_BUCKETS 4096 /* tick to order: 1 µs each, the last one open-ended */

/* Tick to order (latency.c): frame arrival to the order on the socket. */
struct live_latency {
	uint64_t n;
	int64_t max_us;
	uint32_t count[LIVE_LAT_BUCKETS];
};

/* Where an order's tick to order went, when a lane took it: the frame
 * to the session (libwebsockets, the parser), the engine (since the
 * event reached the session or the event's previous order was written),
 * the client (bookkeeping, encoding, signing), the lane's liveness check
 * and write. */
enum { LIVE_TO_SESSION, LIVE_ENGINE, LIVE_CLIENT, LIVE_WRITE, LIVE_STEPS };

struct live {
	const struct live_opts *o;
	struct settings s;
	struct live_settings ls;
	struct sim_params sim;
	bool settings_loaded;
	bool simulate;
	bool resumed;             /* the run database of an earlier start goes on */
	int lock_fd;              /* the --out folder, locked while the run lasts; -1 none */
	net_loop *loop;
	journal_t *journal;
	session_t *session;
	xa_client *client;        /* the Aster client; NULL when simulating */
	exchange_t x;             /* the exchange the session trades on (guarded) */
	recorder_t *rec;
	struct record_opts ro;
	const char **symbols;
	char db_path[PATH_MAX], rec_dir[PATH_MAX];
	char rec_err[RECORD_ERR_MAX];
	struct session_clock clock;
	dashboard_t *dash;        /* NULL without --dashboard-port */
	int64_t last_publish_ms;
	bool stopping;            /* no new entries: the run is ending */
	bool have_rules;          /* the first exchange info is in */
	bool adopted;
	int64_t first_ms, last_ms;
	uint64_t events, liquidations, user_events;
	int64_t last_status_ms;
	int64_t last_checkpoint_ms; /* the run database's WAL copied back */
	int64_t last_warm_ms;       /* the client's signing kept warm */
	struct record_status rs;  /* the recorder's last status */
	struct exchange_sink sink; /* the session's: answers go there once recorded */
	int64_t tick_ns;          /* the arrival of the market event being handled, else 0 */
	int64_t session_ns;       /* when that event reached the session */
	int64_t step_ns;          /* the end of its last order's write, at first session_ns */
	struct live_latency tick_to_order;
	struct live_latency steps[LIVE_STEPS];
};

/* Makes everything (start.c): -1 to run, else the live_end to end with. */
int live_start(struct live *l);

/* Where events go (events.c): the recorder's hooks and the exchange's sink. */
void live_on_market(void *ctx, const ev_t *ev);
void live_on_answer(void *ctx, const ev_t *ev);
void live_on_refusal(void *ctx, const char *symbol, const char *client_id, int code,
                     const char *msg, int64_t ms);
void live_on_record_status(void *ctx, const struct record_status *st);
void live_on_record_warn(void *ctx, const char *msg);

/* Wraps *x to time each order a market event fires (guard.c); on Aster
 * the event's cancels wait until its orders are out, and
 * live_guard_release sends them once the event is handled. */
int live_guard(exchange_t *x, struct live *l);
void live_guard_release(exchange_t *x);

void live_latency_add(struct live_latency *t, int64_t ns);
/* The pct-th percentile in µs (nearest rank); 0 with no sample. */
int64_t live_latency_pct(const struct live_latency *t, int pct);
/* An order the event being handled put on the socket, asked for at
 * placed_ns: its tick to order, and its steps when a lane took it (`lane`:
 * the loop's stats after its write, else NULL). */
void live_latency_order(struct live *l, int64_t placed_ns, const struct net_stats *lane);
/* "to the session 5/12 us, engine 9/20 us, ..." (each step's p50/p99);
 * "" before the first order on a lane. */
void live_latency_steps(const struct live *l, char *buf, size_t cap);

/* Monotonic milliseconds: the live clock's local time. */
int64_t live_mono_ms(void);

/* A message for the person running it. */
void live_say(struct live *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cancels hunter's orders and closes the positions (close.c): LIVE_DONE,
 * or LIVE_EFAIL when something is still open after a while. */
int live_close_all(struct live *l);

/* At a stop: cancels hunter's resting entry orders and waits for them to
 * be gone and for every request under way to be answered (close.c). 0,
 * or -1 when something is still open or unanswered (said). */
int live_cancel_entries(struct live *l);

/* The dashboard's snapshot (snapshot.c), malloc'd JSON; NULL when out of
 * memory. */
char *live_snapshot(const struct live *l, int64_t now_ms);

/* The status line (status.c). */
void live_status_line(const struct live *l, char *buf, size_t cap);

#endif
