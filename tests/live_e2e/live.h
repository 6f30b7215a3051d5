/*
 * live.h - `hunter live` as a process against `hunter serve` on loopback:
 * starting it with its output in files, signalling it, asking the served
 * account what it holds, and the checks every run must pass (no order
 * twice, nothing unprotected, no orphan, no secret in any output).
 */
#ifndef HUNTER_TEST_LIVE_E2E_H
#define HUNTER_TEST_LIVE_E2E_H

#include <stdarg.h>

#include "db.h"
#include "serve_trading/signed.h"

/* A secret long and odd enough that finding it anywhere means it leaked. */
#define LIVE_KEY "live-test-key-Q7w2"
#define LIVE_SECRET "live-test-secret-Zx9Kp4Lm2Vb8Nc"
#define LIQ_FIXTURE HUNTER_SOURCE_DIR "/fixtures/liq-2025-01-27.hrec.gz"
#define DEMO_SETTINGS HUNTER_SOURCE_DIR "/fixtures/settings/demo.json"

struct live_proc {
	pid_t pid;
	char out[256], err[256];
};

/* Starts `hunter live --settings S --out OUT --rest-url --ws-url EXTRA...`
 * with the test credentials in its environment unless `simulate`. */
static inline void live_spawn(struct live_proc *p, const char *dir, int port,
                              const char *settings, const char *out, const char *extra,
                              bool with_creds)
{
	static int count;
	char rest[64], ws[64], copy[512];
	snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
	snprintf(ws, sizeof ws, "ws://127.0.0.1:%d", port);
	snprintf(p->out, sizeof p->out, "%s/live-%d.out", dir, ++count);
	snprintf(p->err, sizeof p->err, "%s/live-%d.err", dir, count);
	char *argv[24] = {HUNTER_BIN, "live", "--settings", (char *)settings, "--out", (char *)out,
	                  "--rest-url", rest, "--ws-url", ws, "--status-interval", "1s"};
	int argc = 12;
	snprintf(copy, sizeof copy, "%s", extra);
	for (char *t = strtok(copy, " "); t && argc < 23; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	p->pid = fork();
	cr_assert_geq(p->pid, 0);
	if (p->pid == 0) {
		int o = open(p->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(p->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, 1);
		dup2(e, 2);
		unsetenv("ASTER_API_KEY");
		unsetenv("ASTER_API_SECRET");
		unsetenv("ASTER_USER");
		if (with_creds) {
			setenv("ASTER_API_KEY", LIVE_KEY, 1);
			setenv("ASTER_API_SECRET", LIVE_SECRET, 1);
		}
		if (chdir(dir) < 0)
			_exit(126);
		execv(HUNTER_BIN, argv);
		_exit(127);
	}
}

/* The demo settings with simulate_only as given, into dir, a tranche's
 * protection due within 10 s of real time: the engine counts in market
 * time, which the server plays `speed` times as fast. */
static inline const char *live_settings_at(const char *dir, bool simulate, int speed)
{
	static char path[256];
	size_t len;
	char *text = test_read_file(DEMO_SETTINGS, &len);
	char *at = strstr(text, "\"simulate_only\": true");
	cr_assert_not_null(at);
	if (!simulate)
		memcpy(at, "\"simulate_only\":false", strlen("\"simulate_only\":false"));
	char *timeout = strstr(text, "\"unprotected_close_seconds\":");
	char *rest = timeout ? strchr(timeout, ',') : NULL;
	cr_assert_not_null(rest);
	snprintf(path, sizeof path, "%s/settings-%d.json", dir, simulate);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%.*s\"unprotected_close_seconds\": %d%s", (int)(timeout - text), text,
	        10 * speed, rest);
	fclose(f);
	free(text);
	return path;
}

/* The same as played at the speed it happened. */
static inline const char *live_settings(const char *dir, bool simulate)
{
	return live_settings_at(dir, simulate, 1);
}

/* Whether the run has said `text` on stderr within 10 s. */
static inline bool live_said(const struct live_proc *p, const char *text)
{
	for (int i = 0; i < 100; i++, usleep(100000)) {
		char *err = test_try_read_file(p->err, NULL);
		bool found = err && strstr(err, text);
		free(err);
		if (found)
			return true;
	}
	return false;
}

/* A shell command's exit status; -1 when it did not exit. */
__attribute__((format(printf, 1, 2)))
static inline int live_tool(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Its exit status after `sig` (0: none sent), within 60 s (a stop cancels
 * the resting entries first, which a 429 storm slows down). */
static inline int live_end(struct live_proc *p, int sig)
{
	if (sig)
		kill(p->pid, sig);
	int st;
	for (int i = 0; i < 6000; i++) {
		if (waitpid(p->pid, &st, WNOHANG) == p->pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(10000);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &st, 0);
	return -1;
}

/* A serve with the test account (10,000 USDT) on the liquidation fixture. */
static inline void live_serve(struct served *s, const char *dir, const char *extra)
{
	char accounts[256], args[768];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", dir);
	test_write_file(accounts, "[{\"api_key\":\"" LIVE_KEY "\",\"api_secret\":\"" LIVE_SECRET
	                          "\",\"balance_usdt\":\"10000\"}]\n");
	snprintf(args, sizeof args, "--port 0 --accounts %s %s %s", accounts, extra, LIQ_FIXTURE);
	serve_start(s, dir, args);
}

/* A signed GET on the test account; its JSON. A server asked for faults
 * may refuse it (503, 429): it is asked again, for up to 30 s. */
static inline cJSON *live_ask(int port, const char *path, const char *params)
{
	struct http_answer a;
	for (int try = 0;; try++) {
		v1_call(port, "GET", path, params, LIVE_KEY, LIVE_SECRET, wall_ms(), &a);
		if (a.status == 200 || try == 30)
			break;
		free(a.body);
		usleep(1000000);
	}
	cr_assert_eq(a.status, 200, "%s %s: %s", path, params, a.body);
	cJSON *j = answer_json(&a);
	free(a.body);
	return j;
}

/* Every symbol the fixture trades in the demo settings. */
static const char *const live_symbols[] = {"BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT",
                                           "DOGEUSDT", "WIFUSDT"};

/* Orders of the account over the demo symbols, every one placed. */
static inline int live_orders(int port, cJSON **out)
{
	cJSON *all = cJSON_CreateArray();
	char params[64];
	for (size_t i = 0; i < sizeof live_symbols / sizeof *live_symbols; i++) {
		snprintf(params, sizeof params, "symbol=%s&limit=1000", live_symbols[i]);
		cJSON *j = live_ask(port, "/fapi/v1/allOrders", params), *o;
		cJSON_ArrayForEach(o, j)
			cJSON_AddItemToArray(all, cJSON_Duplicate(o, true));
		cJSON_Delete(j);
	}
	*out = all;
	return cJSON_GetArraySize(all);
}

/* No client order id twice among the account's orders. */
static inline void live_no_duplicate(const cJSON *orders)
{
	int n = cJSON_GetArraySize(orders);
	for (int i = 0; i < n; i++)
		for (int k = i + 1; k < n; k++)
			cr_assert_str_neq(json_str(cJSON_GetArrayItem(orders, i), "clientOrderId"),
			                  json_str(cJSON_GetArrayItem(orders, k), "clientOrderId"),
			                  "an order was placed twice: %s",
			                  cJSON_PrintUnformatted(cJSON_GetArrayItem(orders, k)));
}

static inline bool is_open_status(const char *st)
{
	return !strcmp(st, "NEW") || !strcmp(st, "PARTIALLY_FILLED");
}

/* Every open position has a stop-loss and a take-profit open, and every
 * open order of hunter's reduces a position or is an entry (no orphan). */
static inline void live_protected(int port, const cJSON *orders)
{
	cJSON *pos = live_ask(port, "/fapi/v2/positionRisk", ""), *p;
	cJSON_ArrayForEach(p, pos) {
		const char *sym = json_str(p, "symbol"), *ps = json_str(p, "positionSide");
		if (!strcmp(json_str(p, "positionAmt"), "0"))
			continue;
		int sl = 0, tp = 0;
		const cJSON *o;
		cJSON_ArrayForEach(o, orders) {
			if (strcmp(json_str(o, "symbol"), sym) || strcmp(json_str(o, "positionSide"), ps) ||
			    !is_open_status(json_str(o, "status")))
				continue;
			const char *t = json_str(o, "type");
			sl += !strcmp(t, "STOP_MARKET");
			tp += !strcmp(t, "TAKE_PROFIT_MARKET") || !strcmp(t, "LIMIT");
		}
		cr_assert(sl && tp, "%s %s position %s without its stop-loss and take-profit", sym, ps,
		          json_str(p, "positionAmt"));
	}
	cJSON_Delete(pos);
}

/* Whether `needle` occurs in the file (gzip files read decompressed too). */
static inline bool file_holds(const char *path, const char *needle)
{
	size_t len, n = strlen(needle);
	char *text = test_read_file(path, &len);
	bool found = false;
	for (size_t i = 0; !found && i + n <= len; i++)
		found = !memcmp(text + i, needle, n);
	free(text);
	if (!found && strstr(path, ".gz")) {
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "gzip -dc '%s' | grep -c -F '%s' >/dev/null", path, needle);
		found = system(cmd) == 0;
	}
	return found;
}

/* Every tranche the run opened was protected in time: a `protect` row
 * (take-profit and stop-loss accepted by the exchange, covering it) within
 * `limit_ms` of market time (the settings' unprotected_close_seconds) of
 * its `open`, unless it closed or merged sooner; and none was closed at
 * market for staying unprotected (no order of the `close` role). Not
 * judged: a tranche opened within that time of the run's last row, and
 * one whose process was killed before (a later start opened it again, by
 * adoption, and is judged on that). */
static inline void live_protected_in_time(const char *db, int64_t limit_ms)
{
	char sql[1536];
	snprintf(sql, sizeof sql,
	         "SELECT COUNT(*) FROM tranches r WHERE r.action = 'open'"
	         " AND r.ms + %lld <= (SELECT MAX(ms) FROM tranches) AND NOT EXISTS ("
	         "  SELECT 1 FROM tranches p WHERE p.symbol = r.symbol AND p.pos_side = r.pos_side"
	         "  AND p.tranche = r.tranche AND p.id > r.id"
	         "  AND ((p.action = 'protect' AND p.ms <= r.ms + %lld)"
	         "       OR (p.action IN ('close', 'merge') AND p.ms < r.ms + %lld)))"
	         " AND NOT EXISTS (SELECT 1 FROM equity e WHERE e.reason = 'start'"
	         "  AND e.id > (SELECT MIN(id) FROM equity) AND e.ms > r.ms AND NOT EXISTS ("
	         "   SELECT 1 FROM tranches q WHERE q.symbol = r.symbol AND q.pos_side = r.pos_side"
	         "   AND q.tranche = r.tranche AND q.id > r.id AND q.ms < e.ms))",
	         (long long)limit_ms, (long long)limit_ms, (long long)limit_ms);
	if (test_db_int(db, sql) != 0)
		cr_assert_fail("a tranche stayed unprotected longer than %lld ms:\n%s",
		               (long long)limit_ms,
		               test_db_rows(db, "SELECT ms, symbol, pos_side, tranche, action"
		                                " FROM tranches UNION ALL SELECT ms, 'start', '', 0, ''"
		                                " FROM equity WHERE reason = 'start' ORDER BY 1"));
	cr_assert_eq(test_db_int(db, "SELECT COUNT(*) FROM orders WHERE role = 'close'"), 0,
	             "a tranche was closed at market for staying unprotected");
	cr_assert_gt(test_db_int(db, "SELECT COUNT(*) FROM tranches WHERE action = 'protect'"), 0,
	             "no tranche was ever protected");
}

#endif
