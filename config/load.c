/*
 * load.c - reads settings.json into struct settings and struct sim_params.
 *
 * cJSON parses the text; source.c maps each value back to its line and,
 * for numbers, to its exact text. Then each section object is walked key by
 * key against its schema (schema.c): a known key is checked and stored, a
 * legacy key of the original bot is noted, anything else is an error. The
 * walk never stops at an error, so one run reports every problem.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define PATH_MAX_LEN 160
#define GOT_MAX 64

/* A symbol-level remark made once for all symbols, naming the first. */
struct notice {
	const char *key, *prefix, *text;
	char first[SYMBOL_MAX];
	uint32_t line, count;
};

struct loader {
	const char *text;
	struct json_source src;
	struct config_diag *d;
	const char *symbol;     /* the symbol being read, NULL elsewhere */
	struct live_settings *live; /* where LIVE globals go */
	struct notice *notices; /* one per legacy symbol key, then use_trailing_stop */
};

static uint32_t line_of(const struct loader *L, const cJSON *item)
{
	const struct json_pos *p = cf_json_source_find(&L->src, item);
	return p ? p->line : 0;
}

/* How a value looked in the file, for "got ..." in messages. */
static void got(const struct loader *L, const cJSON *item, char *buf, size_t cap)
{
	const struct json_pos *p = cf_json_source_find(&L->src, item);

	if (cJSON_IsString(item))
		cf_repr_string(buf, cap, item->valuestring, strlen(item->valuestring));
	else if (cJSON_IsNumber(item) && p)
		snprintf(buf, cap, "%.*s", (int)(p->len < cap - 1 ? p->len : cap - 1), L->text + p->off);
	else if (cJSON_IsBool(item))
		snprintf(buf, cap, "%s", cJSON_IsTrue(item) ? "true" : "false");
	else if (cJSON_IsNull(item))
		snprintf(buf, cap, "null");
	else
		snprintf(buf, cap, "%s", cJSON_IsArray(item) ? "an array" : "an object");
}

/* A key as it goes into a path: bare when it is a plain word, else quoted. */
static void key_text(const char *key, char *buf, size_t cap)
{
	size_t n = strlen(key);
	if (n > 0 && n < cap && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                   "0123456789_") == n)
		memcpy(buf, key, n + 1);
	else
		cf_repr_string(buf, cap, key, n);
}

/* Reports a value that is not what `f` wants; `why` adds detail or is NULL. */
static void bad_value(struct loader *L, const char *path, const struct field *f,
                      const cJSON *item, const char *why)
{
	char want[160], was[GOT_MAX];

	cf_field_expected(f, want, sizeof want);
	got(L, item, was, sizeof was);
	cf_diag_add(L->d, CONFIG_ERROR, line_of(L, item), "%s.%s: expected %s, got %s%s%s%s", path,
		    f->key, want, was, why ? " (" : "", why ? why : "", why ? ")" : "");
}

static bool in_range(const struct field *f, dec_t v)
{
	bool lo_ok = (f->flags & LO_OPEN) ? v > f->lo : v >= f->lo;
	bool hi_ok = f->hi == NO_LIMIT || ((f->flags & HI_OPEN) ? v < f->hi : v <= f->hi);
	return lo_ok && hi_ok;
}

/* The text of a number, from the file for JSON numbers; decimal strings
 * are accepted too, as the old bot's dashboard sometimes wrote them. */
static bool number_text(const struct loader *L, const cJSON *item, const char **s, size_t *n)
{
	const struct json_pos *p;

	if (cJSON_IsString(item)) {
		*s = item->valuestring;
		*n = strlen(*s);
		return true;
	}
	if (!cJSON_IsNumber(item) || !(p = cf_json_source_find(&L->src, item)))
		return false;
	*s = L->text + p->off;
	*n = p->len;
	return true;
}

/* Checks the value's precision and range, rounding a fraction up (with a
 * warning) where the field allows it. Returns NULL when the value is good,
 * else a reason ("" when the expected range says it all). */
static const char *fit(struct loader *L, const char *path, const struct field *f,
                       const cJSON *item, dec_t *v)
{
	const char *finer;
	dec_t grain = cf_field_grain(f, &finer);

	if (*v % grain && !(f->flags & ROUND_UP))
		return finer;
	if (!in_range(f, *v))
		return "";
	dec_t up = dec_round_up(*v, grain); /* in range, so far from overflow */
	if (!in_range(f, up))
		return "";
	if (up != *v) {
		char was[GOT_MAX], now[DEC_FMT_MAX];
		got(L, item, was, sizeof was);
		dec_format(up, now);
		cf_diag_add(L->d, CONFIG_WARNING, line_of(L, item),
			    "%s.%s: %s is not a whole number; rounded up to %s", path, f->key, was, now);
		*v = up;
	}
	return NULL;
}

