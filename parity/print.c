/*
 * print.c - the parity report: a table for people, JSON for scripts.
 * Only signals whose outcome differs are listed; totals say how many were
 * the same.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "parity_int.h"

static const char *money(dec_t v, char buf[DEC_FMT_MAX])
{
	dec_format(v, buf);
	return buf;
}

/* What one run did with a signal, in a few words. */
static void outcome(const struct pty_entry *e, char *buf, size_t cap)
{
	char p[DEC_FMT_MAX], q[DEC_FMT_MAX], f[DEC_FMT_MAX];
	if (!e)
		snprintf(buf, cap, "no signal");
	else if (!e->fired)
		snprintf(buf, cap, "skipped (%s)", e->reason);
	else if (!e->filled)
		snprintf(buf, cap, "fired, nothing filled");
	else
		snprintf(buf, cap, "%s filled at %s, fee %s", money(e->filled, q),
		         money((dec_t)(e->cost / e->filled), p), money(e->fee, f));
}

/* The difference a row of A stands for, or one of B's unmatched signals. */
struct row {
	const struct pty_entry *a, *b;
	enum pty_cause cause;
	int64_t ms;
};

static int by_time(const void *x, const void *y)
{
	const struct row *r = x, *s = y;
	return (r->ms > s->ms) - (r->ms < s->ms);
}

static struct row *rows(const struct pty_run *a, const struct pty_run *b, size_t *n)
{
	struct row *v = malloc((a->n + b->n + 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; v && i < a->n; i++)
		if (a->e[i].cause != PTY_SAME)
			v[(*n)++] = (struct row){&a->e[i],
			                         a->e[i].peer >= 0 ? &b->e[a->e[i].peer] : NULL,
			                         a->e[i].cause, a->e[i].ms};
	for (size_t j = 0; v && j < b->n; j++)
		if (b->e[j].peer < 0)
			v[(*n)++] = (struct row){NULL, &b->e[j], PTY_SIGNAL, b->e[j].ms};
	if (v)
		qsort(v, *n, sizeof *v, by_time);
	return v;
}

static const struct pty_entry *any(const struct row *r)
{
	return r->a ? r->a : r->b;
}

void pty_print_text(FILE *out, const struct pty_run *a, const struct pty_run *b,
                    const struct pty_result *res)
{
	char n1[DEC_FMT_MAX], n2[DEC_FMT_MAX], d[DEC_FMT_MAX];
	fprintf(out, "A  %s: %llu signals, net PnL %s\n", a->path,
	        (unsigned long long)res->signals[0], money(res->net[0], n1));
	fprintf(out, "B  %s: %llu signals, net PnL %s\n", b->path,
	        (unsigned long long)res->signals[1], money(res->net[1], n2));
	fprintf(out, "net PnL B - A: %s\nmatched signals: %llu, same outcome: %llu\n",
	        money(res->net[1] - res->net[0], d), (unsigned long long)res->matched,
	        (unsigned long long)res->by_cause[PTY_SAME]);
	fprintf(out, "differences:");
	for (int c = PTY_SAME + 1; c < PTY__COUNT; c++)
		fprintf(out, " %s %llu", pty_cause_str(c), (unsigned long long)res->by_cause[c]);
	fputc('\n', out);
	size_t n;
	struct row *v = rows(a, b, &n);
	for (size_t i = 0; v && i < n; i++) {
		char t[UTC_FMT_MAX], oa[160], ob[160], c[DEC_FMT_MAX] = "";
		const struct pty_entry *e = any(&v[i]);
		utc_format(e->ms, t);
		outcome(v[i].a, oa, sizeof oa);
		outcome(v[i].b, ob, sizeof ob);
		if (v[i].a && v[i].a->cost_known)
			money(v[i].a->cost_to_b, c);
		fprintf(out, "  %s %s %s liquidated  %-8s A: %s | B: %s%s%s\n", t, e->symbol,
		        strcmp(e->liq_side, "SELL") ? "shorts" : "longs", pty_cause_str(v[i].cause), oa,
		        ob, c[0] ? " | costs B " : "", c);
	}
	free(v);
}

static void add_money(cJSON *o, const char *key, dec_t v)
{
	char buf[DEC_FMT_MAX];
	cJSON_AddStringToObject(o, key, money(v, buf));
}

static cJSON *side_json(const struct pty_entry *e)
{
	if (!e)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "ms", (double)e->ms);
	cJSON_AddBoolToObject(o, "fired", e->fired);
	cJSON_AddStringToObject(o, "reason", e->reason);
	cJSON_AddStringToObject(o, "client_id", e->client_id);
	add_money(o, "filled", e->filled);
	add_money(o, "avg_price", e->filled ? (dec_t)(e->cost / e->filled) : 0);
	add_money(o, "fee", e->fee);
	return o;
}

static cJSON *row_json(const struct row *r)
{
	cJSON *o = cJSON_CreateObject();
	const struct pty_entry *e = any(r);
	char t[UTC_FMT_MAX];
	utc_format(e->ms, t);
	cJSON_AddStringToObject(o, "time", t);
	cJSON_AddStringToObject(o, "symbol", e->symbol);
	cJSON_AddStringToObject(o, "liq_side", e->liq_side);
	cJSON_AddStringToObject(o, "cause", pty_cause_str(r->cause));
	cJSON_AddItemToObject(o, "a", side_json(r->a));
	cJSON_AddItemToObject(o, "b", side_json(r->b));
	if (r->a && r->a->cost_known)
		add_money(o, "cost_to_b", r->a->cost_to_b);
	else
		cJSON_AddNullToObject(o, "cost_to_b");
	return o;
}

void pty_print_json(FILE *out, const struct pty_run *a, const struct pty_run *b,
                    const struct pty_result *res)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a", a->path);
	cJSON_AddStringToObject(o, "b", b->path);
	cJSON_AddNumberToObject(o, "signals_a", (double)res->signals[0]);
	cJSON_AddNumberToObject(o, "signals_b", (double)res->signals[1]);
	cJSON_AddNumberToObject(o, "matched", (double)res->matched);
	cJSON *causes = cJSON_AddObjectToObject(o, "causes");
	for (int c = PTY_SAME; c < PTY__COUNT; c++)
		cJSON_AddNumberToObject(causes, pty_cause_str(c), (double)res->by_cause[c]);
	add_money(o, "net_pnl_a", res->net[0]);
	add_money(o, "net_pnl_b", res->net[1]);
	add_money(o, "net_pnl_b_minus_a", res->net[1] - res->net[0]);
	cJSON *list = cJSON_AddArrayToObject(o, "differences");
	size_t n;
	struct row *v = rows(a, b, &n);
	for (size_t i = 0; v && i < n; i++)
		cJSON_AddItemToArray(list, row_json(&v[i]));
	free(v);
	char *s = cJSON_Print(o);
	if (s)
		fprintf(out, "%s\n", s);
	free(s);
	cJSON_Delete(o);
}
