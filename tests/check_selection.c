/* check_selection.c: the spec's example table, unanswered versus "no", reasons and the
 * explain line. */
#include "condition.h"
#include "content.h"
#include "helpers.h"
#include "read_native.h"
#include "selection.h"
#include "util.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds a patient from "q=v q=v ..." answers. */
static patient *patient_with(const char *answers)
{
	strbuf xml = {0};
	sb_append(&xml, "<patient id=\"T\"><answers>");
	char *copy = xstrdup(answers);
	for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		ck_assert_ptr_nonnull(eq);
		*eq = '\0';
		sb_printf(&xml, "<answer q=\"%s\">%s</answer>", tok, eq + 1);
	}
	free(copy);
	sb_append(&xml, "</answers></patient>");
	patient *p = patient_from_string(xml.data);
	sb_free(&xml);
	ck_assert_msg(p->error == NULL, "%s", p->error ? p->error : "");
	return p;
}

static char *ids(const selected *v, size_t n)
{
	strbuf sb = {0};
	sb_append(&sb, "");
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", v[i].id);
	return sb_take(&sb);
}

typedef struct example {
	const char *answers, *causes, *notice, *exercises;
} example;

/* shared/spec/questionnaire.md, "Examples". */
static const example examples[] = {
    {"pain-score=4 pressure=strong work-type=desk pool-access=yes", "excessive-pressure,muscle-tension",
     "standard", "keep-warm,warm-up-twist,swimming,five-point-support"},
    {"pain-score=5 hard-exercise=yes", "lactic-acid", "standard",
     "keep-warm,post-exercise-stretch,five-point-support,flying-swallow"},
    {"pain-score=3 leg-numbness=yes", "disc-herniation", "prompt", "keep-warm,five-point-support"},
    {"pain-score=6 bladder-bowel=yes pressure=painful", "excessive-pressure", "urgent", ""},
    {"pain-score=8 lifting-bending=yes", "lumbar-strain", "prompt", "keep-warm"},
    {"pain-score=2", "", "standard", "keep-warm,five-point-support,flying-swallow"},
    {"pain-score=3 night-pain=yes work-type=desk", "muscle-tension", "prompt", "keep-warm,warm-up-twist"},
    {"pain-score=5 cancer-history=yes weight-loss=yes", "", "today", "keep-warm"},
    {"pain-score=4 pain-location=below-knee disc-diagnosis=no", "disc-herniation", "prompt",
     "keep-warm,five-point-support"},
};

START_TEST(spec_example_row)
{
	const example *ex = &examples[_i];
	patient *p = patient_with(ex->answers);
	selection *s = selection_make(shipped_content(), p);
	char *causes = ids(s->causes, s->ncauses), *exercises = ids(s->exercises, s->nexercises);
	ck_assert_str_eq(causes, ex->causes);
	ck_assert_str_eq(s->notice.id, ex->notice);
	ck_assert_str_eq(exercises, ex->exercises);
	free(causes), free(exercises);
	selection_free(s);
	patient_free(p);
}
END_TEST

static selection *select_for(const char *answers, patient **out)
{
	*out = patient_with(answers);
	return selection_make(shipped_content(), *out);
}

static int has(const selected *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return 1;
	return 0;
}

