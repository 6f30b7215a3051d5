/*
 * digests.c - the sha256 of each input recording, computed on a second
 * thread while the event loop runs. The run database must name its inputs
 * exactly, and hashing a recording of a few GB takes seconds, a good part
 * of what replaying it takes: done alongside rather than before, it costs
 * no wall time on a machine with a second core. The thread only reads the
 * files; it shares nothing with the loop but this struct, read after the
 * join.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest_int.h"

static void digest_final_hex(EVP_MD_CTX *md, char hex[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(md, d, &n);
	EVP_MD_CTX_free(md);
	hex_encode(d, n < 32 ? n : 32, hex);
}

static int file_sha256(const char *path, char hex[65], uint64_t *bytes, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		fclose(f);
		snprintf(err, errlen, "%s: cannot start sha256", path);
		return -1;
	}
	unsigned char buf[1 << 16];
	size_t got;
	*bytes = 0;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
		EVP_DigestUpdate(md, buf, got);
		*bytes += got;
	}
	int bad = ferror(f);
	fclose(f);
	digest_final_hex(md, hex);
	if (bad) {
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	return 0;
}

static void *hash_all(void *arg)
{
	struct digests *d = arg;
	for (size_t i = 0; i < d->n && d->rc == 0; i++)
		d->rc = file_sha256(d->paths[i], d->v[i].hex, &d->v[i].bytes, d->err, sizeof d->err);
	return NULL;
}

int bt_digests_start(struct digests *d, const char *const *paths, size_t n)
{
	d->paths = paths;
	d->n = n;
	d->rc = 0;
	d->err[0] = '\0';
	d->v = calloc(n, sizeof *d->v);
	if (!d->v)
		return -1;
	if (pthread_create(&d->thread, NULL, hash_all, d) != 0) {
		/* No second thread to be had: hash now, on this one. */
		hash_all(d);
		return d->rc;
	}
	d->started = true;
	return 0;
}

int bt_digests_wait(struct digests *d)
{
	if (d->started)
		pthread_join(d->thread, NULL);
	d->started = false;
	return d->rc;
}

void bt_digests_free(struct digests *d)
{
	bt_digests_wait(d);
	free(d->v);
	d->v = NULL;
}
