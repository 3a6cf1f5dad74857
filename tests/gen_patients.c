/* gen_patients.c: writes N synthetic patients with varied answers (fixed seed), for the
 * benchmark, the batch tests and the differential test of the readers: the same patients
 * in every format handout reads.
 *
 * Every patient has a phone and a postal address (Leeds), the same in every format.
 *
 * Usage: gen_patients [--format F] N [SEED]
 *   native            <patients> XML (the default)
 *   ndjson            FHIR Bulk NDJSON: each Patient line, then its QuestionnaireResponse
 *   ndjson-patients   only the Patient lines      } the two files of a Bulk export
 *   ndjson-responses  only the response lines     }
 *   fhir-xml          a FHIR XML Bundle, its Patients after the responses naming them
 *   fhir-json         a FHIR JSON Bundle, responses referring to urn:uuid fullUrls
 *   csv               CSV with a header row, questions in another order than the spec's,
 *                     names quoted, several choices and address lines joined by ';'
 *   population        native XML over the whole answer space, for pages and safety over a
 *                     population: every question drawn (some left unanswered), red flags,
 *                     cancer, pregnancy and leg symptoms at rates that give each class some
 *                     members in a few hundred, languages en, es and zh-Hans
 * The FHIR forms vary how the same answer is written (valueInteger, valueDecimal "6.0",
 * valueQuantity; valueCoding or valueString; answers inside groups or not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state;

static unsigned next(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((state >> 33) % n);
}

enum kind { NUMBER, CHOICE, BOOLEAN };
typedef struct answer {
	const char *q;
	enum kind kind;
	char value[16];
} answer;

typedef struct patient {
	char id[24];
	const char *given, *family;
	answer a[32];
	int n;
} patient;

static void add(patient *p, const char *q, enum kind kind, const char *value)
{
	answer *a = &p->a[p->n++];
	a->q = q;
	a->kind = kind;
	snprintf(a->value, sizeof a->value, "%s", value);
}

static void add_number(patient *p, const char *q, unsigned v)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%u", v);
	add(p, q, NUMBER, buf);
}

/* The same draws, in the same order, as the native-only generator had: old seeds give the
 * same patients. */
static void make_patient(patient *p, long i)
{
	static const char *const first[] = {"José", "Zoë",  "Łukasz", "Ştefan", "María",
	                                    "Anna", "Ayşe", "Sam",    "Olu",    "Kai"};
	static const char *const last[] = {"Müller", "Ångström",  "Żółć",  "Dumitrescu",
	                                   "Nuño",   "Kowalczyk", "Çelik", "Smith"};
	static const char *const pressure[] = {"light", "moderate", "strong", "painful"};
	static const char *const work[] = {"desk", "standing", "manual", "mixed", "none"};
	static const char *const onset[] = {"during", "hours-after", "next-day", "before"};
	static const char *const where[] = {"center", "left", "right", "buttock", "thigh", "below-knee"};
	static const char *const yesno[] = {"yes", "no"};
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "G%07ld", i);
	p->given = first[next(10)];
	p->family = last[next(8)];
	/* Mostly mild cases, as a clinic sees them; a few with red flags. */
	add_number(p, "pain-score", next(100) < 85 ? next(7) : 7 + next(4));
	add(p, "pressure", CHOICE, pressure[next(4)]);
	add(p, "work-type", CHOICE, work[next(5)]);
	add(p, "onset", CHOICE, onset[next(4)]);
	add_number(p, "sitting-hours", next(12));
	add(p, "pain-location", CHOICE, where[next(6)]);
	if (next(3) == 0)
		add(p, "pain-location", CHOICE, where[next(3)]);
	add(p, "hard-exercise", BOOLEAN, yesno[next(2)]);
	add(p, "pool-access", BOOLEAN, yesno[next(2)]);
	if (next(20) == 0)
		add(p, "fever", BOOLEAN, "yes");
	if (next(10) == 0)
		add(p, "leg-numbness", BOOLEAN, "yes");
}

