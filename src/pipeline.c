/* pipeline.c: loads a run's resources once and takes one patient through selection,
 * document and layout, to laid-out pages. */
#include "pipeline.h"
#include "content.h"
#include "diag.h"
#include "document.h"
#include "fingerprint.h"
#include "fonts.h"
#include "image.h"
#include "layout.h"
#include "logo.h"
#include "mail.h"
#include "patient.h"
#include "pdf.h"
#include "selection.h"
#include "settings.h"
#include "template.h"
#include "util.h"
#include "xml.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define LOGO_MAX_PX 160

static char *iso_from_time(time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[16];
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	return xstrdup(buf);
}

#define LAST_SECOND_OF_9999 253402300799LL /* 9999-12-31T23:59:59Z */

static char *run_date(const char *given)
{
	if (given)
		return xstrdup(given);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		/* Up to the last second of 9999: a printed date has four digits of year (beyond it,
		 * and past LLONG_MAX, it used to print "0 February 219250468"). */
		if (*end == '\0' && errno == 0 && v >= 0 && v <= LAST_SECOND_OF_9999)
			return iso_from_time((time_t)v);
		diag(DIAG_WARNING, NULL, 0,
		     "SOURCE_DATE_EPOCH '%s' is not a number of seconds from 1970 to the year 9999; "
		     "using today",
		     sde);
	}
	return iso_from_time(time(NULL));
}

/* The translations: found at start-up, each loaded (and checked against English) the first
 * time a patient or a command asks for it, under the lock, since workers ask. A run of
 * English handouts reads none of them (they were a third of a single handout's start-up). */
typedef struct language {
	char *tag;  /* the folder's name */
	content *c; /* NULL until loaded, and when its translation failed to load */
	int tried;
	char fingerprint[65]; /* the run's with this translation's files (when c is not NULL) */
} language;

struct language_set {
	pthread_mutex_t lock;
	char *content_dir;
	const content *english;
	language lang[MAX_LANGUAGES];
	size_t n;
	char *data_dir;          /* for naming the files a fingerprint counts (a copy) */
	const char *fingerprint; /* the run's (resources.fingerprint), or NULL: none taken */
};

static int by_tag(const void *a, const void *b)
{
	return strcmp(((const language *)a)->tag, ((const language *)b)->tag);
}

/* Every folder of content/ holding a words.xml is a translation. */
static language_set *find_languages(const char *content_dir, const content *english)
{
	language_set *ls = xcalloc(1, sizeof *ls);
	pthread_mutex_init(&ls->lock, NULL);
	ls->content_dir = xstrdup(content_dir);
	ls->english = english;
	DIR *d = opendir(content_dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "schema") == 0 ||
		    strcmp(e->d_name, "diagrams") == 0)
			continue;
		char *dir = path_join(content_dir, e->d_name);
		char *words = path_join(dir, "words.xml");
		struct stat st;
		if (stat(words, &st) == 0 && ls->n < MAX_LANGUAGES)
			ls->lang[ls->n++].tag = xstrdup(e->d_name);
		free(words);
		free(dir);
	}
	if (d)
		closedir(d);
	qsort(ls->lang, ls->n, sizeof *ls->lang, by_tag);
	return ls;
}

/* Translation i, loaded on first use; NULL when it cannot be used. */
static const content *language_get(language_set *ls, size_t i)
{
	pthread_mutex_lock(&ls->lock);
	language *l = &ls->lang[i];
	if (!l->tried) {
		l->tried = 1;
		/* A translation's handouts are made from the run's files and its own. */
		fingerprint *fp = ls->fingerprint ? fingerprint_new(ls->data_dir) : NULL;
		if (fp) {
			fingerprint_add(fp, "(every handout's)", ls->fingerprint, strlen(ls->fingerprint));
			fingerprint_start(fp);
		}
		l->c = content_load_language(ls->content_dir, l->tag, ls->english);
		if (fp) {
			fingerprint_stop(fp);
			fingerprint_hex(fp, l->fingerprint);
			fingerprint_free(fp);
		}
		if (!l->c)
			diag(DIAG_ERROR, ls->content_dir, 0,
			     "the translation in %s/ cannot be used (see above); its patients get "
			     "English handouts",
			     l->tag);
	}
	const content *c = l->c;
	pthread_mutex_unlock(&ls->lock);
	return c;
}

static void languages_free(language_set *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->lang[i].tag);
		content_free(ls->lang[i].c);
	}
	free(ls->content_dir);
	free(ls->data_dir);
	pthread_mutex_destroy(&ls->lock);
	free(ls);
}

