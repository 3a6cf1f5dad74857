/* out_docref.h: DocumentReference.ndjson, one FHIR R4 DocumentReference per PDF made, for a
 * record system to load ($import, or a transaction Bundle). */
#ifndef HANDOUT_OUT_DOCREF_H
#define HANDOUT_OUT_DOCREF_H

#include "out.h"

#define FHIR_DOCUMENTS_FILE "DocumentReference.ndjson"

/* A sink writing DIR/DocumentReference.ndjson when the run is over: one resource for each
 * patient whose handout has a file in DIR (out_handout.file), in input order, its size and
 * SHA-1 read from the file itself, so the file is true after a --resume too. Written whole
 * or not at all (temporary file, flush, rename); when the run stops before it is written (or
 * while it is, for a full or failing disk), an earlier run's is removed: it would not be
 * true, and --resume writes it. */
out_sink out_docref_new(const char *dir);

/* A sink for one PDF built alone (out_handout.file, a path): its resource added to
 * DocumentReference.ndjson beside it, or put in place of the one describing the same file;
 * the lines for other files (a batch's) are kept. Under the folder's lock (output_lock_dir):
 * refused while a batch writes there. take returns -1 after reporting. */
out_sink out_docref_beside(void);

#endif
