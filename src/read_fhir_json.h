/* read_fhir_json.h: patients from FHIR R4 JSON: one resource (a QuestionnaireResponse, a
 * Patient or a Bundle of them) per file, or Bulk Data NDJSON, one resource a line, read
 * line by line. */
#ifndef HANDOUT_READ_FHIR_JSON_H
#define HANDOUT_READ_FHIR_JSON_H

#include "reader.h"

struct xnode;

/* A FHIR resource in JSON (jansson's parse of text) as an element tree of FHIR's XML
 * shape, every element at line; NULL when text is not a JSON object with a resourceType.
 * error (may be NULL) receives why, without quoting the text. */
struct xnode *fhir_json_parse(const char *text, size_t len, int line, char *error, size_t error_size);

extern const reader_format read_fhir_json_format;

#endif