START_TEST(unanswered_is_not_no)
{
	patient *p;
	/* "unless pregnant": unanswered and "no" both allow the exercise; "yes" does not. */
	selection *s = select_for("pain-score=2", &p);
	ck_assert(has(s->exercises, s->nexercises, "five-point-support"));
	selection_free(s), patient_free(p);
	s = select_for("pain-score=2 pregnant=no", &p);
	ck_assert(has(s->exercises, s->nexercises, "five-point-support"));
	selection_free(s), patient_free(p);
	s = select_for("pain-score=2 pregnant=yes", &p);
	ck_assert(!has(s->exercises, s->nexercises, "five-point-support"));
	ck_assert(!has(s->exercises, s->nexercises, "flying-swallow"));
	ck_assert(has(s->notes, s->nnotes, "pregnancy"));
	selection_free(s), patient_free(p);
	/* An unanswered massage length is not a short massage. */
	s = select_for("pain-score=2", &p);
	ck_assert(!has(s->causes, s->ncauses, "muscle-tension"));
	selection_free(s), patient_free(p);
	s = select_for("pain-score=2 massage-minutes=0", &p);
	ck_assert(has(s->causes, s->ncauses, "muscle-tension"));
	selection_free(s), patient_free(p);
	/* Swimming needs pool-access yes; unanswered is not yes. */
	s = select_for("pain-score=2", &p);
	ck_assert(!has(s->exercises, s->nexercises, "swimming"));
	selection_free(s), patient_free(p);
}
END_TEST

START_TEST(unanswered_condition_is_false_either_way)
{
	/* equals "no" on an unanswered question is false, and so is equals "yes". */
	const char *path = write_temp(
	    "cond.xml", "<any><equals q=\"fever\" value=\"no\"/><equals q=\"fever\" value=\"yes\"/>"
	                "<at-most q=\"pain-days\" value=\"3650\"/></any>");
	xnode *n = xml_load(path, NULL);
	condition *c = condition_parse(n, &shipped_content()->questionnaire, path);
	ck_assert_ptr_nonnull(c);
	patient *p = patient_with("pain-score=1");
	cond_state st = {0};
	ck_assert_int_eq(condition_eval(c, p, &st), 0);
	patient_free(p);
	p = patient_with("pain-score=1 fever=no");
	ck_assert_int_eq(condition_eval(c, p, &st), 1);
	patient_free(p);
	condition_free(c);
	xnode_free(n);
}
END_TEST

START_TEST(flying_swallow_needs_clinician_with_disc_and_leg_symptoms)
{
	patient *p;
	selection *s = select_for("pain-score=4 disc-diagnosis=yes leg-pain=yes", &p);
	ck_assert(has(s->causes, s->ncauses, "disc-herniation"));
	ck_assert(!has(s->exercises, s->nexercises, "flying-swallow"));
	ck_assert(has(s->notes, s->nnotes, "ask-before-flying-swallow"));
	selection_free(s), patient_free(p);
	/* Disc diagnosis without leg symptoms: allowed. */
	s = select_for("pain-score=4 disc-diagnosis=yes", &p);
	ck_assert(has(s->exercises, s->nexercises, "flying-swallow"));
	ck_assert(!has(s->notes, s->nnotes, "ask-before-flying-swallow"));
	selection_free(s), patient_free(p);
}
END_TEST

START_TEST(urgent_wins_and_gives_no_exercises)
{
	static const char *const flags[] = {"saddle-numbness", "bladder-bowel", "leg-weakness", "fever",
	                                    "trauma"};
	for (size_t i = 0; i < 5; i++) {
		char answers[128];
		format_into(answers, sizeof answers, "pain-score=9 leg-pain=yes %s=yes", flags[i]);
		patient *p;
		selection *s = select_for(answers, &p);
		ck_assert_str_eq(s->notice.id, "urgent");
		ck_assert_uint_eq(s->nexercises, 0);
		/* The reason fits the flag: nerves, infection or injury. */
		const char *why = i < 3 ? "urgent-nerves" : i == 3 ? "urgent-infection" : "urgent-injury";
		ck_assert_msg(has(s->notes, s->nnotes, why), "%s does not give %s", flags[i], why);
		ck_assert_uint_eq(s->nnotes, 1);
		ck_assert(!has(s->notes, s->nnotes, "rest-first"));
		selection_free(s), patient_free(p);
	}
}
END_TEST

