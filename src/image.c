/* image.c: PNG decoding with libpng into 8-bit RGB plus alpha. */
#include "image.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIDE 4096

typedef struct png_state {
	const char *path;
	char message[256];
} png_state;

static void on_png_error(png_structp png, png_const_charp msg)
{
	png_state *st = png_get_error_ptr(png);
	snprintf(st->message, sizeof st->message, "%s", msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	/* libharu treats these as fatal; they are not. */
	png_state *st = png_get_error_ptr(png);
	diag(DIAG_WARNING, st->path, 0, "PNG: %s", msg);
}

image *image_load_png(const char *path)
{
	FILE *f = fopen_regular(path);
	if (!f) {
		diag(DIAG_ERROR, path, 0, "cannot open image: %s", open_strerror(errno));
		return NULL;
	}
	png_state st = {path, ""};
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st, on_png_error, on_png_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	image *img = NULL;
	unsigned char *rgba = NULL;
	png_bytep *rows = NULL;
	if (!info) {
		diag(DIAG_ERROR, path, 0, "cannot start libpng");
		goto cleanup;
	}
	if (setjmp(png_jmpbuf(png))) {
		diag(DIAG_ERROR, path, 0, "not a readable PNG: %s", st.message);
		image_free(img);
		img = NULL;
		goto cleanup;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE) {
		diag(DIAG_ERROR, path, 0, "image is %ux%u pixels; at most %dx%d are accepted", (unsigned)w,
		     (unsigned)h, MAX_SIDE, MAX_SIDE);
		goto cleanup;
	}
	/* Everything becomes 8-bit RGBA. */
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	rgba = xmalloc((size_t)w * h * 4);
	rows = xmalloc(h * sizeof *rows);
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = rgba + (size_t)y * w * 4;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	img = xcalloc(1, sizeof *img);
	img->width = w;
	img->height = h;
	img->rgb = xmalloc((size_t)w * h * 3);
	int opaque = 1;
	for (size_t i = 0; i < (size_t)w * h; i++) {
		memcpy(img->rgb + i * 3, rgba + i * 4, 3);
		opaque &= rgba[i * 4 + 3] == 0xFF;
	}
	if (!opaque) {
		img->alpha = xmalloc((size_t)w * h);
		for (size_t i = 0; i < (size_t)w * h; i++)
			img->alpha[i] = rgba[i * 4 + 3];
	}
cleanup:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(rows);
	free(rgba);
	fclose(f);
	return img;
}

void image_fit(image *img, unsigned max_side)
{
	if (img->width <= max_side && img->height <= max_side)
		return;
	double scale = (double)max_side / (img->width > img->height ? img->width : img->height);
	unsigned w = (unsigned)(img->width * scale + 0.5), h = (unsigned)(img->height * scale + 0.5);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	unsigned char *rgb = xmalloc((size_t)w * h * 3);
	unsigned char *alpha = img->alpha ? xmalloc((size_t)w * h) : NULL;
	for (unsigned y = 0; y < h; y++) {
		unsigned y0 = y * img->height / h, y1 = (y + 1) * img->height / h;
		for (unsigned x = 0; x < w; x++) {
			unsigned x0 = x * img->width / w, x1 = (x + 1) * img->width / w;
			double sum[3] = {0, 0, 0}, asum = 0;
			unsigned n = 0;
			for (unsigned sy = y0; sy < y1; sy++)
				for (unsigned sx = x0; sx < x1; sx++) {
					size_t i = (size_t)sy * img->width + sx;
					/* Colour weighted by coverage, so transparent pixels do not darken
					 * edges. */
					double a = img->alpha ? img->alpha[i] / 255.0 : 1;
					for (int c = 0; c < 3; c++)
						sum[c] += img->rgb[i * 3 + c] * a;
					asum += a;
					n++;
				}
			size_t o = (size_t)y * w + x;
			for (int c = 0; c < 3; c++)
				rgb[o * 3 + c] = (unsigned char)(asum > 0 ? sum[c] / asum + 0.5 : 255);
			if (alpha)
				alpha[o] = (unsigned char)(n ? asum / n * 255 + 0.5 : 0);
		}
	}
	free(img->rgb);
	free(img->alpha);
	img->rgb = rgb;
	img->alpha = alpha;
	img->width = w;
	img->height = h;
}

void image_free(image *img)
{
	if (!img)
		return;
	free(img->rgb);
	free(img->alpha);
	free(img);
}

const char *image_library(void)
{
	static char text[64];
	snprintf(text, sizeof text, "libpng %s", png_get_libpng_ver(NULL));
	return text;
}
