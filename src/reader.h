/* reader.h: patients from any input file, whatever its format, behind one interface: the
 * format is told from the content (never the file name) and each format's reader
 * (read_native.c, read_fhir_xml.c, read_fhir_json.c, read_csv.c) hands fields and answers to patient.c. */
#ifndef HANDOUT_READER_H
#define HANDOUT_READER_H

#include "patient.h"

struct fhir_patients;

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
	id_set *seen;                   /* ids of the run so far, for duplicates; may be NULL */
	struct fhir_patients *patients; /* FHIR Patients met so far, for responses in later files */
	int more_inputs;                /* inputs follow this one (a file of Patients alone is then fine) */
	const reader_options *opt;      /* may be NULL: no options, English only */
	struct fhir_responses *responses; /* every response's patient, from a first reading; may be NULL */
	int surveying;                    /* this is that first reading: nothing is handed out */
} reader_run;

/* One format: how to open a file of it and stream its patients. */
typedef struct reader_format {
	const char *name; /* for messages: "native XML" */
	void *(*open)(const char *path, const reader_run *run);
	patient *(*next)(void *state);
	int (*failed)(const void *state);
	void (*close)(void *state);
} reader_format;

typedef struct reader reader;
/* Opens path in the format its first bytes show; NULL after reporting when the file cannot
 * be read, its format is not one handout reads, or its reader refuses it. */
reader *reader_open(const char *path, const reader_run *run);
/* The next patient (valid or rejected: check ->error), or NULL at the end. */
patient *reader_next(reader *r);
/* 1 when the file itself was malformed (patients after the fault are lost). */
int reader_failed(const reader *r);
void reader_close(reader *r);

/* The one patient loop of every command: each patient of each input, in order, handed to
 * fn, which owns it (patient_free) and returns 0 to go on, 1 to stop the whole loop. Ids
 * are checked for duplicates across all inputs. */
typedef struct reader_stats {
	size_t patients; /* handed to fn */
	size_t rejected; /* of those, with ->error */
	size_t files_failed; /* inputs that could not be opened or read to the end */
} reader_stats;
typedef int (*reader_fn)(void *ctx, patient *p);
void reader_each(char *const *paths, int npaths, const struct questionnaire *q, const reader_options *opt,
                 reader_fn fn, void *ctx, reader_stats *st);

#endif
