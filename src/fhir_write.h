/* fhir_write.h: the FHIR R4 resources handout writes for record systems: the Questionnaire
 * that its answers answer, and a DocumentReference for each handout made. Each is built
 * once and written as JSON (jansson) or XML (xml.c's writer) from that one form. */
#ifndef HANDOUT_FHIR_WRITE_H
#define HANDOUT_FHIR_WRITE_H

#include <stddef.h>

struct questionnaire;

/* Where handout's own canonical URLs live ("<base>/Questionnaire/lbp-after-massage"). */
#define FHIR_BASE "https://handout.example/fhir"
/* LOINC's document code for patient instructions, the DocumentReference's type. */
#define FHIR_DOC_LOINC "69730-0"

typedef enum fhir_format { FHIR_JSON, FHIR_XML } fhir_format;

/* The R4 Questionnaire for q, pretty-printed, ending in a newline (caller frees). */
char *fhir_questionnaire_text(const struct questionnaire *q, fhir_format format);

/* What a DocumentReference says of one PDF. */
typedef struct fhir_document {
	const char *subject;  /* "Patient/<id>", an identifier as "system|value", or NULL: none */
	const char *date;     /* YYYY-MM-DD the handout carries */
	const char *language; /* the handout's */
	const char *file;     /* the PDF's name in the output folder */
	const char *title;
	const char *source; /* "QuestionnaireResponse/ID" the answers came from, or NULL */
	size_t size;
	const unsigned char *sha1; /* 20 bytes: the SHA-1 of the file */
} fhir_document;

/* One DocumentReference as one line of NDJSON, with its newline (caller frees). */
char *fhir_document_line(const fhir_document *d);
/* The file a line of DocumentReference.ndjson describes (its attachment's url), or NULL
 * when the line is not a DocumentReference with one (caller frees). */
char *fhir_document_line_file(const char *line);

#endif
