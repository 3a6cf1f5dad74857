/* sha256.h: SHA-256 (FIPS 180-4), for the manifest's checksums of inputs and PDFs. */
#ifndef HANDOUT_SHA256_H
#define HANDOUT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(sha256_ctx *c, char hex[65]);
/* One-shot: the hex digest of data. */
void sha256_of(const void *data, size_t len, char hex[65]);

#endif
