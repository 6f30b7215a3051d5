/*
 * trading_int.h - the trading side of `hunter serve`: accounts, each with
 * its own simulated exchange (accounts.c), the authentication of signed
 * requests, V1 HMAC and V3 EIP-712 (auth.c), and the signed REST endpoints
 * on an account's simulation: their routing, order-rate limits and the
 * listenKey (trading.c), orders (orders.c), batches of orders (batch.c)
 * and the account's balances, positions and settings (wallet.c). http.c
 * hands them a request; server.c feeds every account the replay's market
 * events and clock. Nothing here needs libwebsockets.
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

/* A symbol's settings as the client set them (POST leverage, marginType,
 * countdownCancelAll). */
struct sym_setting {
	char symbol[SYMBOL_MAX];
	int leverage;
	margin_type_t margin;
	int64_t countdown_at_ms; /* wall clock: its open orders are cancelled then; 0 off */
};

/* One fill of the account's orders, from an ORDER_TRADE_UPDATE TRADE. */
struct fill {
	char symbol[SYMBOL_MAX];
	int64_t id, order_id, time_ms;
	side_t side;
	pos_side_t pos_side;
	dec_t price, qty, realized_pnl, commission;
	char commission_asset[ASSET_MAX];
	bool maker;
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
	bool multi_assets; /* multiAssetsMargin as set; the simulation is USDT only */
	struct sym_setting *settings;
	size_t nsettings, settings_cap;
	ev_t *orders; /* the last update of each order, in order of placement */
	size_t norders, orders_cap;
	struct fill *fills; /* in the order they happened */
	size_t nfills, fills_cap;
	struct window orders_1m, orders_10s; /* orders placed, for the ORDERS limits */
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
	const struct market *market; /* its exchangeInfo gives a new account the rules;
	                              * its limits the ORDERS limits of each account */
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
/* Fires the countdowns (countdownCancelAll) that are due by `wall_ms`. */
void serve_accounts_countdowns(struct accounts *a, int64_t wall_ms);
/* Cancels the account's open orders on `symbol`. */
void serve_account_cancel_all(struct account *ac, const char *symbol);
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

/* trading.c: whether `name` is a signed endpoint (of any method). */
bool serve_trading_known(const char *name);
/* trading.c: answers a call to a signed endpoint (serve_trading_known). */
void serve_trading_answer(struct accounts *a, struct signed_req *q, struct rest_reply *r);

/* rest.c: an error answer {"code":..,"msg":".."} with its HTTP status;
 * the object alone, for an element of a batch's answer. */
void serve_rest_error(struct rest_reply *r, int status, int code, const char *msg);
void serve_error_json(struct text *t, int code, const char *msg);

/* ---------------------------------------------------------------- */
/* The signed endpoints (trading.c, orders.c, batch.c, wallet.c)    */
/* ---------------------------------------------------------------- */

/* One signed call, its account found. */
struct tcall {
	struct accounts *a;
	struct account *ac;
	const struct signed_req *q;
	struct rest_reply *r;
};

typedef void (*endpoint_fn)(struct tcall *c);

/* trading.c: takes n orders from the account's ORDERS limits, or answers
 * 429 -1015 with Retry-After and returns false. */
bool serve_orders_admit(struct tcall *c, uint64_t n);
/* trading.c: a required parameter; false when missing (answered -1102). */
bool serve_required(struct tcall *c, const char *key, char *out, size_t cap);
/* trading.c: the optional `limit` (1..max, else dflt); false when bad
 * (answered -1130). */
bool serve_limit_param(struct tcall *c, int64_t max, int64_t dflt, int64_t *out);
/* trading.c: the request's `symbol` is one the recordings know, else
 * answered -1121. */
bool serve_known_symbol(struct tcall *c, const char *symbol);
/* trading.c: the optional `symbol` that narrows a list, "" when absent;
 * false when it names no symbol the recordings know (answered -1121). */
bool serve_symbol_filter(struct tcall *c, char symbol[SYMBOL_MAX]);

/* orders.c */
bool serve_order_json(struct text *t, const ev_t *ev);
/* Places the order of a form-encoded parameter string; writes the order,
 * or {code,msg}, to out. Returns 0 or the error code. */
int serve_place(struct tcall *c, const char *params, size_t len, struct text *out);
/* Cancels an order the account had (by client id, else order id); writes
 * the CANCELED order or {code,msg}. Returns 0 or the error code. */
int serve_cancel(struct tcall *c, const char *symbol, const char *cid, int64_t order_id,
                 struct text *out);
void serve_ep_new_order(struct tcall *c);
void serve_ep_cancel_order(struct tcall *c);
void serve_ep_query_order(struct tcall *c);
void serve_ep_open_order(struct tcall *c);
void serve_ep_open_orders(struct tcall *c);
void serve_ep_all_orders(struct tcall *c);
void serve_ep_cancel_all(struct tcall *c);
void serve_ep_countdown(struct tcall *c);
void serve_ep_user_trades(struct tcall *c);

/* batch.c: the parsers of the batch parameters, client input read with
 * no account (fuzz_serve_request reaches them). */
#define BATCH_PLACE_MAX 5   /* orders in a POST batchOrders */
#define BATCH_CANCEL_MAX 10 /* ids in a DELETE batchOrders */
/* `batchOrders` (percent-decoded): a JSON array of 1 to 5 objects of
 * string values, each written as a form-encoded parameter string for
 * xa_order_decode into params[i] (the caller frees them). Returns 0 with
 * *n set, or -1130 (not such an array) or -4082 (too many or none) with
 * the message in msg. */
int serve_batch_orders_parse(const char *json, char *params[BATCH_PLACE_MAX], size_t *n,
                             char *msg, size_t cap);
struct batch_ref {
	int64_t order_id;
	char client_id[CLIENT_ID_MAX]; /* "" when the list was of order ids */
};
/* orderIdList ([1,2]) or origClientOrderIdList (["a","b"]), up to 10.
 * Returns 0 with *n set, or -1130 with the message in msg. */
int serve_batch_refs_parse(const char *json, bool client_ids, struct batch_ref *out, size_t *n,
                           char *msg, size_t cap);
void serve_ep_batch_place(struct tcall *c);
void serve_ep_batch_cancel(struct tcall *c);

/* wallet.c */
void serve_ep_balance(struct tcall *c);
void serve_ep_account(struct tcall *c);
void serve_ep_position_risk(struct tcall *c);
void serve_ep_leverage_bracket(struct tcall *c);
void serve_ep_leverage(struct tcall *c);
void serve_ep_margin_type(struct tcall *c);
void serve_ep_dual_get(struct tcall *c);
void serve_ep_dual_set(struct tcall *c);
void serve_ep_multi_assets_get(struct tcall *c);
void serve_ep_multi_assets_set(struct tcall *c);

#endif
