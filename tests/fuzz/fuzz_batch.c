/* fuzz_batch.c: a patients file in any format handout reads, run as a whole batch into a
 * folder: every patient with a name and an address made a letter for a DIN 5008 window and
 * put in a mailing bundle (two letters a bundle, so bundles end and begin), the run report
 * written, and DocumentReference.ndjson written from the manifest, every PDF read back. Then
 * the same batch with --resume, which must keep every handout the first run made. What
 * must hold: the run is not refused (the folder is the harness's own) and does not stop
 * (the disk is not full); the manifest has a row for each patient, each "ok" row's PDF has
 * the recorded size; DocumentReference.ndjson has a line for each; nothing is left behind. */
#include "batch.h"
#include "fuzz.h"
#include "mail.h"
#include "manifest.h"
#include "out_docref.h"
#include "output.h"
#include "pipeline.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Empties the output folder (the harness's own), so each input starts afresh. */
static void empty_folder(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = path_join(dir, e->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

/* Aborts unless the folder holds no temporary file and no lock, and the manifest's ok rows
 * are files of the recorded size; returns how many ok rows name a file. */
static size_t check_folder(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if ((n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) ||
		    strcmp(e->d_name, OUTPUT_LOCK_FILE) == 0) {
			fprintf(stderr, "fuzz: %s left in the output folder\n", e->d_name);
			abort();
		}
	}
	if (d)
		closedir(d);
	char *mpath = path_join(dir, "manifest.csv");
	manifest_reader *m = manifest_open(mpath);
	free(mpath);
	if (!m)
		abort();
	size_t files = 0;
	manifest_row row;
	while (manifest_next(m, &row)) {
		if (strcmp(row.field[M_STATUS], "ok") != 0 || !*row.field[M_FILE])
			continue;
		char *path = path_join(dir, row.field[M_FILE]);
		struct stat st;
		if (stat(path, &st) != 0 ||
		    (unsigned long long)st.st_size != strtoull(row.field[M_BYTES], NULL, 10)) {
			fprintf(stderr, "fuzz: %s is not as the manifest says\n", path);
			abort();
		}
		free(path);
		files++;
	}
	manifest_close(m);
	return files;
}

/* Lines of DIR/DocumentReference.ndjson, or -1 when there is none. */
static long document_lines(const char *dir)
{
	char *path = path_join(dir, FHIR_DOCUMENTS_FILE);
	size_t len;
	char *text = file_read_all(path, &len);
	free(path);
	if (!text)
		return -1;
	long n = 0;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	free(text);
	return n;
}

FUZZ_TARGET(batch)
{
	fuzz_quiet();
	const resources *res = fuzz_letter_resources();
	char *input = xstrdup(fuzz_write("patients", data, size));
	char *out = path_join(fuzz_temp_dir(), "out");
	mkdir(out, 0700);
	empty_folder(out);
	char *inputs[1] = {input};
	batch_options o = {inputs, 1, out, 1, 1, 1, 0, 1, 0, 1, mail_style_find("din5008"), 2, 1};
	batch_stats st;
	int rc = batch_run(res, &o, &st);
	if (rc != 0 && rc != 1) {
		fprintf(stderr, "fuzz: the batch ended with %d\n", rc);
		abort();
	}
	size_t files = check_folder(out);
	if (files != st.ok || (!st.outputs_failed && document_lines(out) != (long)files)) {
		fprintf(stderr, "fuzz: %zu handouts, %zu files, %ld documents\n", st.ok, files,
		        document_lines(out));
		abort();
	}
	/* Nothing changed: a --resume keeps every handout and writes the same records. */
	o.resume = 1;
	batch_stats again;
	rc = batch_run(res, &o, &again);
	if ((rc != 0 && rc != 1) || again.ok != st.ok || again.kept != st.ok || check_folder(out) != files) {
		fprintf(stderr, "fuzz: resume ended with %d, %zu of %zu kept\n", rc, again.kept, st.ok);
		abort();
	}
	free(out);
	free(input);
	return 0;
}
