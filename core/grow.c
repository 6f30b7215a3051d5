/*
 * grow.c - the one way arrays grow: doubling, so that appending n elements
 * costs O(n) copies in all.
 */
#include <stdlib.h>

#include "core.h"

void *grow_array(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *a = realloc(v, n * size);
	if (a)
		*cap = n;
	return a;
}
