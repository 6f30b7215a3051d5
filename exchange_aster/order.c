/*
 * order.c - a new order as Aster's request parameters, and back.
 *
 * The encoder is what hunter's client signs and sends; the decoder is what
 * `hunter serve` reads, with the checks and error codes of Aster's own
 * order endpoint, so that a client bug shows up on loopback as it would on
 * the exchange. Prices and quantities go through dec_format/dec_parse only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "exchange_aster.h"

/* ---- encoding ------------------------------------------------------------ */

struct out {
	char *buf;
	size_t n;
};

static void put(struct out *o, const char *s)
{
	size_t k = strlen(s);
	if (o->n + k < XA_PARAMS_MAX)
		memcpy(o->buf + o->n, s, k + 1);
	o->n += k;
}

/* Characters a form value may carry as they are; the rest are %XX. */
static bool plain(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static void param(struct out *o, const char *key, const char *value)
{
	char enc[3 * CLIENT_ID_MAX + 1];
	size_t k = 0;
	for (const char *c = value; *c && k + 4 < sizeof enc; c++) {
		if (plain(*c)) {
			enc[k++] = *c;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			enc[k++] = '%';
			enc[k++] = hex[(unsigned char)*c >> 4];
			enc[k++] = hex[(unsigned char)*c & 15];
		}
	}
	enc[k] = '\0';
	if (o->n)
		put(o, "&");
	put(o, key);
	put(o, "=");
	put(o, enc);
}

static void decimal(struct out *o, const char *key, dec_t v)
{
	char buf[DEC_FMT_MAX];
	dec_format(v, buf);
	param(o, key, buf);
}

/* Aster's rule for client ids: ^[\.A-Z\:/a-z0-9_-]{1,36}$ */
static bool valid_client_id(const char *id)
{
	size_t n = strlen(id);
	if (n < 1 || n > 36)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || strchr(".:/_-", id[i])))
			return false;
	return true;
}

static bool valid_symbol(const char *s)
{
	if (!s[0])
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static bool has_limit_price(order_type_t t)
{
	return t == OT_LIMIT || t == OT_STOP || t == OT_TAKE_PROFIT;
}

static bool conditional(order_type_t t)
{
	return t == OT_STOP || t == OT_STOP_MARKET || t == OT_TAKE_PROFIT ||
	       t == OT_TAKE_PROFIT_MARKET;
}

static bool closes_whole(order_type_t t)
{
	return t == OT_STOP_MARKET || t == OT_TAKE_PROFIT_MARKET;
}

/* What makes an order unsendable, checked before anything is written. */
static const char *unsendable(const order_req *r)
{
	if (!valid_symbol(r->symbol))
		return "symbol must be upper-case letters and digits";
	if (!valid_client_id(r->client_id))
		return "client order id must match ^[.A-Z:/a-z0-9_-]{1,36}$";
	if (!side_str(r->side)[0] || !pos_side_str(r->pos_side)[0])
		return "side or position side missing";
	if (r->type < OT_LIMIT || r->type > OT_TAKE_PROFIT_MARKET)
		return "order type not sendable";
	if (r->close_position && (!closes_whole(r->type) || r->reduce_only))
		return "closePosition goes with STOP_MARKET or TAKE_PROFIT_MARKET, without reduceOnly";
	if (!r->close_position && r->qty <= 0)
		return "quantity must be positive";
	if (has_limit_price(r->type) && r->price <= 0)
		return "this order type needs a positive price";
	if (conditional(r->type) && r->stop_price <= 0)
		return "this order type needs a positive stop price";
	if (r->type == OT_LIMIT && !tif_str(r->tif)[0])
		return "a LIMIT order needs a time in force";
	return NULL;
}

size_t xa_order_encode(const order_req *r, char buf[XA_PARAMS_MAX], const char **why)
{
	*why = unsendable(r);
	if (*why)
		return 0;
	struct out o = {buf, 0};
	buf[0] = '\0';
	param(&o, "symbol", r->symbol);
	param(&o, "side", side_str(r->side));
	param(&o, "positionSide", pos_side_str(r->pos_side));
	param(&o, "type", order_type_str(r->type));
	if (r->type == OT_LIMIT)
		param(&o, "timeInForce", tif_str(r->tif));
	if (!r->close_position)
		decimal(&o, "quantity", r->qty);
	if (has_limit_price(r->type))
		decimal(&o, "price", r->price);
	if (conditional(r->type)) {
		decimal(&o, "stopPrice", r->stop_price);
		param(&o, "workingType", working_type_str(r->working_type ? r->working_type
		                                                          : WT_CONTRACT_PRICE));
		if (r->price_protect)
			param(&o, "priceProtect", "TRUE");
	}
	if (r->reduce_only)
		param(&o, "reduceOnly", "true");
	if (r->close_position)
		param(&o, "closePosition", "true");
	param(&o, "newClientOrderId", r->client_id);
	if (o.n >= XA_PARAMS_MAX) {
		*why = "parameters too long";
		return 0;
	}
	return o.n;
}

/* ---- decoding ------------------------------------------------------------ */

#define FIELD_MAX 64 /* the longest value a new order has (a client id is 36) */

enum key { K_SYMBOL, K_SIDE, K_POS_SIDE, K_TYPE, K_TIF, K_QTY, K_PRICE, K_STOP, K_REDUCE,
           K_CLOSE, K_WORKING, K_PROTECT, K_CLIENT_ID, K_RESP, K__COUNT };

static const char *const keys[K__COUNT] = {
	"symbol", "side", "positionSide", "type", "timeInForce", "quantity", "price",
	"stopPrice", "reduceOnly", "closePosition", "workingType", "priceProtect",
	"newClientOrderId", "newOrderRespType"};

/* Parameters of the request's authentication, read by whoever checks the
 * signature, not by the order. */
static const char *const auth_keys[] = {"timestamp", "recvWindow", "signature", "nonce",
                                        "user", "signer", NULL};

struct form {
	char v[K__COUNT][FIELD_MAX];
	bool seen[K__COUNT];
};

static int fail(char *msg, size_t cap, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *msg, size_t cap, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	return code;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes `n` bytes into dst (FIELD_MAX); -1 when malformed or long. */
static int unescape(const char *s, size_t n, char *dst)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (!c || k + 1 >= FIELD_MAX)
			return -1;
		dst[k++] = c;
	}
	dst[k] = '\0';
	return 0;
}

