/* fingerprint.h: what a run's handouts are made from, as one SHA-256 that --resume compares.
 * While a fingerprint is being taken on a thread, every file that thread opens through
 * util.c (content, translations, drawings, settings, template, fonts, logo: whatever a loader
 * reads, now or in the future) counts by its name and all its bytes, so no loader can leave
 * one out; what is not a file (the program, its libraries' versions) is added by name. */
#ifndef HANDOUT_FINGERPRINT_H
#define HANDOUT_FINGERPRINT_H

#include <stddef.h>

struct strbuf;

typedef struct fingerprint fingerprint;

/* An empty fingerprint. Files are named by their path relative to base_dir (the data
 * folder) when they are inside it, else by their file name alone, so moving the data or the
 * settings elsewhere changes nothing. */
fingerprint *fingerprint_new(const char *base_dir);
void fingerprint_free(fingerprint *f);

/* From now until fingerprint_stop, every file this thread opens counts in f. One
 * fingerprint at a time per thread. */
void fingerprint_start(fingerprint *f);
void fingerprint_stop(fingerprint *f);

/* Counts bytes under a name of their own (the program, "libraries", another fingerprint). */
void fingerprint_add(fingerprint *f, const char *name, const void *data, size_t len);
/* Counts the whole file at path under name; -1 (errno set) when it cannot be read. */
int fingerprint_add_file(fingerprint *f, const char *name, const char *path);

/* The digest, 64 hex digits: the SHA-256 of the sorted list of names and their SHA-256s,
 * so it depends on neither the order files were read in nor a file read twice. */
void fingerprint_hex(const fingerprint *f, char hex[65]);
/* That list, one "SHA256  name" line an entry, sorted (for tests and --verbose). */
void fingerprint_list(const fingerprint *f, struct strbuf *out);

#endif
