/*
 * `hunter report SWEEP.db`: a walk-forward sweep with kept runs over the
 * bundled synthetic fixture gives a page with every ranking, the
 * sensitivity table, the heatmap and the overlaid equity curves, and the
 * folds; the best combination by net PnL heads its ranking.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "db.h"
#include "support.h"

TEST_SCRATCH_SUITE(sweep_report, dir, "hunter-sweep-report");

static int run(const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", dir, HUNTER_BIN, args);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool exists(const char *name)
{
	char path[300];
	struct stat sb;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &sb) == 0 && sb.st_size > 0;
}

Test(sweep_report, a_walk_forward_sweep_gets_its_own_page)
{
	char grid[300];
	snprintf(grid, sizeof grid, "%s/grid.json", dir);
	FILE *f = fopen(grid, "w");
	cr_assert_not_null(f);
	fputs("{\"symbols.BTCUSDT.volume_threshold_long\": [10000, 20000],"
	      " \"symbols.*.take_profit_pct\": [0.3, 0.6]}", f);
	fclose(f);
	cr_assert_eq(run("sweep --settings " HUNTER_SOURCE_DIR "/fixtures/settings/synth.json"
	                 " --grid grid.json --out s --keep-runs --train 4m --test 2m "
	                 HUNTER_SOURCE_DIR "/fixtures/synth.hrec.gz"), 0);
	cr_assert_eq(run("report s/sweep.db --out s/report"), 0);
	char page[300];
	snprintf(page, sizeof page, "%s/s/report/index.html", dir);
	char *html = test_read_file(page, NULL);
	const char *parts[] = {"hunter report: sweep", "Best by net PnL", "Best by profit factor",
	                       "Smallest drawdown", "Most round trips", "Sensitivity",
	                       "Walk-forward", "symbols.*.take_profit_pct", "</html>"};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		cr_assert(strstr(html, parts[i]), "the page lacks \"%s\"", parts[i]);
	cr_assert(!strstr(html, "<script"), "a script in the page");
	/* the net PnL ranking starts with the best combination */
	char db[300], want[] = "<tr><td class=\"n\">";
	snprintf(db, sizeof db, "%s/s/sweep.db", dir);
	int64_t best = test_db_int(db, "SELECT combo FROM results WHERE rc = 0"
	                               " ORDER BY net_pnl_e8 DESC, combo LIMIT 1");
	const char *ranking = strstr(html, "Best by net PnL");
	const char *row = ranking ? strstr(ranking, want) : NULL;
	long long first = -1;
	cr_assert(row && sscanf(row + strlen(want), "%lld", &first) == 1);
	cr_assert_eq(first, best, "the ranking starts with %lld, not %lld", first, (long long)best);
	if (system("gnuplot --version >/dev/null 2>&1") == 0) {
		cr_assert(exists("s/report/heatmap.svg"));
		cr_assert(exists("s/report/curves.svg"), "the kept runs' equity is not drawn");
	}
	free(html);
}
