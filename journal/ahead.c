/*
 * ahead.c - the write-ahead log of a live run's engine records: how an
 * order's intent is on disk before the order is sent without SQLite on
 * the path from a liquidation to the order.
 *
 * A live run must have every intent written before the exchange can act
 * on it (journal.h). A SQLite commit for that costs tens of microseconds
 * and a dozen system calls; copying the record into a file mapped in
 * memory costs none. The mapped pages belong to the kernel's page cache,
 * so they outlive a kill -9 of the process exactly as a committed WAL
 * frame does (neither outlives a power cut without an fsync, which a live
 * run does not pay for either way).
 *
 * The records go into SQLite, in the order they were made, before any
 * other row is written and at each commit; the log starts over once a
 * commit holds all of them. The database keeps the number of the last
 * record it holds (table journal_ahead), in the same transaction as the
 * rows, so a restart applies exactly the records it lacks, each once.
 *
 * The file, RUN.db-pending, is this build's memory layout: a 64-byte
 * header naming the layout, then entries, each 8-byte aligned:
 *   u32 len, u32 zero, u64 sum, u64 seq, i64 exchange_ms,
 *   struct journal_rec, the record's text (its reason or note), NUL
 * An entry counts when its sum matches and its seq follows the one before
 * it; the header is written last, so an entry cut short by a kill is
 * ignored (its order was never sent). A clean end removes the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_int.h"

#define AHEAD_SIZE (1u << 20) /* a few thousand records: many turns' worth */
#define AHEAD_START 64u
#define AHEAD_TEXT_MAX 1024u  /* longer reasons and notes are cut */
#define AHEAD_MAGIC "HUNTERWA"
#define AHEAD_VERSION 1u

struct ahead_header {
	char magic[8];
	uint32_t version, rec_size;
};

struct entry {
	uint32_t len, zero;
	uint64_t sum, seq;
	int64_t exchange_ms;
	struct journal_rec rec;
	char text[];
};

#define SUM_FROM offsetof(struct entry, seq) /* the sum covers the rest */

struct ahead {
	int fd;
	unsigned char *map;
	char path[1024];
	size_t head;          /* where the next entry goes */
	size_t applied;       /* entries before this are in SQLite */
	uint64_t next_seq;    /* the next entry's number */
	uint64_t applied_seq; /* the last one in SQLite */
	uint64_t marked_seq;  /* what the journal_ahead row says */
	sqlite3_stmt *mark;
	bool applying;
};

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 14695981039346656037ull;
	while (n--)
		h = (h ^ *b++) * 1099511628211ull;
	return h;
}

static const char **text_of(struct journal_rec *r)
{
	switch (r->kind) {
	case J_SIGNAL:
		return &r->u.signal.reason;
	case J_ORDER:
		return &r->u.order.reason;
	case J_NOTE:
		return &r->u.note;
	default:
		return NULL;
	}
}

/* The entry at `off` when it counts (see the top), else NULL. */
static const struct entry *entry_at(const struct ahead *a, size_t off, uint64_t want_seq)
{
	if (off + sizeof(struct entry) > AHEAD_SIZE)
		return NULL;
	const struct entry *e = (const struct entry *)(a->map + off);
	if (e->len < sizeof *e + 1 || e->len > AHEAD_SIZE - off || e->len % 8 ||
	    (want_seq && e->seq != want_seq) ||
	    e->sum != fnv1a((const char *)e + SUM_FROM, e->len - SUM_FROM) ||
	    !memchr(e->text, '\0', e->len - sizeof *e) ||
	    !memchr(e->rec.symbol, '\0', sizeof e->rec.symbol))
		return NULL;
	return e;
}

/* Writes one record's rows to SQLite: the log's way out. */
static void apply(journal_t *j, const struct entry *e)
{
	struct journal_rec r;
	memcpy(&r, &e->rec, sizeof r);
	const char **t = text_of(&r);
	if (t)
		*t = e->text;
	jn_record(j, &r, e->exchange_ms);
}

void jn_catch_up(journal_t *j)
{
	struct ahead *a = j->ahead;
	if (!a || a->applying)
		return;
	a->applying = true;
	while (a->applied < a->head && !j->err[0]) {
		const struct entry *e = (const struct entry *)(a->map + a->applied);
		apply(j, e);
		a->applied += e->len;
		a->applied_seq = e->seq;
	}
	a->applying = false;
}

bool jn_ahead_applying(const journal_t *j)
{
	return j->ahead && j->ahead->applying;
}

int jn_ahead_mark(journal_t *j)
{
	struct ahead *a = j->ahead;
	if (!a || a->applied_seq == a->marked_seq)
		return 0;
	sqlite3_bind_int64(a->mark, 1, (sqlite3_int64)a->applied_seq);
	int rc = sqlite3_step(a->mark);
	sqlite3_reset(a->mark);
	if (rc != SQLITE_DONE) {
		jn_fail(j, "journal_ahead");
		return -1;
	}
	a->marked_seq = a->applied_seq;
	return 0;
}

void jn_ahead_committed(journal_t *j)
{
	struct ahead *a = j->ahead;
	if (a && a->applied == a->head)
		a->head = a->applied = AHEAD_START;
}

