/* pdf_image.c: images compressed once per run (the clinic's logo), packed for keeping between
 * runs, and embedded as they are in each document that draws them. */
#include "diag.h"
#include "image.h"
#include "pdf.h"
#include "pdf_int.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct pdf_image {
	unsigned width, height;
	unsigned char *rgb_z, *alpha_z; /* zlib streams; alpha_z NULL when opaque */
	size_t rgb_len, alpha_len;
};

/* The logo, deflated once per run at zlib's level 9 with its match chains cut from 4,096 to
 * 256 (deflateTune): 0.52 ms instead of 2.1 ms for the example logo, a fifth of a single
 * handout's start-up, for 18 bytes more (1,581 against 1,563). */
static unsigned char *deflate_all(const unsigned char *data, size_t len, size_t *out_len)
{
	z_stream zs = {0};
	if (deflateInit(&zs, Z_BEST_COMPRESSION) != Z_OK)
		return NULL;
	deflateTune(&zs, 32, 258, 258, 256);
	uLong cap = deflateBound(&zs, (uLong)len);
	unsigned char *z = xmalloc(cap);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = z;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(z);
		return NULL;
	}
	return z;
}

pdf_image *pdf_image_prepare(const image *img)
{
	pdf_image *pi = xcalloc(1, sizeof *pi);
	pi->width = img->width;
	pi->height = img->height;
	pi->rgb_z = deflate_all(img->rgb, (size_t)img->width * img->height * 3, &pi->rgb_len);
	if (img->alpha)
		pi->alpha_z = deflate_all(img->alpha, (size_t)img->width * img->height, &pi->alpha_len);
	if (!pi->rgb_z || (img->alpha && !pi->alpha_z)) {
		diag(DIAG_ERROR, NULL, 0, "cannot compress an image");
		pdf_image_free(pi);
		return NULL;
	}
	return pi;
}

/* The packed form: "HANDOUT-IMAGE 1\n", width, height, and the two streams' lengths as
 * 32-bit little-endian numbers, then the streams. */
#define PACK_MAGIC "HANDOUT-IMAGE 1\n"
#define PACK_HEAD  (sizeof PACK_MAGIC - 1 + 16)

static void put_u32(unsigned char *p, size_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static size_t get_u32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

void pdf_image_pack(const pdf_image *pi, strbuf *out)
{
	unsigned char head[PACK_HEAD];
	memcpy(head, PACK_MAGIC, sizeof PACK_MAGIC - 1);
	unsigned char *n = head + sizeof PACK_MAGIC - 1;
	put_u32(n, pi->width);
	put_u32(n + 4, pi->height);
	put_u32(n + 8, pi->rgb_len);
	put_u32(n + 12, pi->alpha_z ? pi->alpha_len : 0);
	sb_appendn(out, (const char *)head, sizeof head);
	sb_appendn(out, (const char *)pi->rgb_z, pi->rgb_len);
	if (pi->alpha_z)
		sb_appendn(out, (const char *)pi->alpha_z, pi->alpha_len);
}

/* 1 when z inflates to exactly len bytes. */
static int inflates_to(const unsigned char *z, size_t zlen, size_t len)
{
	unsigned char *out = xmalloc(len + 1);
	uLongf got = (uLongf)len + 1;
	int ok = uncompress(out, &got, z, (uLong)zlen) == Z_OK && got == len;
	free(out);
	return ok;
}

pdf_image *pdf_image_unpack(const unsigned char *data, size_t len)
{
	if (len < PACK_HEAD || memcmp(data, PACK_MAGIC, sizeof PACK_MAGIC - 1) != 0)
		return NULL;
	const unsigned char *n = data + sizeof PACK_MAGIC - 1;
	size_t w = get_u32(n), h = get_u32(n + 4), rgb_len = get_u32(n + 8), alpha_len = get_u32(n + 12);
	if (w == 0 || h == 0 || w > 4096 || h > 4096 || rgb_len == 0 ||
	    PACK_HEAD + rgb_len + alpha_len != len)
		return NULL;
	const unsigned char *rgb_z = data + PACK_HEAD, *alpha_z = rgb_z + rgb_len;
	if (!inflates_to(rgb_z, rgb_len, w * h * 3) || (alpha_len && !inflates_to(alpha_z, alpha_len, w * h)))
		return NULL;
	pdf_image *pi = xcalloc(1, sizeof *pi);
	pi->width = (unsigned)w;
	pi->height = (unsigned)h;
	pi->rgb_z = xmalloc(rgb_len);
	memcpy(pi->rgb_z, rgb_z, rgb_len);
	pi->rgb_len = rgb_len;
	if (alpha_len) {
		pi->alpha_z = xmalloc(alpha_len);
		memcpy(pi->alpha_z, alpha_z, alpha_len);
		pi->alpha_len = alpha_len;
	}
	return pi;
}

double pdf_image_aspect(const pdf_image *pi)
{
	return (double)pi->width / pi->height;
}

void pdf_image_free(pdf_image *pi)
{
	if (!pi)
		return;
	free(pi->rgb_z);
	free(pi->alpha_z);
	free(pi);
}

/* An image XObject holding already-compressed samples. */
static HPDF_Dict image_object(HPDF_Doc doc, unsigned w, unsigned h, const char *colour_space,
                              const unsigned char *z, size_t zlen)
{
	HPDF_Dict d = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!d)
		return NULL;
	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_flate_filter;
	if (HPDF_Dict_AddName(d, "Type", "XObject") != HPDF_OK ||
	    HPDF_Dict_AddName(d, "Subtype", "Image") != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "Width", (HPDF_INT32)w) != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "Height", (HPDF_INT32)h) != HPDF_OK ||
	    HPDF_Dict_AddName(d, "ColorSpace", colour_space) != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "BitsPerComponent", 8) != HPDF_OK ||
	    HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen) != HPDF_OK)
		return NULL;
	return d;
}

void draw_image(HPDF_Doc doc, HPDF_Page page, doc_images *di, const layout_item *it)
{
	if (it->image < 0 || (size_t)it->image >= di->n ||
	    (size_t)it->image >= sizeof di->loaded / sizeof di->loaded[0])
		return;
	HPDF_Image *slot = &di->loaded[it->image];
	const pdf_image *pi = di->src[it->image];
	if (!*slot) {
		*slot = image_object(doc, pi->width, pi->height, "DeviceRGB", pi->rgb_z, pi->rgb_len);
		if (*slot && pi->alpha_z) {
			HPDF_Dict mask = image_object(doc, pi->width, pi->height, "DeviceGray", pi->alpha_z,
			                              pi->alpha_len);
			if (mask)
				HPDF_Dict_Add(*slot, "SMask", mask);
		}
	}
	if (*slot)
		HPDF_Page_DrawImage(page, *slot, (HPDF_REAL)it->x_pt, (HPDF_REAL)it->y_pt,
		                    (HPDF_REAL)it->w_pt, (HPDF_REAL)it->h_pt);
}