/* A member of the population: draws of its own (make_patient's stay as they were). */
static void population_patient(long i)
{
	static const char *const pressure[] = {"light", "moderate", "strong", "painful"};
	static const char *const work[] = {"desk", "standing", "manual", "mixed", "none"};
	static const char *const onset[] = {"during", "hours-after", "next-day", "before"};
	static const char *const where[] = {"center", "left", "right", "buttock", "thigh", "below-knee"};
	static const char *const languages[] = {"en", "en", "en", "es", "zh-Hans"};
	static const char *const names[] = {"José Müller", "Zoë Ångström",  "Sam Smith",   "María Nuño",
	                                    "王芳",        "Ayşe Çelik",    "Olu Adeyemi", "李伟",
	                                    "Łukasz Żółć", "Kai Dumitrescu"};
	/* Each flag's rate in percent: red flags rare, each class present in a few hundred. */
	static const struct {
		const char *q;
		unsigned percent;
	} flags[] = {{"hard-exercise", 30}, {"lifting-bending", 30}, {"disc-diagnosis", 12},
	             {"leg-pain", 20},      {"leg-numbness", 12},    {"saddle-numbness", 3},
	             {"bladder-bowel", 3},  {"leg-weakness", 4},     {"fever", 4},
	             {"trauma", 5},         {"cancer-history", 7},   {"weight-loss", 5},
	             {"night-pain", 10},    {"pregnant", 8},         {"pool-access", 50}};
	patient p = {0};
	snprintf(p.id, sizeof p.id, "Q%07ld", i);
	const char *language = languages[next(5)];
	const char *name = names[next(10)];
	add_number(&p, "pain-score", next(100) < 80 ? next(7) : 7 + next(4));
	if (next(10)) {
		unsigned at = next(6);
		add(&p, "pain-location", CHOICE, where[at]);
		if (next(3) == 0)
			add(&p, "pain-location", CHOICE, where[(at + 1 + next(5)) % 6]); /* another */
	}
	if (next(10))
		add(&p, "onset", CHOICE, onset[next(4)]);
	if (next(3))
		add_number(&p, "pain-days", next(4) ? next(8) : next(120));
	if (next(10))
		add(&p, "pressure", CHOICE, pressure[next(4)]);
	if (next(2))
		add_number(&p, "massage-minutes", 20 + 10 * next(8));
	if (next(4))
		add_number(&p, "sitting-hours", next(13));
	if (next(5))
		add(&p, "work-type", CHOICE, work[next(5)]);
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		unsigned draw = next(100);
		if (next(8))
			add(&p, flags[f].q, BOOLEAN, draw < flags[f].percent ? "yes" : "no");
	}
	printf("<patient id=\"%s\"><name>%s</name><language>%s</language><answers "
	       "questionnaire=\"lbp-after-massage\">",
	       p.id, name, language);
	for (int k = 0; k < p.n; k++)
		printf("<answer q=\"%s\">%s</answer>", p.a[k].q, p.a[k].value);
	printf("</answers></patient>\n");
}

static void write_native(const patient *p)
{
	int n = atoi(p->id + 1);
	printf("<patient id=\"%s\"><name>%s %s</name><phone>+44 7700 900%03d</phone>"
	       "<address><line>%d Station Road</line><line>LS1 4DY Leeds</line></address>"
	       "<answers questionnaire=\"lbp-after-massage\">",
	       p->id, p->given, p->family, n % 1000, n % 90 + 1);
	for (int i = 0; i < p->n; i++)
		printf("<answer q=\"%s\">%s</answer>", p->a[i].q, p->a[i].value);
	printf("</answers></patient>\n");
}

/* ---- CSV ---- */

static const char *const csv_questions[] = {"pool-access", "pain-location", "pain-score",    "pressure",
                                            "work-type",   "onset",         "sitting-hours", "hard-exercise",
                                            "fever",       "leg-numbness"};

static void csv_header(void)
{
	printf("id,name,phone,address");
	for (size_t i = 0; i < sizeof csv_questions / sizeof *csv_questions; i++)
		printf(",%s", csv_questions[i]);
	printf("\r\n");
}

static void write_csv(const patient *p)
{
	int n = atoi(p->id + 1);
	printf("%s,\"%s %s\",+44 7700 900%03d,%d Station Road;LS1 4DY Leeds", p->id, p->given, p->family,
	       n % 1000, n % 90 + 1);
	for (size_t q = 0; q < sizeof csv_questions / sizeof *csv_questions; q++) {
		printf(",");
		int first = 1;
		for (int i = 0; i < p->n; i++)
			if (strcmp(p->a[i].q, csv_questions[q]) == 0)
				printf("%s%s", first ? "" : ";", p->a[i].value), first = 0;
	}
	printf("\r\n");
}

/* ---- FHIR JSON ---- */

