/*
 * What public liquidation loggers of other versions write: every valid row
 * becomes one event, and only broken rows are reported. A `tier` column, an
 * average price of None/null/nothing, symbols in other scripts, spaces and
 * tabs around fields, trade rows with usd_size and tier. Rows that give a
 * date instead of epoch milliseconds are refused and counted, never
 * guessed. And the arrival delay that stands a liquidation at the time a
 * live stream would have shown it.
 */
#include "imp_test.h"

static struct loaded *load_csv(const char *text, imp_format_t f, int64_t delay, char **path)
{
	*path = temp_file(text, strlen(text));
	struct imp_options o = {.format = f, .liq_arrival_delay_ms = delay};
	return load_with(o, (const char *const *)path, 1);
}

static void done(struct loaded *l, char *path)
{
	unlink(path);
	free(path);
	unload(l);
}

static bool is_sol(const ev_t *e)
{
	return !strcmp(e->symbol, "SOLUSDT");
}

Test(variants, every_valid_liquidation_row_becomes_one_event)
{
	char *path;
	struct loaded *l = load_csv(
		/* a 13th column: tier */
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000,2\n"
		/* average price None, null, empty: the order price stands in */
		"ETH,BUY,LIMIT,IOC,1,3000,None,FILLED,1,1,1737908829830,3000\n"
		"ETH,BUY,LIMIT,IOC,1,3001,null,FILLED,1,1,1737908829831,3001\n"
		"SOL,BUY,LIMIT,IOC,2,200,,FILLED,2,2,1737908829832,400\n"
		/* a symbol in another script (UTF-8), spaces and a tab around fields */
		"\xe5\xb8\x81\xe5\xae\x89, SELL,LIMIT ,\tIOC,3,1.5,1.5,FILLED,3,3, 1737908829833 ,4.5\n",
		IMP_LIQ_CSV, 0, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.bad, 0, "first report: %s", l->nbad ? l->bad_msg[0] : "");
	cr_assert_eq(l->st.events, 5);
	const ev_t *sol = find_ev(l->set, EV_LIQUIDATION, "SOLUSDT", NULL);
	cr_assert_not_null(sol);
	cr_assert_eq(sol->u.liq.avg_price, D("200"));
	const ev_t *eth = find_ev(l->set, EV_LIQUIDATION, "ETHUSDT", NULL);
	cr_assert_eq(eth->u.liq.avg_price, D("3000"));
	cr_assert_not_null(find_ev(l->set, EV_LIQUIDATION, "\xe5\xb8\x81\xe5\xae\x89USDT", NULL));
	done(l, path);
}

Test(variants, broken_rows_are_still_reported)
{
	char *path;
	struct loaded *l = load_csv(
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000,high\n"
		"ETH,BUY,LIMIT,IOC,1,3000,Nan,FILLED,1,1,1737908829830,3000\n"
		"b\xfftc,BUY,LIMIT,IOC,1,3000,3000,FILLED,1,1,1737908829830,3000\n"
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000,2,x\n",
		IMP_LIQ_CSV, 0, &path);
	cr_assert_eq(l->st.bad, 4);
	cr_assert(strstr(l->bad_msg[0], "field 13 (tier)"), "%s", l->bad_msg[0]);
	cr_assert(strstr(l->bad_msg[1], "field 7 (ap)"), "%s", l->bad_msg[1]);
	cr_assert(strstr(l->bad_msg[2], "field 1 (symbol)"), "%s", l->bad_msg[2]);
	cr_assert(strstr(l->bad_msg[3], "expected 12 or 13 fields, found 14"), "%s", l->bad_msg[3]);
	done(l, path);
}

Test(variants, trade_rows_with_usd_size_and_tier)
{
	char *path;
	struct loaded *l = load_csv(
		"1737908829900, SOLUSDT, 12345, 200.5, 10, 1737908829890, True, 2005.0, 3\n"
		"1737908829901, SOLUSDT, 12346, 200.6, 11, 1737908829891, False\n",
		IMP_TRADES_CSV, 0, &path);
	cr_assert_eq(l->rc, IMP_OK, "%s", l->err);
	cr_assert_eq(l->st.bad, 0, "%s", l->nbad ? l->bad_msg[0] : "");
	cr_assert_eq(l->st.events, 2);
	cr_assert(find_ev(l->set, EV_AGG_TRADE, "SOLUSDT", is_sol)->u.trade.buyer_maker);
	done(l, path);
}

Test(variants, a_date_instead_of_epoch_ms_is_counted_never_guessed)
{
	char *path;
	struct loaded *l = load_csv(
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829829,50000\n"
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,2025-01-26 16:27:09,50000\n"
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,2025-01-26T16:27:10Z,50000\n",
		IMP_LIQ_CSV, 0, &path);
	cr_assert_eq(l->st.events, 1);
	cr_assert_eq(l->st.bad, 0, "dates are counted apart, not reported row by row");
	cr_assert_eq(l->st.wallclock, 2);
	cr_assert_eq(l->st.wallclock_line, 2);
	cr_assert_str_eq(l->st.wallclock_file, path);
	done(l, path);
}

Test(variants, liquidations_arrive_after_their_trade_time)
{
	char *path;
	struct loaded *l = load_csv(
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829000,50000\n"
		"ETH,BUY,LIMIT,IOC,1,3000,3000,FILLED,1,1,1737908829500,3000\n",
		IMP_LIQ_CSV, 1000, &path);
	const ev_t *btc = find_ev(l->set, EV_LIQUIDATION, "BTCUSDT", NULL);
	cr_assert_eq(btc->u.liq.trade_ms, 1737908829000, "the trade time is kept");
	cr_assert_eq(btc->exch_ms, 1737908830000, "the event time is the arrival");
	cr_assert_eq(l->st.liq_delayed, 2);
	done(l, path);
}

Test(variants, only_liquidations_kept_in_the_window_count_as_delayed)
{
	const char *rows =
		"BTC,SELL,LIMIT,IOC,0.5,100000.1,100000.2,FILLED,0.5,0.5,1737908829000,50000\n"
		"ETH,BUY,LIMIT,IOC,1,3000,3000,FILLED,1,1,1737908839500,3000\n";
	char *path = temp_file(rows, strlen(rows));
	struct imp_options o = {.format = IMP_LIQ_CSV, .liq_arrival_delay_ms = 1000,
	                        .to_ms = 1737908835000};
	struct loaded *l = load_with(o, (const char *const *)&path, 1);
	cr_assert_eq(l->st.events, 1);
	cr_assert_eq(l->st.outside, 1);
	cr_assert_eq(l->st.liq_delayed, 1, "the row after --to was not delayed into the file");
	done(l, path);
}
