/* patient.h: one patient's answers, in no particular format: the readers (read_native.c,
 * read_fhir_*.c through fhir.c, read_csv.c) and ask.c hand each field and answer to this
 * module, which checks and normalises it once, against the questionnaire, whatever the
 * format, and says what it refuses as data (a refusal). */
#ifndef HANDOUT_PATIENT_H
#define HANDOUT_PATIENT_H

#include <stddef.h>

struct question;
struct questionnaire;
struct strbuf;

/* Why patient.c refused a field or an answer, as data (mandoc's numbered messages): a
 * reader's patient prints it as "file:line: patient P: question Q: <refusal_text>", ask says
 * it in the patient's own words, and no caller reads a message back. */
typedef enum refusal_code {
	REFUSAL_NONE,          /* taken */
	REFUSAL_READER,        /* a reader's own reason, in its words (patient_reject) */
	REFUSAL_NO_ID,         /* the patient has no id */
	REFUSAL_BAD_ID,        /* an id with characters an id may not hold */
	REFUSAL_DUPLICATE_ID,  /* an id met before in the run */
	REFUSAL_NAME_UTF8,     /* a name that is not UTF-8 */
	REFUSAL_NAME_LONG,     /* a name longer than limit characters */
	REFUSAL_BIRTH_DATE,    /* a birth date that is no real YYYY-MM-DD */
	REFUSAL_LANGUAGE_LONG, /* a language tag longer than limit bytes */
	REFUSAL_PHONE_UTF8,
	REFUSAL_PHONE_LONG,    /* longer than limit characters */
	REFUSAL_ADDRESS_LINES, /* more than limit lines */
	REFUSAL_ADDRESS_UTF8,  /* address line number limit is not UTF-8 */
	REFUSAL_ADDRESS_LONG,  /* an address line longer than limit characters */
	REFUSAL_ANSWERS_DATE,  /* the answers' date is no real YYYY-MM-DD */
	REFUSAL_NO_QUESTION,   /* qid names no question of the questionnaire */
	REFUSAL_EMPTY,         /* an empty answer */
	REFUSAL_ONE_ANSWER,    /* a second answer to a question that takes one */
	REFUSAL_NOT_YES_NO,
	REFUSAL_NOT_WHOLE,   /* not a plain whole number (digits, at most 9) */
	REFUSAL_NOT_DECIMAL, /* not a plain decimal number */
	REFUSAL_RANGE,       /* a number outside min..max */
	REFUSAL_NOT_CHOICE,  /* not one of the question's choices */
	REFUSAL_MISSING      /* a required answer is missing */
} refusal_code;

typedef struct refusal {
	refusal_code code;
	const struct question *question; /* the question (its type, range and choices), or NULL */
	const char *qid;                 /* the question id as given (REFUSAL_NO_QUESTION), or NULL */
	const char *value; /* the value refused as given, borrowed from the caller; never printed */
	double min, max;   /* REFUSAL_RANGE: the range allowed */
	size_t limit;      /* the limit passed (characters, bytes, lines), or the address line */
} refusal;

/* Appends what rf says to staff, in English, with no "patient P: question Q: " before it
 * ("outside 0..10"); q names the questionnaire of REFUSAL_NO_QUESTION. Never quotes a value. */
void refusal_text(const refusal *rf, const struct questionnaire *q, struct strbuf *out);

typedef struct answer {
	char **values; /* normalised: booleans "yes"/"no", numbers as written; empty when unanswered */
	size_t nvalues;
	double number; /* the value of a number question */
	int line;
	int refused; /* a value given was refused (then "missing" is not said as well) */
} answer;

typedef struct patient {
	char *id;
	char *name;       /* NULL when absent: the id stands in */
	char *birth_date; /* YYYY-MM-DD or NULL */
	char *language;   /* default "en" */
	char *phone;      /* for the run report's call list, or NULL */
	char **address;   /* lines, for mailing */
	size_t naddress;
	char *date;    /* date the answers were given (YYYY-MM-DD) or NULL */
	char *file;    /* where the patient came from */
	char *source;  /* the record the answers came from ("QuestionnaireResponse/ID"), or NULL */
	char *subject; /* whom a record system files the handout under: "Patient/<id>" of a Patient
	                * of the inputs with an id of its own, else that Patient's identifier as
	                * "system|value", else NULL */
	int line;
	const struct questionnaire *questionnaire; /* what the answers answer */
	answer *answers;                           /* one per question of the questionnaire, by index */
	size_t nanswers;
	char *error;             /* NULL for a valid patient; else the first problem found, as reported */
	refusal_code error_code; /* what error is: REFUSAL_NONE when there is none */
} patient;

/* Name to print: the name, else the id. */
const char *patient_display_name(const patient *p);
/* 1 when question qi has an answer. */
int patient_answered(const patient *p, int qi);
void patient_free(patient *p);

/* Ids already seen in a run, shared by every reader so duplicates across files are caught. */
typedef struct id_set id_set;
id_set *id_set_new(void);
/* Returns 1 when id was added, 0 when it was there already. */
int id_set_add(id_set *s, const char *id);
void id_set_free(id_set *s);

/* ---- checking without a patient: nothing reported, the refusal returned ---- */

/* Checks raw as one more value for question qu, which has given values already: 0 with the
 * normalised value in *value (the caller frees it; booleans "yes"/"no") and a number's value
 * in *number; else -1 with *why filled (why->value is raw) and *value untouched. */
int patient_check_answer(const struct question *qu, size_t given, const char *raw, char **value,
                         double *number, refusal *why);
/* The same for the fields a handout prints: 0, or -1 with *why filled. */
int patient_check_name(const char *text, refusal *why);
int patient_check_language(const char *text, refusal *why);

/* ---- building a patient, for readers ---- */

/* A new patient from file:line, answering questionnaire q; its id is "?" until set. */
patient *patient_new(const char *file, int line, const struct questionnaire *q);
/* Reports a problem with p (and question qid, when not NULL) as "file:line: patient P:
 * question Q: message" and keeps the first in p->error. Messages never quote values. */
void patient_reject(patient *p, int line, const char *qid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 when id is one a patient or question may carry (letters, digits, '-', '_', '.'; 64 at
 * most; not starting with '.'): only such ids are echoed in messages. */
int patient_id_valid(const char *id);
/* Sets the id (NULL: none given); a malformed one is refused and printed as "?", a
 * duplicate (seen may be NULL) refused. Returns 0 when the id is usable. */
int patient_set_id(patient *p, const char *id, int line, id_set *seen);
/* The fields a handout prints; each takes ownership of text. */
void patient_set_name(patient *p, char *text, int line);
void patient_set_birth_date(patient *p, char *text, int line);
void patient_set_language(patient *p, char *text, int line);
void patient_set_phone(patient *p, char *text, int line);
void patient_add_address_line(patient *p, char *text, int line);
/* The date the answers were given (YYYY-MM-DD, a real date). */
void patient_set_date(patient *p, const char *date, int line);
/* One answer: the question's id and the value as written. Checked against the question's
 * type, range and choices; an unknown question is refused. */
void patient_add_answer(patient *p, const char *qid, const char *raw, int line);
/* A reader refused the value given for question qid (its FHIR type, say): reported as by
 * patient_reject, and the answer counts as given, so it is not also said to be missing. */
void patient_refuse_answer(patient *p, const char *qid, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* After the last answer: every required question answered (line: where the answers were). */
void patient_finish(patient *p, int line);

#endif