static int key_of(const char *s, size_t n)
{
	for (int k = 0; k < K__COUNT; k++)
		if (strlen(keys[k]) == n && !memcmp(keys[k], s, n))
			return k;
	for (int i = 0; auth_keys[i]; i++)
		if (strlen(auth_keys[i]) == n && !memcmp(auth_keys[i], s, n))
			return K__COUNT;
	return -1;
}

static int read_pair(struct form *f, const char *s, size_t n, char *msg, size_t cap)
{
	const char *eq = memchr(s, '=', n);
	char name[FIELD_MAX];
	size_t klen = eq ? (size_t)(eq - s) : n;
	if (!eq || unescape(s, klen, name))
		return fail(msg, cap, -1102, "Malformed parameter.");
	int k = key_of(s, klen);
	if (k < 0)
		return fail(msg, cap, -1104, "Not all sent parameters were read; read '%s' is unknown.",
		            name);
	if (k == K__COUNT)
		return 0;
	if (f->seen[k])
		return fail(msg, cap, -1101, "Duplicate values for parameter '%s'.", keys[k]);
	if (unescape(eq + 1, n - klen - 1, f->v[k]))
		return fail(msg, cap, -1102, "Parameter '%s' was malformed.", keys[k]);
	f->seen[k] = true;
	return 0;
}

static int read_form(struct form *f, const char *p, size_t len, char *msg, size_t cap)
{
	memset(f, 0, sizeof *f);
	for (size_t at = 0; at < len;) {
		const char *amp = memchr(p + at, '&', len - at);
		size_t n = amp ? (size_t)(amp - (p + at)) : len - at;
		int rc = n ? read_pair(f, p + at, n, msg, cap) : 0;
		if (rc)
			return rc;
		at += n + 1;
	}
	return 0;
}

static int need(const struct form *f, int k, char *msg, size_t cap)
{
	return f->seen[k] && f->v[k][0] ? 0
	       : fail(msg, cap, -1102,
	              "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", keys[k]);
}

static int forbid(const struct form *f, int k, char *msg, size_t cap)
{
	return f->seen[k] ? fail(msg, cap, -1106, "Parameter '%s' sent when not required.", keys[k])
	                  : 0;
}

static int enum_of(const struct form *f, int k, int (*from)(const char *, size_t), int *out,
                   int code, const char *what, char *msg, size_t cap)
{
	*out = from(f->v[k], strlen(f->v[k]));
	return *out ? 0 : fail(msg, cap, code, "Invalid %s '%s'.", what, f->v[k]);
}

static int decimal_of(const struct form *f, int k, dec_t *out, char *msg, size_t cap)
{
	if (!f->seen[k])
		return 0;
	if (dec_parse(f->v[k], strlen(f->v[k]), out, NULL) || *out <= 0)
		return fail(msg, cap, k == K_QTY ? -4003 : -1102,
		            "Parameter '%s' must be a positive decimal.", keys[k]);
	return 0;
}

static int flag_of(const struct form *f, int k, bool *out, char *msg, size_t cap)
{
	const char *v = f->v[k];
	if (!f->seen[k])
		return 0;
	if (strcasecmp(v, "true") && strcasecmp(v, "false"))
		return fail(msg, cap, -1102, "Parameter '%s' must be true or false.", keys[k]);
	*out = !strcasecmp(v, "true");
	return 0;
}

