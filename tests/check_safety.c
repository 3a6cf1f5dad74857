/* check_safety.c: what a handout says about getting help, proved over the answer space
 * rather than on the examples (shared/spec/questionnaire.md, "What a handout says about
 * getting help"). Every class of patient that matters is made (red flags x serious signs
 * x leg symptoms x pregnancy x a known slipped disc x pain x how long x pressure x work),
 * in each language, its handout laid out with the clinic's settings in a standard-print
 * template (a sample in every other template), and the text as laid out is read for the
 * statements the spec forbids and requires for that class. The phrases are written here,
 * in each language, independently of content/'s own claims (says=): they check the words,
 * not the tags. */
#include "content.h"
#include "helpers.h"
#include "patient.h"
#include "pipeline.h"
#include "selection.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the classes ---- */

typedef struct klass {
	const char *red; /* a red flag answered yes, or NULL */
	int cancer, weight, night;
	const char *leg; /* leg-pain, leg-numbness, below-knee, or NULL */
	int pregnant;
	int disc; /* disc-diagnosis yes */
	int score, days;
	const char *pressure;
	const char *work;
} klass;

/* No red flag, one, or all five at once ("*"). */
static const char *const reds[] = {NULL, "saddle-numbness", "fever", "*"};
static const char *const all_reds[] = {"saddle-numbness", "bladder-bowel", "leg-weakness", "fever", "trauma"};
static const int serious[][3] = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 0}};
static const char *const legs[] = {NULL, "leg-pain", "leg-numbness", "below-knee"};
static const int scores[] = {3, 8}, days[] = {2, 5, 10};
static const char *const pressures[] = {"light", "strong"};
static const char *const works[] = {"desk", "none"};

enum {
	NRED = 4,
	NSERIOUS = 6,
	NLEG = 4,
	NDAYS = 3,
	NCLASSES = NRED * NSERIOUS * NLEG * 2 * 2 * 2 * NDAYS * 2 * 2
};

/* The k-th class of the whole cross product. */
static klass class_of(unsigned k)
{
	klass c = {0};
	c.red = reds[k % NRED], k /= NRED;
	c.cancer = serious[k % NSERIOUS][0], c.weight = serious[k % NSERIOUS][1],
	c.night = serious[k % NSERIOUS][2];
	k /= NSERIOUS;
	c.leg = legs[k % NLEG], k /= NLEG;
	c.pregnant = k % 2, k /= 2;
	c.disc = k % 2, k /= 2;
	c.score = scores[k % 2], k /= 2;
	c.days = days[k % NDAYS], k /= NDAYS;
	c.pressure = pressures[k % 2], k /= 2;
	c.work = works[k % 2];
	return c;
}

static void yes(patient *p, const char *q)
{
	patient_add_answer(p, q, "yes", 1);
}

static patient *patient_of(const klass *c, unsigned k, const char *language)
{
	patient *p = patient_new("classes", 1, &shipped_content()->questionnaire);
	char id[32], num[16];
	format_into(id, sizeof id, "C%05u-%s", k, language);
	patient_set_id(p, id, 1, NULL);
	patient_set_name(p, xstrdup("Ann Lee"), 1);
	patient_set_language(p, xstrdup(language), 1);
	format_into(num, sizeof num, "%d", c->score);
	patient_add_answer(p, "pain-score", num, 1);
	format_into(num, sizeof num, "%d", c->days);
	patient_add_answer(p, "pain-days", num, 1);
	patient_add_answer(p, "pressure", c->pressure, 1);
	patient_add_answer(p, "work-type", c->work, 1);
	patient_add_answer(p, "pool-access", "yes", 1);
	patient_add_answer(p, "pregnant", c->pregnant ? "yes" : "no", 1);
	for (size_t i = 0; c->red && i < sizeof all_reds / sizeof *all_reds; i++)
		if (!strcmp(c->red, "*") || !strcmp(c->red, all_reds[i]))
			yes(p, all_reds[i]);
	if (c->cancer)
		yes(p, "cancer-history");
	if (c->weight)
		yes(p, "weight-loss");
	if (c->night)
		yes(p, "night-pain");
	if (c->leg && strcmp(c->leg, "below-knee") == 0)
		patient_add_answer(p, "pain-location", "below-knee", 1);
	else if (c->leg)
		yes(p, c->leg);
	if (c->disc)
		yes(p, "disc-diagnosis");
	patient_finish(p, 1);
	ck_assert_msg(!p->error, "%s: %s", id, p->error);
	return p;
}

/* ---- the words, in each language ---- */

