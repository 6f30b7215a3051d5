/*
 * dashboard.h - the web page and JSON endpoints a running `hunter live`
 * serves: account, positions, tranches with their take-profit and
 * stop-loss, open orders and health from the snapshot the live process
 * publishes; recent trades, liquidations, signals and PnL from the run
 * database; the settings file, read and replaced. docs/dashboard.md lists
 * the endpoints, their JSON and the snapshot format.
 *
 * The dashboard runs on its own thread with its own libwebsockets
 * context, so the trading loop never waits on a browser; the owner talks
 * to it through dashboard_publish() and dashboard_take_reload() alone,
 * both safe to call from any thread.
 *
 * libwebsockets' log level is the process's, left to the owner.
 *
 * Depends on config.h (settings are validated exactly as a settings file
 * is), libwebsockets, SQLite and cJSON.
 */
#ifndef HUNTER_DASHBOARD_H
#define HUNTER_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct dashboard_opts {
	const char *bind;          /* IPv4 address to listen on; NULL: 127.0.0.1 */
	int port;                  /* 0: a free port */
	const char *token;         /* NULL: none; then only loopback binds are allowed, and
	                            * POST /api/config is refused */
	const char *db_path;       /* the run database (SQLite, WAL), opened read-only */
	const char *settings_path; /* the settings file GET/POST /api/config read and replace */
	int refresh_s;             /* page refresh period; 0: 3 */
	FILE *diag;                /* errors; NULL: stderr */
};

typedef struct dashboard dashboard_t;

/*
 * Listens and starts serving on a thread of its own. A token is letters,
 * digits and "-._~" (it travels in headers and URLs); binding to an
 * address outside 127.0.0.0/8 without one is refused. Returns NULL with
 * the reason in err (bad options, the address cannot be bound).
 */
dashboard_t *dashboard_start(const struct dashboard_opts *o, char *err, size_t cap);

/* The port it listens on (the one chosen when asked for 0). */
int dashboard_port(const dashboard_t *d);

/*
 * The live process's snapshot: a JSON object (docs/dashboard.md), copied,
 * shown on the next page and pushed to every /api/events client as one
 * event. Text that is not a JSON object is reported on diag and ignored:
 * the previous snapshot stays.
 */
void dashboard_publish(dashboard_t *d, const char *snapshot_json);

/* True once after a POST /api/config wrote a new settings file: the owner
 * reloads it as on SIGHUP. */
bool dashboard_take_reload(dashboard_t *d);

/* Closes every connection, ends the thread and frees everything; NULL is
 * allowed. */
void dashboard_stop(dashboard_t *d);

#endif
