/* The parser against every JSON code block of the Aster API documentation
 * (asterdex__api-docs_examples, V3 and V1 docs), comments stripped.
 *
 * Each block is classified independently of the parser (by its keys, read
 * with cJSON) and the parser's answer must match the class: events and the
 * modelled REST bodies give events, known unmodelled shapes are ignored,
 * anything else (other REST bodies, request examples) is refused. Blocks that
 * are not valid JSON because of the documentation's typos (docs/aster-api.md
 * 9.6) must be refused with "invalid JSON"; the ones that hold an event are
 * listed below, repaired here, and must then parse. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define DOCS "asterdex__api-docs_examples/"
#define V3 DOCS "futures_api_v3_code_blocks.jsonl"
#define V1 DOCS "futures_api_v1_legacy_code_blocks.jsonl"

/* Event blocks with typos: (doc, first line) and what is wrong. */
static const struct {
	const char *doc;
	int line;
	const char *typo;
} typos[] = {
	{V3, 852, "trailing commas (exchangeInfo)"},
	{V3, 1790, "trailing comma (aggTrade)"},
	{V3, 1842, "missing comma (!markPrice@arr)"},
	{V3, 2088, "trailing commas (forceOrder)"},
	{V3, 2124, "trailing commas (forceOrder)"},
	{V3, 4798, "single quotes (listenKeyExpired)"},
	{V3, 4845, "full-width comma (ACCOUNT_UPDATE)"},
	{V1, 700, "trailing commas (exchangeInfo)"},
	{V1, 1637, "trailing comma (aggTrade)"},
	{V1, 1691, "missing comma (!markPrice@arr)"},
	{V1, 1963, "no-break spaces, trailing commas (forceOrder)"},
	{V1, 2001, "no-break spaces, trailing commas (forceOrder)"},
	{V1, 3750, "single quotes (listenKeyExpired)"},
	{V1, 3808, "full-width comma (ACCOUNT_UPDATE)"},
};

static bool is_typo(const char *doc, int line)
{
	for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++)
		if (typos[i].doc == doc && typos[i].line == line)
			return true;
	return false;
}

static const char *const modelled[] = {"forceOrder", "aggTrade", "trade", "bookTicker",
                                       "depthUpdate", "markPriceUpdate", "ORDER_TRADE_UPDATE",
                                       "ACCOUNT_UPDATE"};

/* The class of a valid block, from its keys. */
static enum aster_status classify(const cJSON *root)
{
	const cJSON *o = root;
	if (cJSON_HasObjectItem(o, "stream"))
		o = cJSON_GetObjectItemCaseSensitive(o, "data");
	if (cJSON_IsArray(o))
		o = o->child;
	if (!cJSON_IsObject(o))
		return ASTER_ERROR;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "e");
	if (cJSON_IsString(e)) {
		for (size_t i = 0; i < sizeof modelled / sizeof modelled[0]; i++)
			if (!strcmp(e->valuestring, modelled[i]))
				return ASTER_EVENTS;
		return ASTER_IGNORED;
	}
	if (cJSON_HasObjectItem(o, "lastUpdateId") ||
	    (cJSON_HasObjectItem(o, "symbols") && cJSON_HasObjectItem(o, "serverTime")))
		return ASTER_EVENTS;
	if ((cJSON_HasObjectItem(o, "result") && cJSON_HasObjectItem(o, "id")) ||
	    (cJSON_HasObjectItem(o, "code") && cJSON_HasObjectItem(o, "msg")))
		return ASTER_IGNORED;
	return ASTER_ERROR;
}

/* No-break spaces and full-width commas become plain ones, single quotes
 * double ones. */
static char *normalize(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;
	cr_assert(out);
	while (*s) {
		if (!strncmp(s, "\xC2\xA0", 2)) {
			*w++ = ' ';
			s += 2;
		} else if (!strncmp(s, "\xEF\xBC\x8C", 3)) {
			*w++ = ',';
			s += 3;
		} else {
			*w++ = *s == '\'' ? '"' : *s;
			s++;
		}
	}
	*w = '\0';
	return out;
}

/* The typo'd blocks' fixes: after normalize, trailing commas go and a value
 * ending a line right before the next key gets its missing comma. */
static char *repair(const char *text)
{
	char *s = normalize(text);
	char *out = malloc(2 * strlen(s) + 1), *w = out;
	cr_assert(out);
	bool in_str = false, newline = false;
	char last = 0;
	for (const char *r = s; *r; r++) {
		char c = *r;
		if (in_str) {
			in_str = c != '"' || r[-1] == '\\';
		} else if (c == ',' && strchr("}]", r[1 + strspn(r + 1, " \t\r\n")])) {
			continue; /* trailing comma (strchr also matches the final NUL) */
		} else if (c == '"') {
			if (newline && last && strchr("\"0123456789}]el", last))
				*w++ = ',';
			in_str = true;
		}
		if (!in_str && strchr(" \t\r\n", c)) {
			newline |= c == '\n';
		} else {
			newline = false;
			last = c;
		}
		*w++ = c;
	}
	*w = '\0';
	free(s);
	return out;
}

