/*
 * creds.c - the account's credentials, from the environment and `.env`.
 *
 * A `.env` holds one NAME=VALUE a line (an `export ` before it, quotes
 * around the value, `#` comments and blank lines allowed), as the old bot's
 * and most tools' do. Only the names below are read; others are left alone,
 * since the same file often serves other programs. Values are never put in
 * a message, and the buffers they passed through are wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exchange_aster.h"

enum name { N_KEY, N_SECRET, N_USER, N_SIGNER, N_SIGNER_KEY, N__COUNT };

static const char *const names[N__COUNT] = {"ASTER_API_KEY", "ASTER_API_SECRET", "ASTER_USER",
                                            "ASTER_SIGNER", "ASTER_SIGNER_KEY"};
/* the old bot's spellings of the V1 pair */
static const char *const old_names[N__COUNT] = {"API_KEY", "API_SECRET", NULL, NULL, NULL};

static char *slot(struct xa_creds *c, enum name n)
{
	char *const slots[N__COUNT] = {c->api_key, c->api_secret, c->user, c->signer,
	                               c->signer_key};
	return slots[n];
}

static int name_of(const char *s, size_t n)
{
	for (int i = 0; i < N__COUNT; i++)
		if ((strlen(names[i]) == n && !memcmp(names[i], s, n)) ||
		    (old_names[i] && strlen(old_names[i]) == n && !memcmp(old_names[i], s, n)))
			return i;
	return -1;
}

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* NAME=VALUE, NAME="VALUE" or NAME='VALUE'; -1 when the line is none. */
static int parse_line(char *line, char **name, char **value)
{
	char *s = trim(line);
	if (!*s || *s == '#')
		return 1;
	if (!strncmp(s, "export ", 7))
		s = trim(s + 7);
	char *eq = strchr(s, '=');
	if (!eq || eq == s)
		return -1;
	*eq = '\0';
	*name = trim(s);
	char *v = trim(eq + 1);
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		v++;
	} else if (n && (v[0] == '"' || v[0] == '\'')) {
		return -1; /* an opening quote that is never closed */
	}
	*value = v;
	return 0;
}

static int take(struct xa_creds *c, const char *name, const char *value, bool over)
{
	int n = name_of(name, strlen(name));
	if (n < 0 || (!over && slot(c, n)[0]))
		return 0;
	if (strlen(value) >= XA_SECRET_MAX)
		return -1;
	strcpy(slot(c, n), value);
	return 0;
}

static void check_mode(const char *path, int fd_mode, char *warn, size_t wcap)
{
	if (fd_mode & 077)
		snprintf(warn, wcap, "%s can be read by other users (mode %04o): run chmod 600 %s",
		         path, fd_mode & 07777, path);
}

static int read_file(struct xa_creds *c, const char *path, char *warn, size_t wcap, char *err,
                     size_t ecap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	struct stat st;
	if (fstat(fileno(f), &st) == 0)
		check_mode(path, (int)st.st_mode, warn, wcap);
	char line[1024];
	int rc = 0;
	for (unsigned no = 1; !rc && fgets(line, sizeof line, f); no++) {
		char *name, *value;
		int p = parse_line(line, &name, &value);
		if (p < 0 || (p == 0 && take(c, name, value, false))) {
			snprintf(err, ecap, "%s:%u: expected NAME=VALUE (a value under %d bytes)", path,
			         no, XA_SECRET_MAX);
			rc = -1;
		}
	}
	wipe(line, sizeof line);
	fclose(f);
	return rc;
}

static int read_env(struct xa_creds *c, char *err, size_t ecap)
{
	for (int n = 0; n < N__COUNT; n++) {
		const char *v = getenv(names[n]);
		if (!v && old_names[n])
			v = getenv(old_names[n]);
		if (v && take(c, names[n], v, true)) {
			snprintf(err, ecap, "%s is longer than %d bytes", names[n], XA_SECRET_MAX - 1);
			return -1;
		}
	}
	return 0;
}

/* The names a scheme still lacks, for the message. */
static int missing(struct xa_creds *c, const enum name *need, size_t k, char *err, size_t ecap)
{
	char list[128] = "";
	for (size_t i = 0; i < k; i++)
		if (!slot(c, need[i])[0])
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			         list[0] ? ", " : "", names[need[i]]);
	if (!list[0])
		return 0;
	snprintf(err, ecap, "credentials given in part: %s missing", list);
	return -1;
}

static int choose(struct xa_creds *c, char *err, size_t ecap)
{
	static const enum name v3[] = {N_USER, N_SIGNER, N_SIGNER_KEY};
	static const enum name v1[] = {N_KEY, N_SECRET};
	if (c->signer_key[0] || c->user[0] || c->signer[0]) {
		c->scheme = XA_AUTH_V3;
		return missing(c, v3, 3, err, ecap);
	}
	if (c->api_key[0] || c->api_secret[0]) {
		c->scheme = XA_AUTH_V1;
		return missing(c, v1, 2, err, ecap);
	}
	c->scheme = XA_AUTH_NONE;
	return 0;
}

int xa_creds_load(struct xa_creds *c, const char *path, char *warn, size_t wcap, char *err,
                  size_t ecap)
{
	memset(c, 0, sizeof *c);
	if (wcap)
		warn[0] = '\0';
	int rc = read_env(c, err, ecap);
	if (!rc)
		rc = read_file(c, path ? path : ".env", warn, wcap, err, ecap);
	if (!rc)
		rc = choose(c, err, ecap);
	if (rc)
		xa_creds_clear(c);
	return rc;
}

void xa_creds_clear(struct xa_creds *c)
{
	wipe(c, sizeof *c);
}
