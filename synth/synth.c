/*
 * synth.c - the synthetic market: per symbol, a few processes (book changes,
 * trades, depth diffs, a once-a-second clock, liquidations of longs and of
 * shorts) each know the microsecond they fire next; synth_next() runs the
 * earliest one until it yields an event. Everything is integer ticks, steps
 * and microseconds except the model's own state (log price, volatility,
 * liquidation intensity), which is statistics and becomes an exchange price
 * only by rounding to a whole number of ticks.
 *
 * The price is exp(base + transient) times the starting price. `base` is a
 * random walk whose volatility follows a mean-reverting log process (calm
 * and busy hours cluster); `transient` is the part of liquidation impact that
 * decays, so a cascade pushes the price and it then partly comes back.
 * Liquidations are a self-exciting (Hawkes) process per liquidated side: a
 * background rate, plus excitement that each liquidation, each violent
 * second and each rare shock adds and that decays within seconds. They are
 * drawn by thinning: a proposal time from an upper bound on the intensity,
 * accepted with probability rate/bound.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

#define NEVER INT64_MAX
#define US_PER_S 1000000.0

/* Model constants; times in seconds. */
#define EXCITE_LIFE_S 15.0   /* mean life of a liquidation's excitement */
#define BRANCHING 0.6        /* liquidations each one triggers, on average */
#define IMPACT_KEEP 0.4      /* share of a liquidation's impact that stays */
#define REVERT_LIFE_S 90.0   /* mean life of the rest */
#define MAX_IMPACT 0.01      /* no single liquidation moves the price more */
#define VOL_LIFE_S 600.0     /* volatility regimes last about this long */
#define VOL_OF_VOL 0.03      /* per-second noise of log volatility */
#define CASCADE_VOL 0.5      /* volatility gained per liquidation/s of excitement */
#define MOVE_EXCITE 0.02     /* excitement per sigma a second moves beyond two */
#define SHOCK_EVERY_S 1800.0 /* a cascade starts out of nowhere this often, */
#define SHOCK_EXCITE 0.3     /* with this much excitement or more (Pareto) */
#define MAX_EXCITE 3.0       /* liquidations per second, at the very worst */
#define LIQ_TAIL 0.7         /* liquidation sizes: P(X > x) = x^-0.7, as real */
#define LIQ_MAX 5000.0       /* ones in the tail, up to this many times the scale */
#define DEPTH_MS 100         /* depth diffs come every 100 ms, as @depth@100ms */
#define FUNDING_MEAN 10000.0 /* 0.0001 (1e-8 units): 0.01 % per 8 hours */
#define FUNDING_CAP 300000   /* 0.003 */
#define FUNDING_LIFE_S 3600.0 /* the rate drifts back to the mean over hours */
#define FUNDING_NOISE 60.0   /* per second, 1e-8 units */
#define FUNDING_EVERY_MS (8 * 3600 * 1000LL)
#define NET_BASE_NS 8000000LL  /* network delay: a floor, */
#define NET_MEAN_NS 4000000.0  /* plus an exponential tail, */
#define NET_MAX_NS 250000000LL /* cut where a recorder would see a stall */

/* The processes of a symbol, in the order they win a tie. A reported
 * liquidation follows the trade print it caused at the same instant. */
enum proc { P_REPORT, P_BOOK, P_TRADE, P_DEPTH, P_SECOND, P_LIQ, P_LIQ_END = P_LIQ + 2 };

/* Liquidated side: longs are sold off, shorts bought in. */
enum { LONGS, SHORTS };

