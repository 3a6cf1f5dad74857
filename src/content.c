/* content.c: loads content/ into the content model and checks its cross-references. */
#include "content.h"
#include "condition.h"
#include "diag.h"
#include "svg.h"
#include "util.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* One loading pass: where we are and whether anything failed. */
typedef struct loader {
	const char *dir;  /* the language's files */
	const char *base; /* content/: the schema, the drawings and rules.xml, shared by every language */
	char *file; /* the file being converted, for diagnostics */
	int failed;
	/* A translation's reasons.xml: each English reason of rules.xml and its translation. */
	char **reason_en, **reason_to;
	size_t nreasons;
	char *reasons_file;
} loader;

static char *must_text(loader *ld, const xnode *n, const char *child)
{
	char *t = xnode_child_text(n, child);
	if (!t) {
		/* The schema makes these required; this only guards a schema edited out of step. */
		diag(DIAG_ERROR, ld->file, n->line, "<%s> lacks <%s>", n->name, child);
		ld->failed = 1;
		return xstrdup("");
	}
	return t;
}

/* Collects the normalised text of every child named name of n (n may be NULL). */
static char **texts_of(const xnode *n, const char *name, size_t *count)
{
	char **out = NULL;
	size_t cap = 0;
	*count = 0;
	for (size_t i = 0; n && i < n->nkids; i++)
		if (strcmp(n->kids[i]->name, name) == 0)
			ARRAY_PUSH(out, *count, cap, xnode_text(n->kids[i]));
	return out;
}

static void free_texts(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static xnode *load_file(loader *ld, const char *name)
{
	free(ld->file);
	ld->file = path_join(strcmp(name, "rules.xml") == 0 ? ld->base : ld->dir, name);
	char *schema = path_join(ld->base, "schema/content.xsd");
	xnode *root = xml_load(ld->file, schema);
	free(schema);
	if (!root)
		ld->failed = 1;
	return root;
}

/* Loads drawing id (once) for a reference on line `line` of the file being read. */
static void need_drawing(loader *ld, content *c, const char *id, int line)
{
	if (content_drawing_find(c, id))
		return;
	strbuf sb = {0};
	sb_printf(&sb, "%s/diagrams/%s.svg", ld->base, id);
	drawing *d = svg_load(sb.data);
	if (!d) {
		diag(DIAG_ERROR, ld->file, line, "diagram '%s': %s is missing or broken (see above)", id, sb.data);
		ld->failed = 1;
	} else {
		/* The drawing's words in the content's language. */
		for (size_t i = 0; i < d->nitems; i++)
			if (d->items[i].kind == DRAW_TEXT) {
				const char *to = locale_label(&c->words, d->items[i].text);
				if (to != d->items[i].text) {
					char *copy = xstrdup(to);
					free(d->items[i].text);
					d->items[i].text = copy;
				}
			}
		content_drawing cd = {xstrdup(id), d};
		ARRAY_PUSH(c->drawings, c->ndrawings, c->drawings_cap, cd);
	}
	sb_free(&sb);
}

static int yes(const char *v)
{
	return v && strcmp(v, "yes") == 0;
}

static void load_questionnaire(loader *ld, content *c, const xnode *root)
{
	questionnaire *q = &c->questionnaire;
	q->id = xstrdup(xnode_attr(root, "id") ? xnode_attr(root, "id") : "");
	q->version = xstrdup(xnode_attr(root, "version") ? xnode_attr(root, "version") : "");
	if (xnode_attr(root, "title"))
		q->title = xstrdup(xnode_attr(root, "title"));
	q->questions = xcalloc(root->nkids, sizeof *q->questions);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		question *qu = &q->questions[q->nquestions++];
		qu->id = xstrdup(xnode_attr(n, "id"));
		const char *type = xnode_attr(n, "type");
		qu->type = strcmp(type, "integer") == 0   ? Q_INTEGER
			   : strcmp(type, "decimal") == 0 ? Q_DECIMAL
			   : strcmp(type, "boolean") == 0 ? Q_BOOLEAN
			   : strcmp(type, "choice") == 0  ? Q_CHOICE
							  : Q_STRING;
		qu->multiple = yes(xnode_attr(n, "multiple"));
		qu->required = yes(xnode_attr(n, "required"));
		if (xnode_attr(n, "min")) {
			qu->has_min = 1;
			qu->min = strtod(xnode_attr(n, "min"), NULL);
		}
		if (xnode_attr(n, "max")) {
			qu->has_max = 1;
			qu->max = strtod(xnode_attr(n, "max"), NULL);
		}
		qu->text = must_text(ld, n, "text");
		if (xnode_attr(n, "loinc"))
			qu->loinc = xstrdup(xnode_attr(n, "loinc"));
		if (xnode_attr(n, "diagram")) {
			qu->diagram = xstrdup(xnode_attr(n, "diagram"));
			need_drawing(ld, c, qu->diagram, n->line);
		}
		qu->choices = xcalloc(n->nkids, sizeof *qu->choices);
		for (size_t k = 0; k < n->nkids; k++) {
			const xnode *ch = n->kids[k];
			if (strcmp(ch->name, "choice") != 0)
				continue;
			choice *cc = &qu->choices[qu->nchoices++];
			cc->value = xstrdup(xnode_attr(ch, "value"));
			cc->label = xnode_text(ch);
			cc->phrase = xstrdup(xnode_attr(ch, "phrase") ? xnode_attr(ch, "phrase") : cc->value);
		}
		if (xnode_attr(n, "sides")) {
			char *list = text_normalize_space(xnode_attr(n, "sides"));
			size_t cap = 0;
			for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				if (!question_find_choice(qu, tok)) {
					diag(DIAG_ERROR, ld->file, n->line, "question %s: side '%s' is not one of its choices",
					     qu->id, tok);
					ld->failed = 1;
				}
				ARRAY_PUSH(qu->sides, qu->nsides, cap, xstrdup(tok));
			}
			free(list);
		}
		if ((qu->type == Q_CHOICE) != (qu->nchoices > 0)) {
			diag(DIAG_ERROR, ld->file, n->line, "question %s: %s", qu->id,
			     qu->type == Q_CHOICE ? "a choice question needs <choice> elements"
						  : "only choice questions have <choice> elements");
			ld->failed = 1;
		}
	}
}

