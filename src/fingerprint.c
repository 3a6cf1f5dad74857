/* fingerprint.c: the SHA-256 of what handouts are made from, taken from the files as they
 * are read (util.c shows this thread's reads to the observer set here). */
#include "fingerprint.h"
#include "digest.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *name;
	char sha[65];
} entry;

struct fingerprint {
	char *base; /* the data folder, resolved (realpath): "." and its full path name it alike */
	entry *v;
	size_t n, cap;
	file_observer before; /* the observer fingerprint_start replaced */
};

fingerprint *fingerprint_new(const char *base_dir)
{
	fingerprint *f = xcalloc(1, sizeof *f);
	char real[PATH_MAX];
	f->base = xstrdup(realpath(base_dir, real) ? real : base_dir);
	return f;
}

void fingerprint_free(fingerprint *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
	free(f->base);
	free(f);
}

void fingerprint_add(fingerprint *f, const char *name, const void *data, size_t len)
{
	entry e = {xstrdup(name), {0}};
	digest_sha256_hex(data, len, e.sha);
	ARRAY_PUSH(f->v, f->n, f->cap, e);
}

int fingerprint_add_file(fingerprint *f, const char *name, const char *path)
{
	size_t len;
	const unsigned char *data = file_map(path, &len);
	if (!data && errno != ENODATA)
		return -1;
	fingerprint_add(f, name, data ? (const void *)data : "", data ? len : 0);
	file_unmap(data, len);
	return 0;
}

/* A file's name in the list: inside the data folder, its path there ("content/es/words.xml");
 * elsewhere (the clinic's settings and logo), its file name. */
static void file_read_seen(void *ctx, const char *path, const void *data, size_t len)
{
	fingerprint *f = ctx;
	char real[PATH_MAX];
	const char *full = realpath(path, real) ? real : path;
	size_t b = strlen(f->base);
	const char *name;
	if (strncmp(full, f->base, b) == 0 && full[b] == '/')
		name = full + b + 1;
	else
		name = strrchr(full, '/') ? strrchr(full, '/') + 1 : full;
	fingerprint_add(f, name, data, len);
}

void fingerprint_start(fingerprint *f)
{
	f->before = file_observe((file_observer){file_read_seen, f});
}

void fingerprint_stop(fingerprint *f)
{
	file_observe(f->before);
}

static int by_name_then_sha(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->sha, y->sha);
}

void fingerprint_list(const fingerprint *f, strbuf *out)
{
	entry *sorted = xcalloc(f->n, sizeof *sorted);
	memcpy(sorted, f->v, f->n * sizeof *sorted);
	qsort(sorted, f->n, sizeof *sorted, by_name_then_sha);
	for (size_t i = 0; i < f->n; i++)
		if (i == 0 || by_name_then_sha(&sorted[i - 1], &sorted[i]) != 0)
			sb_printf(out, "%s  %s\n", sorted[i].sha, sorted[i].name);
	free(sorted);
}

void fingerprint_hex(const fingerprint *f, char hex[65])
{
	strbuf list = {0};
	fingerprint_list(f, &list);
	digest_sha256_hex(list.data ? list.data : "", list.len, hex);
	sb_free(&list);
}
