/*
 * summary.c - what `hunter inspect` reports about a recording: time span,
 * counts per event type and per symbol, gap markers, holes (stretches with
 * no event of one symbol and type longer than a threshold), exchange time
 * going backwards, size, rate and the file's header.
 *
 * Symbols are found through a small open-addressing hash, since a
 * liquidation capture names hundreds of symbols and inspect sees every
 * event of a recording.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"
#include "recording.h"

#define LIST_MAX 20 /* gaps and holes listed one by one; the rest are counted */

struct sym_stat {
	char symbol[SYMBOL_MAX];
	uint64_t n[EV__COUNT];
	int64_t last_ms[EV__COUNT];
	uint64_t holes[EV__COUNT];
	int64_t longest[EV__COUNT]; /* longest hole, ms */
};

struct span {
	char symbol[SYMBOL_MAX];
	int type;            /* hole: event type; gap: gap kind */
	int64_t from_ms, to_ms;
	char reason[64];
};

struct imp_summary {
	char *name, *source, *command, *version, *warning, *error;
	int64_t liq_delay_ms; /* the header's liquidation arrival delay */
	int64_t hole_ms;
	uint64_t files, bytes, events, by_type[EV__COUNT], out_of_order;
	int64_t first_ms, last_ms, prev_ms;
	uint64_t ngaps, nholes;
	struct span gaps[LIST_MAX], holes[LIST_MAX];
	struct sym_stat *syms;
	size_t nsyms, symcap;
	struct strmap symmap; /* symbol -> index into syms */
};

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static const char *sym_key(const void *ctx, uint32_t idx)
{
	const imp_summary_t *s = ctx;
	return s->syms[idx].symbol;
}

imp_summary_t *imp_summary_new(const char *name, int64_t hole_ms)
{
	imp_summary_t *s = calloc(1, sizeof *s);
	if (!s || strmap_init(&s->symmap, sym_key, s)) {
		free(s);
		return NULL;
	}
	s->name = dup_or_null(name);
	s->hole_ms = hole_ms;
	return s;
}

void imp_summary_free(imp_summary_t *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->source);
	free(s->command);
	free(s->version);
	free(s->warning);
	free(s->error);
	free(s->syms);
	strmap_free(&s->symmap);
	free(s);
}

/* The symbol's stats, added if new; NULL when out of memory. */
static struct sym_stat *sym(imp_summary_t *s, const char *symbol)
{
	int64_t i = strmap_get(&s->symmap, symbol);
	if (i >= 0)
		return &s->syms[i];
	struct sym_stat *syms = grow_array(s->syms, &s->symcap, s->nsyms + 1, sizeof *syms);
	if (!syms)
		return NULL;
	s->syms = syms;
	struct sym_stat *n = &s->syms[s->nsyms];
	memset(n, 0, sizeof *n);
	copy_str(n->symbol, sizeof n->symbol, symbol, strlen(symbol));
	if (strmap_put(&s->symmap, n->symbol, (uint32_t)s->nsyms))
		return NULL;
	return &s->syms[s->nsyms++];
}

static void note_span(struct span *list, uint64_t *count, const char *symbol, int type,
                      int64_t from, int64_t to, const char *reason)
{
	if (*count < LIST_MAX) {
		struct span *h = &list[*count];
		copy_str(h->symbol, sizeof h->symbol, symbol, strlen(symbol));
		h->type = type;
		h->from_ms = from;
		h->to_ms = to;
		copy_str(h->reason, sizeof h->reason, reason, strlen(reason));
	}
	(*count)++;
}

/* Liquidations come only when someone is liquidated, so silence in that
 * stream is the market, not a hole in the data. */
static bool is_continuous(int type)
{
	return type != EV_LIQUIDATION;
}

static void hole(imp_summary_t *s, struct sym_stat *st, int type, int64_t to_ms,
                 const char *why)
{
	int64_t len = to_ms - st->last_ms[type];
	if (!st->symbol[0] || !is_continuous(type) || len <= s->hole_ms)
		return;
	st->holes[type]++;
	if (len > st->longest[type])
		st->longest[type] = len;
	note_span(s->holes, &s->nholes, st->symbol, type, st->last_ms[type], to_ms, why);
}

