/* out.h: the products of a run, each a sink a patient's laid-out handout is handed to. The
 * pipeline stops at laid-out pages; every file made of them is a sink's: out_pdf.c the
 * patient's own PDF, out_mailing.c print-ready bundles of letters, out_report.c the run report
 * for the clinic's staff, out_docref.c DocumentReference.ndjson. A sink has two steps for each
 * patient: make, which may run on a worker thread (so rendering stays parallel), and take, in
 * input order; out_list.c makes the list a command's options ask for (build, batch and ask
 * make theirs the same way) and hands a patient to each sink in turn. */
#ifndef HANDOUT_OUT_H
#define HANDOUT_OUT_H

#include <stddef.h>

struct patient;
struct layout;

/* A patient's outcome as the sinks see it. Strings and pages belong to the caller. */
typedef struct out_handout {
	const struct patient *p;
	const struct layout *pages;  /* NULL when no handout was made, or it was kept from an earlier run
	                              * and is not needed again (only a letter's are, for its bundle) */
	int mailed;                  /* pages are a letter with the address in the window */
	const char *title, *subject; /* the handout's, as printed (subject: NULL when kept) */
	const char *printed_name;    /* the name as the pages print it: the id when the fonts cannot */
	const char *language;        /* the handout's language (BCP 47) */
	const char *date;            /* YYYY-MM-DD, the date printed */
	const char *notice, *causes, *exercises; /* the selection (';'-separated ids), or NULL */
	const char *file;       /* the handout's own file, once a sink before this one (or an earlier run, for
	                         * --resume) put it there: a name in the run's folder, or the path given;
	                         * NULL or "" when there is none */
	const char *error;      /* why no handout (or no letter) was made, or NULL */
	const char *not_mailed; /* a mailing run: why the handout made is not mailed, or NULL */
} out_handout;

/* What the sinks say of a patient, for the manifest. The caller clears it once for each
 * patient; each sink sets only what is its own. */
typedef struct out_place {
	int bundle;        /* the mailing bundle (1, 2...) holding the letter, 0 when none */
	size_t first_page; /* the bundle's page where the letter starts */
	const char *file;  /* the handout's file as out_handout.file says it ("" when made and not
	                    * written, --no-write), NULL: none made; valid until the sink's next call */
	size_t bytes;      /* its size */
	char sha256[65];   /* its SHA-256 in hex, "" when none was made */
	/* Why this sink could not put the patient's handout where it goes (static text): the
	 * patient counts as an error, for the sinks after this one and for the manifest. */
	const char *failed;
} out_place;

typedef struct out_sink {
	void *self;
	/* Optional (NULL: none). For a patient whose handout was made in this run (h->pages and no
	 * h->error), before its take: on any thread, for several patients at once, never at the
	 * same time as take or finish. Makes what take will put in place (a PDF's bytes, written
	 * to a temporary file) into *made, which the caller hands to take, or to drop when the
	 * patient goes no further. Returns 0, with *failed set when this patient's product could
	 * not be made (reported; static text, as out_place.failed), or -1 with errno-style *err
	 * when a file could not be written for a reason that stops a run (output_space_error). */
	int (*make)(void *self, const out_handout *h, void **made, const char **failed, int *err);
	/* Optional. In input order, for a group of patients before any of their takes: makes
	 * what make wrote durable, so that a group's flushes overlap. Returns as make. */
	int (*flush)(void *self, void *made, const char **failed, int *err);
	/* Given with make: what make made, for a patient that will not be taken (the run
	 * stopped): removed (an unpublished file) and freed. */
	void (*drop)(void *self, void *made);
	/* One patient's outcome, in input order, with what make made for it (NULL: make did not
	 * run), which take frees. Sets in *where what it says of the patient. Returns 0, or -1
	 * with errno-style *err when a file could not be written (reported unless it is a full or
	 * failing disk's, which the caller says). */
	int (*take)(void *self, const out_handout *h, void *made, out_place *where, int *err);
	/* After the last patient: writes what is pending. Returns 0 or -1 as take. */
	int (*finish)(void *self, int *err);
	/* Frees the sink. One whose finish was never called (the run stopped) leaves no file
	 * behind that would not be true of the run (an earlier run's DocumentReference.ndjson). */
	void (*free)(void *self);
	/* take reads h->pages (a bundle's letters): a caller holding many patients between make
	 * and take keeps their pages until then; otherwise it may free them after make (take
	 * then sees NULL). */
	int needs_pages;
} out_sink;

#endif