typedef struct words {
	const char *language;
	int cjk;                    /* lines break between characters: compare with every space taken out */
	const char *reassurance[9]; /* outlook and reassurance */
	const char *no_damage[3];   /* "pain does not mean damage" */
	const char *week[3];        /* a time frame of a week */
	const char *days[3];        /* within a few days */
	const char *stop_leg[4];    /* "stop if the pain runs down a leg" */
	const char *stop_spreads;   /* "stop if the leg pain or numbness spreads further" */
	const char *pressed_hard;   /* the massage pressed too hard */
	const char *go_now[6];      /* the go-now tier: every one must be there */
	const char *today_tier;     /* contact a doctor today (the tier, or the today notice) */
	const char *midwife;        /* the pregnancy line */
	const char *causes_heading; /* the causes section */
	const char *soon[3];        /* "in a day or two": never when the pain has lasted a week */
	const char *day_or_two;     /* "a day or two": never from the pain's third day */
	const char *tell_pregnant;  /* an urgent sheet: tell the staff you are pregnant */
	const char *tell_cancer;    /* an urgent sheet: tell the staff you have had cancer */
	const char *never[12];      /* words never to print (wrong, unsafe or Peninsular-only) */
} words;

static const words languages[] = {
    {"en",
     0,
     {"gets better by itself", "goes away in a day or two", "does not mean damage", "sore for a day or two",
      "heal in a day or two", "eases in a few days", "do not need to go to an emergency", "better by itself"},
     {"does not mean damage"},
     {"after a week", "longer than a week"},
     {"within a few days", "next few days"},
     {"gets sharp or runs down a leg", "sharp pain or pain down a leg", "worse or runs down a leg"},
     "spreads further",
     "pressed harder than your back could take",
     {"999", "even at night or at the weekend", "both legs", "sexual function", "when you wipe",
      "back passage"},
     "Contact a doctor today",
     "midwife or maternity unit now",
     "Why your back may hurt",
     {"a day or two", "eases in a few days"},
     "a day or two",
     "Tell the staff you are pregnant",
     "Tell the staff you have had cancer",
     {"Press down with your head", "How many: Warm pad", "Hold: Swim", "numbness between your legs",
      ": call your midwife"}},
    {"es",
     0,
     {"mejora solo", "mejoran solos", "desaparecer en uno o dos días", "no significa que haya una lesión",
      "doler uno o dos días", "se recuperan en uno o dos días", "se alivia en unos días",
      "No hace falta ir a urgencias"},
     {"no significa que haya una lesión"},
     {"en una semana", "más de una semana"},
     {"próximos días"},
     {"punzante o baja por una pierna", "dolor que baja por una pierna", "empeora o baja por una pierna"},
     "se extiende",
     "apretó más de lo que su espalda podía soportar",
     {"999", "también de noche o en fin de semana", "las dos piernas", "función sexual", "al limpiarse",
      "genitales, ano o cara interna"},
     "Hable con un médico hoy",
     "matrona (partera) o a su maternidad",
     "Por qué puede dolerle la espalda",
     {"uno o dos días", "se alivia en unos días"},
     "uno o dos días",
     "Diga al personal que está embarazada",
     "Diga al personal que ha tenido cáncer",
     {"apretados", "pequeños desgarros", "dolor agudo", "tirón", "hable al terapeuta", "mesa de oficina",
      "Tómelos", "Túmbese", "Cuántas veces: Almohadilla", "entre las piernas", ": llame ahora a su matrona"}},
    {"zh-Hans",
     1,
     {"自己好转", "一两天就会消失", "不代表有损伤", "酸痛一两天", "一两天就会长好", "几天就会减轻",
      "不需要去急诊"},
     {"不代表有损伤"},
     {"一个星期"},
     {"这几天内"},
     {"尖锐或传到腿上", "或者疼痛传到腿上", "加重或者传到腿上"},
     "范围变大",
     "按摩的力度超过了您的腰能承受的程度",
     {"999", "晚上和周末也一样", "两条腿都", "性功能", "擦拭", "会阴"},
     "今天就联系医生",
     "助产士或产科",
     "腰为什么会痛",
     {"一两天", "几天就会减轻"},
     "一两天",
     "告诉医护人员您怀孕了",
     "告诉医护人员您得过癌症",
     {"给Ann", "来回", "臀部或大腿内侧", "做几次：热敷", "两腿之间", "：请马上给您的助产士"}},
};

/* ---- the text as laid out ---- */

typedef struct sheet {
	char *text; /* every text item, in order: lines joined by a space, or nothing (CJK) */
	size_t pages;
	int gap_after_full_stop; /* a line with "。 " in it (Chinese puts no space after its full stop) */
} sheet;

