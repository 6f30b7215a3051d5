/*
 * keccak.c - Keccak-256 as Ethereum uses it, written from the Keccak
 * reference specification (Keccak-f[1600], sponge with rate 1088 bits).
 *
 * Why not libcrypto: OpenSSL's SHA3-256 pads with 0x06 (FIPS 202), while
 * Ethereum kept the original submission's padding byte 0x01, so the
 * digests differ; OpenSSL only offers the original as "KECCAK-256" from
 * 3.2 on, and Debian 12 ships 3.0.
 *
 * Every V3 request hashes several times before it can leave, so the
 * permutation is on the order path: the specification's per-round
 * derivations (the round constants' LFSR, rho's offsets, pi's walk) are
 * run once into tables, and the rounds only look them up.
 */
#include <pthread.h>
#include <string.h>

#include "sign.h"

#define RATE 136 /* bytes absorbed per permutation: (1600 - 2 * 256) / 8 */
#define ROUNDS 24

static uint64_t rotl(uint64_t v, unsigned n)
{
	n &= 63;
	return n ? (v << n) | (v >> (64 - n)) : v;
}

/* Lane (x, y) of the 5x5 state is a[x + 5 * y]. */
static struct {
	uint64_t rc[ROUNDS];  /* iota's round constants */
	unsigned rot[25];     /* rho's rotation of each lane */
	unsigned to[25];      /* pi: where each lane goes */
} tab;

/* The specification's rc(t) bits come from the LFSR x^8 + x^6 + x^5 + x^4 + 1;
 * rounds use t = j + 7 * round for j = 0..6, which is t = 0, 1, 2 ... in
 * order, so one register stepped once per bit serves every round. */
static int lfsr_bit(uint8_t *r)
{
	int out = *r & 1;
	*r = (uint8_t)((*r & 0x80) ? (*r << 1) ^ 0x71 : *r << 1);
	return out;
}

/* rho rotates lane (x, y) by the offset the specification walks out from
 * (1, 0): offset (t+1)(t+2)/2 at step t, then (x, y) <- (y, 2x + 3y).
 * pi moves lane (x, y) to (y, 2x + 3y). */
static void make_tables(void)
{
	uint8_t lfsr = 1;
	for (int i = 0; i < ROUNDS; i++)
		for (unsigned j = 0; j < 7; j++)
			if (lfsr_bit(&lfsr))
				tab.rc[i] |= 1ULL << ((1u << j) - 1);
	int x = 1, y = 0;
	for (unsigned t = 0; t < 24; t++) {
		tab.rot[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
		int nx = y, ny = (2 * x + 3 * y) % 5;
		x = nx;
		y = ny;
	}
	for (x = 0; x < 5; x++)
		for (y = 0; y < 5; y++)
			tab.to[x + 5 * y] = (unsigned)(y + 5 * ((2 * x + 3 * y) % 5));
}

static void theta(uint64_t a[25])
{
	uint64_t c[5];
#pragma GCC unroll 5
	for (int x = 0; x < 5; x++)
		c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
	for (int x = 0; x < 5; x++) {
		uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
		for (int y = 0; y < 25; y += 5)
			a[x + y] ^= d;
	}
}

static void chi(uint64_t a[25], const uint64_t b[25])
{
#pragma GCC unroll 5
	for (int y = 0; y < 25; y += 5)
#pragma GCC unroll 5
		for (int x = 0; x < 5; x++)
			a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
}

static void keccak_f(uint64_t a[25])
{
	uint64_t b[25];
	for (int i = 0; i < ROUNDS; i++) {
		theta(a);
#pragma GCC unroll 25
		for (int l = 0; l < 25; l++) /* rho and pi together, into b */
			b[tab.to[l]] = rotl(a[l], tab.rot[l]);
		chi(a, b);
		a[0] ^= tab.rc[i]; /* iota */
	}
}

/* Lanes are little-endian: byte i of a block goes to bits 8*(i%8) of lane i/8. */
static void absorb(uint64_t a[25], const uint8_t block[RATE])
{
	for (int l = 0; l < RATE / 8; l++) {
		uint64_t v = 0;
		for (int k = 7; k >= 0; k--)
			v = v << 8 | block[8 * l + k];
		a[l] ^= v;
	}
	keccak_f(a);
}

void sign_keccak256(const void *data, size_t n, uint8_t out[SIGN_HASH_LEN])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_tables);
	uint64_t a[25] = { 0 };
	const uint8_t *p = data;
	for (; n >= RATE; n -= RATE, p += RATE)
		absorb(a, p);
	/* pad10*1 with the original Keccak domain bit: 0x01 first, 0x80 last
	 * (the same byte, 0x81, when one byte of the block is left) */
	uint8_t last[RATE] = { 0 };
	if (n)
		memcpy(last, p, n);
	last[n] ^= 0x01;
	last[RATE - 1] ^= 0x80;
	absorb(a, last);
	for (int i = 0; i < SIGN_HASH_LEN; i++)
		out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}
