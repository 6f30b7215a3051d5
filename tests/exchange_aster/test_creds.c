/*
 * Credentials from the environment and .env: the file's syntax, the
 * environment winning, the scheme chosen, a readable file warned about,
 * and no message that ever quotes a value.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exchange_aster.h"

#define SECRET "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"

static char path[] = "/tmp/hunter-creds-XXXXXX";

static void clean_env(void)
{
	const char *all[] = {"ASTER_API_KEY", "ASTER_API_SECRET", "API_KEY", "API_SECRET",
	                     "ASTER_USER", "ASTER_SIGNER", "ASTER_SIGNER_KEY"};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		unsetenv(all[i]);
}

static const char *env_file(const char *text, mode_t mode)
{
	strcpy(path, "/tmp/hunter-creds-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
	return path;
}

static void done(void)
{
	unlink(path);
	clean_env();
}

TestSuite(creds, .init = clean_env, .fini = done);

Test(creds, v1_from_a_private_file)
{
	struct xa_creds c;
	char warn[256], err[256];
	const char *p = env_file("# the account\nexport ASTER_API_KEY=\"abc\"\n\n"
	                         "ASTER_API_SECRET='" SECRET "'\nOTHER_TOOL=x\n", 0600);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), 0, "%s", err);
	cr_assert_eq(c.scheme, XA_AUTH_V1);
	cr_assert_str_eq(c.api_key, "abc");
	cr_assert_str_eq(c.api_secret, SECRET);
	cr_assert_str_empty(warn);
	xa_creds_clear(&c);
	cr_assert_str_empty(c.api_secret, "cleared");
}

Test(creds, the_old_bots_names_and_the_environment_winning)
{
	struct xa_creds c;
	char warn[256], err[256];
	const char *p = env_file("API_KEY=fromfile\nAPI_SECRET=s\n", 0600);
	setenv("ASTER_API_KEY", "fromenv", 1);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(c.api_key, "fromenv");
	cr_assert_str_eq(c.api_secret, "s");
}

Test(creds, a_file_others_can_read_is_warned_about)
{
	struct xa_creds c;
	char warn[256], err[256];
	const char *p = env_file("ASTER_API_KEY=k\nASTER_API_SECRET=" SECRET "\n", 0644);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), 0, "%s", err);
	cr_assert(strstr(warn, "chmod 600"), "%s", warn);
	cr_assert_null(strstr(warn, SECRET));
}

Test(creds, v3_in_part_names_what_is_missing_and_never_a_value)
{
	struct xa_creds c;
	char warn[256], err[256];
	const char *p = env_file("ASTER_SIGNER_KEY=" SECRET "\nASTER_USER=0xabc\n", 0600);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), -1);
	cr_assert(strstr(err, "ASTER_SIGNER missing"), "%s", err);
	cr_assert_null(strstr(err, SECRET));
	cr_assert_str_empty(c.signer_key, "nothing is kept after a failure");
}

Test(creds, malformed_lines_are_named_by_number)
{
	struct xa_creds c;
	char warn[256], err[256];
	const char *p = env_file("ASTER_API_KEY=k\nthis is not an assignment " SECRET "\n", 0600);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), -1);
	cr_assert(strstr(err, ":2:"), "%s", err);
	cr_assert_null(strstr(err, SECRET));
	p = env_file("ASTER_API_KEY=\"unclosed\n", 0600);
	cr_assert_eq(xa_creds_load(&c, p, warn, sizeof warn, err, sizeof err), -1);
}

Test(creds, none_is_fine_for_a_simulated_run)
{
	struct xa_creds c;
	char warn[256], err[256];
	cr_assert_eq(xa_creds_load(&c, "/nonexistent/.env", warn, sizeof warn, err, sizeof err), 0);
	cr_assert_eq(c.scheme, XA_AUTH_NONE);
}
