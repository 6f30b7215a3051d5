/*
 * cmd_sweep.c - `hunter sweep`: a grid of settings backtested in one pass
 * over the recordings (sweep module), and `hunter sweep merge` for the
 * databases of a sweep split into shards.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sweep.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hunter sweep --settings BASE.json --grid GRID.json [options] RECORDING...\n"
	        "       hunter sweep merge OUT.db SHARD.db...\n"
	        "\n"
	        "Backtests every combination of the grid's values over the recordings, read\n"
	        "once, and writes one row per combination to DIR/sweep.db. Each combination's\n"
	        "result is the one `hunter backtest` gives for its settings. The grid is a JSON\n"
	        "object from settings key paths to values:\n"
	        "  {\"symbols.BTCUSDT.volume_threshold_long\": [20000, 50000],\n"
	        "   \"symbols.*.take_profit_pct\": {\"from\": 0.3, \"to\": 1.5, \"step\": 0.3}}\n"
	        "\n"
	        "  --settings FILE       the base settings.json (required)\n"
	        "  --grid FILE           the grid (required)\n"
	        "  --out DIR             where sweep.db goes (default sweep)\n"
	        "  -j N                  threads; each reads the recordings once for its share\n"
	        "  --sample K            run K combinations drawn at random\n"
	        "  --seed S              seed of that draw (default 1)\n"
	        "  --shard I/N           run shard I of N (1-based); default from\n"
	        "                        SLURM_ARRAY_TASK_ID/_MIN/_COUNT or, with --shards N,\n"
	        "                        JOB_COMPLETION_INDEX (Kubernetes Indexed Job)\n"
	        "  --shards N            shard count when the index comes from the environment\n"
	        "  --keep-runs           keep each combination's run database (DIR/runs/<n>/)\n"
	        "  --train DUR --test DUR  walk-forward: each fold picks the best combination on\n"
	        "                        a training window (e.g. 1d) and shows its result on\n"
	        "                        the test window after it (e.g. 6h)\n"
	        "  --objective NAME      net_pnl (default), profit_factor or drawdown_adjusted\n"
	        "  --min-trips N         a combination needs N closed round trips to be chosen\n"
	        "  --exchange-info FILE  trading rules for recordings that carry none\n"
	        "  --help                this text\n"
	        "\n"
	        "Exit codes: 0 done, 1 an input is missing or corrupt, 2 bad options, grid or\n"
	        "settings (nothing was run), 130 interrupted.\n");
}

static int parse_u64(const char *what, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || *end || s[0] == '-') {
		fprintf(stderr, "hunter sweep: %s: expected an unsigned integer, got '%s'\n", what, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_shard(const char *s, struct sweep_opts *o)
{
	unsigned i, n;
	char tail;
	if (sscanf(s, "%u/%u%c", &i, &n, &tail) != 2 || n == 0 || i < 1 || i > n) {
		fprintf(stderr, "hunter sweep: --shard: expected I/N with 1 <= I <= N, got '%s'\n", s);
		return -1;
	}
	o->shard = i;
	o->nshards = n;
	return 0;
}

/* The shard a batch system gave this process, when no --shard says. */
static int shard_from_env(struct sweep_opts *o, uint64_t shards)
{
	const char *id = getenv("SLURM_ARRAY_TASK_ID"), *cnt = getenv("SLURM_ARRAY_TASK_COUNT");
	const char *min = getenv("SLURM_ARRAY_TASK_MIN"), *k8s = getenv("JOB_COMPLETION_INDEX");
	uint64_t i, n, lo = 0;
	if (id && cnt) {
		if (parse_u64("SLURM_ARRAY_TASK_ID", id, &i) ||
		    parse_u64("SLURM_ARRAY_TASK_COUNT", cnt, &n) ||
		    (min && parse_u64("SLURM_ARRAY_TASK_MIN", min, &lo)))
			return -1;
		i -= lo;
	} else if (k8s) {
		if (parse_u64("JOB_COMPLETION_INDEX", k8s, &i))
			return -1;
		if (!shards) {
			fprintf(stderr, "hunter sweep: JOB_COMPLETION_INDEX is set: give the Job's"
			                " completions as --shards N\n");
			return -1;
		}
		n = shards;
	} else {
		return 0;
	}
	if (n == 0 || i >= n) {
		fprintf(stderr, "hunter sweep: shard index %llu out of %llu\n", (unsigned long long)i,
		        (unsigned long long)n);
		return -1;
	}
	o->shard = (uint32_t)i + 1;
	o->nshards = (uint32_t)n;
	return 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t events)
{
	(void)done;
	(void)total;
	progress_update(ctx, events);
}

