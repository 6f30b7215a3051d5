/*
 * fuzz_csv_import.c - any bytes as a liquidation-logger CSV file (both
 * layouts): the importer must not crash, leak or hang, and must account for
 * every row, either as an event or as a reported bad row.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer.h"
#include "input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t reported;

static void count_bad(void *ctx, const char *file, uint64_t line, const char *msg)
{
	reported++;
	if (line == 0 || !msg[0])
		abort(); /* every report names a line and a reason */
}


static void import_as(const char *path, imp_format_t f)
{
	struct imp_options o = {.format = f, .on_bad = count_bad};
	struct imp_stats st;
	imp_set_t *set = NULL;
	char err[512];
	reported = 0;
	imp_status_t rc = imp_load(&o, &path, 1, &set, &st, err, sizeof err);
	if (rc == IMP_OK || rc == IMP_ERR_EMPTY) {
		/* Each non-empty line is one row: kept, reported, or counted as
		 * having a wall-clock time (which the import names); never lost. */
		if (st.events + st.bad + st.wallclock != st.units || st.bad != reported)
			abort();
	}
	imp_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_file("fuzz_csv_import", data, size);
	import_as(path, IMP_LIQ_CSV);
	import_as(path, IMP_TRADES_CSV);
	return 0;
}
