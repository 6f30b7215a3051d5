/*
 * live.h - `hunter live`: the engine trading on Aster, or with
 * simulate_only on live market data against the simulated exchange.
 *
 *   market streams -> recorder (own recording) -> session -> exchange
 *   (Aster client, or the simulation) -> user-stream answers -> session
 *
 * The recorder (record/) keeps the streams and writes every market event
 * it hands on, so a live run can be replayed with `hunter backtest`; the
 * user stream's order and account updates go into the same recording.
 * The session (session/) is the backtest's, fed from the network and
 * clocked by session_clock. Every intent is in the run database before the
 * exchange hears of it (guard.c). docs/live.md describes the behaviour.
 */
#ifndef HUNTER_LIVE_H
#define HUNTER_LIVE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "net.h"

struct live_opts {
	const char *settings_path;
	bool simulate;             /* also when the settings say simulate_only */
	const char *out_dir;       /* run.db and recordings/ */
	struct net_bases bases;
	const char *ca_file;
	const char *env_file;      /* credentials; NULL: ./.env (environment first) */
	int64_t status_ms;         /* status line period */
	int64_t request_timeout_ms; /* one REST call to the exchange; 0: 5 s */
	bool close_all;            /* cancel hunter's orders, close its positions, exit */
	int dashboard_port;        /* -1: no dashboard; 0: a free port (said at start) */
	const char *dashboard_bind;  /* NULL: 127.0.0.1 */
	const char *dashboard_token; /* required to bind elsewhere, and to POST settings */
	volatile sig_atomic_t *stop;   /* SIGINT/SIGTERM: stop entries, exit cleanly */
	volatile sig_atomic_t *reload; /* SIGHUP: reload the settings file */
	const char *command;       /* the command line, for the recordings' header */
	void (*status)(void *ctx, const char *line); /* one line each status_ms */
	void (*say)(void *ctx, const char *line);    /* what a person should know */
	void *ctx;
};

enum live_end {
	LIVE_STOPPED,  /* stopped by a signal, cleanly */
	LIVE_DONE,     /* --close-all finished */
	LIVE_EUSAGE,   /* settings or credentials wrong: nothing was sent */
	LIVE_EFAIL,    /* the exchange, the network or the disk failed */
};

/* Runs until stopped; returns an enum live_end, the reason said. */
int live_run(const struct live_opts *o);

#endif