struct sym {
	const struct preset *pre;
	const struct symbol_rules *rules;
	rng_t rng;
	double tick_d, step_d; /* for turning notionals into steps */
	double level_steps;    /* steps per USDT at the touch, for level_qty */
	double p0;             /* starting price, in ticks */
	int64_t min_tick, max_tick, min_step, max_step;
	/* price model */
	double base, transient, logvol, logvol_mean, second_log;
	double vol, calm; /* exp(logvol), and against its long-run level */
	int64_t price_us;
	int last_dir; /* which way the touch last moved: -1, 0, 1 */
	/* liquidation model */
	double excite[2]; /* liquidations/s on top of the background, by side */
	double bound[2];  /* intensity the pending proposal was drawn with */
	int64_t excite_us;
	int64_t shown_ms; /* last reported liquidation */
	struct synth_stats *stats; /* counts the unreported ones */
	struct ev_liquidation report;
	double funding;   /* 1e-8 units */
	/* exchange state */
	struct book book, sent;
	int64_t update_id, sent_id, book_ms, agg_id, trade_id;
	int64_t next[P_LIQ_END];
	level_t bids[2 * BOOK_LEVELS], asks[2 * BOOK_LEVELS];
};

struct synth {
	struct synth_opts o;
	struct synth_stats st;
	struct symbol_rules rules[SYNTH_MAX_SYMBOLS];
	struct sym sym[SYNTH_MAX_SYMBOLS];
	rng_t net;
	int64_t end_us;
	int64_t last_recv_ns;
	size_t opened; /* events of the opening (info, snapshots) returned */
};

