/* read_csv.h: patients from CSV with a header row (id, name, language, phone, birth-date,
 * address, then question ids), read row by row. */
#ifndef HANDOUT_READ_CSV_H
#define HANDOUT_READ_CSV_H

#include "reader_int.h"

extern const reader_format read_csv_format;

#endif
