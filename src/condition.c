/* condition.c: selection conditions as data, their evaluation and their reason sentences. */
#include "condition.h"
#include "diag.h"
#include "locale.h"
#include "patient.h"
#include "questionnaire.h"
#include "util.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	cond_kind kind;
} kinds[] = {
    {"always", COND_ALWAYS},
    {"equals", COND_EQUALS},
    {"one-of", COND_ONE_OF},
    {"at-least", COND_AT_LEAST},
    {"at-most", COND_AT_MOST},
    {"less-than", COND_LESS_THAN},
    {"more-than", COND_MORE_THAN},
    {"answered", COND_ANSWERED},
    {"selected", COND_SELECTED},
    {"notice", COND_NOTICE},
    {"no-causes", COND_NO_CAUSES},
    {"all", COND_ALL},
    {"any", COND_ANY},
    {"not", COND_NOT},
    {"holds", COND_REF},
};

static int is_numeric(cond_kind k)
{
	return k == COND_AT_LEAST || k == COND_AT_MOST || k == COND_LESS_THAN || k == COND_MORE_THAN;
}

static void split_values(condition *c, const char *list)
{
	size_t cap = 0;
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (p > start)
			ARRAY_PUSH(c->values, c->nvalues, cap, xstrndup(start, (size_t)(p - start)));
	}
}

/* Checks that a value test names values the question can take. */
static int check_values(const condition *c, const question *qu, const char *file)
{
	for (size_t i = 0; i < c->nvalues; i++) {
		const char *v = c->values[i];
		if (qu->type == Q_CHOICE && !question_find_choice(qu, v)) {
			diag(DIAG_ERROR, file, c->line, "question %s has no choice '%s'", qu->id, v);
			return -1;
		}
		if (qu->type == Q_BOOLEAN && strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			diag(DIAG_ERROR, file, c->line, "question %s is yes/no, not '%s'", qu->id, v);
			return -1;
		}
		if (qu->type == Q_INTEGER || qu->type == Q_DECIMAL) {
			char *end;
			strtod(v, &end);
			if (*v == '\0' || *end != '\0') {
				diag(DIAG_ERROR, file, c->line, "question %s takes a number, not '%s'",
				     qu->id, v);
				return -1;
			}
		}
	}
	return 0;
}

condition *condition_parse(const xnode *n, const questionnaire *q, const char *file)
{
	condition *c = xcalloc(1, sizeof *c);
	c->line = n->line;
	c->question = -1;
	size_t k;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(kinds[k].name, n->name) == 0)
			break;
	if (k == sizeof kinds / sizeof kinds[0]) {
		diag(DIAG_ERROR, file, n->line, "unknown condition <%s>", n->name);
		free(c);
		return NULL;
	}
	c->kind = kinds[k].kind;
	const char *reason = xnode_attr(n, "reason");
	c->reason = reason ? text_normalize_space(reason) : NULL;
	const char *qid = xnode_attr(n, "q");
	if (qid) {
		c->question = questionnaire_find(q, qid);
		if (c->question < 0) {
			diag(DIAG_ERROR, file, n->line, "unknown question '%s'", qid);
			goto fail;
		}
	}
	const question *qu = c->question >= 0 ? &q->questions[c->question] : NULL;
	const char *value = xnode_attr(n, "value");
	switch (c->kind) {
	case COND_EQUALS:
		split_values(c, value ? value : "");
		if (check_values(c, qu, file) < 0)
			goto fail;
		break;
	case COND_ONE_OF:
		split_values(c, xnode_attr(n, "values") ? xnode_attr(n, "values") : "");
		if (check_values(c, qu, file) < 0)
			goto fail;
		break;
	case COND_SELECTED:
		c->target = xstrdup(xnode_attr(n, "id") ? xnode_attr(n, "id") : "");
		break;
	case COND_NOTICE:
		c->target = xstrdup(xnode_attr(n, "is") ? xnode_attr(n, "is") : "");
		break;
	case COND_REF:
		c->target = xstrdup(xnode_attr(n, "name") ? xnode_attr(n, "name") : "");
		break;
	case COND_ALL:
	case COND_ANY:
	case COND_NOT:
		c->kids = xcalloc(n->nkids, sizeof *c->kids);
		for (size_t i = 0; i < n->nkids; i++) {
			c->kids[i] = condition_parse(n->kids[i], q, file);
			if (!c->kids[i])
				goto fail;
			c->nkids++;
		}
		if (c->kind == COND_NOT && c->nkids != 1) {
			diag(DIAG_ERROR, file, n->line, "<not> takes exactly one condition");
			goto fail;
		}
		break;
	default:
		if (is_numeric(c->kind)) {
			if (qu->type != Q_INTEGER && qu->type != Q_DECIMAL) {
				diag(DIAG_ERROR, file, n->line,
				     "<%s> needs a number question, and %s is not one", n->name, qu->id);
				goto fail;
			}
			c->number = strtod(value ? value : "0", NULL);
		}
		break;
	}
	return c;
