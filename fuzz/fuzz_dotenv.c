/*
 * fuzz_dotenv.c - any bytes as a `.env` file. Loading must give
 * credentials or a message, never crash; a failure keeps nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "exchange_aster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_dotenv.XXXXXX";
	static int made;
	if (!made) {
		int fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		made = 1;
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	struct xa_creds c;
	char warn[256], err[256];
	if (xa_creds_load(&c, path, warn, sizeof warn, err, sizeof err) && c.api_secret[0])
		abort();
	xa_creds_clear(&c);
	return 0;
}
