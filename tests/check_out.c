/* check_out.c: the sink contract of out.h. A fake sink added to a batch's list makes each
 * handout on the workers and takes every patient in input order, with what its own make
 * made and the file the PDF sink before it put the handout in; a --resume keeps the
 * handouts (no make) and still hands every patient over; one handout built alone goes
 * through the same sinks (the file, DocumentReference.ndjson beside it). */
#include "batch.h"
#include "digest.h"
#include "helpers.h"
#include "out_list.h"
#include "patient.h"
#include "pipeline.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the fake sink saw. make runs on the workers: its counts are under the lock. */
typedef struct fake {
	pthread_mutex_t lock;
	size_t made;        /* make steps */
	size_t made_pages;  /* of those, with the laid-out pages there */
	size_t taken;       /* take steps */
	size_t taken_made;  /* of those, given what make made for that very patient */
	size_t taken_file;  /* of those, with the file the PDF sink put the handout in */
	size_t taken_error; /* of those, a patient with no handout */
	size_t finished;
	strbuf order; /* the ids taken, one a line */
} fake;

static int fake_make(void *self, const out_handout *h, void **made, const char **failed, int *err)
{
	fake *f = self;
	(void)err;
	pthread_mutex_lock(&f->lock);
	f->made++;
	f->made_pages += h->pages != NULL;
	pthread_mutex_unlock(&f->lock);
	*made = xstrdup(h->p->id);
	*failed = NULL;
	return 0;
}

static void fake_drop(void *self, void *made)
{
	(void)self;
	free(made);
}

static int fake_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	fake *f = self;
	(void)where, (void)err;
	f->taken++;
	f->taken_made += made && strcmp(made, h->p->id) == 0;
	f->taken_file += h->file && *h->file;
	f->taken_error += h->error != NULL;
	sb_printf(&f->order, "%s\n", h->p->id);
	free(made);
	return 0;
}

static int fake_finish(void *self, int *err)
{
	(void)err;
	((fake *)self)->finished++;
	return 0;
}

static void fake_free(void *self)
{
	(void)self; /* the test's own */
}

/* Runs a batch of in into out with jobs workers, the options' sinks and f after them. */
static int run_with_fake(const resources *r, char **in, const char *out, int jobs, int resume, fake *f)
{
	batch_options o = {in, 2, out, jobs, 1, 1, resume, 1, 0, 1};
	out_options oo = {out, NULL, 1, 1, NULL, 0, 0};
	out_list *sinks = out_list_new(r, &oo);
	out_list_add(sinks, (out_sink){f, fake_make, NULL, fake_drop, fake_take, fake_finish, fake_free});
	o.sinks = sinks;
	batch_stats st;
	capture_start();
	int status = batch_run(r, &o, &st);
	capture_stop();
	out_list_free(sinks);
	return status;
}

START_TEST(a_sink_sees_every_patient_in_input_order)
{
	char gen[4096], cmd[8192], out[4096];
	format_into(gen, sizeof gen, "%s/p.xml", temp_dir());
	format_into(cmd, sizeof cmd, "'%s/build/gen_patients' 60 5 > '%s'", data_dir(), gen);
	ck_assert_int_eq(system(cmd), 0);
	char *in[2] = {gen,
	               xstrdup(write_temp("bad.xml", "<patient id=\"BAD\"><answers><answer "
	                                             "q=\"pain-score\">11</answer></answers></patient>"))};
	format_into(out, sizeof out, "%s/out", temp_dir());
	resource_paths paths = {data_dir(), NULL, NULL, "2026-11-24", 1, 0, 1};
	resources *r = resources_load(&paths);
	ck_assert_ptr_nonnull(r);
	strbuf expected = {0};
	for (int i = 0; i < 60; i++)
		sb_printf(&expected, "G%07d\n", i);
	sb_append(&expected, "BAD\n");

	fake f = {.lock = PTHREAD_MUTEX_INITIALIZER};
	ck_assert_int_eq(run_with_fake(r, in, out, 3, 0, &f), 1);
	ck_assert_str_eq(f.order.data, expected.data);
	ck_assert_uint_eq(f.made, 60);
	ck_assert_uint_eq(f.made_pages, 60);
	ck_assert_uint_eq(f.taken, 61);
	ck_assert_uint_eq(f.taken_made, 60);
	ck_assert_uint_eq(f.taken_file, 60);
	ck_assert_uint_eq(f.taken_error, 1);
	ck_assert_uint_eq(f.finished, 1);
	sb_free(&f.order);

	/* Kept by --resume: nothing to make, every patient still taken, with its file. */
	fake again = {.lock = PTHREAD_MUTEX_INITIALIZER};
	ck_assert_int_eq(run_with_fake(r, in, out, 2, 1, &again), 1);
	ck_assert_str_eq(again.order.data, expected.data);
	ck_assert_uint_eq(again.made, 0);
	ck_assert_uint_eq(again.taken, 61);
	ck_assert_uint_eq(again.taken_made, 0);
	ck_assert_uint_eq(again.taken_file, 60);
	ck_assert_uint_eq(again.finished, 1);
	sb_free(&again.order);
	sb_free(&expected);
	free(in[1]);
	resources_free(r);
}
END_TEST

START_TEST(one_handout_goes_through_the_same_sinks)
{
	resource_paths paths = {data_dir(), NULL, NULL, "2026-11-24", 1};
	resources *r = resources_load(&paths);
	ck_assert_ptr_nonnull(r);
	patient *p = patient_from_string("<patient id=\"ONE\"><name>Ann Lee</name><answers><answer "
	                                 "q=\"pain-score\">4</answer></answers></patient>");
	char dir[4096], pdf[4096], docs[4096];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(pdf, sizeof pdf, "%s/one.pdf", dir);
	format_into(docs, sizeof docs, "%s/DocumentReference.ndjson", dir);
	handout_result res;
	ck_assert_int_eq(pipeline_handout(r, p, DUMP_NONE, NULL, &res), 0);
	out_options oo = {NULL, pdf, 1, 1, NULL, 0, 0};
	out_list *sinks = out_list_new(r, &oo);
	out_handout h = out_list_handout(r, p, &res);
	out_place where;
	capture_start();
	ck_assert_int_eq(out_list_one(sinks, &h, &where), 0);
	capture_stop();
	size_t len;
	char *bytes = file_read_all(pdf, &len);
	ck_assert_ptr_nonnull(bytes);
	char sha[65];
	digest_sha256_hex(bytes, len, sha);
	ck_assert_str_eq(where.sha256, sha);
	ck_assert_uint_eq(where.bytes, len);
	ck_assert_str_eq(h.file, pdf);
	char *line = file_read_all(docs, &len);
	ck_assert_msg(line && strstr(line, "\"one.pdf\"") && strchr(line, '\n') == line + len - 1, "%s",
	              line ? line : "(none)");
	free(line);
	free(bytes);
	out_list_free(sinks);
	handout_result_free(&res);
	patient_free(p);
	resources_free(r);
}
END_TEST

Suite *out_suite(void)
{
	Suite *s = suite_create("out");
	TCase *tc = tcase_create("sinks");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_sink_sees_every_patient_in_input_order);
	tcase_add_test(tc, one_handout_goes_through_the_same_sinks);
	suite_add_tcase(s, tc);
	return s;
}
