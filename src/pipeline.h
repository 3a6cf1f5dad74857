/* pipeline.h: what a run loads once (content, settings, template, fonts) and the path of
 * one patient through it: selection, document, layout; the laid-out pages go to the sinks
 * of out.h. */
#ifndef HANDOUT_PIPELINE_H
#define HANDOUT_PIPELINE_H

#include <stddef.h>

struct content;
struct settings;
struct page_template;
struct pdf_fonts;
struct image;
struct pdf_image;
struct patient;
struct strbuf;
struct layout;
struct document;
struct mail_style;

#define MAX_LANGUAGES 8
typedef struct language_set language_set;

typedef struct resources {
	struct content *content;        /* English: what selection and explain use */
	struct language_set *languages; /* the translations in content/<lang>/, loaded when first used */
	struct settings *settings;
	struct page_template *template;
	struct pdf_fonts *fonts;
	struct pdf_image *logo_pdf;  /* the clinic's logo, ready for every document; NULL: none */
	struct pdf_profile *profile; /* every PDF's output intent (templates/sRGB.icc), with the fonts */
	char *default_date; /* YYYY-MM-DD: --date, else SOURCE_DATE_EPOCH, else today; fixed per run */
	/* With resource_paths.fingerprint: the SHA-256 (hex) of every file read while loading
	 * (content/ in English, content/schema/, content/diagrams/, the settings, the template,
	 * the fonts, the logo), the program and its libraries' versions; a translation adds its
	 * own files to it when it loads (pipeline_fingerprint). "" when not taken. */
	char fingerprint[65];
	char *fingerprint_files; /* what it was taken from, a "SHA256  name" line each, or NULL */
} resources;

typedef struct resource_paths {
	const char *data_dir;      /* holds content/, templates/, fonts/ */
	const char *settings_file; /* NULL: no clinic settings */
	const char *template_name; /* NULL: the settings' template, else "a4" */
	const char *date;          /* NULL: SOURCE_DATE_EPOCH or today */
	int need_fonts;            /* 0 for explain and check-only runs */
	int all_languages;         /* load and check every translation now (handout check) */
	int fingerprint;           /* take the fingerprint of what is loaded (batch, for --resume) */
} resource_paths;

/* Loads everything a run needs; NULL after reporting every problem found. */
resources *resources_load(const resource_paths *paths);
void resources_free(resources *r);

/* The date printed on a patient's handout (YYYY-MM-DD): the answers' date, else the run's. */
const char *pipeline_date(const resources *r, const struct patient *p);
/* The content in the patient's language (a tag's primary subtag will do: es-MX is es, zh-CN
 * is zh-Hans), or NULL when there is none, or when its translation cannot be used (its errors
 * said once, when it is first asked for): the caller falls back to English. Thread-safe. */
const struct content *pipeline_content(const resources *r, const struct patient *p);
/* The same for a language tag (NULL: English). */
const struct content *pipeline_language(const resources *r, const char *tag);
/* What the patient's handout is made from, as resources.fingerprint (64 hex digits): the
 * run's, with the files of the patient's translation when the handout is made in one (loading
 * it now if it was not). Changing content/es/ changes it for Spanish patients only; anything
 * else read at start-up changes it for every patient. Thread-safe. */
const char *pipeline_fingerprint(const resources *r, const struct patient *p);
/* The translations' tags ("es", "zh-Hans"), sorted, as found in content/. */
size_t pipeline_language_count(const resources *r);
const char *pipeline_language_tag(const resources *r, size_t i);

/* The blank questionnaire in c's language, laid out, with the document its pages draw from
 * (the caller frees both). */
struct layout *pipeline_form(const resources *r, const struct content *c, struct document **doc);

typedef enum dump_kind { DUMP_NONE, DUMP_SELECTION, DUMP_DOCUMENT, DUMP_LAYOUT, DUMP_PAGES } dump_kind;

typedef struct handout_result {
	size_t pages;
	char *notice;              /* the selection, for the manifest: notice id */
	char *causes;              /* ';'-separated ids */
	char *exercises;           /* ';'-separated ids */
	char *title;               /* the handout's title, as printed */
	char *subject;             /* what it is about, for the file's metadata */
	const char *printed_name;  /* the patient's name as printed: the id when the fonts cannot
	                            * print the name (points into the patient) */
	const char *language;      /* the handout's language (BCP 47) */
	struct layout *layout;     /* the laid-out pages (NULL after a dump of an earlier stage) */
	struct document *document; /* what the pages' drawings belong to, freed with them */
	int condensed;             /* how far it was condensed to fit its pages (a condense) */
	/* pipeline_letter only: */
	int mailed;             /* a letter with the address in the window */
	const char *not_mailed; /* why not (static text: "no address", an urgent notice...), or NULL */
	char *letter_error;     /* why the letter could not be made (the address does not fit) */
} handout_result;

/* Frees what a result holds (not the struct itself). */
void handout_result_free(handout_result *res);
/* Frees its pages and their document only (layout and document NULL after). */
void handout_result_free_pages(handout_result *res);

/* Takes one valid patient's handout as far as laid-out pages (the sinks of out.h make files
 * of them). With dump, appends that stage's text to dump_out instead. Returns 0, or -1 after
 * reporting. Warns (naming the patient id, never the name) about characters the fonts cannot
 * draw. */
int pipeline_handout(const resources *r, const struct patient *p, dump_kind dump, struct strbuf *dump_out,
                     handout_result *out);

/* The handout as a letter for this envelope style when the patient has an address (else
 * as pipeline_handout). -1 with out->letter_error set when the address does not fit the
 * window (nothing is made), -1 after reporting otherwise. */
int pipeline_letter(const resources *r, const struct patient *p, const struct mail_style *style,
                    handout_result *out);
/* As pipeline_letter, as pipeline_handout does it for one patient: with dump, the stage's
 * text (the letter's pages for DUMP_LAYOUT) appended to dump_out. */
int pipeline_letter_dump(const resources *r, const struct patient *p, const struct mail_style *style,
                         dump_kind dump, struct strbuf *dump_out, handout_result *out);

#endif
