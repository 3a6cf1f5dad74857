/* check_content.c: the shipped content loads and matches the spec; broken content files are
 * reported as file:line. */
#include "content.h"
#include "diag.h"
#include "helpers.h"
#include "svg.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(shipped_content_loads)
{
	const content *c = shipped_content();
	ck_assert_ptr_nonnull(c);
	static const char *const causes[] = {"excessive-pressure", "muscle-tension", "lactic-acid",
	                                     "lumbar-strain", "disc-herniation"};
	ck_assert_uint_eq(c->ncauses, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(c->causes[i].id, causes[i]);
	static const char *const exercises[] = {"keep-warm", "warm-up-twist",      "post-exercise-stretch",
	                                        "swimming",  "five-point-support", "flying-swallow"};
	ck_assert_uint_eq(c->nexercises, 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_ptr_nonnull(content_exercise(c, exercises[i]));
		ck_assert_uint_ge(content_exercise(c, exercises[i])->steps.n, 3);
	}
	ck_assert_ptr_nonnull(content_notice(c, "urgent"));
	ck_assert_ptr_nonnull(content_notice(c, "today"));
	ck_assert_ptr_nonnull(content_notice(c, "prompt"));
	ck_assert_ptr_nonnull(content_notice(c, "standard"));
	/* The safety net: go now (seven signs, the cauda equina ones among them), today, book. */
	size_t always =
	    0; /* the signs every patient is told (others are for a cancer history, a pregnancy) */
	for (size_t i = 0; i < content_tier(c, "now")->items.n; i++)
		always += content_tier(c, "now")->items.v[i].when == NULL;
	ck_assert_uint_eq(always, 7);
	ck_assert_ptr_nonnull(content_tier(c, "today"));
	ck_assert_ptr_nonnull(content_tier(c, "book"));
	ck_assert_uint_eq(c->exercise_rules.max, 4);
	/* Medication only where the seed names it, framed as needing a doctor. */
	ck_assert_ptr_nonnull(content_cause(c, "lumbar-strain")->medication);
	ck_assert_ptr_nonnull(content_cause(c, "disc-herniation")->medication);
	ck_assert_ptr_null(content_cause(c, "excessive-pressure")->medication);
	ck_assert_ptr_nonnull(strstr(c->medication_frame, "doctor's or pharmacist's guidance"));
	/* No NSAID in pregnancy: both medicines are withheld when pregnant is yes. */
	int pregnant = questionnaire_find(&c->questionnaire, "pregnant");
	ck_assert_int_eq(content_cause(c, "lumbar-strain")->medication_unless, pregnant);
	ck_assert_int_eq(content_cause(c, "disc-herniation")->medication_unless, pregnant);
	/* English content names no oral steroid and nothing unlicensed in the UK and EU. */
	static const char *const banned[] = {"dexamethasone", "Yaotongning", "chlorzoxazone", "prednisolone"};
	for (size_t i = 0; i < c->ncauses; i++)
		for (size_t k = 0; c->causes[i].medication && k < sizeof banned / sizeof banned[0]; k++)
			ck_assert_msg(strcasestr(c->causes[i].medication, banned[k]) == NULL, "%s names %s",
			              c->causes[i].id, banned[k]);
}
END_TEST

START_TEST(questionnaire_matches_spec)
{
	const questionnaire *q = &shipped_content()->questionnaire;
	ck_assert_str_eq(q->id, "lbp-after-massage");
	ck_assert_str_eq(q->version, "1");
	ck_assert_uint_eq(q->nquestions, 23);
	const question *score = &q->questions[questionnaire_find(q, "pain-score")];
	ck_assert_int_eq(score->type, Q_INTEGER);
	ck_assert(score->required && score->min == 0 && score->max == 10);
	const question *loc = &q->questions[questionnaire_find(q, "pain-location")];
	ck_assert(loc->multiple);
	static const char *const where[] = {"center", "left", "right", "buttock", "thigh", "below-knee"};
	ck_assert_uint_eq(loc->nchoices, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(loc->choices[i].value, where[i]);
	static const char *const booleans[] = {
	    "hard-exercise",   "lifting-bending", "disc-diagnosis", "leg-pain", "leg-numbness",
	    "saddle-numbness", "bladder-bowel",   "leg-weakness",   "fever",    "trauma",
	    "cancer-history",  "weight-loss",     "night-pain",     "pregnant", "pool-access"};
	for (size_t i = 0; i < sizeof booleans / sizeof booleans[0]; i++) {
		int qi = questionnaire_find(q, booleans[i]);
		ck_assert_msg(qi >= 0, "missing %s", booleans[i]);
		ck_assert_int_eq(q->questions[qi].type, Q_BOOLEAN);
		ck_assert(!q->questions[qi].required);
	}
	ck_assert_int_eq(q->questions[questionnaire_find(q, "pain-days")].max, 3650);
	ck_assert_int_eq(q->questions[questionnaire_find(q, "massage-minutes")].max, 600);
	ck_assert_int_eq(q->questions[questionnaire_find(q, "sitting-hours")].max, 24);
}
END_TEST

/* Copies content/ to a temporary folder, replaces `from` by `to` in one file, loads it. */
static content *load_edited(const char *file, const char *from, const char *to)
{
	const char *dir = temp_dir();
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cp -r '%s/content' '%s/'", data_dir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	char *cdir = path_join(dir, "content");
	char *edited = path_join(cdir, file);
	size_t len;
	char *text = file_read_all(edited, &len);
	ck_assert_ptr_nonnull(text);
	char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "'%s' not in %s", from, file);
	FILE *f = fopen(edited, "w");
	fwrite(text, 1, (size_t)(at - text), f);
	fputs(to, f);
	fputs(at + strlen(from), f);
	fclose(f);
	free(text);
	capture_start();
	content *c = content_load(cdir);
	capture_stop();
	free(edited);
	free(cdir);
	return c;
}

/* The 1-based line of the first occurrence of needle in content/FILE. */
static int line_of(const char *file, const char *needle)
{
	char *cdir = path_join(data_dir(), "content");
	char *full = path_join(cdir, file);
	size_t len;
	char *text = file_read_all(full, &len);
	char *at = strstr(text, needle);
	ck_assert_ptr_nonnull(at);
	int line = 1;
	for (char *s = text; s < at; s++)
		line += *s == '\n';
	free(text), free(full), free(cdir);
	return line;
}

static void assert_reported(const char *file, int line, const char *message)
{
	char where[4096];
	format_into(where, sizeof where, "/content/%s:%d: ", file, line);
	ck_assert_msg(strstr(captured(), where) != NULL, "expected '%s' in:\n%s", where, captured());
	ck_assert_msg(strstr(captured(), message) != NULL, "expected '%s' in:\n%s", message, captured());
}

START_TEST(unknown_question_in_rules_reported_with_line)
{
	int line = line_of("rules.xml", "q=\"lifting-bending\"");
	content *c = load_edited("rules.xml", "q=\"lifting-bending\"", "q=\"lifting-bent\"");
	ck_assert_ptr_null(c);
	assert_reported("rules.xml", line, "unknown question 'lifting-bent'");
}
END_TEST

START_TEST(invalid_choice_in_rules_reported)
{
	int line = line_of("rules.xml", "values=\"strong painful\"");
	content *c = load_edited("rules.xml", "values=\"strong painful\"", "values=\"strong agonising\"");
	ck_assert_ptr_null(c);
	assert_reported("rules.xml", line, "question pressure has no choice 'agonising'");
}
END_TEST

START_TEST(unknown_selected_id_reported)
{
	int line = line_of("rules.xml", "<selected id=\"lactic-acid\"");
	content *c =
	    load_edited("rules.xml", "<selected id=\"lactic-acid\"", "<selected id=\"lactic-acids\"");
	ck_assert_ptr_null(c);
	assert_reported("rules.xml", line, "unknown cause or exercise 'lactic-acids'");
}
END_TEST

START_TEST(schema_violation_reported_with_line)
{
	int line = line_of("causes.xml", "<summary>your back muscles were tight");
	content *c = load_edited(
	    "causes.xml", "<summary>your back muscles were tight and did not fully relax</summary>", "");
	ck_assert_ptr_null(c);
	/* The element after the missing one is where the schema notices. */
	assert_reported("causes.xml", line + 1, "summary");
}
END_TEST

/* The policy holds as data: a statement that makes a claim without the condition that keeps
 * it from the patients the policy protects is refused at load, naming the file, the line,
 * the claim and answers of a patient who would have been told it. */
static const struct {
	const char *file, *from, *to, *claim, *who;
	const char *at; /* the statement reported, when not the one edited */
} broken_policy[] = {
    /* Reassurance beside serious signs: the outlook loses its condition. */
    {"advice.xml", "<outlook when=\"may-say-soon-better\" says=\"reassurance soon-better\">",
     "<outlook says=\"reassurance soon-better\">", "'reassurance'", "notice"},
    /* "Pain does not mean damage" beside a slipped disc. */
    {"advice.xml", "<outlook when=\"may-say-no-damage\" says=\"no-damage\">",
     "<outlook when=\"may-reassure\" says=\"no-damage\">", "'no-damage'", "disc-herniation selected"},
    /* "After a week" on a prompt handout: the book tier shown to every patient. */
    {"notices.xml", "<tier id=\"book\" when=\"standard\">", "<tier id=\"book\">", "'frame-week'",
     "notice urgent", "<item says=\"frame-week\">"},
    /* A cause's reassurance with no condition (the disc's outlook, to a patient with cancer). */
    {"causes.xml", "<what when=\"may-reassure\" says=\"reassurance\">Most disc pain",
     "<what says=\"reassurance\">Most disc pain", "'reassurance'", "disc-herniation selected"},
    /* "Stop if it runs down a leg" to a patient whose leg already hurts. */
    {"advice.xml", "<exercise-intro unless=\"leg-symptoms\" says=\"stop-if-leg-pain\">",
     "<exercise-intro says=\"stop-if-leg-pain\">", "'stop-if-leg-pain'", "below-knee"},
    /* "Pressed too hard" to a patient who said the pressure was light. */
    {"causes.xml", "<summary when=\"pressed-too-hard\" says=\"pressure-too-strong\">",
     "<summary says=\"pressure-too-strong\">", "'pressure-too-strong'", "pressure"},
    /* The same in the In short box's list by name. */
    {"causes.xml", "<name when=\"pressed-sore-back\" says=\"pressure-too-strong\">",
     "<name says=\"pressure-too-strong\">", "'pressure-too-strong'", "pressure"},
};

START_TEST(content_breaking_the_policy_is_refused)
{
	int line = line_of(broken_policy[_i].file,
	                   broken_policy[_i].at ? broken_policy[_i].at : broken_policy[_i].from);
	content *c = load_edited(broken_policy[_i].file, broken_policy[_i].from, broken_policy[_i].to);
	ck_assert_ptr_null(c);
	assert_reported(broken_policy[_i].file, line, broken_policy[_i].claim);
	assert_reported(broken_policy[_i].file, line, broken_policy[_i].who);
}
END_TEST

/* A notice that names two time frames ("within a few days" and "after a week") is refused. */
START_TEST(two_time_frames_in_a_notice_are_refused)
{
	const char *from = "<text says=\"frame-days\">Book an appointment in the next few days.</text>";
	int line = line_of("notices.xml", from);
	content *c = load_edited("notices.xml", from,
	                         "<text says=\"frame-days\">Book an appointment in the next few days.</text>"
	                         "<text when=\"standard\" says=\"frame-week\">See a doctor if it lasts "
	                         "longer than a week.</text>");
	ck_assert_ptr_null(c);
	assert_reported("notices.xml", line, "notice prompt names a second time frame");
}
END_TEST

/* A condition name no policy defines is refused where it is used. */
START_TEST(unknown_condition_name_is_refused)
{
	int line = line_of("advice.xml", "<outlook when=\"may-say-soon-better\"");
	content *c = load_edited("advice.xml", "<outlook when=\"may-say-soon-better\"",
	                         "<outlook when=\"may-say-soon-beter\"");
	ck_assert_ptr_null(c);
	assert_reported("advice.xml", line, "'may-say-soon-beter' is not a condition of policy.xml");
}
END_TEST

START_TEST(malformed_xml_reported_with_line)
{
	int line = line_of("exercises.xml", "<title>Swimming</title>");
	content *c = load_edited("exercises.xml", "<title>Swimming</title>", "<title>Swimming</titel>");
	ck_assert_ptr_null(c);
	assert_reported("exercises.xml", line, "mismatch");
}
END_TEST

START_TEST(unknown_placeholder_reported)
{
	content *c = load_edited("rules.xml", "felt {value}.", "felt {valu}.");
	ck_assert_ptr_null(c);
	ck_assert_ptr_nonnull(strstr(captured(), "unknown placeholder {valu}"));
}
END_TEST

START_TEST(check_command_exits_2_on_broken_content)
{
	int status;
	char *out = check_edited_copy("sed -i 's/q=\"fever\"/q=\"fevers\"/' content/rules.xml", &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "content/rules.xml:") && strstr(out, "unknown question 'fevers'"), "%s",
	              out);
	free(out);
}
END_TEST