size_t pipeline_language_count(const resources *r)
{
	return r->languages ? r->languages->n : 0;
}

const char *pipeline_language_tag(const resources *r, size_t i)
{
	return r->languages->lang[i].tag;
}

static int settings_printable(const resources *r, const char *file);

/* What every handout is made from besides the files read: the program's own bytes (a
 * version number would have to be remembered) and the libraries that write its bytes. */
static void add_program(fingerprint *fp)
{
	if (fingerprint_add_file(fp, "(program)", "/proc/self/exe") != 0)
		fingerprint_add(fp, "(program)", "unreadable", 10);
	strbuf libs = {0};
	sb_printf(&libs, "%s, %s, %s", pdf_libraries(), image_library(), xml_library());
	fingerprint_add(fp, "(libraries)", libs.data, libs.len);
	sb_free(&libs);
}

resources *resources_load(const resource_paths *paths)
{
	resources *r = xcalloc(1, sizeof *r);
	int failed = 0;
	/* Every file read from here to fingerprint_stop counts: nothing to list by hand. */
	fingerprint *fp = paths->fingerprint ? fingerprint_new(paths->data_dir) : NULL;
	if (fp)
		fingerprint_start(fp);
	char *content_dir = path_join(paths->data_dir, "content");
	char *schema_dir = path_join(content_dir, "schema");
	r->content = content_load(content_dir);
	failed |= !r->content;
	if (r->content)
		r->languages = find_languages(content_dir, r->content);
	if (paths->settings_file) {
		char *schema = path_join(schema_dir, "settings.xsd");
		r->settings = settings_load(paths->settings_file, schema);
		free(schema);
		failed |= !r->settings;
	} else {
		r->settings = settings_default();
	}
	const char *tname = paths->template_name                        ? paths->template_name
	                    : r->settings && r->settings->template_name ? r->settings->template_name
	                                                                : "a4";
	char *tdir = path_join(paths->data_dir, "templates");
	char *tschema = path_join(schema_dir, "template.xsd");
	r->template = template_load(tdir, tname, tschema);
	failed |= !r->template;
	free(tdir);
	free(tschema);
	if (r->template && paths->need_fonts) {
		char *fdir = path_join(paths->data_dir, "fonts");
		char *files[PDF_FONT_FILES][FACE_COUNT] = {{0}};
		fonts_files(fdir, (const char *const *)r->template->face_file, files);
		r->fonts = pdf_fonts_load((const char *const(*)[FACE_COUNT])files);
		failed |= !r->fonts;
		for (int k = 0; k < PDF_FONT_FILES; k++)
			for (int i = 0; i < FACE_COUNT; i++)
				free(files[k][i]);
		free(fdir);
	}
	if (r->settings && r->fonts && paths->settings_file)
		failed |= settings_printable(r, paths->settings_file) != 0;
	if (paths->need_fonts) {
		/* Every PDF's output intent (PDF/A-2): sRGB, from Debian's icc-profiles-free. */
		char *icc = path_join(paths->data_dir, "templates/sRGB.icc");
		r->profile = pdf_profile_load(icc);
		failed |= !r->profile;
		free(icc);
	}
	if (r->settings && r->settings->logo_path && paths->need_fonts) {
		/* Printed about 3.5 body sizes high: 160 px is about 250 dpi there. */
		r->logo_pdf = logo_prepare(r->settings->logo_path, LOGO_MAX_PX);
		failed |= !r->logo_pdf;
	}
	if (paths->date && !iso_date_valid(paths->date)) {
		diag(DIAG_ERROR, NULL, 0, "--date '%s' is not a real date written YYYY-MM-DD", paths->date);
		failed = 1;
	}
	r->default_date = run_date(paths->date);
	if (fp) {
		fingerprint_stop(fp);
		add_program(fp);
		fingerprint_hex(fp, r->fingerprint);
		strbuf list = {0};
		fingerprint_list(fp, &list);
		r->fingerprint_files = sb_take(&list);
		fingerprint_free(fp);
	}
	if (r->languages) {
		r->languages->data_dir = xstrdup(paths->data_dir);
		r->languages->fingerprint = fp ? r->fingerprint : NULL;
		for (size_t i = 0; paths->all_languages && i < r->languages->n; i++)
			failed |= !language_get(r->languages, i);
	}
	free(content_dir);
	free(schema_dir);
	if (failed) {
		resources_free(r);
		return NULL;
	}
	return r;
}