START_TEST(at_most_four_items)
{
	patient *p;
	selection *s = select_for("pain-score=3 work-type=desk hard-exercise=yes pool-access=yes", &p);
	ck_assert_uint_eq(s->nexercises, 4);
	char *got = ids(s->exercises, s->nexercises);
	ck_assert_str_eq(got, "keep-warm,warm-up-twist,post-exercise-stretch,swimming");
	free(got);
	selection_free(s), patient_free(p);
}
END_TEST

START_TEST(reasons_fill_in_answers)
{
	patient *p;
	selection *s =
	    select_for("pain-score=4 pressure=strong sitting-hours=8 pain-location=below-knee", &p);
	ck_assert_str_eq(s->causes[0].id, "excessive-pressure");
	ck_assert_str_eq(s->causes[0].reason, "You told us the pressure felt strong.");
	ck_assert_str_eq(s->causes[1].id, "muscle-tension");
	ck_assert_str_eq(s->causes[1].reason,
	                 "You told us you sit or stand in one position for 8 hours a day.");
	ck_assert_str_eq(s->causes[2].reason, "You told us it hurts below the knee.");
	ck_assert_str_eq(s->notice.reason, "Your answers point to a slipped disc.");
	selection_free(s), patient_free(p);
}
END_TEST

START_TEST(explain_line_has_spec_shape)
{
	patient *p;
	selection *s = select_for("pain-score=4 pressure=strong work-type=desk pool-access=yes", &p);
	strbuf out = {0};
	selection_to_json(s, p, &out);
	const char *want_prefix =
	    "{\"patient\":\"T\",\"causes\":[\"excessive-pressure\",\"muscle-tension\"],\"notice\":"
	    "\"standard\","
	    "\"exercises\":[\"keep-warm\",\"warm-up-twist\",\"swimming\",\"five-point-support\"],"
	    "\"reasons\":{\"excessive-pressure\":\"You told us the pressure felt strong.\",";
	ck_assert_msg(strncmp(out.data, want_prefix, strlen(want_prefix)) == 0, "%s", out.data);
	sb_free(&out);
	selection_free(s), patient_free(p);
}
END_TEST

START_TEST(explain_command_agrees_with_table)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "'%1$s/handout' explain '%1$s/examples/patients.xml'", data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	static const char *const lines[] = {
	    "{\"patient\":\"P-0001\",\"causes\":[\"excessive-pressure\",\"muscle-tension\"],\"notice\":"
	    "\"standard\","
	    "\"exercises\":[\"keep-warm\",\"warm-up-twist\",\"swimming\",\"five-point-support\"]",
	    "{\"patient\":\"P-0002\",\"causes\":[\"lactic-acid\"],\"notice\":\"standard\",\"exercises\":["
	    "\"keep-warm\","
	    "\"post-exercise-stretch\",\"five-point-support\",\"flying-swallow\"]",
	    "{\"patient\":\"P-0003\",\"causes\":[\"disc-herniation\"],\"notice\":\"prompt\",\"exercises\":["
	    "\"keep-warm\","
	    "\"five-point-support\"]",
	    "{\"patient\":\"P-0004\",\"causes\":[\"excessive-pressure\"],\"notice\":\"urgent\",\"exercises\":"
	    "[]",
	    "{\"patient\":\"P-0005\",\"causes\":[\"lumbar-strain\"],\"notice\":\"prompt\",\"exercises\":["
	    "\"keep-warm\"]",
	    "{\"patient\":\"P-0006\",\"causes\":[],\"notice\":\"standard\",\"exercises\":[\"keep-warm\","
	    "\"five-point-support\","
	    "\"flying-swallow\"]",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(strstr(out, lines[i]) != NULL, "missing %s in\n%s", lines[i], out);
	free(out);
}
END_TEST

/* An independent reading of shared/spec/questionnaire.md's selection intent, written from
 * the spec's words rather than from content/rules.xml, and compared with what the content's
 * rules select for thousands of random patients. */
typedef struct spec_answers {
	int score, days, minutes, sitting; /* -1: unanswered */
	const char *pressure, *onset, *work;
	int below_knee;
	int yes[16]; /* by index in bools[]: 1 yes, 0 no, -1 unanswered */
} spec_answers;

