/*
 * status.c - the line a person watching `hunter live` reads: where the
 * market streams stand, what the engine did, the account, the request
 * budget and the last error.
 */
#include <stdio.h>

#include "live_int.h"

void live_status_line(const struct live *l, char *buf, size_t cap)
{
	struct exchange_account a;
	char wallet[DEC_FMT_MAX], upnl[DEC_FMT_MAX];
	exchange_account((exchange_t *)&l->x, &a);
	dec_format(a.wallet, wallet);
	dec_format(a.unrealized, upnl);
	int n = snprintf(buf, cap,
	                 "%s | streams %u/%u up, lag %.0f ms | events %llu, liquidations %llu,"
	                 " updates %llu | wallet %s, unrealized %s, %u position(s)",
	                 l->simulate ? "simulate" : "live", l->rs.conns_up, l->rs.conns,
	                 l->rs.lag_ms_avg, (unsigned long long)l->events,
	                 (unsigned long long)l->liquidations, (unsigned long long)l->user_events,
	                 wallet, upnl, a.open_positions);
	if (!l->client || n < 0 || (size_t)n >= cap)
		return;
	struct xa_client_stats st;
	xa_client_get_stats(l->client, &st);
	const char *err = xa_client_last_error(l->client);
	snprintf(buf + n, cap - (size_t)n,
	         " | orders %llu (tick to order p50 %lld us, p99 %lld us), 429s %llu, 418s %llu%s%s%s",
	         (unsigned long long)st.orders_sent,
	         (long long)live_latency_pct(&l->tick_to_order, 50),
	         (long long)live_latency_pct(&l->tick_to_order, 99), (unsigned long long)st.throttled,
	         (unsigned long long)st.banned,
	         xa_client_banned(l->client) ? ", BANNED: no new entries" : "",
	         err[0] ? " | last error: " : "", err);
}
