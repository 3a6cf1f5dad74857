/* fuzz_fhir_json.c: FHIR JSON: one resource, or NDJSON, one a line, read, checked,
 * selected for and, for its first valid patient, made into a whole handout. */
#include "fuzz.h"

FUZZ_TARGET(fhir_json)
{
	return fuzz_patients("fhir.json", data, size);
}
