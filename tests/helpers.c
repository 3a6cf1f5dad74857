/* helpers.c: shared test fixtures. */
#include "helpers.h"
#include "read_native.h"
#include "content.h"
#include "diag.h"
#include "util.h"
#include "xml.h"

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
	static char path[64];
	strcpy(path, "/tmp/handout-test-XXXXXX");
	if (!mkdtemp(path))
		ck_abort_msg("mkdtemp failed");
	return path;
}

const char *write_temp(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", temp_dir(), name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
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
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
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
