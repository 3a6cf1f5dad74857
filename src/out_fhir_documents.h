/* out_fhir_documents.h: DocumentReference.ndjson, one FHIR R4 DocumentReference per PDF
 * made, for a record system to load ($import, or a transaction Bundle). */
#ifndef HANDOUT_OUT_FHIR_DOCUMENTS_H
#define HANDOUT_OUT_FHIR_DOCUMENTS_H

#include <stddef.h>

#define FHIR_DOCUMENTS_FILE "DocumentReference.ndjson"

/* Writes DIR/DocumentReference.ndjson from DIR/manifest.csv, in its order: one resource
 * for each row with a PDF, its size and SHA-1 read from the file itself, so the file is true
 * after a --resume too. Written whole or not at all (temporary file, flush, rename).
 * Returns the number of resources, or -1 with the error in *err: reported, unless it is
 * one that stops a run (output_space_error), which the run reports. */
long fhir_documents_from_manifest(const char *dir, int *err);

/* For one PDF built alone into DIR: its resource added to DIR/DocumentReference.ndjson, or
 * put in place of the one describing the same file; the lines for other files (a batch's)
 * are kept. Under the folder's lock (output_lock_dir): refused while a batch writes there.
 * 0, or -1 after reporting. */
struct patient;
int fhir_documents_single(const char *pdf_path, const struct patient *p, const char *date,
                          const char *language, const char *title, const void *pdf, size_t len);

#endif