static int read_number(struct loader *L, const char *path, const struct field *f,
                       const cJSON *item, struct fval *v)
{
	const char *s, *why = NULL;
	size_t n;

	if (!number_text(L, item, &s, &n))
		why = "";
	else if (f->kind == F_U64)
		cf_json_number_u64(s, n, &v->u, &why);
	else if (cf_json_number_dec(s, n, &v->d, &why) == 0)
		why = fit(L, path, f, item, &v->d);
	if (!why)
		return 0;
	bad_value(L, path, f, item, *why ? why : NULL);
	return -1;
}

static bool read_enum(const struct field *f, const cJSON *item, struct fval *v)
{
	if (!cJSON_IsString(item))
		return false;
	for (const struct spelling *n = f->names; n->name; n++)
		if (!strcmp(n->name, item->valuestring)) {
			v->d = n->value;
			return true;
		}
	return false;
}

static void read_field(struct loader *L, const char *path, const struct field *f,
                       const cJSON *item, void *base)
{
	struct fval v = {0, 0};

	if (f->kind == F_BOOL) {
		if (!cJSON_IsBool(item))
			return bad_value(L, path, f, item, NULL);
		v.d = cJSON_IsTrue(item);
	} else if (f->kind == F_ENUM) {
		if (!read_enum(f, item, &v))
			return bad_value(L, path, f, item, NULL);
	} else if (read_number(L, path, f, item, &v) < 0) {
		return;
	}
	cf_field_put(f, f->flags & LIVE ? (void *)L->live : base, &v);
}

/* ---- unknown keys ------------------------------------------------------ */

static void unknown_key(struct loader *L, const struct section *sec, const char *path,
                        const cJSON *item)
{
	char key[GOT_MAX], hint[96];

	key_text(item->string, key, sizeof key);
	cf_key_hint(sec, item->string, hint, sizeof hint);
	cf_diag_add(L->d, CONFIG_ERROR, line_of(L, item), "%s.%s: unknown key%s", path, key, hint);
}

/* ---- sections ---------------------------------------------------------- */

/* Notes a remark about the current symbol, said once for all symbols. */
static void note(struct loader *L, size_t which, const cJSON *item)
{
	struct notice *n = &L->notices[which];
	if (n->count++ == 0) {
		copy_str(n->first, sizeof n->first, L->symbol, strlen(L->symbol));
		n->line = line_of(L, item);
	}
}

static void legacy_key(struct loader *L, const struct section *sec, const char *path,
                       const struct legacy *lg, const cJSON *item)
{
	if (L->notices)
		note(L, (size_t)(lg - sec->legacy), item);
	else
		cf_diag_add(L->d, CONFIG_WARNING, line_of(L, item), "%s.%s: ignored: %s", path, lg->key,
			    lg->why);
}

/* Reads every key of `obj` into `base` by the schema of `sec`. */
static void read_section(struct loader *L, const struct section *sec, const char *path,
                         const cJSON *obj, void *base)
{
	uint32_t first_line[SECTION_KEYS_MAX] = {0};
	bool given[SECTION_KEYS_MAX] = {false};

	for (const cJSON *it = obj->child; it; it = it->next) {
		const struct field *f = cf_schema_field(sec, it->string);
		const struct legacy *lg = f ? NULL : cf_schema_legacy(sec, it->string);
		if (!f && !lg) {
			unknown_key(L, sec, path, it);
			continue;
		}
		size_t k = f ? (size_t)(f - sec->fields) : sec->nfields + (size_t)(lg - sec->legacy);
		if (given[k]) {
			cf_diag_add(L->d, CONFIG_ERROR, line_of(L, it),
				    "%s.%s: given twice (first on line %u)", path, it->string,
				    first_line[k]);
			continue;
		}
		given[k] = true;
		first_line[k] = line_of(L, it);
		if (f)
			read_field(L, path, f, it, base);
		else
			legacy_key(L, sec, path, lg, it);
	}
}

static bool is_object(struct loader *L, const char *path, const cJSON *item, const char *what)
{
	char was[GOT_MAX];

	if (cJSON_IsObject(item))
		return true;
	got(L, item, was, sizeof was);
	cf_diag_add(L->d, CONFIG_ERROR, line_of(L, item), "%s: expected an object of %s, got %s",
		    path, what, was);
	return false;
}

