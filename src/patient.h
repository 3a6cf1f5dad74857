/* patient.h: one patient's answers, in no particular format: the readers (read_native.c
 * for our XML; FHIR and CSV later) hand each field and answer to this module, which checks
 * and normalises it once, against the questionnaire, whatever the format. */
#ifndef HANDOUT_PATIENT_H
#define HANDOUT_PATIENT_H

#include <stddef.h>

struct questionnaire;

typedef struct answer {
	char **values;  /* normalised: booleans "yes"/"no", numbers as written; empty when unanswered */
	size_t nvalues;
	double number;  /* the value of a number question */
	int line;
	int refused;    /* a value given was refused (then "missing" is not said as well) */
} answer;

typedef struct patient {
	char *id;
	char *name;       /* NULL when absent: the id stands in */
	char *birth_date; /* YYYY-MM-DD or NULL */
	char *language;   /* default "en" */
	char *phone;      /* for the run report's call list, or NULL */
	char **address;   /* lines, for mailing */
	size_t naddress;
	char *date;       /* date the answers were given (YYYY-MM-DD) or NULL */
	char *file;       /* where the patient came from */
	char *source;     /* the record the answers came from ("QuestionnaireResponse/ID"), or NULL */
	char *subject;    /* whom a record system files the handout under: "Patient/<id>" of a Patient
	                   * of the inputs with an id of its own, else that Patient's identifier as
	                   * "system|value", else NULL */
	int line;
	const struct questionnaire *questionnaire; /* what the answers answer */
	answer *answers;  /* one per question of the questionnaire, by index */
	size_t nanswers;
	char *error;      /* NULL for a valid patient; else the first problem found, as reported */
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

/* ---- building a patient, for readers ---- */

/* A new patient from file:line, answering questionnaire q; its id is "?" until set. */
patient *patient_new(const char *file, int line, const struct questionnaire *q);
/* Reports a problem with p (and question qid, when not NULL) as "file:line: patient P:
 * question Q: message" and keeps the first in p->error. Messages never quote values. */
void patient_reject(patient *p, int line, const char *qid, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
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
