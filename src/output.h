/* output.h: writing result files safely: a temporary file in the target folder, flushed,
 * then renamed, readable by its owner only. A failure leaves no partial file behind. */
#ifndef HANDOUT_OUTPUT_H
#define HANDOUT_OUTPUT_H

#include <stddef.h>

/* Writes len bytes to path atomically with mode 0600. Returns 0, or -1 after reporting. */
int output_write_file(const char *path, const void *data, size_t len);

/* Creates dir and missing parents (mode 0700) unless it exists as a folder. Returns 0, or -1 after reporting. */
int output_make_dir(const char *dir);

#endif