static void json_value(const answer *a, unsigned style)
{
	const char *yes = strcmp(a->value, "yes") == 0 ? "true" : "false";
	switch (a->kind) {
	case NUMBER:
		if (style % 3 == 0)
			printf("{\"valueInteger\":%s}", a->value);
		else if (style % 3 == 1)
			printf("{\"valueDecimal\":%s.0}", a->value);
		else
			printf("{\"valueQuantity\":{\"value\":%s,\"unit\":\"{score}\"}}", a->value);
		break;
	case CHOICE:
		if (style % 4 == 3)
			printf("{\"valueString\":\"%s\"}", a->value);
		else
			printf("{\"valueCoding\":{\"system\":\"urn:handout:lbp\",\"code\":\"%s\"}}",
			       a->value);
		break;
	case BOOLEAN:
		printf("{\"valueBoolean\":%s}", yes);
		break;
	}
}

/* The answers as items: a question asked twice (several choices) is one item with two
 * answers; with grouped, the second half sits in a group. */
static void json_items(const patient *p, int grouped)
{
	int half = p->n / 2, first = 1;
	printf("\"item\":[");
	for (int i = 0; i < p->n; i++) {
		if (i > 0 && strcmp(p->a[i].q, p->a[i - 1].q) == 0)
			continue;
		if (grouped && i == half)
			printf("%s{\"linkId\":\"group-1\",\"text\":\"More\",\"item\":[", first ? "" : ","),
			    first = 1;
		printf("%s{\"linkId\":\"%s\",\"answer\":[", first ? "" : ",", p->a[i].q);
		first = 0;
		for (int k = i; k < p->n && strcmp(p->a[k].q, p->a[i].q) == 0; k++) {
			printf("%s", k > i ? "," : "");
			json_value(&p->a[k], (unsigned)(k + p->n));
		}
		printf("]}");
	}
	printf(grouped && half < p->n ? "]}]" : "]");
}

static void json_patient(const patient *p)
{
	printf("{\"resourceType\":\"Patient\",\"id\":\"%s\",\"name\":[{\"use\":\"nickname\",\"given\":["
	       "\"Nick\"]},"
	       "{\"use\":\"official\",\"family\":\"%s\",\"given\":[\"%s\"]}],"
	       "\"telecom\":[{\"system\":\"phone\",\"value\":\"+44 7700 900%03d\",\"use\":\"mobile\"}],"
	       "\"address\":[{\"use\":\"home\",\"line\":[\"%d Station "
	       "Road\"],\"city\":\"Leeds\",\"postalCode\":\"LS1 4DY\"}],"
	       "\"communication\":[{\"language\":{\"coding\":[{\"system\":\"urn:ietf:bcp:47\",\"code\":"
	       "\"en\"}]},\"preferred\":true}]}",
	       p->id, p->family, p->given, atoi(p->id + 1) % 1000, atoi(p->id + 1) % 90 + 1);
}

static void json_response(const patient *p, const char *subject)
{
	printf("{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"R%s\","
	       "\"questionnaire\":\"http://example.org/fhir/Questionnaire/lbp-after-massage|1\","
	       "\"status\":\"%s\",\"subject\":{\"reference\":\"%s\"},\"authored\":\"2026-11-2%dT10:00:00+01:"
	       "00\",",
	       p->id + 1, atoi(p->id + 1) % 5 == 0 ? "amended" : "completed", subject, atoi(p->id + 1) % 9);
	json_items(p, atoi(p->id + 1) % 2);
	printf("}");
}

/* ---- FHIR XML ---- */

static void xml_value(const answer *a, unsigned style)
{
	switch (a->kind) {
	case NUMBER:
		if (style % 3 == 0)
			printf("<valueInteger value=\"%s\"/>", a->value);
		else if (style % 3 == 1)
			printf("<valueDecimal value=\"%s.0\"/>", a->value);
		else
			printf(
			    "<valueQuantity><value value=\"%s\"/><unit value=\"{score}\"/></valueQuantity>",
			    a->value);
		break;
	case CHOICE:
		if (style % 4 == 3)
			printf("<valueString value=\"%s\"/>", a->value);
		else
			printf("<valueCoding><system value=\"urn:handout:lbp\"/><code "
			       "value=\"%s\"/></valueCoding>",
			       a->value);
		break;
	case BOOLEAN:
		printf("<valueBoolean value=\"%s\"/>", strcmp(a->value, "yes") == 0 ? "true" : "false");
		break;
	}
}

