/* helpers.c: shared test fixtures. */
#include "helpers.h"
#include "content.h"
#include "diag.h"
#include "questionnaire.h"
#include "read_native.h"
#include "reader.h"
#include "util.h"
#include "xml.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *data_dir(void)
{
	const char *d = getenv("HANDOUT_DATA");
	return d && *d ? d : ".";
}

const struct content *shipped_content(void)
{
	static content *c;
	if (!c) {
		char *dir = path_join(data_dir(), "content");
		c = content_load(dir);
		free(dir);
	}
	return c;
}

const struct content *shipped_content_in(const char *language)
{
	static struct {
		char *language;
		content *c;
	} loaded[8];
	if (!language || strcmp(language, "en") == 0)
		return shipped_content();
	for (size_t i = 0; i < 8; i++) {
		if (loaded[i].language && strcmp(loaded[i].language, language) == 0)
			return loaded[i].c;
		if (!loaded[i].language) {
			char *dir = path_join(data_dir(), "content");
			loaded[i].c = content_load_language(dir, language, shipped_content());
			loaded[i].language = xstrdup(language);
			free(dir);
			return loaded[i].c;
		}
	}
	return NULL;
}

static strbuf capture;

static void capture_sink(void *ctx, diag_level level, const char *message)
{
	(void)ctx;
	(void)level;
	sb_append(&capture, message);
	sb_putc(&capture, '\n');
}

void capture_start(void)
{
	sb_free(&capture);
	sb_append(&capture, "");
	diag_set_sink(capture_sink, NULL);
}

const char *captured(void)
{
	return capture.data ? capture.data : "";
}

void capture_stop(void)
{
	diag_set_sink(NULL, NULL);
}

const char *temp_dir(void)
{
	static char path[4096];
	const char *tmp = getenv("TMPDIR");
	format_into(path, sizeof path, "%s/handout-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(path))
		ck_abort_msg("mkdtemp failed in %s", path);
	return path;
}

const char *write_temp(const char *name, const char *text)
{
	static char path[4096];
	format_into(path, sizeof path, "%s/%s", temp_dir(), name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

void format_into(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < size, "%d bytes do not fit in %zu: %.80s...", n, size, buf);
}

char *run_command(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	strbuf sb = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		sb_appendn(&sb, buf, n);
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return sb_take(&sb);
}

char *check_edited_copy(const char *edit, int *status)
{
	const char *dir = temp_dir();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cp -r '%1$s/content' '%1$s/templates' '%1$s/fonts' '%2$s/' && cd '%2$s' && %3$s && "
	            "'%1$s/handout' check --data '%2$s' 2>&1",
	            data_dir(), dir, edit);
	return run_command(cmd, status);
}

patient *patient_from_string(const char *xml)
{
	const char *path = write_temp("patient.xml", xml);
	xnode *n = xml_load(path, NULL);
	ck_assert_ptr_nonnull(n);
	patient *p = patient_from_xml(n, path, &shipped_content()->questionnaire, NULL);
	xnode_free(n);
	return p;
}

static int keep_patient(void *ctx, patient *p)
{
	read_result *r = ctx;
	ck_assert_uint_lt(r->n, READ_MAX);
	r->p[r->n++] = p;
	return 0;
}

/* The shipped languages' words, English first, as the command line gives them to readers. */
static const reader_wording *shipped_wording(void *ctx, size_t i)
{
	(void)ctx;
	static reader_wording w[9];
	static size_t n;
	if (n == 0) {
		char *dir = path_join(data_dir(), "content");
		DIR *d = opendir(dir);
		struct dirent *e;
		const content *langs[9] = {shipped_content()};
		size_t nl = 1;
		while (d && (e = readdir(d)) != NULL && nl < 9) {
			char *words = path_join(dir, e->d_name);
			char *file = path_join(words, "words.xml");
			if (e->d_name[0] != '.' && access(file, R_OK) == 0)
				langs[nl++] = shipped_content_in(e->d_name);
			free(file);
			free(words);
		}
		if (d)
			closedir(d);
		free(dir);
		for (size_t k = 0; k < nl; k++)
			if (langs[k])
				w[n++] = (reader_wording){&langs[k]->questionnaire,
				                          locale_word(&langs[k]->words, W_YES),
				                          locale_word(&langs[k]->words, W_NO),
				                          locale_word(&langs[k]->words, W_FORM_NAME)};
	}
	return i < n ? &w[i] : NULL;
}

const reader_options *shipped_reader_options(void)
{
	static const reader_options o = {NULL, NULL, 0, shipped_wording, NULL};
	return &o;
}

void read_files_with(read_result *r, char *const *paths, int n, const reader_options *opt)
{
	memset(r, 0, sizeof *r);
	reader_stats st;
	capture_start();
	reader_each(paths, n, &shipped_content()->questionnaire, opt, keep_patient, r, &st);
	r->diags = xstrdup(captured());
	capture_stop();
	r->patients = st.patients, r->rejected = st.rejected, r->files_failed = st.files_failed;
}

void read_files(read_result *r, char *const *paths, int n)
{
	read_files_with(r, paths, n, shipped_reader_options());
}

void read_text(read_result *r, const char *name, const char *text)
{
	char *path = xstrdup(write_temp(name, text));
	read_files(r, &path, 1);
	free(path);
}

void read_result_free(read_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		patient_free(r->p[i]);
	free(r->diags);
}

const char *answer_of(const patient *p, const char *qid, size_t k)
{
	int qi = questionnaire_find(p->questionnaire, qid);
	ck_assert_int_ge(qi, 0);
	return k < p->answers[qi].nvalues ? p->answers[qi].values[k] : NULL;
}
