/*
 * trades.c - what the strategy did, as tables: results per symbol and
 * side, every signal with its outcome, every round trip and every fill,
 * and the engine's notes. The long tables are folded (table.c) but hold
 * every row: the page is the whole record, not a sample.
 */
#include "report_int.h"

static void per_symbol(struct report *r)
{
	static const struct col cols[] = {
		{"symbol", COL_TEXT}, {"direction", COL_TEXT}, {"signals", COL_INT},
		{"fired", COL_INT}, {"round trips", COL_INT}, {"won", COL_INT},
		{"gross PnL", COL_E8}, {"fees", COL_E8}, {"funding", COL_E8}, {"net PnL", COL_E8},
		{"avg holding", COL_DUR},
	};
	rp_table_sql(r, "Per symbol and side",
		     "WITH sg AS (SELECT symbol, CASE side WHEN 'BUY' THEN 'LONG' ELSE 'SHORT' END AS dir,"
		     " count(*) AS n, sum(fired) AS fired FROM signals GROUP BY 1, 2),"
		     " rt AS (SELECT symbol, direction AS dir, count(*) AS n, sum(net_e8 > 0) AS wins,"
		     " sum(gross_e8) AS gross, sum(fees_e8) AS fees, sum(funding_e8) AS funding,"
		     " sum(net_e8) AS net, CAST(avg(close_ms - open_ms) AS INTEGER) AS hold"
		     " FROM round_trips WHERE close_ms IS NOT NULL GROUP BY 1, 2),"
		     " k AS (SELECT symbol, dir FROM sg UNION SELECT symbol, dir FROM rt)"
		     " SELECT k.symbol, k.dir, coalesce(sg.n, 0), coalesce(sg.fired, 0), coalesce(rt.n, 0),"
		     " coalesce(rt.wins, 0), coalesce(rt.gross, 0), coalesce(rt.fees, 0),"
		     " coalesce(rt.funding, 0), coalesce(rt.net, 0), rt.hold"
		     " FROM k LEFT JOIN sg USING (symbol, dir) LEFT JOIN rt USING (symbol, dir)"
		     " ORDER BY 1, 2", cols, 11, false);
}

/* A signal's outcome is the last state of its entry order and what filled;
 * the joins go through grouped subqueries so that SQLite indexes them. */
static void signals(struct report *r)
{
	static const struct col cols[] = {
		{"time (UTC)", COL_TIME}, {"symbol", COL_TEXT}, {"liquidated", COL_TEXT},
		{"window volume", COL_E8}, {"threshold", COL_E8}, {"trade", COL_TEXT},
		{"position side", COL_TEXT}, {"fired", COL_BOOL}, {"reason", COL_TEXT},
		{"entry order", COL_TEXT}, {"price", COL_E8}, {"qty", COL_E8},
		{"order outcome", COL_TEXT}, {"filled qty", COL_E8},
	};
	rp_table_sql(r, "Signals: every trigger, with its outcome and reason",
		     "SELECT s.ms, s.symbol, CASE s.liq_side WHEN 'SELL' THEN 'longs' WHEN 'BUY'"
		     " THEN 'shorts' ELSE s.liq_side END, s.window_volume_e8, s.threshold_e8, s.side,"
		     " s.pos_side, s.fired, s.reason, s.client_id, s.price_e8, s.qty_e8,"
		     " coalesce(o.state, ''), coalesce(f.qty, 0) FROM signals s"
		     " LEFT JOIN (SELECT client_id, state FROM orders WHERE id IN"
		     " (SELECT max(id) FROM orders GROUP BY client_id)) o"
		     " ON s.client_id <> '' AND o.client_id = s.client_id"
		     " LEFT JOIN (SELECT client_id, sum(qty_e8) AS qty FROM fills GROUP BY client_id) f"
		     " ON s.client_id <> '' AND f.client_id = s.client_id ORDER BY s.id", cols, 14, true);
}

static void round_trips(struct report *r)
{
	static const struct col cols[] = {
		{"#", COL_INT}, {"symbol", COL_TEXT}, {"position side", COL_TEXT},
		{"direction", COL_TEXT}, {"opened (UTC)", COL_TIME}, {"closed (UTC)", COL_TIME},
		{"held", COL_DUR}, {"fills", COL_INT}, {"qty", COL_E8}, {"closed qty", COL_E8},
		{"entry avg", COL_E8}, {"exit avg", COL_E8}, {"gross", COL_E8}, {"fees", COL_E8},
		{"funding", COL_E8}, {"net", COL_E8},
	};
	rp_table_sql(r, "Round trips",
		     "SELECT id, symbol, pos_side, direction, open_ms, close_ms, close_ms - open_ms,"
		     " fills, qty_e8, closed_qty_e8, entry_avg_e8, exit_avg_e8, gross_e8, fees_e8,"
		     " funding_e8, net_e8 FROM round_trips ORDER BY id", cols, 16, true);
}

static void fills(struct report *r)
{
	static const struct col cols[] = {
		{"time (UTC)", COL_TIME}, {"symbol", COL_TEXT}, {"order", COL_TEXT},
		{"role", COL_TEXT}, {"tranche", COL_INT}, {"side", COL_TEXT},
		{"position side", COL_TEXT}, {"price", COL_E8}, {"qty", COL_E8}, {"fee", COL_E8},
		{"maker", COL_BOOL}, {"realized PnL", COL_E8}, {"trade id", COL_INT},
	};
	rp_table_sql(r, "Fills",
		     "SELECT ms, symbol, client_id, role, tranche, side, pos_side, price_e8, qty_e8,"
		     " fee_e8, maker, realized_pnl_e8, trade_id FROM fills ORDER BY id", cols, 13, true);
}

static void notes(struct report *r)
{
	static const struct col cols[] = {
		{"time (UTC)", COL_TIME}, {"symbol", COL_TEXT}, {"note", COL_TEXT},
	};
	rp_table_sql(r, "Engine notes", "SELECT ms, symbol, text FROM notes ORDER BY id", cols, 3, true);
}

void rp_page_trades(struct report *r)
{
	rp_html_section(r->f, "trades", "Trades");
	per_symbol(r);
	signals(r);
	round_trips(r);
	fills(r);
	notes(r);
}