bool jn_ahead_put(journal_t *j, const struct journal_rec *r, int64_t exchange_ms)
{
	struct ahead *a = j->ahead;
	if (!a || a->applying || j->err[0])
		return false;
	struct journal_rec copy = *r;
	const char **t = text_of(&copy), *text = t ? *t : NULL;
	if (t)
		*t = NULL;
	size_t tl = text ? strnlen(text, AHEAD_TEXT_MAX - 1) : 0;
	size_t len = (sizeof(struct entry) + tl + 1 + 7) & ~(size_t)7;
	if (a->head + len > AHEAD_SIZE && journal_commit(j) == 0 && a->head + len > AHEAD_SIZE)
		return false; /* cannot happen: the commit emptied the log */
	if (j->err[0])
		return false;
	struct entry *e = (struct entry *)(a->map + a->head);
	e->zero = 0;
	e->seq = a->next_seq;
	e->exchange_ms = exchange_ms;
	memcpy(&e->rec, &copy, sizeof copy);
	memcpy(e->text, text ? text : "", tl);
	memset(e->text + tl, 0, len - sizeof *e - tl);
	e->sum = fnv1a((const char *)e + SUM_FROM, len - SUM_FROM);
	/* the length last: a kill before it leaves no entry (a kill is a
	 * signal, so a signal fence orders the stores it can see) */
	__atomic_signal_fence(__ATOMIC_RELEASE);
	e->len = (uint32_t)len;
	a->head += len;
	a->next_seq++;
	return true;
}

/* ---- opening and recovery ------------------------------------------------ */

static int db_seq(journal_t *j, uint64_t *seq)
{
	if (jn_exec(j, "CREATE TABLE IF NOT EXISTS journal_ahead ("
	               " id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);"
	               " INSERT OR IGNORE INTO journal_ahead VALUES (1, 0);"))
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, "SELECT seq FROM journal_ahead WHERE id = 1", -1, &st,
	                       NULL) != SQLITE_OK) {
		jn_fail(j, "journal_ahead");
		return -1;
	}
	int rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		jn_fail(j, "journal_ahead");
		return -1;
	}
	return sqlite3_prepare_v3(j->db, "UPDATE journal_ahead SET seq = ? WHERE id = 1", -1,
	                          SQLITE_PREPARE_PERSISTENT, &j->ahead->mark, NULL) == SQLITE_OK
	               ? 0
	               : (jn_fail(j, "journal_ahead"), -1);
}

/* Finds the records a killed run left that the database lacks. */
static void recover(struct ahead *a, uint64_t have)
{
	uint64_t last = have;
	size_t off = AHEAD_START;
	a->applied = 0;
	for (const struct entry *e; (e = entry_at(a, off, off == AHEAD_START ? 0 : last + 1));
	     off += e->len) {
		if (e->seq > have && !a->applied)
			a->applied = off;
		last = e->seq;
	}
	a->head = off;
	if (!a->applied)
		a->applied = a->head;
	a->next_seq = (last > have ? last : have) + 1;
	a->applied_seq = a->marked_seq = have;
}

/* A header of another layout: fine when the file is new, else refused. */
static int check_header(journal_t *j, const struct ahead *a, bool resume)
{
	const struct ahead_header *h = (const struct ahead_header *)a->map;
	static const char zero[8];
	if (!resume || !memcmp(h->magic, zero, sizeof zero))
		return 0;
	if (!memcmp(h->magic, AHEAD_MAGIC, 8) && h->version == AHEAD_VERSION &&
	    h->rec_size == sizeof(struct journal_rec))
		return 0;
	snprintf(j->err, sizeof j->err,
	         "%.60s: records of a killed run, from another version of hunter: continue "
	         "the run with that version once, or move the file away to give them up",
	         a->path);
	return -1;
}

static int map_file(journal_t *j, struct ahead *a, bool resume)
{
	if (!resume)
		unlink(a->path);
	a->fd = open(a->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	struct stat st;
	if (a->fd < 0 || fstat(a->fd, &st) < 0) {
		snprintf(j->err, sizeof j->err, "run database: %.160s: %s", a->path, strerror(errno));
		return -1;
	}
	/* blocks allocated now, not at a first write during an order */
	int rc = st.st_size == AHEAD_SIZE ? 0 : posix_fallocate(a->fd, 0, AHEAD_SIZE);
	if (rc || (a->map = mmap(NULL, AHEAD_SIZE, PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_POPULATE, a->fd, 0)) == MAP_FAILED) {
		a->map = NULL;
		snprintf(j->err, sizeof j->err, "run database: %.160s: %s", a->path,
		         strerror(rc ? rc : errno));
		return -1;
	}
	if (check_header(j, a, resume))
		return -1;
	struct ahead_header h = {AHEAD_MAGIC, AHEAD_VERSION, sizeof(struct journal_rec)};
	memcpy(a->map, &h, sizeof h);
	return 0;
}

int jn_ahead_open(journal_t *j, const char *db_path, bool resume)
{
	struct ahead *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(j->err, sizeof j->err, "run database: out of memory");
		return -1;
	}
	a->fd = -1;
	j->ahead = a;
	if (snprintf(a->path, sizeof a->path, "%s-pending", db_path) >= (int)sizeof a->path) {
		snprintf(j->err, sizeof j->err, "run database: path too long");
		return -1;
	}
	uint64_t have;
	if (db_seq(j, &have) || map_file(j, a, resume))
		return -1;
	recover(a, have);
	return 0;
}

void jn_ahead_close(journal_t *j, bool finished)
{
	struct ahead *a = j->ahead;
	if (!a)
		return;
	sqlite3_finalize(a->mark);
	if (a->map)
		munmap(a->map, AHEAD_SIZE);
	if (a->fd >= 0)
		close(a->fd);
	if (finished)
		unlink(a->path);
	free(a);
	j->ahead = NULL;
}