/* ---- drawings: described in every language, no English words in a translation's,
 * panels numbered with the steps ---- */

static const char *const languages[] = {"en", "es", "zh-Hans"};

/* How many sentences end in s: at a full stop that ends it or has a space after it, or at
 * an ideographic full stop; one sentence ends once, at its end. */
static int sentence_ends(const char *s)
{
	int n = 0;
	size_t len = strlen(s);
	for (const char *p = s; *p; p++)
		n += *p == '.' && (p[1] == ' ' || p[1] == '\0');
	for (const char *p = s; (p = strstr(p, "。")) != NULL; p += strlen("。"))
		n++;
	int at_end = (len && s[len - 1] == '.') || (len >= 3 && strcmp(s + len - 3, "。") == 0);
	return at_end ? n : -n;
}

/* Every drawing the content shows says what it shows in one sentence of each language (the
 * alternative text a tagged PDF will carry), and a translation says it in its own words. */
START_TEST(every_drawing_is_described_in_every_language)
{
	const content *en = shipped_content();
	/* six exercises, the stretch for a pregnant patient, the body map, the pain scale */
	ck_assert_uint_eq(en->ndrawings, 9);
	for (size_t l = 0; l < sizeof languages / sizeof *languages; l++) {
		const content *c = shipped_content_in(languages[l]);
		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(c->ndrawings, en->ndrawings);
		for (size_t i = 0; i < c->ndrawings; i++) {
			const char *id = c->drawings[i].id, *d = c->drawings[i].description;
			ck_assert_msg(d && *d, "%s: drawing %s has no description", languages[l], id);
			ck_assert_ptr_eq(content_drawing_description(c, id), d);
			ck_assert_msg(sentence_ends(d) == 1, "%s: %s: not one sentence: '%s'", languages[l],
			              id, d);
			if (l > 0)
				ck_assert_msg(strcmp(d, content_drawing_description(en, id)) != 0,
				              "%s: drawing %s is described in English", languages[l], id);
		}
		for (size_t i = 0; i < c->nexercises; i++)
			for (size_t k = 0; k < c->exercises[i].ndiagrams; k++)
				ck_assert_ptr_nonnull(
				    content_drawing_description(c, c->exercises[i].diagrams[k].id));
		for (size_t i = 0; i < c->questionnaire.nquestions; i++)
			if (c->questionnaire.questions[i].diagram)
				ck_assert_ptr_nonnull(
				    content_drawing_description(c, c->questionnaire.questions[i].diagram));
	}
	ck_assert_ptr_null(content_drawing_description(en, "no-such-drawing"));
}
END_TEST

