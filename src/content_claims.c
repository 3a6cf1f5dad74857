/* content_claims.c: proves that the content keeps its policy (content/policy.xml): no
 * statement that makes a claim ("reassurance", "frame-week"...) can be shown to a patient
 * for whom the claim's never= holds, and no notice names two time frames.
 *
 * The proof searches the answer space. Each question takes a few sample answers that stand
 * for all the others (unanswered, every choice or value a test names, and the numbers on
 * either side of every threshold), so that trying the samples is trying every patient. The
 * search decides one question at a time and cuts a branch as soon as the goal (the
 * statement is shown, and never= holds) is false whatever the undecided answers are
 * (Kleene's three-valued logic, condition_truth), so it visits hundreds of patients, not
 * the millions of the whole space. What the selection would be (a cause, the notice) is
 * worked out from the rules themselves, as selection.c applies them; an exercise of a list
 * with a maximum is taken as free to be selected or not whenever its rule holds, which
 * only widens the space searched (a proof over it holds for the real one). */
#include "condition.h"
#include "content.h"
#include "diag.h"
#include "patient.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the selection would be, decided by the search like an answer: the notice level, and
 * whether each cause, exercise or note the goal depends on is selected. Each decided one
 * brings the rule that makes it so as a constraint on the answers, so a contradiction
 * ("standard" and "not standard") is cut at once instead of after every answer the rules
 * read. */
typedef enum sel_kind { SEL_NOTICE, SEL_CAUSE, SEL_EXERCISE, SEL_NOTE } sel_kind;

typedef struct sel_var {
	sel_kind kind;
	const char *id;   /* NULL for the notice */
	const rule *rule; /* the rule that selects it (causes, exercises, notes) */
	int capped;       /* its list has a maximum: the rule holding is needed, not enough */
	int value;        /* -1 undecided; the notice: index of its level; else 0 or 1 */
} sel_var;

typedef struct space {
	const content *c;
	patient p;            /* the patient being tried: its answers are samples */
	unsigned char *known; /* per question: its answer is decided */
	answer **samples;     /* per question: its sample answers, [0] unanswered */
	size_t *nsamples;
	int *order; /* the questions to decide, in the order they are decided */
	size_t norder;
	unsigned char *in_order;
	sel_var *vars; /* the selections to decide, before the questions */
	size_t nvars, vars_cap;
	int choosing; /* 1 while a cause or notice rule is evaluated: no notice is chosen yet */
} space;

/* ---- sample answers ---- */

typedef struct mentions {
	char ***values; /* per question: the values tests name */
	size_t *nvalues, *caps;
	double **numbers; /* per question: the thresholds of number tests */
	size_t *nnumbers, *ncaps;
	const condition ***tests; /* per question: every test of it */
	size_t *ntests, *tcaps;
} mentions;

static void note_values(mentions *m, int q, char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < m->nvalues[q] && strcmp(m->values[q][k], values[i]) != 0)
			k++;
		if (k == m->nvalues[q])
			ARRAY_PUSH(m->values[q], m->nvalues[q], m->caps[q], values[i]);
	}
}

static void note_test(void *ctx, const condition *leaf)
{
	mentions *m = ctx;
	ARRAY_PUSH(m->tests[leaf->question], m->ntests[leaf->question], m->tcaps[leaf->question], leaf);
	note_values(m, leaf->question, leaf->values, leaf->nvalues);
	if (leaf->kind == COND_AT_LEAST || leaf->kind == COND_AT_MOST || leaf->kind == COND_LESS_THAN ||
	    leaf->kind == COND_MORE_THAN)
		ARRAY_PUSH(m->numbers[leaf->question], m->nnumbers[leaf->question], m->ncaps[leaf->question],
		           leaf->number);
}

static answer unanswered(void)
{
	answer a = {0};
	return a;
}

static answer answer_of(const char *const *values, size_t n, double number)
{
	answer a = {0};
	a.values = xcalloc(n, sizeof *a.values);
	for (size_t i = 0; i < n; i++)
		a.values[a.nvalues++] = xstrdup(values[i]);
	a.number = number;
	return a;
}

