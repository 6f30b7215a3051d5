/*
 * Unit tests for a live run's write-ahead log (journal/ahead.c): a record
 * survives a kill -9 that comes before any commit, a restart applies each
 * logged record exactly once (also when a commit held some of them), an
 * entry cut short is not applied, another build's log is refused, and a
 * clean end removes the file. The kills are real: a child process writes
 * and SIGKILLs itself.
 */
#define _GNU_SOURCE /* memmem */
#include <signal.h>
#include <sys/wait.h>

#include "journal_test.h"

TestSuite(ahead, .init = setup, .fini = teardown);

static void order(const char *id)
{
	struct journal_rec r = {.kind = J_ORDER, .ms = 1000, .symbol = "BTCUSDT"};
	struct j_order *o = &r.u.order;
	o->req = (order_req){.symbol = "BTCUSDT", .side = SIDE_BUY, .pos_side = PS_BOTH,
	                     .type = OT_LIMIT, .tif = TIF_GTC, .price = DEC(100), .qty = DEC(1)};
	snprintf(o->req.client_id, sizeof o->req.client_id, "%s", id);
	o->role = ROLE_ENTRY;
	o->state = JO_PLACED;
	o->reason = "fired by a test";
	journal_record(J, &r);
}

/* Runs `work` in a child on a new live run, which then dies by SIGKILL. */
static void killed_after(void (*work)(void))
{
	journal_close(J);
	J = NULL;
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		J = open_run("live", false, false);
		journal_commit(J); /* as hunter live does at once */
		work();
		kill(getpid(), SIGKILL);
		_exit(3);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child must die killed");
}

static void resumed(void)
{
	J = open_run("live", false, true);
	cr_assert_eq(journal_commit(J), 0, "%s", journal_error(J));
}

static void two_orders(void)
{
	order("ord-A");
	order("ord-B");
}

Test(ahead, an_order_logged_before_any_commit_survives_a_kill)
{
	killed_after(two_orders);
	resumed();
	cr_assert_str_eq(q("SELECT group_concat(client_id || ':' || reason, ' ') FROM orders"),
	                 "ord-A:fired by a test ord-B:fired by a test");
}

/* 3000 rows wait in the transaction, then a row after 2000 logged orders
 * applies them: the transaction grows past its batch (4096 rows) and
 * commits at the next row, leaving the log's file as it was. */
static void commit_half_way(void)
{
	for (int i = 0; i < 3000; i++)
		equity(i, "10000", "0");
	char id[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "ord-%d", i);
		order(id);
	}
	equity(5000, "10000", "0");
	equity(5001, "10000", "0");
}

Test(ahead, each_record_is_applied_once)
{
	killed_after(commit_half_way);
	resumed();
	cr_assert_str_eq(q("SELECT count(*) || ' ' || count(DISTINCT client_id) FROM orders"),
	                 "2000 2000");
	cr_assert_str_eq(q("SELECT min(id) || ' ' || max(id) FROM orders"), "1 2000",
	                 "the rows keep the order the records were made in");
}

/* More records than the log holds (1 MiB) without a commit: the full log
 * goes to SQLite the slow way and starts over. */
static void more_than_the_log_holds(void)
{
	char id[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "ord-%d", i);
		order(id);
	}
}

Test(ahead, a_full_log_is_committed_and_starts_over)
{
	killed_after(more_than_the_log_holds);
	resumed();
	cr_assert_str_eq(q("SELECT count(*) || ' ' || count(DISTINCT client_id) FROM orders"),
	                 "10000 10000");
	cr_assert_str_eq(q("SELECT client_id FROM orders ORDER BY id DESC LIMIT 1"), "ord-9999");
}

static void committed_then_more(void)
{
	order("ord-A");
	journal_commit(J);
	order("ord-B");
}

Test(ahead, a_committed_record_is_not_applied_again)
{
	killed_after(committed_then_more);
	resumed();
	cr_assert_str_eq(q("SELECT group_concat(client_id, ' ') FROM orders"), "ord-A ord-B");
	order("ord-C");
	finish(0, 0);
	cr_assert_str_eq(q("SELECT group_concat(client_id, ' ') FROM orders"), "ord-A ord-B ord-C");
}

/* The bytes of the log file, or NULL when it is absent. */
static unsigned char *read_log(size_t *len)
{
	char p[96];
	snprintf(p, sizeof p, "%s-pending", db_path);
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	unsigned char *b = malloc(1u << 21);
	*len = fread(b, 1, 1u << 21, f);
	fclose(f);
	return b;
}

static void write_log(const unsigned char *b, size_t len)
{
	char p[96];
	snprintf(p, sizeof p, "%s-pending", db_path);
	FILE *f = fopen(p, "r+b");
	cr_assert(f);
	cr_assert_eq(fwrite(b, 1, len, f), len);
	fclose(f);
}

Test(ahead, an_entry_cut_short_is_not_applied)
{
	killed_after(two_orders);
	size_t len;
	unsigned char *b = read_log(&len);
	cr_assert(b, "a killed run leaves its log");
	unsigned char *hit = memmem(b, len, "ord-B", 5);
	cr_assert(hit);
	hit[4] = 'X'; /* as if the kill came while the entry was written */
	write_log(b, len);
	free(b);
	resumed();
	cr_assert_str_eq(q("SELECT group_concat(client_id, ' ') FROM orders"), "ord-A");
}

Test(ahead, another_versions_log_is_refused)
{
	killed_after(two_orders);
	size_t len;
	unsigned char *b = read_log(&len);
	cr_assert(b);
	b[8] ^= 0x7f; /* the layout's version */
	write_log(b, len);
	free(b);
	struct journal_run run = {"live", settings_text, 2, NULL, 42, false, 0, true};
	char err[256] = "";
	cr_assert_null(journal_create(db_path, &run, err, sizeof err));
	cr_assert(strstr(err, "another version of hunter"), "%s", err);
}

Test(ahead, a_clean_end_removes_the_log)
{
	journal_close(J);
	J = open_run("live", false, false);
	order("ord-A");
	size_t len;
	unsigned char *b = read_log(&len);
	cr_assert(b, "a live run keeps a log");
	free(b);
	finish(0, 0);
	cr_assert_null(read_log(&len), "nothing is left to apply after a clean end");
	cr_assert_str_eq(q("SELECT seq FROM journal_ahead"), "1");
}
