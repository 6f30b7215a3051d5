/*
 * fuzz_dotenv.c - any bytes as a `.env` file. Loading must give
 * credentials or a message, never crash; a failure keeps nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "exchange_aster.h"
#include "input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_file("fuzz_dotenv", data, size);
	struct xa_creds c;
	char warn[256], err[256];
	if (xa_creds_load(&c, path, warn, sizeof warn, err, sizeof err) && c.api_secret[0])
		abort();
	xa_creds_clear(&c);
	return 0;
}