static void add_sample(space *sp, int q, answer a, size_t *cap)
{
	ARRAY_PUSH(sp->samples[q], sp->nsamples[q], *cap, a);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A number question: its bounds, and each threshold with the whole numbers on either side. */
static void number_samples(space *sp, int q, const question *qu, const double *t, size_t nt, size_t *cap)
{
	double *v = xcalloc(3 * nt + 2, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < nt; i++)
		v[n++] = t[i] - 1, v[n++] = t[i], v[n++] = t[i] + 1;
	if (qu->has_min)
		v[n++] = qu->min;
	if (qu->has_max)
		v[n++] = qu->max;
	if (!n)
		v[n++] = 0;
	qsort(v, n, sizeof *v, cmp_double);
	for (size_t i = 0; i < n; i++) {
		if ((i && v[i] == v[i - 1]) || (qu->has_min && v[i] < qu->min) ||
		    (qu->has_max && v[i] > qu->max))
			continue;
		char text[64];
		snprintf(text, sizeof text, "%g", v[i]);
		const char *one[] = {text};
		add_sample(sp, q, answer_of(one, 1, v[i]), cap);
	}
	free(v);
}

/* A question of several choices: every combination of the choices tests name, with or
 * without one choice no test names. */
static void subset_samples(space *sp, int q, const question *qu, char **named, size_t nnamed, size_t *cap)
{
	const char *other = NULL;
	for (size_t i = 0; !other && i < qu->nchoices; i++) {
		int is_named = 0;
		for (size_t k = 0; k < nnamed; k++)
			is_named |= strcmp(named[k], qu->choices[i].value) == 0;
		if (!is_named)
			other = qu->choices[i].value;
	}
	if (nnamed > 10)
		nnamed = 10; /* 2^11 samples at most; content tests far fewer */
	const char **pool = xcalloc(nnamed + 1, sizeof *pool);
	size_t npool = 0;
	for (size_t k = 0; k < nnamed; k++)
		pool[npool++] = named[k];
	if (other)
		pool[npool++] = other;
	const char **pick = xcalloc(npool + 1, sizeof *pick);
	for (size_t mask = 1; mask < ((size_t)1 << npool); mask++) {
		size_t n = 0;
		for (size_t k = 0; k < npool; k++)
			if (mask & ((size_t)1 << k))
				pick[n++] = pool[k];
		add_sample(sp, q, answer_of(pick, n, 0), cap);
	}
	free(pick);
	free(pool);
}

/* Keeps one sample of each set that every test of question q answers alike: a question
 * tested only by "equals yes" needs "yes" and one other, not "no" and unanswered both. */
static void distinct_samples(space *sp, int q, const mentions *m)
{
	cond_state none = {0};
	size_t kept = 0;
	unsigned char *seen = xcalloc(sp->nsamples[q] * (m->ntests[q] + 1) + 1, 1);
	for (size_t i = 0; i < sp->nsamples[q]; i++) {
		unsigned char *row = seen + kept * (m->ntests[q] + 1);
		sp->p.answers[q] = sp->samples[q][i];
		for (size_t t = 0; t < m->ntests[q]; t++)
			row[t] = (unsigned char)condition_eval(m->tests[q][t], &sp->p, &none);
		size_t k = 0;
		while (k < kept && memcmp(seen + k * (m->ntests[q] + 1), row, m->ntests[q]) != 0)
			k++;
		if (k < kept) { /* answers every test as an earlier sample does */
			for (size_t v = 0; v < sp->samples[q][i].nvalues; v++)
				free(sp->samples[q][i].values[v]);
			free(sp->samples[q][i].values);
			continue;
		}
		sp->samples[q][kept++] = sp->samples[q][i];
	}
	sp->nsamples[q] = kept;
	sp->p.answers[q] = sp->samples[q][0];
	free(seen);
}

static void make_samples(space *sp, const mentions *m)
{
	const questionnaire *qn = &sp->c->questionnaire;
	for (size_t q = 0; q < qn->nquestions; q++) {
		const question *qu = &qn->questions[q];
		size_t cap = 0;
		add_sample(sp, (int)q, unanswered(), &cap);
		switch (qu->type) {
		case Q_BOOLEAN: {
			static const char *const yes[] = {"yes"}, *const no[] = {"no"};
			add_sample(sp, (int)q, answer_of(yes, 1, 0), &cap);
			add_sample(sp, (int)q, answer_of(no, 1, 0), &cap);
			break;
		}
		case Q_CHOICE:
			if (qu->multiple) {
				subset_samples(sp, (int)q, qu, m->values[q], m->nvalues[q], &cap);
			} else {
				for (size_t i = 0; i < qu->nchoices; i++) {
					const char *one[] = {qu->choices[i].value};
					add_sample(sp, (int)q, answer_of(one, 1, 0), &cap);
				}
			}
			break;
		case Q_INTEGER:
		case Q_DECIMAL:
			number_samples(sp, (int)q, qu, m->numbers[q], m->nnumbers[q], &cap);
			break;
		case Q_STRING: {
			for (size_t i = 0; i < m->nvalues[q]; i++) {
				const char *one[] = {m->values[q][i]};
				add_sample(sp, (int)q, answer_of(one, 1, 0), &cap);
			}
			static const char *const other[] = {"other"};
			add_sample(sp, (int)q, answer_of(other, 1, 0), &cap);
			break;
		}
		}
		distinct_samples(sp, (int)q, m);
	}
}

static void each_rule_condition(const content *c, void (*fn)(void *, const condition *), void *ctx)
{
	const ruleset *sets[] = {&c->cause_rules, &c->notice_rules, &c->exercise_rules, &c->note_rules,
	                         &c->ruled_out};
	for (size_t s = 0; s < sizeof sets / sizeof *sets; s++)
		for (size_t i = 0; i < sets[s]->nrules; i++)
			fn(ctx, sets[s]->rules[i].when);
	for (size_t i = 0; i < c->nconditions; i++)
		fn(ctx, c->conditions[i].cond);
	for (size_t i = 0; i < c->nclaims; i++)
		if (c->claims[i].never)
			fn(ctx, c->claims[i].never);
}

static void mention_tests(void *ctx, const condition *cond)
{
	condition_each_answer_test(cond, note_test, ctx);
}

/* ---- what the selection would be ---- */

static const rule *rule_for(const ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].select, id) == 0)
			return &rs->rules[i];
	return NULL;
}