struct counts {
	size_t blocks, events, ignored, refused, typos, repaired_events;
};

static struct aster_result parse_block(const char *text, size_t *events)
{
	aster_parser_t *p = aster_parser_new();
	struct aster_ctx ctx = {.symbol = "BTCUSDT"}; /* the depth example names none */
	struct aster_result r;
	aster_parse(p, text, strlen(text), &ctx, roundtrip_sink, events, &r);
	aster_parser_free(p);
	return r;
}

static void check_typo(const char *doc, int line, const char *text, struct counts *c)
{
	bool eventish = strstr(text, "\"e\"") || strstr(text, "'e'") ||
	                strstr(text, "lastUpdateId") || strstr(text, "\"symbols\"");
	if (!is_typo(doc, line)) {
		cr_assert_not(eventish, "%s:%d: invalid JSON that looks like an event", doc, line);
		return;
	}
	c->typos++;
	char *fixed = repair(text);
	cJSON *root = cJSON_Parse(fixed);
	cr_assert(root, "%s:%d: still not JSON after repair:\n%s", doc, line, fixed);
	size_t n = 0;
	struct aster_result r = parse_block(fixed, &n);
	cr_assert_eq(r.status, classify(root), "%s:%d repaired: %s", doc, line, r.err);
	c->repaired_events += n;
	cJSON_Delete(root);
	free(fixed);
}

static void check_doc(const char *doc, struct counts *c)
{
	char *rows = real_file(doc, NULL);
	for (char *line = strtok(rows, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *row = cJSON_Parse(line);
		cr_assert(row, "%s: bad row", doc);
		int at = cJSON_GetObjectItemCaseSensitive(row, "line_start")->valueint;
		char *text = strdup(cJSON_GetObjectItemCaseSensitive(row, "text")->valuestring);
		aster_strip_comments(text, strlen(text));
		size_t n = 0;
		struct aster_result r = parse_block(text, &n);
		cJSON *root = cJSON_Parse(text);
		if (!root) {
			cr_assert_eq(r.status, ASTER_ERROR, "%s:%d: bad JSON accepted", doc, at);
			cr_assert(strstr(r.err, "invalid JSON"), "%s:%d: %s", doc, at, r.err);
			check_typo(doc, at, text, c);
		} else {
			cr_assert_not(is_typo(doc, at), "%s:%d: listed as a typo, parses", doc, at);
			cr_assert_eq(r.status, classify(root), "%s:%d: %s (%s)", doc, at, r.err,
			             r.what);
		}
		c->blocks++;
		c->events += n;
		c->ignored += r.status == ASTER_IGNORED;
		c->refused += r.status == ASTER_ERROR;
		cJSON_Delete(root);
		free(text);
		cJSON_Delete(row);
	}
	free(rows);
}

Test(docs, every_code_block)
{
	struct counts c = {0};
	check_doc(V3, &c);
	check_doc(V1, &c);
	cr_log_info("aster docs: %zu blocks: %zu events, %zu ignored, %zu refused "
	            "(%zu event blocks with typos, %zu events once repaired)",
	            c.blocks, c.events, c.ignored, c.refused, c.typos, c.repaired_events);
	cr_assert_eq(c.blocks, 125 + 93);
	cr_assert_eq(c.typos, sizeof typos / sizeof typos[0]);
}

/* The forceOrder example (trailing commas), once repaired, reads exactly. */
Test(docs, repaired_force_order_values)
{
	char *rows = real_file(V3, NULL);
	char *line = strstr(rows, "\"line_start\": 2088,");
	cr_assert(line);
	*strchr(line, '\n') = '\0';
	while (line > rows && line[-1] != '\n')
		line--;
	cJSON *row = cJSON_Parse(line);
	char *text = strdup(cJSON_GetObjectItemCaseSensitive(row, "text")->valuestring);
	aster_strip_comments(text, strlen(text));
	char *fixed = repair(text);
	struct evlist l = {0};
	struct aster_result r = parse_text(fixed, NULL, &l);
	cr_assert_eq(r.status, ASTER_EVENTS, "%s", r.err);
	cr_assert_str_eq(l.v[0].symbol, "BTCUSDT");
	cr_assert_eq(l.v[0].u.liq.price, DEC(9910));
	cr_assert_eq(l.v[0].u.liq.qty, 1400000);
	cr_assert_eq(l.v[0].u.liq.trade_ms, 1568014460893);
	evlist_free(&l);
	free(fixed);
	free(text);
	cJSON_Delete(row);
	free(rows);
}
