/*
 * settings.c - the settings file from the dashboard. GET /api/config
 * answers the effective settings (every key with the value in force,
 * defaults filled in; nothing to hide: the settings schema has no key
 * for credentials, and a file with an unknown key does not load).
 * POST /api/config takes a whole settings document, checks it exactly as a settings file is
 * checked, and only if it loads: keeps the old file as FILE.bak, puts
 * the new one in place by renaming a finished temporary file over it (a
 * reader sees the old file or the new one, never a part), and raises the
 * reload flag for the owner, who applies it as on SIGHUP. A document
 * that does not load changes nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dashboard_int.h"

/* What a config writer writes to a FILE, appended to `out`. */
struct capture {
	char *s;
	size_t len;
	FILE *f;
};

static FILE *capture_open(struct capture *m)
{
	*m = (struct capture){0};
	m->f = open_memstream(&m->s, &m->len);
	return m->f;
}

/* Closes the stream; appends its text when the writer returned 0. */
static int capture_take(struct capture *m, int rc, struct dtext *out)
{
	if (fclose(m->f) || rc)
		rc = -1;
	else
		dash_put(out, m->s, m->len);
	free(m->s);
	return rc;
}

static void diag_json(struct dtext *out, const struct config_diag *diag)
{
	struct capture m;
	if (!capture_open(&m) || capture_take(&m, config_diag_write_json(m.f, diag), out))
		dash_puts(out, "null");
}

void dash_settings_get(struct dashboard *d, struct conn *c)
{
	struct settings s;
	struct live_settings live;
	struct sim_params sim;
	struct config_diag *diag = malloc(sizeof *diag);
	struct capture m;
	if (!diag) {
		dash_reply_error(c, 500, "out of memory");
	} else if (config_load_file(d->settings_path, &s, &live, &sim, diag)) {
		dash_puts(&c->reply, "{\"error\":\"the settings file does not load\",\"diagnostics\":");
		diag_json(&c->reply, diag);
		dash_puts(&c->reply, "}");
		dash_reply(c, 500, "application/json");
	} else {
		int rc = capture_open(&m) ? config_write_effective(m.f, &s, &live, &sim) : -1;
		if (!m.f || capture_take(&m, rc, &c->reply))
			dash_reply_error(c, 500, "cannot write the effective settings");
		else
			dash_reply(c, 200, "application/json");
		config_free(&s);
	}
	free(diag);
}

/* Writes `len` bytes as `path`: a temporary file in the same folder,
 * flushed to disk, then renamed over it, with the mode `mode`. */
static int write_atomic(const char *path, const char *text, size_t len, mode_t mode, char *err,
                        size_t cap)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, mode) == 0;
	for (size_t done = 0; ok && done < len;) {
		ssize_t w = write(fd, text + done, len - done);
		ok = w > 0 || (w < 0 && errno == EINTR);
		done += w > 0 ? (size_t)w : 0;
	}
	ok = ok && fsync(fd) == 0;
	if (fd >= 0 && close(fd))
		ok = false;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		snprintf(err, cap, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

/* The whole file (malloc'd), or NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
	struct capture m;
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (!capture_open(&m)) {
		fclose(f);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, m.f);
	bool bad = ferror(f);
	fclose(f);
	if (fclose(m.f) || bad) {
		free(m.s);
		return NULL;
	}
	*len = m.len;
	return m.s;
}

/* FILE.bak := FILE, with FILE's mode. */
static int keep_backup(const char *path, mode_t mode, char *err, size_t cap)
{
	size_t len, n = strlen(path) + 5;
	char *old = slurp(path, &len), *bak = malloc(n);
	int rc = -1;
	if (!old)
		snprintf(err, cap, "cannot read %s: %s", path, strerror(errno));
	else if (!bak)
		snprintf(err, cap, "out of memory");
	else {
		snprintf(bak, n, "%s.bak", path);
		rc = write_atomic(bak, old, len, mode, err, cap);
	}
	free(old);
	free(bak);
	return rc;
}

/* The document loaded: back up, replace, raise the reload flag. */
static void replace(struct dashboard *d, struct conn *c, const struct config_diag *diag)
{
	struct stat st;
	char err[512];
	bool had = stat(d->settings_path, &st) == 0;
	mode_t mode = had ? st.st_mode & 07777 : 0644;
	if ((had && keep_backup(d->settings_path, mode, err, sizeof err)) ||
	    write_atomic(d->settings_path, c->body.s, c->body.len, mode, err, sizeof err)) {
		dash_reply_error(c, 500, err);
		return;
	}
	atomic_store(&d->reload, true);
	dash_printf(&c->reply, "{\"saved\":true,\"backup\":%s,\"diagnostics\":",
	            had ? "true" : "false");
	diag_json(&c->reply, diag);
	dash_puts(&c->reply, "}");
	dash_reply(c, 200, "application/json");
}

void dash_settings_post(struct dashboard *d, struct conn *c)
{
	struct settings s;
	struct live_settings live;
	struct sim_params sim;
	struct config_diag *diag = malloc(sizeof *diag);
	if (!diag) {
		dash_reply_error(c, 500, "out of memory");
		return;
	}
	if (!c->body.s)
		dash_puts(&c->body, ""); /* an empty body is an empty document */
	if (c->body.oom) {
		dash_reply_error(c, 500, "out of memory");
	} else if (config_load_text(c->body.s, c->body.len, &s, &live, &sim, diag)) {
		dash_puts(&c->reply, "{\"error\":\"invalid settings: nothing was changed\","
		                     "\"diagnostics\":");
		diag_json(&c->reply, diag);
		dash_puts(&c->reply, "}");
		dash_reply(c, 400, "application/json");
	} else {
		config_free(&s);
		replace(d, c, diag);
	}
	free(diag);
}