static truth and3(truth a, truth b)
{
	if (a == TRUTH_FALSE || b == TRUTH_FALSE)
		return TRUTH_FALSE;
	return a == TRUTH_TRUE && b == TRUTH_TRUE ? TRUTH_TRUE : TRUTH_UNKNOWN;
}

static truth or3(truth a, truth b)
{
	if (a == TRUTH_TRUE || b == TRUTH_TRUE)
		return TRUTH_TRUE;
	return a == TRUTH_FALSE && b == TRUTH_FALSE ? TRUTH_FALSE : TRUTH_UNKNOWN;
}

static truth not3(truth a)
{
	return a == TRUTH_UNKNOWN ? a : a == TRUTH_TRUE ? TRUTH_FALSE : TRUTH_TRUE;
}

static sel_var *var_find(space *sp, sel_kind kind, const char *id)
{
	for (size_t i = 0; i < sp->nvars; i++)
		if (sp->vars[i].kind == kind && (kind == SEL_NOTICE || strcmp(sp->vars[i].id, id) == 0))
			return &sp->vars[i];
	return NULL;
}

static truth var_truth(const sel_var *v)
{
	return !v || v->value < 0 ? TRUTH_UNKNOWN : v->value ? TRUTH_TRUE : TRUTH_FALSE;
}