static void load_causes(loader *ld, content *c, const xnode *root)
{
	c->causes = xcalloc(root->nkids, sizeof *c->causes);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		if (strcmp(n->name, "common-causes") == 0) {
			c->common_causes_text = must_text(ld, n, "text");
			continue;
		}
		if (strcmp(n->name, "medication-frame") == 0) {
			c->medication_frame = xnode_text(n);
			continue;
		}
		cause *ca = &c->causes[c->ncauses++];
		ca->id = xstrdup(xnode_attr(n, "id"));
		ca->title = must_text(ld, n, "title");
		ca->summary = must_text(ld, n, "summary");
		ca->what = must_text(ld, n, "what");
		ca->why = must_text(ld, n, "why");
		ca->helps = must_text(ld, n, "helps");
		ca->medication = xnode_child_text(n, "medication");
		ca->medication_unless = -1;
		const xnode *med = xnode_child(n, "medication");
		const char *unless = med ? xnode_attr(med, "unless") : NULL;
		if (unless) {
			ca->medication_unless = questionnaire_find(&c->questionnaire, unless);
			if (ca->medication_unless < 0 ||
			    c->questionnaire.questions[ca->medication_unless].type != Q_BOOLEAN) {
				diag(DIAG_ERROR, ld->file, med->line, "medication: unless='%s' is not a yes/no question",
				     unless);
				ld->failed = 1;
			}
		}
	}
}

