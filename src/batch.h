/* batch.h: clinic-scale runs: patients streamed from any number of files, handouts made by
 * N worker threads, each PDF written atomically, DIR/manifest.csv in input order, shards
 * for splitting a run across machines, and resumption after an interruption. */
#ifndef HANDOUT_BATCH_H
#define HANDOUT_BATCH_H

#include <stddef.h>

struct resources;
struct mail_style;
struct out_list;

typedef struct batch_options {
	char *const *inputs;
	int ninputs;
	const char *out_dir;
	int jobs;                          /* worker threads, >= 1 */
	int shard_k, shard_n;              /* this run takes shard k of n (1 <= k <= n); n = 1: all */
	int resume;                        /* skip patients whose PDF and manifest row still match */
	int write;                         /* 0: make every handout but write none (timing, memory) */
	int progress;                      /* show a progress line on stderr */
	int fhir_documents;                /* also write DIR/DocumentReference.ndjson */
	const struct mail_style *mailing;  /* letters for this envelope and bundles of them, or NULL */
	size_t bundle_size;                /* letters a bundle (0: the default) */
	int report;                        /* also write DIR/report.pdf */
	const struct reader_options *read; /* how inputs are read (CSV columns, wording); may be NULL */
	/* The run's products (out_list_new for out_dir, write, fhir_documents, mailing,
	 * bundle_size and report, perhaps with more sinks added: a test's), owned by the caller;
	 * NULL: the run makes that list itself. */
	struct out_list *sinks;
} batch_options;

typedef struct batch_stats {
	size_t ok;             /* handouts made (or, when resuming, found sound and kept) */
	size_t kept;           /* of those, kept from an earlier run */
	size_t failed;         /* patients rejected or whose handout could not be written */
	size_t files_failed;   /* input files that could not be read to the end */
	size_t outputs_failed; /* the run's own files (a bundle, the report, DocumentReference.ndjson)
	                        * that could not be written, for another reason than a full or failing disk */
	size_t bytes;          /* PDF bytes made */
	size_t max_bytes;
	int stopped;      /* the output's disk failed (full, quota, I/O) */
	int stop_err;     /* its errno */
	int every_row;    /* every patient's row was written (a stop was at a bundle, the report or
	                   * DocumentReference.ndjson) */
	size_t discarded; /* patients read before the stop that got no row */
	size_t mailed;    /* letters put in bundles */
	size_t bundles;
} batch_stats;

/* The shard (1..n) a patient id falls in: a hash of the id, so every machine of a split
 * run agrees without coordination, whatever the order of the input. */
int batch_shard_of(const char *patient_id, int n);

/* Runs the batch with r loaded with resource_paths.fingerprint (what --resume compares).
 * Returns 0 when every patient got a handout and every file was written, 1 when some did not, 2 when
 * the output folder cannot be used (nothing was done), 3 when the output's disk failed
 * part way: no new patient was taken, the manifest holds whole rows for a prefix of the
 * input, and --resume continues. */
int batch_run(const struct resources *r, const batch_options *o, batch_stats *st);

#endif
