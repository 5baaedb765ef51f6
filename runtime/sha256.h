/* SHA-256 (FIPS 180-4): streaming and one-shot digests, plus hex encoding. */
#ifndef CORDON_SHA256_H
#define CORDON_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct cordon_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* partial block */
	size_t buflen;
};

void cordon_sha256_init(struct cordon_sha256 *s);
void cordon_sha256_update(struct cordon_sha256 *s, const void *data, size_t len);
void cordon_sha256_final(struct cordon_sha256 *s, uint8_t out[32]);
void cordon_sha256(const void *data, size_t len, uint8_t out[32]);
void cordon_sha256_hex(const uint8_t digest[32], char out[65]);

#endif
