/* reader.h: patients from any input file, whatever its format, behind one interface: the
 * format is told from the content (never the file name) and each format's reader
 * (read_native.c, read_fhir_xml.c, read_fhir_json.c, read_csv.c) hands fields and answers to patient.c. */
#ifndef HANDOUT_READER_H
#define HANDOUT_READER_H

#include "reader_int.h"

typedef struct reader reader;
/* Opens path in the format its first bytes show; NULL after reporting when the file cannot
 * be read, its format is not one handout reads, or its reader refuses it. Opened alone (not
 * by reader_each), a file is read once, with a context of its own (run->context unset). */
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
	size_t patients;     /* handed to fn */
	size_t rejected;     /* of those, with ->error */
	size_t files_failed; /* inputs that could not be opened or read to the end */
} reader_stats;
typedef int (*reader_fn)(void *ctx, patient *p);
void reader_each(char *const *paths, int npaths, const struct questionnaire *q, const reader_options *opt,
                 reader_fn fn, void *ctx, reader_stats *st);

#endif
