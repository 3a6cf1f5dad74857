/* selection.h: applies the content's rules to one patient: which causes, which notice,
 * which exercises and notes, each with the reason the patient's answers give for it. */
#ifndef HANDOUT_SELECTION_H
#define HANDOUT_SELECTION_H

#include <stddef.h>

struct content;
struct patient;
struct strbuf;

typedef struct selected {
	const char *id; /* borrowed from the content */
	char *reason;   /* filled-in sentence(s); "" when the rule gives none */
} selected;

typedef struct selection {
	selected *causes;
	size_t ncauses;
	selected notice; /* always set: the first notice rule that holds */
	selected *exercises;
	size_t nexercises;
	selected *notes;
	size_t nnotes;
	const char **ids; /* every id selected, in the order chosen (borrowed from the content) */
	size_t nids;
} selection;

/* Selects for a valid patient (p->error == NULL). The content must outlive the result. */
selection *selection_make(const struct content *c, const struct patient *p);
void selection_free(selection *s);

/* The answers that raised the notice, in the clinic staff's words ("fever or shivers; pain
 * 8 out of 10"), for the run report's call list; *also gets those that would raise a lower
 * notice too ("has had cancer"), or NULL. Caller frees both. */
char *selection_notice_answers(const selection *s, const struct content *c, const struct patient *p,
                               char **also);

/* 1 when condition c (a statement's when=, a tier's) holds for this patient and selection. */
struct condition;
int selection_holds(const selection *s, const struct patient *p, const struct condition *c);

/* Appends the selection as one JSON object line (no newline), the format fixed by
 * shared/spec/inputs-outputs.md; reasons of causes, notice (when not standard) and
 * exercises are keyed by id. */
void selection_to_json(const selection *s, const struct patient *p, struct strbuf *out);
/* Appends {"patient":ID,"error":MESSAGE} for a rejected patient. */
void selection_error_json(const struct patient *p, struct strbuf *out);

#endif