static void track_hole(imp_summary_t *s, struct sym_stat *st, const ev_t *ev)
{
	int64_t *last = &st->last_ms[ev->type];
	if (st->n[ev->type] > 0)
		hole(s, st, ev->type, ev->exch_ms, "");
	if (st->n[ev->type] == 0 || ev->exch_ms > *last)
		*last = ev->exch_ms;
	st->n[ev->type]++;
}

/* A stream that stopped while the others went on (the book ticker going
 * quiet while trades continue) has a hole from its last event to the end
 * of the recording, which no later event of its own would show. */
void imp_summary_end(imp_summary_t *s)
{
	for (size_t i = 0; i < s->nsyms; i++)
		for (int k = 1; k < EV__COUNT; k++)
			if (s->syms[i].n[k])
				hole(s, &s->syms[i], k, s->last_ms, "stopped before the recording ended");
}

void imp_summary_add(imp_summary_t *s, const ev_t *ev)
{
	if (ev->type <= EV_NONE || ev->type >= EV__COUNT)
		return;
	if (s->events == 0 || ev->exch_ms < s->first_ms)
		s->first_ms = ev->exch_ms;
	if (s->events == 0 || ev->exch_ms > s->last_ms)
		s->last_ms = ev->exch_ms;
	if (s->events > 0 && ev->exch_ms < s->prev_ms)
		s->out_of_order++;
	s->prev_ms = ev->exch_ms;
	s->events++;
	s->by_type[ev->type]++;
	if (ev->type == EV_GAP)
		note_span(s->gaps, &s->ngaps, ev->symbol, ev->u.gap.kind, ev->u.gap.from_ms,
		          ev->exch_ms, ev->u.gap.reason);
	struct sym_stat *st = sym(s, ev->symbol);
	if (st)
		track_hole(s, st, ev);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = dup_or_null(v);
}

void imp_summary_set_header(imp_summary_t *s, const struct rec_header *h)
{
	set_str(&s->source, h->source);
	set_str(&s->command, h->command);
	set_str(&s->version, h->hunter_version);
	s->liq_delay_ms = h->liq_arrival_delay_ms;
}

void imp_summary_set_size(imp_summary_t *s, uint64_t bytes)
{
	s->bytes = bytes;
}

void imp_summary_set_warning(imp_summary_t *s, const char *warning)
{
	set_str(&s->warning, warning);
}

void imp_summary_set_error(imp_summary_t *s, const char *error)
{
	set_str(&s->error, error);
}

static void merge_spans(struct span *dst, uint64_t *n, const struct span *src, uint64_t m)
{
	for (uint64_t i = 0; i < m; i++) {
		if (i < LIST_MAX && *n < LIST_MAX)
			dst[*n] = src[i];
		(*n)++;
	}
}

static void merge_sym(imp_summary_t *t, const struct sym_stat *p)
{
	struct sym_stat *st = sym(t, p->symbol);
	for (int k = 0; st && k < EV__COUNT; k++) {
		st->n[k] += p->n[k];
		st->holes[k] += p->holes[k];
		if (p->longest[k] > st->longest[k])
			st->longest[k] = p->longest[k];
	}
}

void imp_summary_merge(imp_summary_t *t, const imp_summary_t *p)
{
	if (p->events && (t->events == 0 || p->first_ms < t->first_ms))
		t->first_ms = p->first_ms;
	if (p->events && (t->events == 0 || p->last_ms > t->last_ms))
		t->last_ms = p->last_ms;
	t->files += p->files ? p->files : 1;
	t->bytes += p->bytes;
	t->events += p->events;
	t->out_of_order += p->out_of_order;
	for (int k = 0; k < EV__COUNT; k++)
		t->by_type[k] += p->by_type[k];
	merge_spans(t->gaps, &t->ngaps, p->gaps, p->ngaps);
	merge_spans(t->holes, &t->nholes, p->holes, p->nholes);
	for (size_t i = 0; i < p->nsyms; i++)
		merge_sym(t, &p->syms[i]);
}

uint64_t imp_summary_events(const imp_summary_t *s)
{
	return s->events;
}

uint64_t imp_summary_out_of_order(const imp_summary_t *s)
{
	return s->out_of_order;
}

uint64_t imp_summary_holes(const imp_summary_t *s)
{
	return s->nholes;
}

uint64_t imp_summary_gaps(const imp_summary_t *s)
{
	return s->ngaps;
}

