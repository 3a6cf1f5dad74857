/* content.c: loads content/ into the content model and checks its cross-references. */
#include "content.h"
#include "condition.h"
#include "diag.h"
#include "svg.h"
#include "util.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* A drawing's description from diagrams.xml, and whether a drawing took it. */
typedef struct described {
	char *id;
	char *text;
	int line;
	int used;
} described;

/* One loading pass: where we are and whether anything failed. */
typedef struct loader {
	const char *dir;  /* the language's files */
	const char *base; /* content/: the schema, the drawings and rules.xml, shared by every language */
	char *file;       /* the file being converted, for diagnostics */
	int failed;
	/* A translation's reasons.xml: each English reason of rules.xml and its translation. */
	char **reason_en, **reason_to;
	size_t nreasons;
	char *reasons_file;
	int translation; /* not English: a drawing's every worded label must be translated */
	/* diagrams.xml: each drawing's description, read before the files that name drawings. */
	described *described;
	size_t ndescribed, described_cap;
	char *diagrams_file;
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

/* Adds to `to` the named conditions of names (space-separated) as REF leaves; 0 after
 * reporting an unknown name, else 1. */
static int add_refs(loader *ld, const content *c, const char *names, int line, condition *to)
{
	char *list = text_normalize_space(names);
	int ok = 1;
	for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const condition *named = content_condition(c, tok);
		if (!named) {
			diag(DIAG_ERROR, ld->file, line, "'%s' is not a condition of policy.xml", tok);
			ok = 0;
			continue;
		}
		condition *ref = condition_new(COND_REF, line);
		ref->target = xstrdup(tok);
		ref->ref = named;
		condition_add(to, ref);
	}
	free(list);
	return ok;
}

/* when="a b" unless="c d" of element n as one condition (a and b, and neither c nor d), or
 * NULL when n has neither. */
static condition *when_of(loader *ld, const content *c, const xnode *n)
{
	const char *when = xnode_attr(n, "when"), *unless = xnode_attr(n, "unless");
	if (!when && !unless)
		return NULL;
	condition *all = condition_new(COND_ALL, n->line);
	int ok = !when || add_refs(ld, c, when, n->line, all);
	if (unless) {
		condition *any = condition_new(COND_ANY, n->line);
		ok &= add_refs(ld, c, unless, n->line, any);
		condition *not = condition_new(COND_NOT, n->line);
		condition_add(not, any);
		condition_add(all, not );
	}
	if (!ok)
		ld->failed = 1;
	return all;
}

/* The claims of says="..." as bits of the policy's claims. */
static unsigned claims_of(loader *ld, const content *c, const xnode *n)
{
	const char *says = xnode_attr(n, "says");
	if (!says)
		return 0;
	unsigned bits = 0;
	char *list = text_normalize_space(says);
	for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t i = 0;
		while (i < c->nclaims && strcmp(c->claims[i].id, tok) != 0)
			i++;
		if (i == c->nclaims) {
			diag(DIAG_ERROR, ld->file, n->line, "'%s' is not a claim of policy.xml", tok);
			ld->failed = 1;
		} else {
			bits |= 1u << i;
		}
	}
	free(list);
	return bits;
}

/* when= and unless= of n as written ("when|unless"), to compare a translation's. */
static char *when_names_of(const xnode *n)
{
	strbuf names = {0};
	sb_printf(&names, "%s|%s", xnode_attr(n, "when") ? xnode_attr(n, "when") : "",
	          xnode_attr(n, "unless") ? xnode_attr(n, "unless") : "");
	char *out = text_normalize_space(names.data);
	sb_free(&names);
	return out;
}

/* One statement from element n: its text, when it is shown, what it claims. */
static statement statement_of(loader *ld, const content *c, const xnode *n)
{
	statement st = {0};
	st.text = xnode_text(n);
	const char *without = xnode_attr(n, "without");
	st.without = without ? text_normalize_space(without) : NULL;
	st.when = when_of(ld, c, n);
	st.when_names = when_names_of(n);
	st.claims = claims_of(ld, c, n);
	st.line = n->line;
	return st;
}