static sheet lay_out(const resources *r, const patient *p, const words *w)
{
	strbuf dump = {0}, text = {0};
	handout_result res;
	ck_assert_int_eq(pipeline_handout(r, p, DUMP_LAYOUT, &dump, &res), 0);
	sheet s = {0};
	s.pages = res.pages;
	handout_result_free(&res);
	for (char *line = dump.data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *open = strchr(line, '"'), *close = strrchr(line, '"');
		if (strncmp(line, "  text ", 7) != 0 || !open || close <= open)
			continue;
		*close = '\0';
		s.gap_after_full_stop |= strstr(open + 1, "\xE3\x80\x82 ") != NULL;
		for (const char *c = open + 1; *c; c++)
			if (!w->cjk || *c != ' ')
				sb_putc(&text, *c);
		if (!w->cjk)
			sb_putc(&text, ' ');
	}
	s.text = text_normalize_space(text.data ? text.data : "");
	sb_free(&text);
	sb_free(&dump);
	return s;
}

/* A phrase as the sheet's text holds it (no spaces in CJK). */
static int says(const sheet *s, const words *w, const char *phrase)
{
	if (!w->cjk)
		return strstr(s->text, phrase) != NULL;
	strbuf sb = {0};
	for (const char *c = phrase; *c; c++)
		if (*c != ' ')
			sb_putc(&sb, *c);
	int found = strstr(s->text, sb.data) != NULL;
	sb_free(&sb);
	return found;
}

static void never(const sheet *s, const words *w, const char *const *phrases, size_t n, const char *id,
                  const char *why)
{
	for (size_t i = 0; i < n && phrases[i]; i++)
		ck_assert_msg(!says(s, w, phrases[i]), "%s (%s) says \"%s\": %s", id, w->language, phrases[i],
		              why);
}

static void must(const sheet *s, const words *w, const char *phrase, const char *id, const char *why)
{
	ck_assert_msg(says(s, w, phrase), "%s (%s) does not say \"%s\": %s", id, w->language, phrase, why);
}

#define NEVER(list, why) never(&s, w, (list), sizeof(list) / sizeof *(list), p->id, why)

static int has_id(const selected *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return 1;
	return 0;
}

/* Every statement the spec forbids or requires for this patient's class, on its sheet. */
static void check_sheet(const resources *r, const klass *k, const patient *p, const words *w,
                        int standard_print, size_t *seen)
{
	selection *sel = selection_make(r->content, p);
	const char *level = sel->notice.id;
	int urgent = !strcmp(level, "urgent"), today = !strcmp(level, "today"),
	    prompt = !strcmp(level, "prompt");
	int serious_sign = k->cancer || k->weight || k->night;
	int disc = has_id(sel->causes, sel->ncauses, "disc-herniation");
	sheet s = lay_out(r, p, w);
	seen[urgent ? 0 : today ? 1 : prompt ? 2 : 3]++;

	/* Never, anywhere: words the spec or a clinical read found wrong. */
	NEVER(w->never, "wrong or unsafe words");
	ck_assert_msg(!s.gap_after_full_stop, "%s (%s): a space after 。", p->id, w->language);
	/* No reassurance beside serious signs, nor on an urgent or today sheet. */
	if (urgent || today || serious_sign)
		NEVER(w->reassurance, "reassurance beside a serious sign or on an urgent or today sheet");
	/* "Pain does not mean damage" never beside a slipped disc or a leg symptom. */
	if (disc || k->leg)
		NEVER(w->no_damage, "no damage beside a slipped disc or leg symptoms");
	/* "In a day or two" never to a patient whose pain has lasted a week or more. */
	if (k->days >= 7)
		NEVER(w->soon, "a day or two to a patient whose pain has lasted a week or more");
	/* Nor "a day or two" to one whose pain is in its third day or later (helper-18). */
	if (k->days >= 3)
		ck_assert_msg(!says(&s, w, w->day_or_two), "%s (%s): a day or two on day %d", p->id,
		              w->language, k->days);
	/* An urgent sheet says what the emergency staff must hear. */
	if (urgent && k->pregnant)
		must(&s, w, w->tell_pregnant, p->id, "an urgent sheet for a pregnant patient");
	if (urgent && k->cancer)
		must(&s, w, w->tell_cancer, p->id, "an urgent sheet for a patient who has had cancer");
	/* "The massage pressed too hard" never to a patient who said the pressure was light. */
	if (!strcmp(k->pressure, "light"))
		ck_assert_msg(!says(&s, w, w->pressed_hard), "%s (%s): pressed too hard, light pressure",
		              p->id, w->language);
	/* One time frame, the notice's own: nothing slower. */
	if (prompt || today || urgent)
		NEVER(w->week, "a week's wait on a prompt, today or urgent sheet");
	if (today || urgent)
		NEVER(w->days, "a few days' wait on a today or urgent sheet");
	if (!strcmp(level, "standard"))
		must(&s, w, w->week[0], p->id, "a standard sheet says when to see a doctor: after a week");
	if (prompt)
		must(&s, w, w->days[0], p->id, "a prompt sheet's time frame: within a few days");
	/* The safety net: the go-now tier, whole, on every sheet that is not urgent; the same-day
	 * tier (or the today notice itself). */
	if (!urgent) {
		for (size_t i = 0; i < sizeof w->go_now / sizeof *w->go_now && w->go_now[i]; i++)
			must(&s, w, w->go_now[i], p->id, "the go-now tier");
		must(&s, w, w->today_tier, p->id, "contact a doctor today");
	}
	/* A leg symptom: stop if it spreads, never "if it runs down a leg". */
	if (k->leg) {
		NEVER(w->stop_leg, "'stop if it runs down a leg' to a patient whose leg already hurts");
		if (!urgent && !today && sel->nexercises)
			must(&s, w, w->stop_spreads, p->id, "stop if the leg symptoms spread");
	}
	/* Pregnancy: when to call the midwife now. */
	if (k->pregnant && !urgent)
		must(&s, w, w->midwife, p->id, "a pregnant patient's midwife line");
	/* Urgent and today sheets: no causes, no exercise but keep-warm, one page. */
	if (urgent || today) {
		ck_assert_msg(!says(&s, w, w->causes_heading), "%s (%s): causes on a %s sheet", p->id,
		              w->language, level);
		const content *c = pipeline_content(r, p);
		for (size_t i = 0; i < c->nexercises; i++)
			if (urgent || strcmp(c->exercises[i].id, "keep-warm") != 0)
				ck_assert_msg(!says(&s, w, c->exercises[i].title),
				              "%s (%s): exercise %s on a %s sheet", p->id, w->language,
				              c->exercises[i].id, level);
		if (standard_print)
			ck_assert_msg(s.pages == 1, "%s (%s): a %s sheet of %zu pages", p->id, w->language,
			              level, s.pages);
	}
	free(s.text);
	selection_free(sel);
}