static const char *const bools[] = {"hard-exercise", "lifting-bending", "disc-diagnosis", "leg-pain",
                                    "leg-numbness",  "saddle-numbness", "bladder-bowel",  "leg-weakness",
                                    "fever",         "trauma",          "cancer-history", "weight-loss",
                                    "night-pain",    "pregnant",        "pool-access"};
enum {
	HARD,
	LIFT,
	DISC,
	LEGPAIN,
	LEGNUMB,
	SADDLE,
	BLADDER,
	WEAK,
	FEVER,
	TRAUMA,
	CANCER,
	WEIGHT,
	NIGHT,
	PREGNANT,
	POOL
};

static int yes(const spec_answers *a, int q)
{
	return a->yes[q] == 1;
}

static void spec_select(const spec_answers *a, char *causes, char *notice_id, char *exercises)
{
	int pressure = a->pressure && (!strcmp(a->pressure, "strong") || !strcmp(a->pressure, "painful"));
	int c_pressure = pressure || (a->onset && !strcmp(a->onset, "during"));
	int c_tension = a->sitting >= 6 ||
	                (a->work && (!strcmp(a->work, "desk") || !strcmp(a->work, "standing"))) ||
	                (a->minutes >= 0 && a->minutes < 30);
	int c_lactic = yes(a, HARD);
	int c_strain = yes(a, LIFT) || (a->work && !strcmp(a->work, "manual"));
	int c_disc = yes(a, DISC) || yes(a, LEGPAIN) || yes(a, LEGNUMB) || a->below_knee;
	sprintf(causes, "%s%s%s%s%s", c_pressure ? "excessive-pressure," : "",
	        c_tension ? "muscle-tension," : "", c_lactic ? "lactic-acid," : "",
	        c_strain ? "lumbar-strain," : "", c_disc ? "disc-herniation," : "");
	int serious = yes(a, CANCER) || yes(a, WEIGHT) || yes(a, NIGHT);
	int urgent = yes(a, SADDLE) || yes(a, BLADDER) || yes(a, WEAK) || yes(a, FEVER) || yes(a, TRAUMA);
	int today = yes(a, CANCER) && (yes(a, NIGHT) || yes(a, WEIGHT));
	int prompt = a->days >= 7 || a->score >= 7 || yes(a, LEGPAIN) || yes(a, LEGNUMB) || serious || c_disc;
	strcpy(notice_id, urgent ? "urgent" : today ? "today" : prompt ? "prompt" : "standard");
	*exercises = '\0';
	if (urgent)
		return;
	const char *list[8];
	size_t n = 0;
	list[n++] = "keep-warm";
	if (c_tension && !today)
		list[n++] = "warm-up-twist";
	if (c_lactic && !today)
		list[n++] = "post-exercise-stretch";
	if (a->score <= 6 && !serious) {
		if (yes(a, POOL))
			list[n++] = "swimming";
		if (!yes(a, PREGNANT))
			list[n++] = "five-point-support";
		if (!yes(a, PREGNANT) && !(c_disc && (yes(a, LEGPAIN) || yes(a, LEGNUMB) || a->below_knee)))
			list[n++] = "flying-swallow";
	}
	for (size_t i = 0; i < n && i < 4; i++)
		sprintf(exercises + strlen(exercises), "%s,", list[i]);
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static unsigned pick(unsigned n)
{
	rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static char *with_comma(const selected *v, size_t n)
{
	strbuf sb = {0};
	sb_append(&sb, "");
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s,", v[i].id);
	return sb_take(&sb);
}

START_TEST(explain_follows_the_spec_on_random_patients)
{
	static const char *const pressures[] = {"light", "moderate", "strong", "painful"};
	static const char *const onsets[] = {"during", "hours-after", "next-day", "before"};
	static const char *const works[] = {"desk", "standing", "manual", "mixed", "none"};
	size_t held_back = 0;
	for (int k = 0; k < 3000; k++) {
		spec_answers a = {.score = (int)pick(11), .days = -1, .minutes = -1, .sitting = -1};
		strbuf sb = {0};
		sb_printf(&sb, "pain-score=%d", a.score);
		if (pick(2))
			sb_printf(&sb, " pain-days=%d", a.days = (int)pick(15));
		if (pick(2))
			sb_printf(&sb, " massage-minutes=%d", a.minutes = (int)pick(91));
		if (pick(2))
			sb_printf(&sb, " sitting-hours=%d", a.sitting = (int)pick(13));
		if (pick(2))
			sb_printf(&sb, " pressure=%s", a.pressure = pressures[pick(4)]);
		if (pick(2))
			sb_printf(&sb, " onset=%s", a.onset = onsets[pick(4)]);
		if (pick(2))
			sb_printf(&sb, " work-type=%s", a.work = works[pick(5)]);
		if (pick(3) == 0)
			sb_printf(&sb, " pain-location=center");
		if (pick(4) == 0)
			sb_printf(&sb, " pain-location=below-knee"), a.below_knee = 1;
		/* Red flags and serious signs are rare in life; here often enough to meet every rule. */
		for (int q = 0; q < (int)(sizeof bools / sizeof bools[0]); q++) {
			unsigned r = pick(q >= SADDLE && q <= TRAUMA ? 24 : 6);
			a.yes[q] = r == 0 ? 1 : r == 1 ? 0 : -1;
			if (a.yes[q] >= 0)
				sb_printf(&sb, " %s=%s", bools[q], a.yes[q] ? "yes" : "no");
		}
		char want_causes[256], want_notice[16], want_exercises[256];
		spec_select(&a, want_causes, want_notice, want_exercises);
		patient *p;
		selection *s = select_for(sb.data, &p);
		char *causes = with_comma(s->causes, s->ncauses),
		     *exercises = with_comma(s->exercises, s->nexercises);
		ck_assert_msg(!strcmp(causes, want_causes) && !strcmp(s->notice.id, want_notice) &&
		                  !strcmp(exercises, want_exercises),
		              "%s\n got  %s | %s | %s\n spec %s | %s | %s", sb.data, causes, s->notice.id,
		              exercises, want_causes, want_notice, want_exercises);
		/* With a serious sign, the handout says to be checked before strengthening (a today
		 * handout says to be checked today instead). */
		int serious = yes(&a, CANCER) || yes(&a, WEIGHT) || yes(&a, NIGHT);
		if (serious && strcmp(want_notice, "prompt") == 0) {
			ck_assert_msg(has(s->notes, s->nnotes, "check-before-strengthening"), "%s", sb.data);
			held_back++;
		}
		free(causes), free(exercises), sb_free(&sb);
		selection_free(s), patient_free(p);
	}
	ck_assert_uint_gt(held_back, 200); /* the serious-sign rule was exercised */
}
END_TEST

Suite *selection_suite(void)
{
	Suite *s = suite_create("selection");
	TCase *tc = tcase_create("rules");
	tcase_add_loop_test(tc, spec_example_row, 0, sizeof examples / sizeof examples[0]);
	tcase_add_test(tc, unanswered_is_not_no);
	tcase_add_test(tc, unanswered_condition_is_false_either_way);
	tcase_add_test(tc, flying_swallow_needs_clinician_with_disc_and_leg_symptoms);
	tcase_add_test(tc, urgent_wins_and_gives_no_exercises);
	tcase_add_test(tc, at_most_four_items);
	tcase_add_test(tc, reasons_fill_in_answers);
	tcase_add_test(tc, explain_line_has_spec_shape);
	tcase_add_test(tc, explain_command_agrees_with_table);
	tcase_add_test(tc, explain_follows_the_spec_on_random_patients);
	suite_add_tcase(s, tc);
	return s;
}