/* Whether s holds a letter of the Latin alphabet. */
static int has_latin_letter(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			return 1;
	return 0;
}

/* A Chinese patient's drawings carry no Latin letters, a Spanish patient's no English label:
 * each worded label is its language's. */
START_TEST(translated_drawings_carry_no_english_words)
{
	const content *en = shipped_content();
	for (size_t l = 1; l < sizeof languages / sizeof *languages; l++) {
		const content *c = shipped_content_in(languages[l]);
		for (size_t i = 0; i < c->ndrawings; i++) {
			const drawing *t = c->drawings[i].drawing,
			              *e = content_drawing_find(en, c->drawings[i].id);
			ck_assert_uint_eq(t->nitems, e->nitems);
			for (size_t k = 0; k < t->nitems; k++) {
				if (t->items[k].kind != DRAW_TEXT || !has_latin_letter(e->items[k].text))
					continue;
				ck_assert_msg(strcmp(t->items[k].text, e->items[k].text) != 0,
				              "%s: %s: '%s' is English", languages[l], c->drawings[i].id,
				              t->items[k].text);
				if (strcmp(languages[l], "zh-Hans") == 0)
					ck_assert_msg(!has_latin_letter(t->items[k].text), "%s: '%s'",
					              c->drawings[i].id, t->items[k].text);
			}
		}
	}
}
END_TEST