void resources_free(resources *r)
{
	if (!r)
		return;
	content_free(r->content);
	languages_free(r->languages);
	settings_free(r->settings);
	template_free(r->template);
	pdf_fonts_free(r->fonts);
	pdf_image_free(r->logo_pdf);
	pdf_profile_free(r->profile);
	free(r->default_date);
	free(r->fingerprint_files);
	free(r);
}

const char *pipeline_date(const resources *r, const patient *p)
{
	return p->date ? p->date : r->default_date;
}

/* The primary subtag of a language tag ("es" of "es-MX"), lower-cased, into buf. */
static void primary_tag(const char *tag, char *buf, size_t size)
{
	size_t n = strcspn(tag, "-_");
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)tag[i]);
	buf[n] = '\0';
}

const content *pipeline_content(const resources *r, const patient *p)
{
	return pipeline_language(r, p->language);
}

#define ENGLISH     (-1)
#define NOT_SHIPPED (-2)

/* The translation a language tag asks for: its index in r->languages, ENGLISH, or
 * NOT_SHIPPED. */
static int language_index(const resources *r, const char *tag)
{
	const char *want = tag ? tag : "en";
	language_set *ls = r->languages;
	size_t n = ls ? ls->n : 0;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(ls->lang[i].tag, want) == 0)
			return (int)i;
	char a[16], b[16];
	primary_tag(want, a, sizeof a);
	if (strcmp(a, "en") == 0)
		return ENGLISH;
	/* zh, zh-CN, zh-SG: simplified Chinese; zh-TW, zh-HK, zh-Hant are not shipped. */
	int traditional = strcmp(a, "zh") == 0 && (strcasestr(want, "hant") || strcasestr(want, "-tw") ||
	                                           strcasestr(want, "-hk") || strcasestr(want, "-mo"));
	for (size_t i = 0; i < n && !traditional; i++) {
		primary_tag(ls->lang[i].tag, b, sizeof b);
		if (strcmp(a, b) == 0)
			return (int)i;
	}
	return NOT_SHIPPED;
}

const content *pipeline_language(const resources *r, const char *tag)
{
	int i = language_index(r, tag);
	return i >= 0 ? language_get(r->languages, (size_t)i) : i == ENGLISH ? r->content : NULL;
}

const char *pipeline_fingerprint(const resources *r, const patient *p)
{
	int i = language_index(r, p->language);
	/* An English handout, and one whose translation is not shipped or cannot be used (it is
	 * made in English), are made from the run's files alone. */
	if (i < 0 || !language_get(r->languages, (size_t)i))
		return r->fingerprint;
	return r->languages->lang[i].fingerprint;
}

/* The clinic's words are on every page and on every envelope's sender line: one the fonts
 * cannot print exactly is the settings' error, said before any patient is made (never a
 * question mark on every handout). 0, or -1 after reporting. */
static int settings_printable(const resources *r, const char *file)
{
	const settings *s = r->settings;
	int failed = 0;
	const char *what[] = {"name", "phone", "email", "emergency-number"};
	const char *text[] = {s->clinic_name, s->clinic_phone, s->clinic_email, s->emergency_number};
	for (size_t i = 0; i < sizeof what / sizeof *what; i++) {
		const char *why = text[i] ? fonts_unprintable(pdf_fonts_metrics(r->fonts), text[i]) : NULL;
		if (why)
			diag(DIAG_ERROR, file, 0, "the clinic's %s is in %s; every handout prints it",
			     what[i], why);
		failed |= why != NULL;
	}
	for (size_t i = 0; i < s->nclinic_address; i++) {
		const char *why = fonts_unprintable(pdf_fonts_metrics(r->fonts), s->clinic_address[i]);
		if (why)
			diag(DIAG_ERROR, file, 0,
			     "the clinic's address line %zu is in %s; every handout prints it", i + 1, why);
		failed |= why != NULL;
	}
	return failed ? -1 : 0;
}

/* 1 when every character of the patient's name can be printed as it is written. When one
 * cannot (a script the fonts lack, or one that needs shaping), the handout shows the id in
 * its place rather than question marks, and says so once, without quoting the name. */
static int name_printable(const resources *r, const patient *p)
{
	const char *why = p->name ? fonts_unprintable(pdf_fonts_metrics(r->fonts), p->name) : NULL;
	if (!why)
		return 1;
	diag(DIAG_WARNING, p->file, p->line,
	     "patient %s: the name is in %s; the handout shows the patient id in its place", p->id, why);
	return 0;
}