static truth oracle_selected(void *ctx, const char *id)
{
	space *sp = ctx;
	for (size_t i = 0; i < sp->nvars; i++)
		if (sp->vars[i].kind != SEL_NOTICE && strcmp(sp->vars[i].id, id) == 0)
			return var_truth(&sp->vars[i]);
	return TRUTH_FALSE; /* not a cause, exercise or note: never selected */
}

static truth oracle_notice(void *ctx, const char *level)
{
	space *sp = ctx;
	if (sp->choosing)
		return TRUTH_FALSE; /* a cause or notice rule sees no notice yet */
	const sel_var *v = var_find(sp, SEL_NOTICE, NULL);
	if (!v || v->value < 0)
		return TRUTH_UNKNOWN;
	return strcmp(sp->c->notices[v->value].id, level) == 0 ? TRUTH_TRUE : TRUTH_FALSE;
}

static truth oracle_no_causes(void *ctx)
{
	space *sp = ctx;
	truth none = TRUTH_TRUE;
	for (size_t i = 0; i < sp->c->cause_rules.nrules; i++)
		none = and3(none, not3(oracle_selected(sp, sp->c->cause_rules.rules[i].select)));
	return none;
}

static truth truth_of(space *sp, const condition *c, int choosing)
{
	int was = sp->choosing;
	sp->choosing = choosing;
	cond_oracle o = {oracle_selected, oracle_notice, oracle_no_causes, sp};
	truth t = condition_truth(c, &sp->p, sp->known, &o);
	sp->choosing = was;
	return t;
}

/* The notice is level when the first notice rule that holds selects it (or none holds and
 * it is the standard one), as selection.c chooses it. */
static truth notice_truth(space *sp, const char *level)
{
	const ruleset *rs = &sp->c->notice_rules;
	truth none_before = TRUTH_TRUE, result = TRUTH_FALSE;
	for (size_t i = 0; i < rs->nrules && none_before != TRUTH_FALSE; i++) {
		truth t = truth_of(sp, rs->rules[i].when, 1);
		if (strcmp(rs->rules[i].select, level) == 0)
			result = or3(result, and3(none_before, t));
		none_before = and3(none_before, not3(t));
	}
	if (strcmp(level, "standard") == 0)
		result = or3(result, none_before);
	return result;
}

/* What the answers must be for a decided selection to be as decided. */
static truth var_constraint(space *sp, const sel_var *v)
{
	if (v->value < 0)
		return TRUTH_TRUE;
	if (v->kind == SEL_NOTICE)
		return notice_truth(sp, sp->c->notices[v->value].id);
	truth holds = truth_of(sp, v->rule->when, v->kind == SEL_CAUSE);
	if (v->value)
		return holds;
	return v->capped ? TRUTH_TRUE : not3(holds); /* a capped list may leave out a rule that holds */
}

/* The goal, and every decided selection's rule. */
static truth full_truth(space *sp, const condition *goal)
{
	truth t = truth_of(sp, goal, 0);
	for (size_t i = 0; i < sp->nvars && t != TRUTH_FALSE; i++)
		t = and3(t, var_constraint(sp, &sp->vars[i]));
	return t;
}

/* ---- what the goal depends on ---- */

static void add_question(space *sp, int q)
{
	if (!sp->in_order[q]) {
		sp->in_order[q] = 1;
		sp->order[sp->norder++] = q;
	}
}

static void add_var(space *sp, sel_kind kind, const char *id, const rule *r, int capped)
{
	if (var_find(sp, kind, id))
		return;
	ARRAY_PUSH(sp->vars, sp->nvars, sp->vars_cap, ((sel_var){kind, id, r, capped, -1}));
}

