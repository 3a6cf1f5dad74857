/* selection.c: applies the content's rules to one patient. */
#include "selection.h"
#include "condition.h"
#include "content.h"
#include "json.h"
#include "patient.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Tracks every id selected so far, for <selected> conditions. */
typedef struct tracker {
	const char **ids;
	size_t n, cap;
	cond_state st;
} tracker;

static void tracker_sync(tracker *t, size_t ncauses)
{
	t->st.selected = t->ids;
	t->st.nselected = t->n;
	t->st.ncauses = ncauses;
}

static char *rule_reason(const rule *r, const patient *p, const cond_state *st)
{
	strbuf sb = {0};
	condition_reasons(r->when, p, st, &sb);
	if (sb.len == 0 && r->reason)
		reason_format(r->reason, -1, p, &sb);
	return sb_take(&sb);
}

/* What the call list's answers see: the rules, the patient and what is selected so far. */
typedef struct answer_source {
	const content *c;
	const patient *p;
	const cond_state *st;
} answer_source;

/* A selected cause in the call list: the answers that selected it ("pain below the knee"),
 * not its name. */
static void cause_answers(void *ctx, const char *id, strbuf *out)
{
	const answer_source *src = ctx;
	for (size_t i = 0; i < src->c->cause_rules.nrules; i++)
		if (strcmp(src->c->cause_rules.rules[i].select, id) == 0)
			condition_answers(src->c->cause_rules.rules[i].when, src->p, src->st, cause_answers,
			                  ctx, out);
}

/* Appends to once each answer of list ("a; b") that once does not hold yet. */
static void append_once(strbuf *once, const char *list)
{
	for (const char *s = list; *s;) {
		size_t len = strcspn(s, ";");
		int seen = 0;
		for (const char *o = once->data; o && *o && !seen;) {
			size_t olen = strcspn(o, ";");
			seen = olen == len && memcmp(o, s, len) == 0;
			o += olen + (o[olen] == ';' ? 2 : 0);
		}
		if (!seen)
			sb_printf(once, "%s%.*s", once->len ? "; " : "", (int)len, s);
		s += len + (s[len] == ';' ? 2 : 0);
	}
}

/* The answers that make rule r hold, appended to out unless out holds them already. */
static void rule_answers(const content *c, const rule *r, const patient *p, const cond_state *st, strbuf *out)
{
	answer_source src = {c, p, st};
	strbuf all = {0};
	condition_answers(r->when, p, st, cause_answers, &src, &all);
	append_once(out, all.data ? all.data : "");
	sb_free(&all);
}

/* The notice's own answers, and those of every lower notice rule that holds too ("also"):
 * an urgent patient who has had cancer is phoned knowing it. */
char *selection_notice_answers(const selection *sel, const content *c, const patient *p, char **also)
{
	cond_state state = {sel->ids, sel->nids, NULL, sel->ncauses}, *st = &state;
	const selected *chosen = &sel->notice;
	strbuf all = {0};
	size_t own = 0;
	int past = 0;
	for (size_t i = 0; i < c->notice_rules.nrules; i++) {
		const rule *r = &c->notice_rules.rules[i];
		if ((!past && strcmp(r->select, chosen->id) != 0) || !condition_eval(r->when, p, st))
			continue;
		rule_answers(c, r, p, st, &all); /* each answer once: the notice's own first */
		if (!past)
			own = all.len, past = 1;
	}
	*also = all.len > own ? xstrdup(all.data + own + (own ? 2 : 0)) : NULL;
	char *answers = xstrndup(all.data ? all.data : "", own);
	sb_free(&all);
	return answers;
}

