/* read_native.h: patients from our native XML: one <patient>, or a stream of them under
 * <patients>, each handed to patient.c field by field. */
#ifndef HANDOUT_READ_NATIVE_H
#define HANDOUT_READ_NATIVE_H

#include "patient.h"

struct xnode;

/* Builds a patient from a <patient> element read from file. Problems are reported as
 * "file:line: patient P: question Q: message" and the first is kept in patient->error.
 * seen may be NULL. The caller frees the result with patient_free. */
patient *patient_from_xml(const struct xnode *n, const char *file, const struct questionnaire *q,
			  id_set *seen);

/* Streams the patients of one file. */
typedef struct answers_reader answers_reader;
/* Opens a native answers file; NULL after reporting when it cannot be read or its root is
 * neither <patient> nor <patients>. */
answers_reader *answers_open(const char *path, const struct questionnaire *q, id_set *seen);
/* The next patient (valid or rejected: check ->error), or NULL at the end. */
patient *answers_next(answers_reader *r);
/* 1 when the file itself was malformed (patients after the fault are lost). */
int answers_failed(const answers_reader *r);
void answers_close(answers_reader *r);

#endif