static double span_s(const imp_summary_t *s)
{
	return s->events ? (double)(s->last_ms - s->first_ms) / 1000.0 : 0.0;
}

static int by_symbol(const void *a, const void *b)
{
	return strcmp(((const struct sym_stat *)a)->symbol, ((const struct sym_stat *)b)->symbol);
}

/* The symbols in name order, as a copy (the table's order is the hash's). */
static struct sym_stat *sorted_syms(const imp_summary_t *s)
{
	struct sym_stat *v = malloc((s->nsyms ? s->nsyms : 1) * sizeof *v);
	if (v && s->nsyms) {
		memcpy(v, s->syms, s->nsyms * sizeof *v);
		qsort(v, s->nsyms, sizeof *v, by_symbol);
	}
	return v;
}

static void print_spans(FILE *out, const char *title, const struct span *v, uint64_t n,
                        bool gaps)
{
	char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
	fprintf(out, "  %s: %llu\n", title, (unsigned long long)n);
	for (uint64_t i = 0; i < n && i < LIST_MAX; i++) {
		/* a gap from 0 (a recorder's start) has no known beginning, nor length */
		bool open = !v[i].from_ms;
		char len[40] = "";
		if (open)
			snprintf(a, sizeof a, "(unknown)");
		else
			utc_format(v[i].from_ms, a);
		if (!open)
			snprintf(len, sizeof len, " (%.3f s)", (double)(v[i].to_ms - v[i].from_ms) / 1000.0);
		utc_format(v[i].to_ms, b);
		fprintf(out, "    %-14s %-12s %s .. %s%s%s%s\n", v[i].symbol[0] ? v[i].symbol : "(all)",
		        gaps ? gap_kind_str(v[i].type) : ev_type_name(v[i].type), a, b, len,
		        v[i].reason[0] ? ": " : "", v[i].reason);
	}
	if (n > LIST_MAX)
		fprintf(out, "    ... and %llu more\n", (unsigned long long)(n - LIST_MAX));
}

static void print_symbols(const imp_summary_t *s, FILE *out)
{
	struct sym_stat *v = sorted_syms(s);
	size_t first = v && s->nsyms && !v[0].symbol[0]; /* "" sorts first */
	fprintf(out, "  symbols: %zu\n", s->nsyms - first);
	for (size_t i = first; v && i < s->nsyms; i++) {
		fprintf(out, "    %-14s", v[i].symbol);
		for (int k = 1; k < EV__COUNT; k++) {
			if (!v[i].n[k])
				continue;
			fprintf(out, " %s %llu", ev_type_name(k), (unsigned long long)v[i].n[k]);
			if (v[i].holes[k])
				fprintf(out, " (%llu holes, longest %.3f s)",
				        (unsigned long long)v[i].holes[k],
				        (double)v[i].longest[k] / 1000.0);
		}
		fputc('\n', out);
	}
	free(v);
}

static void print_header(const imp_summary_t *s, FILE *out)
{
	if (s->source || s->version)
		fprintf(out, "  header: source \"%s\", hunter %s\n", s->source ? s->source : "",
		        s->version ? s->version : "?");
	if (s->command)
		fprintf(out, "  command: %s\n", s->command);
	if (s->liq_delay_ms)
		fprintf(out, "  liquidations: event time = trade time + %lld ms (arrival delay added"
		             " on import)\n", (long long)s->liq_delay_ms);
	if (s->files)
		fprintf(out, "  files: %llu\n", (unsigned long long)s->files);
	fprintf(out, "  size: %llu bytes\n", (unsigned long long)s->bytes);
}

void imp_summary_print(const imp_summary_t *s, FILE *out)
{
	char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
	double secs = span_s(s);
	fprintf(out, "%s\n", s->name ? s->name : "(recording)");
	print_header(s, out);
	if (s->events) {
		utc_format(s->first_ms, a);
		utc_format(s->last_ms, b);
		fprintf(out, "  span: %s .. %s (%.3f s)\n", a, b, secs);
	}
	fprintf(out, "  events: %llu", (unsigned long long)s->events);
	if (secs > 0)
		fprintf(out, " (%.1f/s)", (double)s->events / secs);
	fputc('\n', out);
	for (int k = 1; k < EV__COUNT; k++)
		if (s->by_type[k])
			fprintf(out, "    %-16s %llu\n", ev_type_name(k),
			        (unsigned long long)s->by_type[k]);
	print_symbols(s, out);
	fprintf(out, "  out of order: %llu\n", (unsigned long long)s->out_of_order);
	print_spans(out, "gaps (gap events)", s->gaps, s->ngaps, true);
	snprintf(a, sizeof a, "holes over %.3g s", (double)s->hole_ms / 1000.0);
	print_spans(out, a, s->holes, s->nholes, false);
	if (s->warning)
		fprintf(out, "  warning: %s\n", s->warning);
	if (s->error)
		fprintf(out, "  error: %s\n", s->error);
}

