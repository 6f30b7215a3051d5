/*
 * recorder.c - one recording session: opens the output, takes the exchange
 * info, opens the streams, then turns the loop until the end, flushing,
 * rotating and reporting status on its way. Every file of the set starts
 * with the exchange info, so each one can be backtested alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record_int.h"

#define INFO_TIMEOUT_MS 30000
#define TICK_MS 100 /* the loop's longest sleep: flushes and status are due to it */

int64_t record_now_ms(void)
{
	return net_now_ns() / 1000000;
}

int record_fail(struct recorder *r, const char *fmt, ...)
{
	if (r->failed)
		return -1; /* the first reason is the one that matters */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, RECORD_ERR_MAX, fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

void record_warn(struct recorder *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->hooks.warn)
		r->hooks.warn(r->hooks.ctx, msg);
}

/* The writer failed: it has put its reason in r->err, the buffer it was
 * opened with. */
static int writer_failed(struct recorder *r)
{
	r->failed = true;
	return -1;
}

int record_put(struct recorder *r, const ev_t *ev)
{
	if (r->failed)
		return -1;
	/* the hook first: a live session's order does not wait for the
	 * compressor (which now and then deflates a whole block) */
	if (r->hooks.on_event)
		r->hooks.on_event(r->hooks.ctx, ev);
	if (rec_writer_write(r->w, ev) < 0)
		return writer_failed(r);
	r->st.events++;
	return 0;
}

int record_add(recorder_t *r, const ev_t *ev)
{
	if (r->failed)
		return -1;
	if (rec_writer_write(r->w, ev) < 0)
		return writer_failed(r);
	r->st.events++;
	return 0;
}

/* The exchange info event; its server time also dates the restart gap. */
static int put_info_event(void *ctx, const ev_t *ev)
{
	struct recorder *r = ctx;
	r->info_ms = ev->exch_ms;
	return record_put(r, ev);
}

/* The cached exchange info, parsed again for a new file. */
static int put_info(struct recorder *r)
{
	struct aster_ctx actx = {.recv_ns = r->info_recv_ns};
	struct aster_result res;
	if (aster_parse(r->parser, r->info, r->info_len, &actx, put_info_event, r, &res) < 0 &&
	    !r->failed)
		return record_fail(r, "exchange info: %s", res.err);
	if (res.status == ASTER_IGNORED)
		return record_fail(r, "exchange info: the answer is a %s, not exchangeInfo",
		                   res.what);
	return r->failed ? -1 : 0;
}

static int open_file(struct recorder *r, int64_t now_ms)
{
	char path[PATH_MAX];
	unsigned seq = 0;
	do {
		if (record_file_name(path, sizeof path, r->o->out_dir, now_ms, seq++) < 0)
			return record_fail(r, "%s: folder name too long", r->o->out_dir);
	} while (access(path, F_OK) == 0); /* never replace a file already there */
	struct rec_header h = {
		.source = "record aster",
		.command = r->o->command,
		.start_ns = now_ms * 1000000,
		.nsymbols = (uint32_t)r->o->nsymbols,
		.symbols = r->o->symbols,
	};
	if (!(r->w = rec_writer_open(path, &h, NULL, r->err)))
		return writer_failed(r);
	return r->info ? put_info(r) : 0;
}

static int close_file(struct recorder *r)
{
	int rc = rec_writer_close(r->w);
	r->w = NULL;
	return rc < 0 ? writer_failed(r) : 0;
}

static void on_info(void *ctx, const struct net_reply *a)
{
	struct recorder *r = ctx;
	if (r->failed)
		return;
	if (a->err)
		return (void)record_fail(r, "GET %s/fapi/v1/exchangeInfo: %s", r->o->bases.rest,
		                         a->err);
	if (a->status != 200)
		return (void)record_fail(r, "GET %s/fapi/v1/exchangeInfo: HTTP %ld: %.100s",
		                         r->o->bases.rest, a->status, a->body);
	if (!(r->info = malloc(a->len + 1)))
		return (void)record_fail(r, "out of memory");
	memcpy(r->info, a->body, a->len + 1);
	r->info_len = a->len;
	r->info_recv_ns = a->recv_ns;
	if (put_info(r) < 0)
		return;
	/* dated by the exchange's clock, like every event after it */
	ev_t restart;
	record_gap_event(&restart, GAP_RESTART, "", 0, r->info_ms, r->info_recv_ns, "recorder started");
	if (record_put(r, &restart) == 0)
		record_open_streams(r);
}

static int prepare(struct recorder *r, const struct record_opts *o)
{
	char why[NET_ERR_MAX], url[NET_URL_MAX + 32];
	r->o = o;
	if (mkdir(o->out_dir, 0777) < 0 && errno != EEXIST)
		return record_fail(r, "%s: cannot create the folder: %s", o->out_dir, strerror(errno));
	if (!(r->names = record_stream_names(o->symbols, o->nsymbols, o->streams,
	                                     o->all_liquidations, &r->nnames)) ||
	    !(r->parser = aster_parser_new()))
		return record_fail(r, "out of memory");
	if (!r->nnames)
		return record_fail(r, "no stream to record");
	if (open_file(r, record_now_ms()) < 0)
		return -1;
	if (!r->loop && !(r->loop = r->own_loop = net_loop_new(o->ca_file, why)))
		return record_fail(r, "%s", why);
	snprintf(url, sizeof url, "%s/fapi/v1/exchangeInfo", o->bases.rest);
	if (net_http_get(r->loop, url, INFO_TIMEOUT_MS, on_info, r, why) < 0)
		return record_fail(r, "%s", why);
	return 0;
}

