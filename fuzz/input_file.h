/*
 * input_file.h - for targets whose parser reads a file: each input is
 * written to one temporary file per fuzzing process (in $TMPDIR), removed
 * at exit.
 */
#ifndef HUNTER_FUZZ_INPUT_FILE_H
#define HUNTER_FUZZ_INPUT_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_input_path[512];

static void fuzz_input_remove(void)
{
	unlink(fuzz_input_path);
}

/* Writes the input to the process's file and returns its path. */
static inline const char *fuzz_input_file(const char *stem, const uint8_t *data, size_t size)
{
	if (!fuzz_input_path[0]) {
		const char *dir = getenv("TMPDIR");
		snprintf(fuzz_input_path, sizeof fuzz_input_path, "%s/%s-XXXXXX", dir ? dir : "/tmp",
		         stem);
		int fd = mkstemp(fuzz_input_path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(fuzz_input_remove);
	}
	FILE *f = fopen(fuzz_input_path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	return fuzz_input_path;
}

#endif
