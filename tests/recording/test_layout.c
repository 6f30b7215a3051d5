/*
 * test_layout.c - the field tables that define the format are sound: every
 * event type has one, fields lie inside their struct, and no payload has more
 * arrays than the reader keeps buffers for.
 */
#include <criterion/criterion.h>

#include "format.h"

static void check_fields(const struct layout *l, bool element, int type)
{
	int arrays = 0;
	cr_assert_gt(l->nfields, 0, "type %d: no fields", type);
	for (uint8_t i = 0; i < l->nfields; i++) {
		const struct field *f = &l->fields[i];
		cr_expect_lt(f->off, l->size, "type %d field %s outside its struct", type, f->name);
		if (f->kind != F_ARRAY)
			continue;
		cr_expect_not(element, "type %d: array %s inside an array", type, f->name);
		cr_expect_lt(f->arg, l->size, "type %d: count of %s outside", type, f->name);
		arrays++;
		check_fields(f->elem, true, type);
	}
	cr_expect_leq(arrays, REC_ARRAYS_MAX, "type %d has %d arrays", type, arrays);
}

Test(layout, every_type_is_sound)
{
	cr_expect_null(rec_layout(EV_NONE));
	cr_expect_null(rec_layout(EV__COUNT));
	cr_expect_null(rec_layout(-1));
	for (int type = EV_NONE + 1; type < EV__COUNT; type++) {
		const struct layout *l = rec_layout(type);
		cr_assert_not_null(l, "type %d has no layout", type);
		cr_expect_leq(l->size, sizeof(((ev_t *)0)->u));
		check_fields(l, false, type);
	}
}
