/* out_report.h: report.pdf, the run report for the clinic's staff. */
#ifndef HANDOUT_OUT_REPORT_H
#define HANDOUT_OUT_REPORT_H

#include "out.h"

struct resources;

#define REPORT_FILE "report.pdf"

/* A sink that takes every patient of a run and, when the run is over, writes DIR/report.pdf:
 * the counts, the call list (urgent, then prompt: id, name, phone, the answers that raised
 * the notice), bar charts of causes and exercises, the patients not mailed (when mailing)
 * and every error with its file:line. */
out_sink out_report_new(const struct resources *r, const char *dir, int mailing);

#endif
