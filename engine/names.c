/*
 * names.c - stable spellings of the engine's journal enumerations, as stored
 * in the run database and shown in reports. Tables are indexed by enum
 * value; 0 and unknown values spell "".
 */
#include "engine.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *lookup(const char *const *t, int n, int v)
{
	return v > 0 && v < n ? t[v] : "";
}

const char *order_role_str(int role)
{
	static const char *const t[] = {"",      "entry",       "tp",  "sl",
	                                "close", "liquidation", "adl", "settlement"};
	return lookup(t, COUNT(t), role);
}

const char *j_order_state_str(int state)
{
	static const char *const t[] = {"",         "placed",     "accepted", "rejected",
	                                "partially_filled", "filled", "cancel_sent",
	                                "canceled", "expired"};
	return lookup(t, COUNT(t), state);
}

const char *j_tranche_action_str(int action)
{
	static const char *const t[] = {"", "open", "join", "merge", "reduce", "close", "protect"};
	return lookup(t, COUNT(t), action);
}
