/* out_pdf.h: the patient's own handout as a PDF: DIR/<patient id>.pdf for each patient of a
 * run into a folder, or the one file a build or ask was given. */
#ifndef HANDOUT_OUT_PDF_H
#define HANDOUT_OUT_PDF_H

#include "out.h"

#include <stddef.h>

struct resources;
struct layout;
struct pdf_meta;

/* Where the PDFs go. */
typedef enum out_pdf_target {
	OUT_PDF_FOLDER,  /* DIR/<id>.pdf: written on the worker to a temporary file, flushed with its
	                  * group, renamed in input order (output.h) */
	OUT_PDF_MEASURE, /* made, measured and checksummed, written nowhere (--no-write) */
	OUT_PDF_FILE,    /* one path, written whole in input order */
	OUT_PDF_STDOUT   /* standard output: the handout held until finish */
} out_pdf_target;

/* A sink rendering each handout on the worker (make) and putting it in place in input order
 * (take), where it says the file (the name in DIR, or path as given), its size and SHA-256.
 * where is the folder (OUT_PDF_FOLDER, OUT_PDF_MEASURE) or the file (OUT_PDF_FILE); NULL for
 * OUT_PDF_STDOUT. Handouts kept from an earlier run (make did not run) are left as they are. */
out_sink out_pdf_new(const struct resources *r, out_pdf_target target, const char *where);

/* The path of a patient's PDF in a run's folder (caller frees). */
char *out_pdf_path(const char *dir, const char *patient_id);

/* One handout's pages as a PDF, with the run's fonts and logo; its metadata names the
 * patient by id only unless the settings ask for more (<pdf-metadata>full</pdf-metadata>).
 * *pdf is the caller's to free. 0, or -1 after reporting. */
int out_pdf_render(const struct resources *r, const out_handout *h, unsigned char **pdf, size_t *len);

/* A document that is no patient's (the blank questionnaire, a drawing's preview) as a PDF
 * with the run's fonts, the clinic's logo embedded when logo; *pdf the caller's to free. 0,
 * or -1 after reporting. */
int out_pdf_document(const struct resources *r, const struct layout *l, const struct pdf_meta *meta, int logo,
                     unsigned char **pdf, size_t *len);

#endif