fail:
	condition_free(c);
	return NULL;
}

condition *condition_parse_all(const xnode *parent, const questionnaire *q, const char *file)
{
	if (parent->nkids == 1)
		return condition_parse(parent->kids[0], q, file);
	condition *c = condition_new(COND_ALL, parent->line);
	for (size_t i = 0; i < parent->nkids; i++) {
		condition *kid = condition_parse(parent->kids[i], q, file);
		if (!kid) {
			condition_free(c);
			return NULL;
		}
		condition_add(c, kid);
	}
	return c;
}

condition *condition_new(cond_kind kind, int line)
{
	condition *c = xcalloc(1, sizeof *c);
	c->kind = kind;
	c->question = -1;
	c->line = line;
	return c;
}

void condition_add(condition *group, condition *kid)
{
	group->kids = xrealloc(group->kids, (group->nkids + 1) * sizeof *group->kids);
	group->kids[group->nkids++] = kid;
}

void condition_free(condition *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nvalues; i++)
		free(c->values[i]);
	for (size_t i = 0; i < c->nkids; i++)
		condition_free(c->kids[i]);
	free(c->values);
	free(c->kids);
	free(c->target);
	free(c->reason);
	free(c);
}

static int answer_has_value(const answer *a, const char *v)
{
	for (size_t i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i], v) == 0)
			return 1;
	return 0;
}

static int cond_has_value(const condition *c, const char *v)
{
	for (size_t i = 0; i < c->nvalues; i++)
		if (strcmp(c->values[i], v) == 0)
			return 1;
	return 0;
}

/* A test of one answer (c->question >= 0), the answer given. */
static int answer_test(const condition *c, const answer *a)
{
	if (a->nvalues == 0)
		return 0; /* unanswered is "not known": no test on it holds (and it is not answered) */
	switch (c->kind) {
	case COND_EQUALS:
	case COND_ONE_OF:
		for (size_t i = 0; i < c->nvalues; i++)
			if (answer_has_value(a, c->values[i]))
				return 1;
		return 0;
	case COND_AT_LEAST:
		return a->number >= c->number;
	case COND_AT_MOST:
		return a->number <= c->number;
	case COND_LESS_THAN:
		return a->number < c->number;
	case COND_MORE_THAN:
		return a->number > c->number;
	case COND_ANSWERED:
		return 1;
	default:
		return 0;
	}
}

int condition_eval(const condition *c, const patient *p, const cond_state *st)
{
	if (c->question >= 0)
		return answer_test(c, &p->answers[c->question]);
	switch (c->kind) {
	case COND_ALWAYS:
		return 1;
	case COND_SELECTED:
		for (size_t i = 0; i < st->nselected; i++)
			if (strcmp(st->selected[i], c->target) == 0)
				return 1;
		return 0;
	case COND_NOTICE:
		return st->notice && strcmp(st->notice, c->target) == 0;
	case COND_NO_CAUSES:
		return st->ncauses == 0;
	case COND_REF:
		return c->ref && condition_eval(c->ref, p, st);
	case COND_ALL:
		for (size_t i = 0; i < c->nkids; i++)
			if (!condition_eval(c->kids[i], p, st))
				return 0;
		return 1;
	case COND_ANY:
		for (size_t i = 0; i < c->nkids; i++)
			if (condition_eval(c->kids[i], p, st))
				return 1;
		return 0;
	case COND_NOT:
		return !condition_eval(c->kids[0], p, st);
	default:
		return 0;
	}
}

static truth truth_not(truth t)
{
	return t == TRUTH_UNKNOWN ? t : t == TRUTH_TRUE ? TRUTH_FALSE : TRUTH_TRUE;
}

truth condition_truth(const condition *c, const patient *p, const unsigned char *known, const cond_oracle *o)
{
	if (c->question >= 0)
		return !known[c->question]                        ? TRUTH_UNKNOWN
		       : answer_test(c, &p->answers[c->question]) ? TRUTH_TRUE
		                                                  : TRUTH_FALSE;
	switch (c->kind) {
	case COND_ALWAYS:
		return TRUTH_TRUE;
	case COND_SELECTED:
		return o->selected(o->ctx, c->target);
	case COND_NOTICE:
		return o->notice(o->ctx, c->target);
	case COND_NO_CAUSES:
		return o->no_causes(o->ctx);
	case COND_REF:
		return c->ref ? condition_truth(c->ref, p, known, o) : TRUTH_FALSE;
	case COND_ALL:
	case COND_ANY: {
		/* all: FALSE as soon as one is, else UNKNOWN if one is; any the other way round. */
		truth decides = c->kind == COND_ALL ? TRUTH_FALSE : TRUTH_TRUE, result = truth_not(decides);
		for (size_t i = 0; i < c->nkids; i++) {
			truth t = condition_truth(c->kids[i], p, known, o);
			if (t == decides)
				return t;
			if (t == TRUTH_UNKNOWN)
				result = TRUTH_UNKNOWN;
		}
		return result;
	}
	case COND_NOT:
		return truth_not(condition_truth(c->kids[0], p, known, o));
	default:
		return TRUTH_FALSE;
	}
}

