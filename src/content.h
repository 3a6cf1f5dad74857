/* content.h: the handout's knowledge (questionnaire, causes, exercises, notices, advice,
 * selection rules), loaded from content/ and validated against content/schema/. */
#ifndef HANDOUT_CONTENT_H
#define HANDOUT_CONTENT_H

#include <stddef.h>

#include "locale.h"
#include "questionnaire.h"

struct condition;
struct drawing;

/* A drawing of content/diagrams/, loaded once, with its labels in the content's language. */
typedef struct content_drawing {
	char *id;
	struct drawing *drawing;
	/* What it shows, one sentence in the content's language (diagrams.xml): its
	 * alternative text. */
	char *description;
} content_drawing;

/* One thing a handout may say, and when it may say it: a sentence (or a few) of content
 * with the condition, over the answers and the selection, under which it is shown (named
 * conditions of content/policy.xml in when= and unless=) and what it claims in the policy's
 * terms (says=), so that the loader can prove no patient is told what the policy forbids. */
typedef struct statement {
	char *text;
	char *without;          /* the words when the settings lack a number the text names, or NULL */
	struct condition *when; /* NULL: whenever the entry it belongs to is shown */
	char *when_names;       /* when= and unless= as written ("" when none), to compare translations */
	unsigned claims;        /* bit i: says the policy's claim i */
	int line;
} statement;

/* The statements of one field of an entry (a paragraph, a list), in order. */
typedef struct statements {
	statement *v;
	size_t n;
} statements;

/* A claim of the policy ("reassurance", "frame-days"): when no statement that makes it may
 * be shown. A claim with a time frame is one of the notices' time frames: a notice's own
 * statements make at most one. */
typedef struct claim {
	char *id;
	struct condition *never;
	int frame; /* 1: a time frame */
	int line;
} claim;

/* A condition of content/policy.xml with a name, for statements' when= and unless=. */
typedef struct named_condition {
	char *name;
	struct condition *cond;
} named_condition;

/* A tier of the safety net every handout that is not urgent carries: go now, contact a
 * doctor today, book a visit. */
typedef struct tier {
	char *id;
	struct condition *when; /* when the tier is shown (NULL: always) */
	statements title;       /* what to do, where and when: "Call {emergency-number} now if:" */
	statements items;       /* the signs */
} tier;

typedef struct cause {
	char *id;
	char *title;
	statements summary; /* a phrase for the summary box */
	statements maybe;   /* the cause as a possibility, for the list of common causes ("a
	                     * disc can press on a nerve"); empty: the summary */
	statements what, why, helps;
	statements brief;      /* in place of what and why in a condensed handout; none shown: nothing */
	statements name;       /* the cause named in a list where the title says too much; none
	                          shown: the title */
	char *medication;      /* NULL when none */
	int medication_unless; /* a boolean question whose "yes" hides the medication, or -1 */
} cause;

/* A drawing of an exercise, and for whom. */
typedef struct exercise_diagram {
	char *id;               /* in content/diagrams/<id>.svg */
	char *caption;          /* NULL when none */
	struct condition *when; /* when= and unless=; NULL: everyone */
	char *when_names;       /* when= and unless= as written, to compare translations */
} exercise_diagram;

typedef struct exercise {
	char *id;
	char *title;
	char *summary;
	statements purpose;
	int strengthening; /* 0: self-care */
	statements steps;
	char *dose_reps, *dose_length, *dose_hold, *dose_often; /* "" when the exercise has none */
	statements cautions;
	struct exercise_diagram *diagrams; /* the first whose condition holds is drawn */
	size_t ndiagrams;
} exercise;

typedef struct notice {
	char *id; /* urgent, today, prompt, standard */
	char *title;
	statements text;
	statements actions; /* may name {emergency-number} and {advice-line} */
	statements summary; /* one sentence for the summary box */
} notice;

typedef struct note {
	char *id;
	char *title;
	statements text;  /* may hold {QUESTION-ID} placeholders */
	int lists_causes; /* follow the text with the common causes the answers do not rule out */
	char *place;      /* a notice level: printed under that notice's box, its reason naming
	                   * the signs; NULL: in the notes of a full handout */
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
	char *language; /* "en", "es", "zh-Hans" */
	locale words;   /* the words that are not content (words.xml) */
	questionnaire questionnaire;
	cause *causes;
	size_t ncauses;
	char *medication_frame;
	exercise *exercises;
	size_t nexercises;
	notice *notices;
	size_t nnotices;
	tier *tiers;
	size_t ntiers;
	note *notes;
	size_t nnotes;
	char *standard_title;
	statements standard_items;
	statements outlook;        /* reassurance and outlook */
	statements exercise_intro; /* opens the exercises: how much discomfort is fine */
	char *about_source;        /* where the advice comes from */
	char *about_review;        /* when it was written and will be reviewed */
	ruleset cause_rules, notice_rules, exercise_rules, note_rules;
	ruleset ruled_out;           /* per cause: the answers that rule it out as a common cause */
	named_condition *conditions; /* content/policy.xml, shared by every language */
	size_t nconditions;
	claim *claims;
	size_t nclaims;
	content_drawing *drawings;
	size_t ndrawings, drawings_cap;
} content;

/* Loads and validates every file of dir (schema in dir/schema/content.xsd), then checks
 * that rules refer only to questions, choices and entries that exist, loads every drawing
 * the content names (dir/diagrams/<id>.svg) with its description from dir/diagrams.xml
 * (a drawing without one, or a description of no drawing the content uses, is an error)
 * and proves that no statement can be shown to a
 * patient the policy (dir/policy.xml) says must never be told it (content_claims.c). Each
 * problem is reported as "file:line: message"; unsupported SVG features are warnings.
 * Returns NULL when anything is wrong. */
content *content_load(const char *dir);
/* The content in another language: dir/<language>/ holds that language's copy of each file
 * but rules.xml (shared) and its reasons.xml; the drawings are dir/diagrams/ with their
 * labels translated by its words.xml (a label with a letter in it and no translation is an
 * error: no English words in another language's drawing) and described by its own
 * diagrams.xml. Everything but the words must be as in en (ids,
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
/* The one-sentence description of drawing id in the content's language (every drawing the
 * content loads has one), or NULL when the content has no such drawing. */
const char *content_drawing_description(const content *c, const char *id);
const tier *content_tier(const content *c, const char *id);
/* The named condition of policy.xml, or NULL. */
const struct condition *content_condition(const content *c, const char *name);

/* Proves the content's statements keep its policy: for each statement that makes a claim,
 * searches the answer space for a patient who would be shown it while the claim's never=
 * holds, and reports each one found (file:line, the claim, the answers) as an error; also
 * a notice whose statements name two time frames. Returns 0, or -1 when any is found.
 * Written in content_claims.c; content_load calls it. */
int content_check_claims(const content *c);

#endif
