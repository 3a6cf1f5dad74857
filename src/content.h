/* content.h: the handout's knowledge (questionnaire, causes, exercises, notices, advice,
 * selection rules), loaded from content/ and validated against content/schema/. */
#ifndef HANDOUT_CONTENT_H
#define HANDOUT_CONTENT_H

#include <stddef.h>

#include "questionnaire.h"
#include "locale.h"

struct condition;
struct drawing;

/* A drawing of content/diagrams/, loaded once. */
typedef struct content_drawing {
	char *id;
	struct drawing *drawing;
} content_drawing;


typedef struct cause {
	char *id;
	char *title;
	char *summary; /* a phrase for the summary box */
	char *what, *why, *helps;
	char *medication; /* NULL when none */
	int medication_unless; /* a boolean question whose "yes" hides the medication, or -1 */
} cause;

typedef struct exercise {
	char *id;
	char *title;
	char *summary;
	char *purpose;
	int strengthening; /* 0: self-care */
	char **steps;
	size_t nsteps;
	char *dose_reps, *dose_hold, *dose_often;
	char **cautions;
	size_t ncautions;
	char **diagrams; /* drawing ids, in content/diagrams/<id>.svg */
	char **captions; /* one per drawing; NULL when it has none */
	size_t ndiagrams;
} exercise;

typedef struct notice {
	char *id; /* urgent, prompt, standard */
	char *title;
	char *text;
	char **actions;         /* may hold {emergency-number} */
	char **actions_without; /* per action: the words when no number is known, or NULL */
	size_t nactions;
	char **flags;
	size_t nflags;
	char *summary; /* one sentence for the summary box */
} notice;

typedef struct note {
	char *id;
	char *title;
	char *text;       /* may hold {QUESTION-ID} placeholders */
	int lists_causes; /* follow the text with every cause's title and summary */
	int urgent;       /* printed inside the urgent box, its reason naming the flags */
} note;

typedef struct rule {
	char *select; /* the id this rule selects */
	struct condition *when;
	char *reason; /* fallback reason template, or NULL */
	int line;
} rule;

typedef struct ruleset {
	rule *rules;
	size_t nrules;
	size_t max; /* 0: no limit */
} ruleset;

typedef struct content {
	char *dir;
	char *language;  /* "en", "es", "zh-Hans" */
	locale words;    /* the words that are not content (words.xml) */
	questionnaire questionnaire;
	cause *causes;
	size_t ncauses;
	char *common_causes_text;
	char *medication_frame;
	exercise *exercises;
	size_t nexercises;
	notice *notices;
	size_t nnotices;
	char *warning_signs_text;
	note *notes;
	size_t nnotes;
	char *standard_title;
	char **standard_items;
	size_t nstandard_items;
	char *outlook;        /* reassurance and outlook, for handouts that are not urgent */
	char *exercise_intro; /* opens the exercises: how much discomfort is fine */
	char *about_source;   /* where the advice comes from */
	char *about_review;   /* when it was written and will be reviewed */
	ruleset cause_rules, notice_rules, exercise_rules, note_rules;
	content_drawing *drawings;
	size_t ndrawings, drawings_cap;
} content;

/* Loads and validates every file of dir (schema in dir/schema/content.xsd), then checks
 * that rules refer only to questions, choices and entries that exist, and loads every
 * drawing the content names (dir/diagrams/<id>.svg). Each problem is reported as
 * "file:line: message"; unsupported SVG features are warnings. Returns NULL when anything
 * is wrong. */
content *content_load(const char *dir);
/* The content in another language: dir/<language>/ holds that language's copy of each file
 * but rules.xml (shared) and its reasons.xml; the drawings are dir/diagrams/ with their
 * labels translated by its words.xml. Everything but the words must be as in en (ids,
 * order, types, choices, steps, drawings): each difference is an error. NULL after
 * reporting. */
content *content_load_language(const char *dir, const char *language, const content *en);
void content_free(content *c);

/* Lookups by id; NULL (or -1) when absent. */
const cause *content_cause(const content *c, const char *id);
const exercise *content_exercise(const content *c, const char *id);
const notice *content_notice(const content *c, const char *id);
const note *content_note(const content *c, const char *id);
const struct drawing *content_drawing_find(const content *c, const char *id);

#endif
