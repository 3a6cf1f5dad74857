/* gen_patients.c: writes N synthetic patients with varied answers (fixed seed) as native
 * answers XML, for the benchmark and the batch tests. Usage: gen_patients N [SEED] */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state;

static unsigned next(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((state >> 33) % n);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_patients N [SEED]\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	static const char *const first[] = {"José", "Zoë", "Łukasz", "Ştefan", "María", "Anna", "Ayşe", "Sam", "Olu", "Kai"};
	static const char *const last[] = {"Müller", "Ångström", "Żółć", "Dumitrescu", "Nuño", "Kowalczyk", "Çelik", "Smith"};
	static const char *const pressure[] = {"light", "moderate", "strong", "painful"};
	static const char *const work[] = {"desk", "standing", "manual", "mixed", "none"};
	static const char *const onset[] = {"during", "hours-after", "next-day", "before"};
	static const char *const where[] = {"center", "left", "right", "buttock", "thigh", "below-knee"};
	static const char *const yesno[] = {"yes", "no"};
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<patients>\n");
	for (long i = 0; i < n; i++) {
		printf("<patient id=\"G%07ld\"><name>%s %s</name><answers questionnaire=\"lbp-after-massage\">", i,
		       first[next(10)], last[next(8)]);
		/* Mostly mild cases, as a clinic sees them; a few with red flags. */
		printf("<answer q=\"pain-score\">%u</answer>", next(100) < 85 ? next(7) : 7 + next(4));
		printf("<answer q=\"pressure\">%s</answer>", pressure[next(4)]);
		printf("<answer q=\"work-type\">%s</answer>", work[next(5)]);
		printf("<answer q=\"onset\">%s</answer>", onset[next(4)]);
		printf("<answer q=\"sitting-hours\">%u</answer>", next(12));
		printf("<answer q=\"pain-location\">%s</answer>", where[next(6)]);
		if (next(3) == 0)
			printf("<answer q=\"pain-location\">%s</answer>", where[next(3)]);
		printf("<answer q=\"hard-exercise\">%s</answer>", yesno[next(2)]);
		printf("<answer q=\"pool-access\">%s</answer>", yesno[next(2)]);
		if (next(20) == 0)
			printf("<answer q=\"fever\">yes</answer>");
		if (next(10) == 0)
			printf("<answer q=\"leg-numbness\">yes</answer>");
		printf("</answers></patient>\n");
	}
	printf("</patients>\n");
	return 0;
}