/* An exercise's drawing numbers its panels with the steps they show ("2–3"), never past the
 * steps a patient is given, and in order. Steps with when= replace one without (a seated
 * stretch in pregnancy), so they are not counted. */
START_TEST(panel_numbers_are_step_numbers)
{
	for (size_t l = 0; l < sizeof languages / sizeof *languages; l++) {
		const content *c = shipped_content_in(languages[l]);
		for (size_t i = 0; i < c->nexercises; i++) {
			const exercise *ex = &c->exercises[i];
			for (size_t g = 0; g < ex->ndiagrams; g++) {
				/* The steps shown with drawing g: those for everyone, and those for whom it
				 * is drawn ("pregnant|"), or for everyone else when it is for all ("|...").
				 */
				const char *who = ex->diagrams[g].when_names;
				long steps = 0;
				for (size_t k = 0; k < ex->steps.n; k++) {
					const char *names = ex->steps.v[k].when_names;
					steps += strcmp(names, "|") == 0 ||
					         (strcmp(who, "|") == 0 ? names[0] == '|'
					                                : strcmp(names, who) == 0);
				}
				const drawing *d = content_drawing_find(c, ex->diagrams[g].id);
				long last = 0;
				size_t panels = 0;
				for (size_t k = 0; k < d->nitems; k++) {
					const char *s = d->items[k].text;
					if (d->items[k].kind != DRAW_TEXT || !(*s >= '0' && *s <= '9'))
						continue;
					/* "N" or "N–M" (an en dash): the first and last step the panel shows.
					 */
					char *end;
					long first = strtol(s, &end, 10), to = first;
					if (strncmp(end, "–", strlen("–")) == 0)
						to = strtol(end + strlen("–"), &end, 10);
					ck_assert_msg(*end == '\0', "%s: %s: panel '%s' is not a step number",
					              languages[l], ex->diagrams[g].id, s);
					ck_assert_msg(first > last && to >= first && to <= steps,
					              "%s: %s: panel '%s' after %ld, of %ld steps",
					              languages[l], ex->diagrams[g].id, s, last, steps);
					last = to;
					panels++;
				}
				ck_assert_msg(panels >= 2,
				              "%s: %s has %zu numbered panels: a start and an end",
				              languages[l], ex->diagrams[g].id, panels);
			}
		}
	}
}
END_TEST

