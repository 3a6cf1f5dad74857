/* output.h: writing result files safely: a temporary file in the target folder, flushed,
 * then renamed, readable by its owner only. A failure leaves no partial file behind. */
#ifndef HANDOUT_OUTPUT_H
#define HANDOUT_OUTPUT_H

#include <stddef.h>

/* No output is ever written through a link: a file written whole goes to a temporary file
 * (O_EXCL) renamed over its name, a file written in place is created afresh (O_EXCL |
 * O_NOFOLLOW), and a symbolic link where an output goes is refused with ELOOP, which
 * output_strerror says as such. */

/* Writes len bytes to path atomically with mode 0600. Returns 0, or -1 after reporting. */
int output_write_file(const char *path, const void *data, size_t len);

/* Writes all len bytes to fd (again after EINTR); 0, or the error number (EIO when the
 * file takes no more). */
int output_write_all(int fd, const void *data, size_t len);

/* The same without a message: 0, or -1 with the error in *err and nothing left behind. */
int output_save(const char *path, const void *data, size_t len, int *err);

/* The steps of output_save for many files at once, none reporting: each returns 0, or -1
 * with the error in *err. A temporary file is written beside its final name (mode 0600);
 * when its group is committed, the group's files are started on their way to the disk
 * together, then each flushed (fdatasync of that file alone: other programs' data is never
 * flushed, as syncfs did) and renamed. */
typedef struct output_temp {
	char *path; /* the temporary file; NULL once published or discarded */
	int fd;     /* open until flushed; -1 after */
} output_temp;
/* Writes a new temporary file beside final_path; on failure nothing is left behind. */
int output_temp_write(output_temp *t, const char *final_path, const void *data, size_t len, int *err);
/* Sends its data on its way to the disk without waiting (sync_file_range where there is
 * one): a group's files started together are then flushed one by one mostly waiting. */
void output_temp_start(output_temp *t);
/* Makes its data durable and closes it. */
int output_temp_flush(output_temp *t, int *err);
/* Renames a flushed temporary file to final_path; on failure (a symbolic link at final_path
 * is ELOOP) removes it. */
int output_temp_publish(output_temp *t, const char *final_path, int *err);
/* Removes a temporary file not published (closing it when open); nothing when t->path is NULL. */
void output_temp_discard(output_temp *t);
/* 1 for errors that mean the output's disk cannot take more (full, over quota, failing): a
 * run stops rather than try every patient in vain. A file over the size limit (EFBIG) is
 * that file's failure only. */
int output_space_error(int err);

/* Creates path as a new empty file (mode 0600) to be written in place (the manifest, which
 * grows a row at a time): a file there is removed first, a symbolic link there refused
 * (ELOOP), and the new file made with O_EXCL | O_NOFOLLOW, so no write reaches a file that
 * another name (a link planted in the folder) points at. The descriptor, or -1 with *err. */
int output_create(const char *path, int *err);

/* strerror, with ELOOP said as what it means here: a link where an output goes. */
const char *output_strerror(int err);

/* Takes the output folder dir for one run: an exclusive flock on dir/.handout.lock (made if
 * need be, never through a link). Returns the lock to give to output_unlock_dir, or -1 with
 * *err, EWOULDBLOCK when another run holds it: a second run into a folder must not delete
 * the first's temporary files nor write a manifest of its own over the first's. */
#define OUTPUT_LOCK_FILE ".handout.lock"
int output_lock_dir(const char *dir, int *err);
/* Removes the lock file and lets the folder go. */
void output_unlock_dir(const char *dir, int lock);

/* Creates dir and missing parents (mode 0700) unless it exists as a folder. Returns 0, or -1 after reporting.
 */
int output_make_dir(const char *dir);
/* The same without a message (for a folder that may fail to exist, as the logo cache). */
int output_make_dir_quiet(const char *dir);

#endif
