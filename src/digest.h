/* digest.h: checksums, computed by nettle: SHA-256 for the manifest (inputs and PDFs), SHA-1
 * for FHIR's Attachment.hash. */
#ifndef HANDOUT_DIGEST_H
#define HANDOUT_DIGEST_H

#include <stddef.h>

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char hex[65]);
/* The SHA-1 of data, 20 bytes. */
void digest_sha1(const void *data, size_t len, unsigned char out[20]);

#endif
