/* logo.c: the clinic's logo for every document of a run. Decoding the PNG, fitting it and
 * deflating it at zlib's level 9 took 1.3 ms, a sixth of a single handout made as its own
 * process; the result is the same for the same PNG, so it is kept between runs. A kept file
 * is trusted only when its name is the SHA-256 of the PNG's bytes, the size it was fitted to
 * and the zlib that deflated it, its own SHA-256 (stored first) matches, and each stream
 * inflates to exactly the image's size (pdf_image_unpack). Anything else is made again and
 * the file rewritten; a cache that cannot be written is no error.
 * A kept file puts its image on every handout, so, as ssh does with its files, the cache is
 * used only when no other account could have written it: the folder is the running user's
 * and only theirs to write, so is each folder above it (or it is root's and sticky, as /tmp),
 * and so is the kept file itself. Otherwise the logo is made afresh and one warning says why. */
#include "logo.h"
#include "diag.h"
#include "digest.h"
#include "image.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define FORMAT "logo 1" /* changes when what is kept, or how it is made, changes */

char *logo_cache_dir(void)
{
	const char *dir = getenv("HANDOUT_CACHE_DIR");
	if (dir)
		return *dir && strcmp(dir, "none") != 0 ? xstrdup(dir) : NULL;
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && *xdg == '/')
		return path_join(xdg, "handout");
	const char *home = getenv("HOME");
	if (home && *home == '/') {
		char *cache = path_join(home, ".cache");
		char *d = path_join(cache, "handout");
		free(cache);
		return d;
	}
	return NULL;
}

/* The kept file's path for these PNG bytes; NULL without a cache folder. */
static char *kept_path(const char *dir, const char *png, size_t len, unsigned max_side)
{
	char png_sha[65], key_sha[65];
	digest_sha256_hex(png, len, png_sha);
	strbuf key = {0};
	sb_printf(&key, "%s\n%s\n%u\n%s\n", FORMAT, png_sha, max_side, zlibVersion());
	digest_sha256_hex(key.data, key.len, key_sha);
	sb_free(&key);
	strbuf name = {0};
	sb_printf(&name, "logo-%.32s.bin", key_sha);
	char *path = path_join(dir, name.data);
	sb_free(&name);
	return path;
}

/* Why the cache folder dir could hold files another account wrote, or NULL when it could
 * not: it must be a folder (not a link) of the running user's that others cannot write, and
 * every folder above it the user's or root's, not writable by others unless root's and
 * sticky (then nobody can rename another's entries). reason is filled for a message. */
static const char *unsafe_folder(const char *dir, char *where, size_t size)
{
	struct stat st;
	uid_t me = geteuid();
	snprintf(where, size, "%s", dir);
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return "it is not a folder (a link, or a file)";
	if (st.st_uid != me)
		return "it belongs to another account";
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return "other accounts can write in it";
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return "its path cannot be resolved";
	for (char *slash; (slash = strrchr(real, '/')) != NULL;) {
		slash[slash == real] = '\0'; /* the parent; "/" stays "/" */
		if (stat(real, &st) != 0)
			return "a folder above it cannot be read";
		int others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
		if ((st.st_uid != me && st.st_uid != 0) ||
		    (others_write && !(st.st_uid == 0 && (st.st_mode & S_ISVTX)))) {
			snprintf(where, size, "%s", real);
			return "a folder above it can be changed by other accounts";
		}
		if (slash == real)
			break;
	}
	return NULL;
}

/* Says once a run that the cache is not used, and why. */
static void not_used(const char *where, const char *why)
{
	diag(DIAG_WARNING, where, 0,
	     "the logo cache is not used: %s (the logo is made afresh; make the folder yours "
	     "with chmod go-w, or set HANDOUT_CACHE_DIR)",
	     why);
}

/* The kept image, or NULL when the file is missing, is not the running user's alone, or
 * does not check out. */
static pdf_image *take_kept(const char *path)
{
	/* What the cache holds is made from the PNG, which is what a run is made from: its
	 * bytes are not shown to a file observer (fingerprint.c) as a file read. */
	file_observer observer = file_observe((file_observer){0});
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	pdf_image *pi = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
			not_used(path, "the kept file belongs to another account or others can write it");
		} else {
			strbuf data = {0};
			char buf[65536];
			ssize_t n;
			while ((n = read(fd, buf, sizeof buf)) > 0)
				sb_appendn(&data, buf, (size_t)n);
			char sha[65];
			if (n == 0 && data.len > 64) {
				digest_sha256_hex(data.data + 64, data.len - 64, sha);
				if (memcmp(sha, data.data, 64) == 0)
					pi = pdf_image_unpack((const unsigned char *)data.data + 64,
					                      data.len - 64);
			}
			sb_free(&data);
		}
	}
	if (fd >= 0)
		close(fd);
	file_observe(observer);
	return pi;
}

static void keep(const char *path, const pdf_image *pi)
{
	strbuf packed = {0}, file = {0};
	pdf_image_pack(pi, &packed);
	char sha[65];
	digest_sha256_hex(packed.data, packed.len, sha);
	sb_appendn(&file, sha, 64);
	sb_appendn(&file, packed.data, packed.len);
	int err;
	output_save(path, file.data, file.len, &err);
	sb_free(&packed);
	sb_free(&file);
}

pdf_image *logo_prepare(const char *png_path, unsigned max_side)
{
	char *dir = logo_cache_dir();
	char *path = NULL;
	char where[PATH_MAX + 1];
	const char *why = NULL;
	if (dir && output_make_dir_quiet(dir) != 0) {
		free(dir); /* a cache that cannot be made is no error: there is none */
		dir = NULL;
	} else if (dir && (why = unsafe_folder(dir, where, sizeof where)) != NULL) {
		not_used(where, why);
		free(dir);
		dir = NULL;
	}
	if (dir) {
		size_t len;
		char *png = file_read_all(png_path, &len);
		if (png)
			path = kept_path(dir, png, len, max_side);
		free(png);
	}
	pdf_image *pi = path ? take_kept(path) : NULL;
	if (!pi) {
		image *img = image_load_png(png_path);
		if (img) {
			image_fit(img, max_side);
			pi = pdf_image_prepare(img);
			image_free(img);
		}
		if (pi && path)
			keep(path, pi);
	}
	free(path);
	free(dir);
	return pi;
}
