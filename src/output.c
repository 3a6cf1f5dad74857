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
#include <sys/stat.h>
#include <unistd.h>

/* Writes data to a new hidden temporary file beside path; returns its fd (open) and name,
 * or -1 with the error in *err and nothing left behind. */
static int write_temp_fd(const char *path, const void *data, size_t len, char **tmp_out, int *err)
{
	strbuf tmp = {0};
	char *copy = xstrdup(path);
	/* The temporary name starts with a dot and ends in .tmp: never mistaken for a result. */
	char *dir = dirname(copy);
	char *base_copy = xstrdup(path);
	sb_printf(&tmp, "%s/.%s.XXXXXX.tmp", dir, basename(base_copy));
	free(base_copy);
	free(copy);
	int fd = mkstemps(tmp.data, 4);
	if (fd < 0) {
		*err = errno;
		sb_free(&tmp);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	*err = 0;
	while (left && !*err) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			*err = n < 0 ? errno : EIO;
		else
			p += n, left -= (size_t)n;
	}
	if (!*err && fchmod(fd, 0600) != 0)
		*err = errno;
	if (*err) {
		close(fd);
		unlink(tmp.data);
		sb_free(&tmp);
		return -1;
	}
	*tmp_out = sb_take(&tmp);
	return fd;
}

int output_write_file(const char *path, const void *data, size_t len)
{
	char *tmp;
	int err;
	int fd = write_temp_fd(path, data, len, &tmp, &err);
	if (fd >= 0) {
		err = fsync(fd) != 0 ? errno : 0;
		if (close(fd) != 0 && !err)
			err = errno;
		if (!err && output_publish(tmp, path, &err) == 0) {
			free(tmp);
			return 0;
		}
		unlink(tmp);
		free(tmp);
	}
	diag(DIAG_ERROR, path, 0, "cannot write file: %s", strerror(err));
	return -1;
}

char *output_write_temp(const char *final_path, const void *data, size_t len, int *err)
{
	char *tmp;
	int fd = write_temp_fd(final_path, data, len, &tmp, err);
	if (fd < 0)
		return NULL;
	if (close(fd) != 0) {
		*err = errno;
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

int output_flush_dir(const char *dir, int *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 ? syncfs(fd) : -1;
	*err = rc != 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return rc;
}

int output_publish(const char *tmp_path, const char *final_path, int *err)
{
	if (rename(tmp_path, final_path) != 0) {
		*err = errno;
		unlink(tmp_path);
		return -1;
	}
	return 0;
}

int output_space_error(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EIO;
}

int output_make_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		diag(DIAG_ERROR, dir, 0, "exists and is not a folder");
		return -1;
	}
	/* Parents first, as mkdir -p does. */
	char *parent_copy = xstrdup(dir);
	char *parent = dirname(parent_copy);
	int parent_ok = strcmp(parent, dir) == 0 || strcmp(parent, ".") == 0 || strcmp(parent, "/") == 0 ||
			output_make_dir(parent) == 0;
	free(parent_copy);
	if (!parent_ok)
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		diag(DIAG_ERROR, dir, 0, "cannot create folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}