/* Every child of n (may be NULL) named name, as statements. */
static statements statements_of(loader *ld, const content *c, const xnode *n, const char *name)
{
	statements out = {0};
	size_t cap = 0;
	for (size_t i = 0; n && i < n->nkids; i++)
		if (strcmp(n->kids[i]->name, name) == 0) {
			statement st = statement_of(ld, c, n->kids[i]);
			ARRAY_PUSH(out.v, out.n, cap, st);
		}
	return out;
}

/* As statements_of, for a field the schema requires. */
static statements must_statements(loader *ld, const content *c, const xnode *n, const char *name)
{
	statements out = statements_of(ld, c, n, name);
	if (!out.n) {
		diag(DIAG_ERROR, ld->file, n->line, "<%s> lacks <%s>", n->name, name);
		ld->failed = 1;
	}
	return out;
}

static void statements_clear(statements *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].without);
		free(s->v[i].when_names);
		condition_free(s->v[i].when);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int shared_file(const char *name)
{
	return strcmp(name, "rules.xml") == 0 || strcmp(name, "policy.xml") == 0;
}

/* The text of n's child name, or "" when n or the child is absent. */
static char *optional_text(const xnode *n, const char *name)
{
	char *t = n ? xnode_child_text(n, name) : NULL;
	return t ? t : xstrdup("");
}

static xnode *load_file(loader *ld, const char *name)
{
	free(ld->file);
	ld->file = path_join(shared_file(name) ? ld->base : ld->dir, name);
	char *schema = path_join(ld->base, "schema/content.xsd");
	xnode *root = xml_load(ld->file, schema);
	free(schema);
	if (!root)
		ld->failed = 1;
	return root;
}

/* Whether a label says something in words: a letter of any script. Digits, signs and
 * punctuation ("1", "2–3", "+", "→") read the same in every language. */
static int has_words(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp < 0x80) {
			if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
				return 1;
			continue;
		}
		/* Latin-1's signs, × and ÷, General Punctuation to Miscellaneous Symbols and
		 * Arrows (dashes, arrows, shapes), CJK punctuation; any other character is a letter. */
		int sign = cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
		           (cp >= 0x3000 && cp <= 0x303F);
		if (!sign)
			return 1;
	}
	return 0;
}

/* Loads drawing id (once) for a reference on line `line` of the file being read: its labels
 * in the content's language, its description from diagrams.xml. */
static void need_drawing(loader *ld, content *c, const char *id, int line)
{
	if (content_drawing_find(c, id))
		return;
	strbuf sb = {0};
	sb_printf(&sb, "%s/diagrams/%s.svg", ld->base, id);
	drawing *d = svg_load(sb.data);
	if (!d) {
		diag(DIAG_ERROR, ld->file, line, "diagram '%s': %s is missing or broken (see above)", id,
		     sb.data);
		ld->failed = 1;
		sb_free(&sb);
		return;
	}
	/* The drawing's words in the content's language; a patient reading another language
	 * is never shown English words inside a picture. */
	for (size_t i = 0; i < d->nitems; i++) {
		if (d->items[i].kind != DRAW_TEXT)
			continue;
		const char *to = locale_label(&c->words, d->items[i].text);
		if (to != d->items[i].text) {
			char *copy = xstrdup(to);
			free(d->items[i].text);
			d->items[i].text = copy;
		} else if (ld->translation && has_words(to)) {
			diag(DIAG_ERROR, ld->file, line,
			     "diagram '%s': its label '%s' has no translation (<label en=\"%s\">) in "
			     "%s/words.xml",
			     id, to, to, ld->dir);
			ld->failed = 1;
		}
	}
	content_drawing cd = {xstrdup(id), d, NULL};
	for (size_t i = 0; i < ld->ndescribed && !cd.description; i++)
		if (strcmp(ld->described[i].id, id) == 0) {
			cd.description = xstrdup(ld->described[i].text);
			ld->described[i].used = 1;
		}
	/* Every drawing says what it shows in words, for a reader who cannot see it (when
	 * diagrams.xml itself failed, that was said). */
	if (!cd.description && ld->diagrams_file) {
		diag(DIAG_ERROR, ld->file, line,
		     "diagram '%s' has no <diagram id=\"%s\"> with its description in %s", id, id,
		     ld->diagrams_file);
		ld->failed = 1;
	}
	ARRAY_PUSH(c->drawings, c->ndrawings, c->drawings_cap, cd);
	sb_free(&sb);
}

