/* out.h: the consumers of a run's finished handouts. Each patient's outcome (its laid-out
 * pages, or why there are none) is handed to every sink in input order; a sink may say where
 * it put the patient (a mailing bundle and page) for the manifest. out_mailing.c writes
 * print-ready bundles of letters; out_report.c the run report for the clinic's staff. */
#ifndef HANDOUT_OUT_H
#define HANDOUT_OUT_H

#include <stddef.h>

struct patient;
struct layout;

typedef struct out_handout {
	const struct patient *p;
	const struct layout *pages;              /* NULL when no handout was made */
	int mailed;                              /* pages are a letter with the address in the window */
	const char *notice, *causes, *exercises; /* the selection (';'-separated ids), or NULL */
	const char *error;                       /* why no handout (or no letter) was made, or NULL */
	const char *not_mailed; /* a mailing run: why the handout made is not mailed, or NULL */
} out_handout;

/* Where a sink put a patient: bundle number (1, 2...) and the bundle's page where the
 * letter starts; 0 when not placed. */
typedef struct out_place {
	int bundle;
	size_t first_page;
} out_place;

typedef struct out_sink {
	void *self;
	/* One patient's outcome, in input order. Sets *where: clears it first (bundle 0: not
	 * placed), whether or not this sink places the patient, since the caller reads it
	 * after every sink. Returns 0, or -1 with errno-style *err when a file could not be
	 * written (reported). */
	int (*take)(void *self, const out_handout *h, out_place *where, int *err);
	/* After the last patient: writes what is pending. Returns 0 or -1 as take. */
	int (*finish)(void *self, int *err);
	void (*free)(void *self);
} out_sink;

#endif