/* Why a letter cannot carry the patient's name and address exactly as written (the name is
 * checked as for the handout, and each address line the same way), or NULL. The envelope has
 * no id to fall back on: the patient is not mailed, and the manifest says why. Caller frees. */
static char *letter_unprintable(const resources *r, const patient *p)
{
	strbuf why = {0};
	const char *name = fonts_unprintable(pdf_fonts_metrics(r->fonts), p->name);
	if (name)
		sb_printf(&why, "the name is in %s", name);
	for (size_t i = 0; i < p->naddress && !why.len; i++) {
		const char *line = fonts_unprintable(pdf_fonts_metrics(r->fonts), p->address[i]);
		if (line)
			sb_printf(&why, "address line %zu is in %s", i + 1, line);
	}
	return why.len ? sb_take(&why) : NULL;
}

static char *join_ids(const selected *v, size_t n)
{
	strbuf sb = {0};
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? ";" : "", v[i].id);
	return sb_take(&sb);
}

void handout_result_free_pages(handout_result *res)
{
	layout_free(res->layout);
	document_free(res->document);
	res->layout = NULL;
	res->document = NULL;
}

void handout_result_free(handout_result *res)
{
	free(res->notice);
	free(res->causes);
	free(res->exercises);
	free(res->title);
	free(res->subject);
	free(res->letter_error);
	layout_free(res->layout);
	document_free(res->document);
	memset(res, 0, sizeof *res);
}

/* What the template and the clinic decide about a document's shape. */
static document_options doc_options(const resources *r)
{
	return (document_options){r->template->sections,
	                          r->template->nsections,
	                          r->logo_pdf ? pdf_image_aspect(r->logo_pdf) : 0,
	                          r->template->colour[COLOUR_MARK],
	                          r->template->dose_paragraph,
	                          !template_large_print(r->template)};
}

layout *pipeline_form(const resources *r, const content *c, document **doc)
{
	document_options opt = doc_options(r);
	opt.logo_aspect =
	    0; /* the clinic's name heads the form; its logo would cost a third of a question page */
	*doc = document_form(c, r->settings, &opt);
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(r->fonts), &m);
	return layout_document(*doc, r->template, &m);
}

/* Why a patient with this notice gets no letter, or NULL: a letter that says "go now" or
 * "contact a doctor today" would arrive days late, so the clinic phones instead (the run
 * report's call list). */
static const char *notice_not_mailed(const char *level)
{
	if (strcmp(level, "urgent") == 0)
		return "urgent notice: phone the patient now, a letter would arrive too late";
	if (strcmp(level, "today") == 0)
		return "today notice: phone the patient today, a letter would arrive too late";
	return NULL;
}

/* Why a patient with an address that makes no envelope gets no letter. */
static const char *address_not_mailed(const patient *p)
{
	return p->naddress ? "no name to address the envelope to" : "no address";
}

/* The document laid out: as a letter for style when it is not NULL, the patient has an
 * address and the notice may wait for the post, else as a handout; NULL after reporting,
 * or with out->letter_error when the address does not fit the window. */
static layout *lay_out(const resources *r, const patient *p, const document *doc, const char *level,
                       const mail_style *style, handout_result *out)
{
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(r->fonts), &m);
	mail_window mw;
	if (style)
		out->not_mailed = notice_not_mailed(level);
	if (style && !out->not_mailed && mail_window_make(&mw, style, r->settings, p) == 0) {
		layout *l = layout_letter(doc, r->template, &m, &mw.w, &out->letter_error);
		out->mailed = l != NULL;
		mail_window_free(&mw);
		return l;
	}
	if (style && !out->not_mailed)
		out->not_mailed = address_not_mailed(p);
	return layout_document(doc, r->template, &m);
}

/* The handout built and laid out (as lay_out), condensed step by step while it takes more
 * pages than its template allows (the document a dump prints is the one printed). When even
 * the last step leaves it over, the least condensed of those with the fewest pages: nothing
 * is given up for no page saved. *doc and the layout (NULL as lay_out) are the caller's. */
