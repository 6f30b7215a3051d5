/*
 * risk.c - the kill switch: conditions under which the engine opens nothing
 * new, whatever the liquidations say. Closing is never stopped: take-profits,
 * stop-losses and the unprotected-tranche close go on as before.
 *
 *  - daily_loss_limit_usdt: once the fills of the current UTC day have lost
 *    this much (realized PnL minus the fees paid in USDT; funding is not a
 *    fill and is not counted), every signal until the next UTC midnight is
 *    skipped as "daily_loss_limit".
 *  - the owner's stop (engine_stop_entries): a live run stopping, or
 *    banned by the exchange; every signal is skipped with its reason.
 *  - min_free_margin_usdt: an entry is skipped as "min_free_margin" when the
 *    USDT wallet balance, less the margin of our positions and entries in
 *    flight and of the entry itself, would fall below this. Unrealized
 *    profit is not counted as free (it can vanish before the entry fills);
 *    an unknown balance counts as none, so the switch fails closed.
 *
 * The day's loss is kept from our own fills, the balance from what the
 * session reports at start (engine_set_wallet) and every ACCOUNT_UPDATE.
 */
#include <string.h>

#include "engine_int.h"

#define DAY_MS 86400000LL

static int64_t utc_day(int64_t ms)
{
	return ms >= 0 ? ms / DAY_MS : (ms + 1) / DAY_MS - 1;
}

/* The loss so far of the day `now` is in; a new day starts from zero. */
static dec_t day_net(struct engine *e)
{
	int64_t day = utc_day(e->now);
	if (day != e->risk.day) {
		e->risk.day = day;
		e->risk.net = 0;
	}
	return e->risk.net;
}

static bool usdt(const char *asset)
{
	return !asset[0] || !strcmp(asset, "USDT");
}

void eng_risk_on_fill(struct engine *e, const struct ev_order *u)
{
	dec_t net = day_net(e) + u->realized_pnl;
	if (usdt(u->commission_asset))
		net -= u->commission;
	e->risk.net = net;
}

void eng_risk_on_account(struct engine *e, const struct ev_account *a)
{
	for (uint32_t i = 0; i < a->nbalances; i++)
		if (!strcmp(a->balances[i].asset, "USDT"))
			engine_set_wallet(e, a->balances[i].wallet);
}

void engine_set_wallet(engine_t *e, dec_t wallet)
{
	e->risk.wallet = wallet;
	e->risk.wallet_known = true;
}

void engine_stop_entries(engine_t *e, const char *reason)
{
	e->risk.stopped = reason;
}

const char *eng_risk_check(struct engine *e, dec_t entry_margin)
{
	if (e->risk.stopped)
		return e->risk.stopped;
	dec_t limit = e->s.daily_loss_limit_usdt;
	if (limit > 0 && day_net(e) <= -limit)
		return "daily_loss_limit";
	dec_t floor = e->s.min_free_margin_usdt;
	if (floor > 0 &&
	    (!e->risk.wallet_known || e->risk.wallet - e->margin - entry_margin < floor))
		return "min_free_margin";
	return NULL;
}
