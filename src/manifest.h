/* manifest.h: DIR/manifest.csv of a batch (RFC 4180, header row, CRLF), one row per
 * patient in input order, appended as each is finished so that a killed run leaves a
 * manifest true for every row it holds; and reading a previous manifest for --resume. */
#ifndef HANDOUT_MANIFEST_H
#define HANDOUT_MANIFEST_H

#include <stddef.h>

/* The columns, in order: the spec's ten, then input_sha256 (what --resume compares),
 * date (the date printed), source (file:line of the patient), record (the FHIR resource the
 * answers came from, "QuestionnaireResponse/ID"), language and title of the handout: what a
 * DocumentReference says of it; bundle (mailing-NNNN.pdf) and first_page (where the letter
 * starts in it) for a mailed patient, empty for others; subject, whom a record system files the
 * handout under ("Patient/<id>" of a Patient in the inputs, or its identifier "system|value"),
 * empty when no input says. */
#define MANIFEST_HEADER                                                                                      \
	"patient,file,status,pages,bytes,sha256,notice,causes,exercises,error,input_sha256,date,source,"     \
	"record,"                                                                                            \
	"language,title,bundle,first_page,subject"
#define MANIFEST_COLUMNS 19

typedef struct manifest_row {
	char *field[MANIFEST_COLUMNS];
} manifest_row;

enum {
	M_PATIENT,
	M_FILE,
	M_STATUS,
	M_PAGES,
	M_BYTES,
	M_SHA256,
	M_NOTICE,
	M_CAUSES,
	M_EXERCISES,
	M_ERROR,
	M_INPUT_SHA256,
	M_DATE,
	M_SOURCE,
	M_RECORD,
	M_LANGUAGE,
	M_TITLE,
	M_BUNDLE,
	M_FIRST_PAGE,
	M_SUBJECT
};

/* Appends one CSV record (quoted where RFC 4180 requires, CRLF-terminated) to out. */
struct strbuf;
void manifest_format(const manifest_row *row, struct strbuf *out);

/* Reads records of a manifest file one by one. */
typedef struct manifest_reader manifest_reader;
/* NULL when the file does not exist or has another header (reported). */
manifest_reader *manifest_open(const char *path);
/* Fills row (fields owned by the reader until the next call); 0 at the end or on a
 * malformed (e.g. cut) record. */
int manifest_next(manifest_reader *r, manifest_row *row);
void manifest_close(manifest_reader *r);

#endif