static void xml_response(const patient *p)
{
	long n = atol(p->id + 1);
	printf("<entry><fullUrl "
	       "value=\"urn:uuid:00000000-0000-4000-8000-1%011ld\"/><resource><QuestionnaireResponse>"
	       "<id value=\"R%s\"/><questionnaire value=\"Questionnaire/lbp-after-massage\"/>"
	       "<status value=\"%s\"/><subject><reference value=\"Patient/%s\"/></subject>\n",
	       n, p->id + 1, n % 5 == 0 ? "amended" : "completed", p->id);
	int half = p->n / 2, grouped = n % 2;
	for (int i = 0; i < p->n; i++) {
		if (i > 0 && strcmp(p->a[i].q, p->a[i - 1].q) == 0)
			continue;
		if (grouped && i == half)
			printf("<item><linkId value=\"group-1\"/>");
		printf("<item><linkId value=\"%s\"/>", p->a[i].q);
		for (int k = i; k < p->n && strcmp(p->a[k].q, p->a[i].q) == 0; k++) {
			printf("<answer>");
			xml_value(&p->a[k], (unsigned)(k + p->n));
			printf("</answer>");
		}
		printf("</item>\n");
	}
	printf("%s</QuestionnaireResponse></resource></entry>\n", grouped && half < p->n ? "</item>" : "");
}

static void xml_patient(const patient *p)
{
	printf("<entry><fullUrl value=\"http://example.org/fhir/Patient/%s\"/><resource><Patient><id "
	       "value=\"%s\"/>"
	       "<name><use value=\"official\"/><family value=\"%s\"/><given value=\"%s\"/></name>"
	       "<telecom><system value=\"phone\"/><value value=\"+44 7700 900%03d\"/></telecom>"
	       "<address><line value=\"%d Station Road\"/><city value=\"Leeds\"/><postalCode value=\"LS1 "
	       "4DY\"/></address>"
	       "</Patient></resource></entry>\n",
	       p->id, p->id, p->family, p->given, atoi(p->id + 1) % 1000, atoi(p->id + 1) % 90 + 1);
}

int main(int argc, char **argv)
{
	const char *format = "native";
	if (argc > 2 && strcmp(argv[1], "--format") == 0) {
		format = argv[2];
		argc -= 2, argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: gen_patients [--format "
		                "native|ndjson|ndjson-patients|ndjson-responses|fhir-xml|fhir-json|csv|"
		                "population] N [SEED]\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	patient p;
	if (strcmp(format, "native") == 0) {
		printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<patients>\n");
		for (long i = 0; i < n; i++)
			make_patient(&p, i), write_native(&p);
		printf("</patients>\n");
	} else if (strncmp(format, "ndjson", 6) == 0) {
		int patients = strcmp(format, "ndjson-responses") != 0,
		    responses = strcmp(format, "ndjson-patients") != 0;
		char ref[32];
		for (long i = 0; i < n; i++) {
			make_patient(&p, i);
			snprintf(ref, sizeof ref, "Patient/%s", p.id);
			if (patients)
				json_patient(&p), printf("\n");
			if (responses)
				json_response(&p, ref), printf("\n");
		}
	} else if (strcmp(format, "csv") == 0) {
		printf("\xEF\xBB\xBF"); /* as a spreadsheet saves it */
		csv_header();
		for (long i = 0; i < n; i++)
			make_patient(&p, i), write_csv(&p);
	} else if (strcmp(format, "fhir-json") == 0) {
		printf("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n");
		char ref[64];
		for (long i = 0; i < n; i++) {
			make_patient(&p, i);
			snprintf(ref, sizeof ref, "urn:uuid:00000000-0000-4000-8000-0%011ld", i);
			printf("%s{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-1%011ld\",\"resource\":",
			       i ? ",\n" : "", i);
			json_response(&p, ref);
			printf("},\n{\"fullUrl\":\"%s\",\"resource\":", ref);
			json_patient(&p);
			printf("}");
		}
		printf("]}\n");
	} else if (strcmp(format, "population") == 0) {
		printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<patients>\n");
		for (long i = 0; i < n; i++)
			population_patient(i);
		printf("</patients>\n");
	} else if (strcmp(format, "fhir-xml") == 0) {
		printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle "
		       "xmlns=\"http://hl7.org/fhir\"><type value=\"searchset\"/>\n");
		for (long i = 0; i < n; i++)
			make_patient(&p, i), xml_response(&p);
		state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
		for (long i = 0; i < n; i++)
			make_patient(&p, i), xml_patient(&p);
		printf("</Bundle>\n");
	} else {
		fprintf(stderr, "gen_patients: unknown format %s\n", format);
		return 2;
	}
	return 0;
}