static int merge(int argc, char **argv)
{
	if (argc < 3 || !strcmp(argv[1], "--help")) {
		usage(argc < 3 ? stderr : stdout);
		return argc < 3 ? EXIT_USAGE : EXIT_OK;
	}
	int rc = sweep_merge(argv[1], (const char *const *)argv + 2, (size_t)(argc - 2), stderr);
	if (rc == SWEEP_OK)
		printf("wrote %s from %d shards\n", argv[1], argc - 2);
	return rc == SWEEP_OK ? EXIT_OK : EXIT_FAIL;
}

int cmd_sweep(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "merge"))
		return merge(argc - 1, argv + 1);
	static const struct option longopts[] = {
		{"settings", required_argument, NULL, 's'}, {"grid", required_argument, NULL, 'g'},
		{"out", required_argument, NULL, 'o'},      {"sample", required_argument, NULL, 'k'},
		{"seed", required_argument, NULL, 'S'},     {"shard", required_argument, NULL, 'i'},
		{"shards", required_argument, NULL, 'n'},   {"keep-runs", no_argument, NULL, 'K'},
		{"exchange-info", required_argument, NULL, 'x'},
		{"train", required_argument, NULL, 'r'},    {"test", required_argument, NULL, 't'},
		{"objective", required_argument, NULL, 'b'},
		{"min-trips", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	struct sweep_opts o = {.out_dir = "sweep", .threads = 1, .sample_seed = 1, .diag = stderr,
	                       .objective = "net_pnl"};
	uint64_t threads = 1, shards = 0;
	bool shard_given = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 's': o.settings_path = optarg; break;
		case 'g': o.grid_path = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'j': bad = parse_u64("-j", optarg, &threads) || threads == 0; break;
		case 'k': bad = parse_u64("--sample", optarg, &o.sample); break;
		case 'S': bad = parse_u64("--seed", optarg, &o.sample_seed); break;
		case 'i': bad = parse_shard(optarg, &o); shard_given = true; break;
		case 'n': bad = parse_u64("--shards", optarg, &shards); break;
		case 'K': o.keep_runs = true; break;
		case 'x': o.exchange_info_path = optarg; break;
		case 'r':
		case 't':
			bad = cli_parse_duration(optarg, c == 'r' ? &o.train_ms : &o.test_ms);
			if (bad)
				fprintf(stderr, "hunter sweep: --%s: expected a duration such as 6h or 1d,"
				                " got '%s'\n", c == 'r' ? "train" : "test", optarg);
			break;
		case 'b': o.objective = optarg; break;
		case 'm': bad = parse_u64("--min-trips", optarg, &o.min_round_trips); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
		if (bad)
			return EXIT_USAGE;
	}
	if (!o.settings_path || !o.grid_path || optind >= argc) {
		fprintf(stderr, "hunter sweep: %s\n",
		        !o.settings_path ? "--settings FILE is required"
		        : !o.grid_path   ? "--grid FILE is required"
		                         : "no recording given");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!shard_given) {
		o.shard = o.nshards = 1;
		if (shard_from_env(&o, shards))
			return EXIT_USAGE;
	}
	o.threads = (unsigned)threads;
	o.recordings = (const char *const *)argv + optind;
	o.nrecordings = (size_t)(argc - optind);
	o.stop = cli_stop_on_signals();
	progress_t pg;
	progress_start(&pg, "sweep events", 0);
	o.progress = on_progress;
	o.progress_ctx = &pg;
	int rc = sweep_run(&o);
	progress_end(&pg);
	if (rc == SWEEP_OK || rc == SWEEP_EINTR)
		printf("%s %s/sweep.db\n", rc == SWEEP_OK ? "wrote" : "interrupted; wrote", o.out_dir);
	return rc;
}