/* Applies every rule of rs in order (up to its max, or up to one when first_only). */
static selected *apply(const ruleset *rs, const patient *p, tracker *t, size_t ncauses_before, int is_causes,
                       int first_only, size_t *count)
{
	selected *out = NULL;
	size_t cap = 0;
	*count = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		if ((rs->max && *count >= rs->max) || (first_only && *count))
			break;
		const rule *r = &rs->rules[i];
		tracker_sync(t, is_causes ? *count : ncauses_before);
		if (!condition_eval(r->when, p, &t->st))
			continue;
		selected s = {r->select, rule_reason(r, p, &t->st)};
		ARRAY_PUSH(out, *count, cap, s);
		ARRAY_PUSH(t->ids, t->n, t->cap, r->select);
	}
	return out;
}

selection *selection_make(const content *c, const patient *in)
{
	/* The answers read through this content's questionnaire: a choice in a reason reads as
	 * the language's phrase ("fuerte", not "strong"). A translation's questionnaire has the
	 * same questions in the same order (content.c checks), so the answers index it alike. */
	patient local = *in;
	local.questionnaire = &c->questionnaire;
	const patient *p = &local;
	selection *s = xcalloc(1, sizeof *s);
	tracker t = {0};
	s->causes = apply(&c->cause_rules, p, &t, 0, 1, 0, &s->ncauses);
	size_t nnotice;
	selected *first_notice = apply(&c->notice_rules, p, &t, s->ncauses, 0, 1, &nnotice);
	if (nnotice) {
		s->notice = first_notice[0];
	} else {
		/* Content without a catch-all rule: the standard notice still stands. */
		s->notice.id = "standard";
		s->notice.reason = xstrdup("");
	}
	free(first_notice);
	t.st.notice = s->notice.id;
	s->exercises = apply(&c->exercise_rules, p, &t, s->ncauses, 0, 0, &s->nexercises);
	s->notes = apply(&c->note_rules, p, &t, s->ncauses, 0, 0, &s->nnotes);
	s->ids = t.ids;
	s->nids = t.n;
	return s;
}

static void free_list(selected *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].reason);
	free(v);
}

void selection_free(selection *s)
{
	if (!s)
		return;
	free_list(s->causes, s->ncauses);
	free_list(s->exercises, s->nexercises);
	free_list(s->notes, s->nnotes);
	free(s->notice.reason);
	free(s->ids);
	free(s);
}

int selection_holds(const selection *s, const patient *p, const condition *c)
{
	cond_state st = {s->ids, s->nids, s->notice.id, s->ncauses};
	return condition_eval(c, p, &st);
}

static void json_ids(strbuf *out, const selected *v, size_t n)
{
	sb_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(out, ',');
		json_append_string(out, v[i].id);
	}
	sb_putc(out, ']');
}

static void json_reasons(strbuf *out, const selected *v, size_t n, int *first)
{
	for (size_t i = 0; i < n; i++) {
		if (!*v[i].reason)
			continue;
		if (!*first)
			sb_putc(out, ',');
		*first = 0;
		json_append_string(out, v[i].id);
		sb_putc(out, ':');
		json_append_string(out, v[i].reason);
	}
}

void selection_to_json(const selection *s, const patient *p, strbuf *out)
{
	sb_append(out, "{\"patient\":");
	json_append_string(out, p->id);
	sb_append(out, ",\"causes\":");
	json_ids(out, s->causes, s->ncauses);
	sb_append(out, ",\"notice\":");
	json_append_string(out, s->notice.id);
	sb_append(out, ",\"exercises\":");
	json_ids(out, s->exercises, s->nexercises);
	sb_append(out, ",\"reasons\":{");
	int first = 1;
	json_reasons(out, s->causes, s->ncauses, &first);
	json_reasons(out, &s->notice, 1, &first);
	json_reasons(out, s->exercises, s->nexercises, &first);
	sb_append(out, "},\"notes\":");
	json_ids(out, s->notes, s->nnotes);
	sb_putc(out, '}');
}

void selection_error_json(const patient *p, strbuf *out)
{
	sb_append(out, "{\"patient\":");
	json_append_string(out, p->id ? p->id : "?");
	sb_append(out, ",\"error\":");
	json_append_string(out, p->error ? p->error : "rejected");
	sb_putc(out, '}');
}
