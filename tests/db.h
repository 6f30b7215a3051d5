/*
 * db.h - reading a test's SQLite files: one integer from a query, which is
 * how most tests check a run database. The test fails naming the query
 * when it does not prepare.
 */
#ifndef HUNTER_TEST_DB_H
#define HUNTER_TEST_DB_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* The first column of the first row as an integer; -1 when there is none. */
static inline int64_t test_db_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Every row of a query as text, "v1|v2|...|" a line (malloc'd): two runs
 * compared table by table compare these. */
static inline char *test_db_rows(const char *path, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++)
			fprintf(f, "%s|", (const char *)sqlite3_column_text(st, c));
		fputc('\n', f);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return text;
}

#endif
