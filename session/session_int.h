/*
 * session_int.h - private to the session module: the trade log, which
 * session.c feeds and tests/session checks line by line.
 */
#ifndef HUNTER_SESSION_INT_H
#define HUNTER_SESSION_INT_H

#include "session.h"

/* The sha256 of the canonical trade log (docs/backtest.md): one text line
 * per order intent and per fill, in the order they happened. */
#define TRADELOG_HELD 8 /* place lines held at most before they are hashed */

struct tradelog {
	void *md; /* EVP_MD_CTX */
	uint64_t lines;
	/* places not hashed yet, in order (tradelog.c says why) */
	struct tradelog_place {
		int64_t ms;
		order_req o;
	} held[TRADELOG_HELD];
	int nheld;
};

int ss_tradelog_init(struct tradelog *t);
void ss_tradelog_place(struct tradelog *t, int64_t ms, const order_req *o);
void ss_tradelog_cancel(struct tradelog *t, int64_t ms, const char *symbol, const char *client_id);
void ss_tradelog_replace(struct tradelog *t, int64_t ms, const char *old_client_id,
			 const order_req *o);
/* An EV_ORDER_UPDATE that filled something: a trade, or the exchange's own
 * closing of our position (liquidation, ADL). */
void ss_tradelog_fill(struct tradelog *t, const ev_t *ev);
/* Writes the hex digest and frees the context. */
void ss_tradelog_final(struct tradelog *t, char hex[65]);

#endif