static void load_exercises(loader *ld, content *c, const xnode *root)
{
	c->exercises = xcalloc(root->nkids, sizeof *c->exercises);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		exercise *ex = &c->exercises[c->nexercises++];
		ex->id = xstrdup(xnode_attr(n, "id"));
		ex->strengthening = strcmp(xnode_attr(n, "kind"), "strengthening") == 0;
		ex->title = must_text(ld, n, "title");
		ex->summary = must_text(ld, n, "summary");
		ex->purpose = must_text(ld, n, "purpose");
		ex->steps = texts_of(xnode_child(n, "steps"), "step", &ex->nsteps);
		const xnode *dose = xnode_child(n, "dose");
		ex->dose_reps = dose ? must_text(ld, dose, "reps") : xstrdup("");
		char *hold = dose ? xnode_child_text(dose, "hold") : NULL;
		ex->dose_hold = hold ? hold : xstrdup(""); /* optional: not every exercise is held */
		ex->dose_often = dose ? must_text(ld, dose, "often") : xstrdup("");
		ex->cautions = texts_of(n, "caution", &ex->ncautions);
		size_t count = 0;
		for (size_t k = 0; k < n->nkids; k++)
			count += strcmp(n->kids[k]->name, "diagram") == 0;
		ex->diagrams = xcalloc(count ? count : 1, sizeof *ex->diagrams);
		ex->captions = xcalloc(count ? count : 1, sizeof *ex->captions);
		for (size_t k = 0; k < n->nkids; k++) {
			const xnode *dn = n->kids[k];
			if (strcmp(dn->name, "diagram") != 0)
				continue;
			ex->diagrams[ex->ndiagrams] = xstrdup(xnode_attr(dn, "ref"));
			const char *caption = xnode_attr(dn, "caption");
			ex->captions[ex->ndiagrams] = caption ? text_normalize_space(caption) : NULL;
			need_drawing(ld, c, ex->diagrams[ex->ndiagrams], dn->line);
			ex->ndiagrams++;
		}
	}
}

static void load_notices(loader *ld, content *c, const xnode *root)
{
	c->notices = xcalloc(root->nkids, sizeof *c->notices);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		if (strcmp(n->name, "warning-signs") == 0) {
			c->warning_signs_text = must_text(ld, n, "text");
			continue;
		}
		notice *no = &c->notices[c->nnotices++];
		no->id = xstrdup(xnode_attr(n, "id"));
		no->title = must_text(ld, n, "title");
		no->text = must_text(ld, n, "text");
		const xnode *actions = xnode_child(n, "actions");
		no->actions = texts_of(actions, "action", &no->nactions);
		no->actions_without = xcalloc(no->nactions ? no->nactions : 1, sizeof *no->actions_without);
		for (size_t k = 0; k < no->nactions; k++) {
			const char *without = xnode_attr(actions->kids[k], "without-number");
			no->actions_without[k] = without ? text_normalize_space(without) : NULL;
		}
		no->flags = texts_of(xnode_child(n, "flags"), "flag", &no->nflags);
		no->summary = must_text(ld, n, "summary");
	}
	if (!content_notice(c, "urgent") || !content_notice(c, "standard")) {
		diag(DIAG_ERROR, ld->file, root->line, "the urgent and standard notices are both required");
		ld->failed = 1;
	}
}

static void load_advice(loader *ld, content *c, const xnode *root)
{
	c->notes = xcalloc(root->nkids, sizeof *c->notes);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		if (strcmp(n->name, "standard") == 0) {
			c->standard_title = must_text(ld, n, "title");
			c->standard_items = texts_of(n, "item", &c->nstandard_items);
			continue;
		}
		if (strcmp(n->name, "outlook") == 0) {
			c->outlook = xnode_text(n);
			continue;
		}
		if (strcmp(n->name, "exercise-intro") == 0) {
			c->exercise_intro = xnode_text(n);
			continue;
		}
		if (strcmp(n->name, "about") == 0) {
			c->about_source = must_text(ld, n, "source");
			c->about_review = must_text(ld, n, "review");
			continue;
		}
		note *no = &c->notes[c->nnotes++];
		no->id = xstrdup(xnode_attr(n, "id"));
		no->title = must_text(ld, n, "title");
		no->text = must_text(ld, n, "text");
		no->lists_causes = xnode_attr(n, "lists") && strcmp(xnode_attr(n, "lists"), "causes") == 0;
		no->urgent = xnode_attr(n, "place") && strcmp(xnode_attr(n, "place"), "urgent") == 0;
	}
}