/* Adds the questions c tests and the selections it names (its own_questions first). */
static void walk_condition(space *sp, const condition *c)
{
	const content *ct = sp->c;
	if (c->question >= 0)
		add_question(sp, c->question);
	const rule *r;
	switch (c->kind) {
	case COND_REF:
		if (c->ref)
			walk_condition(sp, c->ref);
		break;
	case COND_NOTICE:
		add_var(sp, SEL_NOTICE, NULL, NULL, 0);
		break;
	case COND_NO_CAUSES:
		for (size_t i = 0; i < ct->cause_rules.nrules; i++)
			add_var(sp, SEL_CAUSE, ct->cause_rules.rules[i].select, &ct->cause_rules.rules[i], 0);
		break;
	case COND_SELECTED:
		if ((r = rule_for(&ct->cause_rules, c->target)) != NULL)
			add_var(sp, SEL_CAUSE, r->select, r, 0);
		else if ((r = rule_for(&ct->exercise_rules, c->target)) != NULL)
			add_var(sp, SEL_EXERCISE, r->select, r, ct->exercise_rules.max != 0);
		else if ((r = rule_for(&ct->note_rules, c->target)) != NULL)
			add_var(sp, SEL_NOTE, r->select, r, ct->note_rules.max != 0);
		break;
	default:
		break;
	}
	for (size_t i = 0; i < c->nkids; i++)
		walk_condition(sp, c->kids[i]);
}

/* The goal's own answers and selections, then, until none is new, those of the rules of
 * the selections. */
static void walk_goal(space *sp, const condition *goal)
{
	walk_condition(sp, goal);
	for (size_t i = 0; i < sp->nvars; i++) {
		if (sp->vars[i].kind == SEL_NOTICE) {
			for (size_t k = 0; k < sp->c->notice_rules.nrules; k++)
				walk_condition(sp, sp->c->notice_rules.rules[k].when);
		} else {
			walk_condition(sp, sp->vars[i].rule->when);
		}
	}
	/* The notice first: most statements hang on it. */
	for (size_t i = 1; i < sp->nvars; i++)
		if (sp->vars[i].kind == SEL_NOTICE) {
			sel_var first = sp->vars[i];
			memmove(sp->vars + 1, sp->vars, i * sizeof *sp->vars);
			sp->vars[0] = first;
		}
}

/* ---- the search ---- */

/* 1 when some patient makes goal hold; sp->p, sp->known and sp->vars then describe one. */
static int search(space *sp, const condition *goal, size_t at)
{
	truth t = full_truth(sp, goal);
	if (t != TRUTH_UNKNOWN)
		return t == TRUTH_TRUE;
	if (at < sp->nvars) {
		sel_var *v = &sp->vars[at];
		int values = v->kind == SEL_NOTICE ? (int)sp->c->nnotices : 2;
		for (v->value = 0; v->value < values; v->value++)
			if (search(sp, goal, at + 1))
				return 1;
		v->value = -1;
		return 0;
	}
	if (at - sp->nvars >= sp->norder)
		return 1; /* undecided with everything decided: a rule names itself; say so */
	int q = sp->order[at - sp->nvars];
	sp->known[q] = 1;
	for (size_t i = 0; i < sp->nsamples[q]; i++) {
		sp->p.answers[q] = sp->samples[q][i];
		if (search(sp, goal, at + 1))
			return 1;
	}
	sp->known[q] = 0;
	sp->p.answers[q] = sp->samples[q][0];
	return 0;
}

/* Undoes a search: every answer unanswered and undecided. */
static void space_reset(space *sp)
{
	for (size_t q = 0; q < sp->c->questionnaire.nquestions; q++) {
		sp->known[q] = 0;
		sp->in_order[q] = 0;
		sp->p.answers[q] = sp->samples[q][0];
	}
	sp->norder = 0;
	sp->nvars = 0;
}