static int64_t after(int64_t now, double seconds)
{
	return now + 1 + (int64_t)(seconds * US_PER_S);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int64_t clampi(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- quantities ----------------------------------------------------------- */

/* A model quantity as a whole number of steps within the symbol's limits
 * (clamped as a double first: converting an out-of-range double is
 * undefined). */
static int64_t whole_steps(const struct sym *y, double steps)
{
	return (int64_t)clampd(steps, (double)y->min_step, (double)y->max_step);
}

static int64_t steps_for(const struct sym *y, double usdt, int64_t price)
{
	return whole_steps(y, usdt / ((double)price * y->tick_d * y->step_d));
}

/* A model price as the nearest tick within the symbol's price limits. */
static int64_t nearest_tick(const struct sym *y, double ticks)
{
	return llround(clampd(ticks, (double)y->min_tick, (double)y->max_tick));
}

/* What rests at one tick: often nothing away from the touch, else a size
 * skewed towards the small. Cheap to draw, as most book updates draw many. */
static int64_t level_qty(void *ctx, bool touch)
{
	struct sym *y = ctx;
	double u = rng_unit(&y->rng);
	if (!touch && u < 0.15)
		return 0;
	double v = rng_unit(&y->rng);
	return whole_steps(y, y->pre->level_usdt * (0.05 + 2 * v * v * v) * y->level_steps);
}

/* ---- the price and liquidation models ------------------------------------- */

static void decay_excitement(struct sym *y, int64_t t)
{
	if (y->excite[LONGS] + y->excite[SHORTS] < 1e-9) {
		/* calm: spare the exponential, most updates come here */
		y->excite[LONGS] = y->excite[SHORTS] = 0;
		y->excite_us = t;
		return;
	}
	double f = syn_det_exp(-(double)(t - y->excite_us) / (EXCITE_LIFE_S * US_PER_S));
	y->excite[LONGS] *= f;
	y->excite[SHORTS] *= f;
	y->excite_us = t;
}

static double activity(const struct sym *y)
{
	return 1 + CASCADE_VOL * (y->excite[LONGS] + y->excite[SHORTS]);
}

/* Moves the model price on to time t. */
static void advance_price(struct sym *y, int64_t t)
{
	double dt = (double)(t - y->price_us) / US_PER_S;
	decay_excitement(y, t);
	if (dt <= 0)
		return;
	y->base += y->vol * activity(y) * sqrt(dt) * syn_rng_normal(&y->rng);
	y->transient *= syn_det_exp(-dt / REVERT_LIFE_S);
	y->price_us = t;
}

static double fair_ticks(const struct sym *y)
{
	return y->p0 * syn_det_exp(y->base + y->transient);
}

static void set_logvol(struct sym *y, double logvol)
{
	y->logvol = logvol;
	y->vol = syn_det_exp(logvol);
	y->calm = syn_det_exp(logvol - y->logvol_mean);
}

/* How busy the market is against its calm self: scales event rates. */
static double busyness(const struct sym *y)
{
	return clampd(y->calm * activity(y), 0.3, 6);
}

static void schedule_liq(struct sym *y, int side, int64_t now)
{
	y->bound[side] = y->pre->liq_rate + y->excite[side];
	y->next[P_LIQ + side] = after(now, syn_rng_exp(&y->rng) / y->bound[side]);
}

/* Adds excitement (already decayed to now) and redraws that side's next
 * proposal, which the exponential's lack of memory makes exact. */
static void excite(struct sym *y, int side, double amount, int64_t now)
{
	y->excite[side] = fmin(MAX_EXCITE, y->excite[side] + amount);
	schedule_liq(y, side, now);
}

/* ---- events ------------------------------------------------------------- */

static void head(ev_t *ev, ev_type_t type, const struct sym *y, int64_t ms)
{
	ev->type = type;
	copy_str(ev->symbol, sizeof ev->symbol, y->rules->symbol, strlen(y->rules->symbol));
	ev->exch_ms = ms;
}

/* The matching engine's time, a little before the event is stamped. */
static int64_t tx_ms(struct sym *y, int64_t ms)
{
	return ms - (int64_t)syn_rng_below(&y->rng, 3);
}

static int on_book(struct sym *y, int64_t t, ev_t *ev)
{
	advance_price(y, t);
	int64_t spread = 1;
	double wide = clampd(0.1 + 0.3 * (activity(y) - 1), 0.1, 0.6);
	while (spread < 5 && rng_unit(&y->rng) < wide)
		spread++;
	int64_t bid = clampi(nearest_tick(y, fair_ticks(y) - (double)spread / 2), y->min_tick,
	                     y->max_tick - spread);
	y->last_dir = (bid > y->book.bid.best) - (bid < y->book.bid.best);
	y->level_steps = 1 / ((double)bid * y->tick_d * y->step_d);
	syn_book_move(&y->book.bid, 1, bid, level_qty, y);
	syn_book_move(&y->book.ask, -1, bid + spread, level_qty, y);

	/* Orders come and go at the touch on every update, and now and then
	 * deeper in the book, where only depth diffs see it. */
	struct book_side *side = syn_rng_below(&y->rng, 2) ? &y->book.bid : &y->book.ask;
	side->qty[0] = level_qty(y, true);
	if (rng_unit(&y->rng) < 0.5) {
		side = syn_rng_below(&y->rng, 2) ? &y->book.bid : &y->book.ask;
		/* Separate statements: C leaves the order of two draws in one
		 * expression open, and compilers do differ. */
		uint64_t level = 1 + syn_rng_below(&y->rng, BOOK_LEVELS - 1);
		side->qty[level] = level_qty(y, false);
	}
	y->update_id += 1 + (int64_t)syn_rng_below(&y->rng, 4);
	y->next[P_BOOK] = after(t, syn_rng_exp(&y->rng) / (y->pre->book_rate * busyness(y)));

	head(ev, EV_BOOK_TICKER, y, t / 1000);
	y->book_ms = tx_ms(y, ev->exch_ms);
	ev->u.book = (struct ev_book_ticker){
	    .update_id = y->update_id, .tx_ms = y->book_ms,
	    .bid = y->book.bid.best * y->rules->tick, .bid_qty = y->book.bid.qty[0] * y->rules->step,
	    .ask = y->book.ask.best * y->rules->tick, .ask_qty = y->book.ask.qty[0] * y->rules->step};
	return 1;
}

/* An aggTrade of `steps` at `price` ticks; a taker sell prints at the bid. */
static void trade(struct sym *y, ev_t *ev, int64_t t, int64_t trade_ms, int64_t price,
                  int64_t steps, bool taker_sells)
{
	int64_t fills = 1;
	while (fills < 20 && rng_unit(&y->rng) < 0.35)
		fills++;
	head(ev, EV_AGG_TRADE, y, t / 1000);
	ev->u.trade = (struct ev_trade){
	    .id = ++y->agg_id, .first_id = y->trade_id + 1, .last_id = y->trade_id + fills,
	    .price = price * y->rules->tick, .qty = steps * y->rules->step,
	    .trade_ms = trade_ms, .buyer_maker = taker_sells};
	y->trade_id += fills;
}

static int on_trade(struct sym *y, int64_t t, ev_t *ev)
{
	/* Takers chase the last move, and sell into a long squeeze. */
	double squeeze = 2 * (y->excite[SHORTS] - y->excite[LONGS]);
	double lean = 0.15 * y->last_dir + 0.35 * squeeze / (1 + fabs(squeeze));
	bool buy = rng_unit(&y->rng) < clampd(0.5 + lean, 0.05, 0.95);
	int64_t price = buy ? y->book.ask.best : y->book.bid.best;
	int64_t steps = steps_for(y, y->pre->trade_usdt * syn_rng_pareto(&y->rng, 1.3), price);
	trade(y, ev, t, tx_ms(y, t / 1000), price, steps, !buy);
	y->next[P_TRADE] = after(t, syn_rng_exp(&y->rng) / (y->pre->trade_rate * busyness(y)));
	return 1;
}

/* Draws no random number, so depth on or off leaves the market unchanged. */
static int on_depth(struct sym *y, int64_t t, ev_t *ev)
{
	y->next[P_DEPTH] = t + DEPTH_MS * 1000;
	if (y->update_id == y->sent_id)
		return 0;
	head(ev, EV_DEPTH_UPDATE, y, t / 1000);
	ev->u.depth = (struct ev_depth){
	    .tx_ms = y->book_ms, .first_id = y->sent_id + 1, .last_id = y->update_id,
	    .prev_id = y->sent_id, .bids = y->bids, .asks = y->asks,
	    .nbids = syn_book_diff(&y->sent.bid, &y->book.bid, 1, y->rules->tick, y->rules->step, y->bids),
	    .nasks = syn_book_diff(&y->sent.ask, &y->book.ask, -1, y->rules->tick, y->rules->step, y->asks)};
	y->sent = y->book;
	y->sent_id = y->update_id;
	return 1;
}

static void snapshot(struct sym *y, int64_t ms, ev_t *ev)
{
	head(ev, EV_DEPTH_SNAPSHOT, y, ms);
	ev->u.depth = (struct ev_depth){
	    .tx_ms = ms, .last_id = y->update_id, .bids = y->bids, .asks = y->asks,
	    .nbids = syn_book_levels(&y->book.bid, 1, y->rules->tick, y->rules->step, y->bids),
	    .nasks = syn_book_levels(&y->book.ask, -1, y->rules->tick, y->rules->step, y->asks)};
	y->sent = y->book;
	y->sent_id = y->update_id;
}

/* A violent second pushes the losing side's weakest positions under, and
 * now and then a cascade starts from news nobody sees coming. */
static void stir_liquidations(struct sym *y, double ret, int64_t t)
{
	double sigmas = fabs(ret) / (y->vol * activity(y));
	if (sigmas > 2)
		excite(y, ret < 0 ? LONGS : SHORTS, MOVE_EXCITE * (sigmas - 2), t);
	if (rng_unit(&y->rng) < 1 / SHOCK_EVERY_S) {
		int side = (int)syn_rng_below(&y->rng, 2);
		excite(y, side, SHOCK_EXCITE * syn_rng_pareto(&y->rng, 1.5), t);
	}
}

static int64_t mark_tick(struct sym *y, double fair, double noise)
{
	return nearest_tick(y, fair + noise * syn_rng_normal(&y->rng));
}

/* Once a second: volatility regime, funding, liquidation pressure, and the
 * mark price the exchange publishes every second. */
static int on_second(struct sym *y, int64_t t, ev_t *ev)
{
	advance_price(y, t);
	double logp = y->base + y->transient;
	stir_liquidations(y, logp - y->second_log, t);
	y->second_log = logp;
	set_logvol(y, y->logvol + (y->logvol_mean - y->logvol) / VOL_LIFE_S +
	                  VOL_OF_VOL * syn_rng_normal(&y->rng));
	y->funding += (FUNDING_MEAN - y->funding) / FUNDING_LIFE_S +
	              FUNDING_NOISE * syn_rng_normal(&y->rng);
	y->next[P_SECOND] = t + 1000000;

	double fair = fair_ticks(y);
	int64_t mark = mark_tick(y, fair, 0.3), index = mark_tick(y, fair, 0.7);
	int64_t ms = t / 1000;
	head(ev, EV_MARK_PRICE, y, ms);
	ev->u.mark = (struct ev_mark_price){
	    .mark = mark * y->rules->tick, .index = index * y->rules->tick,
	    .settle = mark_tick(y, (double)index, 0.5) * y->rules->tick,
	    .funding_rate = clampi(llround(y->funding), -FUNDING_CAP, FUNDING_CAP),
	    .next_funding_ms = (ms / FUNDING_EVERY_MS + 1) * FUNDING_EVERY_MS};
	return 1;
}

/* A liquidation's price is the bankruptcy price, beyond where it filled. */
static int64_t bankruptcy(const struct sym *y, int side, int64_t fill, double beyond)
{
	double p = (double)fill * (side == LONGS ? 1 - beyond : 1 + beyond);
	return clampi(side == LONGS ? (int64_t)floor(p) : (int64_t)ceil(p), y->min_tick, y->max_tick);
}

/* Pushes the price the liquidated way: some of it for good, the rest fades. */
static void impact(struct sym *y, int side, double usdt)
{
	double d = fmin(MAX_IMPACT, y->pre->impact_bps * 1e-4 * sqrt(usdt / 1e5));
	double sign = side == LONGS ? -1 : 1;
	y->base += sign * IMPACT_KEEP * d;
	y->transient += sign * (1 - IMPACT_KEEP) * d;
}

static int on_liquidation(struct sym *y, int side, int64_t t, ev_t *ev)
{
	advance_price(y, t);
	if (rng_unit(&y->rng) * y->bound[side] >= y->pre->liq_rate + y->excite[side]) {
		schedule_liq(y, side, t); /* thinned: the intensity had decayed */
		return 0;
	}
	double size = fmin(LIQ_MAX, syn_rng_pareto(&y->rng, LIQ_TAIL));
	int64_t fill = side == LONGS ? y->book.bid.best : y->book.ask.best;
	int64_t steps = steps_for(y, y->pre->liq_usdt * size, fill);
	/* Bankrupt 0.3 % to 1.5 % beyond the fill, as margin calls leave it. */
	int64_t price = bankruptcy(y, side, fill, 0.003 + 0.012 * rng_unit(&y->rng));
	int64_t ms = t / 1000, trade_ms = tx_ms(y, ms);

	trade(y, ev, t, trade_ms, fill, steps, side == LONGS);
	impact(y, side, (double)steps * y->step_d * (double)fill * y->tick_d);
	/* Bigger liquidations trigger more; 1.45 is the mean of the factor for
	 * LIQ_TAIL, so on average each triggers BRANCHING others. */
	excite(y, side, BRANCHING / EXCITE_LIFE_S * fmin(2.5, sqrt(sqrt(size))) / 1.45, t);
	y->next[P_BOOK] = t; /* the book shows the hole at once */

	if (ms - y->shown_ms < 1000) {
		y->stats->liq_throttled++; /* the exchange drops it; it still traded */
		return 1;
	}
	y->shown_ms = ms;
	y->report = (struct ev_liquidation){
	    .side = side == LONGS ? SIDE_SELL : SIDE_BUY, .type = OT_LIMIT, .tif = TIF_IOC,
	    .status = OS_FILLED, .qty = steps * y->rules->step, .price = price * y->rules->tick,
	    .avg_price = fill * y->rules->tick, .last_qty = steps * y->rules->step,
	    .filled_qty = steps * y->rules->step, .trade_ms = trade_ms};
	y->next[P_REPORT] = t;
	return 1;
}

static int on_report(struct sym *y, int64_t t, ev_t *ev)
{
	y->next[P_REPORT] = NEVER;
	head(ev, EV_LIQUIDATION, y, t / 1000);
	ev->u.liq = y->report;
	return 1;
}

/* Runs process p of y at its time; 1 if it made an event, 0 if not. */
static int run(struct sym *y, int p, int64_t t, ev_t *ev)
{
	switch (p) {
	case P_REPORT: return on_report(y, t, ev);
	case P_BOOK: return on_book(y, t, ev);
	case P_TRADE: return on_trade(y, t, ev);
	case P_DEPTH: return on_depth(y, t, ev);
	case P_SECOND: return on_second(y, t, ev);
	default: return on_liquidation(y, p - P_LIQ, t, ev);
	}
}

/* ---- opening -------------------------------------------------------------- */

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

static void init_book(struct sym *y)
{
	int64_t bid = clampi(nearest_tick(y, y->p0 - 0.5), y->min_tick, y->max_tick - 1);
	y->level_steps = 1 / ((double)bid * y->tick_d * y->step_d);
	y->book.bid.best = bid;
	y->book.ask.best = bid + 1;
	for (int i = 0; i < BOOK_LEVELS; i++) {
		y->book.bid.qty[i] = level_qty(y, i == 0);
		y->book.ask.qty[i] = level_qty(y, i == 0);
	}
}

/* Sets up a symbol's model. Its generator is seeded from the seed and the
 * symbol's name, so a symbol's market does not depend on which others are
 * generated alongside it. */
static void init_sym(struct sym *y, const struct preset *pre, const struct symbol_rules *r,
                     dec_t price, const struct synth_opts *o, struct synth_stats *stats)
{
	int64_t start = o->start_ms * 1000;
	memset(y, 0, sizeof *y);
	y->pre = pre;
	y->rules = r;
	y->stats = stats;
	syn_rng_seed(&y->rng, o->seed, name_hash(r->symbol));
	y->tick_d = dec_to_double(r->tick);
	y->step_d = dec_to_double(r->step);
	y->p0 = (double)price / (double)r->tick;
	y->min_tick = (r->min_price + r->tick - 1) / r->tick;
	y->max_tick = r->max_price / r->tick;
	y->min_step = r->min_qty / r->step;
	y->max_step = r->max_qty / r->step;
	y->logvol_mean = syn_det_log(pre->annual_vol / sqrt(365 * 86400.0));
	set_logvol(y, y->logvol_mean);
	y->funding = FUNDING_MEAN;
	y->price_us = y->excite_us = start;
	y->shown_ms = INT64_MIN / 2;
	init_book(y);
	/* Ids as large as a busy exchange's, different per symbol. */
	y->update_id = 1000000000000LL + (int64_t)syn_rng_below(&y->rng, 1ULL << 36);
	y->agg_id = 2000000000LL + (int64_t)syn_rng_below(&y->rng, 1ULL << 30);
	y->trade_id = 5000000000LL + (int64_t)syn_rng_below(&y->rng, 1ULL << 30);
	y->book_ms = o->start_ms;

	y->next[P_REPORT] = NEVER;
	y->next[P_BOOK] = after(start, syn_rng_exp(&y->rng) / pre->book_rate);
	y->next[P_TRADE] = after(start, syn_rng_exp(&y->rng) / pre->trade_rate);
	y->next[P_DEPTH] = o->depth ? start + DEPTH_MS * 1000 : NEVER;
	y->next[P_SECOND] = (o->start_ms / 1000 + 1) * 1000000;
	schedule_liq(y, LONGS, start);
	schedule_liq(y, SHORTS, start);
}

static int check_opts(const struct synth_opts *o, char *err)
{
	if (syn_symbols_check(o, err))
		return -1;
	if (!o->max_events && !o->duration_ms)
		snprintf(err, SYNTH_ERR_MAX, "no limit: give a number of events or a duration");
	else if (o->duration_ms < 0 || o->duration_ms >= UTC_LAST_MS)
		snprintf(err, SYNTH_ERR_MAX, "duration %lld ms: out of range",
		         (long long)o->duration_ms);
	else if (o->start_ms < 0 || o->start_ms >= UTC_LAST_MS - o->duration_ms)
		snprintf(err, SYNTH_ERR_MAX, "start time %lld ms: out of range (1970 to 2262)",
		         (long long)o->start_ms);
	else
		return 0;
	return -1;
}

synth_t *synth_open(const struct synth_opts *o, char *err)
{
	if (check_opts(o, err))
		return NULL;
	synth_t *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, SYNTH_ERR_MAX, "out of memory");
		return NULL;
	}
	s->o = *o;
	for (size_t i = 0; i < o->nsymbols; i++) {
		const struct preset *pre = syn_preset_find(o->symbols[i], strlen(o->symbols[i]));
		dec_t price;
		if (syn_preset_rules(pre, &s->rules[i], &price, err)) {
			free(s);
			return NULL;
		}
		init_sym(&s->sym[i], pre, &s->rules[i], price, o, &s->st);
	}
	syn_rng_seed(&s->net, o->seed, 0);
	s->end_us = (o->duration_ms ? o->start_ms + o->duration_ms : UTC_LAST_MS) * 1000;
	return s;
}