/* Every {NAME} in a template must be {value} (when the condition has a question) or a
 * question id. */
static void check_template(loader *ld, const content *c, const char *tmpl, int has_value, int line)
{
	for (const char *s = tmpl; (s = strchr(s, '{')) != NULL; s++) {
		const char *close = strchr(s, '}');
		if (!close)
			break;
		char *name = xstrndup(s + 1, (size_t)(close - s - 1));
		int ok = (has_value && strcmp(name, "value") == 0) ||
			 questionnaire_find(&c->questionnaire, name) >= 0;
		if (!ok) {
			diag(DIAG_ERROR, ld->file, line, "unknown placeholder {%s}", name);
			ld->failed = 1;
		}
		free(name);
	}
}

typedef struct target_check {
	loader *ld;
	const content *c;
} target_check;

static void check_target(void *ctx, const condition *leaf)
{
	target_check *tc = ctx;
	int ok = leaf->kind == COND_NOTICE
			 ? content_notice(tc->c, leaf->target) != NULL
			 : content_cause(tc->c, leaf->target) || content_exercise(tc->c, leaf->target);
	if (!ok) {
		diag(DIAG_ERROR, tc->ld->file, leaf->line, "unknown %s '%s'",
		     leaf->kind == COND_NOTICE ? "notice" : "cause or exercise", leaf->target);
		tc->ld->failed = 1;
	}
}

/* A translation's reason for the English one (which it frees), or the English after
 * reporting that it has none. */
static char *translate_reason(loader *ld, char *english, int line)
{
	if (!ld->reasons_file)
		return english;
	for (size_t i = 0; i < ld->nreasons; i++)
		if (strcmp(ld->reason_en[i], english) == 0) {
			free(english);
			return xstrdup(ld->reason_to[i]);
		}
	diag(DIAG_ERROR, ld->reasons_file, 0, "no translation of the reason on line %d of rules.xml", line);
	ld->failed = 1;
	return english;
}

static void translate_reasons(loader *ld, condition *cond)
{
	if (cond->reason)
		cond->reason = translate_reason(ld, cond->reason, cond->line);
	for (size_t i = 0; i < cond->nkids; i++)
		translate_reasons(ld, cond->kids[i]);
}

static void check_reasons(loader *ld, const content *c, const condition *cond)
{
	if (cond->reason)
		check_template(ld, c, cond->reason, cond->question >= 0, cond->line);
	for (size_t i = 0; i < cond->nkids; i++)
		check_reasons(ld, c, cond->kids[i]);
}

typedef enum target_kind { TARGET_CAUSE, TARGET_NOTICE, TARGET_EXERCISE, TARGET_NOTE } target_kind;

static void load_ruleset(loader *ld, content *c, const xnode *n, ruleset *rs, target_kind kind)
{
	static const char *const kind_names[] = {"cause", "notice", "exercise", "note"};
	if (!n)
		return;
	const char *max = xnode_attr(n, "max");
	rs->max = max ? (size_t)strtoul(max, NULL, 10) : 0;
	rs->rules = xcalloc(n->nkids, sizeof *rs->rules);
	for (size_t i = 0; i < n->nkids; i++) {
		const xnode *rn = n->kids[i];
		const char *sel = xnode_attr(rn, "select");
		int exists = kind == TARGET_CAUSE      ? content_cause(c, sel) != NULL
			     : kind == TARGET_NOTICE   ? content_notice(c, sel) != NULL
			     : kind == TARGET_EXERCISE ? content_exercise(c, sel) != NULL
						       : content_note(c, sel) != NULL;
		if (!exists) {
			diag(DIAG_ERROR, ld->file, rn->line, "rule selects unknown %s '%s'", kind_names[kind], sel);
			ld->failed = 1;
			continue;
		}
		condition *when = condition_parse_all(rn, &c->questionnaire, ld->file);
		if (!when) {
			ld->failed = 1;
			continue;
		}
		target_check tc = {ld, c};
		condition_each_target(when, check_target, &tc);
		translate_reasons(ld, when);
		check_reasons(ld, c, when);
		rule *r = &rs->rules[rs->nrules++];
		r->select = xstrdup(sel);
		r->when = when;
		r->line = rn->line;
		const char *reason = xnode_attr(rn, "reason");
		r->reason = reason ? translate_reason(ld, text_normalize_space(reason), rn->line) : NULL;
		if (r->reason)
			check_template(ld, c, r->reason, 0, rn->line);
	}
}

