/* questionnaire.c: finding questions and choices; freeing a questionnaire. */
#include "questionnaire.h"

#include <stdlib.h>
#include <string.h>

int questionnaire_find(const questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->nquestions; i++)
		if (strcmp(q->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

const choice *question_find_choice(const question *q, const char *value)
{
	for (size_t i = 0; i < q->nchoices; i++)
		if (strcmp(q->choices[i].value, value) == 0)
			return &q->choices[i];
	return NULL;
}

void questionnaire_clear(questionnaire *q)
{
	for (size_t i = 0; i < q->nquestions; i++) {
		question *qu = &q->questions[i];
		for (size_t k = 0; k < qu->nchoices; k++) {
			free(qu->choices[k].value);
			free(qu->choices[k].label);
			free(qu->choices[k].phrase);
		}
		free(qu->choices);
		free(qu->diagram);
		for (size_t k = 0; k < qu->nsides; k++)
			free(qu->sides[k]);
		free(qu->sides);
		free(qu->id);
		free(qu->text);
		free(qu->staff);
		free(qu->loinc);
	}
	free(q->questions);
	free(q->id);
	free(q->version);
	free(q->title);
	memset(q, 0, sizeof *q);
}