void synth_close(synth_t *s)
{
	free(s);
}

const struct synth_stats *synth_stats(const synth_t *s)
{
	return &s->st;
}

/* ---- the stream ----------------------------------------------------------- */

/* The exchange info, then each symbol's depth snapshot, all at the start.
 * Returns 0 once they have all been given. */
static int opening(synth_t *s, ev_t *ev)
{
	size_t n = s->opened;
	if (n == 0) {
		ev->type = EV_EXCHANGE_INFO;
		ev->exch_ms = s->o.start_ms;
		ev->u.info = (struct ev_exchange_info){
		    .server_ms = s->o.start_ms, .nsymbols = (uint32_t)s->o.nsymbols,
		    .symbols = s->rules};
	} else if (s->o.depth && n <= s->o.nsymbols) {
		snapshot(&s->sym[n - 1], s->o.start_ms, ev);
	} else {
		return 0;
	}
	s->opened++;
	return 1;
}

/* Runs the earliest process of any symbol until one makes an event; ties go
 * to the earlier symbol, then the earlier process. 0 at the end of time. */
static int step(synth_t *s, ev_t *ev)
{
	for (;;) {
		struct sym *best = NULL;
		int proc = 0;
		int64_t t = NEVER;
		for (size_t i = 0; i < s->o.nsymbols; i++)
			for (int p = 0; p < P_LIQ_END; p++)
				if (s->sym[i].next[p] < t) {
					t = s->sym[i].next[p];
					best = &s->sym[i];
					proc = p;
				}
		if (!best || t >= s->end_us)
			return 0;
		if (run(best, proc, t, ev))
			return 1;
	}
}

/* A recorder writes in arrival order, so receive times never go back. */
static void stamp(synth_t *s, ev_t *ev)
{
	int64_t delay = NET_BASE_NS + (int64_t)(NET_MEAN_NS * syn_rng_exp(&s->net));
	int64_t recv = ev->exch_ms * 1000000 + (delay < NET_MAX_NS ? delay : NET_MAX_NS);
	s->last_recv_ns = ev->recv_ns = recv > s->last_recv_ns ? recv : s->last_recv_ns;
}

int synth_next(synth_t *s, ev_t *ev)
{
	if (s->o.max_events && s->st.events >= s->o.max_events)
		return 0;
	memset(ev, 0, sizeof *ev);
	if (!opening(s, ev) && !step(s, ev))
		return 0;
	stamp(s, ev);
	s->st.events++;
	s->st.by_type[ev->type]++;
	s->st.last_ms = ev->exch_ms;
	return 1;
}
