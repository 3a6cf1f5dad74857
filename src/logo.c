/* logo.c: the clinic's logo for every document of a run. Decoding the PNG, fitting it and
 * deflating it at zlib's level 9 took 1.3 ms, a sixth of a single handout made as its own
 * process; the result is the same for the same PNG, so it is kept between runs. A kept file
 * is trusted only when its name is the SHA-256 of the PNG's bytes, the size it was fitted to
 * and the zlib that deflated it, its own SHA-256 (stored first) matches, and each stream
 * inflates to exactly the image's size (pdf_image_unpack). Anything else is made again and
 * the file rewritten; a cache that cannot be written is no error. */
#include "logo.h"
#include "digest.h"
#include "image.h"
#include "output.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The kept image, or NULL when the file is missing or does not check out. */
static pdf_image *take_kept(const char *path)
{
	/* What the cache holds is made from the PNG, which is what a run is made from: its
	 * bytes are not shown to a file observer (fingerprint.c) as a file read. */
	file_observer observer = file_observe((file_observer){0});
	size_t len;
	char *data = file_read_all(path, &len);
	file_observe(observer);
	if (!data)
		return NULL;
	pdf_image *pi = NULL;
	char sha[65];
	if (len > 64) {
		digest_sha256_hex(data + 64, len - 64, sha);
		if (memcmp(sha, data, 64) == 0)
			pi = pdf_image_unpack((const unsigned char *)data + 64, len - 64);
	}
	free(data);
	return pi;
}

static void keep(const char *dir, const char *path, const pdf_image *pi)
{
	if (output_make_dir_quiet(dir) != 0)
		return;
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
			keep(dir, path, pi);
	}
	free(path);
	free(dir);
	return pi;
}
