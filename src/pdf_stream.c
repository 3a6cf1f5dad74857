/* pdf_stream.c: streams deflated here rather than by libharu (doc/libharu-internals.md
 * section 4): page contents by a compressor per thread, and the run's cache of streams
 * deflated once for every document (font programs, the UTF-8 font's maps). */
#include "pdf.h"
#include "pdf_int.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Compression (libdeflate, zlib format), the level chosen per kind of stream by measurement
 * (doc/libharu-internals.md section 4): page contents, made for every document, as each page
 * is finished at DEFLATE_LEVEL (libdeflate's fastest, 0.2 times the CPU of libharu's zlib;
 * with the shorter content of section 6 every handout still comes out smaller than before),
 * one compressor per thread; font programs and the UTF-8 font's maps, made once per run (see
 * stream_cache), at REPEATED_LEVEL. */
#define DEFLATE_LEVEL      1
#define REPEATED_LEVEL     6
#define STREAM_CACHE_BYTES (1u << 20) /* keys and deflated bytes kept; the oldest go first */

/* ---- Streams deflated here rather than by libharu (doc/libharu-internals.md section 4). */

/* libharu writes a stream with filter NONE as it is and drops /Filter; this puts it back
 * for data that is already deflated. */
HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* A memory stream's bytes, copied into one buffer. */
unsigned char *stream_bytes(HPDF_Stream st, size_t *len)
{
	unsigned char *out = xmalloc(st->size ? st->size : 1);
	size_t at = 0;
	HPDF_UINT count = HPDF_MemStream_GetBufCount(st);
	for (HPDF_UINT i = 0; i < count && at < st->size; i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *part = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (!part)
			break;
		if (n > st->size - at)
			n = (HPDF_UINT)(st->size - at);
		memcpy(out + at, part, n);
		at += n;
	}
	*len = at;
	return out;
}

/* The stream's data becomes z, which is already deflated: libharu writes it as it is. */
void use_deflated(HPDF_Dict d, const unsigned char *z, size_t zlen)
{
	HPDF_MemStream_FreeData(d->stream);
	HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen);
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_flate_filter;
}

/* data deflated in zlib format by c; NULL when it cannot be. */
static unsigned char *deflate_with(struct libdeflate_compressor *c, const unsigned char *data, size_t len,
                                   size_t *zlen)
{
	size_t cap = libdeflate_zlib_compress_bound(c, len);
	unsigned char *z = xmalloc(cap);
	*zlen = libdeflate_zlib_compress(c, data, len, z, cap);
	if (!*zlen) {
		free(z);
		return NULL;
	}
	return z;
}

/* Each thread's compressor for page contents, made on first use, freed when the thread ends
 * (the main thread's at exit, by pdf_thread_done). */
static pthread_key_t content_key;
static pthread_once_t content_key_once = PTHREAD_ONCE_INIT;

static void free_compressor(void *c)
{
	libdeflate_free_compressor(c);
}

static void make_content_key(void)
{
	pthread_key_create(&content_key, free_compressor);
}

struct libdeflate_compressor *content_compressor(void)
{
	pthread_once(&content_key_once, make_content_key);
	struct libdeflate_compressor *c = pthread_getspecific(content_key);
	if (!c && (c = libdeflate_alloc_compressor(DEFLATE_LEVEL)) != NULL)
		pthread_setspecific(content_key, c);
	return c;
}

size_t pdf_fonts_cache_hits(pdf_fonts *f)
{
	pthread_mutex_lock(&f->cache.lock);
	size_t n = f->cache.hits;
	pthread_mutex_unlock(&f->cache.lock);
	return n;
}

/* d's stream deflated by c; NULL when it cannot be. */
unsigned char *deflate_dict(struct libdeflate_compressor *c, HPDF_Dict d, size_t *zlen)
{
	size_t len;
	unsigned char *raw = stream_bytes(d->stream, &len);
	unsigned char *z = deflate_with(c, raw, len, zlen);
	free(raw);
	return z;
}

static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

