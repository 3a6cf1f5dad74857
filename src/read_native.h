/* read_native.h: patients from our native XML: one <patient>, or a stream of them under
 * <patients>, each handed to patient.c field by field. */
#ifndef HANDOUT_READ_NATIVE_H
#define HANDOUT_READ_NATIVE_H

#include "reader_int.h"

struct xnode;

/* Builds a patient from a <patient> element read from file. Problems are reported as
 * "file:line: patient P: question Q: message" and the first is kept in patient->error.
 * seen may be NULL. The caller frees the result with patient_free. */
patient *patient_from_xml(const struct xnode *n, const char *file, const struct questionnaire *q,
                          id_set *seen);

/* Our native XML (root <patient> or <patients>, no namespace), for reader.c. */
extern const reader_format read_native_format;

#endif
