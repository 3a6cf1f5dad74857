/* answers.h: one patient's answers, read from our native XML (one <patient> or a stream of
 * them under <patients>) and checked against the questionnaire. */
#ifndef HANDOUT_ANSWERS_H
#define HANDOUT_ANSWERS_H

#include <stddef.h>

struct questionnaire;
struct xnode;

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
	char **address;   /* lines, for mailing */
	size_t naddress;
	char *date;       /* date the answers were given (YYYY-MM-DD) or NULL */
	char *file;       /* where the patient came from */
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

/* Builds a patient from a <patient> element read from file. Problems are reported as
 * "file:line: patient P: question Q: message" and the first is kept in patient->error.
 * seen may be NULL. The caller frees the result with patient_free. */
patient *patient_from_xml(const struct xnode *n, const char *file, const struct questionnaire *q,
			  id_set *seen);

/* Streams the patients of one file. */
typedef struct answers_reader answers_reader;
/* Opens a native answers file; NULL after reporting when it cannot be read or its root is
 * neither <patient> nor <patients>. */
answers_reader *answers_open(const char *path, const struct questionnaire *q, id_set *seen);
/* The next patient (valid or rejected: check ->error), or NULL at the end. */
patient *answers_next(answers_reader *r);
/* 1 when the file itself was malformed (patients after the fault are lost). */
int answers_failed(const answers_reader *r);
void answers_close(answers_reader *r);

#endif
