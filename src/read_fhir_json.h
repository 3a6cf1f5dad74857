/* read_fhir_json.h: patients from FHIR R4 JSON: one resource (a QuestionnaireResponse, a
 * Patient or a Bundle of them) per file, or Bulk Data NDJSON, one resource a line, read as a
 * stream (yajl) in bounded memory. */
#ifndef HANDOUT_READ_FHIR_JSON_H
#define HANDOUT_READ_FHIR_JSON_H

#include "reader_int.h"

extern const reader_format read_fhir_json_format;

#endif
