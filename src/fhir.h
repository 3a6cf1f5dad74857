/* fhir.h: what FHIR R4 resources mean to handout, whatever their form. Both FHIR readers
 * (read_fhir_xml.c, read_fhir_json.c) hand their resources here as element trees in FHIR's
 * XML shape (a primitive is an element with a value attribute; a repeated element repeats),
 * so the meaning of a QuestionnaireResponse or a Patient is written once. */
#ifndef HANDOUT_FHIR_H
#define HANDOUT_FHIR_H

#include "reader_int.h"

#include <stddef.h>

#define FHIR_NS "http://hl7.org/fhir"

struct xnode;

/* What the FHIR readers keep over a run, as reader.c's context of their family (made only
 * when a FHIR input is read): the Patients met so far, by every reference that may name them
 * ("Patient/<id>", a Bundle entry's fullUrl), keeping only what a handout prints (id, name,
 * birth date, language, phone, address); and each patient's responses as the first reading
 * found them, so that of several the second reading prints the latest authored completed or
 * amended one and reports the others. */
extern const reader_family fhir_family;

/* Adds a Patient resource met in file to run's context (full_url may be NULL). A Patient
 * with no valid id is reported and skipped; a later Patient with the same id replaces the
 * earlier one. */
void fhir_add_patient(const reader_run *run, const struct xnode *patient, const char *full_url,
                      const char *file);

/* The resource an element holds: a Bundle entry's <resource> child, a <contained>'s.
 * NULL when there is none. */
const struct xnode *fhir_inner_resource(const struct xnode *n);
/* The value attribute of n's first child called name, or NULL. */
const char *fhir_value(const struct xnode *n, const char *name);

/* The patient a QuestionnaireResponse answers for, built through patient.c: its subject
 * resolved (contained "#id", "Patient/<id>" or a fullUrl of a Patient added before), its status
 * and questionnaire checked, every answer however deep in groups. full_url is the response's
 * own Bundle fullUrl or NULL. Problems are in ->error, as with every reader. NULL when it is
 * not a patient: while surveying (run->surveying), or when another response of the same
 * patient is printed instead (a warning names both). */
patient *fhir_response_patient(const struct xnode *qr, const char *full_url, const char *file,
                               const reader_run *run);

/* 1 for a Bundle type whose entries are read as resources; otherwise reports why not at
 * file:line and returns 0. */
int fhir_bundle_type_read(const char *type, const char *file, int line);

/* What a FHIR file held, to say why it gave no patient. */
typedef struct fhir_census {
	size_t responses, patients, others;
	char other_types[4][40]; /* the first other resource types met, once each */
	size_t ntypes;
	int more_types;
} fhir_census;
/* Counts one resource of this type (Patient and QuestionnaireResponse included). */
void fhir_census_add(fhir_census *c, const char *type);
/* When the file gave no response: reports it as an error ("holds no QuestionnaireResponse
 * (it holds ...)") and returns 1, unless it held Patients and more inputs follow (a Bulk
 * export's Patient file), which is a note. Returns 0 when nothing was wrong. */
int fhir_census_check(const fhir_census *c, const char *path, int more_inputs);

#endif