/* ---- symbols ----------------------------------------------------------- */

/* Exchange symbols are upper-case letters and digits ("1000PEPEUSDT"). */
static bool symbol_name_ok(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < SYMBOL_MAX && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == n;
}

struct named {
	const char *name;
	uint32_t line;
};

static int by_name_then_line(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void check_duplicate_symbols(struct loader *L, const cJSON *obj, size_t n)
{
	struct named *v = malloc((n ? n : 1) * sizeof *v);
	size_t k = 0;

	if (!v) {
		cf_diag_add(L->d, CONFIG_ERROR, 0, "symbols: out of memory");
		return;
	}
	for (const cJSON *it = obj->child; it; it = it->next)
		v[k++] = (struct named){it->string, line_of(L, it)};
	qsort(v, k, sizeof *v, by_name_then_line);
	for (size_t i = 1; i < k; i++)
		if (!strcmp(v[i].name, v[i - 1].name) && symbol_name_ok(v[i].name))
			cf_diag_add(L->d, CONFIG_ERROR, v[i].line,
			            "symbols.%s: given twice (first on line %u)", v[i].name,
			            v[i - 1].line);
	free(v);
}

static int by_symbol(const void *a, const void *b)
{
	return strcmp(((const struct symbol_settings *)a)->symbol,
	              ((const struct symbol_settings *)b)->symbol);
}

/* A symbol whose entry cannot fit under its caps would never trade. */
static void check_symbol_caps(struct loader *L, const struct symbol_settings *sym,
                              const struct settings *s, uint32_t line)
{
	dec_t cap = sym->max_position_usdt < s->max_total_exposure_usdt ? sym->max_position_usdt
	                                                                : s->max_total_exposure_usdt;
	char value[DEC_FMT_MAX], limit[DEC_FMT_MAX];

	if (sym->trade_value_usdt <= cap)
		return;
	dec_format(sym->trade_value_usdt, value);
	dec_format(cap, limit);
	cf_diag_add(L->d, CONFIG_WARNING, line,
		    "symbols.%s.trade_value_usdt: %s is above the margin cap of %s "
		    "(max_position_usdt, max_total_exposure_usdt): no entry can be placed",
		    sym->symbol, value, limit);
}

/* Globals are read by now: the symbol's fallbacks can be resolved. */
static void read_symbol(struct loader *L, const cJSON *item, const char *path,
                        const struct settings *s, struct symbol_settings *sym)
{
	cf_schema_symbol_defaults(sym);
	copy_str(sym->symbol, sizeof sym->symbol, item->string, strlen(item->string));
	L->symbol = sym->symbol;
	read_section(L, &cf_schema_symbol, path, item, sym);
	if (sym->use_trailing_stop)
		note(L, cf_schema_symbol.nlegacy,
		     cJSON_GetObjectItemCaseSensitive(item, "use_trailing_stop"));
	L->symbol = NULL;
	cf_schema_symbol_resolve(sym, s);
	check_symbol_caps(L, sym, s, line_of(L, item));
}

/* One notice per legacy symbol key, in schema order, then use_trailing_stop. */
static void start_notices(struct notice *v)
{
	for (size_t i = 0; i < cf_schema_symbol.nlegacy; i++)
		v[i] = (struct notice){.key = cf_schema_symbol.legacy[i].key, .prefix = "ignored: ",
		                       .text = cf_schema_symbol.legacy[i].why};
	v[cf_schema_symbol.nlegacy] = (struct notice){
		.key = "use_trailing_stop", .prefix = "",
		.text = "trailing stops are not modelled yet; the fixed stop (stop_loss_pct) is used"};
}

static int by_line(const void *a, const void *b)
{
	uint32_t x = ((const struct notice *)a)->line, y = ((const struct notice *)b)->line;
	return (x > y) - (x < y);
}

/* In file order, by where each remark first applied. */
static void report_notices(struct loader *L)
{
	size_t n_notices = cf_schema_symbol.nlegacy + 1;

	qsort(L->notices, n_notices, sizeof *L->notices, by_line);
	for (size_t i = 0; i < n_notices; i++) {
		const struct notice *n = &L->notices[i];
		if (!n->count)
			continue;
		char also[48] = "";
		if (n->count > 1)
			snprintf(also, sizeof also, " (also in %u other symbol%s)", n->count - 1,
			         n->count == 2 ? "" : "s");
		cf_diag_add(L->d, CONFIG_WARNING, n->line, "symbols.%s.%s: %s%s%s", n->first, n->key,
			    n->prefix, n->text, also);
	}
}

static void read_symbols(struct loader *L, const cJSON *obj, struct settings *s)
{
	struct notice notices[SECTION_KEYS_MAX + 1];
	size_t n = 0;

	start_notices(notices);
	L->notices = notices;

	for (const cJSON *it = obj->child; it; it = it->next)
		n++;
	check_duplicate_symbols(L, obj, n);
	s->symbols = calloc(n ? n : 1, sizeof *s->symbols);
	if (!s->symbols) {
		cf_diag_add(L->d, CONFIG_ERROR, 0, "symbols: out of memory for %zu symbols", n);
		return;
	}
	for (const cJSON *it = obj->child; it; it = it->next) {
		char key[GOT_MAX];
		if (!symbol_name_ok(it->string)) {
			key_text(it->string, key, sizeof key);
			cf_diag_add(L->d, CONFIG_ERROR, line_of(L, it),
				    "symbols.%s: not a symbol: expected upper-case letters and digits, "
				    "at most %d, such as \"BTCUSDT\"", key, SYMBOL_MAX - 1);
			continue;
		}
		char path[PATH_MAX_LEN];
		snprintf(path, sizeof path, "symbols.%s", it->string);
		if (is_object(L, path, it, "symbol settings"))
			read_symbol(L, it, path, s, &s->symbols[s->nsymbols++]);
	}
	report_notices(L);
	L->notices = NULL;
	if (!n)
		cf_diag_add(L->d, CONFIG_ERROR, line_of(L, obj),
			    "symbols: empty: name at least one symbol to trade");
	qsort(s->symbols, s->nsymbols, sizeof *s->symbols, by_symbol);
}

/* ---- the document ------------------------------------------------------ */

static void unknown_top_key(struct loader *L, const cJSON *it)
{
	char key[GOT_MAX], hint[96] = "";

	key_text(it->string, key, sizeof key);
	if (symbol_name_ok(it->string))
		snprintf(hint, sizeof hint, " (symbols go inside \"symbols\")");
	else
		cf_key_hint(NULL, it->string, hint, sizeof hint);
	cf_diag_add(L->d, CONFIG_ERROR, line_of(L, it),
		    "%s: unknown key at the top level: expected \"globals\", \"symbols\" or "
		    "\"simulation\"%s", key, hint);
}

static void read_document(struct loader *L, const cJSON *root, struct settings *s,
                          struct sim_params *sim)
{
	static const char *const names[] = {"globals", "symbols", "simulation"};
	const cJSON *part[3] = {NULL, NULL, NULL};
	char was[GOT_MAX];

	if (!cJSON_IsObject(root)) {
		got(L, root, was, sizeof was);
		cf_diag_add(L->d, CONFIG_ERROR, line_of(L, root),
			    "top level: expected an object with \"globals\" and \"symbols\", got %s", was);
		return;
	}
	for (const cJSON *it = root->child; it; it = it->next) {
		size_t i = 0;
		while (i < 3 && strcmp(names[i], it->string))
			i++;
		if (i == 3)
			unknown_top_key(L, it);
		else if (part[i])
			cf_diag_add(L->d, CONFIG_ERROR, line_of(L, it),
				    "%s: given twice (first on line %u)", names[i], line_of(L, part[i]));
		else
			part[i] = it;
	}
	if (part[0] && is_object(L, "globals", part[0], "global settings"))
		read_section(L, &cf_schema_globals, "globals", part[0], s);
	if (part[2] && is_object(L, "simulation", part[2], "simulation settings"))
		read_section(L, &cf_schema_simulation, "simulation", part[2], sim);
	sim->hedge_mode = s->hedge_mode;
	if (!part[1])
		cf_diag_add(L->d, CONFIG_ERROR, 0,
			    "symbols: missing: name at least one symbol to trade, "
			    "e.g. \"symbols\": {\"BTCUSDT\": {}}");
	else if (is_object(L, "symbols", part[1], "symbols (\"BTCUSDT\": {...})"))
		read_symbols(L, part[1], s);
}

/* ---- text and files ---------------------------------------------------- */

static bool text_ok(struct loader *L, const char *json, size_t len)
{
	const char *nul = memchr(json, '\0', len);
	uint32_t line, col;

	if (len == 0) {
		cf_diag_add(L->d, CONFIG_ERROR, 0, "empty: expected a JSON object");
		return false;
	}
	if (len > CONFIG_TEXT_MAX) {
		cf_diag_add(L->d, CONFIG_ERROR, 0, "too large: %zu bytes (at most %u)", len,
			    CONFIG_TEXT_MAX);
		return false;
	}
	if (nul) {
		cf_text_line_col(json, (size_t)(nul - json), &line, &col);
		cf_diag_add(L->d, CONFIG_ERROR, line, "byte %zu (column %u): NUL byte: not a text file",
			    (size_t)(nul - json), col);
		return false;
	}
	return true;
}

/* cJSON's error position is at or just past the fault, so the message
 * quotes the line around it rather than what follows it. */
static void syntax_error(struct loader *L, const char *json, size_t len, size_t off,
                         const char *what)
{
	char near[64];
	uint32_t line, col;
	size_t from = off, to = off;

	cf_text_line_col(json, off, &line, &col);
	while (from > 0 && off - from < 20 && json[from - 1] != '\n')
		from--;
	while (to < len && to - off < 20 && json[to] != '\n')
		to++;
	if (from < to)
		cf_repr_string(near, sizeof near, json + from, to - from);
	else
		snprintf(near, sizeof near, "the end of the text");
	cf_diag_add(L->d, CONFIG_ERROR, line, "byte %zu (column %u): %s near %s", off, col, what,
		    near);
}

/* Parses and checks that nothing but white space follows the value. */
static cJSON *parse(struct loader *L, const char *json, size_t len)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	size_t off = end ? (size_t)(end - json) : 0;

	if (!root) {
		syntax_error(L, json, len, off, "invalid JSON");
		return NULL;
	}
	while (off < len && strchr(" \t\r\n", json[off]))
		off++;
	if (off < len) {
		syntax_error(L, json, len, off, "unexpected text after the settings object");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* Every load starts from the defaults and an empty report. */
static void start(struct settings *s, struct live_settings *live, struct sim_params *sim,
                  struct config_diag *d)
{
	memset(d, 0, sizeof *d);
	cf_schema_global_defaults(s);
	cf_schema_live_defaults(live);
	sim_params_default(sim);
	sim->hedge_mode = s->hedge_mode;
}

int config_load_text(const char *json, size_t len, struct settings *s,
                     struct live_settings *live, struct sim_params *sim, struct config_diag *d)
{
	struct live_settings unused;
	struct loader L = {.text = json, .d = d, .live = live ? live : &unused};
	cJSON *root;

	start(s, L.live, sim, d);
	if (text_ok(&L, json, len) && (root = parse(&L, json, len))) {
		int rc = cf_json_source_index(&L.src, json, len, root);
		if (rc == 0)
			read_document(&L, root, s, sim);
		else
			cf_diag_add(d, CONFIG_ERROR, 0, "%s", rc == -1 ? "out of memory while reading"
				    : "internal error: the parsed values do not match the text");
		cf_json_source_free(&L.src);
		cJSON_Delete(root);
	}
	cf_diag_sort(d);
	if (d->nerrors) {
		config_free(s);
		return -1;
	}
	return 0;
}

/* Reads up to CONFIG_TEXT_MAX + 1 bytes, enough for the loader to say that
 * a file is too large. Returns 0 or an errno value. */
static int read_all(FILE *f, char **buf, size_t *len)
{
	size_t cap = 0;

	*buf = NULL;
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			char *more = realloc(*buf, cap);
			if (!more)
				return ENOMEM;
			*buf = more;
		}
		*len += fread(*buf + *len, 1, cap - *len, f);
	} while (!feof(f) && !ferror(f) && *len <= CONFIG_TEXT_MAX);
	return ferror(f) ? (errno ? errno : EIO) : 0;
}

int config_load_file(const char *path, struct settings *s, struct live_settings *live,
                     struct sim_params *sim,
                     struct config_diag *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	int err = f ? read_all(f, &buf, &len) : errno;

	if (f)
		fclose(f);
	if (err) {
		struct live_settings unused;
		start(s, live ? live : &unused, sim, d);
		cf_diag_add(d, CONFIG_ERROR, 0, "cannot read: %s", strerror(err));
		free(buf);
		return -1;
	}
	int rc = config_load_text(buf, len, s, live, sim, d);
	free(buf);
	return rc;
}

void config_free(struct settings *s)
{
	free(s->symbols);
	s->symbols = NULL;
	s->nsymbols = 0;
}

const struct symbol_settings *config_find_symbol(const struct settings *s, const char *symbol)
{
	struct symbol_settings key;

	if (copy_str(key.symbol, sizeof key.symbol, symbol, strlen(symbol)) < 0)
		return NULL;
	return bsearch(&key, s->symbols, s->nsymbols, sizeof key, by_symbol);
}