/* Which parameters each order type takes (aster-api.md section 5.4). */
static int check_type(const struct form *f, const order_req *r, char *msg, size_t cap)
{
	int rc = 0;
	if (r->type == OT_LIMIT)
		rc = need(f, K_TIF, msg, cap);
	if (!rc && !r->close_position)
		rc = need(f, K_QTY, msg, cap);
	if (!rc && has_limit_price(r->type))
		rc = need(f, K_PRICE, msg, cap);
	else if (!rc)
		rc = forbid(f, K_PRICE, msg, cap);
	if (!rc && conditional(r->type))
		rc = need(f, K_STOP, msg, cap);
	else if (!rc)
		rc = forbid(f, K_STOP, msg, cap);
	if (!rc && r->close_position && (!closes_whole(r->type) || f->seen[K_QTY]))
		rc = fail(msg, cap, -4137, "Quantity or type does not go with closePosition.");
	if (!rc && r->close_position && r->reduce_only)
		rc = fail(msg, cap, -1106, "Parameter '%s' sent when not required.", "reduceOnly");
	return rc;
}

static int read_enums(const struct form *f, order_req *r, char *msg, size_t cap)
{
	int v = 0, rc = need(f, K_SIDE, msg, cap);
	if (!rc)
		rc = enum_of(f, K_SIDE, side_from, &v, -1117, "side", msg, cap);
	r->side = (side_t)v;
	if (!rc)
		rc = need(f, K_TYPE, msg, cap);
	if (!rc)
		rc = enum_of(f, K_TYPE, order_type_from, &v, -1116, "orderType", msg, cap);
	if (!rc && (v == OT_TRAILING_STOP_MARKET || v == OT_LIQUIDATION))
		rc = fail(msg, cap, -1116, "Invalid orderType '%s'.", f->v[K_TYPE]);
	r->type = (order_type_t)v;
	v = PS_BOTH;
	if (!rc && f->seen[K_POS_SIDE])
		rc = enum_of(f, K_POS_SIDE, pos_side_from, &v, -4061, "positionSide", msg, cap);
	r->pos_side = (pos_side_t)v;
	v = 0;
	if (!rc && f->seen[K_TIF])
		rc = enum_of(f, K_TIF, tif_from, &v, -1115, "timeInForce", msg, cap);
	r->tif = r->type == OT_LIMIT ? (tif_t)v : 0; /* checked, but a LIMIT's alone (order_req) */
	v = WT_CONTRACT_PRICE;
	if (!rc && f->seen[K_WORKING])
		rc = enum_of(f, K_WORKING, working_type_from, &v, -1102, "workingType",
		             msg, cap);
	r->working_type = conditional(r->type) ? (working_type_t)v : 0;
	return rc;
}

int xa_order_decode(const char *params, size_t len, order_req *r, char *msg, size_t cap)
{
	struct form f;
	memset(r, 0, sizeof *r);
	int rc = read_form(&f, params, len, msg, cap);
	if (!rc)
		rc = need(&f, K_SYMBOL, msg, cap);
	if (!rc && (!valid_symbol(f.v[K_SYMBOL]) || strlen(f.v[K_SYMBOL]) >= SYMBOL_MAX))
		rc = fail(msg, cap, -1121, "Invalid symbol '%s'.", f.v[K_SYMBOL]);
	if (!rc)
		rc = read_enums(&f, r, msg, cap);
	if (!rc)
		rc = flag_of(&f, K_REDUCE, &r->reduce_only, msg, cap);
	if (!rc)
		rc = flag_of(&f, K_CLOSE, &r->close_position, msg, cap);
	if (!rc)
		rc = flag_of(&f, K_PROTECT, &r->price_protect, msg, cap);
	if (!conditional(r->type))
		r->price_protect = false; /* read for conditional orders only, as Aster does */
	if (!rc)
		rc = check_type(&f, r, msg, cap);
	if (!rc)
		rc = decimal_of(&f, K_QTY, &r->qty, msg, cap);
	if (!rc)
		rc = decimal_of(&f, K_PRICE, &r->price, msg, cap);
	if (!rc)
		rc = decimal_of(&f, K_STOP, &r->stop_price, msg, cap);
	if (!rc && f.seen[K_CLIENT_ID] && !valid_client_id(f.v[K_CLIENT_ID]))
		rc = fail(msg, cap, -1102, "Parameter '%s' was malformed.", "newClientOrderId");
	if (!rc && f.seen[K_RESP] && strcmp(f.v[K_RESP], "ACK") && strcmp(f.v[K_RESP], "RESULT"))
		rc = fail(msg, cap, -1102, "Invalid newOrderRespType '%s'.", f.v[K_RESP]);
	if (rc)
		return rc;
	memcpy(r->symbol, f.v[K_SYMBOL], strlen(f.v[K_SYMBOL]) + 1);
	memcpy(r->client_id, f.v[K_CLIENT_ID], strlen(f.v[K_CLIENT_ID]) + 1);
	return 0;
}
