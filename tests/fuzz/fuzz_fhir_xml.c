/* fuzz_fhir_xml.c: FHIR XML: a QuestionnaireResponse, a Patient or a Bundle of them (streamed twice), read,
 * checked, selected for and, for its first valid patient, made into a whole handout. */
#include "fuzz.h"

FUZZ_TARGET(fhir_xml)
{
	return fuzz_patients("fhir.xml", data, size);
}
