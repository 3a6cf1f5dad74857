/* fuzz_answers.c: a native answers file, read, checked, selected for and, for its first
 * valid patient, made into a whole handout (layout and PDF). */
#include "fuzz.h"

FUZZ_TARGET(answers)
{
	return fuzz_patients("answers.xml", data, size);
}