/* diagrams.xml: each drawing's description, kept until the files that name drawings load
 * them. */
static void load_diagrams(loader *ld, content *c, const xnode *root)
{
	(void)c;
	free(ld->diagrams_file);
	ld->diagrams_file = xstrdup(ld->file);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		described dd = {xstrdup(xnode_attr(n, "id")), must_text(ld, n, "description"), n->line, 0};
		ARRAY_PUSH(ld->described, ld->ndescribed, ld->described_cap, dd);
	}
}

/* After every file: a description no drawing took names a drawing the content does not
 * use (a mistyped id, or a drawing since removed). */
static void check_diagrams_used(loader *ld)
{
	for (size_t i = 0; i < ld->ndescribed; i++)
		if (!ld->described[i].used) {
			diag(DIAG_ERROR, ld->diagrams_file, ld->described[i].line,
			     "diagram '%s' is described but no question or exercise shows it",
			     ld->described[i].id);
			ld->failed = 1;
		}
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
		if (xnode_attr(n, "staff"))
			qu->staff = text_normalize_space(xnode_attr(n, "staff"));
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
			for (char *save, *tok = strtok_r(list, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save)) {
				if (!question_find_choice(qu, tok)) {
					diag(DIAG_ERROR, ld->file, n->line,
					     "question %s: side '%s' is not one of its choices", qu->id, tok);
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
		if (strcmp(n->name, "medication-frame") == 0) {
			c->medication_frame = xnode_text(n);
			continue;
		}
		cause *ca = &c->causes[c->ncauses++];
		ca->id = xstrdup(xnode_attr(n, "id"));
		ca->title = must_text(ld, n, "title");
		ca->summary = must_statements(ld, c, n, "summary");
		ca->maybe = statements_of(ld, c, n, "maybe");
		ca->what = must_statements(ld, c, n, "what");
		ca->why = must_statements(ld, c, n, "why");
		ca->helps = must_statements(ld, c, n, "helps");
		ca->brief = statements_of(ld, c, n, "brief");
		ca->name = statements_of(ld, c, n, "name");
		ca->medication = xnode_child_text(n, "medication");
		ca->medication_unless = -1;
		const xnode *med = xnode_child(n, "medication");
		const char *unless = med ? xnode_attr(med, "unless") : NULL;
		if (unless) {
			ca->medication_unless = questionnaire_find(&c->questionnaire, unless);
			if (ca->medication_unless < 0 ||
			    c->questionnaire.questions[ca->medication_unless].type != Q_BOOLEAN) {
				diag(DIAG_ERROR, ld->file, med->line,
				     "medication: unless='%s' is not a yes/no question", unless);
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
		ex->purpose = must_statements(ld, c, n, "purpose");
		ex->steps = must_statements(ld, c, xnode_child(n, "steps"), "step");
		const xnode *dose = xnode_child(n, "dose");
		/* Each part of the dose is optional: a stretch is counted and held, a warm pad timed. */
		ex->dose_reps = optional_text(dose, "reps");
		ex->dose_length = optional_text(dose, "length");
		ex->dose_hold = optional_text(dose, "hold");
		ex->dose_often = dose ? must_text(ld, dose, "often") : xstrdup("");
		ex->cautions = statements_of(ld, c, n, "caution");
		size_t count = 0;
		for (size_t k = 0; k < n->nkids; k++)
			count += strcmp(n->kids[k]->name, "diagram") == 0;
		ex->diagrams = xcalloc(count ? count : 1, sizeof *ex->diagrams);
		for (size_t k = 0; k < n->nkids; k++) {
			const xnode *dn = n->kids[k];
			if (strcmp(dn->name, "diagram") != 0)
				continue;
			const char *caption = xnode_attr(dn, "caption");
			exercise_diagram *dg = &ex->diagrams[ex->ndiagrams];
			*dg = (exercise_diagram){xstrdup(xnode_attr(dn, "ref")),
			                         caption ? text_normalize_space(caption) : NULL,
			                         when_of(ld, c, dn), when_names_of(dn)};
			need_drawing(ld, c, dg->id, dn->line);
			ex->ndiagrams++;
		}
	}
}

/* Every {NAME} in a template must be {value} (when the condition has a question), a
 * question id, or one of the clinic's numbers a statement may name. */
static void check_template(loader *ld, const content *c, const char *tmpl, int has_value, int line)
{
	for (const char *s = tmpl; (s = strchr(s, '{')) != NULL; s++) {
		const char *close = strchr(s, '}');
		if (!close)
			break;
		char *name = xstrndup(s + 1, (size_t)(close - s - 1));
		int ok = (has_value && strcmp(name, "value") == 0) ||
		         questionnaire_find(&c->questionnaire, name) >= 0 ||
		         strcmp(name, "emergency-number") == 0 || strcmp(name, "advice-line") == 0;
		if (!ok) {
			diag(DIAG_ERROR, ld->file, line, "unknown placeholder {%s}", name);
			ld->failed = 1;
		}
		free(name);
	}
}

static void load_tiers(loader *ld, content *c, const xnode *net)
{
	c->tiers = xcalloc(net->nkids, sizeof *c->tiers);
	for (size_t i = 0; i < net->nkids; i++) {
		const xnode *n = net->kids[i];
		if (strcmp(n->name, "tier") != 0)
			continue;
		tier *t = &c->tiers[c->ntiers++];
		t->id = xstrdup(xnode_attr(n, "id"));
		t->when = when_of(ld, c, n);
		t->title = must_statements(ld, c, n, "title");
		t->items = statements_of(ld, c, n, "item");
	}
}

static void load_notices(loader *ld, content *c, const xnode *root)
{
	c->notices = xcalloc(root->nkids, sizeof *c->notices);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		if (strcmp(n->name, "safety-net") == 0) {
			load_tiers(ld, c, n);
			continue;
		}
		notice *no = &c->notices[c->nnotices++];
		no->id = xstrdup(xnode_attr(n, "id"));
		no->title = must_text(ld, n, "title");
		no->text = must_statements(ld, c, n, "text");
		no->actions = must_statements(ld, c, xnode_child(n, "actions"), "action");
		no->summary = must_statements(ld, c, n, "summary");
	}
	static const char *const required[] = {"urgent", "today", "prompt", "standard"};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!content_notice(c, required[i])) {
			diag(DIAG_ERROR, ld->file, root->line, "the %s notice is missing", required[i]);
			ld->failed = 1;
		}
	if (!content_tier(c, "now")) {
		diag(DIAG_ERROR, ld->file, root->line, "the safety net has no tier 'now'");
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
			c->standard_items = must_statements(ld, c, n, "item");
			continue;
		}
		if (strcmp(n->name, "outlook") == 0 || strcmp(n->name, "exercise-intro") == 0) {
			statement st = statement_of(ld, c, n);
			statements *to = n->name[0] == 'o' ? &c->outlook : &c->exercise_intro;
			to->v = xrealloc(to->v, (to->n + 1) * sizeof *to->v);
			to->v[to->n++] = st;
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
		no->text = must_statements(ld, c, n, "text");
		for (size_t k = 0; k < no->text.n; k++)
			check_template(ld, c, no->text.v[k].text, 0, no->text.v[k].line);
		no->lists_causes = xnode_attr(n, "lists") && strcmp(xnode_attr(n, "lists"), "causes") == 0;
		no->place = xnode_attr(n, "place") ? xstrdup(xnode_attr(n, "place")) : NULL;
		if (no->place && !content_notice(c, no->place)) {
			diag(DIAG_ERROR, ld->file, n->line, "note %s: place '%s' is not a notice", no->id,
			     no->place);
			ld->failed = 1;
		}
	}
}

typedef struct resolve_check {
	loader *ld;
	const content *c;
	size_t limit; /* names defined before this one of policy.xml may be named */
} resolve_check;

static void resolve_ref(void *ctx, condition *leaf)
{
	resolve_check *rc = ctx;
	if (leaf->kind != COND_REF || leaf->ref)
		return;
	for (size_t i = 0; i < rc->limit; i++)
		if (strcmp(rc->c->conditions[i].name, leaf->target) == 0) {
			leaf->ref = rc->c->conditions[i].cond;
			return;
		}
	diag(DIAG_ERROR, rc->ld->file, leaf->line, "'%s' is not a condition of policy.xml defined before it",
	     leaf->target);
	rc->ld->failed = 1;
}

/* Whether root's questionnaire= names the questionnaire loaded (none when questionnaire.xml
 * failed), else says so as "<what> for questionnaire ...". */
static int for_the_questionnaire(loader *ld, const content *c, const xnode *root, const char *what)
{
	const char *qid = xnode_attr(root, "questionnaire"), *have = c->questionnaire.id;
	if (qid && have && strcmp(qid, have) == 0)
		return 1;
	diag(DIAG_ERROR, ld->file, root->line, "%s for questionnaire '%s', not '%s'", what, qid ? qid : "",
	     have ? have : "");
	ld->failed = 1;
	return 0;
}

/* content/policy.xml: the named conditions statements use, and the claims they may make. */
static void load_policy(loader *ld, content *c, const xnode *root)
{
	if (!for_the_questionnaire(ld, c, root, "the policy is"))
		return;
	c->conditions = xcalloc(root->nkids, sizeof *c->conditions);
	c->claims = xcalloc(root->nkids, sizeof *c->claims);
	for (size_t i = 0; i < root->nkids; i++) {
		const xnode *n = root->kids[i];
		int is_claim = strcmp(n->name, "claim") == 0;
		const xnode *body = is_claim ? xnode_child(n, "never") : n;
		condition *cond =
		    body && body->nkids ? condition_parse_all(body, &c->questionnaire, ld->file) : NULL;
		if (body && body->nkids && !cond) {
			ld->failed = 1;
			continue;
		}
		if (is_claim) {
			if (c->nclaims == sizeof(unsigned) * 8) {
				diag(DIAG_ERROR, ld->file, n->line, "more claims than handout can hold (%zu)",
				     c->nclaims);
				ld->failed = 1;
				condition_free(cond);
				continue;
			}
			const char *frame = xnode_attr(n, "frame");
			c->claims[c->nclaims++] = (claim){xstrdup(xnode_attr(n, "id")), cond,
			                                  frame && strcmp(frame, "yes") == 0, n->line};
		} else {
			c->conditions[c->nconditions++] =
			    (named_condition){xstrdup(xnode_attr(n, "name")), cond};
		}
	}
	/* A name refers only to a name defined before it: no circle. */
	for (size_t i = 0; i < c->nconditions; i++) {
		resolve_check rc = {ld, c, i};
		condition_each_target(c->conditions[i].cond, resolve_ref, &rc);
	}
	for (size_t i = 0; i < c->nclaims; i++) {
		resolve_check rc = {ld, c, c->nconditions};
		if (c->claims[i].never)
			condition_each_target(c->claims[i].never, resolve_ref, &rc);
	}
}

typedef struct target_check {
	loader *ld;
	const content *c;
} target_check;

static void check_target(void *ctx, condition *leaf)
{
	target_check *tc = ctx;
	if (leaf->kind == COND_REF) {
		resolve_check rc = {tc->ld, tc->c, tc->c->nconditions};
		resolve_ref(&rc, leaf);
		return;
	}
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
			diag(DIAG_ERROR, ld->file, rn->line, "rule selects unknown %s '%s'", kind_names[kind],
			     sel);
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
	if (!for_the_questionnaire(ld, c, root, "rules are"))
		return;
	load_ruleset(ld, c, xnode_child(root, "causes"), &c->cause_rules, TARGET_CAUSE);
	load_ruleset(ld, c, xnode_child(root, "notice"), &c->notice_rules, TARGET_NOTICE);
	load_ruleset(ld, c, xnode_child(root, "exercises"), &c->exercise_rules, TARGET_EXERCISE);
	load_ruleset(ld, c, xnode_child(root, "notes"), &c->note_rules, TARGET_NOTE);
	load_ruleset(ld, c, xnode_child(root, "ruled-out"), &c->ruled_out, TARGET_CAUSE);
	/* What the policy's conditions select must exist too (they were read before the causes). */
	char *rules_file = ld->file;
	ld->file = path_join(ld->base, "policy.xml");
	target_check tc = {ld, c};
	for (size_t i = 0; i < c->nconditions; i++)
		condition_each_target(c->conditions[i].cond, check_target, &tc);
	for (size_t i = 0; i < c->nclaims; i++)
		if (c->claims[i].never)
			condition_each_target(c->claims[i].never, check_target, &tc);
	free(ld->file);
	ld->file = rules_file;
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
			diag(DIAG_ERROR, ld->reasons_file, root->line, "expected <reasons>, found <%s>",
			     root->name);
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
		           a->required == b->required && a->has_min == b->has_min &&
		           a->has_max == b->has_max && a->min == b->min && a->max == b->max &&
		           a->nchoices == b->nchoices && same_str(a->diagram, b->diagram);
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
	    {"diagrams.xml", "diagrams", load_diagrams}, /* before the files that name drawings */
	    {"questionnaire.xml", "questionnaire", load_questionnaire},
	    {"policy.xml", "policy", load_policy}, /* before the statements that name its conditions */
	    {"causes.xml", "causes", load_causes},
	    {"exercises.xml", "exercises", load_exercises},
	    {"notices.xml", "notices", load_notices},
	    {"advice.xml", "advice", load_advice},
	    {"rules.xml", "rules", load_rules}, /* last: rules refer to everything before them */
	};
	const size_t nparts = sizeof parts / sizeof parts[0];
	loader ld = {0};
	ld.dir = dir;
	ld.base = base;
	ld.translation = en != NULL;
	if (en)
		load_reasons(&ld);
	content *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	c->language = xstrdup(language);
	for (size_t i = 0; i < nparts; i++) {
		xnode *root = load_file(&ld, parts[i].file);
		if (root && strcmp(root->name, parts[i].root) != 0) {
			diag(DIAG_ERROR, ld.file, root->line, "expected <%s>, found <%s>", parts[i].root,
			     root->name);
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
	if (!ld.failed)
		check_diagrams_used(&ld);
	free(ld.file);
	for (size_t i = 0; i < ld.ndescribed; i++)
		free(ld.described[i].id), free(ld.described[i].text);
	free(ld.described);
	free(ld.diagrams_file);
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
	content *c = load(dir, dir, "en", NULL);
	/* A translation's statements carry the same conditions and claims (same_structure), so
	 * the proof made on English holds for every language. */
	if (c && content_check_claims(c) != 0) {
		content_free(c);
		return NULL;
	}
	return c;
}

/* ---- a translation is the English content in other words ---- */

/* Two fields say their statements under the same conditions with the same claims. */
static int same_statements(const statements *a, const statements *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].when_names, b->v[i].when_names) != 0 || a->v[i].claims != b->v[i].claims ||
		    !a->v[i].without != !b->v[i].without)
			return 0;
	return 1;
}