static void load_rules(loader *ld, content *c, const xnode *root)
{
	const char *qid = xnode_attr(root, "questionnaire");
	if (!qid || strcmp(qid, c->questionnaire.id) != 0) {
		diag(DIAG_ERROR, ld->file, root->line, "rules are for questionnaire '%s', not '%s'",
		     qid ? qid : "", c->questionnaire.id);
		ld->failed = 1;
		return;
	}
	load_ruleset(ld, c, xnode_child(root, "causes"), &c->cause_rules, TARGET_CAUSE);
	load_ruleset(ld, c, xnode_child(root, "notice"), &c->notice_rules, TARGET_NOTICE);
	load_ruleset(ld, c, xnode_child(root, "exercises"), &c->exercise_rules, TARGET_EXERCISE);
	load_ruleset(ld, c, xnode_child(root, "notes"), &c->note_rules, TARGET_NOTE);
	for (size_t i = 0; i < c->nnotes; i++)
		check_template(ld, c, c->notes[i].text, 0, root->line);
}

static void load_words(loader *ld, content *c, const xnode *root)
{
	if (locale_read(&c->words, root, ld->file) != 0)
		ld->failed = 1;
}

/* Reads content/<lang>/reasons.xml into the loader. */
static void load_reasons(loader *ld)
{
	ld->reasons_file = path_join(ld->dir, "reasons.xml");
	char *schema = path_join(ld->base, "schema/content.xsd");
	xnode *root = xml_load(ld->reasons_file, schema);
	free(schema);
	if (!root || strcmp(root->name, "reasons") != 0) {
		if (root)
			diag(DIAG_ERROR, ld->reasons_file, root->line, "expected <reasons>, found <%s>", root->name);
		ld->failed = 1;
		xnode_free(root);
		return;
	}
	ld->reason_en = xcalloc(root->nkids + 1, sizeof *ld->reason_en);
	ld->reason_to = xcalloc(root->nkids + 1, sizeof *ld->reason_to);
	for (size_t i = 0; i < root->nkids; i++) {
		ld->reason_en[ld->nreasons] = text_normalize_space(xnode_attr(root->kids[i], "en"));
		ld->reason_to[ld->nreasons++] = xnode_text(root->kids[i]);
	}
	xnode_free(root);
}

typedef struct same_check {
	const char *file;
	int failed;
} same_check;

