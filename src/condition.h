/* condition.h: selection conditions as data (parsed from rules.xml), evaluated over one
 * patient's answers and what has been selected so far, and the reason sentences they give. */
#ifndef HANDOUT_CONDITION_H
#define HANDOUT_CONDITION_H

#include <stddef.h>

struct xnode;
struct questionnaire;
struct patient;

typedef enum cond_kind {
	COND_ALWAYS,
	COND_EQUALS,    /* answer equals values[0] (any choice of a multi-choice answer) */
	COND_ONE_OF,    /* answer is one of values */
	COND_AT_LEAST,  /* number >= value */
	COND_AT_MOST,   /* number <= value */
	COND_LESS_THAN, /* number < value */
	COND_MORE_THAN, /* number > value */
	COND_ANSWERED,  /* the question has an answer */
	COND_SELECTED,  /* a cause or exercise is already selected */
	COND_NOTICE,    /* the notice chosen so far is target */
	COND_NO_CAUSES, /* no cause is selected */
	COND_REF,       /* a named condition of content/policy.xml holds */
	COND_ALL,
	COND_ANY,
	COND_NOT,
} cond_kind;

typedef struct condition {
	cond_kind kind;
	int line;      /* in the rules file */
	int question;  /* index into the questionnaire, -1 when none */
	char **values; /* EQUALS, ONE_OF: choice values or "yes"/"no" */
	size_t nvalues;
	double number; /* numeric comparisons */
	char *target;  /* SELECTED: a cause or exercise id; NOTICE: a notice level; REF: a name */
	const struct condition *ref; /* REF: the named condition, once resolved (borrowed) */
	char *reason;                /* reason template, or NULL */
	struct condition **kids;
	size_t nkids;
} condition;

/* What the conditions can see besides the answers. */
typedef struct cond_state {
	const char *const *selected; /* ids selected so far */
	size_t nselected;
	const char *notice; /* notice level chosen so far, or NULL */
	size_t ncauses;     /* how many causes are selected */
} cond_state;

/* Parses one condition element; returns NULL after reporting "file:line: message" when it
 * names an unknown question, an invalid value for it, or a number on a non-number. */
condition *condition_parse(const struct xnode *n, const struct questionnaire *q, const char *file);
/* The implicit <all> of several sibling conditions (a rule's children). */
condition *condition_parse_all(const struct xnode *parent, const struct questionnaire *q, const char *file);
void condition_free(condition *c);
/* A new condition of kind with no question, value or children (an all, any or not to fill
 * with condition_add, or a leaf to fill in); freed with condition_free. */
condition *condition_new(cond_kind kind, int line);
/* Appends kid (now owned by group) to group's children. */
void condition_add(condition *group, condition *kid);

/* 1 when c holds. A condition on an unanswered question is false. */
int condition_eval(const condition *c, const struct patient *p, const cond_state *st);

/* Appends to out the reasons of the conditions that made c hold, filled in from the
 * answers and separated by spaces. Nothing is appended when c does not hold. */
struct strbuf;
void condition_reasons(const condition *c, const struct patient *p, const cond_state *st, struct strbuf *out);

/* Appends to out the answers that made c hold, in the words of the questionnaire's staff=
 * ("fever or shivers; pain 8 out of 10"; the question and the answer where it has none),
 * separated by "; ": for the clinic's staff. A selected cause or exercise is handed to
 * selected_answers, which appends the answers that selected it. */
void condition_answers(const condition *c, const struct patient *p, const cond_state *st,
                       void (*selected_answers)(void *ctx, const char *id, struct strbuf *out), void *ctx,
                       struct strbuf *out);

/* Fills a template: {value} is the answer to question `question` (may be -1), {ID} the
 * answer to question ID; choices read as their phrases. Appends to out. */
void reason_format(const char *tmpl, int question_index, const struct patient *p, struct strbuf *out);

/* Calls fn for each target id the condition tree refers to (SELECTED, NOTICE and REF), so
 * the content loader can check that they exist and resolve the names. */
void condition_each_target(condition *c, void (*fn)(void *ctx, condition *leaf), void *ctx);

/* ---- proofs over the answer space (content_claims.c) ---- */

typedef enum truth { TRUTH_FALSE, TRUTH_TRUE, TRUTH_UNKNOWN } truth;

/* What a proof asks about a selection it has not made: whether a cause, exercise or note
 * would be selected, the notice would be level, no cause would be selected. */
typedef struct cond_oracle {
	truth (*selected)(void *ctx, const char *id);
	truth (*notice)(void *ctx, const char *level);
	truth (*no_causes)(void *ctx);
	void *ctx;
} cond_oracle;

/* c's truth (Kleene's three values) when only the questions i with known[i] set have their
 * answers in p decided (an undecided answer may be any): TRUE when c holds whatever the
 * others are, FALSE when it holds for none. Selection is asked of the oracle. */
truth condition_truth(const condition *c, const struct patient *p, const unsigned char *known,
                      const cond_oracle *o);

/* Calls fn for each test of an answer (leaf with a question) in c, following named
 * conditions, so a proof knows which answers matter. */
void condition_each_answer_test(const condition *c, void (*fn)(void *ctx, const condition *leaf), void *ctx);

#endif