START_TEST(drawing_without_description_refused_with_line)
{
	int line = line_of("exercises.xml", "<diagram ref=\"swimming\"/>");
	content *c = load_edited("diagrams.xml", "<diagram id=\"swimming\">", "<diagram id=\"swimmer\">");
	ck_assert_ptr_null(c);
	assert_reported("exercises.xml", line, "diagram 'swimming' has no <diagram id=\"swimming\">");
}
END_TEST

START_TEST(description_of_no_drawing_refused_with_line)
{
	int line = line_of("diagrams.xml", "</diagrams>");
	content *c = load_edited(
	    "diagrams.xml", "</diagrams>",
	    "<diagram id=\"hamstring-stretch\"><description>A stretch.</description></diagram>\n</diagrams>");
	ck_assert_ptr_null(c);
	assert_reported("diagrams.xml", line,
	                "diagram 'hamstring-stretch' is described but no question or exercise shows it");
}
END_TEST

START_TEST(empty_description_refused_by_schema)
{
	content *c = load_edited("diagrams.xml", "<description>A row of eleven boxes",
	                         "<description> </description><x>");
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(captured(), "diagrams.xml:") && strstr(captured(), "description"), "%s",
	              captured());
}
END_TEST

/* handout check refuses a translation that leaves a drawing undescribed, or a drawing's word
 * in English, naming the translation's file and the drawing. */
