/*
 * page.c - the dashboard's page: the live panel (the snapshot's account,
 * positions, tranches, orders and health, then the run database's PnL,
 * trades, liquidations and signals) rendered on the server, so the first
 * paint needs no script, and a small script that fetches /panel again
 * every refresh_s seconds and swaps it in. Without scripts the page
 * reloads itself instead. Nothing is loaded from anywhere else.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "dashboard_int.h"

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}"
	"h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.2em 0 .3em}"
	"table{border-collapse:collapse;background:#fff}"
	"th,td{border:1px solid #ddd;padding:.2em .6em;text-align:left}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#eee}"
	".empty,.note{color:#777}.error{color:#a00}#status{color:#a00}";

/* Refetches the panel; location.search carries a ?token= along. */
static const char script[] =
	"(function(){var p=document.getElementById('panel'),s=document.getElementById('status');"
	"function tick(){fetch('/panel'+location.search,{cache:'no-store'})"
	".then(function(r){if(!r.ok)throw new Error('HTTP '+r.status);return r.text();})"
	".then(function(t){p.innerHTML=t;s.textContent='';})"
	".catch(function(e){s.textContent='update failed: '+e.message;});}";

static void section(struct dtext *out, const struct dash_table *t, const char *empty)
{
	dash_printf(out, "<section id=\"s-%s\"><h2>", t->v->key);
	dash_html(out, t->v->title);
	dash_puts(out, "</h2>\n");
	dash_table_html(out, t, empty);
	dash_puts(out, "</section>\n");
}

static void heading(struct dtext *out, const cJSON *snap)
{
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(snap, "mode");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(snap, "updated_ms");
	char when[UTC_FMT_MAX];
	dash_puts(out, "<p id=\"updated\">Mode <b>");
	dash_html(out, cJSON_IsString(mode) ? mode->valuestring : "?");
	dash_puts(out, "</b>");
	if (cJSON_IsNumber(ms) && ms->valuedouble >= 0 && ms->valuedouble < (double)UTC_LAST_MS) {
		utc_format((int64_t)ms->valuedouble, when);
		dash_puts(out, ", updated ");
		dash_html(out, when);
	}
	dash_puts(out, "</p>\n");
}

static void live_part(struct dtext *out, const char *snapshot)
{
	static const struct {
		const struct dash_view *v;
		const char *empty;
	} parts[] = {
		{&dash_view_account, "No account figures."},
		{&dash_view_positions, "No open position."},
		{&dash_view_tranches, "No tranche."},
		{&dash_view_orders, "No open order."},
		{&dash_view_health, "No health figures."},
	};
	cJSON *snap = snapshot ? cJSON_Parse(snapshot) : NULL;
	if (!snap) {
		dash_puts(out, "<p class=\"note\">No snapshot from the live process yet.</p>\n");
		return;
	}
	heading(out, snap);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		struct dash_table t;
		dash_snapshot_table(snap, parts[i].v, &t);
		section(out, &t, parts[i].empty);
		dash_table_free(&t);
	}
	cJSON_Delete(snap);
}

static void run_part(struct dtext *out, const char *db_path)
{
	static const struct dash_view *const views[] = {
		&dash_view_pnl, &dash_view_trips, &dash_view_liquidations, &dash_view_signals,
	};
	enum { N = sizeof views / sizeof views[0] };
	struct dash_table t[N];
	char err[512];
	if (dash_rundb_read(db_path, views, t, N, err, sizeof err)) {
		dash_puts(out, "<p class=\"error\">");
		dash_html(out, err);
		dash_puts(out, "</p>\n");
		return;
	}
	for (size_t i = 0; i < N; i++) {
		section(out, &t[i], "None yet.");
		dash_table_free(&t[i]);
	}
}

static void panel(struct dashboard *d, struct dtext *out)
{
	char *snapshot = dash_snapshot_copy(d, NULL);
	live_part(out, snapshot);
	free(snapshot);
	run_part(out, d->db_path);
}

void dash_panel(struct dashboard *d, struct conn *c)
{
	panel(d, &c->reply);
	dash_reply(c, 200, "text/html; charset=utf-8");
}

void dash_page(struct dashboard *d, struct conn *c)
{
	struct dtext *out = &c->reply;
	dash_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
	               "<meta name=\"viewport\" content=\"width=device-width\"/>"
	               "<title>hunter live</title>");
	dash_printf(out, "<noscript><meta http-equiv=\"refresh\" content=\"%d\"/></noscript>",
	            d->refresh_s);
	dash_printf(out, "<style>%s</style></head>\n<body>\n<h1>hunter live</h1>"
	                 "<p id=\"status\"></p>\n<div id=\"panel\">\n", style);
	panel(d, out);
	dash_printf(out, "</div>\n<script>%s", script);
	dash_printf(out, "setInterval(tick,%d);})();</script>\n</body></html>\n",
	            d->refresh_s * 1000);
	dash_reply(c, 200, "text/html; charset=utf-8");
}
