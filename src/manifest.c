/* manifest.c: the batch manifest as RFC 4180 CSV. */
#include "manifest.h"
#include "diag.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void csv_field(strbuf *out, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		sb_append(out, s);
		return;
	}
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(out, '"');
		sb_putc(out, *s);
	}
	sb_putc(out, '"');
}

void manifest_format(const manifest_row *row, strbuf *out)
{
	for (int i = 0; i < MANIFEST_COLUMNS; i++) {
		if (i)
			sb_putc(out, ',');
		csv_field(out, row->field[i]);
	}
	sb_append(out, "\r\n");
}

struct manifest_reader {
	FILE *f;
	char *field[MANIFEST_COLUMNS];
};

/* Reads one record; returns the number of fields, or -1 at the end / on a cut record. */
static int read_record(FILE *f, char *field[MANIFEST_COLUMNS])
{
	strbuf cur = {0};
	int n = 0, c, quoted = 0, any = 0;
	for (int i = 0; i < MANIFEST_COLUMNS; i++) {
		free(field[i]);
		field[i] = NULL;
	}
	while ((c = fgetc(f)) != EOF) {
		any = 1;
		if (quoted) {
			if (c == '"') {
				int next = fgetc(f);
				if (next == '"') {
					sb_putc(&cur, '"');
				} else {
					quoted = 0;
					if (next != EOF)
						ungetc(next, f);
				}
			} else {
				sb_putc(&cur, (char)c);
			}
			continue;
		}
		if (c == '"') {
			quoted = 1;
		} else if (c == ',' || c == '\n') {
			if (n < MANIFEST_COLUMNS)
				field[n] = sb_take(&cur);
			else
				sb_free(&cur);
			n++;
			if (c == '\n')
				return n;
		} else if (c != '\r') {
			sb_putc(&cur, (char)c);
		}
	}
	sb_free(&cur);
	(void)any;
	return -1; /* no CRLF: the record was cut by a kill, or the file ended */
}

manifest_reader *manifest_open(const char *path)
{
	FILE *f = fopen_regular(path);
	if (!f)
		return NULL;
	manifest_reader *r = xcalloc(1, sizeof *r);
	r->f = f;
	strbuf header = {0};
	int n = read_record(f, r->field);
	for (int i = 0; i < n && i < MANIFEST_COLUMNS; i++)
		sb_printf(&header, "%s%s", i ? "," : "", r->field[i] ? r->field[i] : "");
	if (n != MANIFEST_COLUMNS || strcmp(header.data, MANIFEST_HEADER) != 0) {
		diag(DIAG_WARNING, path, 1, "not a manifest of this version of handout; ignored");
		sb_free(&header);
		manifest_close(r);
		return NULL;
	}
	sb_free(&header);
	return r;
}

int manifest_next(manifest_reader *r, manifest_row *row)
{
	int n = read_record(r->f, r->field);
	if (n != MANIFEST_COLUMNS)
		return 0;
	for (int i = 0; i < MANIFEST_COLUMNS; i++)
		row->field[i] = r->field[i];
	return 1;
}

void manifest_close(manifest_reader *r)
{
	if (!r)
		return;
	for (int i = 0; i < MANIFEST_COLUMNS; i++)
		free(r->field[i]);
	fclose(r->f);
	free(r);
}
