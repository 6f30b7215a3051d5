/*
 * header.c - the first section: what the run was. Mode, version, seed and
 * hashes identify it; the settings (with their hash, the file itself in a
 * collapsible block), the recordings and the simulated exchange's
 * parameters say what produced the figures below, as strategy.md §6 asks
 * of every result.
 */
#include <string.h>

#include "report_int.h"

static void fact(FILE *f, const char *name, const char *value)
{
	rp_html_printf(f, "<tr><td>%s</td><td>", name);
	rp_html_escape(f, value);
	fputs("</td></tr>\n", f);
}

/* A run stopped by the user says so before anything else: every figure
 * below covers only the part that ran. Databases older than the column
 * never say it. */
static void interrupted_note(struct report *r)
{
	if (rp_db_has_column(r, "run", "interrupted") && rp_db_int(r, "SELECT interrupted FROM run"))
		rp_html_printf(r->f, "<p class=\"note\" data-key=\"interrupted\" data-value=\"1\"><b>This"
		                  " run was interrupted</b> (Ctrl-C or SIGTERM) before its inputs ended:"
		                  " every figure covers the part that ran.</p>\n");
}

/* The delay the import added to liquidations that carried only their
 * trade time, when there was one. */
static void arrival_fact(struct report *r)
{
	if (!rp_db_has_column(r, "run", "liq_arrival_delay_ms"))
		return;
	int64_t ms = rp_db_int(r, "SELECT coalesce(liq_arrival_delay_ms, 0) FROM run");
	if (ms <= 0)
		return;
	char text[160];
	snprintf(text, sizeof text, "trade time + %lld ms (the recordings carry no arrival"
	                            " time; added on import)", (long long)ms);
	fact(r->f, "liquidations acted on at", text);
}

/* A live or simulate run started again on its database is one run: say
 * how many starts its figures cover. */
static void starts_fact(struct report *r)
{
	if (!rp_db_has_table(r, "run_starts"))
		return;
	int64_t n = rp_db_int(r, "SELECT count(*) FROM run_starts");
	if (n < 2)
		return;
	char text[200];
	snprintf(text, sizeof text, "%lld, continuing one run: every figure covers them all,"
	                            " the trade log sha256 the last one", (long long)n);
	fact(r->f, "starts", text);
}

static void facts(struct report *r)
{
	sqlite3_stmt *st = rp_db_query(r, "SELECT mode, hunter_version, schema_version, seed,"
	                               " settings_sha256, trade_log_sha256, events, first_ms, last_ms,"
	                               " settings_json FROM run");
	interrupted_note(r);
	if (!rp_db_row(r, st)) {
		sqlite3_finalize(st);
		return;
	}
	FILE *f = r->f;
	char a[FMT_MAX], b[FMT_MAX], c[FMT_MAX], span[3 * FMT_MAX + 16];
	rp_html_printf(f, "<h1>hunter report: ");
	rp_html_escape(f, rp_db_text(st, 0));
	fputs(" run</h1>\n<table class=\"facts\">\n", f);
	fact(f, "mode", rp_db_text(st, 0));
	fact(f, "hunter version", rp_db_text(st, 1));
	fact(f, "schema version", rp_db_text(st, 2));
	fact(f, "seed", rp_db_text(st, 3));
	fact(f, "settings sha256", rp_db_text(st, 4));
	fact(f, "trade log sha256", rp_db_text(st, 5));
	fact(f, "events processed", rp_db_text(st, 6));
	snprintf(span, sizeof span, "%s to %s UTC (%s)", rp_fmt_time(a, sqlite3_column_int64(st, 7)),
		 rp_fmt_time(b, sqlite3_column_int64(st, 8)),
		 rp_fmt_dur(c, sqlite3_column_int64(st, 8) - sqlite3_column_int64(st, 7)));
	fact(f, "exchange time", span);
	arrival_fact(r);
	starts_fact(r);
	fputs("</table>\n<details><summary>effective settings (every default filled in)</summary>"
	      "<pre>", f);
	rp_html_escape(f, rp_db_text(st, 9));
	fputs("</pre></details>\n", f);
	sqlite3_finalize(st);
}

/* The simulated exchange's parameters, on one line: they qualify every
 * figure of the page but are read once. */
static void model(struct report *r)
{
	FILE *f = r->f;
	const char *text = NULL;
	sqlite3_stmt *st = NULL;
	if (rp_db_int(r, "SELECT model_json IS NULL FROM run"))
		text = "none: the live exchange";
	else if (!rp_db_int(r, "SELECT json_valid(model_json) FROM run"))
		text = "unknown: run.model_json is not valid JSON";
	else {
		st = rp_db_query(r, "SELECT group_concat(key || ' ' || value, ', ') FROM"
		                 " json_each((SELECT model_json FROM run))");
		if (rp_db_row(r, st))
			text = rp_db_text(st, 0);
	}
	fputs("<table class=\"facts\">\n", f);
	fact(f, "simulated exchange", text ? text : "");
	if (text && strcmp(text, "none: the live exchange"))
		fact(f, "assumed where the data is silent",
		     "MARK_PRICE stops watch the last trade when no mark price is fresher than"
		     " max_quote_age_sec (and CONTRACT_PRICE stops the mark when no trade is); a"
		     " quote older than that prices no taker fill; taker quantity beyond the"
		     " liquidity seen fills in slices impact_ticks worse each (docs/simulation.md;"
		     " how much each symbol relied on it is under Data quality)");
	fputs("</table>\n", f);
	sqlite3_finalize(st);
}

void rp_page_header(struct report *r)
{
	rp_html_printf(r->f, "<section id=\"run\">\n");
	facts(r);
	static const struct col rec[] = {
		{"#", COL_INT}, {"path", COL_TEXT}, {"bytes", COL_INT}, {"sha256", COL_TEXT},
		{"events", COL_INT}, {"first event (UTC)", COL_TIME}, {"last event (UTC)", COL_TIME},
		{"span", COL_DUR},
	};
	rp_table_sql(r, "Recordings",
		     "SELECT seq, path, bytes, sha256, events, first_ms, last_ms, last_ms - first_ms"
		     " FROM recordings ORDER BY seq", rec, 8, false);
	model(r);
	fputs("</section>\n", r->f);
}
