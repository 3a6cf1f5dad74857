/* output.h: writing result files safely: a temporary file in the target folder, flushed,
 * then renamed, readable by its owner only. A failure leaves no partial file behind. */
#ifndef HANDOUT_OUTPUT_H
#define HANDOUT_OUTPUT_H

#include <stddef.h>

/* Writes len bytes to path atomically with mode 0600. Returns 0, or -1 after reporting. */
int output_write_file(const char *path, const void *data, size_t len);

/* The steps of output_write_file for many files at once; none reports, each returns the
 * error in *err. Writes len bytes to a new temporary file beside final_path (mode 0600,
 * not yet flushed to disk) and returns its path (caller frees), or NULL with nothing left
 * behind. */
char *output_write_temp(const char *final_path, const void *data, size_t len, int *err);
/* Makes every file written in dir so far durable (one syncfs for a whole group of files).
 * Returns 0 or -1. */
int output_flush_dir(const char *dir, int *err);
/* Renames a flushed temporary file to its final name; on failure removes the temporary
 * file and returns -1. */
int output_publish(const char *tmp_path, const char *final_path, int *err);
/* 1 for errors that mean the output's disk cannot take more (full, over quota, failing): a
 * run stops rather than try every patient in vain. A file over the size limit (EFBIG) is
 * that file's failure only. */
int output_space_error(int err);

/* Creates dir and missing parents (mode 0700) unless it exists as a folder. Returns 0, or -1 after reporting. */
int output_make_dir(const char *dir);

#endif
