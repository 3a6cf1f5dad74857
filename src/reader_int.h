/* reader_int.h: what reader.c and the format readers (read_<format>.c) share, owned by no
 * .c (as mandoc's roff_int.h): a reader includes this, never reader.h, so no reader
 * includes its caller. */
#ifndef HANDOUT_READER_INT_H
#define HANDOUT_READER_INT_H

#include "patient.h"

/* The questionnaire's words in one shipped language, for the titles and cells of CSV that a
 * form tool or a spreadsheet wrote in that language. */
typedef struct reader_wording {
	const struct questionnaire *q; /* its question texts and choice labels */
	const char *yes, *no;          /* its words for yes and no */
	const char *name;              /* its word for the patient's name on the paper form ("Name: ") */
} reader_wording;

/* What the command line says about reading. */
typedef struct reader_options {
	const char *id_column;       /* --id-column: the title of the patient id's column, or NULL */
	char *const *ignore_columns; /* --ignore-column: titles of columns to pass over */
	size_t nignore;
	/* The wording of language i (0, 1, ...: English first), or NULL past the last; asked only
	 * when a CSV title or cell is not English. NULL: English only. */
	const reader_wording *(*wording)(void *ctx, size_t i);
	void *wording_ctx;
} reader_options;

/* What every reader of a run shares. */
typedef struct reader_run {
	const struct questionnaire *q;
	id_set *seen;              /* ids of the run so far, for duplicates; may be NULL */
	int more_inputs;           /* inputs follow this one (a file of Patients alone is then fine) */
	const reader_options *opt; /* may be NULL: no options, English only */
	/* Set by reader.c for a format's open, never by its callers: */
	void *context; /* the run's context of the format's family, or NULL */
	int surveying; /* the family's first, quiet reading: nothing is handed out */
} reader_run;

/* What the formats of one family (FHIR XML and FHIR JSON) keep over a whole run, made by
 * reader.c only when an input of the family is read: the inputs of a family are read twice,
 * once quietly (run->surveying), then, after rewind, to hand their patients out. */
typedef struct reader_family {
	void *(*context_new)(void);
	void (*context_rewind)(void *context); /* between the first reading and the second */
	void (*context_free)(void *context);   /* NULL: nothing to free */
} reader_family;

/* One format: how to open a file of it and stream its patients. */
typedef struct reader_format {
	const char *name; /* for messages: "native XML" */
	void *(*open)(const char *path, const reader_run *run);
	patient *(*next)(void *state);
	int (*failed)(const void *state);
	void (*close)(void *state);
	const reader_family *family; /* NULL: a format read once, keeping nothing over the run */
} reader_format;

#endif
