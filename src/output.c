/* output.c: writing result files atomically, owner-readable only. */
#include "output.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int output_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int output_temp_write(output_temp *t, const char *final_path, const void *data, size_t len, int *err)
{
	/* The temporary name starts with a dot and ends in .tmp: never mistaken for a result. */
	strbuf tmp = {0};
	char *copy = xstrdup(final_path), *base_copy = xstrdup(final_path);
	sb_printf(&tmp, "%s/.%s.XXXXXX.tmp", dirname(copy), basename(base_copy));
	free(base_copy);
	free(copy);
	t->path = NULL;
	t->fd = mkstemps(tmp.data, 4);
	/* mkstemps makes it 0600 (POSIX), and handout runs with umask 077: no fchmod, which
	 * was one more change of the inode to journal for every PDF. */
	*err = t->fd < 0 ? errno : output_write_all(t->fd, data, len);
	if (*err) {
		if (t->fd >= 0) {
			close(t->fd);
			unlink(tmp.data);
		}
		t->fd = -1;
		sb_free(&tmp);
		return -1;
	}
	t->path = sb_take(&tmp);
	return 0;
}

void output_temp_start(output_temp *t)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (t->fd >= 0)
		sync_file_range(t->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)t;
#endif
}

int output_temp_flush(output_temp *t, int *err)
{
	*err = 0;
	if (t->fd < 0)
		return 0;
	if (fdatasync(t->fd) != 0)
		*err = errno;
	if (close(t->fd) != 0 && !*err)
		*err = errno;
	t->fd = -1;
	return *err ? -1 : 0;
}

/* 1 when path is a symbolic link (rename would replace the link, never write through
 * it, but a link where an output goes was put there by someone, and is said). */
static int is_link(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

int output_temp_publish(output_temp *t, const char *final_path, int *err)
{
	*err = 0;
	if (is_link(final_path)) {
		*err = ELOOP;
		unlink(t->path);
	} else if (rename(t->path, final_path) != 0) {
		*err = errno;
		unlink(t->path);
	}
	free(t->path);
	t->path = NULL;
	return *err ? -1 : 0;
}

void output_temp_discard(output_temp *t)
{
	if (!t->path)
		return;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	unlink(t->path);
	free(t->path);
	t->path = NULL;
}

int output_save(const char *path, const void *data, size_t len, int *err)
{
	output_temp t;
	if (output_temp_write(&t, path, data, len, err) != 0)
		return -1;
	if (output_temp_flush(&t, err) != 0) {
		output_temp_discard(&t);
		return -1;
	}
	return output_temp_publish(&t, path, err);
}

int output_write_file(const char *path, const void *data, size_t len)
{
	int err;
	if (output_save(path, data, len, &err) == 0)
		return 0;
	diag(DIAG_ERROR, path, 0, "cannot write file: %s", output_strerror(err));
	return -1;
}

const char *output_strerror(int err)
{
	return err == ELOOP ? "a symbolic link is there, and handout never writes through one (remove it)"
	                    : strerror(err);
}

int output_create(const char *path, int *err)
{
	struct stat st;
	*err = 0;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			*err = ELOOP;
			return -1;
		}
		if (S_ISREG(st.st_mode) && unlink(path) != 0) {
			*err = errno;
			return -1;
		}
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		*err = errno == EEXIST && is_link(path) ? ELOOP : errno; /* appeared since: not ours */
	return fd;
}

int output_lock_dir(const char *dir, int *err)
{
	char *path = path_join(dir, OUTPUT_LOCK_FILE);
	int fd = -1;
	*err = 0;
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			*err = errno;
			break;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			*err = errno;
			close(fd);
			fd = -1;
			break;
		}
		/* A run that just finished removes the file after we opened it: the lock is then on
		 * a file with no name, which a third run would not see. Lock the one that is there. */
		struct stat held, named;
		if (fstat(fd, &held) == 0 && lstat(path, &named) == 0 && held.st_ino == named.st_ino &&
		    held.st_dev == named.st_dev)
			break;
		close(fd);
	}
	free(path);
	return fd;
}

void output_unlock_dir(const char *dir, int lock)
{
	if (lock < 0)
		return;
	char *path = path_join(dir, OUTPUT_LOCK_FILE);
	unlink(path); /* while still held: see output_lock_dir */
	free(path);
	close(lock);
}

int output_space_error(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EIO;
}

/* mkdir -p with mode 0700; says what failed when report is set. */
static int make_dir(const char *dir, int report)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		if (report)
			diag(DIAG_ERROR, dir, 0, "exists and is not a folder");
		return -1;
	}
	/* Parents first, as mkdir -p does. */
	char *parent_copy = xstrdup(dir);
	char *parent = dirname(parent_copy);
	int parent_ok = strcmp(parent, dir) == 0 || strcmp(parent, ".") == 0 || strcmp(parent, "/") == 0 ||
	                make_dir(parent, report) == 0;
	free(parent_copy);
	if (!parent_ok)
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		if (report)
			diag(DIAG_ERROR, dir, 0, "cannot create folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int output_make_dir(const char *dir)
{
	return make_dir(dir, 1);
}

int output_make_dir_quiet(const char *dir)
{
	return make_dir(dir, 0);
}
