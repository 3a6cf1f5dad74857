/* fuzz_csv.c: a CSV file of patients (libcsv, row by row), read, checked, selected for and,
 * for its first valid patient, made into a whole handout. */
#include "fuzz.h"

FUZZ_TARGET(csv)
{
	return fuzz_patients("answers.csv", data, size);
}
