/*
 * trading_int.h - the trading side of `hunter serve`: accounts, each with
 * its own simulated exchange (accounts.c), the authentication of signed
 * requests, V1 HMAC and V3 EIP-712 (auth.c), and the signed REST endpoints
 * that place, cancel and query orders on an account's simulation
 * (trading.c). http.c hands them a request; server.c feeds every account
 * the replay's market events and clock. Nothing here needs libwebsockets.
 */
#ifndef HUNTER_SERVE_TRADING_INT_H
#define HUNTER_SERVE_TRADING_INT_H

#include "exchange_sim.h"
#include "serve_int.h"
#include "sign.h"

#define ACCT_KEY_MAX 160     /* bytes of an api_key or api_secret, NUL included */
#define ACCT_NONCES 100      /* V3 nonces remembered per signer, as Aster does */
#define ACCT_REJECT_MAX 160  /* bytes of a rejection message */
#define ACCT_LISTEN_KEY_LEN 64 /* characters of a listenKey, as Aster's */
#define ACCT_FRESH_MAX 1000    /* fresh accounts made for new V3 signers, at most */

enum acct_scheme { ACCT_V1, ACCT_V3 };

struct accounts;

/* A symbol's settings as the client set them (POST leverage, marginType). */
struct sym_setting {
	char symbol[SYMBOL_MAX];
	int leverage;
	margin_type_t margin;
};

struct account {
	struct accounts *table; /* the table it belongs to */
	enum acct_scheme scheme;
	char api_key[ACCT_KEY_MAX], api_secret[ACCT_KEY_MAX]; /* V1 */
	uint8_t user[SIGN_ADDR_LEN], signer[SIGN_ADDR_LEN];   /* V3 */
	uint64_t nonces[ACCT_NONCES];                         /* a ring of used nonces */
	size_t nnonces;
	sim_t *sim;
	exchange_t x; /* the same simulation behind the exchange interface */
	bool hedge;   /* dual-side positions */
	struct sym_setting *settings;
	size_t nsettings, settings_cap;
	ev_t *orders; /* the last update of each order, in order of placement */
	size_t norders, orders_cap;
	int reject_code; /* the simulation's last refusal, 0 none */
	char reject_msg[ACCT_REJECT_MAX];
	uint64_t next_client_id;
	char listen_key[ACCT_LISTEN_KEY_LEN + 1]; /* "" when none is active */
	int64_t listen_key_expires_ms;            /* wall clock */
};

struct accounts {
	struct account **v;
	size_t n, cap;
	bool fixed;                /* from --accounts: no fresh ones */
	const struct market *market; /* its exchangeInfo gives a new account the rules */
	int64_t now_ms;            /* the replay's clock, as far as accounts were advanced */
	int64_t listen_key_ttl_ms; /* a listenKey without keepalive expires after this */
	/* the user data stream: an account's order and account updates, and
	 * the expiry of its listenKey (set by the server) */
	void (*on_user_event)(void *ctx, const struct account *ac, const ev_t *ev);
	void (*on_key_expired)(void *ctx, const struct account *ac, int64_t wall_ms);
	void *user_ctx;
};

/* An empty table; with `path`, the accounts of that JSON file (a list of
 * {"api_key","api_secret","balance_usdt"} or {"user","signer",
 * "balance_usdt"}). Returns 0, or -1 with the reason in err[SERVE_ERR_MAX]
 * (the reason never quotes a secret). */
int serve_accounts_init(struct accounts *a, const struct market *m, const char *path,
                        int64_t listen_key_ttl_ms, char *err);
void serve_accounts_free(struct accounts *a);
struct account *serve_accounts_by_key(const struct accounts *a, const char *api_key);
/* The account of a V3 signer; without --accounts a new one funded with
 * 10000 USDT is made for a signer first seen (up to ACCT_FRESH_MAX).
 * NULL: unknown, too many, or no memory. */
struct account *serve_accounts_by_signer(struct accounts *a, const uint8_t user[SIGN_ADDR_LEN],
                                         const uint8_t signer[SIGN_ADDR_LEN]);
/* The settings of a symbol, defaults (leverage 20, cross) when new; NULL
 * when out of memory. */
struct sym_setting *serve_account_setting(struct account *ac, const char *symbol);
/* The account whose active listenKey is `key`; NULL for none. */
struct account *serve_accounts_by_listen_key(const struct accounts *a, const char *key);
/* Expires the listenKeys not kept alive by `wall_ms`, telling on_key_expired. */
void serve_accounts_expire(struct accounts *a, int64_t wall_ms);
/* A market event and the replay clock, to every account. */
void serve_accounts_market(struct accounts *a, const ev_t *ev);
void serve_accounts_advance(struct accounts *a, int64_t now_ms);
/* The last update of an order by client id (when cid is non-empty) or by
 * order id; NULL when the account never had it. */
const ev_t *serve_account_order(const struct account *ac, const char *cid, int64_t order_id);

/* A signed request as http.c received it: query and body are the raw
 * bytes; api_key is the X-MBX-APIKEY header ("" when absent). */
struct signed_req {
	const char *method; /* "GET", "POST", "PUT", "DELETE" */
	const char *name;   /* the path after /fapi/vN/ */
	const char *query, *body;
	const char *api_key;
	int64_t wall_ms; /* the server's wall clock: timestamps and nonces are checked on it */
};

/* auth.c: a parameter of the query, else of the body (the query's wins,
 * as on Aster), as serve_query_get and serve_query_int answer. */
int serve_signed_param(const struct signed_req *q, const char *key, char *out, size_t cap);
int serve_signed_int(const struct signed_req *q, const char *key, int64_t min, int64_t max,
                     int64_t *out);
/* auth.c: the account that signed the request, or NULL with the error
 * answered in r (Aster's status, code and message). A V3 request is
 * narrowed to its signed part (query or body). */
struct account *serve_auth(struct accounts *a, struct signed_req *q, struct rest_reply *r);

/* trading.c: whether `name` is a signed endpoint; when it is, answers it. */
bool serve_trading_answer(struct accounts *a, struct signed_req *q, struct rest_reply *r);

/* rest.c: an error answer {"code":..,"msg":".."} with its HTTP status. */
void serve_rest_error(struct rest_reply *r, int status, int code, const char *msg);

#endif
