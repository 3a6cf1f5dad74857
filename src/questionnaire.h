/* questionnaire.h: the questions a patient answers, their types, ranges and choices, as
 * content/questionnaire.xml defines them (content.c loads it). Its own module so that
 * conditions, patients and readers need it without the rest of the content. */
#ifndef HANDOUT_QUESTIONNAIRE_H
#define HANDOUT_QUESTIONNAIRE_H

#include <stddef.h>

typedef enum question_type { Q_INTEGER, Q_DECIMAL, Q_BOOLEAN, Q_CHOICE, Q_STRING } question_type;

typedef struct choice {
	char *value;  /* the id written in answers */
	char *label;  /* as the questionnaire shows it */
	char *phrase; /* as it reads inside a sentence */
} choice;

typedef struct question {
	char *id;
	question_type type;
	int multiple; /* several answers allowed */
	int required;
	int has_min, has_max;
	double min, max;
	char *text;
	char *staff; /* the answer as the clinic's staff read it in the run report ("pain {value}
	              * out of 10", "new bladder or bowel trouble"), or NULL: the question's text */
	char *loinc; /* the LOINC code of what it asks, or NULL */
	choice *choices;
	size_t nchoices;
	char *diagram; /* id of a drawing marked with the answers (shapes "<id>-<value>"), or NULL */
	char **sides;  /* choices naming a side ("left", "right"): shapes "<id>-<value>-<side>" */
	size_t nsides;
} question;

typedef struct questionnaire {
	char *id;
	char *version;
	char *title; /* or NULL */
	question *questions;
	size_t nquestions;
} questionnaire;

/* The index of question id, or -1. */
int questionnaire_find(const questionnaire *q, const char *id);
/* The choice of question q written as value in answers, or NULL. */
const choice *question_find_choice(const question *q, const char *value);
/* Frees what q holds (not q itself). */
void questionnaire_clear(questionnaire *q);

#endif