/* The next period boundary after `now`, periods aligned to the epoch. */
static int64_t next_boundary(int64_t now, int64_t period)
{
	return period > 0 ? (now / period + 1) * period : INT64_MAX;
}

static void report(struct recorder *r, int64_t period_ms)
{
	r->st.period_ms = period_ms;
	r->st.conns = (uint32_t)r->nconns;
	r->st.conns_up = 0;
	for (size_t i = 0; i < r->nconns; i++)
		r->st.conns_up += r->conns[i].up;
	r->st.lag_ms_avg = r->lag_n ? r->lag_sum / (double)r->lag_n : 0;
	r->st.books = (uint32_t)r->nbooks;
	r->st.books_live = record_books_live(r);
	r->st.file = rec_writer_path(r->w);
	if (r->hooks.status)
		r->hooks.status(r->hooks.ctx, &r->st);
	memset(r->st.msgs, 0, sizeof r->st.msgs);
	r->st.lag_ms_max = 0;
	r->lag_sum = 0;
	r->lag_n = 0;
}

/* New file at a rotation boundary; fresh depth snapshots start it. */
static void rotate(struct recorder *r, int64_t now)
{
	if (close_file(r) == 0 && open_file(r, now) == 0)
		record_want_snapshots(r);
}

/* What falls due at `now`: flush, rotation, status. */
static void housekeeping(struct recorder *r, int64_t now)
{
	struct record_deadlines *d = &r->due;
	if (now >= d->flush) {
		if (rec_writer_flush(r->w) < 0)
			writer_failed(r);
		d->flush = now + r->o->flush_ms;
	}
	if (now >= d->rotate && r->streaming && !r->failed) {
		rotate(r, now);
		d->rotate = next_boundary(now, r->o->rotate_ms);
	}
	if (now >= d->status) {
		report(r, now - d->last_status);
		d->last_status = now;
		d->status = now + r->o->status_ms;
	}
	if (r->streaming)
		record_fetch_snapshots(r);
}

recorder_t *record_start(const struct record_opts *o, net_loop *loop,
                         const struct record_hooks *hooks, char *err)
{
	struct recorder *r = calloc(1, sizeof *r);
	err[0] = '\0';
	if (!r) {
		snprintf(err, RECORD_ERR_MAX, "out of memory");
		return NULL;
	}
	int64_t start = record_now_ms();
	r->err = err;
	r->loop = loop;
	if (hooks)
		r->hooks = *hooks;
	r->due = (struct record_deadlines){
		.end = o->duration_ms > 0 ? start + o->duration_ms : INT64_MAX,
		.flush = start + o->flush_ms,
		.rotate = next_boundary(start, o->rotate_ms),
		.status = start + o->status_ms,
		.last_status = start,
	};
	prepare(r, o);
	return r;
}

int record_tick(recorder_t *r)
{
	if (!r->failed)
		housekeeping(r, record_now_ms());
	return r->failed ? -1 : record_now_ms() >= r->due.end;
}

enum record_end record_finish(recorder_t *r, bool stopped)
{
	bool failed = r->failed;
	if (r->w) {
		/* a file that never got an event (no exchange info) is no recording */
		char *empty = rec_writer_events(r->w) ? NULL : strdup(rec_writer_path(r->w));
		record_close_gaps(r);
		close_file(r);
		if (empty)
			unlink(empty);
		free(empty);
	}
	failed |= r->failed;
	net_loop_free(r->own_loop);
	aster_parser_free(r->parser);
	record_names_free(r->names, r->nnames);
	free(r->conns);
	record_free_books(r);
	free(r->info);
	free(r);
	return failed ? RECORD_FAILED : stopped ? RECORD_STOPPED : RECORD_DONE;
}

enum record_end record_run(const struct record_opts *o, volatile sig_atomic_t *stop,
                           const struct record_hooks *hooks, char *err)
{
	recorder_t *r = record_start(o, NULL, hooks, err);
	if (!r)
		return RECORD_FAILED;
	for (int due = record_tick(r); due == 0 && !*stop; due = record_tick(r))
		net_loop_run(r->loop, TICK_MS);
	return record_finish(r, *stop != 0);
}

static int drop(void *ctx, const ev_t *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

void record_warm(recorder_t *r)
{
	static const char frame[] =
		"{\"stream\":\"!forceOrder@arr\",\"data\":{\"e\":\"forceOrder\",\"E\":1737996900000,"
		"\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\",\"f\":\"IOC\",\"q\":\"0.014\","
		"\"p\":\"101000.5\",\"ap\":\"101200.0\",\"X\":\"FILLED\",\"l\":\"0.014\","
		"\"z\":\"0.014\",\"T\":1737996900000}}}";
	struct aster_ctx actx = {.recv_ns = 1};
	struct aster_result res;
	aster_parse(r->parser, frame, sizeof frame - 1, &actx, drop, NULL, &res);
}