/* The patient found, for the message: "cancer-history yes, night-pain yes (notice today)". */
static char *describe(space *sp)
{
	strbuf sb = {0};
	const questionnaire *qn = &sp->c->questionnaire;
	for (size_t q = 0; q < qn->nquestions; q++) {
		const answer *a = &sp->p.answers[q];
		if (!sp->known[q] || !a->nvalues)
			continue;
		sb_printf(&sb, "%s%s ", sb.len ? ", " : "", qn->questions[q].id);
		for (size_t i = 0; i < a->nvalues; i++)
			sb_printf(&sb, "%s%s", i ? "+" : "", a->values[i]);
	}
	for (size_t i = 0; i < sp->nvars; i++) {
		const sel_var *v = &sp->vars[i];
		if (v->kind == SEL_NOTICE && v->value >= 0)
			sb_printf(&sb, "%snotice %s", sb.len ? ", " : "", sp->c->notices[v->value].id);
		else if (v->kind != SEL_NOTICE && v->value == 1)
			sb_printf(&sb, "%s%s selected", sb.len ? ", " : "", v->id);
	}
	if (!sb.len)
		sb_append(&sb, "no answers at all");
	return sb_take(&sb);
}

/* ---- the checks ---- */

typedef struct checker {
	space *sp;
	char *file; /* the content file of the statements being checked */
	int failed;
} checker;

/* May statement st, shown when context holds, be shown while claim cl's never= holds? */
static void check_claim(checker *ck, const condition *context, const statement *st, const claim *cl)
{
	const condition *parts[3];
	size_t n = 0;
	if (context)
		parts[n++] = context;
	if (st->when)
		parts[n++] = st->when;
	parts[n++] = cl->never;
	condition goal = {.kind = COND_ALL, .question = -1, .kids = (condition **)parts, .nkids = n};
	space *sp = ck->sp;
	space_reset(sp);
	walk_goal(sp, &goal);
	if (search(sp, &goal, 0)) {
		char *who = describe(sp);
		diag(DIAG_ERROR, ck->file, st->line,
		     "this statement says '%s', which policy.xml:%d forbids for a patient it would be shown "
		     "to: %s",
		     cl->id, cl->line, who);
		free(who);
		ck->failed = 1;
	}
	space_reset(sp);
}

static void check_statements(checker *ck, const condition *context, const statements *s)
{
	const content *c = ck->sp->c;
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < c->nclaims; k++)
			if ((s->v[i].claims & (1u << k)) && c->claims[k].never)
				check_claim(ck, context, &s->v[i], &c->claims[k]);
}

static void check_file(checker *ck, const char *name)
{
	free(ck->file);
	ck->file = path_join(ck->sp->c->dir, name);
}

/* A notice's own words name one time frame. */
static void check_frames(checker *ck, const notice *no)
{
	const content *c = ck->sp->c;
	const statements *fields[] = {&no->text, &no->actions, &no->summary};
	int frame = -1, line = 0;
	for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
		for (size_t i = 0; i < fields[f]->n; i++)
			for (size_t k = 0; k < c->nclaims; k++) {
				if (!c->claims[k].frame || !(fields[f]->v[i].claims & (1u << k)) ||
				    frame == (int)k)
					continue;
				if (frame < 0) {
					frame = (int)k, line = fields[f]->v[i].line;
					continue;
				}
				diag(DIAG_ERROR, ck->file, fields[f]->v[i].line,
				     "notice %s names a second time frame ('%s'; line %d says '%s')", no->id,
				     c->claims[k].id, line, c->claims[frame].id);
				ck->failed = 1;
			}
}

/* A leaf that holds when id is selected (or the notice is level), for a statement's context. */
static condition context_leaf(cond_kind kind, const char *target)
{
	return (condition){.kind = kind, .question = -1, .target = (char *)target};
}

