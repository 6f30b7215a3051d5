/*
 * harness.h - drives the engine in unit tests: builds events by hand and
 * plays a small scripted exchange that records every intent the engine
 * sends, keeps the orders it placed, and answers with ORDER_TRADE_UPDATE
 * events (acknowledgements, fills, cancellations) or rejections when the
 * test says so. It also keeps a copy of every journal record.
 *
 * The exchange here has no market model on purpose: each test decides which
 * fills happen at which price, so the engine's reaction is checked exactly.
 */
#ifndef HUNTER_TEST_ENGINE_HARNESS_H
#define HUNTER_TEST_ENGINE_HARNESS_H

#include "engine.h"

#define FX_MAX 4096

enum fx_kind { FX_PLACE = 1, FX_CANCEL, FX_REPLACE };

struct fx_intent {
	enum fx_kind kind;
	order_req req;              /* FX_PLACE, FX_REPLACE */
	char client_id[CLIENT_ID_MAX]; /* the order placed or cancelled */
};

struct fx_order {
	order_req req;
	dec_t filled;
	bool open, accepted, cancel_asked;
};

struct fx {
	engine_t *e;
	struct settings s;
	struct symbol_settings sym[2];
	struct symbol_rules rules;
	int64_t now;
	int64_t trade_id;
	ev_t last;                  /* the last event given to the engine, to repeat it */
	struct fx_intent in[FX_MAX];
	int nin;
	struct fx_order ord[FX_MAX];
	int nord;
	struct journal_rec j[4 * FX_MAX];
	char note[4 * FX_MAX][160]; /* note texts live only during the call: copies */
	int nj;
};

/* Settings a test starts from: BTCUSDT, hedge mode, thresholds 1000 USDT,
 * leverage 10, 10 USDT per entry, TP 1 %, SL 2 %, tick 0.1, step 0.001. */
struct fx *fx_new(void);
/* Creates the engine from fx->s, fx->sym and fx->rules (change them first). */
void fx_start(struct fx *f);
void fx_free(struct fx *f);

dec_t D(const char *s); /* a decimal from text, e.g. D("0.001") */

/* Market events for BTCUSDT at time `ms` (also the liquidation's T). */
void fx_liq(struct fx *f, side_t side, const char *qty, const char *price, int64_t ms);
void fx_book(struct fx *f, const char *bid, const char *ask, int64_t ms);
void fx_mark(struct fx *f, const char *mark, int64_t ms);
void fx_trade(struct fx *f, const char *price, int64_t ms);
void fx_event(struct fx *f, const ev_t *ev);
void fx_time(struct fx *f, int64_t ms);

/* The exchange's answers. fx_sync acknowledges every new order and confirms
 * every requested cancel, repeating until the engine asks for nothing more. */
void fx_sync(struct fx *f);
void fx_ack(struct fx *f, const char *client_id);
void fx_fill(struct fx *f, const char *client_id, const char *qty, const char *price);
void fx_cancel_done(struct fx *f, const char *client_id, exec_type_t how);
void fx_reject(struct fx *f, const char *client_id, int code);
/* A fill of an order the engine did not send: a manual close, or the
 * exchange's own (client id autoclose-*, adl_autoclose, ...; liquidations
 * come as CALCULATED). */
void fx_foreign_fill(struct fx *f, const char *client_id, exec_type_t exec, side_t side,
                     pos_side_t ps, const char *qty, const char *price);

/* An order already open on the exchange when the engine starts (a previous
 * run's, or someone else's): the scripted exchange keeps it as accepted, and
 * returns it as the open-order event engine_adopt takes. */
ev_t fx_resting(struct fx *f, const order_req *req);

/* Lookups. Role letters are the last character of the client id: E, T, S, C. */
struct fx_order *fx_find(struct fx *f, const char *client_id);
struct fx_order *fx_last(struct fx *f, char role); /* newest order of that role, any state */
int fx_open_count(struct fx *f, char role);
int fx_count(struct fx *f, journal_kind_t kind);
const struct journal_rec *fx_nth(struct fx *f, journal_kind_t kind, int n); /* -1 = last */
bool fx_has_note(struct fx *f, const char *part);
int fx_intents(struct fx *f, enum fx_kind kind);

#endif
