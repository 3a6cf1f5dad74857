/* image.h: raster images decoded with libpng into 8-bit RGB plus an optional alpha plane,
 * ready for the PDF renderer (libharu 2.3's own PNG loader is unsafe: see the notes). */
#ifndef HANDOUT_IMAGE_H
#define HANDOUT_IMAGE_H

#include <stddef.h>

typedef struct image {
	unsigned width, height; /* pixels */
	unsigned char *rgb;     /* width * height * 3 bytes */
	unsigned char *alpha;   /* width * height bytes, or NULL when opaque */
} image;

/* Decodes any PNG (palette, grey, 16-bit, interlaced, tRNS) from path. NULL after reporting
 * "path: message". Images over 4096 x 4096 pixels are refused. */
image *image_load_png(const char *path);
/* Reduces img in place (area averaging, alpha-weighted colour) so that neither side
 * exceeds max_side pixels; a smaller image is left as it is. Every document embeds the
 * logo again, so its size is paid for per handout. */
void image_fit(image *img, unsigned max_side);
void image_free(image *img);
/* The PNG decoder and its version ("libpng 1.6.39"). */
const char *image_library(void);

#endif
