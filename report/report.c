/*
 * report.c - report_write: opens the run database, creates the folder and
 * writes index.html section by section (the order of the page is the order
 * of the calls below). Charts are drawn first so that the page can show
 * exactly the files gnuplot produced.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "report_int.h"

static const char css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1280px;padding:0 18px 40px;"
	"color:#1d2330;background:#fff}"
	"h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;border-bottom:2px solid #d8dde6;"
	"padding-bottom:3px;margin-top:30px}h3{font-size:15px;margin:16px 0 6px}"
	"table{border-collapse:collapse;font-size:12.5px}"
	"th,td{padding:2px 8px;border-bottom:1px solid #e6e9ef;text-align:left;white-space:nowrap}"
	"th{background:#f2f4f8;position:sticky;top:0}td.n{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	".scroll{display:inline-block;max-width:100%;max-height:520px;overflow:auto;"
	"border:1px solid #e6e9ef;margin:4px 0 10px}"
	".facts td{white-space:normal;overflow-wrap:anywhere}.facts td:first-child{color:#5a6475;"
	"white-space:nowrap}"
	".figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:8px}"
	".fig{border:1px solid #e1e5ec;border-radius:6px;padding:6px 10px}"
	".fig .k{color:#5a6475;font-size:12px}.fig .v{font-size:17px;font-weight:600}"
	".pos{color:#14773a}.neg{color:#b3261e}"
	".note{color:#6b5500;background:#fff8e1;border-left:3px solid #e0b000;padding:4px 10px}"
	"details{margin:6px 0}summary{cursor:pointer;font-weight:600}"
	"pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;font-size:12px}"
	"img{max-width:100%;height:auto;display:block;margin:6px 0 14px}"
	"nav a{margin-right:12px}code{font-size:12px}";

void rp_page_head(struct report *r)
{
	rp_page_start(r, "<a href=\"#run\">Run</a><a href=\"#summary\">Summary</a>"
	                 "<a href=\"#charts\">Charts</a><a href=\"#trades\">Trades</a>"
	                 "<a href=\"#study\">Event study</a><a href=\"#quality\">Data quality</a>");
}

void rp_page_start(struct report *r, const char *nav)
{
	FILE *f = r->f;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n", f);
	if (r->o->refresh_seconds > 0)
		rp_html_printf(f, "<meta http-equiv=\"refresh\" content=\"%d\"/>\n",
		               r->o->refresh_seconds);
	rp_html_printf(f, "<title>hunter report</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	rp_html_printf(f, "<nav>%s</nav>\n", nav);
}

void rp_page_foot(struct report *r)
{
	rp_html_printf(r->f, "<p class=\"note\">Written by hunter %s from the run database alone;"
	                  " docs/report.md explains every figure.</p>\n</body>\n</html>\n",
	            HUNTER_VERSION);
}

static int make_dir(struct report *r, const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
		struct stat sb;
		if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
			return 0;
		rp_report_fail(r, "%s: exists and is not a folder", dir);
		return -1;
	}
	rp_report_fail(r, "%s: cannot create the folder: %s", dir, strerror(errno));
	return -1;
}

static void write_page(struct report *r)
{
	if (r->sweep) {
		rp_page_sweep(r);
		return;
	}
	r->first_ms = rp_db_int(r, "SELECT coalesce(first_ms, 0) FROM run");
	r->last_ms = rp_db_int(r, "SELECT coalesce(last_ms, 0) FROM run");
	rp_page_head(r);
	rp_page_header(r);
	rp_page_summary(r);
	rp_page_charts(r);
	rp_page_trades(r);
	rp_page_study(r);
	rp_page_quality(r);
	rp_page_foot(r);
}

int report_write(const char *db_path, const char *dir, const struct report_opts *o,
                 struct report_result *res, char *err, size_t errlen)
{
	static const struct report_opts none;
	struct report r = {.dir = dir, .o = o ? o : &none, .err = err, .errlen = errlen};
	err[0] = '\0';
	memset(res, 0, sizeof *res);
	if (snprintf(res->index_path, sizeof res->index_path, "%s/index.html", dir) >=
	    (int)sizeof res->index_path) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	const char *slash = strrchr(db_path, '/');
	snprintf(r.db_dir, sizeof r.db_dir, "%.*s", slash ? (int)(slash - db_path) : 1,
	         slash ? db_path : ".");
	if (rp_db_open(&r, db_path) || make_dir(&r, dir))
		goto done;
	r.f = fopen(res->index_path, "w");
	if (!r.f) {
		rp_report_fail(&r, "%s: %s", res->index_path, strerror(errno));
		goto done;
	}
	write_page(&r);
	if (ferror(r.f))
		rp_report_fail(&r, "%s: write error", res->index_path);
	if (fclose(r.f) && !err[0])
		rp_report_fail(&r, "%s: %s", res->index_path, strerror(errno));
	res->charts = r.charts;
done:
	sqlite3_close(r.db);
	return err[0] ? -1 : 0;
}
