/*
 * quality.c - the data-quality section: what the figures above rest on.
 * The exchange's one-liquidation-per-second throttle, duplicates, gaps and
 * reconnects reported by the sources, holes in each symbol's market data,
 * streams that went silent, how the simulated exchange priced each
 * symbol's fills, and how many events of each stream the run processed.
 */
#include "report_int.h"

static void throttle_note(struct report *r)
{
	rp_html_printf(r->f, "<p class=\"note\">The exchange publishes at most one liquidation per"
	                  " symbol per second (the forceOrder stream is throttled), so every"
	                  " liquidation volume in this report, and the strategy's windows, are lower"
	                  " bounds of what was really liquidated.</p>\n");
	if (!r->market)
		return;
	int64_t all = rp_db_int(r, "SELECT count(*) FROM market_liquidations");
	int64_t dup = all - rp_db_int(r, "SELECT count(*) FROM (SELECT DISTINCT ms, symbol, liq_side,"
	                              " qty_e8, price_e8, avg_price_e8, filled_qty_e8"
	                              " FROM market_liquidations)");
	rp_html_printf(r->f, "<p>Liquidations in the data: <span data-key=\"liquidations\""
	                  " data-value=\"%lld\">%lld</span>, of which <span"
	                  " data-key=\"duplicate_liquidations\" data-value=\"%lld\">%lld</span> repeat an"
	                  " earlier one exactly (same time, side, quantity and prices) and count once"
	                  " in the windows.</p>\n", (long long)all, (long long)all, (long long)dup,
	            (long long)dup);
}

static void gaps(struct report *r)
{
	static const struct col sum[] = {
		{"kind", COL_TEXT}, {"count", COL_INT}, {"symbols", COL_INT}, {"longest", COL_DUR},
		{"total", COL_DUR},
	};
	rp_table_sql(r, "Gaps and reconnects by kind (silence: a symbol without market data for"
	             " more than 5 s)",
	          "SELECT kind, count(*), count(DISTINCT symbol), max(CASE WHEN from_ms > 0 THEN"
	          " ms - from_ms END), sum(CASE WHEN from_ms > 0 THEN ms - from_ms END)"
	          " FROM market_gaps GROUP BY kind ORDER BY kind", sum, 5, false);
	static const struct col all[] = {
		{"time (UTC)", COL_TIME}, {"symbol", COL_TEXT}, {"kind", COL_TEXT},
		{"data missing since", COL_TIME}, {"length", COL_DUR}, {"reason", COL_TEXT},
	};
	rp_table_sql(r, "Every gap",
		     "SELECT ms, symbol, kind, CASE WHEN from_ms > 0 THEN from_ms END,"
		     " CASE WHEN from_ms > 0 THEN ms - from_ms END, reason FROM market_gaps ORDER BY id",
		     all, 6, true);
}

static void silences(struct report *r)
{
	if (!rp_db_has_table(r, "market_silences"))
		return;
	static const struct col cols[] = {
		{"symbol", COL_TEXT}, {"stream", COL_TEXT}, {"silent from (UTC)", COL_TIME},
		{"to (UTC)", COL_TIME}, {"length", COL_DUR}, {"", COL_TEXT},
	};
	rp_table_sql(r, "Streams silent for more than 60 s while the run went on (prices from a"
	             " silent book are not used after max_quote_age_sec)",
	          "SELECT symbol, stream, from_ms, to_ms, to_ms - from_ms, CASE WHEN stopped THEN"
	          " 'stopped before the end' ELSE '' END FROM market_silences"
	          " ORDER BY to_ms - from_ms DESC, symbol", cols, 6, true);
}

/* How the simulated exchange priced each symbol's fills: how much of the
 * result leans on liquidity the data did not show. */
static void fill_modes(struct report *r)
{
	if (!rp_db_has_table(r, "symbol_fills"))
		return;
	static const struct col cols[] = {
		{"symbol", COL_TEXT}, {"taker qty, synced depth", COL_E8}, {"top of book only", COL_E8},
		{"trades only", COL_E8}, {"beyond the liquidity seen", COL_E8},
		{"share assumed", COL_TEXT}, {"stop triggers", COL_INT},
		{"MARK_PRICE stops on the last trade", COL_INT},
	};
	rp_table_sql(r, "Book each symbol's taker fills were priced with (docs/simulation.md)",
		     "SELECT symbol, qty_depth_e8, qty_top_e8, qty_trades_e8, qty_assumed_e8,"
		     " printf('%.1f %%', 100.0 * qty_assumed_e8 / max(1, qty_depth_e8 + qty_top_e8 +"
		     " qty_trades_e8)), stop_triggers, stop_triggers_on_last FROM symbol_fills"
		     " ORDER BY symbol", cols, 8, false);
}

/* Databases written before longest_silence_ms existed show the column
 * empty rather than a figure nobody measured. */
static void streams(struct report *r)
{
	static const struct col cols[] = {
		{"symbol", COL_TEXT}, {"stream", COL_TEXT}, {"events", COL_INT},
		{"first (UTC)", COL_TIME}, {"last (UTC)", COL_TIME}, {"span", COL_DUR},
		{"longest silence", COL_DUR},
	};
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT symbol, stream, events, first_ms, last_ms,"
	         " last_ms - first_ms, %s FROM market_streams ORDER BY events DESC, symbol, stream",
	         rp_db_has_column(r, "market_streams", "longest_silence_ms") ? "longest_silence_ms"
	                                                                     : "NULL");
	rp_table_sql(r, "Events per stream and symbol, with the longest time between two events"
	             " (or from the last one to the end of the run)", sql, cols, 7, true);
}

void rp_page_quality(struct report *r)
{
	rp_html_section(r->f, "quality", "Data quality");
	throttle_note(r);
	fill_modes(r);
	if (!r->market) {
		rp_html_note(r->f, "This run database has no market_* tables: gaps, holes and event"
		                " counts per stream are unknown.");
		return;
	}
	gaps(r);
	silences(r);
	streams(r);
}