static void differs(same_check *sc, const char *what, const char *id, const char *how)
{
	diag(DIAG_ERROR, sc->file, 0, "%s %s: %s than in English", what, id ? id : "", how);
	sc->failed = 1;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The questionnaire of a translation asks the same: ids, types, ranges, choices. */
static void same_questionnaire(same_check *sc, const content *en, const content *t)
{
	const questionnaire *qa = &en->questionnaire, *qb = &t->questionnaire;
	if (qa->nquestions != qb->nquestions)
		differs(sc, "the questionnaire", "", "has another number of questions");
	for (size_t i = 0; !sc->failed && i < qa->nquestions; i++) {
		const question *a = &qa->questions[i], *b = &qb->questions[i];
		int same = same_str(a->id, b->id) && a->type == b->type && a->multiple == b->multiple &&
			   a->required == b->required && a->has_min == b->has_min && a->has_max == b->has_max &&
			   a->min == b->min && a->max == b->max && a->nchoices == b->nchoices && same_str(a->diagram, b->diagram);
		for (size_t k = 0; same && k < a->nchoices; k++)
			same = same_str(a->choices[k].value, b->choices[k].value);
		if (!same)
			differs(sc, "question", a->id, "has another id, type, range or choices");
	}
}

/* The content in one language: its files from dir, rules.xml, the schema and the drawings
 * from base. A translation (reasons) also reads dir/reasons.xml. */
static content *load(const char *base, const char *dir, const char *language, const content *en)
{
	static const struct {
		const char *file;
		const char *root;
		void (*load)(loader *, content *, const xnode *);
	} parts[] = {
		{"words.xml", "words", load_words},
		{"questionnaire.xml", "questionnaire", load_questionnaire},
		{"causes.xml", "causes", load_causes},
		{"exercises.xml", "exercises", load_exercises},
		{"notices.xml", "notices", load_notices},
		{"advice.xml", "advice", load_advice},
		{"rules.xml", "rules", load_rules}, /* last: rules refer to everything before them */
	};
	const size_t nparts = sizeof parts / sizeof parts[0];
	loader ld = {dir, base, NULL, 0, NULL, NULL, 0, NULL};
	if (en)
		load_reasons(&ld);
	content *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	c->language = xstrdup(language);
	for (size_t i = 0; i < nparts; i++) {
		xnode *root = load_file(&ld, parts[i].file);
		if (root && strcmp(root->name, parts[i].root) != 0) {
			diag(DIAG_ERROR, ld.file, root->line, "expected <%s>, found <%s>", parts[i].root, root->name);
			ld.failed = 1;
		} else if (root && (i + 1 < nparts || !ld.failed)) {
			/* Rules are checked only on sound ground. */
			parts[i].load(&ld, c, root);
		}
		xnode_free(root);
		if (en && parts[i].load == load_questionnaire) {
			/* A translation asks the same questions, or its rules would not read. */
			same_check sc = {ld.file, 0};
			same_questionnaire(&sc, en, c);
			ld.failed |= sc.failed;
		}
	}
	free(ld.file);
	for (size_t i = 0; i < ld.nreasons; i++)
		free(ld.reason_en[i]), free(ld.reason_to[i]);
	free(ld.reason_en);
	free(ld.reason_to);
	free(ld.reasons_file);
	if (ld.failed) {
		content_free(c);
		return NULL;
	}
	return c;
}

content *content_load(const char *dir)
{
	return load(dir, dir, "en", NULL);
}

/* ---- a translation is the English content in other words ---- */

/* Everything but words must be as in English: ids, order, types, ranges, choices, drawings,
 * the number of steps, actions and flags, so that selection and layout mean the same. */
static int same_structure(const content *en, const content *t)
{
	same_check sc = {t->dir, 0};
	/* The questionnaire was compared as it loaded (load), before the rules read it. */
	if (en->ncauses != t->ncauses)
		differs(&sc, "causes", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->ncauses; i++) {
		const cause *a = &en->causes[i], *b = &t->causes[i];
		if (!same_str(a->id, b->id) || !a->medication != !b->medication || a->medication_unless != b->medication_unless)
			differs(&sc, "cause", a->id, "has another id or medication");
	}
	if (en->nexercises != t->nexercises)
		differs(&sc, "exercises", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->nexercises; i++) {
		const exercise *a = &en->exercises[i], *b = &t->exercises[i];
		int same = same_str(a->id, b->id) && a->strengthening == b->strengthening && a->nsteps == b->nsteps &&
			   a->ncautions == b->ncautions && a->ndiagrams == b->ndiagrams && !a->dose_hold == !b->dose_hold;
		for (size_t k = 0; same && k < a->ndiagrams; k++)
			same = same_str(a->diagrams[k], b->diagrams[k]);
		if (!same)
			differs(&sc, "exercise", a->id, "has another id, steps, cautions, dose or drawings");
	}
	if (en->nnotices != t->nnotices)
		differs(&sc, "notices", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->nnotices; i++) {
		const notice *a = &en->notices[i], *b = &t->notices[i];
		if (!same_str(a->id, b->id) || a->nactions != b->nactions || a->nflags != b->nflags)
			differs(&sc, "notice", a->id, "has another id, actions or flags");
	}
	if (en->nnotes != t->nnotes || en->nstandard_items != t->nstandard_items)
		differs(&sc, "notes", "", "or standard advice items are another number");
	for (size_t i = 0; !sc.failed && i < en->nnotes; i++) {
		const note *a = &en->notes[i], *b = &t->notes[i];
		if (!same_str(a->id, b->id) || a->lists_causes != b->lists_causes || a->urgent != b->urgent)
			differs(&sc, "note", a->id, "has another id or kind");
	}
	return sc.failed ? -1 : 0;
}

content *content_load_language(const char *dir, const char *language, const content *en)
{
	char *sub = path_join(dir, language);
	content *t = load(dir, sub, language, en);
	free(sub);
	if (t && same_structure(en, t) != 0) {
		content_free(t);
		return NULL;
	}
	return t;
}

static void free_ruleset(ruleset *rs)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		free(rs->rules[i].select);
		free(rs->rules[i].reason);
		condition_free(rs->rules[i].when);
	}
	free(rs->rules);
}

