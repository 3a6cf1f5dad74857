/* output.h: writing result files safely: a temporary file in the target folder, flushed,
 * then renamed, readable by its owner only. A failure leaves no partial file behind. */
#ifndef HANDOUT_OUTPUT_H
#define HANDOUT_OUTPUT_H

#include <stddef.h>

/* Writes len bytes to path atomically with mode 0600. Returns 0, or -1 after reporting. */
int output_write_file(const char *path, const void *data, size_t len);

/* Writes len bytes to a new temporary file beside final_path (mode 0600, not yet flushed
 * to disk) and returns its path (caller frees), or NULL after reporting; nothing is left
 * behind on failure. Flush the folder (output_flush_dir), then output_publish. */
char *output_write_temp(const char *final_path, const void *data, size_t len);
/* Makes every file written in dir so far durable (one syncfs for a whole group of files).
 * Returns 0, or -1 after reporting. */
int output_flush_dir(const char *dir);
/* Renames a flushed temporary file to its final name; on failure reports, removes the
 * temporary file and returns -1. */
int output_publish(const char *tmp_path, const char *final_path);

/* Creates dir and missing parents (mode 0700) unless it exists as a folder. Returns 0, or -1 after reporting. */
int output_make_dir(const char *dir);

#endif