static cJSON *json_spans(const struct span *v, uint64_t n, bool gaps)
{
	cJSON *arr = cJSON_CreateArray();
	for (uint64_t i = 0; arr && i < n && i < LIST_MAX; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "symbol", v[i].symbol);
		cJSON_AddStringToObject(o, gaps ? "kind" : "type",
		                        gaps ? gap_kind_str(v[i].type) : ev_type_name(v[i].type));
		cJSON_AddNumberToObject(o, "from_ms", (double)v[i].from_ms);
		cJSON_AddNumberToObject(o, "to_ms", (double)v[i].to_ms);
		if (gaps)
			cJSON_AddStringToObject(o, "reason", v[i].reason);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *json_counts(const uint64_t n[EV__COUNT])
{
	cJSON *o = cJSON_CreateObject();
	for (int k = 1; o && k < EV__COUNT; k++)
		if (n[k])
			cJSON_AddNumberToObject(o, ev_type_name(k), (double)n[k]);
	return o;
}

/* {"BTCUSDT":{"agg_trade":34,...},...}, from each symbol's events or holes.
 * Events of no symbol are in the type counts. */
static cJSON *json_symbols(const imp_summary_t *s, bool holes)
{
	cJSON *o = cJSON_CreateObject();
	struct sym_stat *v = sorted_syms(s);
	for (size_t i = 0; o && v && i < s->nsyms; i++) {
		const uint64_t *n = holes ? v[i].holes : v[i].n;
		bool any = false;
		for (int k = 1; k < EV__COUNT; k++)
			any |= n[k] > 0;
		if (v[i].symbol[0] && any)
			cJSON_AddItemToObject(o, v[i].symbol, json_counts(n));
	}
	free(v);
	return o;
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

char *imp_summary_json(const imp_summary_t *s)
{
	char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	utc_format(s->first_ms, a);
	utc_format(s->last_ms, b);
	add_str(o, "file", s->name);
	add_str(o, "source", s->source);
	add_str(o, "command", s->command);
	add_str(o, "hunter_version", s->version);
	cJSON_AddNumberToObject(o, "liq_arrival_delay_ms", (double)s->liq_delay_ms);
	cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
	cJSON_AddNumberToObject(o, "events", (double)s->events);
	add_str(o, "first", s->events ? a : NULL);
	add_str(o, "last", s->events ? b : NULL);
	cJSON_AddNumberToObject(o, "first_ms", (double)s->first_ms);
	cJSON_AddNumberToObject(o, "last_ms", (double)s->last_ms);
	cJSON_AddNumberToObject(o, "duration_s", span_s(s));
	cJSON_AddNumberToObject(o, "events_per_s", span_s(s) > 0 ? (double)s->events / span_s(s) : 0);
	cJSON_AddItemToObject(o, "types", json_counts(s->by_type));
	cJSON_AddItemToObject(o, "symbols", json_symbols(s, false));
	cJSON_AddNumberToObject(o, "out_of_order", (double)s->out_of_order);
	cJSON_AddNumberToObject(o, "gaps", (double)s->ngaps);
	cJSON_AddItemToObject(o, "gap_list", json_spans(s->gaps, s->ngaps, true));
	cJSON_AddNumberToObject(o, "hole_threshold_s", (double)s->hole_ms / 1000.0);
	cJSON_AddNumberToObject(o, "holes", (double)s->nholes);
	cJSON_AddItemToObject(o, "holes_by_symbol", json_symbols(s, true));
	cJSON_AddItemToObject(o, "hole_list", json_spans(s->holes, s->nholes, false));
	add_str(o, "warning", s->warning);
	add_str(o, "error", s->error);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}