static void check_all(checker *ck)
{
	const content *c = ck->sp->c;
	check_file(ck, "causes.xml");
	for (size_t i = 0; i < c->ncauses; i++) {
		condition ctx = context_leaf(COND_SELECTED, c->causes[i].id);
		/* A cause's summary is also a common cause's, on a handout with none selected. */
		check_statements(ck, NULL, &c->causes[i].summary);
		check_statements(ck, NULL, &c->causes[i].maybe);
		check_statements(ck, &ctx, &c->causes[i].what);
		check_statements(ck, &ctx, &c->causes[i].why);
		check_statements(ck, &ctx, &c->causes[i].brief);
		check_statements(ck, &ctx, &c->causes[i].name);
		check_statements(ck, &ctx, &c->causes[i].helps);
	}
	check_file(ck, "exercises.xml");
	for (size_t i = 0; i < c->nexercises; i++) {
		condition ctx = context_leaf(COND_SELECTED, c->exercises[i].id);
		check_statements(ck, &ctx, &c->exercises[i].purpose);
		check_statements(ck, &ctx, &c->exercises[i].steps);
		check_statements(ck, &ctx, &c->exercises[i].cautions);
	}
	check_file(ck, "notices.xml");
	for (size_t i = 0; i < c->nnotices; i++) {
		condition ctx = context_leaf(COND_NOTICE, c->notices[i].id);
		check_statements(ck, &ctx, &c->notices[i].text);
		check_statements(ck, &ctx, &c->notices[i].actions);
		check_statements(ck, &ctx, &c->notices[i].summary);
		check_frames(ck, &c->notices[i]);
	}
	for (size_t i = 0; i < c->ntiers; i++) {
		check_statements(ck, c->tiers[i].when, &c->tiers[i].title);
		check_statements(ck, c->tiers[i].when, &c->tiers[i].items);
	}
	check_file(ck, "advice.xml");
	for (size_t i = 0; i < c->nnotes; i++) {
		condition ctx = context_leaf(COND_SELECTED, c->notes[i].id);
		check_statements(ck, &ctx, &c->notes[i].text);
	}
	check_statements(ck, NULL, &c->standard_items);
	check_statements(ck, NULL, &c->outlook);
	check_statements(ck, NULL, &c->exercise_intro);
}

static void space_free(space *sp)
{
	for (size_t q = 0; q < sp->c->questionnaire.nquestions; q++) {
		for (size_t i = 0; i < sp->nsamples[q]; i++) {
			for (size_t k = 0; k < sp->samples[q][i].nvalues; k++)
				free(sp->samples[q][i].values[k]);
			free(sp->samples[q][i].values);
		}
		free(sp->samples[q]);
	}
	free(sp->samples), free(sp->nsamples), free(sp->known), free(sp->order), free(sp->in_order);
	free(sp->p.answers);
	free(sp->vars);
}

int content_check_claims(const content *c)
{
	size_t nq = c->questionnaire.nquestions;
	space sp = {0};
	sp.c = c;
	sp.p.id = "claims";
	sp.p.questionnaire = &c->questionnaire;
	sp.p.answers = xcalloc(nq + 1, sizeof *sp.p.answers);
	sp.p.nanswers = nq;
	sp.known = xcalloc(nq + 1, 1);
	sp.in_order = xcalloc(nq + 1, 1);
	sp.order = xcalloc(nq + 1, sizeof *sp.order);
	sp.samples = xcalloc(nq + 1, sizeof *sp.samples);
	sp.nsamples = xcalloc(nq + 1, sizeof *sp.nsamples);
	mentions m = {xcalloc(nq + 1, sizeof(char **)),
	              xcalloc(nq + 1, sizeof(size_t)),
	              xcalloc(nq + 1, sizeof(size_t)),
	              xcalloc(nq + 1, sizeof(double *)),
	              xcalloc(nq + 1, sizeof(size_t)),
	              xcalloc(nq + 1, sizeof(size_t)),
	              xcalloc(nq + 1, sizeof(const condition **)),
	              xcalloc(nq + 1, sizeof(size_t)),
	              xcalloc(nq + 1, sizeof(size_t))};
	each_rule_condition(c, mention_tests, &m);
	make_samples(&sp, &m);
	for (size_t q = 0; q < nq; q++)
		free(m.values[q]), free(m.numbers[q]), free(m.tests[q]);
	free(m.values), free(m.nvalues), free(m.caps), free(m.numbers), free(m.nnumbers), free(m.ncaps);
	free(m.tests), free(m.ntests), free(m.tcaps);
	space_reset(&sp);
	checker ck = {&sp, NULL, 0};
	check_all(&ck);
	free(ck.file);
	space_free(&sp);
	return ck.failed ? -1 : 0;
}