/* Appends the phrase for answer a of question qu; for a value test, only the values the
 * test matched (so "You told us it hurts in X" names what triggered it). */
static void append_answer(const question *qu, const answer *a, const condition *matched, strbuf *out)
{
	size_t shown = 0;
	for (size_t i = 0; i < a->nvalues; i++) {
		if (matched && matched->nvalues && !cond_has_value(matched, a->values[i]))
			continue;
		if (shown)
			sb_append(out, " and ");
		const choice *ch = qu->type == Q_CHOICE ? question_find_choice(qu, a->values[i]) : NULL;
		sb_append(out, ch ? ch->phrase : a->values[i]);
		shown++;
	}
}

static void format_with(const char *tmpl, int qi, const condition *matched, const patient *p,
                        const questionnaire *q, strbuf *out)
{
	const char *s = tmpl;
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			sb_append(out, s);
			return;
		}
		sb_appendn(out, s, (size_t)(open - s));
		char *name = xstrndup(open + 1, (size_t)(close - open - 1));
		int which = strcmp(name, "value") == 0 ? qi : questionnaire_find(q, name);
		if (which >= 0 && p->answers[which].nvalues)
			append_answer(&q->questions[which], &p->answers[which], which == qi ? matched : NULL,
			              out);
		else
			sb_appendn(out, open, (size_t)(close - open + 1));
		free(name);
		s = close + 1;
	}
}

void reason_format(const char *tmpl, int question_index, const patient *p, strbuf *out)
{
	format_with(tmpl, question_index, NULL, p, p->questionnaire, out);
}

static void add_reason(strbuf *out, const condition *c, const patient *p)
{
	if (out->len)
		sb_append(out, locale_sentence_gap(out->data)); /* none after a Chinese full stop */
	format_with(c->reason, c->question, c, p, p->questionnaire, out);
}

static void collect(const condition *c, const patient *p, const cond_state *st, strbuf *out)
{
	if (!condition_eval(c, p, st))
		return;
	if (c->reason) {
		add_reason(out, c, p);
		return;
	}
	if (c->kind == COND_ALL || c->kind == COND_ANY)
		for (size_t i = 0; i < c->nkids; i++)
			collect(c->kids[i], p, st, out);
}

void condition_reasons(const condition *c, const patient *p, const cond_state *st, strbuf *out)
{
	collect(c, p, st, out);
}

void condition_answers(const condition *c, const patient *p, const cond_state *st,
                       void (*selected_answers)(void *ctx, const char *id, strbuf *out), void *ctx,
                       strbuf *out)
{
	if (c->kind == COND_NOT || !condition_eval(c, p, st))
		return;
	if (c->kind == COND_ALL || c->kind == COND_ANY) {
		for (size_t i = 0; i < c->nkids; i++)
			condition_answers(c->kids[i], p, st, selected_answers, ctx, out);
		return;
	}
	if (c->kind == COND_REF && c->ref) {
		condition_answers(c->ref, p, st, selected_answers, ctx, out);
		return;
	}
	if (c->kind == COND_SELECTED) {
		selected_answers(ctx, c->target, out);
		return;
	}
	if (c->question < 0 || !patient_answered(p, c->question))
		return;
	const question *qu = &p->questionnaire->questions[c->question];
	const answer *a = &p->answers[c->question];
	if (out->len)
		sb_append(out, "; ");
	if (qu->staff) { /* "pain {value} out of 10"; a yes/no question's words are its yes */
		format_with(qu->staff, c->question, c, p, p->questionnaire, out);
		if (qu->type == Q_BOOLEAN && strcmp(a->values[0], "yes") != 0)
			sb_printf(out, ": %s", a->values[0]);
		return;
	}
	sb_printf(out, "%s ", qu->text);
	append_answer(qu, a, c, out);
}

void condition_each_target(condition *c, void (*fn)(void *ctx, condition *leaf), void *ctx)
{
	if (c->kind == COND_SELECTED || c->kind == COND_NOTICE || c->kind == COND_REF)
		fn(ctx, c);
	for (size_t i = 0; i < c->nkids; i++)
		condition_each_target(c->kids[i], fn, ctx);
}

void condition_each_answer_test(const condition *c, void (*fn)(void *ctx, const condition *leaf), void *ctx)
{
	if (c->question >= 0)
		fn(ctx, c);
	if (c->kind == COND_REF && c->ref)
		condition_each_answer_test(c->ref, fn, ctx);
	for (size_t i = 0; i < c->nkids; i++)
		condition_each_answer_test(c->kids[i], fn, ctx);
}
