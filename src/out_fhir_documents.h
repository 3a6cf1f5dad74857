/* out_fhir_documents.h: DocumentReference.ndjson, one FHIR R4 DocumentReference per PDF
 * made, for a record system to load ($import, or a transaction Bundle). */
#ifndef HANDOUT_OUT_FHIR_DOCUMENTS_H
#define HANDOUT_OUT_FHIR_DOCUMENTS_H

#include <stddef.h>

#define FHIR_DOCUMENTS_FILE "DocumentReference.ndjson"

/* Writes DIR/DocumentReference.ndjson from DIR/manifest.csv, in its order: one resource
 * for each row with a PDF, its size and SHA-1 read from the file itself, so the file is true
 * after a --resume too. Written whole or not at all (temporary file, flush, rename).
 * Returns the number of resources, or -1 after reporting. */
long fhir_documents_from_manifest(const char *dir);

/* For one PDF built alone: DIR/DocumentReference.ndjson holding its one resource. */
struct patient;
int fhir_documents_single(const char *pdf_path, const struct patient *p, const char *date, const char *language,
			  const char *title, const void *pdf, size_t len);

#endif
