/*
 * test_ccxt.c - an independent client trades on `hunter serve`: ccxt's
 * Aster class, unpatched, signs V3 requests with its own EIP-712 code
 * (ccxt_trade.mjs), and the server must answer its whole flow: load the
 * markets, the balance, a limit order placed, listed and cancelled, a
 * market order filled against the replayed book, the position and the
 * fill. ccxt comes from $HUNTER_CCXT_DIR (scripts/install-ccxt); without
 * it the test skips, under CI=true it fails, as tests/sign_ccxt does.
 */
#include <sys/wait.h>

#include "serve_e2e/ws_client.h"
#include "signed.h"

#define BTC HUNTER_SOURCE_DIR "/fixtures/btcusdt-2024-08-08.hrec.gz"

#define SCRIPT HUNTER_SOURCE_DIR "/tests/serve_trading/ccxt_trade.mjs"

/* The scratch folder is made once ccxt is found: a skipped test does not
 * run its suite's fini, so a folder made before would be left behind. */
static char dir[128];

static void remove_scratch(void)
{
	if (dir[0])
		test_dir_remove(dir);
}

TestSuite(ccxt, .fini = remove_scratch);

static void need_ccxt(void)
{
	const char *d = getenv("HUNTER_CCXT_DIR");
	char probe[4096];
	snprintf(probe, sizeof probe, "%s/node_modules/ccxt/package.json", d ? d : "");
	if (d && *d && access(probe, R_OK) == 0)
		return;
	const char *ci = getenv("CI");
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("ccxt not found through HUNTER_CCXT_DIR (required under CI=true)");
	cr_skip_test("ccxt not installed: run `export HUNTER_CCXT_DIR=$(scripts/install-ccxt)` "
	             "(needs node and npm) to trade on hunter serve with it; test skipped");
}

/* Each line the script prints, in order; %s where the line goes on with
 * something the test does not fix (an order id). */
static const char *const steps[] = {
	"markets 1 swap", "balance 10000", "placed %s", "open 1", "canceled canceled",
	"market closed 0.01", "position 0.01 long", "trades 1 buy 0.01",
};

static void expect_steps(const char *out)
{
	const char *p = out;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const char *pct = strstr(steps[i], "%s");
		size_t fixed = pct ? (size_t)(pct - steps[i]) : strlen(steps[i]);
		cr_assert(!strncmp(p, steps[i], fixed), "step %zu: want \"%s\" at:\n%s", i, steps[i], p);
		const char *nl = strchr(p, '\n');
		cr_assert(pct || (nl && (size_t)(nl - p) == fixed), "step %zu: want \"%s\" at:\n%s", i,
		          steps[i], p);
		cr_assert_not_null(nl, "output ends before step %zu:\n%s", i, out);
		p = nl + 1;
	}
	cr_assert_eq(*p, '\0', "more than expected:\n%s", p);
}

Test(ccxt, trades_through_its_whole_flow, .timeout = 120)
{
	need_ccxt();
	snprintf(dir, sizeof dir, "/tmp/hunter-serve-ccxt-XXXXXX");
	test_dir_make(dir);
	struct served s;
	serve_start(&s, dir, "--port 0 " BTC); /* a fresh account for ccxt's signer */
	struct wsc w; /* the replay starts with a subscription: a book to buy from */
	cr_assert(wsc_open(&w, s.port, "/ws/btcusdt@bookTicker"));
	cr_assert(wsc_wait(&w, 1, 5000), "no bookTicker");
	char cmd[1024], out[4096] = "";
	snprintf(cmd, sizeof cmd, "node '%s' %d %s %s %s 2>&1", SCRIPT, s.port, V3_KEY, V3_USER,
	         V3_SIGNER);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed:\n%s", cmd, out);
	expect_steps(out);
	wsc_free(&w);
	int rc = serve_stop(&s);
	cr_assert(rc == 130 || rc == 0, "exit %d", rc);
}
