/*
 * dashboard_int.h - the parts of the dashboard and how they meet: text
 * buffers (text.c), tables, the one shape every figure is shown in
 * (table.c), the snapshot (snapshot.c), the run database (rundb.c), the
 * page (page.c), the JSON endpoints (api.c), the settings file
 * (settings.c), who may ask (access.c), HTTP requests (http.c) and the
 * server's thread (server.c).
 *
 * Everything below the server runs on the dashboard's thread alone; the
 * owner's threads touch only the snapshot and the reload flag, under the
 * mutex or atomically.
 */
#ifndef HUNTER_DASHBOARD_INT_H
#define HUNTER_DASHBOARD_INT_H

#include <cjson/cJSON.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "dashboard.h"

/* ---- Growable text (text.c) ------------------------------------------ */

struct dtext {
	char *s;
	size_t len, cap;
	bool oom; /* an allocation failed: the text is incomplete */
};

void dash_put(struct dtext *t, const char *s, size_t n);
void dash_puts(struct dtext *t, const char *s);
void dash_printf(struct dtext *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dash_json_string(struct dtext *t, const char *s); /* quoted and escaped */
void dash_html(struct dtext *t, const char *s);        /* escaped for text and attributes */
void dash_text_clear(struct dtext *t);
void dash_text_free(struct dtext *t);

/* ---- Tables (table.c) ------------------------------------------------ */

/* How a cell's text is shown: in HTML and JSON alike, except that times
 * are dates on the page and numbers in JSON. */
enum dash_kind {
	DK_TEXT = 1, /* a string */
	DK_DEC,      /* an exact decimal: a JSON string, never a number */
	DK_INT,      /* an integer: a JSON number */
	DK_MS,       /* exchange time in ms: a JSON number, a UTC date on the page */
};

struct dash_col {
	const char *key;   /* JSON key */
	const char *label; /* column heading */
	enum dash_kind kind;
};

/* What one table shows: a part of the snapshot (`key` names an object,
 * one row, or an array of objects), or the rows of `sql` in the run
 * database, whose columns are `cols` in order. */
struct dash_view {
	const char *key;
	const char *title;
	const char *sql; /* NULL: from the snapshot */
	const struct dash_col *cols;
	size_t ncols;
};

struct dash_table {
	const struct dash_view *v;
	size_t nrows, cap;
	char **cells; /* nrows * v->ncols, malloc'd; NULL: no value */
	bool oom;
};

/* A new row of NULL cells at the end; NULL (and oom) when out of memory. */
char **dash_table_row(struct dash_table *t);
void dash_table_free(struct dash_table *t);
void dash_table_html(struct dtext *out, const struct dash_table *t, const char *empty);
void dash_table_json(struct dtext *out, const struct dash_table *t); /* an array of objects */
void dash_table_json_row(struct dtext *out, const struct dash_table *t, size_t r);

/* ---- The snapshot (snapshot.c) ---------------------------------------- */

/* The text as compact one-line JSON if it is a JSON object (malloc'd),
 * else NULL with the reason in err. */
char *dash_snapshot_normalize(const char *text, char *err, size_t cap);

/* The snapshot's parts as tables (the page's panels). */
extern const struct dash_view dash_view_account, dash_view_positions, dash_view_tranches,
	dash_view_orders, dash_view_health;

/* The part `v->key` of a parsed snapshot as a table. */
void dash_snapshot_table(const cJSON *snapshot, const struct dash_view *v, struct dash_table *t);

/* ---- The run database (rundb.c) --------------------------------------- */

extern const struct dash_view dash_view_pnl, dash_view_trips, dash_view_fills,
	dash_view_liquidations, dash_view_signals;

/* Reads `n` views' tables from the run database, opened read-only for
 * the call. Returns 0, or -1 with the reason in err (then no table is
 * filled). */
int dash_rundb_read(const char *path, const struct dash_view *const *v, struct dash_table *t,
                    size_t n, char *err, size_t cap);

/* ---- The server -------------------------------------------------------- */

#define DASH_SSE_MAX 32        /* event-stream clients at once */
#define DASH_BODY_MAX (1u << 20) /* request bodies: settings files are a few KiB */
#define DASH_TOKEN_MAX 256

struct dashboard {
	char *bind, *token, *db_path, *settings_path;
	int refresh_s;
	FILE *diag;
	struct lws_context *ctx;
	int port;
	pthread_t thread;
	atomic_bool stop;
	atomic_bool reload;
	pthread_mutex_t mu;         /* guards snapshot and gen */
	char *snapshot;             /* compact JSON, NULL before the first publish */
	uint64_t gen;               /* publishes so far */
	struct conn *sse[DASH_SSE_MAX]; /* the event-stream clients (the server's thread only) */
	size_t nsse;
};

/* One HTTP connection's request and answer. */
struct conn {
	struct lws *wsi;
	int method;
	char path[128];
	void (*answer)(struct dashboard *d, struct conn *c); /* the route's */
	bool awaiting_body;
	bool too_large;   /* the body passed DASH_BODY_MAX */
	bool ready;       /* the answer is complete: write it when writeable */
	bool headers_sent;
	bool close_after; /* the body was not read: close instead of keeping alive */
	bool sse;         /* an event stream: the answer never ends */
	bool challenge;   /* 401: say how to authenticate */
	int status;
	const char *type;
	struct dtext body, reply;
	size_t sent;
	uint64_t sse_gen; /* the snapshot last sent on the stream */
};

/* The current snapshot (malloc'd copy, NULL when none) and its number. */
char *dash_snapshot_copy(struct dashboard *d, uint64_t *gen);

/* access.c: who may listen and who may ask. */
int dash_access_check_opts(const char *bind, const char *token, char *err, size_t cap);
enum dash_auth { AUTH_OK, AUTH_MISSING, AUTH_WRONG, AUTH_NO_TOKEN_SET, AUTH_FOREIGN_HOST };
/* Whether the request may be answered; `writes`: it changes something,
 * and needs a token sent in a header. */
enum dash_auth dash_access_request(const struct dashboard *d, struct lws *wsi, bool writes);

/* Answers: the status, the type and the body in c->reply. */
void dash_reply(struct conn *c, int status, const char *type);
void dash_reply_error(struct conn *c, int status, const char *message);

/* page.c */
void dash_page(struct dashboard *d, struct conn *c);
void dash_panel(struct dashboard *d, struct conn *c);

/* api.c */
void dash_api_account(struct dashboard *d, struct conn *c);
void dash_api_positions(struct dashboard *d, struct conn *c);
void dash_api_stats(struct dashboard *d, struct conn *c);
void dash_api_trades(struct dashboard *d, struct conn *c);
void dash_api_liquidations(struct dashboard *d, struct conn *c);

/* settings.c */
void dash_settings_get(struct dashboard *d, struct conn *c);
void dash_settings_post(struct dashboard *d, struct conn *c);

/* http.c: lws's callbacks for one connection. */
int dash_http_request(struct dashboard *d, struct conn *c, struct lws *wsi, const char *path);
int dash_http_body(struct conn *c, const char *in, size_t len);
int dash_http_body_done(struct dashboard *d, struct conn *c);
int dash_http_writeable(struct dashboard *d, struct conn *c);
void dash_http_closed(struct dashboard *d, struct conn *c);
void dash_http_published(struct dashboard *d); /* wake the event streams */

#endif
