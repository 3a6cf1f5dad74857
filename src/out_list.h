/* out_list.h: the sinks a command's options ask for, made the same way for build, batch and
 * ask, and each patient handed to every one of them in turn. */
#ifndef HANDOUT_OUT_LIST_H
#define HANDOUT_OUT_LIST_H

#include "out.h"

#include <stddef.h>

struct resources;
struct mail_style;
struct handout_result;

typedef struct out_options {
	const char *dir;                  /* a run into a folder: DIR/<id>.pdf and the run's files */
	const char *file;                 /* else the one handout's path; "-": standard output */
	int write;                        /* 0: PDFs made and measured, nothing written (--no-write) */
	int fhir_documents;               /* DocumentReference.ndjson in the folder, or beside the file */
	const struct mail_style *mailing; /* a folder's print-ready bundles of letters, or NULL */
	size_t bundle_size;               /* letters a bundle (0: the default) */
	int report;                       /* the folder's report.pdf */
} out_options;

/* The sinks, in the order a patient is handed to them: the handout's own PDF first (whether
 * it was put in place decides whether the patient counts as made for the others), then the
 * mailing bundles, the report, and DocumentReference.ndjson (which reads the PDFs back). */
typedef struct out_list {
	out_sink *v;
	size_t n, cap;
} out_list;

/* The list o asks for (caller frees with out_list_free). */
out_list *out_list_new(const struct resources *r, const out_options *o);
/* Appends a sink (the list frees it). */
void out_list_add(out_list *l, out_sink s);
/* 1 when a sink's take reads the pages (out_sink.needs_pages). */
int out_list_needs_pages(const out_list *l);
/* Frees every sink and the list; NULL is a no-op. */
void out_list_free(out_list *l);

/* A handout the pipeline made for p (res filled by pipeline_handout or pipeline_letter), as
 * the sinks see it; it points into res and p. */
out_handout out_list_handout(const struct resources *r, const struct patient *p,
                             const struct handout_result *res);

/* Runs every sink's make step for h: made[i] gets sink i's (made has l->n entries). Returns 0,
 * with *failed set when the handout could not be made (the made so far are dropped), or -1
 * with *err for a failure that stops a run (the made so far are dropped). */
int out_list_make(const out_list *l, const out_handout *h, void **made, const char **failed, int *err);
/* Each sink's flush step for one patient; returns as out_list_make (made is not dropped). */
int out_list_flush(const out_list *l, void **made, const char **failed, int *err);
/* Drops what out_list_make made for a patient that goes no further. */
void out_list_drop(const out_list *l, void **made);

/* Hands one patient to every sink in turn with what its make made (made[i] consumed; NULL:
 * none), in input order. where is cleared first and gathers what each sink says; a sink
 * that could not put the handout in place (where->failed) makes h an error for the sinks
 * after it, and the file a sink put it in becomes h->file for them. Returns 0, or -1 with
 * *err at the first failure that stops a run (output_space_error: the sinks after it are
 * not given the patient, and what they made is dropped); other failures of a sink's files
 * (reported) are counted in *failures. */
int out_list_take(const out_list *l, out_handout *h, void **made, out_place *where, int *err,
                  size_t *failures);

/* For a command that makes one handout at a time (build into a file, ask): h made and taken
 * by every sink at once. Returns 0 when every sink put it in place, -1 when it could not be
 * made, 1 when a sink could not put it in place (each reported); where says what the sinks
 * did, as out_list_take. */
int out_list_one(const out_list *l, out_handout *h, out_place *where);

/* Every sink's finish step, in order, until one fails for a reason that stops a run: -1
 * with *err; other failures (reported) counted in *failures. */
int out_list_finish(const out_list *l, int *err, size_t *failures);

#endif