/* Everything but words must be as in English: ids, order, types, ranges, choices, drawings,
 * each field's statements with their conditions and claims, so that selection, layout and
 * the policy's proof mean the same. */
static int same_structure(const content *en, const content *t)
{
	same_check sc = {t->dir, 0};
	/* The questionnaire was compared as it loaded (load), before the rules read it. */
	if (en->ncauses != t->ncauses)
		differs(&sc, "causes", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->ncauses; i++) {
		const cause *a = &en->causes[i], *b = &t->causes[i];
		if (!same_str(a->id, b->id) || !a->medication != !b->medication ||
		    a->medication_unless != b->medication_unless || !same_statements(&a->brief, &b->brief) ||
		    !same_statements(&a->name, &b->name) || !same_statements(&a->summary, &b->summary) ||
		    !same_statements(&a->maybe, &b->maybe) || !same_statements(&a->what, &b->what) ||
		    !same_statements(&a->why, &b->why) || !same_statements(&a->helps, &b->helps))
			differs(&sc, "cause", a->id,
			        "has another id, medication, or statements or their conditions");
	}
	if (en->nexercises != t->nexercises)
		differs(&sc, "exercises", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->nexercises; i++) {
		const exercise *a = &en->exercises[i], *b = &t->exercises[i];
		int same = same_str(a->id, b->id) && a->strengthening == b->strengthening &&
		           same_statements(&a->purpose, &b->purpose) &&
		           same_statements(&a->steps, &b->steps) &&
		           same_statements(&a->cautions, &b->cautions) && a->ndiagrams == b->ndiagrams &&
		           !*a->dose_reps == !*b->dose_reps && !*a->dose_length == !*b->dose_length &&
		           !*a->dose_hold == !*b->dose_hold;
		for (size_t k = 0; same && k < a->ndiagrams; k++)
			same = same_str(a->diagrams[k].id, b->diagrams[k].id) &&
			       same_str(a->diagrams[k].when_names, b->diagrams[k].when_names);
		if (!same)
			differs(&sc, "exercise", a->id, "has another id, steps, cautions, dose or drawings");
	}
	if (en->nnotices != t->nnotices)
		differs(&sc, "notices", "", "are another number");
	for (size_t i = 0; !sc.failed && i < en->nnotices; i++) {
		const notice *a = &en->notices[i], *b = &t->notices[i];
		if (!same_str(a->id, b->id) || !same_statements(&a->text, &b->text) ||
		    !same_statements(&a->actions, &b->actions) || !same_statements(&a->summary, &b->summary))
			differs(&sc, "notice", a->id, "has another id, or other statements or conditions");
	}
	if (en->ntiers != t->ntiers)
		differs(&sc, "safety net", "", "has another number of tiers");
	for (size_t i = 0; !sc.failed && i < en->ntiers; i++) {
		const tier *a = &en->tiers[i], *b = &t->tiers[i];
		if (!same_str(a->id, b->id) || !a->when != !b->when ||
		    !same_statements(&a->title, &b->title) || !same_statements(&a->items, &b->items))
			differs(&sc, "tier", a->id, "has another id, or other statements or conditions");
	}
	if (en->nnotes != t->nnotes || !same_statements(&en->standard_items, &t->standard_items) ||
	    !same_statements(&en->outlook, &t->outlook) ||
	    !same_statements(&en->exercise_intro, &t->exercise_intro))
		differs(&sc, "notes", "", "or the standard advice, outlook or exercise intro differ");
	for (size_t i = 0; !sc.failed && i < en->nnotes; i++) {
		const note *a = &en->notes[i], *b = &t->notes[i];
		if (!same_str(a->id, b->id) || a->lists_causes != b->lists_causes ||
		    !same_str(a->place, b->place) || !same_statements(&a->text, &b->text))
			differs(&sc, "note", a->id, "has another id, kind, or statements or conditions");
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
		free(ca->id), free(ca->title), free(ca->medication);
		statements_clear(&ca->summary), statements_clear(&ca->maybe), statements_clear(&ca->what),
		    statements_clear(&ca->why), statements_clear(&ca->helps), statements_clear(&ca->brief);
		statements_clear(&ca->name);
	}
	free(c->causes);
	for (size_t i = 0; i < c->nexercises; i++) {
		exercise *ex = &c->exercises[i];
		free(ex->id), free(ex->title), free(ex->summary);
		free(ex->dose_reps), free(ex->dose_length), free(ex->dose_hold), free(ex->dose_often);
		statements_clear(&ex->purpose), statements_clear(&ex->steps), statements_clear(&ex->cautions);
		for (size_t k = 0; k < ex->ndiagrams; k++) {
			exercise_diagram *dg = &ex->diagrams[k];
			free(dg->id), free(dg->caption), free(dg->when_names);
			condition_free(dg->when);
		}
		free(ex->diagrams);
	}
	free(c->exercises);
	for (size_t i = 0; i < c->nnotices; i++) {
		notice *no = &c->notices[i];
		free(no->id), free(no->title);
		statements_clear(&no->text), statements_clear(&no->actions), statements_clear(&no->summary);
	}
	free(c->notices);
	for (size_t i = 0; i < c->ntiers; i++) {
		tier *t = &c->tiers[i];
		free(t->id);
		condition_free(t->when);
		statements_clear(&t->title), statements_clear(&t->items);
	}
	free(c->tiers);
	for (size_t i = 0; i < c->nnotes; i++) {
		free(c->notes[i].id), free(c->notes[i].title), free(c->notes[i].place);
		statements_clear(&c->notes[i].text);
	}
	free(c->notes);
	statements_clear(&c->standard_items);
	free(c->standard_title);
	statements_clear(&c->outlook), statements_clear(&c->exercise_intro);
	free(c->about_source), free(c->about_review);
	free(c->medication_frame);
	free_ruleset(&c->cause_rules);
	free_ruleset(&c->notice_rules);
	free_ruleset(&c->exercise_rules);
	free_ruleset(&c->note_rules);
	free_ruleset(&c->ruled_out);
	for (size_t i = 0; i < c->nconditions; i++)
		free(c->conditions[i].name), condition_free(c->conditions[i].cond);
	free(c->conditions);
	for (size_t i = 0; i < c->nclaims; i++)
		free(c->claims[i].id), condition_free(c->claims[i].never);
	free(c->claims);
	for (size_t i = 0; i < c->ndrawings; i++) {
		free(c->drawings[i].id);
		free(c->drawings[i].description);
		drawing_free(c->drawings[i].drawing);
	}
	free(c->drawings);
	free(c->dir);
	free(c);
}

/* The entry tables share a layout of "id first"; one finder walks any of them. */
#define FIND_BY_ID(items, n, id)                                                                             \
	do {                                                                                                 \
		for (size_t i_ = 0; i_ < (n); i_++)                                                          \
			if (strcmp((items)[i_].id, id) == 0)                                                 \
				return &(items)[i_];                                                         \
		return NULL;                                                                                 \
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

const tier *content_tier(const content *c, const char *id)
{
	FIND_BY_ID(c->tiers, c->ntiers, id);
}

const condition *content_condition(const content *c, const char *name)
{
	for (size_t i = 0; i < c->nconditions; i++)
		if (strcmp(c->conditions[i].name, name) == 0)
			return c->conditions[i].cond;
	return NULL;
}

const drawing *content_drawing_find(const content *c, const char *id)
{
	for (size_t i = 0; i < c->ndrawings; i++)
		if (strcmp(c->drawings[i].id, id) == 0)
			return c->drawings[i].drawing;
	return NULL;
}

const char *content_drawing_description(const content *c, const char *id)
{
	for (size_t i = 0; i < c->ndrawings; i++)
		if (strcmp(c->drawings[i].id, id) == 0)
			return c->drawings[i].description;
	return NULL;
}