START_TEST(check_refuses_undescribed_or_untranslated_drawings)
{
	static const struct {
		const char *edit, *file, *says;
	} cases[] = {
	    {"sed -i '/<diagram id=\"flying-swallow\">/,/<\\/diagram>/d' content/zh-Hans/diagrams.xml",
	     "content/zh-Hans/exercises.xml:",
	     "diagram 'flying-swallow' has no <diagram id=\"flying-swallow\">"},
	    {"sed -i '/<diagram id=\"body-map\">/,/<\\/diagram>/d' content/es/diagrams.xml",
	     "content/es/questionnaire.xml:", "diagram 'body-map' has no <diagram id=\"body-map\">"},
	    {"sed -i '/en=\"face down\"/d' content/zh-Hans/words.xml", "content/zh-Hans/exercises.xml:",
	     "diagram 'flying-swallow': its label 'face down' has no translation"},
	    {"sed -i 's/<diagram id=\"swimming\">/<diagram id=\"swim\">/' content/diagrams.xml",
	     "content/exercises.xml:", "diagram 'swimming' has no <diagram id=\"swimming\">"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int status;
		char *out = check_edited_copy(cases[i].edit, &status);
		ck_assert_msg(status == 2, "%s: exit %d: %s", cases[i].edit, status, out);
		ck_assert_msg(strstr(out, cases[i].file) && strstr(out, cases[i].says), "%s: %s",
		              cases[i].edit, out);
		free(out);
	}
}
END_TEST

Suite *content_suite(void)
{
	Suite *s = suite_create("content");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, shipped_content_loads);
	tcase_add_test(tc, questionnaire_matches_spec);
	tcase_add_test(tc, unknown_question_in_rules_reported_with_line);
	tcase_add_test(tc, invalid_choice_in_rules_reported);
	tcase_add_test(tc, unknown_selected_id_reported);
	tcase_add_test(tc, schema_violation_reported_with_line);
	tcase_add_loop_test(tc, content_breaking_the_policy_is_refused, 0,
	                    sizeof broken_policy / sizeof *broken_policy);
	tcase_add_test(tc, two_time_frames_in_a_notice_are_refused);
	tcase_add_test(tc, unknown_condition_name_is_refused);
	tcase_add_test(tc, malformed_xml_reported_with_line);
	tcase_add_test(tc, unknown_placeholder_reported);
	tcase_add_test(tc, check_command_exits_2_on_broken_content);
	tcase_add_test(tc, every_drawing_is_described_in_every_language);
	tcase_add_test(tc, translated_drawings_carry_no_english_words);
	tcase_add_test(tc, panel_numbers_are_step_numbers);
	tcase_add_test(tc, drawing_without_description_refused_with_line);
	tcase_add_test(tc, description_of_no_drawing_refused_with_line);
	tcase_add_test(tc, empty_description_refused_by_schema);
	tcase_add_test(tc, check_refuses_undescribed_or_untranslated_drawings);
	suite_add_tcase(s, tc);
	return s;
}
