/* out_mailing.h: print-ready bundles of letters, mailing-NNNN.pdf, in input order. */
#ifndef HANDOUT_OUT_MAILING_H
#define HANDOUT_OUT_MAILING_H

#include "out.h"

struct resources;

#define MAILING_BUNDLE_SIZE 500

/* A sink writing DIR/mailing-0001.pdf... with at most bundle_size letters each: every
 * letter padded with blank backs to whole sheets (so each starts on a front page printed
 * double-sided), the fonts and logo embedded once per bundle. Bundles are written like
 * handouts: a temporary file, flushed, renamed. Patients that are not letters are skipped. */
out_sink out_mailing_new(const struct resources *r, const char *dir, size_t bundle_size, const char *date);

#endif