stream_key key_of(const void *source, strbuf bytes)
{
	return (stream_key){source, bytes, hash_bytes((const unsigned char *)bytes.data, bytes.len)};
}

/* On a hit, d gets the kept deflated bytes (and *length1 its length before). Compares the
 * whole key, never the hash alone. */
int cache_use(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned *length1)
{
	int hit = 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = c->n; i-- > 0 && !hit;) {
		const stream_blob *b = &c->blob[i];
		if (b->hash == k->hash && b->source == k->source && b->key_len == k->bytes.len &&
		    memcmp(b->key, k->bytes.data, k->bytes.len) == 0) {
			use_deflated(d, b->z, b->z_len);
			*length1 = b->length1;
			hit = 1;
		}
	}
	c->hits += (size_t)hit;
	pthread_mutex_unlock(&c->lock);
	return hit;
}

/* Keeps a copy of d's deflated bytes under k, dropping the oldest beyond
 * STREAM_CACHE_BYTES; only a key missed before (a glyph set many handouts share, not the
 * one a single rare name makes), so the little memory kept serves many hits. */
static void cache_keep(stream_cache *c, const stream_key *k, const unsigned char *z, size_t z_len,
                       unsigned length1)
{
	size_t need = k->bytes.len + z_len;
	if (need > STREAM_CACHE_BYTES)
		return;
	pthread_mutex_lock(&c->lock);
	uint64_t *seen = &c->seen[k->hash % SEEN_SLOTS];
	int again = *seen == (k->hash | 1);
	*seen = again ? 0 : k->hash | 1;
	pthread_mutex_unlock(&c->lock);
	if (!again)
		return;
	stream_blob b = {k->hash, k->source, xmalloc(need), NULL, k->bytes.len, z_len, length1};
	b.z = b.key + k->bytes.len;
	memcpy(b.key, k->bytes.data, k->bytes.len);
	memcpy(b.z, z, z_len);
	pthread_mutex_lock(&c->lock);
	while (c->n && c->bytes + need > STREAM_CACHE_BYTES) {
		c->bytes -= c->blob[0].key_len + c->blob[0].z_len;
		free(c->blob[0].key);
		memmove(c->blob, c->blob + 1, --c->n * sizeof *c->blob);
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->blob = xrealloc(c->blob, c->cap * sizeof *c->blob);
	}
	c->blob[c->n++] = b;
	c->bytes += need;
	pthread_mutex_unlock(&c->lock);
}

/* On a miss: deflates d's data (filter FlateDecode) with the shared compressor and offers
 * it to the cache under k. Returns 0, or -1 when d was left to libharu to deflate. */
int deflate_keyed(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned length1)
{
	size_t zlen;
	unsigned char *z = NULL;
	pthread_mutex_lock(&c->deflate_lock);
	if (!c->comp)
		c->comp = libdeflate_alloc_compressor(REPEATED_LEVEL);
	if (c->comp)
		z = deflate_dict(c->comp, d, &zlen);
	pthread_mutex_unlock(&c->deflate_lock);
	if (!z)
		return -1;
	use_deflated(d, z, zlen);
	cache_keep(c, k, z, zlen, length1);
	free(z);
	return 0;
}

/* A stream made the same way in every document that has it (the UTF-8 font's ToUnicode and
 * CIDToGIDMap), keyed by its own bytes. */
void deflate_repeated(stream_cache *c, HPDF_Dict d)
{
	if (!d || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
		return;
	strbuf bytes = {0};
	bytes.data = (char *)stream_bytes(d->stream, &bytes.len);
	bytes.cap = bytes.len;
	stream_key k = key_of(NULL, bytes);
	unsigned unused;
	if (!cache_use(c, &k, d, &unused))
		deflate_keyed(c, &k, d, 0);
	sb_free(&bytes);
}

void pdf_stream_thread_done(void)
{
	pthread_once(&content_key_once, make_content_key);
	struct libdeflate_compressor *c = pthread_getspecific(content_key);
	pthread_setspecific(content_key, NULL);
	libdeflate_free_compressor(c);
}
