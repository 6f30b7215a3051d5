/*
 * support.h - what the test folders share: reading a whole file and a
 * scratch folder per suite, removed with its contents afterwards (without
 * a shell, so odd names cannot matter). A failure ends the test naming the
 * path.
 */
#ifndef HUNTER_TEST_SUPPORT_H
#define HUNTER_TEST_SUPPORT_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Tests that read the shared real data (HUNTER_REAL_DATA, ../shared beside
 * the project) call this first: where the folder is absent they are skipped
 * with a message saying so, so that a clone anywhere passes; under CI=true
 * its absence is a failure, because CI always has it. */
static inline void test_need_real_data(void)
{
	if (access(HUNTER_REAL_DATA "/SOURCES.md", R_OK) == 0)
		return;
	const char *ci = getenv("CI");
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("shared real data missing at %s (required under CI=true)",
		               HUNTER_REAL_DATA);
	cr_skip_test("shared real data absent (%s): test skipped", HUNTER_REAL_DATA);
}

/* The whole file, NUL-terminated, or NULL when it cannot be opened. */
static inline char *test_try_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	cr_assert_geq(n, 0, "cannot size %s", path);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "cannot read %s", path);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static inline char *test_read_file(const char *path, size_t *len)
{
	char *buf = test_try_read_file(path, len);
	cr_assert_not_null(buf, "cannot open %s", path);
	return buf;
}

/* Writes `text` as the whole file at `path`. */
static inline void test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_geq(fputs(text, f), 0, "cannot write %s", path);
	cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}

/* Makes the folder named by a mkdtemp template ("...XXXXXX"), in place. */
static inline void test_dir_make(char *tmpl)
{
	cr_assert_not_null(mkdtemp(tmpl), "cannot make %s", tmpl);
}

/* Removes `path` and, if it is a folder, everything in it; links are
 * removed, never followed. */
static inline void test_dir_remove(const char *path)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "cannot stat %s", path);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		cr_assert_not_null(d, "cannot open %s", path);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			test_dir_remove(sub);
		}
		closedir(d);
	}
	cr_assert_eq(remove(path), 0, "cannot remove %s", path);
}

/* A scratch folder for each test of a suite, named in `dir`: made before
 * the test, removed with its contents after it. */
#define TEST_SCRATCH_SUITE(suite, dir, stem)                                \
	static char dir[128];                                               \
	static void suite##_scratch_make(void)                              \
	{                                                                   \
		snprintf(dir, sizeof dir, "/tmp/" stem "-XXXXXX");          \
		test_dir_make(dir);                                         \
	}                                                                   \
	static void suite##_scratch_remove(void) { test_dir_remove(dir); } \
	TestSuite(suite, .init = suite##_scratch_make, .fini = suite##_scratch_remove)

#endif