static layout *fit_pages(const resources *r, const content *c, const patient *p, const selection *sel,
                         const char *date_text, const mail_style *style, handout_result *out, document **doc)
{
	document_options opt = doc_options(r);
	layout *best = NULL;
	*doc = NULL;
	int over; /* best takes more pages than it may (a one-page sheet: it is set closer only) */
	for (;; opt.condense++) {
		document *d = document_build(c, r->settings, p, sel, date_text, &opt);
		layout *l = lay_out(r, p, d, sel->notice.id, style, out);
		if (!l) { /* the address does not fit the window, however the body is set */
			layout_free(best);
			document_free(*doc);
			*doc = d;
			return NULL;
		}
		if (!best || l->npages < best->npages) {
			layout_free(best);
			document_free(*doc);
			best = l, *doc = d;
			out->condensed = opt.condense;
		} else {
			layout_free(l);
			document_free(d);
		}
		/* A one-page sheet has nothing to condense: it is set closer (layout_document). */
		over = !(*doc)->one_page && layout_over_limit(best, *doc, r->template);
		if (!over || opt.condense == CONDENSE_MOST)
			break;
	}
	if (over)
		diag(DIAG_NOTE, p->file, p->line,
		     "patient %s: the handout takes %zu pages, more than template %s's %d, however condensed",
		     p->id, best->npages, r->template->id, r->template->max_pages);
	return best;
}

/* One handout, as far as a dump asks or to laid-out pages; as a letter for style (lay_out). */
static int make_handout(const resources *r, const patient *p, dump_kind dump, strbuf *dump_out,
                        const mail_style *style, handout_result *out)
{
	memset(out, 0, sizeof *out);
	/* The same selection in every language (ids and rules are shared); its reasons and
	 * every word in the patient's. */
	const content *c = dump == DUMP_SELECTION ? r->content : pipeline_content(r, p);
	if (!c) {
		diag(DIAG_WARNING, p->file, p->line,
		     "patient %s: handout has no usable translation into the patient's language; the handout "
		     "is in English",
		     p->id);
		c = r->content;
	}
	selection *sel = selection_make(c, p);
	out->notice = xstrdup(sel->notice.id);
	out->causes = join_ids(sel->causes, sel->ncauses);
	out->exercises = join_ids(sel->exercises, sel->nexercises);
	if (dump == DUMP_SELECTION) {
		selection_to_json(sel, p, dump_out);
		sb_putc(dump_out, '\n');
		selection_free(sel);
		return 0;
	}
	/* A letter (the patient has a name and an address) is made only when the envelope can
	 * carry them exactly: never a question mark on it. */
	if (style && p->naddress && p->name && *p->name &&
	    (out->letter_error = letter_unprintable(r, p)) != NULL) {
		selection_free(sel);
		return -1;
	}
	patient shown = *p; /* as printed: a name that cannot be printed gives way to the id */
	if (!name_printable(r, p))
		shown.name = NULL;
	out->printed_name = patient_display_name(&shown);
	char *date_text = locale_date(&c->words, pipeline_date(r, p));
	document *doc = NULL;
	layout *l = NULL;
	if (dump == DUMP_DOCUMENT && r->template->max_pages == 0) {
		document_options opt = doc_options(r);
		doc = document_build(c, r->settings, &shown, sel, date_text, &opt);
	} else {
		l = fit_pages(r, c, &shown, sel, date_text, style, out, &doc);
	}
	free(date_text);
	out->document = doc;
	if (dump == DUMP_DOCUMENT) {
		layout_free(l);
		document_dump(doc, dump_out);
		selection_free(sel);
		return 0;
	}
	if (!l) {
		selection_free(sel);
		return -1;
	}
	out->layout = l;
	out->pages = l->npages;
	out->title = xstrdup(doc->title);
	out->subject = xstrdup(doc->subject);
	out->language = c->language;
	if (dump == DUMP_LAYOUT) {
		layout_dump(l, dump_out);
	} else if (dump == DUMP_PAGES) {
		sb_printf(dump_out, "%s notice=%s language=%s condensed=%d ", p->id, sel->notice.id,
		          c->language, (int)out->condensed);
		layout_dump_pages(l, dump_out);
		sb_putc(dump_out, '\n');
	}
	selection_free(sel);
	return 0;
}

int pipeline_handout(const resources *r, const patient *p, dump_kind dump, strbuf *dump_out,
                     handout_result *out)
{
	return make_handout(r, p, dump, dump_out, NULL, out);
}

int pipeline_letter(const resources *r, const patient *p, const mail_style *style, handout_result *out)
{
	return make_handout(r, p, DUMP_NONE, NULL, style, out);
}

int pipeline_letter_dump(const resources *r, const patient *p, const mail_style *style, dump_kind dump,
                         strbuf *dump_out, handout_result *out)
{
	return make_handout(r, p, dump, dump_out, style, out);
}
