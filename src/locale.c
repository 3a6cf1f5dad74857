/* locale.c: a language's words, read from its words.xml. */
#include "locale.h"
#include "diag.h"
#include "util.h"
#include "xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names words.xml gives each word, in word_id order. */
static const char *const word_names[W_COUNT] = {
    "title",
    "subject",
    "for",
    "for-id",
    "sentence",
    "term",
    "header-name",
    "header-id",
    "phone",
    "page",
    "in-short",
    "likely-cause",
    "likely-causes",
    "possible-causes",
    "what-to-do",
    "see-a-doctor",
    "why",
    "why-it-hurts",
    "why-we-think",
    "what-helps",
    "medicines",
    "continued",
    "pictures-before",
    "why-for-you",
    "how-many",
    "how-long",
    "hold",
    "how-often",
    "take-care",
    "what-you-can-do",
    "when-to-see",
    "your-pain",
    "where-it-hurts",
    "how-much",
    "log",
    "log-intro",
    "day",
    "list-separator",
    "list-last",
    "date",
    "form-intro",
    "form-name",
    "form-date",
    "form-id",
    "form-tell-staff",
    "form-tell-staff-today",
    "yes",
    "no",
    "form-map",
    "ask-required",
    "ask-summary",
    "ask-change",
    "ask-choices",
    "ask-yesno",
    "ask-number",
    "ask-not-answered",
    "ask-question",
    "ask-bad",
    "ask-choice",
    "ask-number-required",
    "ask-bad-number",
    "ask-bad-choice",
    "ask-bad-one",
    "ask-bad-yesno",
};

int locale_read(locale *l, const xnode *root, const char *file)
{
	memset(l, 0, sizeof *l);
	size_t label_cap = 0, nmonths = 0;
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		if (strcmp(n->name, "word") == 0) {
			const char *id = xnode_attr(n, "id");
			for (int w = 0; id && w < W_COUNT; w++)
				if (strcmp(id, word_names[w]) == 0) {
					free(l->word[w]);
					/* Labels keep their trailing space ("Why: "); nothing else is
					 * trimmed. */
					l->word[w] = xstrdup(n->text);
				}
		} else if (strcmp(n->name, "month") == 0 && nmonths < 12) {
			l->month[nmonths++] = xnode_text(n);
		} else if (strcmp(n->name, "label") == 0) {
			grow_array((void **)&l->label_from, &label_cap, l->nlabels + 1,
			           sizeof *l->label_from);
			l->label_to = xrealloc(l->label_to, label_cap * sizeof *l->label_to);
			l->label_from[l->nlabels] = xstrdup(xnode_attr(n, "en") ? xnode_attr(n, "en") : "");
			l->label_to[l->nlabels++] = xnode_text(n);
		}
	}
	int failed = 0;
	for (int w = 0; w < W_COUNT; w++)
		if (!l->word[w]) {
			diag(DIAG_ERROR, file, root->line, "no <word id=\"%s\">", word_names[w]);
			failed = 1;
		}
	if (nmonths != 12) {
		diag(DIAG_ERROR, file, root->line, "%zu <month>s; a year has 12", nmonths);
		failed = 1;
	}
	return failed ? -1 : 0;
}

void locale_clear(locale *l)
{
	for (int w = 0; w < W_COUNT; w++)
		free(l->word[w]);
	for (int m = 0; m < 12; m++)
		free(l->month[m]);
	for (size_t i = 0; i < l->nlabels; i++)
		free(l->label_from[i]), free(l->label_to[i]);
	free(l->label_from);
	free(l->label_to);
	memset(l, 0, sizeof *l);
}

const char *locale_word(const locale *l, word_id w)
{
	return l->word[w];
}

/* Fills {key} placeholders of tmpl from the pairs in ap. */
static char *fill(const char *tmpl, va_list ap)
{
	const char *keys[8], *values[8];
	size_t n = 0;
	for (const char *k; n < 8 && (k = va_arg(ap, const char *)) != NULL; n++) {
		keys[n] = k;
		values[n] = va_arg(ap, const char *);
	}
	return text_fill(tmpl, keys, values, n);
}

char *locale_format(const locale *l, word_id w, ...)
{
	va_list ap;
	va_start(ap, w);
	char *s = fill(l->word[w], ap);
	va_end(ap);
	return s;
}

char *locale_date(const locale *l, const char *iso)
{
	int y, m, d;
	if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return xstrdup(iso ? iso : "");
	char ys[16], ms[16], ds[16];
	snprintf(ys, sizeof ys, "%d", y);
	snprintf(ms, sizeof ms, "%d", m);
	snprintf(ds, sizeof ds, "%d", d);
	return locale_format(l, W_DATE, "y", ys, "m", ms, "d", ds, "month", l->month[m - 1],
	                     (const char *)NULL);
}

const char *locale_label(const locale *l, const char *english)
{
	for (size_t i = 0; i < l->nlabels; i++)
		if (strcmp(l->label_from[i], english) == 0)
			return l->label_to[i];
	return english;
}

const char *locale_sentence_gap(const char *before)
{
	size_t len = strlen(before);
	/* U+3000..U+303F (CJK punctuation: 。、「」) and U+FF00..U+FFEF (full-width forms: ！，：？)
	 * are three bytes in UTF-8, led by E3 80..80 BF or EF BC..BF. */
	if (len >= 3) {
		const unsigned char *e = (const unsigned char *)before + len - 3;
		if ((e[0] == 0xE3 && e[1] == 0x80) || (e[0] == 0xEF && (e[1] == 0xBC || e[1] == 0xBD)))
			return "";
	}
	return len ? " " : "";
}

void locale_join_sentence(strbuf *out, const char *sentence)
{
	if (!*sentence)
		return;
	if (out->len)
		sb_append(out, locale_sentence_gap(out->data));
	sb_append(out, sentence);
}
