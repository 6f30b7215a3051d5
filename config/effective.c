/*
 * effective.c - writes the settings a run actually uses as settings.json:
 * every key of the schema with its value, defaults included, in schema
 * order, symbols sorted, numbers printed from exact decimals. The output
 * loads back to the same values (the tests and the fuzz target check it),
 * so it doubles as a complete, current example of the format.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

static void write_value(FILE *out, const struct field *f, const void *base)
{
	struct fval v;
	char num[DEC_FMT_MAX];
	const char *name;

	cf_field_get(f, base, &v);
	switch (f->kind) {
	case F_BOOL:
		fputs(v.d ? "true" : "false", out);
		break;
	case F_ENUM:
		name = cf_schema_spelling(f->names, (int)v.d);
		if (name)
			fprintf(out, "\"%s\"", name);
		else
			fputs("null", out); /* not a value of the enum: will not load */
		break;
	case F_U64:
		fprintf(out, "%" PRIu64, v.u);
		break;
	default:
		dec_format(v.d, num);
		fputs(num, out);
		break;
	}
}

/* `live` holds the LIVE fields of the globals (NULL: their defaults). */
static void write_section(FILE *out, const struct section *sec, const void *base,
                          const struct live_settings *live, int indent)
{
	const char *sep = "";

	fputc('{', out);
	for (size_t i = 0; i < sec->nfields; i++) {
		const struct field *f = &sec->fields[i];
		if (f->flags & INPUT_ONLY)
			continue;
		fprintf(out, "%s\n%*s\"%s\": ", sep, indent + 2, "", f->key);
		write_value(out, f, f->flags & LIVE ? (const void *)live : base);
		sep = ",";
	}
	fprintf(out, "\n%*s}", indent, "");
}

int config_write_effective(FILE *out, const struct settings *s, const struct live_settings *live,
                           const struct sim_params *sim)
{
	char name[2 * SYMBOL_MAX + 8];
	struct live_settings defaults;
	if (!live) {
		cf_schema_live_defaults(&defaults);
		live = &defaults;
	}

	fputs("{\n  \"globals\": ", out);
	write_section(out, &cf_schema_globals, s, live, 2);
	fputs(",\n  \"symbols\": {", out);
	for (uint32_t i = 0; i < s->nsymbols; i++) {
		cf_repr_string(name, sizeof name, s->symbols[i].symbol, strlen(s->symbols[i].symbol));
		fprintf(out, "%s\n    %s: ", i ? "," : "", name);
		write_section(out, &cf_schema_symbol, &s->symbols[i], NULL, 4);
	}
	fputs(s->nsymbols ? "\n  },\n  \"simulation\": " : "},\n  \"simulation\": ", out);
	write_section(out, &cf_schema_simulation, sim, NULL, 2);
	fputs("\n}\n", out);
	return ferror(out) ? -1 : 0;
}

int config_write_simulation(FILE *out, const struct sim_params *sim)
{
	write_section(out, &cf_schema_simulation, sim, NULL, 0);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* What a writer above puts in a stream, as a string. */
static char *to_text(const struct settings *s, const struct live_settings *live,
                     const struct sim_params *sim, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (!f)
		return NULL;
	int rc = s ? config_write_effective(f, s, live, sim) : config_write_simulation(f, sim);
	if (fclose(f) || rc) {
		free(text);
		return NULL;
	}
	return text;
}

char *config_effective_text(const struct settings *s, const struct live_settings *live,
                            const struct sim_params *sim, size_t *len)
{
	return to_text(s, live, sim, len);
}

char *config_simulation_text(const struct sim_params *sim, size_t *len)
{
	return to_text(NULL, NULL, sim, len);
}
