/*
 * source.c - where each value of a parsed settings document came from.
 *
 * cJSON keeps neither positions nor the text of numbers, yet messages must
 * name a line and numbers must be read exactly from their text. Once cJSON
 * has accepted a document, its values appear in the text in the same order
 * as a depth-first walk of the tree meets them (an object or array before
 * its members, members in order). So one pass over the text that notes
 * where each value starts (skipping keys, punctuation and the insides of
 * strings) can be zipped with that walk. The counts must agree; if they do
 * not, the index is refused rather than guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

struct token {
	uint32_t off, len, line;
};

struct tokens {
	struct token *v;
	size_t n, cap;
};

static int push(struct tokens *t, size_t off, size_t len, uint32_t line)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct token *v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct token){(uint32_t)off, (uint32_t)len, line};
	return 0;
}

/* Index just past the string opening at `i`, counting its newlines (cJSON
 * takes raw ones). Escapes are skipped pairwise, as cJSON does. */
static size_t skip_string(const char *s, size_t n, size_t i, uint32_t *line)
{
	for (i++; i < n && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		*line += s[i] == '\n';
	}
	return i < n ? i + 1 : n;
}

static bool is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* A string is a key when the next thing after it is a colon. Like cJSON,
 * take every byte up to the space as white space. */
static bool is_key(const char *s, size_t n, size_t i)
{
	while (i < n && (unsigned char)s[i] <= ' ')
		i++;
	return i < n && s[i] == ':';
}

/* The start of every value in text order; numbers also get their length,
 * which is the run cJSON's own number reader consumes. */
static int scan(const char *s, size_t n, struct tokens *t)
{
	uint32_t line = 1;
	size_t i = 0;

	while (i < n) {
		char c = s[i];
		size_t start = i, len = 0;
		uint32_t at = line;
		bool value = true;
		if (c == '"') {
			i = skip_string(s, n, i, &line);
			value = !is_key(s, n, i);
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			while (i < n && is_number_char(s[i]))
				i++;
			len = i - start;
		} else if (c == 't' || c == 'f' || c == 'n') {
			while (i < n && s[i] >= 'a' && s[i] <= 'z')
				i++;
		} else {
			value = c == '{' || c == '[';
			line += c == '\n';
			i++;
		}
		if (value && push(t, start, len, at) < 0)
			return -1;
	}
	return 0;
}

/* Pairs values with tokens in walk order; returns how many were paired, or
 * SIZE_MAX when the tree has more values than the text. */
static size_t zip(const cJSON *item, const struct tokens *t, size_t k, struct json_pos *out)
{
	for (; item; item = item->next) {
		if (k >= t->n)
			return SIZE_MAX;
		out[k] = (struct json_pos){item, t->v[k].off, t->v[k].len, t->v[k].line};
		k++;
		if (item->child) {
			k = zip(item->child, t, k, out);
			if (k == SIZE_MAX)
				return k;
		}
	}
	return k;
}

static int by_item(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct json_pos *)a)->item;
	uintptr_t y = (uintptr_t)((const struct json_pos *)b)->item;
	return (x > y) - (x < y);
}

int cf_json_source_index(struct json_source *src, const char *text, size_t len,
			 const cJSON *root)
{
	struct tokens t = {0};
	int rc = -1;

	*src = (struct json_source){text, NULL, 0};
	if (len > UINT32_MAX || scan(text, len, &t) < 0)
		goto out;
	if (t.n && !(src->pos = malloc(t.n * sizeof *src->pos)))
		goto out;
	rc = -2;
	if (t.n == 0)
		goto out;
	/* The root alone: its `next` is not a sibling to walk. */
	src->pos[0] = (struct json_pos){root, t.v[0].off, t.v[0].len, t.v[0].line};
	if ((root->child ? zip(root->child, &t, 1, src->pos) : 1) != t.n)
		goto out;
	src->n = t.n;
	qsort(src->pos, src->n, sizeof *src->pos, by_item);
	rc = 0;
out:
	free(t.v);
	if (rc < 0)
		cf_json_source_free(src);
	return rc;
}

const struct json_pos *cf_json_source_find(const struct json_source *src, const cJSON *item)
{
	struct json_pos key = {.item = item};
	return bsearch(&key, src->pos, src->n, sizeof key, by_item);
}

void cf_json_source_free(struct json_source *src)
{
	free(src->pos);
	src->pos = NULL;
	src->n = 0;
}

void cf_text_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
	const char *nl = NULL;

	*line = 1;
	for (const char *p = text; p < text + off; p++)
		if (*p == '\n')
			(*line)++, nl = p;
	*col = (uint32_t)(off - (nl ? (size_t)(nl - text) + 1 : 0)) + 1;
}
