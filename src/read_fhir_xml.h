/* read_fhir_xml.h: patients from FHIR R4 XML: a QuestionnaireResponse, a Patient, or a
 * Bundle of them, read as a stream (a Bundle of 100,000 responses is never held whole). */
#ifndef HANDOUT_READ_FHIR_XML_H
#define HANDOUT_READ_FHIR_XML_H

#include "reader_int.h"

extern const reader_format read_fhir_xml_format;

#endif
