/*
 * bench_accounts.h - what the benchmarks that trade through hunter's Aster
 * client share: two funded accounts on `hunter serve` (a V1 key and the V3
 * demo signer of aster-api.md 2.3), the server started on them with its
 * rate limits raised out of the way, and the client's credentials for
 * either scheme.
 */
#ifndef HUNTER_BENCH_ACCOUNTS_H
#define HUNTER_BENCH_ACCOUNTS_H

#include "exchange_aster.h"
#include "serve_proc.h"

#define BENCH_V1_KEY "bench-key"
#define BENCH_V1_SECRET "bench-secret"
#define BENCH_V3_KEY "0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1"
#define BENCH_V3_SIGNER "0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0"
#define BENCH_V3_USER "0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e"

/* `hunter serve --loop` on `rec` with both accounts (work/accounts.json),
 * at `speed` times real time ("1": as recorded): its pid and port, or -1. */
static inline pid_t bench_trading_server(const char *rec, const char *work, const char *speed,
                                         int *port)
{
	char accounts[PATH_MAX];
	snprintf(accounts, sizeof accounts, "%s/accounts.json", work);
	FILE *f = fopen(accounts, "w");
	if (!f)
		return -1;
	fprintf(f, "[{\"api_key\":\"%s\",\"api_secret\":\"%s\",\"balance_usdt\":\"1000000\"},"
	        "{\"user\":\"%s\",\"signer\":\"%s\",\"balance_usdt\":\"1000000\"}]\n",
	        BENCH_V1_KEY, BENCH_V1_SECRET, BENCH_V3_USER, BENCH_V3_SIGNER);
	fclose(f);
	const char *args[] = {rec, "--accounts", accounts, "--loop", "--speed", speed,
	                      "--weight-limit", "100000000", "--order-limit-1m", "100000000",
	                      "--order-limit-10s", "100000000", NULL};
	return start_server(args, work, port);
}

/* The client's credentials for one of the two accounts. */
static inline void bench_creds(struct xa_creds *cr, bool v3)
{
	*cr = (struct xa_creds){.scheme = v3 ? XA_AUTH_V3 : XA_AUTH_V1};
	snprintf(cr->api_key, sizeof cr->api_key, BENCH_V1_KEY);
	snprintf(cr->api_secret, sizeof cr->api_secret, BENCH_V1_SECRET);
	snprintf(cr->user, sizeof cr->user, BENCH_V3_USER);
	snprintf(cr->signer, sizeof cr->signer, BENCH_V3_SIGNER);
	snprintf(cr->signer_key, sizeof cr->signer_key, BENCH_V3_KEY);
}

#endif
