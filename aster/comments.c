/*
 * comments.c - aster_strip_comments: turns the Aster documentation's example
 * payloads (JSON with // comments) into JSON, for tests and fixtures.
 *
 * Comments become spaces rather than disappearing, so the text keeps its
 * length and line breaks and a parse error's byte offset still points into
 * the original block.
 */
#include "aster.h"

void aster_strip_comments(char *text, size_t len)
{
	bool in_str = false;
	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_str = false;
		} else if (text[i] == '"') {
			in_str = true;
		} else if (text[i] == '/' && i + 1 < len && text[i + 1] == '/') {
			for (; i < len && text[i] != '\n'; i++)
				text[i] = ' ';
		}
	}
}