void content_free(content *c)
{
	if (!c)
		return;
	questionnaire_clear(&c->questionnaire);
	locale_clear(&c->words);
	free(c->language);
	for (size_t i = 0; i < c->ncauses; i++) {
		cause *ca = &c->causes[i];
		free(ca->id), free(ca->title), free(ca->summary), free(ca->what);
		free(ca->why), free(ca->helps), free(ca->medication);
	}
	free(c->causes);
	for (size_t i = 0; i < c->nexercises; i++) {
		exercise *ex = &c->exercises[i];
		free(ex->id), free(ex->title), free(ex->summary), free(ex->purpose);
		free(ex->dose_reps), free(ex->dose_hold), free(ex->dose_often);
		free_texts(ex->steps, ex->nsteps);
		free_texts(ex->cautions, ex->ncautions);
		free_texts(ex->diagrams, ex->ndiagrams);
		free_texts(ex->captions, ex->ndiagrams);
	}
	free(c->exercises);
	for (size_t i = 0; i < c->nnotices; i++) {
		notice *no = &c->notices[i];
		free(no->id), free(no->title), free(no->text), free(no->summary);
		free_texts(no->actions, no->nactions);
		free_texts(no->actions_without, no->nactions);
		free_texts(no->flags, no->nflags);
	}
	free(c->notices);
	for (size_t i = 0; i < c->nnotes; i++)
		free(c->notes[i].id), free(c->notes[i].title), free(c->notes[i].text);
	free(c->notes);
	free_texts(c->standard_items, c->nstandard_items);
	free(c->standard_title);
	free(c->outlook), free(c->exercise_intro), free(c->about_source), free(c->about_review);
	free(c->common_causes_text);
	free(c->medication_frame);
	free(c->warning_signs_text);
	free_ruleset(&c->cause_rules);
	free_ruleset(&c->notice_rules);
	free_ruleset(&c->exercise_rules);
	free_ruleset(&c->note_rules);
	for (size_t i = 0; i < c->ndrawings; i++) {
		free(c->drawings[i].id);
		drawing_free(c->drawings[i].drawing);
	}
	free(c->drawings);
	free(c->dir);
	free(c);
}

/* The entry tables share a layout of "id first"; one finder walks any of them. */
#define FIND_BY_ID(items, n, id)                           \
	do {                                               \
		for (size_t i_ = 0; i_ < (n); i_++)        \
			if (strcmp((items)[i_].id, id) == 0) \
				return &(items)[i_];       \
		return NULL;                               \
	} while (0)

const cause *content_cause(const content *c, const char *id)
{
	FIND_BY_ID(c->causes, c->ncauses, id);
}

const exercise *content_exercise(const content *c, const char *id)
{
	FIND_BY_ID(c->exercises, c->nexercises, id);
}

const notice *content_notice(const content *c, const char *id)
{
	FIND_BY_ID(c->notices, c->nnotices, id);
}

const note *content_note(const content *c, const char *id)
{
	FIND_BY_ID(c->notes, c->nnotes, id);
}

const drawing *content_drawing_find(const content *c, const char *id)
{
	for (size_t i = 0; i < c->ndrawings; i++)
		if (strcmp(c->drawings[i].id, id) == 0)
			return c->drawings[i].drawing;
	return NULL;
}