/* A mild class: no red flag, serious sign or leg symptom (the standard notice's, mostly). */
static int mild(const klass *c)
{
	return !c->red && !c->cancer && !c->weight && !c->night && !c->leg;
}

static resources *resources_for(const char *tmpl)
{
	char settings[4096];
	format_into(settings, sizeof settings, "%s/examples/clinic.xml", data_dir());
	resource_paths paths = {data_dir(), settings, tmpl, "2026-12-04", 1, 0};
	resources *r = resources_load(&paths);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* Which classes a run checks: the k-th, c, in the loop's _i-th run. */
typedef int (*class_filter)(unsigned k, const klass *c, int i);

/* Lays out and checks every class the filter keeps in the template, in language w; every
 * notice level must have been met, each at least 8 times. */
static void check_population(const char *tmpl, const words *w, int standard_print, class_filter keep, int i)
{
	resources *r = resources_for(tmpl);
	size_t seen[4] = {0};
	for (unsigned k = 0; k < NCLASSES; k++) {
		klass c = class_of(k);
		if (!keep(k, &c, i))
			continue;
		patient *p = patient_of(&c, k, w->language);
		check_sheet(r, &c, p, w, standard_print, seen);
		patient_free(p);
	}
	for (int n = 0; n < 4; n++)
		ck_assert_msg(seen[n] >= 8, "%s %s: notice level %d met %zu times", tmpl, w->language, n,
		              seen[n]);
	resources_free(r);
}

/* English in full; the translations every class of the clinical factors with a third of
 * the rest, and every mild class. */
static int standard_sample(unsigned k, const klass *c, int i)
{
	return strcmp(languages[i / 2].language, "en") == 0 ||
	       k / (NRED * NSERIOUS * NLEG * 2 * 2) % 3 == 0 || mild(c);
}

/* Large print: each 17th class, and every mild one. */
static int large_sample(unsigned k, const klass *c, int i)
{
	return k % 17 == (unsigned)i || mild(c);
}

/* The whole cross product in each language, in A4 and US Letter. */
START_TEST(every_class_in_standard_print)
{
	check_population(_i % 2 ? "letter" : "a4", &languages[_i / 2], 1, standard_sample, _i);
}
END_TEST

/* Large print: a sample of every class, in every language. */
START_TEST(classes_in_large_print)
{
	check_population(_i % 2 ? "letter-large" : "a4-large", &languages[_i / 2], 0, large_sample, _i);
}
END_TEST

Suite *safety_suite(void)
{
	Suite *s = suite_create("safety");
	TCase *tc = tcase_create("classes");
	tcase_set_timeout(tc, 600);
	const int n = (int)(sizeof languages / sizeof *languages);
	tcase_add_loop_test(tc, every_class_in_standard_print, 0, 2 * n);
	tcase_add_loop_test(tc, classes_in_large_print, 0, 2 * n);
	suite_add_tcase(s, tc);
	return s;
}
