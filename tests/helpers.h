/* helpers.h: shared test fixtures: the data folder, captured diagnostics, temporary files,
 * running the built program. */
#ifndef HANDOUT_TEST_HELPERS_H
#define HANDOUT_TEST_HELPERS_H

#include <check.h>
#include <stddef.h>

struct content;
struct patient;

/* The repository root (HANDOUT_DATA, else "."). */
const char *data_dir(void);
/* The shipped content, loaded once per test process; in another language (a folder of
 * content/), once per language. */
const struct content *shipped_content(void);
const struct content *shipped_content_in(const char *language);

/* Starts capturing diagnostics (replacing any earlier capture); captured() returns all
 * lines so far, each ending in '\n'. */
void capture_start(void);
const char *captured(void);
void capture_stop(void);

/* Writes text to a new file in a fresh temporary folder; returns its path (static). */
const char *write_temp(const char *name, const char *text);
/* A fresh empty temporary folder (static path), in $TMPDIR: check_main.c points TMPDIR at a
 * folder of its own for the run and removes it at the end, so nothing is left behind. */
const char *temp_dir(void);

/* Copies content/, templates/ and fonts/ into a fresh temporary folder, runs the shell
 * command `edit` there (it may change the copy), then `handout check --data` on it.
 * Returns what check printed (caller frees) and its exit status. */
char *check_edited_copy(const char *edit, int *status);

/* snprintf that fails the test when the text does not fit in buf: a command cut short by a
 * long folder name is a shell syntax error (exit 2) far from its cause. */
void format_into(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Runs a shell command; returns its stdout (caller frees) and stores the exit status. */
char *run_command(const char *cmd, int *status);

/* Every patient of some input files, through the one patient loop, with the diagnostics
 * it printed. */
#define READ_MAX 16
typedef struct read_result {
	struct patient *p[READ_MAX];
	size_t n;
	size_t patients, rejected, files_failed; /* reader_stats */
	char *diags;
} read_result;
void read_files(read_result *r, char *const *paths, int n);
/* The same with the reading options given (read_files: the shipped languages' words). */
struct reader_options;
void read_files_with(read_result *r, char *const *paths, int n, const struct reader_options *opt);
const struct reader_options *shipped_reader_options(void);
/* The same for text written to a temporary file called name. */
void read_text(read_result *r, const char *name, const char *text);
void read_result_free(read_result *r);
/* The k-th value patient p gave question qid, or NULL. */
const char *answer_of(const struct patient *p, const char *qid, size_t k);

/* Parses one patient from an XML string; the caller frees it with patient_free. */
struct patient *patient_from_string(const char *xml);

Suite *content_suite(void);
Suite *answers_suite(void);
Suite *selection_suite(void);
Suite *safety_suite(void);
Suite *xml_suite(void);
Suite *layout_suite(void);
Suite *end_to_end_suite(void);
Suite *typesetting_suite(void);
Suite *svg_suite(void);
Suite *batch_suite(void);
Suite *fuzz_suite(void);
Suite *hostile_suite(void);
Suite *fhir_suite(void);
Suite *mailing_suite(void);
Suite *report_suite(void);
Suite *out_suite(void);
Suite *locale_suite(void);
Suite *csv_suite(void);
Suite *form_suite(void);
Suite *ask_suite(void);
Suite *install_suite(void);
Suite *stdio_suite(void);
Suite *resume_suite(void);
Suite *outputs_suite(void);
Suite *util_suite(void);
Suite *golden_suite(void);
Suite *libharu_suite(void);
Suite *record_suite(void);

#endif
